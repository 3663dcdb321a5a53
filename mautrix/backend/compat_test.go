// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package backend_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	molm "maunium.net/go/mautrix/crypto/olm"
	"maunium.net/go/mautrix/id"

	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/olm"
)

// pickler is what every crypto/olm object has.
type pickler interface {
	Pickle(key []byte) ([]byte, error)
}

// checkRepickle loads the pickle p (written by one implementation) with
// load (another implementation) and checks that the loaded object pickles to
// the same bytes.
func checkRepickle[T pickler](t *testing.T, what string, p []byte, load func(p, key []byte) (T, error)) T {
	t.Helper()
	v, err := load(p, testKey)
	if err != nil {
		t.Fatalf("%s: load: %v", what, err)
	}
	again, err := v.Pickle(testKey)
	if err != nil {
		t.Fatalf("%s: pickle: %v", what, err)
	}
	if !bytes.Equal(again, p) {
		t.Fatalf("%s: re-pickled bytes differ:\n got %s\nwant %s", what, again, p)
	}
	return v
}

// TestPicklesByteEqual writes an account and the four session types with one
// implementation, loads them with another, and checks that the second writes
// the same bytes, in both directions between newt's backend and each peer
// (goolm; libolm with the build tag libolm). States are not fresh: accounts
// hold used, published and unpublished one-time keys; Olm sessions have
// received and skipped messages; group sessions have moved on.
func TestPicklesByteEqual(t *testing.T) {
	for _, p := range peers {
		for _, dir := range [][2]impl{{newtImpl, p}, {p, newtImpl}} {
			w, r := dir[0], dir[1]
			t.Run(fmt.Sprintf("%s->%s", w.name, r.name), func(t *testing.T) {
				// Account, and the Olm sessions of a conversation between two
				// accounts of the writing implementation.
				a, _ := w.newAccount()
				b, _ := w.newAccount()
				out, in := olmPair(t, a, b)
				oneTimeKey(t, b, 20) // published
				b.GenOneTimeKeys(5)  // unpublished
				send(t, out, in, "more pre-key")
				send(t, in, out, "reply")
				// Skipped messages: encrypt three, deliver only the last.
				for i := range 3 {
					typ, body, err := out.Encrypt([]byte("skip"))
					if err != nil {
						t.Fatal(err)
					}
					if i == 2 {
						if _, err := in.Decrypt(string(body), typ); err != nil {
							t.Fatal(err)
						}
					}
				}
				ra := checkRepickle(t, "account", newttest.MustPickle(t, b, testKey), r.accountFromPickle)
				sameAccount(t, b, ra)
				checkRepickle(t, "outbound Olm session", newttest.MustPickle(t, out, testKey), r.sessionFromPickle)
				checkRepickle(t, "inbound Olm session", newttest.MustPickle(t, in, testKey), r.sessionFromPickle)

				// Group sessions.
				ogs, _ := w.newOutbound()
				key := []byte(ogs.Key())
				var msgs [][]byte
				for range 4 {
					m, _ := ogs.Encrypt([]byte("room"))
					msgs = append(msgs, m)
				}
				rogs := checkRepickle(t, "outbound group session", newttest.MustPickle(t, ogs, testKey), r.outboundFromPickle)
				if rogs.Key() != ogs.Key() || rogs.ID() != ogs.ID() || rogs.MessageIndex() != ogs.MessageIndex() {
					t.Fatal("outbound group session: other key, ID or index after loading")
				}
				igs, err := w.newInbound(key)
				if err != nil {
					t.Fatal(err)
				}
				igs.Decrypt(msgs[2])
				rigs := checkRepickle(t, "inbound group session", newttest.MustPickle(t, igs, testKey), r.inboundFromPickle)
				for i := uint32(0); i < 4; i++ {
					e1, err1 := igs.Export(i)
					e2, err2 := rigs.Export(i)
					if err1 != nil || err2 != nil || !bytes.Equal(e1, e2) {
						t.Fatalf("Export(%d) differs: %v, %v", i, err1, err2)
					}
				}
				// An imported (unverified) session, pickled before and after
				// its first decryption.
				exported, _ := igs.Export(1)
				imp, err := w.importInbound(exported)
				if err != nil {
					t.Fatal(err)
				}
				checkRepickle(t, "imported group session", newttest.MustPickle(t, imp, testKey), r.inboundFromPickle)
				imp.Decrypt(msgs[3])
				checkRepickle(t, "imported group session after a decryption", newttest.MustPickle(t, imp, testKey), r.inboundFromPickle)
			})
		}
	}
}

