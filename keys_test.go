// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package newt_test

import (
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/testvectors"
)

func TestCurve25519PublicKeyRoundTrip(t *testing.T) {
	ans := testvectors.LoadAnswers(t)
	alicePubB64 := ans.Get("rfc7748/alice_public_base64")
	alicePubHex := ans.Get("rfc7748/alice_public_hex")
	raw, _ := hex.DecodeString(alicePubHex)
	k, err := newt.NewCurve25519PublicKey(raw)
	if err != nil {
		t.Fatal(err)
	}
	if got := k.String(); got != alicePubB64 {
		t.Fatalf("String() = %q, want %q", got, alicePubB64)
	}
	p, err := newt.ParseCurve25519PublicKey(alicePubB64)
	if err != nil {
		t.Fatal(err)
	}
	if p != k || !p.Equal(k) {
		t.Fatal("parsed key differs")
	}
	if hex.EncodeToString(p.Bytes()) != alicePubHex {
		t.Fatal("Bytes() differs")
	}
	// Bytes returns a copy.
	b := p.Bytes()
	b[0] ^= 1
	if p.Bytes()[0] == b[0] {
		t.Fatal("Bytes() aliases the key")
	}
	var other newt.Curve25519PublicKey
	if other.Equal(k) || !other.IsZero() || k.IsZero() {
		t.Fatal("Equal/IsZero wrong")
	}
}

func TestParseRejects(t *testing.T) {
	ans := testvectors.LoadAnswers(t)
	alicePubB64 := ans.Get("rfc7748/alice_public_base64")
	cases := []struct {
		name, in string
		want     error
	}{
		{"padded", alicePubB64 + "=", newt.ErrInvalidKey},
		{"short", alicePubB64[:42], newt.ErrInvalidKey},
		{"bad char", "*" + alicePubB64[1:], newt.ErrInvalidBase64},
		{"url alphabet", "-" + alicePubB64[1:], newt.ErrInvalidBase64},
		{"newline", alicePubB64[:20] + "\n" + alicePubB64[21:], newt.ErrInvalidBase64},
		// 43 characters carry 258 bits; the last two must be zero.
		{"trailing bits", alicePubB64[:42] + "p", newt.ErrInvalidBase64},
		{"empty", "", newt.ErrInvalidKey},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			k, err := newt.ParseCurve25519PublicKey(c.in)
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			if !k.IsZero() {
				t.Fatal("key not zero on error")
			}
			if _, err := newt.ParseEd25519PublicKey(c.in); !errors.Is(err, c.want) {
				t.Fatalf("Ed25519: err = %v, want %v", err, c.want)
			}
		})
	}
}

func TestNewRejectsLength(t *testing.T) {
	for _, n := range []int{0, 31, 33, 64} {
		if _, err := newt.NewCurve25519PublicKey(make([]byte, n)); !errors.Is(err, newt.ErrInvalidKey) {
			t.Errorf("Curve25519 len %d: %v", n, err)
		}
		if _, err := newt.NewEd25519PublicKey(make([]byte, n)); !errors.Is(err, newt.ErrInvalidKey) {
			t.Errorf("Ed25519 len %d: %v", n, err)
		}
	}
	for _, n := range []int{0, 32, 63, 65} {
		if _, err := newt.NewEd25519Signature(make([]byte, n)); !errors.Is(err, newt.ErrInvalidKey) {
			t.Errorf("signature len %d: %v", n, err)
		}
	}
}

