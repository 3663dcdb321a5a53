// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package wire_test

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/internal/wire"
	"github.com/newt-e2ee/newt/testvectors"
)

// knownMessages returns the messages the package's tests decode, base64 as
// transmitted, by the names the tests give them: libolm's Olm script (m1 and
// m1b, Alice's pre-key messages "Hello, Bob" and "Hello again"; m2, Bob's
// reply; m3, Alice's "Third"), the Megolm messages of megolm.json (libolm's
// tests/test_group_session.cpp at index 0; the android test18 message at
// index 13, whose 144-byte ciphertext needs a two-byte length varint; the
// deterministic session's indexes 0 and 1; vodozemac's afl corpus message at
// index 1 with a 32-byte ciphertext) and vodozemac's pre-key and normal
// messages from message.json (vodozemac src/olm/messages/mod.rs).
func knownMessages(t testing.TB) map[string]string {
	t.Helper()
	ans := testvectors.LoadAnswers(t)
	mv := testvectors.Load[testvectors.MegolmVectors](t, "megolm.json")
	msgs := testvectors.Load[testvectors.Messages](t, "message.json")
	vodozemac := func(enc []byte, comment string) string {
		if !strings.Contains(comment, "src/olm/messages/mod.rs") {
			return ""
		}
		return base64.RawStdEncoding.EncodeToString(enc)
	}
	m := map[string]string{
		"vecM1":      ans.Get("olm/script/m1"),
		"vecM1b":     ans.Get("olm/script/m1b"),
		"vecM2":      ans.Get("olm/script/m2"),
		"vecM3":      ans.Get("olm/script/m3"),
		"vecGroup0":  mv.InboundCase(t, "test_group_session export/import").Message,
		"vecGroup13": mv.InboundCase(t, "android test18").Message,
		"vecGroupD0": mv.Outbound.Messages[0],
		"vecGroupD1": mv.Outbound.Messages[1],
		"vecGroupV4": mv.InboundCase(t, "vodozemac V4").Message,
	}
	for _, c := range msgs.Olm {
		if v := vodozemac(c.Encoded, c.Comment); v != "" {
			m["vecV6"] = v
		}
	}
	for _, c := range msgs.PreKey {
		if v := vodozemac(c.Encoded, c.Comment); v != "" {
			m["vecV5"] = v
		}
	}
	if m["vecV5"] == "" || m["vecV6"] == "" {
		t.Fatal("message.json lacks vodozemac's messages")
	}
	return m
}