// sameAccount checks that two accounts have the same public keys.
func sameAccount(t *testing.T, a, b molm.Account) {
	t.Helper()
	ed1, c1, _ := a.IdentityKeys()
	ed2, c2, _ := b.IdentityKeys()
	if ed1 != ed2 || c1 != c2 {
		t.Fatal("other identity keys")
	}
	j1, _ := a.IdentityKeysJSON()
	j2, _ := b.IdentityKeysJSON()
	var m1, m2 map[string]string
	if json.Unmarshal(j1, &m1) != nil || json.Unmarshal(j2, &m2) != nil || fmt.Sprint(m1) != fmt.Sprint(m2) {
		t.Fatalf("other identity key JSON: %s, %s", j1, j2)
	}
	k1, _ := a.OneTimeKeys()
	k2, _ := b.OneTimeKeys()
	if fmt.Sprint(k1) != fmt.Sprint(k2) {
		t.Fatalf("other one-time keys: %d, %d", len(k1), len(k2))
	}
	s1, _ := a.Sign([]byte("sign me"))
	s2, _ := b.Sign([]byte("sign me"))
	if !bytes.Equal(s1, s2) {
		t.Fatal("other signatures")
	}
}

// preKeyFields decodes the base64 pre-key message body with newt and
// returns its fields in libolm's order: one-time key, base key, identity
// key, inner message.
func preKeyFields(t *testing.T, body []byte) []byte {
	t.Helper()
	m, err := olm.ParsePreKeyMessage(string(body))
	if err != nil {
		t.Fatal(err)
	}
	var b []byte
	b = append(b, m.OneTimeKey().Bytes()...)
	b = append(b, m.BaseKey().Bytes()...)
	b = append(b, m.IdentityKey().Bytes()...)
	return append(b, m.Message().Bytes()...)
}

// TestCiphertextsByteEqual loads the same pickled state into newt's backend
// and a peer and checks that both encrypt to the same bytes: Megolm messages
// and session keys, Olm pre-key messages, and Olm normal messages within a
// chain (a new chain takes fresh randomness, so it cannot be compared).
// It also compares signatures of accounts and cross-signing keys.
func TestCiphertextsByteEqual(t *testing.T) {
	plaintexts := [][]byte{[]byte("x"), []byte(`{"type":"m.room.message","content":{"body":"hello"}}`), bytes.Repeat([]byte("a"), 4096)}
	for _, p := range peers {
		for _, w := range []impl{newtImpl, p} {
			t.Run(fmt.Sprintf("writer=%s/peer=%s", w.name, p.name), func(t *testing.T) {
				ogs, _ := w.newOutbound()
				ogs.Encrypt([]byte("advance"))
				op := newttest.MustPickle(t, ogs, testKey)
				n, _ := newtImpl.outboundFromPickle(op, testKey)
				q, _ := p.outboundFromPickle(op, testKey)
				if n.Key() != q.Key() {
					t.Fatal("session keys differ")
				}
				for _, pt := range plaintexts {
					c1, err1 := n.Encrypt(pt)
					c2, err2 := q.Encrypt(pt)
					if err1 != nil || err2 != nil || !bytes.Equal(c1, c2) {
						t.Fatalf("Megolm ciphertexts differ (%v, %v)", err1, err2)
					}
				}

				a, _ := w.newAccount()
				b, _ := w.newAccount()
				out, in := olmPair(t, a, b)
				outPickle := newttest.MustPickle(t, out, testKey) // sends pre-key messages in its first chain
				send(t, in, out, "reply")                         // in now has a sending chain too
				for _, sp := range [][]byte{outPickle, newttest.MustPickle(t, in, testKey)} {
					ns, _ := newtImpl.sessionFromPickle(sp, testKey)
					ps, _ := p.sessionFromPickle(sp, testKey)
					for _, pt := range plaintexts {
						t1, c1, err1 := ns.Encrypt(pt)
						t2, c2, err2 := ps.Encrypt(pt)
						if err1 != nil || err2 != nil || t1 != t2 {
							t.Fatalf("Olm Encrypt: type %d, %d (%v, %v)", t1, t2, err1, err2)
						}
						if t1 == id.OlmMsgTypePreKey && p.preKeyFieldOrder {
							c1, c2 = preKeyFields(t, c1), preKeyFields(t, c2)
						}
						if !bytes.Equal(c1, c2) {
							t.Fatalf("Olm ciphertexts (type %d) differ", t1)
						}
					}
				}
				ap := newttest.MustPickle(t, a, testKey)
				na, _ := newtImpl.accountFromPickle(ap, testKey)
				pa, _ := p.accountFromPickle(ap, testKey)
				sameAccount(t, na, pa)
			})
		}

		t.Run("pksigning/peer="+p.name, func(t *testing.T) {
			seed := bytes.Repeat([]byte{0x5a}, 32)
			n, err := newtImpl.pkSigningFromSeed(seed)
			if err != nil {
				t.Fatal(err)
			}
			q, err := p.pkSigningFromSeed(seed)
			if err != nil {
				t.Fatal(err)
			}
			if n.PublicKey() != q.PublicKey() || !bytes.Equal(n.Seed(), q.Seed()) {
				t.Fatal("public keys or seeds differ")
			}
			s1, _ := n.Sign([]byte("message"))
			s2, _ := q.Sign([]byte("message"))
			if !bytes.Equal(s1, s2) {
				t.Fatal("signatures differ")
			}
			for i, obj := range signJSONObjects() {
				j1, err1 := n.SignJSON(obj)
				j2, err2 := q.SignJSON(obj)
				if err1 != nil || err2 != nil || j1 != j2 {
					t.Errorf("SignJSON of object %d: %q, %q (%v, %v)", i, j1, j2, err1, err2)
				}
			}
		})
	}
}

