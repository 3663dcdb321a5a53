// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package olm_test

import (
	"testing"

	"github.com/newt-e2ee/newt/olm"
)

func BenchmarkGenerateAccount(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		olm.GenerateAccount()
	}
}

func BenchmarkGenerateOneTimeKeys50(b *testing.B) {
	a := olm.GenerateAccount()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := a.GenerateOneTimeKeys(50); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNewOutboundSession(b *testing.B) {
	alice, bob := olm.GenerateAccount(), olm.GenerateAccount()
	bob.GenerateOneTimeKeys(1)
	ik, otk := bob.IdentityKeys().Curve25519, bob.OneTimeKeys()[0].Key
	b.ReportAllocs()
	for b.Loop() {
		if _, err := alice.NewOutboundSession(ik, otk); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNewInboundSession creates Bob's session from a pre-key message
// that uses his fallback key (which is not consumed), including the
// decryption of the first message.
func BenchmarkNewInboundSession(b *testing.B) {
	alice, bob := olm.GenerateAccount(), olm.GenerateAccount()
	fb := bob.GenerateFallbackKey()
	s, err := alice.NewOutboundSession(bob.IdentityKeys().Curve25519, fb.Key)
	if err != nil {
		b.Fatal(err)
	}
	m, err := s.Encrypt([]byte("a first message of a typical size for a to-device event, say a room key"))
	if err != nil {
		b.Fatal(err)
	}
	pre := m.(*olm.PreKeyMessage)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := bob.NewInboundSession(pre); err != nil {
			b.Fatal(err)
		}
	}
}

func connected(b *testing.B) (as, bs *olm.Session) {
	alice, bob := olm.GenerateAccount(), olm.GenerateAccount()
	bob.GenerateOneTimeKeys(1)
	as, err := alice.NewOutboundSession(bob.IdentityKeys().Curve25519, bob.OneTimeKeys()[0].Key)
	if err != nil {
		b.Fatal(err)
	}
	m, _ := as.Encrypt([]byte("hi"))
	bs, _, err = bob.NewInboundSession(m.(*olm.PreKeyMessage))
	if err != nil {
		b.Fatal(err)
	}
	r, _ := bs.Encrypt([]byte("hi"))
	if _, err := as.Decrypt(r); err != nil {
		b.Fatal(err)
	}
	return as, bs
}

var payload = make([]byte, 256)

// BenchmarkEncryptDecryptBurst: Alice sends, Bob receives, on the same
// chain (chain advance only, no DH).
func BenchmarkEncryptDecryptBurst(b *testing.B) { benchConversation(b, false) }

// BenchmarkEncryptDecryptAlternating: the sides take turns, so every
// message starts a new chain (a DH ratchet step on each side).
func BenchmarkEncryptDecryptAlternating(b *testing.B) { benchConversation(b, true) }

// benchConversation sends payload from one session to the other; if
// alternate, the two swap roles after every message.
func benchConversation(b *testing.B, alternate bool) {
	as, bs := connected(b)
	b.SetBytes(int64(len(payload)))
	b.ReportAllocs()
	for b.Loop() {
		m, err := as.Encrypt(payload)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := bs.Decrypt(m); err != nil {
			b.Fatal(err)
		}
		if alternate {
			as, bs = bs, as
		}
	}
}

func accountWith50(b *testing.B) *olm.Account {
	a := olm.GenerateAccount()
	if _, err := a.GenerateOneTimeKeys(50); err != nil {
		b.Fatal(err)
	}
	return a
}

func BenchmarkAccountPickle(b *testing.B) {
	a := accountWith50(b)
	b.ReportAllocs()
	for b.Loop() {
		a.Pickle(key)
	}
}

func BenchmarkAccountUnpickle(b *testing.B) {
	p := accountWith50(b).Pickle(key)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := olm.AccountFromPickle(p, key); err != nil {
			b.Fatal(err)
		}
	}
}
