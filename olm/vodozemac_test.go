// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package olm_test

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/olm"
	"github.com/newt-e2ee/newt/testvectors"
)

func TestVodozemacAccounts(t *testing.T) {
	v := testvectors.Load[testvectors.VodozemacPickles](t, "vodozemac_pickles.json")
	for _, c := range v.Accounts {
		t.Run(c.Name, func(t *testing.T) {
			a, err := olm.AccountFromPickleJSON([]byte(c.Pickle))
			if err != nil {
				t.Fatal(err)
			}
			keys := a.IdentityKeys()
			if keys.Curve25519.String() != c.Curve25519 || keys.Ed25519.String() != c.Ed25519 {
				t.Errorf("identity keys %s %s", keys.Curve25519, keys.Ed25519)
			}
			if got := a.PickleJSON(); string(got) != c.Pickle {
				t.Errorf("PickleJSON differs from vodozemac's pickle")
			}
			// Signatures verify under the key vodozemac published.
			pub, _ := base64.RawStdEncoding.DecodeString(c.Ed25519)
			sig := a.Sign([]byte("message"))
			if !ed25519.Verify(pub, []byte("message"), sig.Bytes()) {
				t.Error("signature does not verify under the published key")
			}
			// The unpublished keys are the ones the machine uploads, by
			// the value of their (11-character) IDs.
			got := map[uint64]string{}
			for _, k := range a.OneTimeKeys() {
				got[k.ID.Uint64()] = k.Key.String()
			}
			if len(got) != len(c.UnpublishedOneTimeKeys) {
				t.Errorf("%d unpublished keys, want %d", len(got), len(c.UnpublishedOneTimeKeys))
			}
			for id, key := range c.UnpublishedOneTimeKeys {
				kid, err := newt.ParseKeyID(id)
				if err != nil || got[kid.Uint64()] != key {
					t.Errorf("key %s: %v", id, err)
				}
			}
			if fb, ok := a.FallbackKey(); len(c.PublishedFallbackKey) > 0 {
				for id, key := range c.PublishedFallbackKey {
					kid, _ := newt.ParseKeyID(id)
					if !ok || fb.ID.Uint64() != kid.Uint64() || fb.Key.String() != key {
						t.Errorf("fallback key %v, want %s %s", fb, id, key)
					}
				}
			}
		})
	}
}

// vzSession loads the named session case.
func vzSession(t *testing.T, v testvectors.VodozemacPickles, name string) (*olm.Session, testvectors.VZSessionCase) {
	t.Helper()
	for _, c := range v.Sessions {
		if c.Name == name {
			s, err := olm.SessionFromPickleJSON([]byte(c.Pickle))
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			return s, c
		}
	}
	t.Fatalf("no session %q", name)
	return nil, testvectors.VZSessionCase{}
}

func decryptVZ(t *testing.T, s *olm.Session, m testvectors.VZOlmMessage) []byte {
	t.Helper()
	msg, err := olm.ParseEncryptedMessage(olm.MessageType(m.Type), m.Body)
	if err != nil {
		t.Fatal(err)
	}
	pt, err := s.Decrypt(msg)
	if err != nil {
		t.Fatalf("%s: %v", m.Comment, err)
	}
	if !newttest.SameContent(t, pt, m.Content) {
		t.Fatalf("%s: content differs", m.Comment)
	}
	return pt
}

// TestVodozemacSessions loads every session vodozemac pickled: the ID, the
// byte-for-byte write back, the messages it must decrypt, and for a
// session with an active sending chain the exact next message.
func TestVodozemacSessions(t *testing.T) {
	v := testvectors.Load[testvectors.VodozemacPickles](t, "vodozemac_pickles.json")
	for _, c := range v.Sessions {
		t.Run(c.Name, func(t *testing.T) {
			s, _ := vzSession(t, v, c.Name)
			if s.ID() != c.SessionID {
				t.Errorf("id %s", s.ID())
			}
			if got := s.PickleJSON(); string(got) != c.Pickle {
				t.Errorf("PickleJSON differs from vodozemac's pickle:\n got %.300s\nwant %.300s", got, c.Pickle)
			}
			for _, m := range c.Pending {
				decryptVZ(t, s, m)
			}
			if c.Next != nil {
				peer, _ := vzSession(t, v, c.Peer)
				pt := decryptVZ(t, peer, *c.Next)
				s, _ := vzSession(t, v, c.Name) // fresh
				out, err := s.Encrypt(pt)
				if err != nil {
					t.Fatal(err)
				}
				if int(out.Type()) != c.Next.Type || out.Base64() != c.Next.Body {
					t.Errorf("next message differs from vodozemac's")
				}
			}
		})
	}
}

