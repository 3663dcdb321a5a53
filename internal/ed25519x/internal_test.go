// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package ed25519x

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"testing"

	"filippo.io/edwards25519"
)

// TestSmallOrderTable checks the hard-coded table: 8 distinct canonical
// encodings of points P with 8·P = identity. There are exactly 8 such points
// and canonical encodings are unique, so the table is complete.
func TestSmallOrderTable(t *testing.T) {
	seen := map[[32]byte]bool{}
	id := edwards25519.NewIdentityPoint()
	for i, enc := range smallOrder {
		P, err := new(edwards25519.Point).SetBytes(enc[:])
		if err != nil {
			t.Fatalf("entry %d does not decode", i)
		}
		if !bytes.Equal(P.Bytes(), enc[:]) {
			t.Fatalf("entry %d is not canonical", i)
		}
		if new(edwards25519.Point).MultByCofactor(P).Equal(id) != 1 {
			t.Fatalf("entry %d is not of small order", i)
		}
		if seen[enc] {
			t.Fatalf("entry %d repeated", i)
		}
		seen[enc] = true
		if !isSmallOrderEncoding(&enc) || !refSmallOrder(P) {
			t.Fatalf("entry %d not recognised", i)
		}
	}
	if len(seen) != 8 {
		t.Fatalf("%d entries", len(seen))
	}
	if isSmallOrderEncoding((*[32]byte)(edwards25519.NewGeneratorPoint().Bytes())) {
		t.Fatal("generator flagged")
	}
}

// refSmallOrder reports whether 8·A is the identity.
func refSmallOrder(A *edwards25519.Point) bool {
	var t edwards25519.Point
	t.MultByCofactor(A)
	return t.Equal(edwards25519.NewIdentityPoint()) == 1
}

// refKeyCheck is the strict key check done the slow, obviously right way
// (the implementation before CheckPublicKeyBytes): decompress, re-encode and
// compare (which catches y >= p and a sign bit on x = 0), then 8·A ≠ O.
func refKeyCheck(pub []byte) bool {
	if len(pub) != PublicKeySize {
		return false
	}
	A, err := new(edwards25519.Point).SetBytes(pub)
	if err != nil {
		return false
	}
	if !bytes.Equal(A.Bytes(), pub) {
		return false
	}
	return !refSmallOrder(A)
}

// keyCheckCorpus returns encodings around every boundary of the byte-level
// checks: y near 0, 1, p − 1, p and 2^255 − 1 with both sign bits, every
// small-order encoding and its non-canonical twins (y + p, flipped sign),
// near-misses in each 64-bit word, multiples of B with torsion added, and
// random bytes.
func keyCheckCorpus() [][]byte {
	var out [][]byte
	add := func(b []byte) {
		out = append(out, bytes.Clone(b))
		if len(b) == 32 {
			f := bytes.Clone(b)
			f[31] ^= 0x80
			out = append(out, f)
		}
	}
	le := func(w0, w1, w2, w3 uint64) []byte {
		b := make([]byte, 32)
		binary.LittleEndian.PutUint64(b[0:], w0)
		binary.LittleEndian.PutUint64(b[8:], w1)
		binary.LittleEndian.PutUint64(b[16:], w2)
		binary.LittleEndian.PutUint64(b[24:], w3)
		return b
	}
	const m = 1<<64 - 1
	const top = 1<<63 - 1
	for d := uint64(0); d < 40; d++ {
		add(le(d, 0, 0, 0))            // y = 0 .. 39
		add(le(m-d, m, m, top))        // y = 2^255−1 − d: p+18 down to p−22
		add(le(m-d, m-1, m, top))      // a middle word not all ones
		add(le(m-d, m, m-1, top))      //
		add(le(m-d, m, m, top-1))      // top word below 2^63−1
		add(le(d, 1, 0, 0))            // y = 2^64 + d
		add(le(d, 0, 0, 1<<62))        // a large y with small low word
		add(le(m-d, m, m, top)[:31])   // wrong lengths
		add(append(le(d, 0, 0, 0), 0)) //
	}
	// Small-order points, canonical and not; y + p exists only for y < 19.
	for _, enc := range smallOrder {
		add(enc[:])
		y0 := binary.LittleEndian.Uint64(enc[0:8])
		if bytes.Equal(enc[8:31], make([]byte, 23)) && enc[31]&0x7f == 0 && y0 < 19 {
			add(le(y0+(m-18), m, m, top)) // y + p
		}
	}
	// Points of every torsion class: a·B + T for the 8 small-order T.
	var T [8]*edwards25519.Point
	for i, enc := range smallOrder {
		T[i], _ = new(edwards25519.Point).SetBytes(enc[:])
	}
	rng := rand.New(rand.NewPCG(7, 8))
	for range 40 {
		var wide [64]byte
		for i := range wide {
			wide[i] = byte(rng.Uint32())
		}
		a, _ := edwards25519.NewScalar().SetUniformBytes(wide[:])
		P := new(edwards25519.Point).ScalarBaseMult(a)
		for _, t := range T {
			add(new(edwards25519.Point).Add(P, t).Bytes())
		}
	}
	for range 20000 {
		b := make([]byte, 32)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		add(b)
	}
	return out
}

