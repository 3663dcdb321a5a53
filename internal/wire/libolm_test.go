// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

//go:build libolm

package wire_test

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"testing"

	"github.com/newt-e2ee/newt/internal/libolm"
	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/internal/wire"
)

// Differential tests against libolm's own decoders (build tag libolm). The
// property is that there is no parser differential on anything we accept:
// whenever DecodeOlmMessage / DecodeMegolmMessage succeed, libolm's
// olm::decode_message / _olm_decode_group_message read the same fields.
// (libolm accepts much more; we reject what it would read differently.)

// mutate applies one random edit: flip, insert, delete, truncate or splice
// a field-like fragment.
func mutate(r *rand.Rand, b []byte) []byte {
	b = bytes.Clone(b)
	switch r.IntN(5) {
	case 0:
		if len(b) > 0 {
			b[r.IntN(len(b))] ^= byte(1 << r.IntN(8))
		}
	case 1:
		i := r.IntN(len(b) + 1)
		b = append(b[:i], append([]byte{byte(r.Uint32())}, b[i:]...)...)
	case 2:
		if len(b) > 0 {
			i := r.IntN(len(b))
			b = append(b[:i], b[i+1:]...)
		}
	case 3:
		b = b[:r.IntN(len(b)+1)]
	case 4:
		frags := [][]byte{{0x10, 0x05}, {0x08, 0x7f}, {0x18, 0x01}, {0x2a, 0x01, 0x00}, {0x0a, 0x00}, {0x22, 0x02, 1, 2}, {0x12, 0x00}}
		i := r.IntN(len(b) + 1)
		b = append(b[:i], append(bytes.Clone(frags[r.IntN(len(frags))]), b[i:]...)...)
	}
	return b
}

func agreeOlm(t *testing.T, b []byte, macLen int) bool {
	t.Helper()
	m, err := wire.DecodeOlmMessage(b, macLen)
	if err != nil {
		return false
	}
	l := libolm.DecodeMessage(b, macLen)
	if l.Version != m.Version || l.HasCounter != m.HasCounter || (m.HasCounter && l.Counter != m.Counter) ||
		!same(l.RatchetKey, m.RatchetKey) || !same(l.Ciphertext, m.Ciphertext) {
		t.Fatalf("parser differential on %x (mac %d):\nnewt   %+v\nlibolm %+v", b, macLen, m, l)
	}
	return true
}

func agreeMegolm(t *testing.T, b []byte, macLen, sigLen int) bool {
	t.Helper()
	m, err := wire.DecodeMegolmMessage(b, macLen, sigLen)
	if err != nil {
		return false
	}
	l := libolm.DecodeGroupMessage(b, macLen, sigLen)
	if l.Version != m.Version || l.HasIndex != m.HasIndex || (m.HasIndex && l.Index != m.Index) ||
		!same(l.Ciphertext, m.Ciphertext) {
		t.Fatalf("parser differential on %x:\nnewt   %+v\nlibolm %+v", b, m, l)
	}
	return true
}

func TestLibolmDecodeDifferential(t *testing.T) {
	km := knownMessages(t)
	vecM2 := km["vecM2"]
	vecV6 := km["vecV6"]
	vecGroup0 := km["vecGroup0"]
	vecGroup13 := km["vecGroup13"]
	vecGroupV4 := km["vecGroupV4"]
	r := newttest.Rand("wire/decode")
	olmSeeds := [][]byte{newttest.Base64(t, vecM2), newttest.Base64(t, vecV6), cat(3, 0x10, 1, 0x0a, 10, rk, 0x22, 10, ct, mac8)}
	megolmSeeds := [][]byte{newttest.Base64(t, vecGroup0), newttest.Base64(t, vecGroup13), newttest.Base64(t, vecGroupV4)}
	accepted := 0
	for range 5000 {
		b := olmSeeds[r.IntN(len(olmSeeds))]
		for range 1 + r.IntN(3) {
			b = mutate(r, b)
		}
		if agreeOlm(t, b, 8) {
			accepted++
		}
		g := megolmSeeds[r.IntN(len(megolmSeeds))]
		for range 1 + r.IntN(3) {
			g = mutate(r, g)
		}
		if agreeMegolm(t, g, 8, 64) {
			accepted++
		}
		agreeOlm(t, newttest.RandFrom(r, r.IntN(40)), r.IntN(10))
	}
	if accepted < 1000 {
		t.Errorf("only %d mutated messages accepted: the test is too weak", accepted)
	}
	// Canonical encodings of random field values, including empty fields
	// and wide counters.
	for range 1000 {
		key := newttest.RandFrom(r, r.IntN(40))
		text := newttest.RandFrom(r, r.IntN(300))
		counter := r.Uint32() >> r.IntN(32)
		b := append(wire.AppendOlmMessageBody(nil, byte(r.Uint32()), key, counter, text), newttest.RandFrom(r, 8)...)
		if !agreeOlm(t, b, 8) {
			t.Fatalf("our own encoding %x does not decode", b)
		}
		g := append(wire.AppendMegolmMessageBody(nil, 3, counter, text), newttest.RandFrom(r, 72)...)
		if !agreeMegolm(t, g, 8, 64) {
			t.Fatalf("our own encoding %x does not decode", g)
		}
	}
}

