// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

//go:build libolm

package main

// olm.json: libolm accounts and scripted Olm conversations driven with
// deterministic randomness, with every output libolm produced (identity and
// one-time key JSON, signatures, messages, Describe strings and pickles).
// The olm package replays them on newt's deterministic cores. The layout
// is declared here and mirrored by olm/vectors_test.go.

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/newt-e2ee/newt/internal/libolm"
	tv "github.com/newt-e2ee/newt/testvectors"
)

func init() { register("olm.json", genOlm) }

func genOlm() (any, error) {
	f := &tv.OlmVectors{Comment: "Olm accounts and conversations generated with " + libolmVersion() +
		" (testvectors/gen/olm.go) from deterministic inputs; every output is libolm's. " +
		"Replayed by olm/vectors_test.go on newt's deterministic cores."}
	d := newDRBG("olm/accounts")
	for i, n := range []int{0, 1, 3, 10} {
		c, err := olmAccount(d, i, n, i%2 == 1)
		if err != nil {
			return nil, err
		}
		f.Accounts = append(f.Accounts, c)
	}
	for _, s := range olmScripts {
		c, err := olmConversation(s)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.name, err)
		}
		f.Conversations = append(f.Conversations, c)
	}
	return f, nil
}

func olmAccount(d *drbg, i, n int, fallback bool) (tv.OlmAccountCase, error) {
	c := tv.OlmAccountCase{
		Comment: fmt.Sprintf("generated: %s olm_create_account, %d one-time keys, fallback key %v; inputs from drbg(\"olm/accounts\") case %d",
			libolmVersion(), n, fallback, i),
		Expect:           tv.ExpectSuccess,
		Random:           d.bytes(64),
		PickleKey:        d.bytes(d.intn(33)),
		SignMessage:      d.bytes(d.intn(100)),
		OneTimeKeyCount:  n,
		OneTimeKeyRandom: d.bytes(32 * n),
		FallbackRandom:   tv.Hex{},
	}
	if fallback {
		c.FallbackRandom = d.bytes(32)
	}
	a, err := libolm.NewAccount(c.Random)
	if err != nil {
		return c, err
	}
	defer a.Free()
	c.IdentityKeys = a.IdentityKeys()
	c.Signature = a.Sign(c.SignMessage)
	if err := a.GenerateOneTimeKeys(n, c.OneTimeKeyRandom); err != nil {
		return c, err
	}
	c.OneTimeKeys = a.OneTimeKeys()
	if fallback {
		if err := a.GenerateFallbackKey(c.FallbackRandom); err != nil {
			return c, err
		}
	}
	c.FallbackKey = a.UnpublishedFallbackKey()
	c.Pickle = a.Pickle(c.PickleKey)
	c.PublishedCount = a.MarkKeysAsPublished()
	c.PublishedPickle = a.Pickle(c.PickleKey)
	c.PublishedKeys = a.OneTimeKeys()
	c.PublishedFallback = a.FallbackKey()
	return c, nil
}

// olmScript is a conversation: ops are "a" (Alice encrypts), "b" (Bob
// encrypts), "A3"/"B3" (Alice/Bob decrypts message 3 of the conversation),
// "M3"/"m3" (the same, but its key was dropped: it must fail), "R3"/"r3"
// (replay of message 3), "T3"/"t3" (message 3 with the last bit flipped).
type olmScript struct {
	name     string
	fallback bool
	ops      []string
}

var olmScripts = []olmScript{
	{"ping-pong", false, []string{"a", "B0", "b", "A1", "a", "B2", "b", "A3", "a", "B4", "b", "A5"}},
	{"pre-key burst delivered in reverse, then replies", false, []string{"a", "a", "a", "a", "B3", "B1", "B2", "B0", "b", "b", "A5", "A4", "a", "B6"}},
	{"fallback key", true, []string{"a", "B0", "b", "A1", "b", "A2"}},
	{"old chain delivered after newer chains", false, []string{"a", "B0", "b", "b", "A2", "a", "B3", "b", "A4", "A1", "a", "B5"}},
	{"replays and tampering are rejected and change nothing", false, []string{"a", "a", "T0", "B0", "R0", "B1", "b", "A2", "r2", "t2", "a", "T3", "B3"}},
	{"message 44 first keeps skipped keys 43..4", false, olm44()},
}

func olm44() []string {
	ops := []string{"a", "B0", "b", "A1"}
	for range 45 {
		ops = append(ops, "a")
	}
	// Messages 2..46 are indices 0..44 of Alice's second chain: after 44,
	// Bob keeps the keys of 43..4, so 3 (message 5) is gone and 4 is not.
	return append(ops, "B46", "M5", "B6", "B30")
}

type olmParty struct {
	acct *libolm.Account
	sess *libolm.Session
}

