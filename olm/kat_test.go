// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package olm

// Known-answer tests on the deterministic cores. Every expected value comes
// from libolm 3.2.13 (testvectors/fixed.json: the Alice/Bob script, the
// account answers and libolm's own test pickles), never from newt.

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/internal/pickle"
	"github.com/newt-e2ee/newt/testvectors"
)

var pickleKey = []byte("secret_key")

func seq64(start byte) *[64]byte { return (*[64]byte)(newttest.Seq(start, 64)) }

func seq32(start byte) *[32]byte { return (*[32]byte)(newttest.Seq(start, 32)) }

func checkString(t *testing.T, what, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("%s =\n  %s\nwant\n  %s", what, got, want)
	}
}

func mustParse(t *testing.T, typ MessageType, body string) EncryptedMessage {
	t.Helper()
	m, err := ParseEncryptedMessage(typ, body)
	if err != nil {
		t.Fatalf("parse %s: %v", body, err)
	}
	return m
}

// TestAliceBobKAT runs the whole Alice/Bob script (fixed.json, olm/script).
func TestAliceBobKAT(t *testing.T) {
	ans := testvectors.LoadAnswers(t)
	katAliceIdentity := ans.Get("olm/script/alice_identity_keys")
	katAliceSig := ans.Get("olm/script/alice_signature")
	katBobIdentity := ans.Get("olm/script/bob_identity_keys")
	katBobOTKs := ans.Get("olm/script/bob_one_time_keys")
	katSessionID := ans.Get("olm/script/session_id")
	katM1 := ans.Get("olm/script/m1")
	katM1b := ans.Get("olm/script/m1b")
	katM2 := ans.Get("olm/script/m2")
	katM3 := ans.Get("olm/script/m3")
	katAlicePickleAfterM1b := ans.Get("olm/script/alice_pickle_after_m1b")
	katBobPickleBefore := ans.Get("olm/script/bob_pickle_before_decrypt")
	katBobPickleAfterM2 := ans.Get("olm/script/bob_pickle_after_m2")
	katAliceFinalPickle := ans.Get("olm/script/alice_pickle_final")
	katBobFinalPickle := ans.Get("olm/script/bob_pickle_final")
	alice := newAccount(seq64(0x00))
	bob := newAccount(seq64(0x40))
	checkString(t, "Alice identity", string(alice.IdentityKeysJSON()), katAliceIdentity)
	checkString(t, "Bob identity", string(bob.IdentityKeysJSON()), katBobIdentity)
	checkString(t, "Alice sign", alice.Sign([]byte("Hello, World")).String(), katAliceSig)
	if len(alice.IdentityKeysJSON()) != IdentityKeysJSONSize {
		t.Error("identity JSON length")
	}

	gen := bob.generateOneTimeKeys(1, newttest.Seq(0x80, 32))
	if len(gen.Created) != 1 || gen.Created[0].ID != newt.NewKeyID(1) || len(gen.Removed) != 0 {
		t.Fatalf("generation result %+v", gen)
	}
	checkString(t, "Bob OTKs", string(bob.OneTimeKeysJSON()), katBobOTKs)
	bobKeys := bob.IdentityKeys()
	otk := bob.OneTimeKeys()[0].Key

	aliceSession, err := alice.newOutboundSession(bobKeys.Curve25519, otk, seq64(0xa0))
	if err != nil {
		t.Fatal(err)
	}
	checkString(t, "session ID", aliceSession.ID(), katSessionID)
	if aliceSession.MessageType() != MessageTypePreKey || aliceSession.HasReceivedMessage() {
		t.Error("a new outbound session must send pre-key messages")
	}

	m1, err := aliceSession.encrypt([]byte("Hello, Bob"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if m1.Type() != MessageTypePreKey {
		t.Fatalf("m1 type %d", m1.Type())
	}
	checkString(t, "m1", m1.Base64(), katM1)
	if len(m1.Bytes()) != 168 {
		t.Errorf("m1 is %d bytes, want 168", len(m1.Bytes()))
	}
	m1b, err := aliceSession.encrypt([]byte("Hello again"), nil)
	if err != nil {
		t.Fatal(err)
	}
	checkString(t, "m1b", m1b.Base64(), katM1b)
	checkString(t, "Alice pickle after m1b", string(aliceSession.Pickle(pickleKey)), katAlicePickleAfterM1b)

	// Bob's session as libolm has it before the first decrypt.
	pre := mustParse(t, MessageTypePreKey, katM1).(*PreKeyMessage)
	if pre.SessionID() != katSessionID {
		t.Errorf("pre-key SessionID = %s", pre.SessionID())
	}
	bob.mu.Lock()
	bobBefore, oneTime, err := bob.newInboundSession(pre)
	bob.mu.Unlock()
	if err != nil || !oneTime {
		t.Fatalf("newInboundSession: %v, %v", oneTime, err)
	}
	checkString(t, "Bob pickle before decrypt", string(bobBefore.Pickle(pickleKey)), katBobPickleBefore)

	accountBefore := bob.Pickle(pickleKey)
	bobSession, pt, err := bob.NewInboundSession(pre)
	if err != nil || string(pt) != "Hello, Bob" {
		t.Fatalf("NewInboundSession = %q, %v", pt, err)
	}
	if (bob.Pickle(pickleKey) == accountBefore) || len(bob.OneTimeKeys()) != 0 {
		t.Error("the one-time key was not consumed")
	}
	checkString(t, "Bob session ID", bobSession.ID(), katSessionID)
	if !bobSession.Matches(pre) || !bobSession.MatchesFrom(alice.IdentityKeys().Curve25519, pre) {
		t.Error("Bob's session does not match m1")
	}
	if pt, err := bobSession.Decrypt(mustParse(t, MessageTypePreKey, katM1b)); err != nil || string(pt) != "Hello again" {
		t.Fatalf("Bob decrypt m1b = %q, %v", pt, err)
	}
	before := bobSession.Pickle(pickleKey)
	if _, err := bobSession.Decrypt(pre); !errors.Is(err, ErrMissingMessageKey) {
		t.Fatalf("replay of m1: %v, want ErrMissingMessageKey (libolm: BAD_MESSAGE_MAC)", err)
	}
	if before != bobSession.Pickle(pickleKey) {
		t.Fatal("replay changed the session")
	}

	m2, err := bobSession.encrypt([]byte("Hello, Alice"), newttest.Seq(0xe0, 32))
	if err != nil {
		t.Fatal(err)
	}
	if m2.Type() != MessageTypeNormal {
		t.Fatal("Bob's reply should be a normal message")
	}
	checkString(t, "m2", m2.Base64(), katM2)
	checkString(t, "Bob pickle after m2", string(bobSession.Pickle(pickleKey)), katBobPickleAfterM2)

	if pt, err := aliceSession.Decrypt(mustParse(t, MessageTypeNormal, katM2)); err != nil || string(pt) != "Hello, Alice" {
		t.Fatalf("Alice decrypt m2 = %q, %v", pt, err)
	}
	if !aliceSession.HasReceivedMessage() || aliceSession.MessageType() != MessageTypeNormal {
		t.Fatal("Alice should send normal messages now")
	}
	m3, err := aliceSession.encrypt([]byte("Third"), bytes.Repeat([]byte{0x11}, 32))
	if err != nil {
		t.Fatal(err)
	}
	checkString(t, "m3", m3.Base64(), katM3)
	checkString(t, "Alice final pickle", string(aliceSession.Pickle(pickleKey)), katAliceFinalPickle)
	if pt, err := bobSession.Decrypt(m3); err != nil || string(pt) != "Third" {
		t.Fatalf("Bob decrypt m3 = %q, %v", pt, err)
	}
	checkString(t, "Bob final pickle", string(bobSession.Pickle(pickleKey)), katBobFinalPickle)

	// Every pickle loads and writes back byte for byte.
	for _, p := range []string{katAlicePickleAfterM1b, katBobPickleBefore, katBobPickleAfterM2, katAliceFinalPickle, katBobFinalPickle} {
		s, err := SessionFromPickle(p, pickleKey)
		if err != nil {
			t.Fatalf("SessionFromPickle: %v", err)
		}
		checkString(t, "re-pickle", string(s.Pickle(pickleKey)), p)
		checkString(t, "unpickled session ID", s.ID(), katSessionID)
	}
}

// TestAccountKAT checks the account answers (fixed.json, olm/account).
func TestAccountKAT(t *testing.T) {
	ans := testvectors.LoadAnswers(t)
	katAccountPickle := ans.Get("olm/account/pickle")
	katAccountPickleEmptyKey := ans.Get("olm/account/pickle_empty_key")
	katTwoOTKs := ans.Get("olm/account/one_time_keys")
	katFallbackJSON := ans.Get("olm/account/fallback_key")
	katAccountPickleKeys := ans.Get("olm/account/pickle_with_keys")
	katAccountPickleMarked := ans.Get("olm/account/pickle_published")
	a := newAccount(seq64(0x00))
	checkString(t, "fresh pickle", string(a.Pickle(pickleKey)), katAccountPickle)
	checkString(t, "fresh pickle, key \"\"", string(a.Pickle(nil)), katAccountPickleEmptyKey)
	checkString(t, "fresh pickle, key \"\" (empty slice)", string(a.Pickle([]byte{})), katAccountPickleEmptyKey)

	a.generateOneTimeKeys(2, newttest.Seq(0x40, 64))
	checkString(t, "2 OTKs", string(a.OneTimeKeysJSON()), katTwoOTKs)
	a.generateFallbackKey(seq32(0x80))
	checkString(t, "fallback", string(a.UnpublishedFallbackKeyJSON()), katFallbackJSON)
	checkString(t, "fallback (deprecated API)", string(a.FallbackKeyJSON()), katFallbackJSON)
	p := a.Pickle(pickleKey)
	checkString(t, "pickle with keys", string(p), katAccountPickleKeys)

	raw, err := pickle.Decrypt(pickleKey, []byte(p))
	if err != nil {
		t.Fatal(err)
	}
	if len(raw) != 380 {
		t.Errorf("raw pickle is %d bytes, want 380", len(raw))
	}
	if binary.BigEndian.Uint32(raw) != 4 || !bytes.Equal(raw[132:164], newttest.Seq(0x20, 32)) {
		t.Errorf("raw pickle head %x", raw[:200])
	}

	if n := a.MarkKeysAsPublished(); n != 2 {
		t.Errorf("MarkKeysAsPublished = %d, want 2", n)
	}
	checkString(t, "marked", string(a.Pickle(pickleKey)), katAccountPickleMarked)
	checkString(t, "OTKs after publishing", string(a.OneTimeKeysJSON()), `{"curve25519":{}}`)
	checkString(t, "unpublished fallback after publishing", string(a.UnpublishedFallbackKeyJSON()), `{"curve25519":{}}`)
	checkString(t, "fallback after publishing", string(a.FallbackKeyJSON()), katFallbackJSON)

	for _, v := range []struct {
		pickle string
		key    []byte
	}{{katAccountPickle, pickleKey}, {katAccountPickleEmptyKey, nil}, {katAccountPickleKeys, pickleKey}, {katAccountPickleMarked, pickleKey}} {
		b, err := AccountFromPickle(v.pickle, v.key)
		if err != nil {
			t.Fatal(err)
		}
		checkString(t, "account re-pickle", string(b.Pickle(v.key)), v.pickle)
	}
}

// TestOneTimeKeyCapacity checks libolm's capacity (include/olm/account.hh,
// MAX_ONE_TIME_KEYS): of 101 keys, 100 are kept, IDs AAAAZQ (101) down to
// AAAAAg (2), and the JSON is 5516 bytes.
func TestOneTimeKeyCapacity(t *testing.T) {
	a := newAccount(seq64(0))
	random := make([]byte, 32*101)
	for i := range random {
		random[i] = byte(i * 7)
	}
	// The deterministic core takes only the randomness of the keys kept.
	gen := a.generateOneTimeKeys(101, random[32:])
	if len(gen.Created) != 100 || len(gen.Removed) != 0 {
		t.Fatalf("created %d, removed %d", len(gen.Created), len(gen.Removed))
	}
	keys := a.OneTimeKeys()
	if len(keys) != MaxOneTimeKeys {
		t.Fatalf("%d keys kept", len(keys))
	}
	if keys[0].ID.String() != "AAAAZQ" || keys[99].ID.String() != "AAAAAg" {
		t.Errorf("IDs %s..%s", keys[0].ID, keys[99].ID)
	}
	if n := len(a.OneTimeKeysJSON()); n != 5516 {
		t.Errorf("JSON length %d, want 5516", n)
	}
	// One more key evicts the oldest (ID 2).
	gen = a.generateOneTimeKeys(1, random[:32])
	if len(gen.Removed) != 1 || gen.Removed[0].ID != newt.NewKeyID(2) || gen.Created[0].ID != newt.NewKeyID(102) {
		t.Errorf("generation result %+v", gen)
	}
	if MaxOneTimeKeys != 100 {
		t.Error("MaxOneTimeKeys is not libolm's 100")
	}
}

// TestOldPickles checks the pickles from libolm's own tests
// (tests/test_session.cpp, tests/test_olm.cpp).
func TestOldPickles(t *testing.T) {
	ans := testvectors.LoadAnswers(t)
	katV1AccountPickle := ans.Get("olm/libolm_tests/account_v1_pickle")
	katV3AccountPickle := ans.Get("olm/libolm_tests/account_v3_pickle")
	katV1SessionPickle := ans.Get("olm/libolm_tests/session_v1_pickle")
	katV2SessionPickle := ans.Get("olm/libolm_tests/session_v2_pickle")
	if _, err := AccountFromPickle(katV1AccountPickle, nil); !errors.Is(err, ErrLegacyAccountPickle) {
		t.Errorf("v1 account: %v, want ErrLegacyAccountPickle", err)
	}

	a, err := AccountFromPickle(katV3AccountPickle, nil)
	if err != nil {
		t.Fatalf("v3 account: %v", err)
	}
	checkString(t, "v3 fallback", string(a.FallbackKeyJSON()), ans.Get("olm/libolm_tests/account_v3_fallback_key"))
	checkString(t, "v3 unpublished fallback", string(a.UnpublishedFallbackKeyJSON()), `{"curve25519":{}}`)
	checkString(t, "v3 OTKs", string(a.OneTimeKeysJSON()), `{"curve25519":{}}`)
	raw, err := pickle.Decrypt(nil, []byte(a.Pickle(nil)))
	if err != nil {
		t.Fatal(err)
	}
	if binary.BigEndian.Uint32(raw) != 4 {
		t.Errorf("re-pickled version %d, want 4", binary.BigEndian.Uint32(raw))
	}
	// v4 layout: 0 OTKs, 1 fallback key (id 1, published), next id 1.
	tail := raw[4+96+64:]
	if binary.BigEndian.Uint32(tail) != 0 || tail[4] != 1 || binary.BigEndian.Uint32(tail[5:]) != 1 || tail[9] != 1 ||
		len(tail) != 4+1+69+4 || binary.BigEndian.Uint32(tail[len(tail)-4:]) != 1 {
		t.Errorf("re-pickled v3 account tail %x", tail)
	}

	// V1 session pickle and its expected fields.
	s1, err := SessionFromPickle(katV1SessionPickle, pickleKey)
	if err != nil {
		t.Fatalf("V1 session: %v", err)
	}
	checkString(t, "V1 session ID", s1.ID(), ans.Get("olm/libolm_tests/session_v1_id"))
	checkString(t, "V1 re-pickle", string(s1.Pickle(pickleKey)), katV1SessionPickle)
	raw, err = pickle.Decrypt(pickleKey, []byte(katV1SessionPickle))
	if err != nil {
		t.Fatal(err)
	}
	want := []byte{0, 0, 0, 1, 0}
	v1 := "olm/libolm_tests/session_v1/"
	want = append(want, ans.Hex(v1+"alice_identity_key_hex")...)
	want = append(want, ans.Hex(v1+"alice_base_key_hex")...)
	want = append(want, ans.Hex(v1+"bob_one_time_key_hex")...)
	want = append(want, ans.Hex(v1+"root_key_hex")...)
	want = append(want, 0, 0, 0, 1)
	want = append(want, ans.Hex(v1+"sender_ratchet_public_hex")...)
	want = append(want, ans.Hex(v1+"sender_ratchet_private_hex")...)
	want = append(want, ans.Hex(v1+"sender_chain_key_hex")...)
	want = append(want, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
	if !bytes.Equal(raw, want) {
		t.Errorf("V1 session plaintext\n%x\nwant\n%x", raw, want)
	}
	if s1.HasReceivedMessage() || s1.MessageType() != MessageTypePreKey {
		t.Error("V1 session: received must be false")
	}
	if got := s1.Describe(); got != "sender chain index: 0 receiver chain indices: skipped message keys:" {
		t.Errorf("V1 session Describe = %q", got)
	}

	// V2 (0x80000001) is the same state plus an ignored u32; it is
	// re-pickled as version 1.
	s2, err := SessionFromPickle(katV2SessionPickle, pickleKey)
	if err != nil {
		t.Fatalf("V2 session: %v", err)
	}
	checkString(t, "V2 re-pickle", string(s2.Pickle(pickleKey)), katV1SessionPickle)
}

// TestOlmDecryptRegressions checks libolm's test_olm_decrypt.cpp cases: the
// test passes hex-decoded bytes as the base64 body; each must fail with
// BAD_MESSAGE_FORMAT and leave the session unchanged.
func TestOlmDecryptRegressions(t *testing.T) {
	ans := testvectors.LoadAnswers(t)
	katDecryptPickle := ans.Get("olm/libolm_tests/decrypt_pickle")
	s, err := SessionFromPickle(katDecryptPickle, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !s.HasReceivedMessage() {
		t.Error("received must be true")
	}
	before := s.Pickle(nil)
	cases := ans.Prefixed("olm/libolm_tests/decrypt_regression_hex/")
	if len(cases) != 4 {
		t.Fatalf("%d regression cases, want libolm's 4", len(cases))
	}
	for c := range cases {
		body := string(newttest.Hex(t, c))
		m, err := ParseEncryptedMessage(MessageTypePreKey, body)
		if err == nil {
			_, err = s.Decrypt(m)
		}
		if !errors.Is(err, ErrBadMessageFormat) {
			t.Errorf("case %s: %v, want ErrBadMessageFormat", c, err)
		}
		// The raw bytes as a message must fail too.
		if m, err := NewPreKeyMessage([]byte(body)); err == nil {
			if _, err := s.Decrypt(m); err == nil {
				t.Errorf("case %s decrypted", c)
			}
		}
	}
	if before != s.Pickle(nil) {
		t.Error("session changed")
	}
}

func TestKeyIDs(t *testing.T) {
	for id, want := range map[uint32]string{1: "AAAAAQ", 2: "AAAAAg", 255: "AAAA/w", 256: "AAABAA", 0xFFFFFFFF: "/////w"} {
		checkString(t, "key id", newt.NewKeyID(id).String(), want)
	}
}

// TestSessionFailureSemantics reaches the ratchet's checks through a
// session, bypassing the strict message decoder, and checks that each
// failure leaves the session pickle identical and the next genuine message
// still decrypts.
func TestSessionFailureSemantics(t *testing.T) {
	ans := testvectors.LoadAnswers(t)
	katM2 := ans.Get("olm/script/m2")
	katM3 := ans.Get("olm/script/m3")
	katBobPickleAfterM2 := ans.Get("olm/script/bob_pickle_after_m2")
	katAliceFinalPickle := ans.Get("olm/script/alice_pickle_final")
	katBobFinalPickle := ans.Get("olm/script/bob_pickle_final")
	// Bob after decrypting m3: no sender chain, receiver chains for
	// Alice's ratchet keys.
	// Bob after m2 has a sender chain and has not seen m3.
	load := func(p string) *Session {
		s, err := SessionFromPickle(p, pickleKey)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	m3 := newttest.Base64(t, katM3)
	forge := func(f func(b []byte) []byte) *Message {
		return &Message{raw: f(bytes.Clone(m3))}
	}
	low := make([]byte, 32) // the zero point, of low order
	cases := []struct {
		name   string
		pickle string
		msg    *Message
		target error
	}{
		{"bad MAC", katBobPickleAfterM2, forge(func(b []byte) []byte { b[len(b)-1] ^= 1; return b }), ErrBadMAC},
		{"bad version", katBobPickleAfterM2, forge(func(b []byte) []byte { b[0] = 4; return b }), ErrBadVersion},
		{"malformed", katBobPickleAfterM2, forge(func(b []byte) []byte { return b[:20] }), ErrBadMessageFormat},
		{"empty", katBobPickleAfterM2, &Message{raw: []byte{}}, ErrBadMessageFormat},
		{"replay", katBobFinalPickle, forge(func(b []byte) []byte { return b }), ErrMissingMessageKey},
		{"unknown chain", katBobFinalPickle, forge(func(b []byte) []byte { b[5] ^= 1; return b }), ErrUnknownChain},
	}
	for _, c := range cases {
		s := load(c.pickle)
		before := s.Pickle(pickleKey)
		if _, err := s.Decrypt(c.msg); !errors.Is(err, c.target) {
			t.Errorf("%s: %v, want %v", c.name, err, c.target)
		}
		if before != s.Pickle(pickleKey) {
			t.Errorf("%s: session changed", c.name)
		}
	}

	// Alice after m3 has a sender chain: a new chain with a low-order
	// ratchet key fails in the DH step; one with a huge counter fails the
	// gap check before any key is derived.
	alice, err := SessionFromPickle(katAliceFinalPickle, pickleKey)
	if err != nil {
		t.Fatal(err)
	}
	before := alice.Pickle(pickleKey)
	m2 := newttest.Base64(t, katM2)
	lowMsg := bytes.Clone(m2)
	copy(lowMsg[3:35], low)
	if _, err := alice.Decrypt(&Message{raw: lowMsg}); !errors.Is(err, ErrNonContributory) {
		t.Errorf("low-order ratchet key: %v", err)
	}
	far := bytes.Clone(m2)
	copy(far[3:35], newttest.Seq(0x55, 32))
	far = append(far[:35:35], append([]byte{0x10, 0xd1, 0x0f}, far[37:]...)...) // counter 2001
	var gap *MessageGapError
	if _, err := alice.Decrypt(&Message{raw: far}); !errors.As(err, &gap) || gap.Gap != 2001 {
		t.Errorf("counter 2001 on a new chain: %v", err)
	}
	if before != alice.Pickle(pickleKey) {
		t.Error("Alice's session changed")
	}
	// After all this, the genuine m3 still decrypts.
	bob := load(katBobPickleAfterM2)
	if pt, err := bob.Decrypt(mustParse(t, MessageTypeNormal, katM3)); err != nil || string(pt) != "Third" {
		t.Errorf("m3: %q, %v", pt, err)
	}
	checkString(t, "Bob after m3", string(bob.Pickle(pickleKey)), katBobFinalPickle)
}
