// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package megolm

// Reviewer's note: the goals of this file are correctness, readability and
// reviewability, in that order. Names and layout follow the Megolm spec ("The
// Megolm ratchet algorithm") and libolm's src/megolm.c so the code can be
// reviewed side by side. R_i,j is written r.part(j) at counter i.
//
// This is Megolm's hash ratchet. It has nothing in common with package
// ratchet, which is Olm's double ratchet (Diffie-Hellman steps, chains and
// skipped keys); the two only share the word.

import (
	"crypto/subtle"

	"github.com/newt-e2ee/newt/internal/aessha2"
)

const (
	// ratchetParts is the number of parts R_i,0 … R_i,3 of the ratchet.
	ratchetParts = 4
	// ratchetPartSize is the size of one part R_i,j (an HMAC-SHA-256 output).
	ratchetPartSize = 32
	// partBits is the number of counter bits that belong to one part: R_i,j
	// changes when the counter bits above 8·(3−j) change.
	partBits = 8
	// partSteps is the number of values of one part's counter byte.
	partSteps = 1 << partBits
	// maxAdvanceHashes bounds the HMAC computations of one advanceTo:
	// 4·255 rehashes plus 3 derivations of lower parts.
	maxAdvanceHashes = ratchetParts*(partSteps-1) + ratchetParts - 1
)

// ratchetSeeds holds the HMAC messages H_0 … H_3 of the spec: the single
// bytes 0x00, 0x01, 0x02 and 0x03. R_i,j is rehashed as HMAC(key, seed j).
// It is a package array so that slicing it never allocates.
var ratchetSeeds = [ratchetParts]byte{0x00, 0x01, 0x02, 0x03}

// hashRatchet is the Megolm ratchet R_i: the four 32-byte parts R_i,0 …
// R_i,3 stored back to back (exactly libolm's 128-byte layout, which is also
// the HKDF input for the message keys) and the counter i.
//
// The zero value is the ratchet with all-zero parts at counter 0. A
// hashRatchet is a plain value: copying it copies the secret state.
type hashRatchet struct {
	data    [RatchetSize]byte
	counter uint32
}

// part returns R_i,j as an array pointer into r.data.
func (r *hashRatchet) part(j int) *[ratchetPartSize]byte {
	return (*[ratchetPartSize]byte)(r.data[j*ratchetPartSize : (j+1)*ratchetPartSize])
}

// rehash sets R_i,dst := HMAC(R_i,src, seed dst). dst may equal src: the
// result goes through a temporary, so the key is never overwritten while it
// is in use.
func (r *hashRatchet) rehash(src, dst int) {
	var tmp [ratchetPartSize]byte
	aessha2.HMAC(&tmp, r.part(src)[:], ratchetSeeds[dst:dst+1])
	*r.part(dst) = tmp
	clear(tmp[:])
}

// advance implements one step of the ratchet (libolm src/megolm.c,
// megolm_advance): i := i+1 (wrapping at 2³²), then with h the most
// significant part whose counter byte changed, R_i,k := HMAC(R_i−1,h, k) for
// k = 3, 2, …, h. The order is descending so that R_h, the key of every HMAC,
// is overwritten last. It costs 4−h HMAC computations.
func (r *hashRatchet) advance() {
	r.counter++
	h := ratchetParts - 1
	for j := 0; j < ratchetParts-1; j++ {
		shift := uint(partBits * (ratchetParts - 1 - j))
		if r.counter&(1<<shift-1) == 0 {
			h = j
			break
		}
	}
	for k := ratchetParts - 1; k >= h; k-- {
		r.rehash(h, k)
	}
}

