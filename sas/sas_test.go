// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package sas_test

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/sas"
	"github.com/newt-e2ee/newt/testvectors"
)

// pair returns two SAS with each other's keys set.
func pair(t testing.TB) (a, b *sas.SAS) {
	t.Helper()
	a, b = sas.Generate(), sas.Generate()
	if err := a.SetTheirKey(b.PublicKey()); err != nil {
		t.Fatal(err)
	}
	if err := b.SetTheirKeyBase64(a.PublicKey().String()); err != nil {
		t.Fatal(err)
	}
	return a, b
}

// TestEmojiAndDecimals checks vodozemac's SAS known answers
// (vodozemac's SAS tests) and bit layouts worked out by hand from
// the spec's "SAS method: emoji" and "SAS method: decimal".
func TestEmojiAndDecimals(t *testing.T) {
	if got := sas.EmojiIndices([6]byte{}); got != [7]int{} {
		t.Errorf("EmojiIndices(zeros) = %v", got)
	}
	if got := sas.Decimals([5]byte{}); got != [3]int{1000, 1000, 1000} {
		t.Errorf("Decimals(zeros) = %v", got)
	}
	ff6 := [6]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
	if got := sas.EmojiIndices(ff6); got != [7]int{63, 63, 63, 63, 63, 63, 63} {
		t.Errorf("EmojiIndices(0xff...) = %v", got)
	}
	if got := sas.Decimals([5]byte{0xff, 0xff, 0xff, 0xff, 0xff}); got != [3]int{9191, 9191, 9191} {
		t.Errorf("Decimals(0xff...) = %v", got)
	}
	// 000001 000010 000011 000100 000101 000110 000111 | 001000 (unused)
	if got := sas.EmojiIndices([6]byte{0x04, 0x20, 0xc4, 0x14, 0x61, 0xc8}); got != [7]int{1, 2, 3, 4, 5, 6, 7} {
		t.Errorf("EmojiIndices(1..7) = %v", got)
	}
	// 0000000000001 0000000000010 0000000000011 | 1 (unused)
	if got := sas.Decimals([5]byte{0x00, 0x08, 0x00, 0x80, 0x07}); got != [3]int{1001, 1002, 1003} {
		t.Errorf("Decimals(1,2,3) = %v", got)
	}
	// Only the first 42 (39) bits count.
	if got := sas.EmojiIndices([6]byte{0, 0, 0, 0, 0, 0x3f}); got != [7]int{} {
		t.Errorf("EmojiIndices used the last 6 bits: %v", got)
	}
	if got := sas.Decimals([5]byte{0, 0, 0, 0, 1}); got != [3]int{1000, 1000, 1000} {
		t.Errorf("Decimals used the last bit: %v", got)
	}
}

// TestLookupEmoji checks entries of the spec's data-definitions/sas-emoji.json.
func TestLookupEmoji(t *testing.T) {
	for _, tc := range []struct {
		i           int
		symbol, dsc string
	}{
		{0, "🐶", "Dog"}, {21, "☁️", "Cloud"}, {29, "❤️", "Heart"}, {36, "👍", "Thumbs Up"},
		{41, "💡", "Light Bulb"}, {53, "✈️", "Aeroplane"}, {63, "📌", "Pin"},
	} {
		e, ok := sas.LookupEmoji(tc.i)
		if !ok || e.Symbol != tc.symbol || e.Description != tc.dsc {
			t.Errorf("LookupEmoji(%d) = %q %q %v", tc.i, e.Symbol, e.Description, ok)
		}
	}
	for _, i := range []int{-1, 64, 1 << 30} {
		if _, ok := sas.LookupEmoji(i); ok {
			t.Errorf("LookupEmoji(%d) succeeded", i)
		}
	}
	seen := map[string]bool{}
	for i := range 64 {
		e, _ := sas.LookupEmoji(i)
		if seen[e.Symbol] || e.Symbol == "" || e.Description == "" {
			t.Errorf("entry %d %q duplicated or empty", i, e.Symbol)
		}
		seen[e.Symbol] = true
	}
}

