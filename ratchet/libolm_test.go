// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

//go:build libolm

package ratchet

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/newt-e2ee/newt/internal/libolm"
	"github.com/newt-e2ee/newt/internal/x25519"
)

// TestDerivationsMatchLibolm checks every derivation of the ratchet against
// libolm's own primitives (_olm_crypto_hkdf_sha256, _olm_crypto_hmac_sha256,
// _olm_crypto_curve25519_shared_secret) on random inputs.
func TestDerivationsMatchLibolm(t *testing.T) {
	rng := rand.New(rand.NewChaCha8([32]byte{'r', 'a', 't', 'c', 'h', 'e', 't'}))
	random := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		return b
	}
	for range 200 {
		secret := random(96)
		var root [32]byte
		var c chainKey
		deriveRoot(&root, &c, secret)
		want := libolm.HKDF(secret, nil, []byte(infoRoot), 64)
		if !bytes.Equal(root[:], want[:32]) || !bytes.Equal(c.key[:], want[32:]) {
			t.Fatal("R0 ‖ C0,0 differs from libolm")
		}

		var m [32]byte
		c.messageKey(&m)
		if m != libolm.HMACSHA256(c.key[:], []byte{seedMessageKey}) {
			t.Fatal("message key differs from libolm")
		}
		next := libolm.HMACSHA256(c.key[:], []byte{seedChainKey})
		c.advance()
		if c.key != next || c.index != 1 {
			t.Fatal("chain advance differs from libolm")
		}

		var ours x25519.PrivateKey
		copy(ours[:], random(32))
		theirs := libolm.Curve25519PublicKey([32]byte(random(32)))
		var newRoot [32]byte
		var nc chainKey
		if err := advanceRoot(&newRoot, &nc, &root, &ours, &theirs); err != nil {
			t.Fatal(err)
		}
		shared := libolm.Curve25519SharedSecret(ours, theirs)
		want = libolm.HKDF(shared[:], root[:], []byte(infoRatchet), 64)
		if !bytes.Equal(newRoot[:], want[:32]) || !bytes.Equal(nc.key[:], want[32:]) {
			t.Fatal("R_i ‖ C_i,0 differs from libolm")
		}
	}
}

// TestLowOrderDivergence documents the one deliberate difference: libolm
// keys a chain with the all-zero DH output of a low-order ratchet key, newt
// refuses it.
func TestLowOrderDivergence(t *testing.T) {
	var ours x25519.PrivateKey
	ours[0] = 1
	var zero [32]byte
	if got := libolm.Curve25519SharedSecret(ours, zero); got != zero {
		t.Fatalf("libolm DH with the zero point = %x", got)
	}
	var root, newRoot [32]byte
	var c chainKey
	if err := advanceRoot(&newRoot, &c, &root, &ours, &zero); err != ErrNonContributory {
		t.Fatalf("advanceRoot with the zero point: %v", err)
	}
}
