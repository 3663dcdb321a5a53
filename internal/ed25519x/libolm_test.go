// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

//go:build libolm

package ed25519x_test

import (
	"math/rand/v2"
	"testing"

	"github.com/newt-e2ee/newt/internal/ed25519x"
	"github.com/newt-e2ee/newt/internal/libolm"
	"github.com/newt-e2ee/newt/internal/newttest"
)

// TestLibolmSign compares key generation and signing with libolm's
// orlp/ed25519, including expanded keys that libolm never generates itself
// (arbitrary sk64, e.g. from a crafted pickle) and mismatched public keys.
func TestLibolmSign(t *testing.T) {
	r := rand.New(rand.NewChaCha8([32]byte{30}))
	for i := range 200 {
		var seed [32]byte
		copy(seed[:], newttest.RandFrom(r, len(seed[:])))
		msg := make([]byte, r.IntN(400))
		copy(msg, newttest.RandFrom(r, len(msg)))

		pub, sk := libolm.Ed25519KeyFromSeed(seed)
		k := ed25519x.NewKeyFromSeed(&seed)
		if k.Public() != pub || k.Expanded() != sk {
			t.Fatalf("case %d: key differs from libolm", i)
		}
		if got, want := k.Sign(msg), libolm.Ed25519Sign(pub, sk, msg); got != want {
			t.Fatalf("case %d: signature differs from libolm", i)
		}
		// Arbitrary expanded key and public key bytes.
		var rawSK [64]byte
		var rawPub [32]byte
		copy(rawSK[:], newttest.RandFrom(r, len(rawSK[:])))
		copy(rawPub[:], newttest.RandFrom(r, len(rawPub[:])))
		k2 := ed25519x.NewKeyFromExpanded(&rawPub, &rawSK)
		if got, want := k2.Sign(msg), libolm.Ed25519Sign(rawPub, rawSK, msg); got != want {
			t.Fatalf("case %d: raw expanded-key signature differs from libolm", i)
		}
	}
}

// TestLibolmVerify: every signature libolm makes verifies here; S+L, which
// libolm accepts (CVE-2024-45193), is rejected here.
func TestLibolmVerify(t *testing.T) {
	r := rand.New(rand.NewChaCha8([32]byte{31}))
	L := [32]byte{0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 31: 0x10}
	for i := range 100 {
		var seed [32]byte
		copy(seed[:], newttest.RandFrom(r, len(seed[:])))
		msg := make([]byte, r.IntN(300))
		copy(msg, newttest.RandFrom(r, len(msg)))
		pub, sk := libolm.Ed25519KeyFromSeed(seed)
		sig := libolm.Ed25519Sign(pub, sk, msg)
		if !ed25519x.Verify(pub[:], msg, sig[:]) {
			t.Fatalf("case %d: libolm signature rejected", i)
		}
		bad := sig
		carry := 0
		for j := range 32 {
			v := int(bad[32+j]) + int(L[j]) + carry
			bad[32+j] = byte(v)
			carry = v >> 8
		}
		if bad[63]&0xe0 != 0 {
			continue // libolm rejects these too
		}
		if !libolm.Ed25519VerifyRaw(pub, msg, bad) {
			t.Fatalf("case %d: libolm rejected S+L (its verification does not check S < L)", i)
		}
		if ed25519x.Verify(pub[:], msg, bad[:]) {
			t.Fatalf("case %d: S+L accepted", i)
		}
	}
}