func TestAgreement(t *testing.T) {
	a, b := pair(t)
	info := []byte("MATRIX_KEY_VERIFICATION_SAS|@alice:example.org|AAA|key|@bob:example.org|BBB|key|txn")
	for _, n := range []int{0, 1, 5, 6, 32, 33, 1000, sas.MaxBytes} {
		x, err1 := a.GenerateBytes(info, n)
		y, err2 := b.GenerateBytes(info, n)
		if err1 != nil || err2 != nil || len(x) != n || !bytes.Equal(x, y) {
			t.Fatalf("n=%d: %x (%v) vs %x (%v)", n, x, err1, y, err2)
		}
	}
	// HKDF output is a stream: shorter outputs are prefixes of longer ones.
	long, _ := a.GenerateBytes(info, 100)
	short, _ := a.GenerateBytes(info, 6)
	if !bytes.Equal(long[:6], short) {
		t.Error("GenerateBytes(6) is not a prefix of GenerateBytes(100)")
	}
	other, _ := a.GenerateBytes([]byte("other"), 6)
	if bytes.Equal(other, short) {
		t.Error("different info strings gave the same bytes")
	}

	ea, err := a.EmojiIndices(info)
	if err != nil {
		t.Fatal(err)
	}
	eb, _ := b.EmojiIndices(info)
	if ea != eb || ea != sas.EmojiIndices([6]byte(short)) {
		t.Errorf("emoji differ: %v %v", ea, eb)
	}
	da, _ := a.Decimals(info)
	db, _ := b.Decimals(info)
	if da != db || da != sas.Decimals([5]byte(short[:5])) {
		t.Errorf("decimals differ: %v %v", da, db)
	}

	input, macInfo := []byte("ed25519:AAA"), []byte("MATRIX_KEY_VERIFICATION_MAC...")
	for _, v := range []struct {
		name string
		calc func(*sas.SAS) func(input, info []byte) (string, error)
		ver  func(*sas.SAS) func(input, info []byte, mac string) error
	}{
		{"v2", func(s *sas.SAS) func([]byte, []byte) (string, error) { return s.CalculateMAC },
			func(s *sas.SAS) func([]byte, []byte, string) error { return s.VerifyMAC }},
		{"broken", func(s *sas.SAS) func([]byte, []byte) (string, error) { return s.CalculateMACLibolmBrokenBase64 },
			func(s *sas.SAS) func([]byte, []byte, string) error { return s.VerifyMACLibolmBrokenBase64 }},
		{"long", func(s *sas.SAS) func([]byte, []byte) (string, error) { return s.CalculateMACLongKDF },
			func(s *sas.SAS) func([]byte, []byte, string) error { return s.VerifyMACLongKDF }},
	} {
		mac, err := v.calc(a)(input, macInfo)
		if err != nil || len(mac) != sas.MACSize {
			t.Fatalf("%s: %q %v", v.name, mac, err)
		}
		if err := v.ver(b)(input, macInfo, mac); err != nil {
			t.Errorf("%s: other side rejected the MAC: %v", v.name, err)
		}
		bad := []byte(mac)
		bad[20] ^= 1
		for _, m := range []string{string(bad), mac[:42], mac + "A", "", strings.ToUpper(mac)} {
			if m == mac {
				continue
			}
			if err := v.ver(b)(input, macInfo, m); !errors.Is(err, sas.ErrBadMAC) {
				t.Errorf("%s: Verify(%q) = %v, want ErrBadMAC", v.name, m, err)
			}
		}
		if err := v.ver(b)([]byte("ed25519:AAB"), macInfo, mac); !errors.Is(err, sas.ErrBadMAC) {
			t.Errorf("%s: MAC verified for other input", v.name)
		}
		if err := v.ver(b)(input, []byte("other"), mac); !errors.Is(err, sas.ErrBadMAC) {
			t.Errorf("%s: MAC verified for other info", v.name)
		}
	}
	v2, _ := a.CalculateMAC(input, macInfo)
	raw, err := base64.RawStdEncoding.Strict().DecodeString(v2)
	if err != nil || len(raw) != 32 {
		t.Errorf("CalculateMAC is not the base64 of 32 bytes: %q", v2)
	}
}