// TestLibolmMessageVectors checks the codec vectors of libolm's
// tests/test_message.cpp.
func TestLibolmMessageVectors(t *testing.T) {
	t.Run("olm encode", func(t *testing.T) {
		want := cat(3, 0x0a, 0x0a, "ratchetkey", 0x10, 0x01, 0x22, 0x0a, "ciphertext", "hmacsha2")
		if len(want) != 35 {
			t.Fatalf("vector length %d", len(want))
		}
		got := wire.AppendOlmMessageBody(nil, 3, []byte("ratchetkey"), 1, []byte("ciphertext"))
		if n := wire.OlmMessageBodyLen(10, 1, 10); n != len(got) || n != 27 {
			t.Errorf("OlmMessageBodyLen = %d, body %d, want 27", n, len(got))
		}
		if got = append(got, "hmacsha2"...); !bytes.Equal(got, want) {
			t.Errorf("encode = %x, want %x", got, want)
		}
		m := wire.OlmMessage{Version: 3, RatchetKey: []byte("ratchetkey"), Counter: 1, HasCounter: true,
			Ciphertext: []byte("ciphertext"), MAC: []byte("hmacsha2")}
		if got := m.Append(nil); !bytes.Equal(got, want) || m.EncodedLen() != 35 {
			t.Errorf("Append = %x (EncodedLen %d), want %x", got, m.EncodedLen(), want)
		}
	})
	t.Run("olm decode counter first", func(t *testing.T) {
		in := cat(3, 0x10, 0x01, 0x0a, 0x0a, "ratchetkey", 0x22, 0x0a, "ciphertext", "hmacsha2")
		m, err := wire.DecodeOlmMessage(in, 8)
		if err != nil {
			t.Fatal(err)
		}
		want := wire.OlmMessage{Version: 3, RatchetKey: []byte("ratchetkey"), Counter: 1, HasCounter: true,
			Ciphertext: []byte("ciphertext"), MAC: []byte("hmacsha2")}
		if !sameOlm(m, want) {
			t.Errorf("decode = %+v, want %+v", m, want)
		}
		// Aliasing: the slices point into the input.
		if &m.RatchetKey[0] != &in[5] || &m.MAC[0] != &in[len(in)-8] {
			t.Error("decoded slices do not alias the input")
		}
	})
	t.Run("group encode", func(t *testing.T) {
		hdr := wire.AppendMegolmMessageHeader(nil, 3, 200, 10)
		if want := cat(3, 0x08, 0xc8, 0x01, 0x12, 0x0a); !bytes.Equal(hdr, want) {
			t.Errorf("header = %x, want %x", hdr, want)
		}
		if n := wire.MegolmMessageBodyLen(200, 10) + 8 + 64; n != 1+3+12+8+64 {
			t.Errorf("total length %d, want %d", n, 1+3+12+8+64)
		}
		body := wire.AppendMegolmMessageBody(nil, 3, 200, []byte("ciphertext"))
		if !bytes.Equal(body, cat(hdr, "ciphertext")) {
			t.Errorf("body = %x", body)
		}
	})
	t.Run("group decode 16-byte signature", func(t *testing.T) {
		in := cat(3, 0x08, 0xc8, 0x01, 0x12, 0x0a, "ciphertext", "hmacsha2", "ed25519signature")
		m, err := wire.DecodeMegolmMessage(in, 8, 16)
		if err != nil {
			t.Fatal(err)
		}
		want := wire.MegolmMessage{Version: 3, Index: 200, HasIndex: true, Ciphertext: []byte("ciphertext"),
			MAC: []byte("hmacsha2"), Signature: []byte("ed25519signature")}
		if !sameMegolm(m, want) {
			t.Errorf("decode = %+v, want %+v", m, want)
		}
	})
}

