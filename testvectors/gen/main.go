// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

//go:build libolm

package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"github.com/newt-e2ee/newt/internal/libolm"
	"github.com/newt-e2ee/newt/testvectors"
)

func main() {
	out := flag.String("out", ".", "directory that receives the JSON files")
	only := flag.String("only", "", "comma-separated file names to generate (default: all registered)")
	check := flag.Bool("check", false, "compare with the files in -out instead of writing them")
	flag.Parse()
	if err := run(*out, *only, *check); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(out, only string, check bool) error {
	if major, minor, _ := libolm.Version(); major != 3 || minor != 2 {
		return fmt.Errorf("libolm %d.%d found, need 3.2.x", major, minor)
	}
	want := map[string]bool{}
	for _, name := range strings.Split(only, ",") {
		if name != "" {
			want[name] = true
		}
	}
	filter := len(want) > 0
	stale := 0
	for _, g := range sortedGenerators() {
		if filter && !want[g.file] {
			continue
		}
		delete(want, g.file)
		b, err := build(g)
		if err != nil {
			return fmt.Errorf("%s: %w", g.file, err)
		}
		path := filepath.Join(out, g.file)
		if check {
			old, err := os.ReadFile(path)
			if err != nil || !bytes.Equal(old, b) {
				fmt.Fprintf(os.Stderr, "gen: %s is out of date\n", path)
				stale++
			}
			continue
		}
		if err := writeFile(path, b); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "gen: wrote %s (%d bytes)\n", path, len(b))
	}
	for name := range want {
		return fmt.Errorf("no generator registered for %q", name)
	}
	if stale > 0 {
		return fmt.Errorf("%d file(s) out of date; run go generate ./testvectors", stale)
	}
	return nil
}

func sortedGenerators() []generator {
	gs := slices.Clone(generators)
	slices.SortFunc(gs, func(a, b generator) int { return strings.Compare(a.file, b.file) })
	return gs
}

// build runs one generator and encodes its value: two-space indentation,
// struct field order, no HTML escaping, final newline. It then decodes the
// bytes strictly into a fresh value of the same type and re-encodes them, so
// a file that Load could not read back exactly is never written.
func build(g generator) ([]byte, error) {
	v, err := g.gen()
	if err != nil {
		return nil, err
	}
	b, err := encode(v)
	if err != nil {
		return nil, err
	}
	back := reflect.New(reflect.TypeOf(v))
	if err := testvectors.Unmarshal(b, back.Interface()); err != nil {
		return nil, fmt.Errorf("re-decoding: %w", err)
	}
	b2, err := encode(back.Elem().Interface())
	if err != nil || !bytes.Equal(b, b2) {
		return nil, fmt.Errorf("encoding does not round-trip (%v)", err)
	}
	return b, nil
}

func encode(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writeFile replaces path atomically.
func writeFile(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".gen-*.json.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