func TestTheirKeyNotSet(t *testing.T) {
	s := sas.Generate()
	if s.IsTheirKeySet() {
		t.Fatal("new SAS has their key set")
	}
	if _, err := s.TheirKey(); !errors.Is(err, sas.ErrTheirKeyNotSet) {
		t.Errorf("TheirKey: %v", err)
	}
	if _, err := s.GenerateBytes([]byte("SAS"), 6); !errors.Is(err, sas.ErrTheirKeyNotSet) {
		t.Errorf("GenerateBytes: %v", err)
	}
	if _, err := s.EmojiIndices([]byte("SAS")); !errors.Is(err, sas.ErrTheirKeyNotSet) {
		t.Errorf("EmojiIndices: %v", err)
	}
	if _, err := s.Decimals([]byte("SAS")); !errors.Is(err, sas.ErrTheirKeyNotSet) {
		t.Errorf("Decimals: %v", err)
	}
	for _, f := range []func([]byte, []byte) (string, error){s.CalculateMAC, s.CalculateMACLibolmBrokenBase64, s.CalculateMACLongKDF} {
		if mac, err := f([]byte("in"), []byte("info")); !errors.Is(err, sas.ErrTheirKeyNotSet) || mac != "" {
			t.Errorf("MAC: %q %v", mac, err)
		}
	}
	for _, f := range []func([]byte, []byte, string) error{s.VerifyMAC, s.VerifyMACLibolmBrokenBase64, s.VerifyMACLongKDF} {
		if err := f([]byte("in"), []byte("info"), ""); !errors.Is(err, sas.ErrTheirKeyNotSet) {
			t.Errorf("VerifyMAC: %v", err)
		}
	}
}

func TestGenerateBytesBounds(t *testing.T) {
	a, _ := pair(t)
	for _, n := range []int{-1, -1 << 30, sas.MaxBytes + 1, 1 << 30} {
		if b, err := a.GenerateBytes(nil, n); !errors.Is(err, sas.ErrInvalidLength) || b != nil {
			t.Errorf("GenerateBytes(%d) = %d bytes, %v", n, len(b), err)
		}
	}
	if b, err := a.GenerateBytes(nil, 0); err != nil || len(b) != 0 {
		t.Errorf("GenerateBytes(0) = %x, %v", b, err)
	}
}

// TestLowOrderKeys checks SECURITY.md row C16: every small-order key is
// refused and leaves the SAS usable.
func TestLowOrderKeys(t *testing.T) {
	s := sas.Generate()
	for _, k := range newttest.LowOrderKeys(t) {
		if err := s.SetTheirKey(k); !errors.Is(err, sas.ErrNonContributory) {
			t.Errorf("SetTheirKey(%x) = %v, want ErrNonContributory", k.Bytes(), err)
		}
		if err := s.SetTheirKeyBase64(k.String()); !errors.Is(err, sas.ErrNonContributory) {
			t.Errorf("SetTheirKeyBase64(%s) = %v", k, err)
		}
		if s.IsTheirKeySet() {
			t.Fatal("their key set after a failure")
		}
	}
	if !strings.HasPrefix(sas.ErrNonContributory.Error(), "sas: ") {
		t.Errorf("error %q lacks the package prefix", sas.ErrNonContributory)
	}
	other := sas.Generate()
	if err := s.SetTheirKey(other.PublicKey()); err != nil {
		t.Fatalf("valid key after low-order ones: %v", err)
	}
}

func TestSetTheirKeyBase64(t *testing.T) {
	peer := sas.Generate()
	key := peer.PublicKey().String()
	// libolm decodes the whole buffer, so a key with one '=' of padding
	// works there; it must give the same key and secret here.
	s := sas.Generate()
	if err := s.SetTheirKeyBase64(key + "="); err != nil {
		t.Fatalf("padded key: %v", err)
	}
	if k, err := s.TheirKey(); err != nil || k != peer.PublicKey() {
		t.Errorf("padded key parsed as %v, %v", k, err)
	}
	if err := peer.SetTheirKey(s.PublicKey()); err != nil {
		t.Fatal(err)
	}
	x, _ := s.GenerateBytes([]byte("x"), 16)
	y, _ := peer.GenerateBytes([]byte("x"), 16)
	if !bytes.Equal(x, y) {
		t.Error("padded key gave another secret")
	}

	for _, bad := range []string{
		"", key[:42], key + "==", key + "A", key[:42] + "=", key + " ", " " + key,
		strings.Replace(key, key[:1], "-", 1), key[:40] + "\n" + key[40:],
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB", // non-zero trailing bits
		base64.StdEncoding.EncodeToString(make([]byte, 33)),
	} {
		s := sas.Generate()
		if err := s.SetTheirKeyBase64(bad); !errors.Is(err, sas.ErrInvalidBase64) {
			t.Errorf("SetTheirKeyBase64(%q) = %v, want ErrInvalidBase64", bad, err)
		}
		if s.IsTheirKeySet() {
			t.Errorf("their key set after %q", bad)
		}
	}
}

