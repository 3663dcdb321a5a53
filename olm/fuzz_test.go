// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package olm

import (
	"bytes"
	"errors"
	"testing"

	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/internal/pickle"
	"github.com/newt-e2ee/newt/testvectors"
)

// seedMessages adds the encoded messages of olm.json and message.json of
// the given type to f's corpus.
func seedMessages(f *testing.F, typ MessageType) {
	v := testvectors.Load[testvectors.OlmVectors](f, "olm.json")
	for _, c := range v.Conversations {
		for _, st := range c.Steps {
			if MessageType(st.Type) == typ {
				f.Add(newttest.Base64(f, st.Message))
			}
		}
	}
	m := testvectors.Load[testvectors.Messages](f, "message.json")
	if typ == MessageTypeNormal {
		for _, c := range m.Olm {
			f.Add([]byte(c.Encoded))
		}
	} else {
		for _, c := range m.PreKey {
			f.Add([]byte(c.Encoded))
		}
	}
}

// FuzzMessage: a decoded message re-encodes to its input byte for byte,
// decodes again to the same fields, and a failed decode returns nil.
func FuzzMessage(f *testing.F) {
	ans := testvectors.LoadAnswers(f)
	katM1 := ans.Get("olm/script/m1")
	katM2 := ans.Get("olm/script/m2")
	katM3 := ans.Get("olm/script/m3")
	for _, s := range []string{katM2, katM3} {
		f.Add(newttest.Base64(f, s))
	}
	f.Add(newttest.Base64(f, katM1)[105:])
	f.Add([]byte{3, 1, 2, 3, 4, 5, 6, 7, 8})
	seedMessages(f, MessageTypeNormal)
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := NewMessage(b)
		if err != nil {
			if m != nil {
				t.Fatal("non-nil message with an error")
			}
			return
		}
		if !bytes.Equal(m.Bytes(), b) {
			t.Fatal("Bytes differ from the input")
		}
		m2, err := ParseMessage(m.Base64())
		if err != nil || m2.RatchetKey() != m.RatchetKey() || m2.Counter() != m.Counter() ||
			!bytes.Equal(m2.Ciphertext(), m.Ciphertext()) || !bytes.Equal(m2.MAC(), m.MAC()) || m2.Version() != Version {
			t.Fatalf("base64 round trip: %v", err)
		}
	})
}

// FuzzPreKeyMessage is FuzzMessage for pre-key messages.
func FuzzPreKeyMessage(f *testing.F) {
	ans := testvectors.LoadAnswers(f)
	katM1 := ans.Get("olm/script/m1")
	katM1b := ans.Get("olm/script/m1b")
	f.Add(newttest.Base64(f, katM1))
	f.Add(newttest.Base64(f, katM1b))
	f.Add([]byte{3})
	seedMessages(f, MessageTypePreKey)
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := NewPreKeyMessage(b)
		if err != nil {
			if p != nil {
				t.Fatal("non-nil message with an error")
			}
			return
		}
		if !bytes.Equal(p.Bytes(), b) {
			t.Fatal("Bytes differ from the input")
		}
		p2, err := ParseEncryptedMessage(MessageTypePreKey, p.Base64())
		if err != nil {
			t.Fatal(err)
		}
		q := p2.(*PreKeyMessage)
		if q.OneTimeKey() != p.OneTimeKey() || q.BaseKey() != p.BaseKey() || q.IdentityKey() != p.IdentityKey() ||
			!bytes.Equal(q.Message().Bytes(), p.Message().Bytes()) || q.SessionID() != p.SessionID() {
			t.Fatal("round trip changed the fields")
		}
	})
}

// scriptMessages returns the messages of the Alice/Bob script (m3, m2, m1,
// m1b, in base64) and Bob's session pickle after m2, from fixed.json.
func scriptMessages(tb testing.TB) (msgs []string, bobAfterM2 string) {
	ans := testvectors.LoadAnswers(tb)
	for _, name := range []string{"m3", "m2", "m1", "m1b"} {
		msgs = append(msgs, ans.Get("olm/script/"+name))
	}
	return msgs, ans.Get("olm/script/bob_pickle_after_m2")
}

// FuzzSessionDecrypt decrypts arbitrary input with Bob's session of the
// Alice/Bob script (after m2) and requires that a failure changes nothing.
// Inputs are tried as a message and as a pre-key message; getting past the
// MAC is left to the ratchet's own tests.
func FuzzSessionDecrypt(f *testing.F) {
	msgs, katBobPickleAfterM2 := scriptMessages(f)
	for _, m := range msgs {
		f.Add(newttest.Base64(f, m))
	}
	seedMessages(f, MessageTypeNormal)
	seedMessages(f, MessageTypePreKey)
	base, err := SessionFromPickle(katBobPickleAfterM2, pickleKey)
	if err != nil {
		f.Fatal(err)
	}
	before := base.Pickle(pickleKey)
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := SessionFromPickle(katBobPickleAfterM2, pickleKey)
		if err != nil {
			t.Fatal(err)
		}
		var msgs []EncryptedMessage
		if m, err := NewMessage(b); err == nil {
			msgs = append(msgs, m)
		}
		if p, err := NewPreKeyMessage(b); err == nil {
			msgs = append(msgs, p)
		}
		for _, m := range msgs {
			pt, err := s.Decrypt(m)
			if err != nil {
				if pt != nil {
					t.Fatal("plaintext with an error")
				}
				if s.Pickle(pickleKey) != before {
					t.Fatal("failed decrypt changed the session")
				}
			}
		}
	})
}

