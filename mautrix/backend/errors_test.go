// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package backend_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	molm "maunium.net/go/mautrix/crypto/olm"
	"maunium.net/go/mautrix/id"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/mautrix/backend"
	"github.com/newt-e2ee/newt/megolm"
	"github.com/newt-e2ee/newt/olm"
)

// TestUnknownMessageIndex decrypts and exports before the first known index
// of a session imported at index 3: the error must match crypto/olm's
// ErrUnknownMessageIndex (which mautrix's decryptmegolm.go tests with
// errors.Is) and still carry newt's *megolm.UnknownMessageIndexError. The
// peers are checked on the same call for comparison.
func TestUnknownMessageIndex(t *testing.T) {
	out := backend.GenerateOutboundGroupSession()
	var msgs [][]byte
	for range 5 {
		m, err := out.Encrypt([]byte("message"))
		if err != nil {
			t.Fatal(err)
		}
		msgs = append(msgs, m)
	}
	full, err := backend.NewInboundGroupSession([]byte(out.Key()))
	if err == nil {
		// The key is taken after the messages: index 5.
		_, _, err = full.Decrypt(msgs[4])
	}
	if !errors.Is(err, molm.ErrUnknownMessageIndex) {
		t.Fatalf("session key at index 5, message 4: %v", err)
	}

	for _, im := range append([]impl{newtImpl}, peers...) {
		t.Run("impl="+im.name, func(t *testing.T) {
			o, err := im.newOutbound()
			if err != nil {
				t.Fatal(err)
			}
			key := []byte(o.Key())
			var msgs [][]byte
			for range 5 {
				m, err := o.Encrypt([]byte("message"))
				if err != nil {
					t.Fatal(err)
				}
				msgs = append(msgs, m)
			}
			in, err := im.newInbound(key)
			if err != nil {
				t.Fatal(err)
			}
			exported, err := in.Export(3)
			if err != nil {
				t.Fatal(err)
			}
			late, err := im.importInbound(exported)
			if err != nil {
				t.Fatal(err)
			}
			if late.FirstKnownIndex() != 3 {
				t.Fatalf("FirstKnownIndex = %d", late.FirstKnownIndex())
			}
			before := newttest.MustPickle(t, late, testKey)
			pt, index, err := late.Decrypt(msgs[1])
			if !errors.Is(err, molm.ErrUnknownMessageIndex) || pt != nil || index != 0 {
				t.Fatalf("Decrypt(index 1) = %q, %d, %v", pt, index, err)
			}
			checkNewtUnknownIndex(t, im, err, 3, 1)
			exp, err := late.Export(2)
			if !errors.Is(err, molm.ErrUnknownMessageIndex) || exp != nil {
				t.Fatalf("Export(2) = %q, %v", exp, err)
			}
			checkNewtUnknownIndex(t, im, err, 3, 2)
			if !bytes.Equal(newttest.MustPickle(t, late, testKey), before) {
				t.Fatal("the failed Decrypt or Export changed the session")
			}
			if pt, index, err := late.Decrypt(msgs[3]); err != nil || string(pt) != "message" || index != 3 {
				t.Fatalf("Decrypt(index 3) = %q, %d, %v", pt, index, err)
			}
		})
	}
}

// checkNewtUnknownIndex checks, for newt's backend only, that err also
// matches newt's sentinel and type and prints newt's message.
func checkNewtUnknownIndex(t *testing.T, im impl, err error, first, got uint32) {
	t.Helper()
	if im.name != "newt" {
		return
	}
	var uie *megolm.UnknownMessageIndexError
	if !errors.Is(err, megolm.ErrUnknownMessageIndex) || !errors.As(err, &uie) {
		t.Fatalf("newt's error is not reachable: %v", err)
	}
	if uie.FirstKnown != first || uie.Got != got {
		t.Fatalf("UnknownMessageIndexError{%d, %d}, want {%d, %d}", uie.FirstKnown, uie.Got, first, got)
	}
	if err.Error() != uie.Error() {
		t.Fatalf("message %q, want newt's %q", err.Error(), uie.Error())
	}
}

