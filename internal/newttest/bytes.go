// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package newttest

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	mathrand "math/rand/v2"
	"testing"
)

// Hex decodes the hex string s, failing the test on bad input.
func Hex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("newttest: bad hex %q: %v", s, err)
	}
	return b
}

// MustHex decodes the hex string s and panics on bad input: for package-level
// values and examples, which have no *testing.T.
func MustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic("newttest: bad hex " + s)
	}
	return b
}

// Hex32 decodes the hex string s, which must hold exactly 32 bytes.
func Hex32(t testing.TB, s string) [32]byte {
	t.Helper()
	b := Hex(t, s)
	if len(b) != 32 {
		t.Fatalf("newttest: %q is %d bytes, want 32", s, len(b))
	}
	return [32]byte(b)
}

// Base64 decodes s with Go's unpadded standard base64, an implementation
// independent of newt's, failing the test on bad input.
func Base64(t testing.TB, s string) []byte {
	t.Helper()
	b, err := base64.RawStdEncoding.DecodeString(s)
	if err != nil {
		t.Fatalf("newttest: bad base64 %q: %v", s, err)
	}
	return b
}

// FlipBase64 returns the unpadded base64 text s with the lowest bit of the
// byte at offset i of its decoding flipped (counted from the end if i is
// negative). It panics if s is not unpadded base64.
func FlipBase64(s string, i int) string {
	b, err := base64.RawStdEncoding.DecodeString(s)
	if err != nil {
		panic("newttest: bad base64 " + s)
	}
	if i < 0 {
		i += len(b)
	}
	b[i] ^= 1
	return base64.RawStdEncoding.EncodeToString(b)
}

// Seq returns the n bytes start, start+1, … (mod 256): the fixed "random"
// inputs of the known answers.
func Seq(start byte, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = start + byte(i)
	}
	return b
}

// RandBytes returns n bytes from crypto/rand.
func RandBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// FlipBit returns a copy of b with bit i flipped (bit i%8 of byte i/8).
func FlipBit(b []byte, i int) []byte {
	c := bytes.Clone(b)
	c[i/8] ^= 1 << (i % 8)
	return c
}

// SetU32 returns a copy of b with the big-endian u32 at off set to v.
func SetU32(b []byte, off int, v uint32) []byte {
	c := bytes.Clone(b)
	binary.BigEndian.PutUint32(c[off:], v)
	return c
}

// Plaintexts returns the plaintexts of checklist row C24: empty (nil and
// not), NUL bytes, invalid UTF-8 (a lone surrogate, 0x80 bytes) and 20
// random byte strings of up to 100 bytes from a fixed seed.
func Plaintexts() [][]byte {
	pts := [][]byte{nil, {}, {0}, {0, 0, 0}, {0xff, 0xfe, 0xfd}, []byte("\xed\xa0\x80 surrogate"), []byte("a\x00b"), bytes.Repeat([]byte{0x80}, 33)}
	rng := mathrand.New(mathrand.NewPCG(24, 24))
	for range 20 {
		b := make([]byte, rng.IntN(100))
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		pts = append(pts, b)
	}
	return pts
}
