// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package newttest

import (
	"bytes"
	"crypto/sha512"
	"math/rand/v2"
	"testing"

	"filippo.io/edwards25519"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/testvectors"
)

// LowOrderCurve25519 returns the u-coordinates of primitives.json's X25519
// cases that libolm computes as non-contributory: the low-order points of
// Curve25519 and its twist, canonical and not (0, 1, the two of order 8,
// p−1, p and p+1), each of which makes the X25519 result all zeros. The
// top bit of each is clear; X25519 ignores it, so callers should try both.
func LowOrderCurve25519(t testing.TB) [][32]byte {
	t.Helper()
	p := testvectors.Load[testvectors.Primitives](t, "primitives.json")
	var out [][32]byte
	seen := map[[32]byte]bool{}
	for _, c := range p.X25519 {
		if c.Expect != testvectors.ExpectNonContributory || len(c.PeerPublic) != 32 {
			continue
		}
		u := [32]byte(c.PeerPublic)
		u[31] &= 0x7f
		if !seen[u] {
			seen[u] = true
			out = append(out, u)
		}
	}
	if len(out) != 7 {
		t.Fatalf("newttest: primitives.json has %d low-order points, want 7", len(out))
	}
	return out
}

// L is the order of the Ed25519 base point, little-endian.
var L = [32]byte{0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 31: 0x10}

// AddL returns s + L for a 32-byte little-endian s (no overflow for s < L):
// the malleated S of a signature.
func AddL(s []byte) []byte {
	out := make([]byte, 32)
	carry := 0
	for i := range 32 {
		v := int(s[i]) + int(L[i]) + carry
		out[i], carry = byte(v), v>>8
	}
	return out
}

// IdentityPoint is the canonical encoding of the Ed25519 identity (0, 1).
var IdentityPoint = [32]byte{1}

// PPlus returns the little-endian encoding of p + d, p = 2^255 − 19, for
// d < 19: a non-canonical encoding of the field element d.
func PPlus(d byte) [32]byte {
	var b [32]byte
	for i := range b {
		b[i] = 0xff
	}
	b[31] = 0x7f
	b[0] = 0xed + d
	return b
}

// Torsion returns the 8 points of order dividing 8, derived from scratch
// (independently of any table in the code under test): the torsion part of
// a point Q is Q − (8⁻¹ mod L)·(8Q), and one of order 8 generates them all.
// The identity comes first.
func Torsion(t testing.TB) []*edwards25519.Point {
	t.Helper()
	var eight [32]byte
	eight[0] = 8
	var inv8 edwards25519.Scalar
	if _, err := inv8.SetCanonicalBytes(eight[:]); err != nil {
		t.Fatal(err)
	}
	inv8.Invert(&inv8)
	r := rand.New(rand.NewChaCha8([32]byte{8}))
	for range 1000 {
		var b [32]byte
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		q, err := new(edwards25519.Point).SetBytes(b[:])
		if err != nil {
			continue
		}
		p8 := new(edwards25519.Point).MultByCofactor(q)
		p := new(edwards25519.Point).ScalarMult(&inv8, p8)
		tor := new(edwards25519.Point).Subtract(q, p)
		// Order 8 iff 4·T is not the identity.
		t4 := new(edwards25519.Point).Add(tor, tor)
		t4.Add(t4, t4)
		if t4.Equal(edwards25519.NewIdentityPoint()) == 1 {
			continue
		}
		pts := []*edwards25519.Point{edwards25519.NewIdentityPoint()}
		for i := 1; i < 8; i++ {
			pts = append(pts, new(edwards25519.Point).Add(pts[i-1], tor))
		}
		return pts
	}
	t.Fatal("newttest: no point of order 8 found")
	return nil
}

// SmallOrderEd25519 returns the canonical encodings of the 8 points of
// [Torsion].
func SmallOrderEd25519(t testing.TB) [][]byte {
	t.Helper()
	var out [][]byte
	for _, p := range Torsion(t) {
		out = append(out, p.Bytes())
	}
	return out
}

// NonCanonicalEd25519 returns non-canonical encodings of curve points that
// filippo.io/edwards25519 decodes: y ≥ p (with either sign bit), and the
// identity with the sign bit set (x = 0 has no negative).
func NonCanonicalEd25519(t testing.TB) [][]byte {
	t.Helper()
	var out [][]byte
	for y0 := byte(0); y0 < 19; y0++ {
		for _, sign := range []byte{0, 0x80} {
			enc := PPlus(y0)
			enc[31] |= sign
			if _, err := new(edwards25519.Point).SetBytes(enc[:]); err == nil {
				out = append(out, bytes.Clone(enc[:]))
			}
		}
	}
	negZero := IdentityPoint
	negZero[31] |= 0x80
	out = append(out, negZero[:])
	if len(out) < 4 {
		t.Fatalf("newttest: only %d non-canonical encodings", len(out))
	}
	return out
}

// LowOrderKeys returns the points of [LowOrderCurve25519] as public keys,
// each with the ignored top bit clear and set.
func LowOrderKeys(t testing.TB) []newt.Curve25519PublicKey {
	t.Helper()
	var keys []newt.Curve25519PublicKey
	for _, u := range LowOrderCurve25519(t) {
		keys = append(keys, newt.Curve25519PublicKeyFromArray(u))
		u[31] |= 0x80
		keys = append(keys, newt.Curve25519PublicKeyFromArray(u))
	}
	return keys
}

// Ed25519Challenge returns the Ed25519 challenge k = SHA-512(R ‖ A ‖ M)
// mod L (RFC 8032, section 5.1.7), computed independently of the code under
// test, so that a test can build a signature S = r + k·a of its own.
func Ed25519Challenge(R, A, msg []byte) *edwards25519.Scalar {
	h := sha512.New()
	h.Write(R)
	h.Write(A)
	h.Write(msg)
	k, err := new(edwards25519.Scalar).SetUniformBytes(h.Sum(nil))
	if err != nil {
		panic("newttest: a SHA-512 sum is not 64 bytes")
	}
	return k
}