func olmConversation(s olmScript) (tv.OlmConversationCase, error) {
	d := newDRBG("olm/conversation/" + s.name)
	c := tv.OlmConversationCase{
		Comment:         fmt.Sprintf("generated: %s, conversation %q; inputs from drbg(\"olm/conversation/%s\")", libolmVersion(), s.name, s.name),
		Expect:          tv.ExpectSuccess,
		PickleKey:       d.bytes(1 + d.intn(32)),
		AliceRandom:     d.bytes(64),
		BobRandom:       d.bytes(64),
		BobKeyRandom:    d.bytes(32),
		BobUsesFallback: s.fallback,
		SessionRandom:   d.bytes(64),
	}
	var alice, bob olmParty
	var err error
	if alice.acct, err = libolm.NewAccount(c.AliceRandom); err != nil {
		return c, err
	}
	defer alice.acct.Free()
	if bob.acct, err = libolm.NewAccount(c.BobRandom); err != nil {
		return c, err
	}
	defer bob.acct.Free()
	var keys string
	if s.fallback {
		err = bob.acct.GenerateFallbackKey(c.BobKeyRandom)
		keys = bob.acct.FallbackKey()
	} else {
		err = bob.acct.GenerateOneTimeKeys(1, c.BobKeyRandom)
		keys = bob.acct.OneTimeKeys()
	}
	if err != nil {
		return c, err
	}
	var ids struct{ Curve25519 string }
	var otks struct{ Curve25519 map[string]string }
	if err := json.Unmarshal([]byte(bob.acct.IdentityKeys()), &ids); err != nil {
		return c, err
	}
	if err := json.Unmarshal([]byte(keys), &otks); err != nil || len(otks.Curve25519) != 1 {
		return c, fmt.Errorf("one-time keys %s: %v", keys, err)
	}
	var otk string
	for _, k := range otks.Curve25519 {
		otk = k
	}
	if alice.sess, err = libolm.NewOutboundSession(alice.acct, ids.Curve25519, otk, c.SessionRandom); err != nil {
		return c, err
	}
	defer alice.sess.Free()
	c.SessionID = alice.sess.ID()

	type sent struct {
		typ  int
		body string
		pt   []byte
	}
	var msgs []sent
	for _, op := range s.ops {
		var p *olmParty
		name := "alice"
		if op[0] == 'b' || op[0] == 'B' || op[0] == 'M' || op[0] == 'R' || op[0] == 'T' {
			p, name = &bob, "bob"
		} else {
			p = &alice
		}
		st := tv.OlmStep{Party: name, Plaintext: tv.Hex{}, Random: tv.Hex{}}
		if op == "a" || op == "b" {
			st.Action, st.Expect = "encrypt", tv.ExpectSuccess
			st.Comment = fmt.Sprintf("%s encrypts message %d", name, len(msgs))
			st.Plaintext = d.bytes(d.intn(80))
			if n := p.sess.EncryptRandomLength(); n > 0 {
				st.Random = d.bytes(n)
			}
			st.Type, st.Message, err = p.sess.Encrypt(st.Plaintext, st.Random)
			if err != nil {
				return c, err
			}
			msgs = append(msgs, sent{st.Type, st.Message, st.Plaintext})
		} else {
			var i int
			if _, err := fmt.Sscanf(op[1:], "%d", &i); err != nil || i >= len(msgs) {
				return c, fmt.Errorf("bad op %q", op)
			}
			m := msgs[i]
			st.Action, st.Type, st.Message = "decrypt", m.typ, m.body
			switch op[0] {
			case 'A', 'B':
				st.Comment = fmt.Sprintf("%s decrypts message %d", name, i)
			case 'M', 'm':
				st.Comment = fmt.Sprintf("%s decrypts message %d, whose key was dropped", name, i)
			case 'R', 'r':
				st.Comment = fmt.Sprintf("%s gets message %d again (replay)", name, i)
			case 'T', 't':
				st.Comment = fmt.Sprintf("%s gets message %d with the last bit flipped", name, i)
				raw := b64(m.body)
				raw[len(raw)-1] ^= 1
				st.Message = libolm.Base64Encode(raw)
			}
			var pt []byte
			if p.sess == nil {
				// Bob's first message creates his session; on failure
				// nothing is created.
				sess, err := libolm.NewInboundSession(p.acct, st.Message)
				if err != nil {
					return c, err
				}
				pt, err = sess.Decrypt(st.Type, st.Message)
				if err == nil {
					if err := p.acct.RemoveOneTimeKeys(sess); err != nil {
						return c, err
					}
					p.sess = sess
					defer sess.Free()
				} else {
					sess.Free()
				}
				st.Expect = expectOf(err)
			} else {
				before := p.sess.Pickle(c.PickleKey)
				pt, err = p.sess.Decrypt(st.Type, st.Message)
				st.Expect = expectOf(err)
				if err != nil && p.sess.Pickle(c.PickleKey) != before {
					return c, errors.New("libolm changed the session on a failed decrypt")
				}
			}
			if st.Expect == tv.ExpectSuccess {
				if string(pt) != string(m.pt) {
					return c, fmt.Errorf("step %q: plaintext differs", op)
				}
				st.Plaintext = pt
			}
			if (op[0] == 'A' || op[0] == 'B') != (st.Expect == tv.ExpectSuccess) {
				return c, fmt.Errorf("step %q: unexpected result %s", op, st.Expect)
			}
		}
		if p.sess != nil {
			st.Pickle = p.sess.Pickle(c.PickleKey)
			st.Describe = p.sess.Describe()
		}
		c.Steps = append(c.Steps, st)
	}
	if bob.sess == nil {
		return c, errors.New("no message reached Bob")
	}
	// Keep the file small: within a run of encryptions by one party, only
	// the last step records the session.
	for i := 0; i+1 < len(c.Steps); i++ {
		if st, next := &c.Steps[i], c.Steps[i+1]; st.Action == "encrypt" && next.Action == "encrypt" && next.Party == st.Party {
			st.Pickle, st.Describe = "", ""
		}
	}
	c.BobAccountPickle = bob.acct.Pickle(c.PickleKey)
	c.AliceSessionPickle = alice.sess.Pickle(c.PickleKey)
	c.BobSessionPickle = bob.sess.Pickle(c.PickleKey)
	c.AliceDescribe = alice.sess.Describe()
	c.BobDescribe = bob.sess.Describe()
	return c, nil
}

// expectOf is "success" or libolm's error name.
func expectOf(err error) string {
	if err == nil {
		return tv.ExpectSuccess
	}
	var e *libolm.Error
	if errors.As(err, &e) {
		return e.Name
	}
	return err.Error()
}
