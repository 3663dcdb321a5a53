// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package ed25519x

// Reviewer's note: the fast verifier computes exactly what crypto/ed25519.Verify
// computes (R' = S·B − k·A with k = SHA-512(R ‖ A ‖ M) mod L, then
// encode(R') == R byte for byte) plus the strict checks of PublicKey.Verify.
// Only the way S·B − k·A is evaluated differs: two comb tables instead of a
// sliding-window double-scalar multiplication. Measurements behind the
// parameters: the measurements recorded with the benchmarks.

import (
	"crypto/sha512"
	"encoding/binary"
	"hash"
	"math/bits"
	"sync"
	"unsafe"

	"filippo.io/edwards25519"
	"filippo.io/edwards25519/field"
)

// FastVerifier verifies many strict Ed25519 signatures made by one public
// key about three times as fast as crypto/ed25519.Verify, by precomputing a
// table of multiples of the key: 0.29-0.30 of its time for a 300-byte message
// with the table in cache, 0.37-0.39 with the table cold
// (BenchmarkFastVerifyRoundRobin). It is meant for a Megolm session's signing
// key, which signs every message of the session.
//
// Decisions are those of [PublicKey.Verify] and [Verify]: S < L, A canonical
// and not of small order (checked once, by [NewFastVerifier]), R not of small
// order, and encode(S·B − k·A) == R byte for byte with
// k = SHA-512(R ‖ A ‖ M) mod L.
//
// Memory and cost:
//   - Per key, a comb table of A with signed radix-32 digits and stride 2:
//     408 affine points of 120 B, 47.8 KiB; the FastVerifier takes 48 KiB
//     ([FastVerifierSize]). Building it (NewFastVerifier, about 0.25 ms
//     here) costs about 2.8 plain verifications, so it pays for itself
//     after about 4 signatures (BenchmarkFastBreakEven): verify a key's
//     first few signatures with [Verify] or [PublicKey.Verify] and build the
//     table after that, as [VerifierCache] does.
//   - Shared by all verifiers, a radix-256 table of the base point B
//     (469 KiB), built once per process by the first
//     NewFastVerifier (about 2.2 ms).
//   - Verify does not allocate. Per signature it does about 51 + 32 mixed
//     additions of 7 field multiplications, 5 doublings, SHA-512 and one
//     variable-time inversion.
//
// A FastVerifier is immutable after construction: its table is read-only, so
// one FastVerifier may be used by any number of goroutines at once.
//
// The table is a cache derived from the public key. It must never be
// serialised (into pickles or anywhere else): store the 32-byte key and
// rebuild the table after loading.
type FastVerifier struct {
	pub   [PublicKeySize]byte
	base  *[fastBaseEntries]fastNiels
	table [fastKeyEntries]fastNiels // m·2^(fastW·fastS·j)·A at [j·fastKeyCols + m−1]
}

// NewFastVerifier validates the encoded public key pub and builds its table.
// It returns [ErrInvalidPublicKey] unless pub is 32 bytes canonically encoding
// a curve point (y < p, and not x = 0 with the sign bit set) that is not of
// small order, the keys that [NewPublicKey] accepts. Keys with a small torsion
// component besides a prime-order part are accepted, as crypto/ed25519
// accepts them.
func NewFastVerifier(pub []byte) (*FastVerifier, error) {
	// The byte-level checks (length, y < p, sign of x = 0, the 8
	// small-order encodings) leave only the on-curve check to SetBytes.
	if err := CheckPublicKeyBytes(pub); err != nil {
		return nil, err
	}
	var A edwards25519.Point
	if _, err := A.SetBytes(pub); err != nil {
		return nil, ErrInvalidPublicKey
	}
	v := &FastVerifier{base: fastBase()}
	copy(v.pub[:], pub)
	var prefix [fastKeyEntries]field.Element
	fastBuildComb(v.table[:], prefix[:], &A, fastW, fastS)
	return v, nil
}

// Bytes returns the encoded public key.
func (v *FastVerifier) Bytes() [PublicKeySize]byte { return v.pub }

// fastHashState is a pooled SHA-512 state. Inputs are copied through buf so
// that no caller slice reaches the hash.Hash interface, which would make
// Verify's arguments escape to the heap.
type fastHashState struct {
	h   hash.Hash
	sum [sha512.Size]byte
	buf [512]byte
}

var fastHashPool = sync.Pool{New: func() any { return &fastHashState{h: sha512.New()} }}

// fastChallenge sets out to the little-endian bytes of
// k = SHA-512(R ‖ A ‖ msg) mod L.
func fastChallenge(out *[32]byte, R, A *[32]byte, msg []byte) {
	st := fastHashPool.Get().(*fastHashState)
	st.h.Reset()
	copy(st.buf[:32], R[:])
	copy(st.buf[32:64], A[:])
	n := copy(st.buf[64:], msg)
	st.h.Write(st.buf[:64+n])
	msg = msg[n:]
	for len(msg) > 0 {
		n = copy(st.buf[:], msg)
		st.h.Write(st.buf[:n])
		msg = msg[n:]
	}
	st.h.Sum(st.sum[:0])
	var k edwards25519.Scalar
	if _, err := k.SetUniformBytes(st.sum[:]); err != nil {
		panic("ed25519x: internal error: " + err.Error()) // unreachable: 64 bytes
	}
	fastHashPool.Put(st)
	copy(out[:], k.Bytes())
}