// TestVodozemacSessionEvolves: newt's session after the same operation as
// vodozemac's has vodozemac's next pickle, byte for byte.
func TestVodozemacSessionEvolves(t *testing.T) {
	v := testvectors.Load[testvectors.VodozemacPickles](t, "vodozemac_pickles.json")
	// Bob encrypts message 6, and is then in the state vodozemac stored
	// as "bob-before-reply".
	bob, c := vzSession(t, v, "bob-sent-6")
	peer, _ := vzSession(t, v, c.Peer)
	if _, err := bob.Encrypt(decryptVZ(t, peer, *c.Next)); err != nil {
		t.Fatal(err)
	}
	_, want := vzSession(t, v, "bob-before-reply")
	if got := bob.PickleJSON(); string(got) != want.Pickle {
		t.Errorf("after encrypting:\n got %.400s\nwant %.400s", got, want.Pickle)
	}
	// Bob reads Alice's first reply (a new chain): vodozemac stored
	// "bob-read-reply", an inactive ratchet with new ratchet counts.
	bob, c = vzSession(t, v, "bob-before-reply")
	decryptVZ(t, bob, c.Pending[0])
	_, want = vzSession(t, v, "bob-read-reply")
	if got := bob.PickleJSON(); string(got) != want.Pickle {
		t.Errorf("after a new chain:\n got %s\nwant %s", got, want.Pickle)
	}
}

func TestVodozemacEncryptedOlmPickles(t *testing.T) {
	v := testvectors.Load[testvectors.VodozemacPickles](t, "vodozemac_pickles.json")
	n := 0
	for _, c := range v.Encrypted {
		var j []byte
		var p string
		var err error
		switch c.Type {
		case "account":
			var a *olm.Account
			if a, err = olm.AccountFromVodozemacPickle(c.Encrypted, c.Key); err == nil {
				j = a.PickleJSON()
				p, err = a.VodozemacPickle(c.Key)
			}
		case "session":
			var s *olm.Session
			if s, err = olm.SessionFromVodozemacPickle(c.Encrypted, c.Key); err == nil {
				j = s.PickleJSON()
				p, err = s.VodozemacPickle(c.Key)
			}
		default:
			continue
		}
		n++
		if err != nil || string(j) != c.JSON || p != c.Encrypted {
			t.Errorf("%s: %v", c.Comment, err)
		}
		wrong := bytes.Clone(c.Key)
		wrong[5] ^= 1
		if _, err := olm.SessionFromVodozemacPickle(c.Encrypted, wrong); !errors.Is(err, olm.ErrBadPickleKey) {
			t.Errorf("wrong key: %v", err)
		}
	}
	if n != 2 {
		t.Fatalf("%d encrypted olm pickles", n)
	}
}

