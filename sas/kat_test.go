// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package sas

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/newt-e2ee/newt/internal/b64"
	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/internal/x25519"
	"github.com/newt-e2ee/newt/testvectors"
)

// katPair returns Alice's and Bob's SAS of libolm's tests/test_sas.cpp, each
// with the other's key set.
func katPair(t *testing.T) (alice, bob *SAS) {
	ans := testvectors.LoadAnswers(t)
	alicePrivHex := ans.Get("rfc7748/alice_private_hex")
	alicePubB64 := ans.Get("rfc7748/alice_public_base64")
	bobPrivHex := ans.Get("rfc7748/bob_private_hex")
	bobPubB64 := ans.Get("rfc7748/bob_public_base64")
	t.Helper()
	alice = newFromPrivate((*[32]byte)(newttest.Hex(t, alicePrivHex)))
	bob = newFromPrivate((*[32]byte)(newttest.Hex(t, bobPrivHex)))
	if got := alice.PublicKey().String(); got != alicePubB64 {
		t.Fatalf("alice public key = %s, want %s", got, alicePubB64)
	}
	if got := bob.PublicKey().String(); got != bobPubB64 {
		t.Fatalf("bob public key = %s, want %s", got, bobPubB64)
	}
	if err := alice.SetTheirKeyBase64(bobPubB64); err != nil {
		t.Fatal(err)
	}
	if err := bob.SetTheirKey(alice.PublicKey()); err != nil {
		t.Fatal(err)
	}
	return alice, bob
}

// TestKnownAnswers checks libolm's answers (tests/test_sas.cpp and
// python/tests/sas_test.py test_cross_language_mac; the other two MAC
// variants generated on libolm 3.2.13).
func TestKnownAnswers(t *testing.T) {
	ans := testvectors.LoadAnswers(t)
	sharedHex := ans.Get("rfc7748/shared_secret_hex")
	alice, bob := katPair(t)
	for _, s := range []*SAS{alice, bob} {
		if got := hex.EncodeToString(s.sharedSecret()[:]); got != sharedHex {
			t.Errorf("shared secret = %s, want %s", got, sharedHex)
		}
		b, err := s.GenerateBytes([]byte("SAS"), 6)
		if want := ans.Get("sas/generate_bytes_sas_6_hex"); err != nil || hex.EncodeToString(b) != want {
			t.Errorf("GenerateBytes(SAS, 6) = %x, %v; want %s", b, err, want)
		}
		input, info := []byte("Hello world!"), []byte("MAC")
		for _, tc := range []struct {
			name string
			f    func(input, info []byte) (string, error)
			v    func(input, info []byte, mac string) error
			want string
		}{
			{"broken base64", s.CalculateMACLibolmBrokenBase64, s.VerifyMACLibolmBrokenBase64, ans.Get("sas/mac_broken_base64")},
			{"fixed base64", s.CalculateMAC, s.VerifyMAC, ans.Get("sas/mac_fixed_base64")},
			{"long kdf", s.CalculateMACLongKDF, s.VerifyMACLongKDF, ans.Get("sas/mac_long_kdf_base64")},
		} {
			got, err := tc.f(input, info)
			if err != nil || got != tc.want {
				t.Errorf("%s: MAC = %q, %v; want %q", tc.name, got, err, tc.want)
			}
			if err := tc.v(input, info, tc.want); err != nil {
				t.Errorf("%s: Verify(known MAC) = %v", tc.name, err)
			}
		}
	}
}

// TestBrokenBase64Prefix pins the documented shape of libolm's in-place
// encoding: the first four characters are the real base64, the rest differ.
func TestBrokenBase64Prefix(t *testing.T) {
	alice, _ := katPair(t)
	good, _ := alice.CalculateMAC([]byte("Hello world!"), []byte("MAC"))
	bad, _ := alice.CalculateMACLibolmBrokenBase64([]byte("Hello world!"), []byte("MAC"))
	if good[:4] != bad[:4] || good == bad || len(bad) != MACSize {
		t.Errorf("fixed %q and broken %q", good, bad)
	}
}

// TestFormattingHidesPrivateKey checks SECURITY.md row C25 against the
// private key and shared secret themselves.
func TestFormattingHidesPrivateKey(t *testing.T) {
	ans := testvectors.LoadAnswers(t)
	alicePrivHex := ans.Get("rfc7748/alice_private_hex")
	sharedHex := ans.Get("rfc7748/shared_secret_hex")
	alice, _ := katPair(t)
	priv := (*[32]byte)(newttest.Hex(t, alicePrivHex))
	secrets := []string{
		alicePrivHex, sharedHex,
		base64.RawStdEncoding.EncodeToString(priv[:]),
		base64.RawStdEncoding.EncodeToString(alice.sharedSecret()[:]),
		strings.TrimSuffix(fmt.Sprint(priv[:4]), "]"),
		strings.TrimSuffix(fmt.Sprint(alice.sharedSecret()[:4]), "]"),
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x", "%X", "%q", "%d"} {
		for _, v := range []any{alice, *alice} {
			out := fmt.Sprintf(verb, v)
			for _, sec := range secrets {
				if strings.Contains(strings.ToLower(out), strings.ToLower(sec)) {
					t.Errorf("%s of %T leaks %s: %s", verb, v, sec, out)
				}
			}
		}
	}
}

// TestConstantSizes checks the exported sizes against their definitions.
func TestConstantSizes(t *testing.T) {
	if MACSize != b64.EncodedLen(32) {
		t.Errorf("MACSize = %d, want %d", MACSize, b64.EncodedLen(32))
	}
	if PublicKeySize != x25519.PublicKeySize || MaxBytes != 255*32 || EmojiBytes*8 < 7*6 || DecimalBytes*8 < 3*13 {
		t.Error("size constants disagree with their definitions")
	}
}
