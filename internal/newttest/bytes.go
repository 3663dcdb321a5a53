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

// Aliased is a dst and an input of an append-style function that share
// memory; Prefix is dst's content, which the function must keep.
type Aliased struct {
	Name       string
	Dst, In    []byte
	Prefix     []byte
	InputValue []byte // a copy of In's content before the call
}

// AliasedInputs returns layouts in which an append-style function's dst and
// its input, holding content, share memory: the input at dst[:0] (in place),
// the input further inside dst's spare capacity, the input right after a
// non-empty dst, and an input that dst's content ends inside.
func AliasedInputs(content []byte) []Aliased {
	n := len(content)
	mk := func(name string, dstLen, inOff int) Aliased {
		buf := make([]byte, 64+n, 64+n+4096)
		for i := range buf[:dstLen] {
			buf[i] = byte(0xd0 + i)
		}
		copy(buf[inOff:], content)
		return Aliased{Name: name, Dst: buf[:dstLen], In: buf[inOff : inOff+n],
			Prefix: bytes.Clone(buf[:dstLen]), InputValue: bytes.Clone(content)}
	}
	out := []Aliased{
		mk("in place (dst = in[:0])", 0, 0),
		mk("input inside dst's spare capacity", 0, 17),
		mk("input right after dst", 9, 9),
	}
	if n >= 2 {
		out = append(out, mk("dst ends inside the input", n/2, 0))
	}
	return out
}

// CheckAppendAliased runs appendTo on every layout of [AliasedInputs] of
// content (checklist row C24): the output must keep dst's content, and check
// must accept the part appended after it (for example: it decrypts to
// content, or it equals the output for an unaliased input).
func CheckAppendAliased(t testing.TB, name string, content []byte, appendTo func(dst, in []byte) ([]byte, error), check func(appended []byte) error) {
	t.Helper()
	for _, l := range AliasedInputs(content) {
		out, err := appendTo(l.Dst, l.In)
		if err != nil {
			t.Errorf("%s, %s: %v", name, l.Name, err)
			continue
		}
		if len(out) < len(l.Prefix) || !bytes.Equal(out[:len(l.Prefix)], l.Prefix) {
			t.Errorf("%s, %s: dst's content changed", name, l.Name)
			continue
		}
		if err := check(out[len(l.Prefix):]); err != nil {
			t.Errorf("%s, %s: %v", name, l.Name, err)
		}
	}
}