// TestVodozemacMigration: newt's reading of libolm pickles, written as
// vodozemac JSON, is byte for byte what vodozemac's libolm migration wrote;
// the migrated sessions decrypt what the libolm sessions had to.
func TestVodozemacMigration(t *testing.T) {
	v := testvectors.Load[testvectors.VodozemacMigration](t, "vodozemac_migration.json")
	for _, c := range v.Accounts {
		a, err := olm.AccountFromPickle(c.LibolmPickle, v.PickleKey)
		if err != nil {
			t.Fatal(err)
		}
		if got := a.PickleJSON(); string(got) != c.Pickle {
			t.Errorf("account: newt's conversion differs from vodozemac's:\n got %s\nwant %s", got, c.Pickle)
		}
		m, err := olm.AccountFromPickleJSON([]byte(c.Pickle))
		if err != nil {
			t.Fatal(err)
		}
		// Loaded from vodozemac's format, the account writes key IDs as
		// vodozemac does: the same numbers in 64 bits.
		if string(m.IdentityKeysJSON()) != c.IdentityKeys || string(m.OneTimeKeysJSON()) != widenKeyIDs(t, c.OneTimeKeys) ||
			string(m.FallbackKeyJSON()) != widenKeyIDs(t, c.FallbackKey) {
			t.Errorf("migrated account reports other keys than libolm:\n%s\n%s\n%s", m.IdentityKeysJSON(), m.OneTimeKeysJSON(), m.FallbackKeyJSON())
		}
		// And back: the libolm pickle of the migrated account is libolm's.
		if got := m.Pickle(v.PickleKey); got != c.LibolmPickle {
			t.Error("the libolm pickle of the migrated account differs from the original")
		}
	}
	for _, c := range v.Sessions {
		s, err := olm.SessionFromPickle(c.LibolmPickle, v.PickleKey)
		if err != nil {
			t.Fatal(err)
		}
		if got := s.PickleJSON(); string(got) != c.Pickle {
			t.Errorf("%s: newt's conversion differs from vodozemac's:\n got %s\nwant %s", c.Comment, got, c.Pickle)
		}
		m, err := olm.SessionFromPickleJSON([]byte(c.Pickle))
		if err != nil {
			t.Fatal(err)
		}
		if m.ID() != c.SessionID || m.Describe() != c.LibolmDescribe {
			t.Errorf("%s: migrated session: %s / %s", c.Comment, m.ID(), m.Describe())
		}
		if string(m.PickleJSON()) != c.Pickle {
			t.Errorf("%s: migrated pickle does not write back", c.Comment)
		}
		for _, p := range c.Pending {
			msg, err := olm.ParseEncryptedMessage(olm.MessageType(p.Type), p.Body)
			if err != nil {
				t.Fatal(err)
			}
			pt, err := m.Decrypt(msg)
			if err != nil || string(pt) != p.Plaintext {
				t.Errorf("%s: %s: %q %v", c.Comment, p.Comment, pt, err)
			}
		}
	}
}

// TestVodozemacNewtRoundTrip: newt's own account and sessions survive the
// JSON form and keep working.
func TestVodozemacNewtRoundTrip(t *testing.T) {
	alice, bob := olm.GenerateAccount(), olm.GenerateAccount()
	if _, err := bob.GenerateOneTimeKeys(3); err != nil {
		t.Fatal(err)
	}
	bob.GenerateFallbackKey()
	bob.GenerateFallbackKey()
	otk := bob.OneTimeKeys()[1].Key
	bob.MarkKeysAsPublished()
	j := bob.PickleJSON()
	if !bytes.Contains(j, []byte(`{"Normal":[`)) {
		t.Error("a generated account knows its seed")
	}
	bob2, err := olm.AccountFromPickleJSON(j)
	if err != nil || !bytes.Equal(bob2.PickleJSON(), j) || bob2.Pickle(nil) != bob.Pickle(nil) {
		t.Fatal("account round trip", err)
	}
	out, err := alice.NewOutboundSession(bob.IdentityKeys().Curve25519, otk)
	if err != nil {
		t.Fatal(err)
	}
	m1, _ := out.Encrypt([]byte("one"))
	out2, err := olm.SessionFromPickleJSON(out.PickleJSON())
	if err != nil || out2.ID() != out.ID() {
		t.Fatal(err)
	}
	in, pt, err := bob2.NewInboundSession(m1.(*olm.PreKeyMessage))
	if err != nil || string(pt) != "one" {
		t.Fatal(err)
	}
	in2, err := olm.SessionFromPickleJSON(in.PickleJSON())
	if err != nil {
		t.Fatal(err)
	}
	r, _ := in2.Encrypt([]byte("two"))
	if pt, err := out2.Decrypt(r); err != nil || string(pt) != "two" {
		t.Fatal("reply after round trip", err)
	}
	if !in2.HasReceivedMessage() {
		t.Error("a session with a receiving chain has received a message")
	}
}

