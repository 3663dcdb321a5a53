// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package backend_test

import (
	"sort"
	"testing"

	molm "maunium.net/go/mautrix/crypto/olm"
	"maunium.net/go/mautrix/id"
)

func idCurve(s string) id.Curve25519 { return id.Curve25519(s) }

// oneTimeKey generates n one-time keys on a, publishes them and returns the
// one with the smallest key ID.
func oneTimeKey(t *testing.T, a molm.Account, n uint) id.Curve25519 {
	t.Helper()
	if err := a.GenOneTimeKeys(n); err != nil {
		t.Fatal(err)
	}
	keys, err := a.OneTimeKeys()
	if err != nil || len(keys) == 0 {
		t.Fatalf("OneTimeKeys: %d keys, %v", len(keys), err)
	}
	ids := make([]string, 0, len(keys))
	for k := range keys {
		ids = append(ids, k)
	}
	sort.Strings(ids)
	a.MarkKeysAsPublished()
	return keys[ids[0]]
}

func identityKey(t *testing.T, a molm.Account) id.Curve25519 {
	t.Helper()
	_, ik, err := a.IdentityKeys()
	if err != nil {
		t.Fatal(err)
	}
	return ik
}

// olmPair returns a session from a (outbound) to b, the first message's
// type and body, and b's session from it, created, decrypted and its
// one-time key removed the way mautrix does it (crypto/decryptolm.go).
func olmPair(t *testing.T, a, b molm.Account) (out, in molm.Session) {
	t.Helper()
	out, err := a.NewOutboundSession(identityKey(t, b), oneTimeKey(t, b, 2))
	if err != nil {
		t.Fatal(err)
	}
	typ, body, err := out.Encrypt([]byte("first"))
	if err != nil || typ != id.OlmMsgTypePreKey {
		t.Fatalf("first Encrypt: type %d, %v", typ, err)
	}
	ik := identityKey(t, a)
	in, err = b.NewInboundSessionFrom(&ik, string(body))
	if err != nil {
		t.Fatal(err)
	}
	pt, err := in.Decrypt(string(body), typ)
	if err != nil || string(pt) != "first" {
		t.Fatalf("first Decrypt = %q, %v", pt, err)
	}
	if err := b.RemoveOneTimeKeys(in); err != nil {
		t.Fatal(err)
	}
	return out, in
}

// send encrypts plaintext with from and decrypts it with to.
func send(t *testing.T, from, to molm.Session, plaintext string) {
	t.Helper()
	typ, body, err := from.Encrypt([]byte(plaintext))
	if err != nil {
		t.Fatal(err)
	}
	pt, err := to.Decrypt(string(body), typ)
	if err != nil || string(pt) != plaintext {
		t.Fatalf("Decrypt = %q, %v; want %q", pt, err, plaintext)
	}
}