// signJSONObjects are values mautrix signs with a cross-signing key, shaped
// like its CrossSigningKeys and DeviceKeys, and strings that exercise
// canonical JSON's escaping: HTML characters (encoding/json escapes them),
// non-ASCII, control characters, and members that signing must drop.
func signJSONObjects() []any {
	type crossSigningKeys struct {
		UserID     string                       `json:"user_id"`
		Usage      []string                     `json:"usage"`
		Keys       map[string]string            `json:"keys"`
		Signatures map[string]map[string]string `json:"signatures,omitempty"`
	}
	return []any{
		crossSigningKeys{
			UserID: "@alice:example.org",
			Usage:  []string{"self_signing"},
			Keys:   map[string]string{"ed25519:abc": "abc"},
			Signatures: map[string]map[string]string{
				"@alice:example.org": {"ed25519:master": "sig"},
			},
		},
		map[string]any{
			"user_id":    "@bob:example.org",
			"device_id":  "<DEVICE&ID>",
			"algorithms": []string{"m.olm.v1.curve25519-aes-sha2", "m.megolm.v1.aes-sha2"},
			"keys":       map[string]string{"curve25519:D": "Zé\u00e9\u2028\u2029 \t\n\x01", "ed25519:D": "日本語 🐈"},
			"unsigned":   map[string]any{"device_display_name": "x"},
			"signatures": map[string]any{},
			"nested":     map[string]any{"unsigned": 1, "signatures": 2, "n": -9007199254740991},
		},
		json.RawMessage(`{"b":1,"a":[true,false,null],"c":{"z":"\u0041\/"}}`),
	}
}

// TestConversations runs Olm and Megolm conversations between newt's backend
// and each peer, in both directions, through crypto/olm's interfaces only:
// pre-key messages received as mautrix receives them, several pre-key
// messages before the first reply, messages delivered out of order, and
// both sides pickled and reloaded mid-conversation, by their own
// implementation and by the other one.
func TestConversations(t *testing.T) {
	for _, p := range peers {
		for _, dir := range [][2]impl{{newtImpl, p}, {p, newtImpl}} {
			x, y := dir[0], dir[1]
			t.Run(fmt.Sprintf("olm/%s->%s", x.name, y.name), func(t *testing.T) {
				olmConversation(t, x, y)
			})
			t.Run(fmt.Sprintf("megolm/%s->%s", x.name, y.name), func(t *testing.T) {
				megolmConversation(t, x, y)
			})
		}
	}
}