// TestOlmVectors parses the normal messages of the Alice/Bob script
// (fixed.json) and of vodozemac's src/olm/messages tests (mod.rs MESSAGE,
// message.rs encode).
func TestOlmVectors(t *testing.T) {
	km := knownMessages(t)
	vecM2 := km["vecM2"]
	vecM3 := km["vecM3"]
	vecV6 := km["vecV6"]
	t.Run("V6", func(t *testing.T) {
		m, err := wire.DecodeOlmMessage(newttest.Base64(t, vecV6), 8)
		if err != nil {
			t.Fatal(err)
		}
		want := wire.OlmMessage{
			Version:    3,
			RatchetKey: newttest.Base64(t, "I7JhE/UsMZqXKb3xV6kUZWoJc6jTm2+AIgWYmaETIR0"),
			Counter:    1, HasCounter: true,
			Ciphertext: []byte{249, 125, 179, 111, 185, 4, 95, 253, 201, 190, 130, 236, 165, 195, 65, 112},
			MAC:        newttest.Hex(t, "b58e1576295749d2"),
		}
		if !sameOlm(m, want) {
			t.Errorf("decode = %+v, want %+v", m, want)
		}
	})
	t.Run("V7 encode", func(t *testing.T) {
		key := []byte("ratchetkeyhereprettyplease123456")
		want := cat(3, 0x0A, 0x20, key, 0x10, 0x02, 0x22, 0x0A, "ciphertext", "MACHEREE")
		got := append(wire.AppendOlmMessageBody(nil, 3, key, 2, []byte("ciphertext")), "MACHEREE"...)
		if !bytes.Equal(got, want) {
			t.Errorf("encode = %x, want %x", got, want)
		}
		// A v4 (vodozemac v2) decode of the same body with a 32-byte MAC.
		mac := "MAC_01234567890_01234567890_HERE"
		m, err := wire.DecodeOlmMessage(cat(want[:len(want)-8], mac), 32)
		if err != nil || !bytes.Equal(m.RatchetKey, key) || m.Counter != 2 || string(m.Ciphertext) != "ciphertext" || string(m.MAC) != mac {
			t.Errorf("32-byte MAC decode = %+v, %v", m, err)
		}
	})
	t.Run("V7 negative", func(t *testing.T) {
		// [3, 0×8]: nothing between version and MAC. vodozemac says
		// MessageTooShort; libolm (and we) decode it with every field
		// missing, which the olm package then rejects.
		m, err := wire.DecodeOlmMessage(cat(3, make([]byte, 8)), 8)
		if err != nil || m.RatchetKey != nil || m.HasCounter || m.Ciphertext != nil {
			t.Errorf("[3, 0x8] = %+v, %v", m, err)
		}
		// [3, 0×9]: a zero tag byte is not a field (protobuf error).
		_, err = wire.DecodeOlmMessage(cat(3, make([]byte, 9)), 8)
		checkDecodeError(t, err, wire.ErrBadTag, 1)
	})
	for name, tc := range map[string]struct {
		vec     string
		counter uint32
	}{
		"m2": {vecM2, 0},
		"m3": {vecM3, 0},
	} {
		t.Run(name, func(t *testing.T) {
			raw := newttest.Base64(t, tc.vec)
			m, err := wire.DecodeOlmMessage(raw, 8)
			if err != nil {
				t.Fatal(err)
			}
			if m.Version != 3 || len(m.RatchetKey) != 32 || !m.HasCounter || m.Counter != tc.counter ||
				len(m.Ciphertext) != 16 || !bytes.Equal(m.MAC, raw[len(raw)-8:]) {
				t.Errorf("decode = %+v", m)
			}
			if got := m.Append(nil); !bytes.Equal(got, raw) {
				t.Errorf("re-encode = %x, want %x", got, raw)
			}
		})
	}
}

