// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

//go:build libolm

package main

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"

	"github.com/newt-e2ee/newt/internal/libolm"
)

// stream is SHA-256(label ‖ u64be(i)) for i = 0, 1, ...
type stream struct {
	label string
	ctr   uint64
}

func (s *stream) bytes(n int) []byte {
	var out []byte
	for len(out) < n {
		b := append([]byte(s.label), 0, 0, 0, 0, 0, 0, 0, 0)
		binary.BigEndian.PutUint64(b[len(s.label):], s.ctr)
		s.ctr++
		d := sha256.Sum256(b)
		out = append(out, d[:]...)
	}
	return out[:n]
}

type olmMessage struct {
	Type      int    `json:"type"`
	Body      string `json:"body"`
	Plaintext string `json:"plaintext"`
}

type session struct {
	Comment   string       `json:"comment"`
	Pickle    string       `json:"pickle"`
	SenderKey string       `json:"sender_key"`
	SessionID string       `json:"session_id"`
	Describe  string       `json:"describe"`
	Pending   []olmMessage `json:"pending"`
}

type megolmMessage struct {
	Body      string `json:"body"`
	Index     uint32 `json:"index"`
	Plaintext string `json:"plaintext"`
}

type groupSession struct {
	Comment         string          `json:"comment"`
	Pickle          string          `json:"pickle"`
	SessionID       string          `json:"session_id"`
	SigningKey      string          `json:"signing_key"`
	FirstKnownIndex uint32          `json:"first_known_index"`
	Verified        bool            `json:"verified"`
	Pending         []megolmMessage `json:"pending"`
}

type output struct {
	PickleKey      string         `json:"pickle_key"`
	Account        string         `json:"account"`
	IdentityKeys   string         `json:"identity_keys"`
	OneTimeKeys    string         `json:"one_time_keys"`
	FallbackKey    string         `json:"fallback_key"`
	Sessions       []session      `json:"sessions"`
	InboundGroup   []groupSession `json:"inbound_group_sessions"`
	OutboundGroup  string         `json:"outbound_group_session"`
	OutboundNextPT string         `json:"outbound_next_plaintext"`
	OutboundNext   string         `json:"outbound_next"`
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "libolmstate:", err)
		os.Exit(1)
	}
}

