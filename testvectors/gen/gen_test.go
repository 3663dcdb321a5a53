// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

//go:build libolm

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestCommittedFilesUpToDate regenerates every registered file from libolm
// and compares it with the committed copy, byte for byte.
func TestCommittedFilesUpToDate(t *testing.T) {
	if len(generators) == 0 {
		t.Fatal("no generators registered")
	}
	for _, g := range sortedGenerators() {
		t.Run(g.file, func(t *testing.T) {
			b, err := build(g)
			if err != nil {
				t.Fatal(err)
			}
			old, err := os.ReadFile(filepath.Join("..", g.file))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(old, b) {
				t.Errorf("%s is out of date: run go generate ./testvectors", g.file)
			}
			// A second run must give the same bytes (no hidden state).
			if b2, err := build(g); err != nil || !bytes.Equal(b, b2) {
				t.Errorf("%s: generator is not deterministic", g.file)
			}
		})
	}
}

func TestDRBG(t *testing.T) {
	a, b := newDRBG("x"), newDRBG("x")
	// Reading in different chunk sizes gives the same stream.
	got := append(a.bytes(5), a.bytes(40)...)
	if want := b.bytes(45); !bytes.Equal(got, want) {
		t.Error("drbg stream depends on read sizes")
	}
	if bytes.Equal(newDRBG("x").bytes(32), newDRBG("y").bytes(32)) {
		t.Error("labels do not separate streams")
	}
	d := newDRBG("intn")
	for range 1000 {
		if v := d.intn(7); v < 0 || v >= 7 {
			t.Fatalf("intn out of range: %d", v)
		}
	}
}

func TestRegisterDuplicatePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("duplicate registration did not panic")
		}
	}()
	register(generators[0].file, nil)
}