// TestPreKeyVectors parses the pre-key messages of the Alice/Bob script (m1,
// m1b) and vodozemac's src/olm/messages/mod.rs PRE_KEY_MESSAGE, including
// their inner messages.
func TestPreKeyVectors(t *testing.T) {
	km := knownMessages(t)
	vecM1 := km["vecM1"]
	vecM1b := km["vecM1b"]
	vecV5 := km["vecV5"]
	ans := testvectors.LoadAnswers(t)
	t.Run("V5", func(t *testing.T) {
		raw := newttest.Base64(t, vecV5)
		p, err := wire.DecodePreKeyMessage(raw)
		if err != nil {
			t.Fatal(err)
		}
		if p.Version != 3 ||
			!bytes.Equal(p.OneTimeKey, newttest.Base64(t, "hAEuxPZ+w7M3pgUae4tDNiggUpOsQ/zci457VAtiAEY")) ||
			!bytes.Equal(p.BaseKey, newttest.Base64(t, "7fE4pEMFYqJwh/GNKZgJhn0MPhEwuO+9yVsyUTnIgRY")) ||
			!bytes.Equal(p.IdentityKey, newttest.Base64(t, "KS6wq/OdwipT6VuAYu0vMpEXHoydJauwH2C1ygoynR0")) {
			t.Errorf("pre-key fields = %+v", p)
		}
		m, err := wire.DecodeOlmMessage(p.Message, 8)
		if err != nil {
			t.Fatal(err)
		}
		want := wire.OlmMessage{
			Version:    3,
			RatchetKey: newttest.Base64(t, "hw3+P+cajhWj9Qzp5g87h+tbpiuh5wEaeUppqmWqug4"),
			Counter:    1, HasCounter: true,
			Ciphertext: newttest.Hex(t, "46167672065c21641b21adb747b538cb5328d51fed2c268c53ec63cd1579b261"),
			MAC:        newttest.Hex(t, "ac0ab27a007c24b6"),
		}
		if !sameOlm(m, want) {
			t.Errorf("inner = %+v, want %+v", m, want)
		}
		if got := wire.AppendPreKeyMessage(nil, &p); !bytes.Equal(got, raw) {
			t.Errorf("re-encode = %x, want %x", got, raw)
		}
	})
	for name, tc := range map[string]struct {
		vec     string
		counter uint32
	}{
		"m1":  {vecM1, 0},
		"m1b": {vecM1b, 1},
	} {
		t.Run(name, func(t *testing.T) {
			raw := newttest.Base64(t, tc.vec)
			p, err := wire.DecodePreKeyMessage(raw)
			if err != nil {
				t.Fatal(err)
			}
			// E_B is Bob's one-time key (OTK JSON) and I_A Alice's curve25519
			// identity key (identity JSON), fixed.json olm/script.
			if p.Version != 3 ||
				!bytes.Equal(p.OneTimeKey, newttest.Base64(t, ans.Get("olm/script/bob_one_time_key_base64"))) ||
				!bytes.Equal(p.IdentityKey, newttest.Base64(t, ans.Get("olm/script/alice_curve25519_base64"))) ||
				len(p.BaseKey) != 32 {
				t.Errorf("pre-key fields = %+v", p)
			}
			m, err := wire.DecodeOlmMessage(p.Message, 8)
			if err != nil {
				t.Fatal(err)
			}
			if m.Version != 3 || len(m.RatchetKey) != 32 || m.Counter != tc.counter || !m.HasCounter || len(m.Ciphertext) != 16 {
				t.Errorf("inner = %+v", m)
			}
			if got := wire.AppendPreKeyMessage(nil, &p); !bytes.Equal(got, raw) {
				t.Errorf("re-encode = %x, want %x", got, raw)
			}
			if name == "m1" {
				// "…10002210fa041ae2264ae7c0858b743a4bde6458410d35f69757de1d"
				if !bytes.Equal(m.Ciphertext, newttest.Hex(t, "fa041ae2264ae7c0858b743a4bde6458")) ||
					!bytes.Equal(m.MAC, newttest.Hex(t, "410d35f69757de1d")) {
					t.Errorf("inner ciphertext %x, MAC %x", m.Ciphertext, m.MAC)
				}
				// 12-byte plaintext sizes (olm::encode_message_length): inner
				// 63, pre-key 168.
				if len(raw) != 168 || wire.PreKeyMessageLen(32, 32, 32, 63) != 168 ||
					wire.OlmMessageBodyLen(32, 0, 16)+8 != 63 {
					t.Errorf("lengths: raw %d, PreKeyMessageLen %d, inner %d", len(raw),
						wire.PreKeyMessageLen(32, 32, 32, 63), wire.OlmMessageBodyLen(32, 0, 16)+8)
				}
			}
		})
	}
}

