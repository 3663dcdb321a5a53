// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package olm_test

import (
	"errors"
	"testing"

	"github.com/newt-e2ee/newt/olm"
)

// TestPrepareInboundSession runs libolm's lower-level sequence (create
// without decrypting, decrypt, remove the key): the account is untouched
// until RemoveOneTimeKeys, several sessions can be prepared from one key,
// each decrypts the message, and the key is gone only after the removal,
// which then returns the key's ID and is idempotent in effect.
func TestPrepareInboundSession(t *testing.T) {
	alice, bob, as, first := setup(t)
	before := bob.Pickle(key)
	otk := bob.OneTimeKeys()[0]

	var sessions []*olm.Session
	for range 3 {
		s, err := bob.PrepareInboundSessionFrom(alice.IdentityKeys().Curve25519, first)
		if err != nil {
			t.Fatal(err)
		}
		if s.HasReceivedMessage() || s.ID() != as.ID() || s.CreatedUsingFallbackKey() {
			t.Fatalf("prepared session: received %v, ID %s (want %s)", s.HasReceivedMessage(), s.ID(), as.ID())
		}
		sessions = append(sessions, s)
	}
	if bob.Pickle(key) != before {
		t.Fatal("PrepareInboundSession changed the account")
	}
	for _, s := range sessions {
		decrypt(t, s, first, "first")
		if !s.HasReceivedMessage() {
			t.Error("no received message after Decrypt")
		}
	}
	if bob.Pickle(key) != before {
		t.Fatal("Decrypt changed the account")
	}
	id, err := bob.RemoveOneTimeKeys(sessions[0])
	if err != nil || id != otk.ID {
		t.Fatalf("RemoveOneTimeKeys = %v, %v; want %v", id, err, otk.ID)
	}
	if _, err := bob.RemoveOneTimeKeys(sessions[1]); !errors.Is(err, olm.ErrMissingOneTimeKey) {
		t.Fatalf("second RemoveOneTimeKeys = %v, want ErrMissingOneTimeKey", err)
	}
	if _, err := bob.PrepareInboundSession(first); !errors.Is(err, olm.ErrMissingOneTimeKey) {
		t.Fatalf("PrepareInboundSession after removal = %v", err)
	}
	// The sessions are real: Alice reads their replies.
	decrypt(t, as, encrypt(t, sessions[2], "reply"), "reply")

	other := olm.GenerateAccount()
	if _, err := bob.PrepareInboundSessionFrom(other.IdentityKeys().Curve25519, first); !errors.Is(err, olm.ErrIdentityKeyMismatch) {
		t.Errorf("wrong sender: %v", err)
	}
	if _, err := bob.PrepareInboundSession(nil); !errors.Is(err, olm.ErrBadMessageFormat) {
		t.Errorf("nil message: %v", err)
	}
}

// TestNewInboundSessionBase64 checks the string entry point against the
// struct one, and its errors for bad sender keys and bodies.
func TestNewInboundSessionBase64(t *testing.T) {
	alice, bob, as, first := setup(t)
	sender := alice.IdentityKeys().Curve25519.String()
	for _, bad := range [][2]string{
		{sender[:42], first.Base64()},
		{sender, first.Base64()[:20]},
		{olm.GenerateAccount().IdentityKeys().Curve25519.String(), first.Base64()},
	} {
		before := bob.Pickle(key)
		if s, pt, err := bob.NewInboundSessionBase64(bad[0], bad[1]); err == nil || s != nil || pt != nil {
			t.Errorf("NewInboundSessionBase64(%q, %q...) succeeded", bad[0], bad[1][:10])
		}
		if bob.Pickle(key) != before {
			t.Error("a failed NewInboundSessionBase64 changed the account")
		}
	}
	s, pt, err := bob.NewInboundSessionBase64(sender, first.Base64())
	if err != nil || string(pt) != "first" || s.ID() != as.ID() {
		t.Fatalf("NewInboundSessionBase64 = %v, %q, %v", s, pt, err)
	}
	if len(bob.OneTimeKeys()) != 2 {
		t.Errorf("%d one-time keys left, want 2", len(bob.OneTimeKeys()))
	}
}

// TestCreatedUsingFallbackKey checks the flag on sessions made from a
// one-time key, from the fallback key, and on outbound sessions.
func TestCreatedUsingFallbackKey(t *testing.T) {
	alice, bob := olm.GenerateAccount(), olm.GenerateAccount()
	fb := bob.GenerateFallbackKey()
	out, err := alice.NewOutboundSession(bob.IdentityKeys().Curve25519, fb.Key)
	if err != nil {
		t.Fatal(err)
	}
	m := encrypt(t, out, "to the fallback key").(*olm.PreKeyMessage)
	in, _, err := bob.NewInboundSession(m)
	if err != nil {
		t.Fatal(err)
	}
	if !in.CreatedUsingFallbackKey() || out.CreatedUsingFallbackKey() {
		t.Errorf("fallback: inbound %v, outbound %v", in.CreatedUsingFallbackKey(), out.CreatedUsingFallbackKey())
	}
	if p, err := bob.PrepareInboundSession(m); err != nil || !p.CreatedUsingFallbackKey() {
		t.Errorf("prepared from the fallback key: %v, %v", p, err)
	}
	_, bob2, _, first := setup(t)
	s, _, err := bob2.NewInboundSession(first)
	if err != nil || s.CreatedUsingFallbackKey() {
		t.Errorf("one-time key: %v, %v", s, err)
	}
	reloaded, err := olm.SessionFromPickle(in.Pickle(key), key)
	if err != nil || reloaded.CreatedUsingFallbackKey() {
		t.Errorf("the flag is not in libolm pickles, so a reloaded session reports false: %v, %v", reloaded, err)
	}
}
