// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package olm_test

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"testing"

	"github.com/newt-e2ee/newt/olm"
	"github.com/newt-e2ee/newt/testvectors"
)

// decodedAsExpected reports whether the vector called comment decoded, as
// it should (ok) or should not (!ok), so that its fields can be checked. A
// decoding of the wrong outcome fails the test.
func decodedAsExpected(t *testing.T, comment string, ok bool, err error) bool {
	t.Helper()
	switch {
	case !ok && err == nil:
		t.Errorf("%s: accepted", comment)
	case ok && err != nil:
		t.Errorf("%s: %v", comment, err)
	}
	return ok && err == nil
}

// TestMessageVectors decodes the Olm cases of message.json. newt's Message
// is stricter than the wire codec: it also requires version 3, a 32-byte
// ratchet key, a counter and a ciphertext.
func TestMessageVectors(t *testing.T) {
	v := testvectors.Load[testvectors.Messages](t, "message.json")
	for _, c := range v.Olm {
		m, err := olm.NewMessage(c.Encoded)
		usable := c.Expect == testvectors.ExpectSuccess && c.MACLength == olm.MACSize && c.Version == olm.Version &&
			len(c.RatchetKey) == 32 && c.HasCounter && c.Ciphertext != nil
		if !decodedAsExpected(t, c.Comment, usable, err) {
			continue
		}
		rk := m.RatchetKey().Array()
		if !bytes.Equal(rk[:], c.RatchetKey) || m.Counter() != c.Counter || !bytes.Equal(m.Ciphertext(), c.Ciphertext) ||
			!bytes.Equal(m.MAC(), c.MAC) || m.Version() != byte(c.Version) || !bytes.Equal(m.Bytes(), c.Encoded) {
			t.Errorf("%s: fields differ", c.Comment)
		}
	}
	for _, c := range v.PreKey {
		p, err := olm.NewPreKeyMessage(c.Encoded)
		if !decodedAsExpected(t, c.Comment, c.Expect == testvectors.ExpectSuccess, err) {
			continue
		}
		otk, base, id := p.OneTimeKey().Array(), p.BaseKey().Array(), p.IdentityKey().Array()
		if !bytes.Equal(otk[:], c.OneTimeKey) || !bytes.Equal(base[:], c.BaseKey) || !bytes.Equal(id[:], c.IdentityKey) ||
			!bytes.Equal(p.Message().Bytes(), c.Message) || p.SessionID() != c.SessionID || !bytes.Equal(p.Bytes(), c.Encoded) {
			t.Errorf("%s: fields differ", c.Comment)
		}
		if p.Type() != olm.MessageTypePreKey || p.Message().Type() != olm.MessageTypeNormal {
			t.Error("types")
		}
	}
}

// The normal message MESSAGE of vodozemac's src/olm/messages/mod.rs tests.
func TestMessageAccessors(t *testing.T) {
	const body = "AwogI7JhE/UsMZqXKb3xV6kUZWoJc6jTm2+AIgWYmaETIR0QASIQ+X2zb7kEX/3JvoLspcNBcLWOFXYpV0nS"
	m, err := olm.ParseMessage(body)
	if err != nil {
		t.Fatal(err)
	}
	if m.RatchetKey().String() != "I7JhE/UsMZqXKb3xV6kUZWoJc6jTm2+AIgWYmaETIR0" || m.Counter() != 1 ||
		hex.EncodeToString(m.MAC()) != "b58e1576295749d2" || m.Base64() != body || m.String() != body {
		t.Fatal("accessors")
	}
	want := []byte{249, 125, 179, 111, 185, 4, 95, 253, 201, 190, 130, 236, 165, 195, 65, 112}
	if !bytes.Equal(m.Ciphertext(), want) {
		t.Fatal("ciphertext")
	}
	// Accessors return copies.
	m.Ciphertext()[0] ^= 1
	m.Bytes()[0] ^= 1
	if m.Base64() != body {
		t.Fatal("a returned slice aliases the message")
	}
}