func TestEd25519RoundTrip(t *testing.T) {
	ans := testvectors.LoadAnswers(t)
	// libolm tests/test_pk.cpp: the Ed25519 key from seed alice_priv.
	pub := ans.Get("pk/signing/public_base64")
	k, err := newt.ParseEd25519PublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	if k.String() != pub {
		t.Fatal("round trip")
	}
	// libolm's olm_pk_sign on the tests/test_pk.cpp text: a PK signing
	// signature.
	sig := ans.Get("pk/signing/signature_base64")
	s, err := newt.ParseEd25519Signature(sig)
	if err != nil {
		t.Fatal(err)
	}
	if s.String() != sig || len(s.Bytes()) != newt.Ed25519SignatureSize {
		t.Fatal("signature round trip")
	}
	s2, _ := newt.NewEd25519Signature(s.Bytes())
	if !s2.Equal(s) {
		t.Fatal("Equal")
	}
}

func TestKeyID(t *testing.T) {
	// libolm (src/account.cpp, olm::Account::get_one_time_keys_json) writes
	// b64(u32be), six characters; vodozemac's KeyId::to_base64 writes
	// b64(u64be), eleven ("AAAAAAAAAAA" for 0 and "AAAAAAAAAAc" for 7 in its
	// own tests).
	cases := map[newt.KeyID]string{
		newt.NewKeyID(1):                      "AAAAAQ",
		newt.NewKeyID(2):                      "AAAAAg",
		newt.NewKeyID(101):                    "AAAAZQ",
		newt.NewKeyID(255):                    "AAAA/w",
		newt.NewKeyID(256):                    "AAABAA",
		newt.NewKeyID(0xFFFFFFFF):             "/////w",
		newt.NewWideKeyID(0):                  "AAAAAAAAAAA",
		newt.NewWideKeyID(7):                  "AAAAAAAAAAc",
		newt.NewWideKeyID(1):                  "AAAAAAAAAAE",
		newt.NewWideKeyID(0xFFFFFFFFFFFFFFFF): "//////////8",
	}
	for id, s := range cases {
		if got := id.String(); got != s {
			t.Errorf("%v.String() = %q, want %q", id, got, s)
		}
		got, err := newt.ParseKeyID(s)
		if err != nil || got != id {
			t.Errorf("ParseKeyID(%q) = %v, %v", s, got, err)
		}
	}
	if newt.NewKeyID(1) == newt.NewWideKeyID(1) {
		t.Error("a 32-bit and a wide ID of the same value compare equal")
	}
	if id := newt.NewWideKeyID(1 << 40); id.Uint64() != 1<<40 || !id.IsWide() {
		t.Errorf("NewWideKeyID(1<<40) = %v", id)
	}
	for _, bad := range []string{"AAAAAQ==", "AAAAA", "AAAAAR", "AAAA*Q", "AAAAAAAAAAF", "AAAAAAAAAA", "AAAAAAAAAAAA", "AAAAAAAAAA="} {
		if _, err := newt.ParseKeyID(bad); err == nil {
			t.Errorf("ParseKeyID(%q) accepted", bad)
		}
	}
}

func TestConstantSizes(t *testing.T) {
	if newt.Curve25519KeySize != 32 || newt.Ed25519KeySize != 32 || newt.Ed25519SignatureSize != 64 || newt.KeyIDSize != 4 {
		t.Fatal("size constants changed")
	}
	var k newt.Curve25519PublicKey
	if len(k.String()) != 43 {
		t.Fatal("Curve25519 text length")
	}
	var s newt.Ed25519Signature
	if len(s.String()) != 86 {
		t.Fatal("signature text length")
	}
}

func TestDecodeSecret(t *testing.T) {
	for in, want := range map[string]string{"c2VjcmV0": "secret", "a2V5": "key", "YWI": "ab", "YWI=": "ab", "": ""} {
		got, err := newt.DecodeSecret(in)
		if err != nil || string(got) != want {
			t.Errorf("DecodeSecret(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"YWI==", "c2VjcmV0=", "c2V*cmV0", "Y"} {
		if _, err := newt.DecodeSecret(bad); !errors.Is(err, newt.ErrInvalidBase64) || strings.Contains(err.Error(), bad) {
			t.Errorf("DecodeSecret(%q): %v", bad, err)
		}
	}
}
