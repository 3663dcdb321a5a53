// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package pk

import (
	"bytes"
	"encoding/hex"
	"errors"
	"testing"

	"github.com/newt-e2ee/newt/internal/aessha2"
	"github.com/newt-e2ee/newt/internal/b64"
	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/internal/pickle"
	"github.com/newt-e2ee/newt/internal/x25519"
	"github.com/newt-e2ee/newt/testvectors"
)

// katPickleKey is the pickle key of the PkDecryption pickle of libolm's
// tests/test_pk.cpp (testvectors answer "pk/pickle").
const katPickleKey = "secret_key"

// TestEncryptKnownAnswer checks libolm's tests/test_pk.cpp "Encryption Test
// Case 1" through the deterministic core, with bob_priv as the ephemeral key.
func TestEncryptKnownAnswer(t *testing.T) {
	ans := testvectors.LoadAnswers(t)
	alicePrivHex := ans.Get("rfc7748/alice_private_hex")
	alicePubB64 := ans.Get("rfc7748/alice_public_base64")
	bobPrivHex := ans.Get("rfc7748/bob_private_hex")
	bobPubB64 := ans.Get("rfc7748/bob_public_base64")
	katPlaintext := ans.Get("pk/plaintext")
	katCiphertext := ans.Get("pk/ciphertext_base64")
	katMAC := ans.Get("pk/mac_base64")
	d := newDecryption((*x25519.PrivateKey)(newttest.Hex(t, alicePrivHex)))
	if got := d.PublicKey().String(); got != alicePubB64 {
		t.Fatalf("recipient public key = %s, want %s", got, alicePubB64)
	}
	e := NewEncryption(d.PublicKey())
	m, err := e.encrypt([]byte(katPlaintext), (*x25519.PrivateKey)(newttest.Hex(t, bobPrivHex)))
	if err != nil {
		t.Fatal(err)
	}
	if got := m.CiphertextBase64(); got != katCiphertext {
		t.Errorf("ciphertext = %s, want %s", got, katCiphertext)
	}
	if got := m.MACBase64(); got != katMAC {
		t.Errorf("MAC = %s, want %s", got, katMAC)
	}
	if got := m.EphemeralKeyBase64(); got != bobPubB64 {
		t.Errorf("ephemeral key = %s, want %s", got, bobPubB64)
	}
	pt, err := d.Decrypt(m)
	if err != nil || string(pt) != katPlaintext {
		t.Errorf("Decrypt = %q, %v", pt, err)
	}

	parsed, err := ParseMessage(katCiphertext, katMAC, bobPubB64)
	if err != nil {
		t.Fatal(err)
	}
	if pt, err := d.Decrypt(parsed); err != nil || string(pt) != katPlaintext {
		t.Errorf("Decrypt(parsed known answer) = %q, %v", pt, err)
	}
}

// TestMACCoversNothing pins the libolm quirk the package doc describes: the
// MAC is HMAC(mac_key, "")[:8] and does not depend on the ciphertext.
func TestMACCoversNothing(t *testing.T) {
	ans := testvectors.LoadAnswers(t)
	alicePrivHex := ans.Get("rfc7748/alice_private_hex")
	bobPrivHex := ans.Get("rfc7748/bob_private_hex")
	katCiphertext := ans.Get("pk/ciphertext_base64")
	katMAC := ans.Get("pk/mac_base64")
	katMACOverCiphertext := ans.Get("pk/mac_over_ciphertext_base64")
	d := newDecryption((*x25519.PrivateKey)(newttest.Hex(t, alicePrivHex)))
	e := NewEncryption(d.PublicKey())
	eph := (*x25519.PrivateKey)(newttest.Hex(t, bobPrivHex))

	// The MAC over the ciphertext, which libolm does not send, is the
	// spec's 0YKKo6yL6p8: this confirms the key schedule and the quirk.
	pub := d.PublicKey().Array()
	secret, err := x25519.DH(eph, &pub)
	if err != nil {
		t.Fatal(err)
	}
	var keys aessha2.Keys
	aessha2.DeriveKeys(&keys, secret[:], infoPK)
	ct, _ := b64.DecodeString(katCiphertext)
	if got := b64.EncodeToString(keys.AppendMAC(nil, ct, MACSize)); got != katMACOverCiphertext {
		t.Errorf("MAC over the ciphertext = %s, want %s", got, katMACOverCiphertext)
	}

	// Same ephemeral key, other plaintexts: the same MAC.
	for _, pt := range []string{"", "x", "a much longer plaintext spanning several AES blocks"} {
		m, err := e.encrypt([]byte(pt), eph)
		if err != nil {
			t.Fatal(err)
		}
		if got := m.MACBase64(); got != katMAC {
			t.Errorf("MAC of %q = %s, want %s", pt, got, katMAC)
		}
	}

	// A bit flipped in the first of two blocks is not detected: the first
	// block decrypts to garbage and the same bit flips in the second.
	pt := []byte("0123456789abcdef0123456789")
	m, _ := e.encrypt(pt, eph)
	m.Ciphertext[3] ^= 0x40
	got, err := d.Decrypt(m)
	if err != nil {
		t.Fatalf("tampered first block: %v (libolm accepts it)", err)
	}
	want := bytes.Clone(pt)
	want[16+3] ^= 0x40
	if !bytes.Equal(got[16:], want[16:]) || bytes.Equal(got[:16], pt[:16]) {
		t.Errorf("tampered decrypt = %q", got)
	}
}

