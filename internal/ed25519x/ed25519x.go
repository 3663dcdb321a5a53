// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package ed25519x

// Reviewer's note: signing follows libolm's _olm_crypto_ed25519_sign
// (src/crypto.cpp, orlp's lib/ed25519 with an expanded key) step by step;
// verification follows crypto/ed25519.Verify's pipeline plus the checks of
// ed25519-dalek's verify_strict. Names follow RFC 8032 §5.1.6 and §5.1.7 (r,
// R, k, S, A).

import (
	"crypto/rand"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"hash"
	"sync"

	"filippo.io/edwards25519"
)

const (
	// SeedSize is the size of an RFC 8032 private key seed.
	SeedSize = 32
	// ExpandedSize is the size of libolm's expanded private key sk64.
	ExpandedSize = 64
	// PublicKeySize is the size of an encoded public key.
	PublicKeySize = 32
	// SignatureSize is the size of a signature R ‖ S.
	SignatureSize = 64
)

// ErrInvalidPublicKey is returned by [NewPublicKey] for a key that has the
// wrong length, is not a point on the curve, is not canonically encoded, or
// is of small order.
var ErrInvalidPublicKey = errors.New("ed25519x: invalid public key")

// digest is a pooled SHA-512 state with a copy buffer. Caller slices are fed
// to the hash through buf so they never reach an interface method (which
// would make them escape to the heap).
type digest struct {
	h   hash.Hash
	sum [sha512.Size]byte
	buf [512]byte
}

var digestPool = sync.Pool{New: func() any { return &digest{h: sha512.New()} }}

func getDigest() *digest {
	d := digestPool.Get().(*digest)
	d.h.Reset()
	return d
}

func putDigest(d *digest) {
	clear(d.sum[:])
	d.h.Reset()
	digestPool.Put(d)
}

func (d *digest) write(b []byte) {
	used := min(len(b), len(d.buf))
	for len(b) > 0 {
		n := copy(d.buf[:], b)
		d.h.Write(d.buf[:n])
		b = b[n:]
	}
	clear(d.buf[:used])
}

// scalar sets s to the digest mod L and resets the hash.
func (d *digest) scalar(s *edwards25519.Scalar) {
	d.h.Sum(d.sum[:0])
	if _, err := s.SetUniformBytes(d.sum[:]); err != nil {
		panic("ed25519x: internal error: " + err.Error()) // unreachable: 64 bytes
	}
	clear(d.sum[:])
	d.h.Reset()
}

// PrivateKey is an Ed25519 signing key in libolm's form: the public key and
// the expanded secret sk64. The zero value is not usable; use
// [NewKeyFromSeed], [NewKeyFromExpanded] or [GenerateKey]. Sign and the
// accessors only read the key and are safe for concurrent use; Clear must not
// run concurrently with them.
type PrivateKey struct {
	pub      [PublicKeySize]byte
	expanded [ExpandedSize]byte
	a        edwards25519.Scalar // sk64[0:32] mod L, precomputed
	// seed is the RFC 8032 seed the key was made from, when known
	// (hasSeed): vodozemac's pickles and dehydrated devices store the
	// seed, libolm's pickles only the expanded key.
	seed    [SeedSize]byte
	hasSeed bool
}

// NewKeyFromSeed expands an RFC 8032 seed as libolm's key generation does:
// sk64 = SHA-512(seed), clamped (sk64[0] &= 248, sk64[31] &= 63,
// sk64[31] |= 64), and pub = encode(sk64[0:32]·B). The seed is kept for
// [PrivateKey.Seed].
func NewKeyFromSeed(seed *[SeedSize]byte) *PrivateKey {
	k := &PrivateKey{seed: *seed, hasSeed: true}
	k.expanded = sha512.Sum512(seed[:])
	k.expanded[0] &= 248
	k.expanded[31] &= 63
	k.expanded[31] |= 64
	k.setScalar()
	var A edwards25519.Point
	A.ScalarBaseMult(&k.a)
	copy(k.pub[:], A.Bytes())
	return k
}

// NewKeyFromExpanded returns the key with public key pub and expanded secret
// sk, as stored in libolm pickles. pub is used as given, never recomputed:
// libolm hashes the stored public key when signing, so a mismatched pair
// gives signatures that do not verify, exactly as it does in libolm.
func NewKeyFromExpanded(pub *[PublicKeySize]byte, sk *[ExpandedSize]byte) *PrivateKey {
	k := &PrivateKey{pub: *pub, expanded: *sk}
	k.setScalar()
	return k
}

// NewKeyFromExpandedSecret returns the key with expanded secret sk and the
// public key derived from it, encode(sk64[0:32]·B), as vodozemac's
// Ed25519Keypair::from_expanded_key derives it (vodozemac's pickles of
// accounts migrated from libolm store only the expanded secret).
func NewKeyFromExpandedSecret(sk *[ExpandedSize]byte) *PrivateKey {
	k := &PrivateKey{expanded: *sk}
	k.setScalar()
	var A edwards25519.Point
	A.ScalarBaseMult(&k.a)
	copy(k.pub[:], A.Bytes())
	return k
}

