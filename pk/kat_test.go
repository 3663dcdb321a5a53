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

// katVector holds the pk answers of fixed.json: libolm's tests/test_pk.cpp
// "Encryption Test Case 1" (Alice's RFC 7748 key receives, Bob's is the
// ephemeral key) and its PkDecryption pickle.
type katVector struct {
	alicePriv, bobPriv                    *x25519.PrivateKey
	alicePrivHex, alicePub, bobPub        string
	plaintext, ciphertext, mac, macOverCT string
	pickle                                string
}

func loadKAT(t testing.TB) katVector {
	t.Helper()
	ans := testvectors.LoadAnswers(t)
	return katVector{
		alicePriv:    (*x25519.PrivateKey)(newttest.Hex(t, ans.Get("rfc7748/alice_private_hex"))),
		bobPriv:      (*x25519.PrivateKey)(newttest.Hex(t, ans.Get("rfc7748/bob_private_hex"))),
		alicePrivHex: ans.Get("rfc7748/alice_private_hex"),
		alicePub:     ans.Get("rfc7748/alice_public_base64"),
		bobPub:       ans.Get("rfc7748/bob_public_base64"),
		plaintext:    ans.Get("pk/plaintext"),
		ciphertext:   ans.Get("pk/ciphertext_base64"),
		mac:          ans.Get("pk/mac_base64"),
		macOverCT:    ans.Get("pk/mac_over_ciphertext_base64"),
		pickle:       ans.Get("pk/pickle"),
	}
}

// TestEncryptKnownAnswer checks libolm's tests/test_pk.cpp "Encryption Test
// Case 1" through the deterministic core, with bob_priv as the ephemeral key.
func TestEncryptKnownAnswer(t *testing.T) {
	v := loadKAT(t)
	d := newDecryption(v.alicePriv)
	if got := d.PublicKey().String(); got != v.alicePub {
		t.Fatalf("recipient public key = %s, want %s", got, v.alicePub)
	}
	e := NewEncryption(d.PublicKey())
	m, err := e.encrypt([]byte(v.plaintext), v.bobPriv)
	if err != nil {
		t.Fatal(err)
	}
	if got := m.CiphertextBase64(); got != v.ciphertext {
		t.Errorf("ciphertext = %s, want %s", got, v.ciphertext)
	}
	if got := m.MACBase64(); got != v.mac {
		t.Errorf("MAC = %s, want %s", got, v.mac)
	}
	if got := m.EphemeralKeyBase64(); got != v.bobPub {
		t.Errorf("ephemeral key = %s, want %s", got, v.bobPub)
	}
	pt, err := d.Decrypt(m)
	if err != nil || string(pt) != v.plaintext {
		t.Errorf("Decrypt = %q, %v", pt, err)
	}

	parsed, err := ParseMessage(v.ciphertext, v.mac, v.bobPub)
	if err != nil {
		t.Fatal(err)
	}
	if pt, err := d.Decrypt(parsed); err != nil || string(pt) != v.plaintext {
		t.Errorf("Decrypt(parsed known answer) = %q, %v", pt, err)
	}
}

// TestMACCoversNothing pins the libolm quirk the package doc describes: the
// MAC is HMAC(mac_key, "")[:8] and does not depend on the ciphertext.
func TestMACCoversNothing(t *testing.T) {
	v := loadKAT(t)
	d := newDecryption(v.alicePriv)
	e := NewEncryption(d.PublicKey())
	eph := v.bobPriv

	// The MAC over the ciphertext, which libolm does not send, is the
	// spec's 0YKKo6yL6p8: this confirms the key schedule and the quirk.
	pub := d.PublicKey().Array()
	secret, err := x25519.DH(eph, &pub)
	if err != nil {
		t.Fatal(err)
	}
	var keys aessha2.Keys
	aessha2.DeriveKeys(&keys, secret[:], infoPK)
	ct, _ := b64.DecodeString(v.ciphertext)
	if got := b64.EncodeToString(keys.AppendMAC(nil, ct, MACSize)); got != v.macOverCT {
		t.Errorf("MAC over the ciphertext = %s, want %s", got, v.macOverCT)
	}

	// Same ephemeral key, other plaintexts: the same MAC.
	for _, pt := range []string{"", "x", "a much longer plaintext spanning several AES blocks"} {
		m, err := e.encrypt([]byte(pt), eph)
		if err != nil {
			t.Fatal(err)
		}
		if got := m.MACBase64(); got != v.mac {
			t.Errorf("MAC of %q = %s, want %s", pt, got, v.mac)
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
	v := loadKAT(t)
	d, err := DecryptionFromPickle(v.pickle, []byte(katPickleKey))
	if err != nil {
		t.Fatal(err)
	}
	if got := d.PublicKey().String(); got != v.alicePub {
		t.Errorf("public key = %s, want %s", got, v.alicePub)
	}
	if got := hex.EncodeToString(d.PrivateKey()); got != v.alicePrivHex {
		t.Errorf("private key = %s, want %s", got, v.alicePrivHex)
	}
	if got := string(d.Pickle([]byte(katPickleKey))); got != v.pickle {
		t.Errorf("re-pickle = %s, want %s", got, v.pickle)
	}
	fresh := newDecryption(v.alicePriv)
	if got := string(fresh.Pickle([]byte(katPickleKey))); got != v.pickle {
		t.Errorf("pickle of alice_priv = %s, want %s", got, v.pickle)
	}
}

// TestPickleLayout checks the raw layout (libolm src/pk.cpp,
// olm_pickle_pk_decryption) and the errors for authenticated pickles with bad
// contents.
func TestPickleLayout(t *testing.T) {
	v := loadKAT(t)
	raw, err := pickle.Decrypt([]byte(katPickleKey), []byte(v.pickle))
	if err != nil {
		t.Fatal(err)
	}
	priv := v.alicePriv
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