// TestPickleKnownAnswer checks the PkDecryption pickle of libolm's
// tests/test_pk.cpp.
func TestPickleKnownAnswer(t *testing.T) {
	ans := testvectors.LoadAnswers(t)
	alicePrivHex := ans.Get("rfc7748/alice_private_hex")
	alicePubB64 := ans.Get("rfc7748/alice_public_base64")
	katPickle := ans.Get("pk/pickle")
	d, err := DecryptionFromPickle(katPickle, []byte(katPickleKey))
	if err != nil {
		t.Fatal(err)
	}
	if got := d.PublicKey().String(); got != alicePubB64 {
		t.Errorf("public key = %s, want %s", got, alicePubB64)
	}
	if got := hex.EncodeToString(d.PrivateKey()); got != alicePrivHex {
		t.Errorf("private key = %s, want %s", got, alicePrivHex)
	}
	if got := string(d.Pickle([]byte(katPickleKey))); got != katPickle {
		t.Errorf("re-pickle = %s, want %s", got, katPickle)
	}
	fresh := newDecryption((*x25519.PrivateKey)(newttest.Hex(t, alicePrivHex)))
	if got := string(fresh.Pickle([]byte(katPickleKey))); got != katPickle {
		t.Errorf("pickle of alice_priv = %s, want %s", got, katPickle)
	}
}

// TestPickleLayout checks the raw layout (libolm src/pk.cpp,
// olm_pickle_pk_decryption) and the errors for authenticated pickles with bad
// contents.
func TestPickleLayout(t *testing.T) {
	ans := testvectors.LoadAnswers(t)
	alicePrivHex := ans.Get("rfc7748/alice_private_hex")
	katPickle := ans.Get("pk/pickle")
	raw, err := pickle.Decrypt([]byte(katPickleKey), []byte(katPickle))
	if err != nil {
		t.Fatal(err)
	}
	priv := (*x25519.PrivateKey)(newttest.Hex(t, alicePrivHex))
	pub := x25519.PublicKey(priv)
	want := append(append([]byte{0, 0, 0, 1}, pub[:]...), priv[:]...)
	if !bytes.Equal(raw, want) {
		t.Fatalf("raw pickle = %x, want %x", raw, want)
	}
	key := []byte("k")
	for _, tc := range []struct {
		name string
		raw  []byte
		want error
	}{
		{"version 0", append([]byte{0, 0, 0, 0}, want[4:]...), ErrUnknownPickleVersion},
		{"version 2", append([]byte{0, 0, 0, 2}, want[4:]...), ErrUnknownPickleVersion},
		{"truncated", want[:67], ErrCorruptedPickle},
		{"version only", want[:4], ErrCorruptedPickle},
		{"empty", nil, ErrCorruptedPickle},
		{"extra data", append(bytes.Clone(want), 0), ErrCorruptedPickle},
		{"public key mismatch", append(append(bytes.Clone(want[:4]), make([]byte, 32)...), priv[:]...), ErrCorruptedPickle},
	} {
		p := []byte(newttest.SealPickle(key, tc.raw))
		d, err := DecryptionFromPickle(string(p), key)
		if !errors.Is(err, tc.want) || d != nil {
			t.Errorf("%s: %v, %v; want %v", tc.name, d, err, tc.want)
		}
	}
}

// TestConstantSizes checks the exported sizes against libolm's lengths
// (olm_pk_mac_length = 11 characters, olm_pk_private_key_length = 32).
func TestConstantSizes(t *testing.T) {
	if b64.EncodedLen(MACSize) != 11 || PrivateKeySize != 32 || SeedSize != 32 || pickleSize != 68 {
		t.Error("size constants disagree with libolm")
	}
}
