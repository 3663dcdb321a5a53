// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package ed25519x_test

import (
	"bytes"
	"testing"

	"github.com/newt-e2ee/newt/internal/ed25519x"
	"github.com/newt-e2ee/newt/testvectors"
)

// TestVectors runs the Ed25519 answers that libolm generated
// (testvectors/primitives.json): key expansion from the seed, signing with
// the expanded key (as loaded from a pickle) and strict verification.
func TestVectors(t *testing.T) {
	p := testvectors.Load[testvectors.Primitives](t, "primitives.json")
	for i, c := range p.Ed25519 {
		seed := [32]byte(c.Seed)
		k := ed25519x.NewKeyFromSeed(&seed)
		pub, exp := k.Public(), k.Expanded()
		if !bytes.Equal(pub[:], c.Public) || !bytes.Equal(exp[:], c.Expanded) {
			t.Errorf("ed25519[%d] (%s): key expansion differs", i, c.Comment)
		}
		if sig := k.Sign(c.Message); !bytes.Equal(sig[:], c.Signature) {
			t.Errorf("ed25519[%d] (%s): signature from seed differs", i, c.Comment)
		}
		k2 := ed25519x.NewKeyFromExpanded((*[32]byte)(c.Public), (*[64]byte)(c.Expanded))
		if sig := k2.Sign(c.Message); !bytes.Equal(sig[:], c.Signature) {
			t.Errorf("ed25519[%d] (%s): signature from expanded key differs", i, c.Comment)
		}
		if !ed25519x.Verify(c.Public, c.Message, c.Signature) {
			t.Errorf("ed25519[%d] (%s): Verify rejects libolm's signature", i, c.Comment)
		}
		pk, err := ed25519x.NewPublicKey(c.Public)
		if err != nil || !pk.Verify(c.Message, c.Signature) {
			t.Errorf("ed25519[%d] (%s): PublicKey.Verify rejects libolm's signature (%v)", i, c.Comment, err)
		}
		bad := bytes.Clone(c.Signature)
		bad[0] ^= 1
		if ed25519x.Verify(c.Public, c.Message, bad) {
			t.Errorf("ed25519[%d]: Verify accepts a corrupted signature", i)
		}
	}
}
