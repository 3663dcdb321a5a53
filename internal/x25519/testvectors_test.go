// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package x25519_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/newt-e2ee/newt/internal/x25519"
	"github.com/newt-e2ee/newt/testvectors"
)

// TestVectors runs the X25519 answers that libolm generated
// (testvectors/primitives.json): raw unclamped private keys, peers with the
// top bit set, and low-order peers, where libolm returns zeros silently and
// DH must return ErrNonContributory.
func TestVectors(t *testing.T) {
	p := testvectors.Load[testvectors.Primitives](t, "primitives.json")
	for i, c := range p.X25519 {
		priv := x25519.PrivateKey(c.Private)
		if pub := x25519.PublicKey(&priv); !bytes.Equal(pub[:], c.Public) {
			t.Errorf("x25519[%d] (%s): public key %x", i, c.Comment, pub)
		}
		peer := [32]byte(c.PeerPublic)
		s, err := x25519.DH(&priv, &peer)
		switch c.Expect {
		case testvectors.ExpectNonContributory:
			if !errors.Is(err, x25519.ErrNonContributory) {
				t.Errorf("x25519[%d] (%s): err = %v, want ErrNonContributory", i, c.Comment, err)
			}
		case testvectors.ExpectSuccess:
			if err != nil || !bytes.Equal(s[:], c.Shared) {
				t.Errorf("x25519[%d] (%s): DH %x, %v", i, c.Comment, s, err)
			}
		default:
			t.Errorf("x25519[%d]: unexpected expect %q", i, c.Expect)
		}
	}
}