// advanceTo moves the ratchet forward to counter target and returns the
// number of HMAC computations it made. The result is the same as calling
// advance until the counter equals target, wrapping through 2³² when target
// is below the current counter (libolm src/megolm.c, megolm_advance_to);
// advanceTo to the current counter does nothing.
//
// For each part j = 0…3 whose counter byte changes by steps_j, R_j is
// rehashed steps_j − 1 times to V_j, the lower parts are derived from V_j
// (R_k := HMAC(V_j, k), k > j) and R_j := HMAC(V_j, j) is the last step, as
// in advance. libolm derives all lower parts at every moving part; most of
// those values are overwritten when a lower part moves too, so advanceTo
// derives a part only once, from the V of the last part above it that moved.
// The output is identical. The cost is steps_0 + … + steps_3 + (3 − j₀)
// HMACs, with j₀ the first moving part and steps_j ≤ 255, except that j₀
// takes 256 steps when it must turn fully (a wrap back to the same top byte,
// which leaves at most 255+255+254 steps below it). So any jump, wrapping or
// not, costs at most [maxAdvanceHashes] = 1023 HMACs (0x01000000 to
// 0x00FFFFFF is one such jump); libolm's algorithm needs up to 1026. The
// Megolm spec's "at most 1020" counts only the 4·255 rehashes: the three
// derivations are unavoidable, since R_i,j+1 is keyed by R_i,j.
func (r *hashRatchet) advanceTo(target uint32) (hashes int) {
	// v is V_from: the value of part from before its last rehash, from which
	// the parts below it have not been derived yet (from = -1: none moved).
	var v [ratchetPartSize]byte
	from := -1
	for j := 0; j < ratchetParts; j++ {
		shift := uint(partBits * (ratchetParts - 1 - j))
		steps := int((target>>shift - r.counter>>shift) & (partSteps - 1))
		if steps == 0 {
			if target >= r.counter {
				continue // this part keeps its value
			}
			// The counter byte is equal but the target lies behind us:
			// only a full turn of this part (through 2³²) gets there.
			// This can happen only for the first moving part.
			steps = partSteps
		}
		// Parts from+1 … j take their value from V_from; part j then moves on.
		for k := from + 1; from >= 0 && k <= j; k++ {
			derive(r.part(k), &v, k)
			hashes++
		}
		for ; steps > 1; steps-- {
			r.rehash(j, j)
			hashes++
		}
		v = *r.part(j)
		derive(r.part(j), &v, j)
		hashes++
		from = j
		r.counter = target &^ (1<<shift - 1)
	}
	for k := from + 1; from >= 0 && k < ratchetParts; k++ {
		derive(r.part(k), &v, k)
		hashes++
	}
	clear(v[:])
	return hashes
}

// derive sets dst := HMAC(key, seed k). dst must not alias key.
func derive(dst, key *[ratchetPartSize]byte, k int) {
	aessha2.HMAC(dst, key[:], ratchetSeeds[k:k+1])
}

// keys derives the message keys for counter i: HKDF(R_i,0‖R_i,1‖R_i,2‖R_i,3,
// zero salt, "MEGOLM_KEYS", 80) split into AES key, MAC key and IV (libolm
// src/megolm.c, megolm_cipher; src/cipher.cpp, derive_keys).
func (r *hashRatchet) keys(k *aessha2.Keys) {
	aessha2.DeriveKeys(k, r.data[:], aessha2.InfoMegolmKeys)
}

// equal reports whether r and o are the same ratchet at the same counter.
// It short-circuits on the counter, which is public, and compares the parts
// in constant time.
func (r *hashRatchet) equal(o *hashRatchet) bool {
	if r.counter != o.counter {
		return false
	}
	return subtle.ConstantTimeCompare(r.data[:], o.data[:]) == 1
}

// clear overwrites the ratchet with zeros (best effort).
func (r *hashRatchet) clear() {
	clear(r.data[:])
	r.counter = 0
}

// isAhead reports whether index lies within the 2³¹ values at or after base
// in u32 arithmetic: the wrap-aware "index ≥ base" of libolm's _get_megolm
// (src/inbound_group_session.c).
func isAhead(index, base uint32) bool {
	return index-base < 1<<31
}
