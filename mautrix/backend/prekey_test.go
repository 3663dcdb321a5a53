// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package backend_test

import (
	"bytes"
	"errors"
	"testing"

	"maunium.net/go/mautrix/crypto/goolm/account"
	molm "maunium.net/go/mautrix/crypto/olm"
	"maunium.net/go/mautrix/id"

	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/mautrix/backend"
	"github.com/newt-e2ee/newt/olm"
)

// TestPreKeyFlowAsMautrix receives a pre-key message on newt's backend in the
// order of crypto/decryptolm.go (tryDecryptOlmCiphertext): pickle the account
// as a backup, create the session from the message (which must neither
// decrypt it nor change the account), describe it, decrypt the message,
// remove the one-time key, and save the account. goolm then reads that pickle
// (as the crypto store would after switching back), and, as mautrix's
// goolmRetryHack does, the backup pickle. The sender is each implementation.
func TestPreKeyFlowAsMautrix(t *testing.T) {
	for _, sender := range append([]impl{newtImpl}, peers...) {
		t.Run("from="+sender.name, func(t *testing.T) {
			alice, err := sender.newAccount()
			if err != nil {
				t.Fatal(err)
			}
			bob := backend.GenerateAccount()
			otk := oneTimeKey(t, bob, 5)
			out, err := alice.NewOutboundSession(identityKey(t, bob), otk)
			if err != nil {
				t.Fatal(err)
			}
			typ, body, err := out.Encrypt([]byte(`{"type":"m.room_key"}`))
			if err != nil || typ != id.OlmMsgTypePreKey {
				t.Fatalf("Encrypt: type %d, %v", typ, err)
			}
			senderKey := identityKey(t, alice)

			backup, err := bob.Pickle([]byte("tmp"))
			if err != nil {
				t.Fatal(err)
			}
			before := newttest.MustPickle(t, bob, testKey)
			sess, err := bob.NewInboundSessionFrom(&senderKey, string(body))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(newttest.MustPickle(t, bob, testKey), before) {
				t.Fatal("creating the inbound session changed the account")
			}
			if sess.Describe() == "" || sess.HasReceivedMessage() {
				t.Fatalf("new session: %q, received %v", sess.Describe(), sess.HasReceivedMessage())
			}
			if ok, err := sess.MatchesInboundSessionFrom(string(senderKey), string(body)); !ok || err != nil {
				t.Fatalf("MatchesInboundSessionFrom = %v, %v", ok, err)
			}
			pt, err := sess.Decrypt(string(body), typ)
			if err != nil || string(pt) != `{"type":"m.room_key"}` {
				t.Fatalf("Decrypt = %q, %v", pt, err)
			}
			if err := bob.RemoveOneTimeKeys(sess); err != nil {
				t.Fatal(err)
			}
			saved := newttest.MustPickle(t, bob, testKey)

			// goolm reads the saved account: same identity, the used key gone,
			// the same bytes when it pickles it again.
			g, err := account.AccountFromPickled(bytes.Clone(saved), testKey)
			if err != nil {
				t.Fatal(err)
			}
			ed, curve, _ := bob.IdentityKeys()
			ged, gcurve, _ := g.IdentityKeys()
			if ed != ged || curve != gcurve {
				t.Fatal("goolm reads other identity keys")
			}
			if len(g.OTKeys) != 4 {
				t.Fatalf("goolm reads %d one-time keys, want 4", len(g.OTKeys))
			}
			for _, k := range g.OTKeys {
				if k.Key.PublicKey.B64Encoded() == otk {
					t.Fatal("the used one-time key is still in the account goolm reads")
				}
			}
			if again, err := g.Pickle(testKey); err != nil || !bytes.Equal(again, saved) {
				t.Fatalf("goolm re-pickles other bytes (%v)", err)
			}

			// The backup, taken before the key was removed, still starts the
			// session in goolm (mautrix's goolmRetryHack).
			gb, err := account.AccountFromPickled(backup, []byte("tmp"))
			if err != nil {
				t.Fatal(err)
			}
			gs, err := gb.NewInboundSessionFrom(&senderKey, string(body))
			if err != nil {
				t.Fatal(err)
			}
			if pt, err := gs.Decrypt(string(body), typ); err != nil || string(pt) != `{"type":"m.room_key"}` {
				t.Fatalf("goolm Decrypt = %q, %v", pt, err)
			}

			// The key is gone: removing it again is no error, a new session
			// from the same message is BAD_MESSAGE_KEY_ID.
			if err := bob.RemoveOneTimeKeys(sess); err != nil {
				t.Fatalf("second RemoveOneTimeKeys: %v", err)
			}
			_, err = bob.NewInboundSessionFrom(&senderKey, string(body))
			if !errors.Is(err, molm.ErrBadMessageKeyID) || !errors.Is(err, olm.ErrMissingOneTimeKey) {
				t.Fatalf("session from a removed key: %v", err)
			}

			// The reply is a normal message the sender decrypts.
			send(t, sess, out, "reply")
		})
	}
}