func TestVodozemacRefusals(t *testing.T) {
	v := testvectors.Load[testvectors.VodozemacPickles](t, "vodozemac_pickles.json")
	sess := v.Sessions[1].Pickle // alice-skipped: skipped keys 2 and 3
	acct := v.Accounts[2].Pickle
	for _, c := range []struct {
		name, in string
		session  bool
		want     error
	}{
		{"chain index above 2^32-1", strings.Replace(sess, `"index":5}`, `"index":4294967296}`, 1), true, olm.ErrNotRepresentable},
		{"skipped index above 2^32-1", strings.Replace(sess, `"index":2}`, `"index":4294967298}`, 1), true, olm.ErrNotRepresentable},
		{"malformed", sess[:len(sess)-2], true, olm.ErrCorruptedPickle},
		{"unknown variant", strings.Replace(sess, `"inactive"`, `"sleeping"`, 1), true, olm.ErrCorruptedPickle},
		{"one-time key ID above 2^32-1", strings.Replace(acct, `"private_keys":{"`, `"private_keys":{"4294967296":[`+strings.Repeat("1,", 31)+`1],"`, 1), false, olm.ErrNotRepresentable},
		{"previous fallback key without a current one", strings.Replace(acct, `"fallback_key":{`, `"fallback_key":null,"x":{`, 1), false, olm.ErrCorruptedPickle},
	} {
		var err error
		if c.session {
			_, err = olm.SessionFromPickleJSON([]byte(c.in))
		} else {
			_, err = olm.AccountFromPickleJSON([]byte(c.in))
		}
		if c.in == sess || c.in == acct {
			t.Fatalf("%s: edit changed nothing", c.name)
		}
		if !errors.Is(err, c.want) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	// More skipped keys than libolm keeps: 41 in one chain is also more
	// than vodozemac keeps, so use two chains of 21.
	if _, err := olm.SessionFromPickleJSON([]byte(manySkipped(t, sess))); !errors.Is(err, olm.ErrNotRepresentable) {
		t.Errorf("42 skipped keys: %v", err)
	}
}

// manySkipped gives the session a second chain and 21 skipped keys in each.
func manySkipped(t *testing.T, p string) string {
	var m map[string]any
	if err := json.Unmarshal([]byte(p), &m); err != nil {
		t.Fatal(err)
	}
	chains := m["receiving_chains"].(map[string]any)["inner"].([]any)
	chain := chains[0].(map[string]any)
	var keys []any
	for i := range 21 {
		keys = append(keys, map[string]any{"key": make([]int, 32), "index": 100 + i})
	}
	chain["skipped_message_keys"] = map[string]any{"inner": keys}
	other := map[string]any{}
	for k, v := range chain {
		other[k] = v
	}
	other["ratchet_key"] = make([]int, 32)
	m["receiving_chains"] = map[string]any{"inner": []any{other, chain}}
	out, _ := json.Marshal(m)
	return string(out)
}

// FuzzVodozemacPickleJSON: any input fails with a known error or loads an
// account or session whose JSON form loads again to the same JSON.
func FuzzVodozemacPickleJSON(f *testing.F) {
	v := testvectors.Load[testvectors.VodozemacPickles](f, "vodozemac_pickles.json")
	f.Add(false, []byte(v.Accounts[2].Pickle))
	for _, c := range v.Sessions {
		f.Add(true, []byte(c.Pickle))
	}
	f.Fuzz(func(t *testing.T, session bool, b []byte) {
		check := func(err error) bool {
			if err != nil && !errors.Is(err, olm.ErrCorruptedPickle) && !errors.Is(err, olm.ErrNotRepresentable) {
				t.Fatalf("unexpected error %v", err)
			}
			return err == nil
		}
		if session {
			s, err := olm.SessionFromPickleJSON(b)
			if !check(err) {
				return
			}
			j := s.PickleJSON()
			s2, err := olm.SessionFromPickleJSON(j)
			if err != nil || !bytes.Equal(s2.PickleJSON(), j) {
				t.Fatalf("unstable: %v", err)
			}
			return
		}
		a, err := olm.AccountFromPickleJSON(b)
		if !check(err) {
			return
		}
		j := a.PickleJSON()
		a2, err := olm.AccountFromPickleJSON(j)
		if err != nil || !bytes.Equal(a2.PickleJSON(), j) {
			t.Fatalf("unstable: %v", err)
		}
	})
}

// TestVodozemacPublishedKeysLazy: the public keys of published one-time
// keys (which vodozemac's JSON does not store) are derived when needed: a
// pre-key message to one of them creates a session, and the libolm pickle
// holds them.
func TestVodozemacPublishedKeysLazy(t *testing.T) {
	v := testvectors.Load[testvectors.VodozemacPickles](t, "vodozemac_pickles.json")
	c := v.Accounts[0] // fresh: 50 unpublished keys with known public keys
	a, err := olm.AccountFromPickleJSON([]byte(c.Pickle))
	if err != nil {
		t.Fatal(err)
	}
	a.MarkKeysAsPublished()
	b, err := olm.AccountFromPickleJSON(a.PickleJSON()) // no public keys left in the JSON
	if err != nil {
		t.Fatal(err)
	}
	var otk newt.Curve25519PublicKey
	for _, k := range c.UnpublishedOneTimeKeys {
		if otk, err = newt.ParseCurve25519PublicKey(k); err != nil {
			t.Fatal(err)
		}
		break
	}
	libolm, err := olm.AccountFromPickle(b.Pickle(nil), nil) // derives them
	if err != nil {
		t.Fatal(err)
	}
	for _, acct := range []*olm.Account{b, libolm} {
		alice := olm.GenerateAccount()
		out, err := alice.NewOutboundSession(acct.IdentityKeys().Curve25519, otk)
		if err != nil {
			t.Fatal(err)
		}
		m, _ := out.Encrypt([]byte("to a published key"))
		if _, pt, err := acct.NewInboundSession(m.(*olm.PreKeyMessage)); err != nil || string(pt) != "to a published key" {
			t.Fatalf("inbound session with a published key: %v", err)
		}
	}
}

// widenKeyIDs rewrites the six-character key IDs of libolm's one-time key
// JSON ({"curve25519":{"<id>":"<key>",...}}) in vodozemac's eleven-character
// form, keeping the order.
func widenKeyIDs(t *testing.T, libolmJSON string) string {
	t.Helper()
	out := libolmJSON
	for _, f := range strings.Split(libolmJSON, `"`) {
		if len(f) != 6 {
			continue
		}
		id, err := newt.ParseKeyID(f)
		if err != nil {
			continue
		}
		out = strings.Replace(out, `"`+f+`"`, `"`+newt.NewWideKeyID(id.Uint64()).String()+`"`, 1)
	}
	return out
}

// TestVodozemacAccountKeyIDs checks that an account loaded from vodozemac's
// JSON keeps publishing key IDs in vodozemac's 64-bit form, continuing its
// counter, and that a libolm pickle of it goes back to libolm's form.
func TestVodozemacAccountKeyIDs(t *testing.T) {
	v := testvectors.Load[testvectors.VodozemacMigration](t, "vodozemac_migration.json")
	a, err := olm.AccountFromPickleJSON([]byte(v.Accounts[0].Pickle))
	if err != nil {
		t.Fatal(err)
	}
	before := len(a.OneTimeKeys())
	gen, err := a.GenerateOneTimeKeys(2)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range gen.Created {
		if !k.ID.IsWide() || len(k.ID.String()) != 11 {
			t.Errorf("new key ID %v is not in vodozemac's form", k.ID)
		}
	}
	keys := a.OneTimeKeys()
	if len(keys) != before+2 || keys[0].ID.Uint64() != keys[1].ID.Uint64()+1 {
		t.Fatalf("keys after generating two: %v", keys)
	}
	signed, err := a.SignedOneTimeKeysJSON("@a:b", "D")
	if err != nil || !strings.Contains(string(signed), `"signed_curve25519:`+keys[0].ID.String()+`"`) {
		t.Errorf("signed keys %s, %v", signed, err)
	}
	l, err := olm.AccountFromPickle(a.Pickle([]byte("k")), []byte("k"))
	if err != nil {
		t.Fatal(err)
	}
	if id := l.OneTimeKeys()[0].ID; id.IsWide() || id.Uint64() != keys[0].ID.Uint64() {
		t.Errorf("after a libolm pickle: %v, want the libolm form of %v", id, keys[0].ID)
	}
}
