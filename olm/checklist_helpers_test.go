// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package olm_test

// Fixtures of the checklist rows of package olm (checklist_test.go), built
// through the public API, and a session around a forged receiving chain.

import (
	"bytes"
	"testing"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/internal/pickle"
	"github.com/newt-e2ee/newt/olm"
	"github.com/newt-e2ee/newt/ratchet"
)

// olmConv is an established Olm conversation: Alice started it, Bob
// answered, Alice received the answer, so both send normal messages.
type olmConv struct {
	alice, bob *olm.Account
	a, b       *olm.Session
}

func newOlmConv(t testing.TB) *olmConv {
	t.Helper()
	c := &olmConv{alice: olm.GenerateAccount(), bob: olm.GenerateAccount()}
	if _, err := c.bob.GenerateOneTimeKeys(2); err != nil {
		t.Fatal(err)
	}
	otk := c.bob.OneTimeKeys()[0].Key
	c.bob.MarkKeysAsPublished()
	var err error
	c.a, err = c.alice.NewOutboundSession(c.bob.IdentityKeys().Curve25519, otk)
	if err != nil {
		t.Fatal(err)
	}
	m := encrypt(t, c.a, "hello Bob")
	var pt []byte
	c.b, pt, err = c.bob.NewInboundSession(m.(*olm.PreKeyMessage))
	if err != nil || string(pt) != "hello Bob" {
		t.Fatalf("NewInboundSession: %q, %v", pt, err)
	}
	c.send(t, c.b, c.a, []byte("hello Alice"))
	return c
}

// send encrypts pt with from and requires that to decrypts it.
func (c *olmConv) send(t testing.TB, from, to *olm.Session, pt []byte) {
	t.Helper()
	m := encrypt(t, from, string(pt))
	got, err := to.Decrypt(m)
	if err != nil || !bytes.Equal(got, pt) {
		t.Fatalf("honest message: %q, %v", got, err)
	}
}

// freshPreKey returns an account with one unpublished one-time key and the
// encoded pre-key message a new outbound session sends to it.
func freshPreKey(t testing.TB) (*olm.Account, []byte) {
	t.Helper()
	bob := olm.GenerateAccount()
	if _, err := bob.GenerateOneTimeKeys(1); err != nil {
		t.Fatal(err)
	}
	s, err := olm.GenerateAccount().NewOutboundSession(bob.IdentityKeys().Curve25519, bob.OneTimeKeys()[0].Key)
	if err != nil {
		t.Fatal(err)
	}
	return bob, encrypt(t, s, "pre-key").Bytes()
}

// forgedSession returns the pickle (under [newttest.PickleKey]) of a
// Bob-side session whose only receiver chain is f's, so that a test can
// give any message a valid MAC with f. The libolm session layout: version,
// received_message (true: the session sends normal messages), I_A, E_A and
// E_B (not used by Decrypt), then the ratchet.
func forgedSession(f *newttest.OlmForger) string {
	var w pickle.Writer
	w.U32(olm.SessionPickleVersion)
	w.Bool(true)
	for i := range 3 {
		w.Bytes(newttest.Seq(byte(i*32), 32))
	}
	r := ratchet.NewInbound(f.Secret, newt.Curve25519PublicKeyFromArray(f.RatchetPub))
	w.Buf = r.AppendLibolm(w.Buf)
	return newttest.SealPickle(newttest.PickleKey, w.Buf)
}

// pickleCases returns a pickle of each type of package olm, of an object
// with some state.
func pickleCases(t testing.TB) []newttest.PickleCase {
	t.Helper()
	c := newOlmConv(t)
	if _, err := c.alice.GenerateOneTimeKeys(3); err != nil {
		t.Fatal(err)
	}
	c.alice.GenerateFallbackKey()
	return []newttest.PickleCase{
		{Name: "account", Pickle: newttest.Snapshot(c.alice), Versions: []uint32{2, 3, 4},
			BadKey: olm.ErrBadPickleKey, Corrupted: olm.ErrCorruptedPickle, UnknownVersion: olm.ErrUnknownPickleVersion,
			Legacy: olm.ErrLegacyAccountPickle, LegacyVersion: 1,
			Load: func(p string, key []byte) error {
				a, err := olm.AccountFromPickle(p, key)
				return newttest.NilIfOK(a, err)
			}},
		{Name: "session", Pickle: newttest.Snapshot(c.a), Versions: []uint32{1, 0x80000001},
			BadKey: olm.ErrBadPickleKey, Corrupted: olm.ErrCorruptedPickle, UnknownVersion: olm.ErrUnknownPickleVersion,
			Load: func(p string, key []byte) error {
				s, err := olm.SessionFromPickle(p, key)
				return newttest.NilIfOK(s, err)
			}},
	}
}