func TestParseEncryptedMessage(t *testing.T) {
	ans := testvectors.LoadAnswers(t)
	pre := ans.Get("olm/script/m1")
	m, err := olm.ParseEncryptedMessage(olm.MessageTypePreKey, pre)
	if err != nil || m.Type() != olm.MessageTypePreKey || m.Base64() != pre {
		t.Fatalf("pre-key: %v", err)
	}
	// libolm treats any type other than 1 as pre-key; newt knows 0 and 1.
	for _, typ := range []olm.MessageType{-1, 2, 7} {
		if _, err := olm.ParseEncryptedMessage(typ, pre); !errors.Is(err, olm.ErrBadMessageFormat) {
			t.Errorf("type %d: %v", typ, err)
		}
	}
	// A pre-key message is not a valid normal message (libolm:
	// BAD_MESSAGE_FORMAT).
	if _, err := olm.ParseEncryptedMessage(olm.MessageTypeNormal, pre); err == nil {
		t.Error("pre-key message parsed as type 1")
	}
	// Strict base64: padding, spaces, newlines and URL-safe characters.
	for _, bad := range []string{pre + "=", " " + pre, pre[:40] + "\n" + pre[40:], "-" + pre[1:], pre[:len(pre)-3]} {
		if _, err := olm.ParsePreKeyMessage(bad); !errors.Is(err, olm.ErrBadMessageFormat) {
			t.Errorf("%q: %v", bad[:10], err)
		}
	}
	// The pre-key wrapper's version is checked (libolm ignores it).
	raw, _ := base64.RawStdEncoding.DecodeString(pre)
	raw[0] = 2
	if _, err := olm.NewPreKeyMessage(raw); !errors.Is(err, olm.ErrBadVersion) {
		t.Errorf("outer version 2: %v", err)
	}
	// And the inner message's.
	raw[0] = 3
	raw[105] = 5
	if _, err := olm.NewPreKeyMessage(raw); !errors.Is(err, olm.ErrBadVersion) {
		t.Errorf("inner version 5: %v", err)
	}
	// Version 4 (SessionConfigV2) has a 32-byte MAC: this 8-byte-MAC
	// message then does not parse.
	raw[105] = 4
	if _, err := olm.NewPreKeyMessage(raw); !errors.Is(err, olm.ErrBadMessageFormat) {
		t.Errorf("inner version 4 with an 8-byte MAC: %v", err)
	}
}

// TestBadLengths tries every truncation and some extensions of a pre-key
// and a normal message: none may panic, truncations never decode, and a
// decode that succeeds keeps the input bytes.
func TestBadLengths(t *testing.T) {
	_, bob, as, first := setup(t)
	bs, _, err := bob.NewInboundSession(first)
	if err != nil {
		t.Fatal(err)
	}
	normal := encrypt(t, bs, "reply").(*olm.Message)
	for _, enc := range [][]byte{first.Bytes(), normal.Bytes()} {
		for n := range len(enc) {
			if _, err := olm.NewMessage(enc[:n]); err == nil {
				t.Errorf("truncation to %d decoded as a message", n)
			}
			if _, err := olm.NewPreKeyMessage(enc[:n]); err == nil {
				t.Errorf("truncation to %d decoded as a pre-key message", n)
			}
		}
		for n := 1; n <= 100; n++ {
			ext := append(bytes.Clone(enc), make([]byte, n)...)
			if m, err := olm.NewMessage(ext); err == nil {
				if !bytes.Equal(m.Bytes(), ext) {
					t.Fatal("decoded message lost bytes")
				}
				sessionUnchanged(t, as, nil, func() error { _, err := as.Decrypt(m); return err })
			}
			if p, err := olm.NewPreKeyMessage(ext); err == nil && !bytes.Equal(p.Bytes(), ext) {
				t.Fatal("decoded pre-key message lost bytes")
			}
		}
	}
}

// TestNewEncryptedMessage checks that the binary constructor agrees with
// the base64 one on both message types and rejects other types.
func TestNewEncryptedMessage(t *testing.T) {
	_, bob, _, pre := setup(t)
	bs, _, err := bob.NewInboundSession(pre)
	if err != nil {
		t.Fatal(err)
	}
	normal, err := bs.Encrypt([]byte("hello"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []olm.EncryptedMessage{pre, normal} {
		got, err := olm.NewEncryptedMessage(m.Type(), m.Bytes())
		if err != nil || got.Type() != m.Type() || got.Base64() != m.Base64() {
			t.Errorf("NewEncryptedMessage(%d, ...) = %v, %v", m.Type(), got, err)
		}
		if got, err := olm.NewEncryptedMessage(1-m.Type(), m.Bytes()); err == nil && got.Type() != 1-m.Type() {
			t.Errorf("decoded as type %d: %v", got.Type(), got)
		}
	}
	if m, err := olm.NewEncryptedMessage(2, normal.Bytes()); m != nil || !errors.Is(err, olm.ErrBadMessageFormat) {
		t.Errorf("type 2: %v, %v", m, err)
	}
}