// fastL is the group order L = 2^252 + 27742317777372353535851937790883648493
// as little-endian 64-bit words.
var fastL = [4]uint64{0x5812631a5cf5d3ed, 0x14def9dea2f79cd6, 0, 0x1000000000000000}

// fastBelowL reports whether the little-endian integer s is below L: whether
// s − L borrows.
func fastBelowL(s *[32]byte) bool {
	var b uint64
	_, b = bits.Sub64(binary.LittleEndian.Uint64(s[0:8]), fastL[0], b)
	_, b = bits.Sub64(binary.LittleEndian.Uint64(s[8:16]), fastL[1], b)
	_, b = bits.Sub64(binary.LittleEndian.Uint64(s[16:24]), fastL[2], b)
	_, b = bits.Sub64(binary.LittleEndian.Uint64(s[24:32]), fastL[3], b)
	return b == 1
}

// Verify reports whether sig is a valid strict Ed25519 signature of msg by
// v's key: len(sig) == 64, S < L, R not the encoding of a small-order point,
// and encode(S·B − k·A) == R with k = SHA-512(R ‖ A ‖ msg) mod L. It makes
// the same decision as [PublicKey.Verify] and does not allocate.
func (v *FastVerifier) Verify(msg, sig []byte) bool {
	// S < L. fastBelowL decides it first because SetCanonicalBytes allocates
	// its error; SetCanonicalBytes then checks again (it never fails here).
	if len(sig) != SignatureSize || !fastBelowL((*[32]byte)(sig[32:])) {
		return false
	}
	var S edwards25519.Scalar
	if _, err := S.SetCanonicalBytes(sig[32:]); err != nil {
		return false
	}
	R := (*[32]byte)(sig[:32])
	// The encoded result below is always canonical, so a non-canonical R
	// never matches it; the 8 canonical small-order encodings are refused.
	if isSmallOrderEncoding(R) {
		return false
	}

	var k [32]byte
	fastChallenge(&k, R, &v.pub, msg)
	var kd [fastKeyRows * fastS]int8
	fastRecode(kd[:], &k, fastW)
	var sd [fastBaseDigits]int8
	fastRecode(sd[:], (*[32]byte)(sig[32:]), fastBaseW)
	fastPrefetch(&v.table, v.base, &kd, &sd)

	// acc = S·B − k·A in one accumulator. k·A = Σ_t 2^(w·t) Σ_j d[s·j+t]·row_j
	// (row_j holding multiples of 2^(w·s·j)·A): one pass per t from the top,
	// fastW doublings between passes; the S·B additions go in the last pass.
	// The first entry is loaded rather than added to the identity.
	var acc fastExt
	loaded := false
	for t := fastS - 1; t >= 0; t-- {
		if t != fastS-1 && loaded {
			for i := 0; i < fastW; i++ {
				acc.double(i == fastW-1)
			}
		}
		for j := 0; j < fastKeyRows; j++ {
			d := kd[fastS*j+t]
			if d == 0 {
				continue
			}
			// Subtract d·row_j: negate when d > 0.
			neg, m := d > 0, int(d)
			if m < 0 {
				m = -m
			}
			e := &v.table[j*fastKeyCols+m-1]
			if loaded {
				acc.addNiels(e, neg)
			} else {
				acc.loadNiels(e, neg)
				loaded = true
			}
		}
	}
	for j := 0; j < fastBaseDigits; j++ {
		d := sd[j]
		if d == 0 {
			continue
		}
		neg, m := d < 0, int(d)
		if m < 0 {
			m = -m
		}
		e := &v.base[j*fastBaseCols+m-1]
		if loaded {
			acc.addNiels(e, neg)
		} else {
			acc.loadNiels(e, neg)
			loaded = true
		}
	}
	if !loaded {
		// S = k = 0: the result is the identity, which is of small order
		// and so can never equal an accepted R.
		return false
	}
	var enc [32]byte
	acc.encode(&enc)
	return enc == *R
}

// fastPrefetch loads one word from every cache line of every table entry the
// digits select, before the dependent chain of additions starts, so that the
// cache misses of a cold table overlap instead of stalling the chain one by
// one. An entry is 120 bytes, so the lines holding its bytes 0, 64 and 119
// are all the lines it spans. Go has no prefetch intrinsic; these are plain
// loads, kept by returning their XOR from a function that is not inlined.
//
// Measured (BenchmarkFastVerifyRoundRobin, 300-byte messages, medians of
// interleaved rounds): with the table cold (a random key out of 512) it cuts
// Verify from 28.0-31.5 µs to 20.5-22.8 µs; with the table hot the cost is
// within noise (17.5 vs 17.7 µs p10).
//
//go:noinline
func fastPrefetch(key *[fastKeyEntries]fastNiels, base *[fastBaseEntries]fastNiels,
	kd *[fastKeyRows * fastS]int8, sd *[fastBaseDigits]int8) uint64 {
	var x uint64
	touch := func(e *fastNiels) {
		w := (*[15]uint64)(unsafe.Pointer(e))
		x ^= w[0] ^ w[8] ^ w[14]
	}
	for i, d := range kd {
		if d != 0 {
			m := int(d)
			if m < 0 {
				m = -m
			}
			touch(&key[(i/fastS)*fastKeyCols+m-1])
		}
	}
	for j, d := range sd {
		if d != 0 {
			m := int(d)
			if m < 0 {
				m = -m
			}
			touch(&base[j*fastBaseCols+m-1])
		}
	}
	return x
}