// TestKeyChecksMatchReference proves that the byte-level checks plus the
// decompression decide every key exactly as the reference does, and that
// CheckPublicKeyBytes never rejects a key the reference accepts.
func TestKeyChecksMatchReference(t *testing.T) {
	corpus := keyCheckCorpus()
	accepted, byteRejected := 0, 0
	for i, pub := range corpus {
		want := refKeyCheck(pub)
		cerr := CheckPublicKeyBytes(pub)
		if cerr != nil && !errors.Is(cerr, ErrInvalidPublicKey) {
			t.Fatalf("CheckPublicKeyBytes(%x) = %v", pub, cerr)
		}
		if want && cerr != nil {
			t.Fatalf("CheckPublicKeyBytes rejects %x, which the reference accepts", pub)
		}
		pk, err := NewPublicKey(pub)
		if (err == nil) != want || (err == nil) != (pk != nil) {
			t.Fatalf("NewPublicKey(%x) = %v, reference accepts: %v", pub, err, want)
		}
		if err != nil && !errors.Is(err, ErrInvalidPublicKey) {
			t.Fatalf("NewPublicKey(%x) error %v", pub, err)
		}
		if want {
			accepted++
			if pk.Bytes() != [32]byte(pub) {
				t.Fatalf("NewPublicKey(%x).Bytes() = %x", pub, pk.Bytes())
			}
		}
		if cerr != nil {
			byteRejected++
		}
		// Table building is slow: check NewFastVerifier on every rejected
		// key (it rejects before building) and a sample of the accepted.
		if !want || i%25 == 0 {
			fv, ferr := NewFastVerifier(pub)
			if (ferr == nil) != want || (ferr == nil) != (fv != nil) {
				t.Fatalf("NewFastVerifier(%x) = %v, reference accepts: %v", pub, ferr, want)
			}
		}
	}
	// The corpus must exercise both outcomes of both layers.
	if accepted < 1000 || byteRejected < 100 || accepted == len(corpus) {
		t.Fatalf("weak corpus: %d keys, %d accepted, %d rejected by bytes", len(corpus), accepted, byteRejected)
	}
}

// TestCheckPublicKeyBytesCases pins the byte-level decisions on named
// encodings.
func TestCheckPublicKeyBytesCases(t *testing.T) {
	p := func(low byte, sign bool) []byte {
		b := bytes.Repeat([]byte{0xff}, 32)
		b[0] = low
		b[31] = 0x7f
		if sign {
			b[31] |= 0x80
		}
		return b
	}
	one := func(sign bool) []byte {
		b := make([]byte, 32)
		b[0] = 1
		if sign {
			b[31] = 0x80
		}
		return b
	}
	B := edwards25519.NewGeneratorPoint().Bytes()
	tests := []struct {
		name string
		pub  []byte
		ok   bool
	}{
		{"generator", B, true},
		{"nil", nil, false},
		{"31 bytes", B[:31], false},
		{"33 bytes", append(bytes.Clone(B), 0), false},
		{"y = p", p(0xed, false), false},
		{"y = p, sign", p(0xed, true), false},
		{"y = p + 1 (identity, non-canonical)", p(0xee, false), false},
		{"y = 2^255 − 1", p(0xff, false), false},
		{"y = p − 1 (order 2)", p(0xec, false), false},
		{"y = p − 1, sign (x = 0)", p(0xec, true), false},
		{"y = 1 (identity)", one(false), false},
		{"y = 1, sign (x = 0)", one(true), false},
		{"y = p − 2", p(0xeb, false), true}, // passes the byte checks; may be off the curve
		{"y = 0 (order 4)", make([]byte, 32), false},
	}
	for _, tt := range tests {
		err := CheckPublicKeyBytes(tt.pub)
		if (err == nil) != tt.ok {
			t.Errorf("%s: CheckPublicKeyBytes = %v, want ok=%v", tt.name, err, tt.ok)
		}
		if err != nil && refKeyCheck(tt.pub) {
			t.Errorf("%s: rejected, but the reference accepts it", tt.name)
		}
	}
}

func TestSeedAndExpandedSecret(t *testing.T) {
	var seed [SeedSize]byte
	seed[0] = 7
	k := NewKeyFromSeed(&seed)
	if s, ok := k.Seed(); !ok || s != seed {
		t.Fatal("seed not kept")
	}
	exp := k.Expanded()
	k2 := NewKeyFromExpandedSecret(&exp)
	if k2.Public() != k.Public() {
		t.Fatal("public key derived from the expanded secret differs")
	}
	if _, ok := k2.Seed(); ok {
		t.Fatal("a key from an expanded secret has no seed")
	}
	if k.Sign([]byte("m")) != k2.Sign([]byte("m")) {
		t.Fatal("signatures differ")
	}
	k.Clear()
	if _, ok := k.Seed(); ok {
		t.Fatal("Clear kept the seed")
	}
}