// setScalar sets k.a = sk64[0:32] as a little-endian integer mod L, all 256
// bits of it and unclamped, as libolm's sc_muladd uses it. Keys made by
// libolm or NewKeyFromSeed are already clamped.
func (k *PrivateKey) setScalar() {
	var wide [64]byte
	copy(wide[:32], k.expanded[:32])
	if _, err := k.a.SetUniformBytes(wide[:]); err != nil {
		panic("ed25519x: internal error: " + err.Error()) // unreachable: 64 bytes
	}
	clear(wide[:])
}

// GenerateKey returns a new key made from a random seed read from
// crypto/rand.
func GenerateKey() *PrivateKey {
	var seed [SeedSize]byte
	rand.Read(seed[:]) // never fails since Go 1.24 (it crashes the program instead)
	k := NewKeyFromSeed(&seed)
	clear(seed[:])
	return k
}

// Clear overwrites the expanded secret, the seed and the precomputed scalar with
// zeros (best effort; see the package doc). The key must not be used after.
func (k *PrivateKey) Clear() {
	clear(k.expanded[:])
	clear(k.seed[:])
	k.hasSeed = false
	k.a = edwards25519.Scalar{}
}

// Seed returns a copy of the seed the key was made from, and false for a
// key made from an expanded secret (libolm's pickles keep no seed).
func (k *PrivateKey) Seed() ([SeedSize]byte, bool) { return k.seed, k.hasSeed }

// Public returns the stored public key.
func (k *PrivateKey) Public() [PublicKeySize]byte { return k.pub }

// Expanded returns a copy of the expanded secret sk64, as libolm pickles it.
func (k *PrivateKey) Expanded() [ExpandedSize]byte { return k.expanded }

// Sign returns the Ed25519 signature of msg, identical to libolm's (libolm
// src/crypto.cpp, _olm_crypto_ed25519_sign): r = SHA-512(sk64[32:64] ‖ M) mod
// L, R = r·B, k = SHA-512(R ‖ pub ‖ M) mod L, S = r + k·a mod L, signature R
// ‖ S. It does not allocate.
func (k *PrivateKey) Sign(msg []byte) [SignatureSize]byte {
	var sig [SignatureSize]byte
	d := getDigest()

	var r edwards25519.Scalar
	d.write(k.expanded[32:])
	d.write(msg)
	d.scalar(&r)

	var R edwards25519.Point
	R.ScalarBaseMult(&r)
	copy(sig[:32], R.Bytes())

	var h edwards25519.Scalar
	d.write(sig[:32])
	d.write(k.pub[:])
	d.write(msg)
	d.scalar(&h)
	putDigest(d)

	var S edwards25519.Scalar
	S.MultiplyAdd(&h, &k.a, &r)
	copy(sig[32:], S.Bytes())
	return sig
}

// PublicKey is an Ed25519 public key that passed the strict checks once, at
// construction, so that repeated verifications skip them. It is immutable and
// safe for concurrent use.
type PublicKey struct {
	b     [PublicKeySize]byte
	negA  edwards25519.Point // −A, for S·B + k·(−A)
	valid bool               // false for the zero value, which verifies nothing
}

// NewPublicKey decodes and validates an Ed25519 public key. It returns
// [ErrInvalidPublicKey] unless pub is 32 bytes encoding a curve point
// canonically (y < p, and not x = 0 with the sign bit set) that is not of
// small order. Keys with a torsion component but a nonzero prime-order part
// are accepted, as ed25519-dalek and crypto/ed25519 accept them.
func NewPublicKey(pub []byte) (*PublicKey, error) {
	p := new(PublicKey)
	if err := p.init(pub); err != nil {
		return nil, err
	}
	return p, nil
}

// init runs the strict key checks and fills p.
func (p *PublicKey) init(pub []byte) error {
	if err := CheckPublicKeyBytes(pub); err != nil {
		return err
	}
	copy(p.b[:], pub)
	// The encoding is canonical and not one of the small-order points; what
	// is left is whether it is on the curve at all, which only the
	// decompression can tell.
	var A edwards25519.Point
	if _, err := A.SetBytes(p.b[:]); err != nil {
		return ErrInvalidPublicKey
	}
	p.negA.Negate(&A)
	p.valid = true
	return nil
}

