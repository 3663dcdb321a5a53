// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package backend_test

import (
	"bytes"
	"testing"

	molm "maunium.net/go/mautrix/crypto/olm"
	"maunium.net/go/mautrix/id"

	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/mautrix/backend"
)

// FuzzInterface feeds arbitrary input to every method of the backend that
// takes input from outside (messages, keys, pickles, seeds, message types),
// on live objects and on blank ones: nothing may panic, a failure must leave
// the live objects unchanged, and what loads from fuzzed input is used.
// The seeds are real messages, keys and pickles.
func FuzzInterface(f *testing.F) {
	alice, bob := backend.GenerateAccount(), backend.GenerateAccount()
	bob.GenOneTimeKeys(2)
	otks, _ := bob.OneTimeKeys()
	_, bobIK, _ := bob.IdentityKeys()
	_, aliceIK, _ := alice.IdentityKeys()
	var otk id.Curve25519
	for _, k := range otks {
		otk = k
	}
	out, _ := alice.NewOutboundSession(bobIK, otk)
	_, preKey, _ := out.Encrypt([]byte("pre-key"))
	in, _ := bob.NewInboundSessionFrom(&aliceIK, string(preKey))
	in.Decrypt(string(preKey), 0)
	_, normal, _ := in.Encrypt([]byte("normal"))
	ogs := backend.GenerateOutboundGroupSession()
	igs, _ := backend.NewInboundGroupSession([]byte(ogs.Key()))
	gm, _ := ogs.Encrypt([]byte("room"))
	exported, _ := igs.Export(0)

	seeds := [][]byte{preKey, normal, gm, []byte(ogs.Key()), exported,
		newttest.MustPickle(f, alice, testKey), newttest.MustPickle(f, in, testKey), newttest.MustPickle(f, igs, testKey), newttest.MustPickle(f, ogs, testKey),
		[]byte(bobIK), bytes.Repeat([]byte{7}, 32), nil, []byte("AAAA")}
	for i, s := range seeds {
		f.Add(s, i%3)
	}

	f.Fuzz(func(t *testing.T, data []byte, typ int) {
		s := string(data)
		ik := id.Curve25519(s)

		// Accounts, live and blank. Creating sessions never changes an
		// account; a wrong pickle key never loads.
		for _, a := range []molm.Account{bob, new(backend.Account)} {
			keep(t, a, func() error { _, err := a.NewInboundSession(s); return err })
			keep(t, a, func() error { _, err := a.NewInboundSessionFrom(&ik, s); return err })
			keep(t, a, func() error { _, err := a.NewInboundSessionFrom(&aliceIK, s); return err })
			keep(t, a, func() error { _, err := a.NewOutboundSession(ik, ik); return err })
			keep(t, a, func() error { _, err := a.NewOutboundSession(bobIK, ik); return err })
			keep(t, a, func() error { _, err := a.Sign(data); return err })
		}
		keep(t, bob, func() error { return bob.Unpickle(data, []byte("wrong key")) })
		if a, err := backend.AccountFromPickle(data, testKey); err == nil {
			a.GenOneTimeKeys(1)
			a.Sign([]byte("x"))
		}

		// Olm sessions: a failed decryption changes nothing.
		for _, sess := range []molm.Session{in, out, new(backend.Session)} {
			keep(t, sess, func() error { _, err := sess.Decrypt(s, id.OlmMsgType(typ)); return err })
			keep(t, sess, func() error { _, err := sess.MatchesInboundSession(s); return err })
			keep(t, sess, func() error { _, err := sess.MatchesInboundSessionFrom(s, string(preKey)); return err })
			keep(t, sess, func() error { _, err := sess.MatchesInboundSessionFrom(string(aliceIK), s); return err })
		}
		if sess, err := backend.SessionFromPickle(data, testKey); err == nil {
			sess.Encrypt([]byte("x"))
			sess.Decrypt(string(normal), 1)
			acct, _ := backend.AccountFromPickle(newttest.MustPickle(t, bob, testKey), testKey)
			acct.RemoveOneTimeKeys(sess)
		}

		// Group sessions.
		for _, g := range []molm.InboundGroupSession{igs, new(backend.InboundGroupSession)} {
			keep(t, g, func() error { _, _, err := g.Decrypt(data); return err })
			keep(t, g, func() error { _, err := g.Export(uint32(typ)); return err })
		}
		if g, err := backend.NewInboundGroupSession(data); err == nil {
			g.Decrypt(gm)
		}
		if g, err := backend.ImportInboundGroupSession(data); err == nil {
			g.Decrypt(gm)
			g.Export(g.FirstKnownIndex())
		}
		if g, err := backend.InboundGroupSessionFromPickle(data, testKey); err == nil {
			g.Decrypt(gm)
		}
		if o, err := backend.OutboundGroupSessionFromPickle(data, testKey); err == nil {
			o.Encrypt([]byte("x"))
			o.Key()
		}
		keep(t, ogs, func() error { return ogs.Unpickle(data, []byte("wrong key")) })

		// Signing keys.
		if p, err := backend.NewPKSigning(data); err == nil {
			p.Sign(data)
			p.SignJSON(data)
		}
		new(backend.PKSigning).SignJSON(data)
	})
}

// keep runs op on o and, if op failed, checks that o's pickle is unchanged
// (blank objects, which cannot be pickled, are only run).
func keep(t *testing.T, o interface{ Pickle([]byte) ([]byte, error) }, op func() error) {
	t.Helper()
	before, blank := o.Pickle(testKey)
	if op() != nil && blank == nil {
		if after, _ := o.Pickle(testKey); !bytes.Equal(after, before) {
			t.Fatal("a failed operation changed the object")
		}
	}
}