func TestSetTheirKeyTwice(t *testing.T) {
	a, b := pair(t)
	before, _ := a.GenerateBytes([]byte("x"), 8)
	if err := a.SetTheirKey(b.PublicKey()); err != nil {
		t.Errorf("same key again: %v", err)
	}
	if err := a.SetTheirKey(sas.Generate().PublicKey()); !errors.Is(err, sas.ErrTheirKeyAlreadySet) {
		t.Errorf("different key: %v", err)
	}
	after, _ := a.GenerateBytes([]byte("x"), 8)
	if !bytes.Equal(before, after) {
		t.Error("secret changed")
	}
	if k, err := a.TheirKey(); err != nil || k != b.PublicKey() {
		t.Errorf("TheirKey = %v, %v", k, err)
	}
}

// TestNoSecretsInFormatting checks SECURITY.md row C25.
func TestNoSecretsInFormatting(t *testing.T) {
	a, b := pair(t)
	bytesOut, _ := a.GenerateBytes(nil, 32)
	mac, _ := a.CalculateMAC(nil, nil)
	for _, s := range []*sas.SAS{a, b, sas.Generate()} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x", "%q"} {
			out := fmt.Sprintf(verb, s)
			if strings.Contains(out, mac) || strings.Contains(out, hex.EncodeToString(bytesOut[:8])) {
				t.Errorf("%s leaks derived material: %s", verb, out)
			}
			if !strings.Contains(out, s.PublicKey().String()) && verb != "%x" {
				t.Errorf("%s does not show the public key: %s", verb, out)
			}
		}
	}
}

func FuzzSetTheirKey(f *testing.F) {
	ans := testvectors.LoadAnswers(f)
	f.Add(ans.Get("rfc7748/bob_public_base64"))
	f.Add("3p7bfXt9wbTTW2HC7OQ1Nz+DQ8hbeGdNrfx+FG+IK08=")
	f.Add("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
	f.Add("4Ot6fDtBuK4WVuP68Z/EatoJjeucMrH9hmIFFl9JuAA")
	f.Add("")
	f.Fuzz(func(t *testing.T, key string) {
		s := sas.Generate()
		err := s.SetTheirKeyBase64(key)
		if err != nil {
			if s.IsTheirKeySet() {
				t.Fatal("their key set after an error")
			}
			if !errors.Is(err, sas.ErrInvalidBase64) && !errors.Is(err, sas.ErrNonContributory) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		k, err := s.TheirKey()
		if err != nil || k.String() != strings.TrimSuffix(key, "=") {
			t.Fatalf("accepted %q as %v", key, k)
		}
		if _, err := s.GenerateBytes([]byte("SAS"), 6); err != nil {
			t.Fatal(err)
		}
	})
}

func BenchmarkGenerateBytes(b *testing.B) {
	s, _ := pair(b)
	info := []byte("MATRIX_KEY_VERIFICATION_SAS|@alice:example.org|AAA|key|@bob:example.org|BBB|key|txn")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.GenerateBytes(info, sas.EmojiBytes); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCalculateMAC(b *testing.B) {
	s, _ := pair(b)
	input := []byte("ed25519:AAAAAAAA,ed25519:BBBBBBBB")
	info := []byte("MATRIX_KEY_VERIFICATION_MAC@alice:example.orgAAA@bob:example.orgBBBtxnKEY_IDS")
	for _, v := range []struct {
		name string
		f    func(input, info []byte) (string, error)
	}{{"v2", s.CalculateMAC}, {"BrokenBase64", s.CalculateMACLibolmBrokenBase64}, {"LongKDF", s.CalculateMACLongKDF}} {
		b.Run(v.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := v.f(input, info); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