// CheckPublicKeyBytes runs the strict checks of [NewPublicKey] that need no
// curve arithmetic, on the encoding alone: pub must be 32 bytes, y (the low
// 255 bits) must be below p = 2^255 − 19, an encoding of x = 0 (y = 1 or
// y = p − 1) must not have the sign bit set, and pub must not be the
// canonical encoding of one of the 8 points of small order. It returns
// [ErrInvalidPublicKey] otherwise. It costs a few dozen byte comparisons.
//
// A key that passes CheckPublicKeyBytes may still be rejected by
// [NewPublicKey], [NewFastVerifier] and [Verify]: about half of all
// canonical encodings are not points on the curve, and only the
// decompression that those functions do can tell. Use it to reject
// malformed keys early and cheaply (when loading a pickle, say) and leave
// the decompression to the first verification.
func CheckPublicKeyBytes(pub []byte) error {
	if len(pub) != PublicKeySize {
		return ErrInvalidPublicKey
	}
	// y < p, with y the 255-bit little-endian integer under the sign bit:
	// y >= p only if its top word is 2^63−1, the two middle ones all ones
	// and the bottom one at least 2^64−19.
	w0 := binary.LittleEndian.Uint64(pub[0:8])
	w1 := binary.LittleEndian.Uint64(pub[8:16])
	w2 := binary.LittleEndian.Uint64(pub[16:24])
	w3 := binary.LittleEndian.Uint64(pub[24:32])
	sign := w3 >> 63
	w3 &^= 1 << 63
	if w3 == 1<<63-1 && w2 == 1<<64-1 && w1 == 1<<64-1 && w0 >= 1<<64-19 {
		return ErrInvalidPublicKey
	}
	// x = 0 exactly for y = 1 and y = p − 1; its canonical sign bit is 0.
	if sign == 1 && w1 == 0 && w2 == 0 && w3 == 0 && w0 == 1 ||
		sign == 1 && w3 == 1<<63-1 && w2 == 1<<64-1 && w1 == 1<<64-1 && w0 == 1<<64-20 {
		return ErrInvalidPublicKey
	}
	// The encoding is now canonical, so a small-order point can only be
	// spelled as one of the 8 canonical encodings.
	if isSmallOrderEncoding((*[32]byte)(pub)) {
		return ErrInvalidPublicKey
	}
	return nil
}

// Bytes returns the encoded public key.
func (p *PublicKey) Bytes() [PublicKeySize]byte { return p.b }

// Verify reports whether sig is a valid strict signature of msg by p:
// len(sig) == 64, S < L, R not one of the 8 small-order points, and
// encode(S·B − k·A) == R with k = SHA-512(R ‖ A ‖ M) mod L. It does not
// allocate. A nil or zero PublicKey verifies nothing.
func (p *PublicKey) Verify(msg, sig []byte) bool {
	if p == nil || !p.valid || len(sig) != SignatureSize || sig[63]&224 != 0 {
		return false
	}
	var S edwards25519.Scalar
	if _, err := S.SetCanonicalBytes(sig[32:]); err != nil {
		return false // S >= L
	}
	if isSmallOrderEncoding((*[32]byte)(sig[:32])) {
		return false
	}

	var k edwards25519.Scalar
	d := getDigest()
	d.write(sig[:32])
	d.write(p.b[:])
	d.write(msg)
	d.scalar(&k)
	putDigest(d)

	var R edwards25519.Point
	R.VarTimeDoubleScalarBaseMult(&k, &p.negA, &S)
	return subtle.ConstantTimeCompare(R.Bytes(), sig[:32]) == 1
}

// Verify reports whether sig is a valid strict signature of msg by the
// encoded public key pub. It is [NewPublicKey] followed by
// [PublicKey.Verify]; use those to validate a key once and verify many
// signatures. It does not allocate.
func Verify(pub, msg, sig []byte) bool {
	var p PublicKey
	if p.init(pub) != nil {
		return false
	}
	return p.Verify(msg, sig)
}

// smallOrder holds the canonical encodings of the 8 points of order dividing
// 8. A non-canonical R can never equal an encoded point, so comparing with
// these is enough to reject every small-order R.
var smallOrder = [8][32]byte{
	// identity (0, 1)
	{0x01},
	// order 2: (0, -1)
	{0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
	// order 4: (±sqrt(-1), 0)
	{},
	{31: 0x80},
	// order 8
	{0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4, 0x89, 0xf2, 0xef, 0x98, 0xf0,
		0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6, 0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05},
	{0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4, 0x89, 0xf2, 0xef, 0x98, 0xf0,
		0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6, 0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x85},
	{0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b, 0x76, 0x0d, 0x10, 0x67, 0x0f,
		0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39, 0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0x7a},
	{0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b, 0x76, 0x0d, 0x10, 0x67, 0x0f,
		0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39, 0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0xfa},
}

// isSmallOrderEncoding reports whether b is the canonical encoding of a
// small-order point. Both verifiers ([PublicKey.Verify] and
// [FastVerifier.Verify]) and key validation use it.
func isSmallOrderEncoding(b *[32]byte) bool {
	for i := range smallOrder {
		if *b == smallOrder[i] {
			return true
		}
	}
	return false
}