func olmConversation(t *testing.T, x, y impl) {
	a, _ := x.newAccount()
	b, _ := y.newAccount()
	out, in := olmPair(t, a, b)

	// A second pre-key message before any reply goes to the same session.
	typ, body, _ := out.Encrypt([]byte("second"))
	if typ != id.OlmMsgTypePreKey {
		t.Fatalf("type %d, want pre-key", typ)
	}
	if ok, err := in.MatchesInboundSession(string(body)); !ok || err != nil {
		t.Fatalf("MatchesInboundSession = %v, %v", ok, err)
	}
	if pt, err := in.Decrypt(string(body), typ); err != nil || string(pt) != "second" {
		t.Fatalf("Decrypt = %q, %v", pt, err)
	}

	type msg struct {
		typ  id.OlmMsgType
		body []byte
		pt   string
	}
	// Rounds: one side sends a burst, the other receives it in reverse order;
	// between rounds both sides are pickled and reloaded, alternately by the
	// other implementation and by their own.
	from, to := in, out
	fromImpl, toImpl := y, x
	for round := range 6 {
		var burst []msg
		for i := range 4 {
			pt := fmt.Sprintf("round %d message %d", round, i)
			typ, body, err := from.Encrypt([]byte(pt))
			if err != nil {
				t.Fatal(err)
			}
			burst = append(burst, msg{typ, body, pt})
		}
		for i := len(burst) - 1; i >= 0; i-- {
			m := burst[i]
			if pt, err := to.Decrypt(string(m.body), m.typ); err != nil || string(pt) != m.pt {
				t.Fatalf("round %d: Decrypt = %q, %v; want %q", round, pt, err, m.pt)
			}
		}
		if !to.HasReceivedMessage() || to.EncryptMsgType() != id.OlmMsgTypeMsg {
			t.Fatal("receiver still sends pre-key messages")
		}
		loadFrom, loadTo := fromImpl, toImpl
		if round%2 == 0 {
			loadFrom, loadTo = toImpl, fromImpl
		}
		var err error
		if from, err = loadFrom.sessionFromPickle(newttest.MustPickle(t, from, testKey), testKey); err != nil {
			t.Fatal(err)
		}
		if to, err = loadTo.sessionFromPickle(newttest.MustPickle(t, to, testKey), testKey); err != nil {
			t.Fatal(err)
		}
		if from.ID() != to.ID() {
			t.Fatal("session IDs differ")
		}
		from, to = to, from
		fromImpl, toImpl = loadTo, loadFrom
	}
}

func megolmConversation(t *testing.T, x, y impl) {
	out, _ := x.newOutbound()
	in, err := y.newInbound([]byte(out.Key()))
	if err != nil {
		t.Fatal(err)
	}
	if in.ID() != out.ID() || !in.IsVerified() {
		t.Fatal("inbound session: other ID or unverified")
	}
	var msgs [][]byte
	for i := range 20 {
		m, err := out.Encrypt([]byte(fmt.Sprintf("room message %d", i)))
		if err != nil {
			t.Fatal(err)
		}
		msgs = append(msgs, m)
		if i == 9 { // the sender is pickled and reloaded by the other side's implementation
			if out, err = y.outboundFromPickle(newttest.MustPickle(t, out, testKey), testKey); err != nil {
				t.Fatal(err)
			}
		}
	}
	order := []int{3, 0, 19, 7, 7, 12, 1, 18, 2, 4, 5, 6, 8, 9, 10, 11, 13, 14, 15, 16, 17}
	for k, i := range order {
		pt, index, err := in.Decrypt(msgs[i])
		if err != nil || string(pt) != fmt.Sprintf("room message %d", i) || index != uint(i) {
			t.Fatalf("Decrypt(%d) = %q, %d, %v", i, pt, index, err)
		}
		if k == 5 { // the receiver is pickled and reloaded by the sender's implementation
			if in, err = x.inboundFromPickle(newttest.MustPickle(t, in, testKey), testKey); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Forwarded from index 5 to the sender's implementation.
	exported, err := in.Export(5)
	if err != nil {
		t.Fatal(err)
	}
	fwd, err := x.importInbound(exported)
	if err != nil {
		t.Fatal(err)
	}
	if fwd.IsVerified() || fwd.FirstKnownIndex() != 5 {
		t.Fatalf("imported session: verified %v, first index %d", fwd.IsVerified(), fwd.FirstKnownIndex())
	}
	if _, _, err := fwd.Decrypt(msgs[4]); err == nil {
		t.Fatal("imported session decrypted a message before its first index")
	}
	if pt, _, err := fwd.Decrypt(msgs[15]); err != nil || string(pt) != "room message 15" {
		t.Fatalf("imported session: %q, %v", pt, err)
	}
}
