// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package megolm

import (
	"testing"

	"github.com/newt-e2ee/newt/internal/ed25519x"
)

// TestUnpickledHotSessionSkipsKeyDecoding: when the signing key already has
// a verification table (a busy session), a session unpickled again decrypts
// with the table and never decodes its key; one without a table decodes it
// at its first decryption.
func TestUnpickledHotSessionSkipsKeyDecoding(t *testing.T) {
	old := verifierCache
	verifierCache = ed25519x.NewVerifierCache(1 << 20)
	t.Cleanup(func() { verifierCache = old })
	key := []byte("pickle key")

	out := GenerateGroupSession()
	in, err := NewInboundGroupSession(out.SessionKey())
	if err != nil {
		t.Fatal(err)
	}
	p := in.Pickle(key)

	cold, err := InboundGroupSessionFromPickle(p, key)
	if err != nil {
		t.Fatal(err)
	}
	if cold.signingKey.Load() != nil {
		t.Fatal("key decoded at load")
	}
	if _, _, err := cold.Decrypt(out.Encrypt(nil)); err != nil {
		t.Fatal(err)
	}
	if cold.signingKey.Load() == nil {
		t.Fatal("key not decoded by the first decryption without a table")
	}

	for range ed25519x.DefaultBuildAfter + 1 { // build the table
		if _, _, err := in.Decrypt(out.Encrypt(nil)); err != nil {
			t.Fatal(err)
		}
	}
	hot, err := InboundGroupSessionFromPickle(p, key)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := hot.Decrypt(out.Encrypt(nil)); err != nil {
		t.Fatal(err)
	}
	if hot.signingKey.Load() != nil {
		t.Fatal("key decoded although the cache has its table")
	}
}