// TestMegolmVectors parses the Megolm messages of megolm.json and vodozemac's
// afl/megolm-decryption/in/message_125.
func TestMegolmVectors(t *testing.T) {
	km := knownMessages(t)
	vecGroup0 := km["vecGroup0"]
	vecGroup13 := km["vecGroup13"]
	vecGroupD0 := km["vecGroupD0"]
	vecGroupD1 := km["vecGroupD1"]
	vecGroupV4 := km["vecGroupV4"]
	for _, tc := range []struct {
		name  string
		vec   string
		index uint32
		ctLen int
	}{
		{"test_group_session", vecGroup0, 0, 16},
		{"android test18", vecGroup13, 13, 144},
		{"deterministic index 0", vecGroupD0, 0, 16},
		{"deterministic index 1", vecGroupD1, 1, 16},
		{"vodozemac V4", vecGroupV4, 1, 32},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw := newttest.Base64(t, tc.vec)
			m, err := wire.DecodeMegolmMessage(raw, 8, 64)
			if err != nil {
				t.Fatal(err)
			}
			if m.Version != 3 || !m.HasIndex || m.Index != tc.index || len(m.Ciphertext) != tc.ctLen ||
				!bytes.Equal(m.MAC, raw[len(raw)-72:len(raw)-64]) || !bytes.Equal(m.Signature, raw[len(raw)-64:]) {
				t.Errorf("decode = %+v", m)
			}
			if got := m.Append(nil); !bytes.Equal(got, raw) {
				t.Errorf("re-encode = %x, want %x", got, raw)
			}
			body := wire.AppendMegolmMessageBody(nil, 3, m.Index, m.Ciphertext)
			if !bytes.Equal(body, raw[:len(raw)-72]) {
				t.Errorf("AppendMegolmMessageBody = %x, want %x", body, raw[:len(raw)-72])
			}
		})
	}
	t.Run("index 0 is written", func(t *testing.T) {
		got := wire.AppendMegolmMessageBody(nil, 3, 0, nil)
		if want := cat(3, 0x08, 0x00, 0x12, 0x00); !bytes.Equal(got, want) {
			t.Errorf("body = %x, want %x", got, want)
		}
	})
}

// TestVarint checks the varint primitives on boundary values.
func TestVarint(t *testing.T) {
	for _, tc := range []struct {
		v   uint64
		enc []byte
	}{
		{0, cat(0x00)},
		{1, cat(0x01)},
		{127, cat(0x7f)},
		{128, cat(0x80, 0x01)},
		{200, cat(0xc8, 0x01)},
		{16383, cat(0xff, 0x7f)},
		{16384, cat(0x80, 0x80, 0x01)},
		{0xFFFFFFFF, cat(0xff, 0xff, 0xff, 0xff, 0x0f)},
		{1 << 63, cat(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01)},
		{^uint64(0), cat(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01)},
	} {
		if got := wire.AppendVarint(nil, tc.v); !bytes.Equal(got, tc.enc) {
			t.Errorf("AppendVarint(%d) = %x, want %x", tc.v, got, tc.enc)
		}
		if n := wire.VarintLen(tc.v); n != len(tc.enc) {
			t.Errorf("VarintLen(%d) = %d, want %d", tc.v, n, len(tc.enc))
		}
		v, n, err := wire.ReadVarint(cat(tc.enc, 0xAA))
		if err != nil || v != tc.v || n != len(tc.enc) {
			t.Errorf("ReadVarint(%x) = %d, %d, %v", tc.enc, v, n, err)
		}
	}
	for _, tc := range []struct {
		name string
		in   []byte
		err  error
	}{
		{"empty", nil, wire.ErrTruncated},
		{"unterminated", cat(0x80), wire.ErrTruncated},
		{"unterminated 9 bytes", bytes.Repeat([]byte{0xff}, 9), wire.ErrTruncated},
		{"non-minimal 0x80 0x00", cat(0x80, 0x00), wire.ErrNonMinimalVarint},
		{"non-minimal 0x81 0x80 0x00", cat(0x81, 0x80, 0x00), wire.ErrNonMinimalVarint},
		{"2^64 (10th byte 0x02)", cat(bytes.Repeat([]byte{0x80}, 9), 0x02), wire.ErrVarintOverflow},
		{"11 bytes", cat(bytes.Repeat([]byte{0xff}, 10), 0x01), wire.ErrVarintOverflow},
		{"non-minimal 10 bytes", cat(0x81, bytes.Repeat([]byte{0x80}, 8), 0x00), wire.ErrNonMinimalVarint},
	} {
		if _, _, err := wire.ReadVarint(tc.in); err != tc.err {
			t.Errorf("%s: ReadVarint(%x) error %v, want %v", tc.name, tc.in, err, tc.err)
		}
	}
}