func run() error {
	key := []byte("libolm pickle key for migration")
	rnd := &stream{label: "newt genvz libolm"}
	out := output{PickleKey: string(key)}

	// Bob: the account that is migrated. 10 one-time keys, 4 published,
	// then 3 more unpublished; two fallback keys (current and previous).
	bob, err := libolm.NewAccount(rnd.bytes(64))
	if err != nil {
		return err
	}
	if err := bob.GenerateOneTimeKeys(4, rnd.bytes(4*32)); err != nil {
		return err
	}
	bob.MarkKeysAsPublished()
	if err := bob.GenerateOneTimeKeys(3, rnd.bytes(3*32)); err != nil {
		return err
	}
	if err := bob.GenerateFallbackKey(rnd.bytes(32)); err != nil {
		return err
	}
	if err := bob.GenerateFallbackKey(rnd.bytes(32)); err != nil {
		return err
	}
	bobKeys := identity(bob.IdentityKeys())
	otks := oneTimeKeys(bob.OneTimeKeys())

	// Alice talks to Bob with libolm too.
	alice, err := libolm.NewAccount(rnd.bytes(64))
	if err != nil {
		return err
	}
	aliceKeys := identity(alice.IdentityKeys())

	// Session 1: Alice -> Bob, Bob received messages 0, 1 and 4 of
	// Alice's first chain (2 and 3 skipped), then replied; Alice has not
	// read the reply. Bob's session holds skipped keys and a sender chain.
	aToB, err := libolm.NewOutboundSession(alice, bobKeys.Curve25519, otks[0], rnd.bytes(64))
	if err != nil {
		return err
	}
	var msgs []olmMessage
	for i := range 6 {
		pt := fmt.Sprintf(`{"libolm message":%d}`, i)
		t, body, err := aToB.Encrypt([]byte(pt), rnd.bytes(aToB.EncryptRandomLength()))
		if err != nil {
			return err
		}
		msgs = append(msgs, olmMessage{Type: t, Body: body, Plaintext: pt})
	}
	bobIn, err := libolm.NewInboundSessionFrom(bob, aliceKeys.Curve25519, msgs[0].Body)
	if err != nil {
		return err
	}
	if err := bob.RemoveOneTimeKeys(bobIn); err != nil {
		return err
	}
	for _, i := range []int{0, 1, 4} {
		if pt, err := bobIn.Decrypt(msgs[i].Type, msgs[i].Body); err != nil || string(pt) != msgs[i].Plaintext {
			return fmt.Errorf("bob decrypt %d: %v", i, err)
		}
	}
	if _, _, err := bobIn.Encrypt([]byte(`{"reply":1}`), rnd.bytes(bobIn.EncryptRandomLength())); err != nil {
		return err
	}
	out.Sessions = append(out.Sessions, session{
		Comment:   "Bob's inbound session: received messages 0, 1 and 4 of Alice's first chain (2 and 3 skipped, their keys kept), then sent a reply (sender chain at index 1)",
		Pickle:    bobIn.Pickle(key),
		SenderKey: aliceKeys.Curve25519,
		SessionID: bobIn.ID(),
		Describe:  bobIn.Describe(),
		Pending:   []olmMessage{msgs[2], msgs[3], msgs[5]},
	})

	// Session 2: Bob starts a session to Alice and sends two pre-key
	// messages; nothing comes back.
	if err := alice.GenerateOneTimeKeys(1, rnd.bytes(32)); err != nil {
		return err
	}
	aliceOTK := oneTimeKeys(alice.OneTimeKeys())[0]
	bobOut, err := libolm.NewOutboundSession(bob, aliceKeys.Curve25519, aliceOTK, rnd.bytes(64))
	if err != nil {
		return err
	}
	for i := range 2 {
		if _, _, err := bobOut.Encrypt(fmt.Appendf(nil, `{"to alice":%d}`, i), rnd.bytes(bobOut.EncryptRandomLength())); err != nil {
			return err
		}
	}
	out.Sessions = append(out.Sessions, session{
		Comment:   "Bob's outbound session to Alice: two pre-key messages sent, nothing received (sender chain only)",
		Pickle:    bobOut.Pickle(key),
		SenderKey: aliceKeys.Curve25519,
		SessionID: bobOut.ID(),
		Describe:  bobOut.Describe(),
	})

	// Megolm: Alice's outbound session, Bob's inbound sessions.
	og, err := libolm.NewOutboundGroupSession(rnd.bytes(160))
	if err != nil {
		return err
	}
	sk := og.SessionKey()
	var mm []megolmMessage
	for i := range 4 {
		pt := fmt.Sprintf(`{"room message":%d}`, i)
		idx := og.MessageIndex()
		body, err := og.Encrypt([]byte(pt))
		if err != nil {
			return err
		}
		mm = append(mm, megolmMessage{Body: body, Index: idx, Plaintext: pt})
	}
	in, err := libolm.NewInboundGroupSession(sk)
	if err != nil {
		return err
	}
	if _, _, err := in.Decrypt(mm[2].Body); err != nil {
		return err
	}
	out.InboundGroup = append(out.InboundGroup, groupSession{
		Comment:         "inbound group session from a signed session key at index 0; decrypted message 2 (latest ratchet at 3)",
		Pickle:          in.Pickle(key),
		SessionID:       in.ID(),
		SigningKey:      in.ID(),
		FirstKnownIndex: in.FirstKnownIndex(),
		Verified:        in.IsVerified(),
		Pending:         []megolmMessage{mm[0], mm[1], mm[3]},
	})
	exp, err := in.Export(1)
	if err != nil {
		return err
	}
	imp, err := libolm.ImportInboundGroupSession(exp)
	if err != nil {
		return err
	}
	out.InboundGroup = append(out.InboundGroup, groupSession{
		Comment:         "inbound group session imported from an export at index 1 (unverified)",
		Pickle:          imp.Pickle(key),
		SessionID:       imp.ID(),
		SigningKey:      imp.ID(),
		FirstKnownIndex: imp.FirstKnownIndex(),
		Verified:        imp.IsVerified(),
		Pending:         []megolmMessage{mm[1], mm[3]},
	})
	out.OutboundGroup = og.Pickle(key)
	out.OutboundNextPT = `{"room message":4}`
	next, err := og.Encrypt([]byte(out.OutboundNextPT))
	if err != nil {
		return err
	}
	out.OutboundNext = next

	out.Account = bob.Pickle(key)
	out.IdentityKeys = bob.IdentityKeys()
	out.OneTimeKeys = bob.OneTimeKeys()
	out.FallbackKey = bob.FallbackKey()
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

type identityKeys struct {
	Curve25519 string `json:"curve25519"`
	Ed25519    string `json:"ed25519"`
}

func identity(s string) identityKeys {
	var k identityKeys
	if err := json.Unmarshal([]byte(s), &k); err != nil {
		panic(err)
	}
	return k
}

func oneTimeKeys(s string) []string {
	var k struct {
		Curve25519 map[string]string `json:"curve25519"`
	}
	if err := json.Unmarshal([]byte(s), &k); err != nil {
		panic(err)
	}
	var out []string
	for _, v := range k.Curve25519 {
		out = append(out, v)
	}
	return out
}
