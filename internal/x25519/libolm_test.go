// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

//go:build libolm

package x25519_test

import (
	"errors"
	mrand "math/rand/v2"
	"testing"

	"github.com/newt-e2ee/newt/internal/libolm"
	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/internal/x25519"
)

// TestLibolm compares with libolm's curve25519-donna on random raw
// (unclamped) private keys and random peer keys, top bit included.
func TestLibolm(t *testing.T) {
	r := mrand.New(mrand.NewChaCha8([32]byte{20}))
	for i := range 300 {
		var priv x25519.PrivateKey
		var u [32]byte
		copy(priv[:], newttest.RandFrom(r, len(priv[:])))
		copy(u[:], newttest.RandFrom(r, len(u[:])))
		if got, want := x25519.PublicKey(&priv), libolm.Curve25519PublicKey(priv); got != want {
			t.Fatalf("case %d: public key %x, libolm %x", i, got, want)
		}
		got, err := x25519.DH(&priv, &u)
		if want := libolm.Curve25519SharedSecret(priv, u); err != nil || got != want {
			t.Fatalf("case %d: DH %x (%v), libolm %x", i, got, err, want)
		}
	}
}

// TestLibolmLowOrder documents the deliberate difference: libolm silently
// returns the all-zero secret for low-order peers; DH returns the same
// bytes with ErrNonContributory.
func TestLibolmLowOrder(t *testing.T) {
	priv, _ := x25519.GenerateKey()
	for _, u := range newttest.LowOrderCurve25519(t) {
		want := libolm.Curve25519SharedSecret(priv, u)
		got, err := x25519.DH(&priv, &u)
		if want != ([32]byte{}) || got != want || !errors.Is(err, x25519.ErrNonContributory) {
			t.Errorf("u=%x: libolm %x; ours %x, %v", u, want, got, err)
		}
	}
}