// TestLibolmMessages decodes messages produced by real libolm sessions
// (pre-key, normal and Megolm, plaintexts of 0 to 300 bytes) and checks that
// they are canonical: re-encoding gives the same bytes.
func TestLibolmMessages(t *testing.T) {
	r := newttest.Rand("wire/sessions")
	newAccount := func() (*libolm.Account, string) {
		a, err := libolm.NewAccount(newttest.RandFrom(r, 64))
		if err != nil {
			t.Fatal(err)
		}
		var ids struct{ Curve25519 string }
		if err := json.Unmarshal([]byte(a.IdentityKeys()), &ids); err != nil {
			t.Fatal(err)
		}
		return a, ids.Curve25519
	}
	alice, _ := newAccount()
	defer alice.Free()
	bob, bobKey := newAccount()
	defer bob.Free()
	if err := bob.GenerateOneTimeKeys(1, newttest.RandFrom(r, 32)); err != nil {
		t.Fatal(err)
	}
	var otks struct{ Curve25519 map[string]string }
	if err := json.Unmarshal([]byte(bob.OneTimeKeys()), &otks); err != nil {
		t.Fatal(err)
	}
	var otk string
	for _, k := range otks.Curve25519 {
		otk = k
	}
	as, err := libolm.NewOutboundSession(alice, bobKey, otk, newttest.RandFrom(r, 64))
	if err != nil {
		t.Fatal(err)
	}
	defer as.Free()

	var bs *libolm.Session
	for n := 0; n <= 300; n += 7 {
		for _, s := range []*libolm.Session{as, bs} {
			if s == nil {
				continue
			}
			var random []byte
			if k := s.EncryptRandomLength(); k > 0 {
				random = newttest.RandFrom(r, k)
			}
			typ, msg, err := s.Encrypt(newttest.RandFrom(r, n), random)
			if err != nil {
				t.Fatal(err)
			}
			raw := newttest.Base64(t, msg)
			inner := raw
			if typ == 0 {
				p, err := wire.DecodePreKeyMessage(raw)
				if err != nil {
					t.Fatalf("pre-key %s: %v", msg, err)
				}
				if got := wire.AppendPreKeyMessage(nil, &p); !bytes.Equal(got, raw) {
					t.Fatalf("pre-key re-encode %x, want %x", got, raw)
				}
				inner = p.Message
			}
			m, err := wire.DecodeOlmMessage(inner, 8)
			if err != nil || !agreeOlm(t, inner, 8) {
				t.Fatalf("message %x: %v", inner, err)
			}
			if got := m.Append(nil); !bytes.Equal(got, inner) {
				t.Fatalf("re-encode %x, want %x", got, inner)
			}
			if s == as && bs == nil {
				if bs, err = libolm.NewInboundSession(bob, msg); err != nil {
					t.Fatal(err)
				}
				defer bs.Free()
			}
			if s == as {
				if _, err := bs.Decrypt(typ, msg); err != nil {
					t.Fatal(err)
				}
			} else if _, err := as.Decrypt(typ, msg); err != nil {
				t.Fatal(err)
			}
		}
	}

	out, err := libolm.NewOutboundGroupSession(newttest.RandFrom(r, 160))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Free()
	for n := 0; n <= 300; n += 3 {
		index := out.MessageIndex()
		msg, err := out.Encrypt(newttest.RandFrom(r, n))
		if err != nil {
			t.Fatal(err)
		}
		raw := newttest.Base64(t, msg)
		m, err := wire.DecodeMegolmMessage(raw, 8, 64)
		if err != nil || !agreeMegolm(t, raw, 8, 64) || m.Index != index {
			t.Fatalf("group message %s: %+v, %v", msg, m, err)
		}
		if got := m.Append(nil); !bytes.Equal(got, raw) {
			t.Fatalf("re-encode %x, want %x", got, raw)
		}
		if l := wire.MegolmMessageBodyLen(index, len(m.Ciphertext)) + 72; l != len(raw) {
			t.Fatalf("MegolmMessageBodyLen+72 = %d, message has %d", l, len(raw))
		}
	}
}
