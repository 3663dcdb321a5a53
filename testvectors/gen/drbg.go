// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

//go:build libolm

package main

import (
	"crypto/sha256"
	"encoding/binary"
)

// drbg is the deterministic input stream of the generator: block i is
// SHA-256(key ‖ u64be(i)) with key = SHA-256("newt testvectors v1\x00" ‖
// label). A label names one section of one file (e.g. "hkdf/OLM_ROOT"), so
// adding cases to one section never changes another.
type drbg struct {
	label string
	key   [32]byte
	ctr   uint64
	buf   []byte
}

func newDRBG(label string) *drbg {
	return &drbg{label: label, key: sha256.Sum256([]byte("newt testvectors v1\x00" + label))}
}

// bytes returns the next n bytes of the stream.
func (d *drbg) bytes(n int) []byte {
	out := make([]byte, 0, n)
	for len(out) < n {
		if len(d.buf) == 0 {
			var in [40]byte
			copy(in[:], d.key[:])
			binary.BigEndian.PutUint64(in[32:], d.ctr)
			d.ctr++
			blk := sha256.Sum256(in[:])
			d.buf = blk[:]
		}
		k := min(n-len(out), len(d.buf))
		out = append(out, d.buf[:k]...)
		d.buf = d.buf[k:]
	}
	return out
}

// array32 returns the next 32 bytes.
func (d *drbg) array32() [32]byte { return [32]byte(d.bytes(32)) }

// intn returns a number in [0, n) (slightly biased; only determinism
// matters).
func (d *drbg) intn(n int) int {
	return int(binary.BigEndian.Uint64(d.bytes(8)) % uint64(n))
}
