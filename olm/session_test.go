// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package olm_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/olm"
)

var key = []byte("test pickle key")

// setup returns Alice's and Bob's accounts, Alice's outbound session to
// Bob's first one-time key and her first (pre-key) message.
func setup(t testing.TB) (alice, bob *olm.Account, as *olm.Session, first *olm.PreKeyMessage) {
	t.Helper()
	alice, bob = olm.GenerateAccount(), olm.GenerateAccount()
	if _, err := bob.GenerateOneTimeKeys(3); err != nil {
		t.Fatal(err)
	}
	as, err := alice.NewOutboundSession(bob.IdentityKeys().Curve25519, bob.OneTimeKeys()[0].Key)
	if err != nil {
		t.Fatal(err)
	}
	m, err := as.Encrypt([]byte("first"))
	if err != nil {
		t.Fatal(err)
	}
	return alice, bob, as, m.(*olm.PreKeyMessage)
}

func encrypt(t testing.TB, s *olm.Session, pt string) olm.EncryptedMessage {
	t.Helper()
	m, err := s.Encrypt([]byte(pt))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func decrypt(t testing.TB, s *olm.Session, m olm.EncryptedMessage, want string) {
	t.Helper()
	pt, err := s.Decrypt(m)
	if err != nil || string(pt) != want {
		t.Fatalf("Decrypt = %q, %v; want %q", pt, err, want)
	}
}

// sessionUnchanged runs f, which must fail with target (nil: any error),
// and checks that the session pickle did not change.
func sessionUnchanged(t testing.TB, s *olm.Session, target error, f func() error) {
	t.Helper()
	before := s.Pickle(key)
	err := f()
	if err == nil || (target != nil && !errors.Is(err, target)) {
		t.Fatalf("error = %v, want %v", err, target)
	}
	if before != s.Pickle(key) {
		t.Fatal("the failure changed the session")
	}
}

// accountUnchanged is sessionUnchanged for an account.
func accountUnchanged(t testing.TB, a *olm.Account, target error, f func() error) {
	t.Helper()
	before := a.Pickle(key)
	err := f()
	if err == nil || (target != nil && !errors.Is(err, target)) {
		t.Fatalf("error = %v, want %v", err, target)
	}
	if before != a.Pickle(key) {
		t.Fatal("the failure changed the account")
	}
}

func TestConversation(t *testing.T) {
	alice, bob, as, first := setup(t)
	aliceKey := alice.IdentityKeys().Curve25519
	bs, pt, err := bob.NewInboundSessionFrom(aliceKey, first)
	if err != nil || string(pt) != "first" {
		t.Fatalf("NewInboundSession = %q, %v", pt, err)
	}
	if as.ID() != bs.ID() || as.Keys() != bs.Keys() {
		t.Fatal("the two sides disagree on the session")
	}
	if as.Keys().IdentityKey != aliceKey || as.Keys().BaseKey != first.BaseKey() || as.Keys().OneTimeKey != first.OneTimeKey() {
		t.Fatal("Keys")
	}
	for i := range 30 {
		from, to := as, bs
		if i%3 == 2 {
			from, to = bs, as
		}
		msg := fmt.Sprint("message ", i)
		m := encrypt(t, from, msg)
		if from == as && i < 2 && m.Type() != olm.MessageTypePreKey {
			t.Fatal("Alice must send pre-key messages until Bob answers")
		}
		decrypt(t, to, m, msg)
	}
	if m := encrypt(t, as, "x"); m.Type() != olm.MessageTypeNormal {
		t.Fatal("Alice should send normal messages after Bob's reply")
	}
}

func TestInboundSessionFailuresKeepAccount(t *testing.T) {
	alice, bob, _, first := setup(t)

	other := olm.GenerateAccount().IdentityKeys().Curve25519
	accountUnchanged(t, bob, olm.ErrIdentityKeyMismatch, func() error {
		_, _, err := bob.NewInboundSessionFrom(other, first)
		return err
	})

	// A tampered inner message: the MAC fails and the OTK is kept.
	raw := first.Bytes()
	raw[len(raw)-1] ^= 1
	bad, err := olm.NewPreKeyMessage(raw)
	if err != nil {
		t.Fatal(err)
	}
	accountUnchanged(t, bob, olm.ErrBadMAC, func() error {
		_, _, err := bob.NewInboundSession(bad)
		return err
	})

	// A message for a key Bob never had.
	_, _, _, stranger := setup(t)
	accountUnchanged(t, bob, olm.ErrMissingOneTimeKey, func() error {
		_, _, err := bob.NewInboundSession(stranger)
		return err
	})

	// The genuine message still works, and consumes the key exactly once.
	aliceKey := alice.IdentityKeys().Curve25519
	if _, _, err := bob.NewInboundSessionFrom(aliceKey, first); err != nil {
		t.Fatal(err)
	}
	if len(bob.OneTimeKeys()) != 2 {
		t.Fatalf("%d one-time keys left, want 2", len(bob.OneTimeKeys()))
	}
	accountUnchanged(t, bob, olm.ErrMissingOneTimeKey, func() error {
		_, _, err := bob.NewInboundSession(first)
		return err
	})
	if _, _, err := bob.NewInboundSession(nil); !errors.Is(err, olm.ErrBadMessageFormat) {
		t.Fatalf("nil message: %v", err)
	}
}

func TestFallbackKeys(t *testing.T) {
	alice, bob := olm.GenerateAccount(), olm.GenerateAccount()
	if _, ok := bob.FallbackKey(); ok {
		t.Fatal("new account has a fallback key")
	}
	if bob.ForgetOldFallbackKey() {
		t.Fatal("nothing to forget")
	}
	fb1 := bob.GenerateFallbackKey()
	if fb1.ID != newt.NewKeyID(1) {
		t.Fatalf("first fallback key ID %v", fb1.ID)
	}
	if k, ok := bob.UnpublishedFallbackKey(); !ok || k != fb1 {
		t.Fatal("UnpublishedFallbackKey")
	}
	bob.MarkKeysAsPublished()
	if _, ok := bob.UnpublishedFallbackKey(); ok {
		t.Fatal("published fallback key still unpublished")
	}
	if k, ok := bob.FallbackKey(); !ok || k != fb1 {
		t.Fatal("FallbackKey must return a published key")
	}
	bobKey := bob.IdentityKeys().Curve25519

	start := func(k newt.Curve25519PublicKey) *olm.PreKeyMessage {
		s, err := alice.NewOutboundSession(bobKey, k)
		if err != nil {
			t.Fatal(err)
		}
		return encrypt(t, s, "hi").(*olm.PreKeyMessage)
	}
	// A fallback key is used any number of times and never removed.
	for range 3 {
		s, pt, err := bob.NewInboundSession(start(fb1.Key))
		if err != nil || string(pt) != "hi" {
			t.Fatal(err)
		}
		if id, err := bob.RemoveOneTimeKeys(s); err != nil || id != fb1.ID {
			t.Fatalf("RemoveOneTimeKeys on a fallback session = %v, %v", id, err)
		}
	}
	// The previous fallback key works until it is forgotten.
	fb2 := bob.GenerateFallbackKey()
	if fb2.ID != newt.NewKeyID(2) {
		t.Fatalf("second fallback key ID %v", fb2.ID)
	}
	if _, _, err := bob.NewInboundSession(start(fb1.Key)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := bob.NewInboundSession(start(fb2.Key)); err != nil {
		t.Fatal(err)
	}
	if !bob.ForgetOldFallbackKey() || bob.ForgetOldFallbackKey() {
		t.Fatal("ForgetOldFallbackKey")
	}
	old := start(fb1.Key)
	accountUnchanged(t, bob, olm.ErrMissingOneTimeKey, func() error {
		_, _, err := bob.NewInboundSession(old)
		return err
	})
	// One-time keys and fallback keys share the ID counter.
	gen, err := bob.GenerateOneTimeKeys(2)
	if err != nil || gen.Created[0].ID != newt.NewKeyID(4) || gen.Created[1].ID != newt.NewKeyID(3) {
		t.Fatalf("generation %+v, %v", gen, err)
	}
}

func TestRemoveOneTimeKeys(t *testing.T) {
	_, bob, as, _ := setup(t)
	keys := bob.OneTimeKeys()
	// The session was made with keys[0]; Bob has not created his side, so
	// RemoveOneTimeKeys (libolm's API) removes it.
	id, err := bob.RemoveOneTimeKeys(as)
	if err != nil || id != keys[0].ID {
		t.Fatalf("RemoveOneTimeKeys = %v, %v; want %v", id, err, keys[0].ID)
	}
	if _, err := bob.RemoveOneTimeKeys(as); !errors.Is(err, olm.ErrMissingOneTimeKey) {
		t.Fatalf("second removal: %v", err)
	}
	if len(bob.OneTimeKeys()) != 2 {
		t.Fatal("wrong key removed")
	}
}

func TestDecryptFailuresKeepSession(t *testing.T) {
	_, bob, as, first := setup(t)
	bs, _, err := bob.NewInboundSession(first)
	if err != nil {
		t.Fatal(err)
	}
	decrypt(t, as, encrypt(t, bs, "reply"), "reply")
	good := encrypt(t, as, "next").(*olm.Message)

	// Replay of the first message.
	sessionUnchanged(t, bs, olm.ErrMissingMessageKey, func() error { _, err := bs.Decrypt(first); return err })
	// Bit flips anywhere.
	raw := good.Bytes()
	for i := range len(raw) * 8 {
		b := bytes.Clone(raw)
		b[i/8] ^= 1 << (i % 8)
		m, err := olm.NewMessage(b)
		if err != nil {
			continue // rejected by the decoder
		}
		sessionUnchanged(t, bs, nil, func() error { _, err := bs.Decrypt(m); return err })
	}
	// A pre-key message of another session.
	_, _, _, foreign := setup(t)
	sessionUnchanged(t, bs, olm.ErrSessionMismatch, func() error { _, err := bs.Decrypt(foreign); return err })
	sessionUnchanged(t, bs, olm.ErrBadMessageFormat, func() error { _, err := bs.Decrypt(nil); return err })
	sessionUnchanged(t, bs, olm.ErrBadMessageFormat, func() error { _, err := bs.Decrypt((*olm.Message)(nil)); return err })
	decrypt(t, bs, good, "next")

	// A gap of more than 2000 messages on the current chain.
	var last olm.EncryptedMessage
	for range 2002 {
		last = encrypt(t, as, "far")
	}
	var gap *olm.MessageGapError
	sessionUnchanged(t, bs, nil, func() error {
		_, err := bs.Decrypt(last)
		if !errors.As(err, &gap) || gap.Gap != 2001 || gap.Max != olm.MaxMessageGap {
			return fmt.Errorf("want a MessageGapError of 2001, got %w", err)
		}
		return err
	})
}

func TestLowOrderKeys3DH(t *testing.T) {
	alice, bob, _, first := setup(t)
	bobKey := bob.IdentityKeys().Curve25519
	otk := bob.OneTimeKeys()[0].Key
	for i, bad := range newttest.LowOrderKeys(t) {
		if _, err := alice.NewOutboundSession(bad, otk); !errors.Is(err, olm.ErrNonContributory) {
			t.Errorf("point %d as identity key: %v", i, err)
		}
		if _, err := alice.NewOutboundSession(bobKey, bad); !errors.Is(err, olm.ErrNonContributory) {
			t.Errorf("point %d as one-time key: %v", i, err)
		}
		// Inbound: a low-order base key or identity key in the pre-key
		// message; the one-time key must be kept.
		badKey := bad.Array()
		for _, off := range []int{1 + 34 + 2, 1 + 2*34 + 2} { // base key, identity key
			raw := first.Bytes()
			copy(raw[off:], badKey[:])
			m, err := olm.NewPreKeyMessage(raw)
			if err != nil {
				t.Fatal(err)
			}
			accountUnchanged(t, bob, olm.ErrNonContributory, func() error {
				_, _, err := bob.NewInboundSession(m)
				return err
			})
		}
	}
	if _, _, err := bob.NewInboundSession(first); err != nil {
		t.Fatalf("genuine message after the forgeries: %v", err)
	}
}

func TestAccountBasics(t *testing.T) {
	a := olm.GenerateAccount()
	ids := a.IdentityKeys()
	js := string(a.IdentityKeysJSON())
	if js != `{"curve25519":"`+ids.Curve25519.String()+`","ed25519":"`+ids.Ed25519.String()+`"}` {
		t.Fatalf("IdentityKeysJSON = %s", js)
	}
	if len(js) != olm.IdentityKeysJSONSize {
		t.Fatal("identity JSON length")
	}
	if string(a.OneTimeKeysJSON()) != `{"curve25519":{}}` || a.OneTimeKeys() != nil {
		t.Fatal("new account has one-time keys")
	}
	if _, err := a.GenerateOneTimeKeys(-1); err == nil {
		t.Fatal("negative count accepted")
	}
	if g, err := a.GenerateOneTimeKeys(0); err != nil || len(g.Created) != 0 {
		t.Fatal("GenerateOneTimeKeys(0)")
	}
	if _, err := a.GenerateOneTimeKeys(5); err != nil {
		t.Fatal(err)
	}
	if n := a.MarkKeysAsPublished(); n != 5 {
		t.Fatalf("MarkKeysAsPublished = %d", n)
	}
	if n := a.MarkKeysAsPublished(); n != 0 {
		t.Fatalf("second MarkKeysAsPublished = %d", n)
	}
	// A count above MaxOneTimeKeys is refused (TestC19_OneTimeKeyCounts has
	// the details); MaxOneTimeKeys evicts the 5 published keys.
	if _, err := a.GenerateOneTimeKeys(1 << 30); !errors.Is(err, olm.ErrTooManyOneTimeKeys) {
		t.Fatalf("huge generation: %v", err)
	}
	g, err := a.GenerateOneTimeKeys(olm.MaxOneTimeKeys)
	if err != nil || len(g.Created) != olm.MaxOneTimeKeys || len(g.Removed) != 5 {
		t.Fatalf("MaxOneTimeKeys generation: %d created, %d removed, %v", len(g.Created), len(g.Removed), err)
	}
	if g.Created[0].ID != newt.NewKeyID(5+olm.MaxOneTimeKeys) {
		t.Fatalf("newest ID %v", g.Created[0].ID)
	}
	s := a.String()
	if !strings.Contains(s, ids.Curve25519.String()) {
		t.Fatal("String should show the identity key")
	}
}

func TestSecretsNotInStrings(t *testing.T) {
	_, bob, as, first := setup(t)
	bs, _, err := bob.NewInboundSession(first)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{as.String(), bs.String(), fmt.Sprintf("%v %+v", as, bs), bob.String(), fmt.Sprint(bob)} {
		if strings.Contains(s, "priv") || len(s) > 300 {
			t.Fatalf("suspicious String: %q", s)
		}
	}
	if !strings.Contains(as.String(), as.ID()) {
		t.Fatal("String should show the session ID")
	}
}

// TestConcurrentEncrypt checks that concurrent Encrypt calls never reuse a
// chain index.
func TestConcurrentEncrypt(t *testing.T) {
	_, bob, as, first := setup(t)
	bs, _, err := bob.NewInboundSession(first)
	if err != nil {
		t.Fatal(err)
	}
	decrypt(t, as, encrypt(t, bs, "r"), "r")
	var mu sync.Mutex
	seen := map[uint32]bool{}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				m, err := as.Encrypt([]byte("x"))
				if err != nil {
					t.Error(err)
					return
				}
				c := m.(*olm.Message).Counter()
				mu.Lock()
				if seen[c] {
					t.Errorf("counter %d used twice", c)
				}
				seen[c] = true
				mu.Unlock()
				if _, err := bs.Decrypt(m); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
}

func TestPickleErrors(t *testing.T) {
	_, bob, as, _ := setup(t)
	for name, p := range map[string][]byte{"account": []byte(bob.Pickle(key)), "session": []byte(as.Pickle(key))} {
		load := func(p, k []byte) error {
			if name == "account" {
				_, err := olm.AccountFromPickle(string(p), k)
				return err
			}
			_, err := olm.SessionFromPickle(string(p), k)
			return err
		}
		if err := load(p, key); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := load(p, []byte("wrong")); !errors.Is(err, olm.ErrBadPickleKey) {
			t.Errorf("%s with a wrong key: %v", name, err)
		}
		for i := 0; i < len(p); i += 7 {
			b := bytes.Clone(p)
			b[i] ^= 0x01
			if err := load(b, key); err == nil {
				t.Errorf("%s: flipped byte %d accepted", name, i)
			}
		}
		for _, n := range []int{0, 1, 5, 10, len(p) - 1} {
			if err := load(p[:n], key); err == nil {
				t.Errorf("%s: truncation to %d accepted", name, n)
			}
		}
		if err := load(append(bytes.Clone(p), '='), key); err == nil {
			t.Errorf("%s: trailing '=' accepted", name)
		}
	}
}

func TestPickleRoundTrip(t *testing.T) {
	alice, bob, as, first := setup(t)
	bob.GenerateFallbackKey()
	bob.GenerateFallbackKey()
	bs, _, err := bob.NewInboundSession(first)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []*olm.Account{alice, bob} {
		p := a.Pickle(key)
		b, err := olm.AccountFromPickle(p, key)
		if err != nil {
			t.Fatal(err)
		}
		if b.Pickle(key) != p || b.IdentityKeys() != a.IdentityKeys() {
			t.Fatal("account pickle round trip")
		}
		if a.Sign([]byte("m")) != b.Sign([]byte("m")) {
			t.Fatal("unpickled account signs differently")
		}
	}
	for _, s := range []*olm.Session{as, bs} {
		p := s.Pickle(key)
		r, err := olm.SessionFromPickle(p, key)
		if err != nil {
			t.Fatal(err)
		}
		if r.Pickle(key) != p || r.ID() != s.ID() || r.Describe() != s.Describe() {
			t.Fatal("session pickle round trip")
		}
	}
}

// TestConstantSizes pins the exported constants to libolm (include/olm/olm.h,
// include/olm/account.hh, src/session.cpp).
func TestConstantSizes(t *testing.T) {
	for _, c := range []struct {
		name      string
		got, want int
	}{
		{"Version", olm.Version, 3}, {"MACSize", olm.MACSize, 8}, {"MaxMessageGap", olm.MaxMessageGap, 2000},
		{"MaxReceiverChains", olm.MaxReceiverChains, 5}, {"MaxSkippedMessageKeys", olm.MaxSkippedMessageKeys, 40},
		{"MaxOneTimeKeys", olm.MaxOneTimeKeys, 100}, {"AccountRandomSize", olm.AccountRandomSize, 64},
		{"SessionRandomSize", olm.SessionRandomSize, 64}, {"IdentityKeysJSONSize", olm.IdentityKeysJSONSize, 116},
		{"MessageTypePreKey", int(olm.MessageTypePreKey), 0}, {"MessageTypeNormal", int(olm.MessageTypeNormal), 1},
		{"AccountPickleVersion", olm.AccountPickleVersion, 4}, {"SessionPickleVersion", olm.SessionPickleVersion, 1},
	} {
		if c.got != c.want {
			t.Errorf("%s = %d, want %d", c.name, c.got, c.want)
		}
	}
}