// FuzzNewInboundSession gives arbitrary pre-key messages to Bob's account of
// the Alice/Bob script and requires that a failure changes nothing.
func FuzzNewInboundSession(f *testing.F) {
	ans := testvectors.LoadAnswers(f)
	katM1 := ans.Get("olm/script/m1")
	katM1b := ans.Get("olm/script/m1b")
	f.Add(newttest.Base64(f, katM1))
	f.Add(newttest.Base64(f, katM1b))
	mk := func() *Account {
		a := newAccount(seq64(0x40))
		a.generateOneTimeKeys(1, newttest.Seq(0x80, 32))
		a.generateFallbackKey(seq32(0x60))
		return a
	}
	before := mk().Pickle(pickleKey)
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := NewPreKeyMessage(b)
		if err != nil {
			return
		}
		a := mk()
		s, pt, err := a.NewInboundSession(m)
		if err != nil {
			if s != nil || pt != nil {
				t.Fatal("result with an error")
			}
			if a.Pickle(pickleKey) != before {
				t.Fatal("failed inbound session changed the account")
			}
		}
	})
}

// FuzzAccountPickle feeds arbitrary plaintext through the pickle envelope
// (so the fuzzer gets past the MAC) and arbitrary pickle text. A decoded
// account re-pickles to a pickle that decodes to the same account.
func FuzzAccountPickle(f *testing.F) {
	ans := testvectors.LoadAnswers(f)
	katAccountPickle := ans.Get("olm/account/pickle")
	katAccountPickleKeys := ans.Get("olm/account/pickle_with_keys")
	katAccountPickleMarked := ans.Get("olm/account/pickle_published")
	katV3AccountPickle := ans.Get("olm/libolm_tests/account_v3_pickle")
	for _, p := range []string{katAccountPickle, katAccountPickleKeys, katAccountPickleMarked} {
		raw, err := pickle.Decrypt(pickleKey, []byte(p))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw, false)
	}
	raw, err := pickle.Decrypt(nil, []byte(katV3AccountPickle))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(raw, false)
	f.Add([]byte(katAccountPickle), true)
	for _, c := range testvectors.Load[testvectors.OlmVectors](f, "olm.json").Accounts {
		for _, p := range []string{c.Pickle, c.PublishedPickle} {
			if raw, err := pickle.Decrypt(c.PickleKey, []byte(p)); err == nil {
				f.Add(raw, false)
			}
		}
	}
	f.Fuzz(func(t *testing.T, b []byte, asText bool) {
		p := b
		if !asText {
			p = []byte(newttest.SealPickle(pickleKey, b))
		}
		a, err := AccountFromPickle(string(p), pickleKey)
		if err != nil {
			if a != nil {
				t.Fatal("account with an error")
			}
			if !errors.Is(err, ErrBadPickleKey) && !errors.Is(err, ErrCorruptedPickle) &&
				!errors.Is(err, ErrUnknownPickleVersion) && !errors.Is(err, ErrLegacyAccountPickle) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		p2 := a.Pickle(pickleKey)
		a2, err := AccountFromPickle(p2, pickleKey)
		if err != nil || a2.Pickle(pickleKey) != p2 {
			t.Fatalf("re-pickle does not round trip: %v", err)
		}
	})
}

// FuzzSessionPickle is FuzzAccountPickle for sessions.
func FuzzSessionPickle(f *testing.F) {
	ans := testvectors.LoadAnswers(f)
	katAlicePickleAfterM1b := ans.Get("olm/script/alice_pickle_after_m1b")
	katBobPickleAfterM2 := ans.Get("olm/script/bob_pickle_after_m2")
	katAliceFinalPickle := ans.Get("olm/script/alice_pickle_final")
	katBobFinalPickle := ans.Get("olm/script/bob_pickle_final")
	katV2SessionPickle := ans.Get("olm/libolm_tests/session_v2_pickle")
	katDecryptPickle := ans.Get("olm/libolm_tests/decrypt_pickle")
	for _, v := range []struct {
		p   string
		key []byte
	}{{katAlicePickleAfterM1b, pickleKey}, {katBobPickleAfterM2, pickleKey}, {katBobFinalPickle, pickleKey}, {katV2SessionPickle, pickleKey}, {katDecryptPickle, nil}} {
		raw, err := pickle.Decrypt(v.key, []byte(v.p))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw, false)
	}
	f.Add([]byte(katAliceFinalPickle), true)
	for _, c := range testvectors.Load[testvectors.OlmVectors](f, "olm.json").Conversations {
		for _, st := range c.Steps {
			if raw, err := pickle.Decrypt(c.PickleKey, []byte(st.Pickle)); err == nil && st.Pickle != "" {
				f.Add(raw, false)
			}
		}
	}
	f.Fuzz(func(t *testing.T, b []byte, asText bool) {
		p := b
		if !asText {
			p = []byte(newttest.SealPickle(pickleKey, b))
		}
		s, err := SessionFromPickle(string(p), pickleKey)
		if err != nil {
			if s != nil {
				t.Fatal("session with an error")
			}
			if !errors.Is(err, ErrBadPickleKey) && !errors.Is(err, ErrCorruptedPickle) && !errors.Is(err, ErrUnknownPickleVersion) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		p2 := s.Pickle(pickleKey)
		s2, err := SessionFromPickle(p2, pickleKey)
		if err != nil || s2.Pickle(pickleKey) != p2 {
			t.Fatalf("re-pickle does not round trip: %v", err)
		}
		// The session must not panic whatever its state.
		_, _ = s.Encrypt([]byte("x"))
		_ = s.Describe()
	})
}