// TestErrorMapping checks which crypto/olm sentinel and which newt error each
// failure matches, and that the failure left the object unchanged.
func TestErrorMapping(t *testing.T) {
	alice, bob := backend.GenerateAccount(), backend.GenerateAccount()
	out, in := olmPair(t, alice, bob)
	send(t, in, out, "reply") // both sides now send normal messages
	typ, skipped, err := out.Encrypt([]byte("skipped"))
	if err != nil || typ != id.OlmMsgTypeMsg {
		t.Fatalf("Encrypt: %d, %v", typ, err)
	}
	tampered := newttest.FlipBase64(string(skipped), -12) // in the ciphertext, before the 8-byte MAC
	_, body, _ := out.Encrypt([]byte("normal"))
	if pt, err := in.Decrypt(string(body), typ); err != nil || string(pt) != "normal" {
		t.Fatalf("Decrypt = %q, %v", pt, err)
	}

	ogs := backend.GenerateOutboundGroupSession()
	igs, err := backend.NewInboundGroupSession([]byte(ogs.Key()))
	if err != nil {
		t.Fatal(err)
	}
	gm, _ := ogs.Encrypt([]byte("room message"))

	// A pre-key message from a third device, for the identity-key checks.
	carol := backend.GenerateAccount()
	carolOut, err := carol.NewOutboundSession(identityKey(t, bob), oneTimeKey(t, bob, 1))
	if err != nil {
		t.Fatal(err)
	}
	_, preKey, _ := carolOut.Encrypt([]byte("from carol"))
	aliceKey := identityKey(t, alice)

	badPickle := func(p interface {
		Unpickle([]byte, []byte) error
		Pickle([]byte) ([]byte, error)
	}) func() error {
		return func() error { return p.Unpickle(newttest.MustPickle(t, p, testKey), []byte("wrong key")) }
	}
	cases := []struct {
		name  string
		state interface{ Pickle([]byte) ([]byte, error) } // must not change
		do    func() error
		olm   error // crypto/olm sentinel
		newt  error // newt's error
	}{
		{"olm bad MAC", in, func() error { _, err := in.Decrypt(tampered, typ); return err }, molm.ErrBadMAC, olm.ErrBadMAC},
		{"olm replay", in, func() error { _, err := in.Decrypt(string(body), typ); return err }, molm.ErrMessageKeyNotFound, olm.ErrMissingMessageKey},
		{"olm message not base64", in, func() error { _, err := in.Decrypt("!!!!", 1); return err }, molm.ErrBadMessageFormat, olm.ErrBadMessageFormat},
		{"olm message type 2", in, func() error { _, err := in.Decrypt(string(body), 2); return err }, molm.ErrBadMessageFormat, olm.ErrBadMessageFormat},
		{"olm pre-key message of another session", in, func() error { _, err := in.Decrypt(string(preKey), 0); return err }, molm.ErrBadMessageKeyID, olm.ErrSessionMismatch},
		{"olm identity key mismatch", bob, func() error { _, err := bob.NewInboundSessionFrom(&aliceKey, string(preKey)); return err }, molm.ErrBadMessageKeyID, olm.ErrIdentityKeyMismatch},
		{"olm unknown one-time key", alice, func() error { _, err := alice.NewInboundSession(string(preKey)); return err }, molm.ErrBadMessageKeyID, olm.ErrMissingOneTimeKey},
		{"olm pre-key message not base64", bob, func() error { _, err := bob.NewInboundSession("%%%%"); return err }, molm.ErrBadMessageFormat, olm.ErrBadMessageFormat},
		{"outbound key not base64", alice, func() error {
			_, err := alice.NewOutboundSession(id.Curve25519(strings.Repeat("!", 43)), aliceKey)
			return err
		}, molm.ErrLibolmInvalidBase64, newt.ErrInvalidBase64},
		{"outbound key too short", alice, func() error { _, err := alice.NewOutboundSession("AAAA", aliceKey); return err }, molm.ErrBadInput, newt.ErrInvalidKey},
		{"megolm bad signature", igs, func() error { _, _, err := igs.Decrypt([]byte(newttest.FlipBase64(string(gm), 20))); return err }, molm.ErrBadSignature, megolm.ErrBadSignature},
		{"megolm not base64", igs, func() error { _, _, err := igs.Decrypt([]byte("****")); return err }, molm.ErrBadMessageFormat, megolm.ErrBadMessageFormat},
		{"megolm bad session key", nil, func() error { _, err := backend.NewInboundGroupSession([]byte(ogs.Key()[:100])); return err }, molm.ErrLibolmBadSessionKey, megolm.ErrBadSessionKey},
		{"megolm bad export", nil, func() error { _, err := backend.ImportInboundGroupSession([]byte(ogs.Key())); return err }, molm.ErrLibolmBadSessionKey, megolm.ErrBadSessionKey},
		{"account wrong pickle key", alice, badPickle(alice), molm.ErrBadMAC, newt.ErrBadPickleKey},
		{"session wrong pickle key", in, badPickle(in), molm.ErrLibolmBadAccountKey, newt.ErrBadPickleKey},
		{"inbound wrong pickle key", igs, badPickle(igs), molm.ErrBadMAC, newt.ErrBadPickleKey},
		{"outbound wrong pickle key", ogs, badPickle(ogs), molm.ErrBadMAC, newt.ErrBadPickleKey},
		{"account pickle not base64", alice, func() error { return alice.Unpickle([]byte("#####"), testKey) }, molm.ErrLibolmCorruptedPickle, newt.ErrCorruptedPickle},
		{"session pickle of an account", in, func() error { return in.Unpickle(newttest.MustPickle(t, alice, testKey), testKey) }, molm.ErrUnknownOlmPickleVersion, newt.ErrUnknownPickleVersion},
		{"signing seed too short", nil, func() error { _, err := backend.NewPKSigning(make([]byte, 16)); return err }, molm.ErrBadInput, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var before []byte
			if c.state != nil {
				before = newttest.MustPickle(t, c.state, testKey)
			}
			err := c.do()
			if !errors.Is(err, c.olm) {
				t.Errorf("error %v does not match crypto/olm's %q", err, c.olm)
			}
			if c.newt != nil && !errors.Is(err, c.newt) {
				t.Errorf("error %v does not match newt's %q", err, c.newt)
			}
			if c.state != nil && !bytes.Equal(newttest.MustPickle(t, c.state, testKey), before) {
				t.Error("the failure changed the object")
			}
		})
	}

	// Empty inputs and keys are refused as goolm and libolm refuse them.
	empties := []struct {
		name string
		err  error
		want error
	}{
		{"Account.Pickle", second(alice.Pickle(nil)), molm.ErrNoKeyProvided},
		{"Account.Unpickle key", alice.Unpickle([]byte("x"), nil), molm.ErrNoKeyProvided},
		{"Account.Unpickle", alice.Unpickle(nil, testKey), molm.ErrEmptyInput},
		{"Account.Sign", second(alice.Sign(nil)), molm.ErrEmptyInput},
		{"Account.NewOutboundSession", second(alice.NewOutboundSession("", aliceKey)), molm.ErrEmptyInput},
		{"Account.NewInboundSession", second(alice.NewInboundSession("")), molm.ErrEmptyInput},
		{"Session.Pickle", second(in.Pickle(nil)), molm.ErrNoKeyProvided},
		{"Session.Unpickle", in.Unpickle(nil, testKey), molm.ErrEmptyInput},
		{"Session.Encrypt", third(in.Encrypt(nil)), molm.ErrEmptyInput},
		{"Session.Decrypt", second(in.Decrypt("", 1)), molm.ErrEmptyInput},
		{"Session.MatchesInboundSession", second(in.MatchesInboundSession("")), molm.ErrEmptyInput},
		{"InboundGroupSession.Pickle", second(igs.Pickle(nil)), molm.ErrNoKeyProvided},
		{"InboundGroupSession.Unpickle", igs.Unpickle(nil, testKey), molm.ErrEmptyInput},
		{"InboundGroupSession.Decrypt", third(igs.Decrypt(nil)), molm.ErrEmptyInput},
		{"NewInboundGroupSession", second(backend.NewInboundGroupSession(nil)), molm.ErrEmptyInput},
		{"ImportInboundGroupSession", second(backend.ImportInboundGroupSession(nil)), molm.ErrEmptyInput},
		{"OutboundGroupSession.Pickle", second(ogs.Pickle(nil)), molm.ErrNoKeyProvided},
		{"OutboundGroupSession.Unpickle", ogs.Unpickle(nil, testKey), molm.ErrEmptyInput},
		{"OutboundGroupSession.Encrypt", second(ogs.Encrypt(nil)), molm.ErrEmptyInput},
	}
	for _, e := range empties {
		if !errors.Is(e.err, e.want) {
			t.Errorf("%s: %v, want %v", e.name, e.err, e.want)
		}
	}
}

// TestMessageGap sends a message more than olm.MaxMessageGap messages ahead
// of its chain.
func TestMessageGap(t *testing.T) {
	out, in := olmPair(t, backend.GenerateAccount(), backend.GenerateAccount())
	send(t, in, out, "reply")
	var typ id.OlmMsgType
	var body []byte
	for range olm.MaxMessageGap + 2 {
		var err error
		if typ, body, err = out.Encrypt([]byte("x")); err != nil {
			t.Fatal(err)
		}
	}
	_, err := in.Decrypt(string(body), typ)
	var gap *olm.MessageGapError
	if !errors.Is(err, molm.ErrMsgIndexTooHigh) || !errors.As(err, &gap) {
		t.Fatalf("Decrypt: %v", err)
	}
}

func second[T any](_ T, err error) error        { return err }
func third[T, U any](_ T, _ U, err error) error { return err }