// TestManySessionsFromOneKey prepares several sessions from one one-time key
// before any is removed, as several devices (or retries) can, and checks that
// each decrypts and that removing the key for each of them succeeds.
func TestManySessionsFromOneKey(t *testing.T) {
	bob := backend.GenerateAccount()
	otk := oneTimeKey(t, bob, 1)
	type pending struct {
		out       molm.Session
		senderKey id.Curve25519
		body      string
	}
	var msgs []pending
	for i := range 10 {
		alice, err := append([]impl{newtImpl}, peers...)[i%(1+len(peers))].newAccount()
		if err != nil {
			t.Fatal(err)
		}
		out, err := alice.NewOutboundSession(identityKey(t, bob), otk)
		if err != nil {
			t.Fatal(err)
		}
		_, body, err := out.Encrypt([]byte("hello"))
		if err != nil {
			t.Fatal(err)
		}
		msgs = append(msgs, pending{out, identityKey(t, alice), string(body)})
	}
	var sessions []molm.Session
	for _, m := range msgs {
		s, err := bob.NewInboundSessionFrom(&m.senderKey, m.body)
		if err != nil {
			t.Fatal(err)
		}
		sessions = append(sessions, s)
	}
	for i, s := range sessions {
		if pt, err := s.Decrypt(msgs[i].body, id.OlmMsgTypePreKey); err != nil || string(pt) != "hello" {
			t.Fatalf("session %d: %q, %v", i, pt, err)
		}
		if err := bob.RemoveOneTimeKeys(s); err != nil {
			t.Fatalf("RemoveOneTimeKeys %d: %v", i, err)
		}
	}
	// The key is gone: a new session with it fails.
	alice := backend.GenerateAccount()
	out, err := alice.NewOutboundSession(identityKey(t, bob), otk)
	if err != nil {
		t.Fatal(err)
	}
	_, body, _ := out.Encrypt([]byte("late"))
	if _, err := bob.NewInboundSession(string(body)); !errors.Is(err, molm.ErrBadMessageKeyID) {
		t.Fatalf("session from the removed key: %v", err)
	}
}

// TestRemoveOneTimeKeysForeign gives RemoveOneTimeKeys sessions it cannot
// use, a goolm session and nil, and checks that it fails with
// ErrForeignSession, without panicking or changing the account.
func TestRemoveOneTimeKeysForeign(t *testing.T) {
	bob := backend.GenerateAccount()
	otk := oneTimeKey(t, bob, 3)
	before := newttest.MustPickle(t, bob, testKey)

	alice, err := account.NewAccount()
	if err != nil {
		t.Fatal(err)
	}
	foreign, err := alice.NewOutboundSession(identityKey(t, bob), otk)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []molm.Session{foreign, nil, (*backend.Session)(nil)} {
		if err := bob.RemoveOneTimeKeys(s); !errors.Is(err, backend.ErrForeignSession) {
			t.Errorf("RemoveOneTimeKeys(%T) = %v", s, err)
		}
	}
	if !bytes.Equal(newttest.MustPickle(t, bob, testKey), before) {
		t.Fatal("the account changed")
	}
}
