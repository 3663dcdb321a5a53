// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package keys

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestSecretRoundTrip(t *testing.T) {
	k := GenerateSecretStorageKey()
	if len(k.ID()) != 32 {
		t.Fatalf("key ID %q", k.ID())
	}
	secret := []byte("c2VjcmV0IGtleSBtYXRlcmlhbCAzMiBieXRlcyBsb25n")
	e := k.Encrypt(SecretMegolmBackup, secret)
	if e.IV[8]&0x80 != 0 || len(e.IV) != 16 || len(e.MAC) != 32 {
		t.Fatalf("IV %x MAC %d bytes", e.IV, len(e.MAC))
	}
	e2, err := EncryptedSecretFromJSON(e.JSON())
	if err != nil {
		t.Fatal(err)
	}
	got, err := k.Decrypt(SecretMegolmBackup, e2)
	if err != nil || !bytes.Equal(got, secret) {
		t.Fatalf("Decrypt: %q %v", got, err)
	}

	// The name is bound in: another name does not decrypt.
	if _, err := k.Decrypt(SecretCrossSigningMaster, e2); err != ErrBadSecret {
		t.Fatalf("other name: %v", err)
	}
	if _, err := GenerateSecretStorageKey().Decrypt(SecretMegolmBackup, e2); err != ErrBadSecret {
		t.Fatalf("other key: %v", err)
	}
	for i, f := range []func(*EncryptedSecret){
		func(e *EncryptedSecret) { e.MAC[0] ^= 1 },
		func(e *EncryptedSecret) { e.MAC = e.MAC[:31] },
		func(e *EncryptedSecret) { e.MAC = append(e.MAC, 0) },
		func(e *EncryptedSecret) { e.Ciphertext[3] ^= 1 },
		func(e *EncryptedSecret) { e.Ciphertext = e.Ciphertext[1:] },
	} {
		c := &EncryptedSecret{IV: bytes.Clone(e.IV), Ciphertext: bytes.Clone(e.Ciphertext), MAC: bytes.Clone(e.MAC)}
		f(c)
		if _, err := k.Decrypt(SecretMegolmBackup, c); err != ErrBadSecret {
			t.Errorf("tampering %d: %v", i, err)
		}
	}
	// The IV is not MACed (wire format): a changed IV decrypts to
	// something else without an error. This documents the property.
	c := &EncryptedSecret{IV: bytes.Clone(e.IV), Ciphertext: e.Ciphertext, MAC: e.MAC}
	c.IV[15] ^= 1
	if got, err := k.Decrypt(SecretMegolmBackup, c); err != nil || bytes.Equal(got, secret) {
		t.Fatalf("changed IV: %q %v", got, err)
	}
}

// TestSecretKnownAnswer computes a secret storage encryption independently
// (HKDF-SHA-256 with the secret name as info, AES-256-CTR, HMAC over the
// ciphertext) and compares.
func TestSecretKnownAnswer(t *testing.T) {
	raw := bytes.Repeat([]byte{7}, 32)
	k, _ := NewSecretStorageKey("id", raw)
	iv := bytes.Repeat([]byte{1}, 16)
	secret := []byte("the secret")
	e := k.encrypt("m.test", secret, iv)

	okm, _ := hkdf.Key(sha256.New, raw, make([]byte, 32), "m.test", 64)
	block, _ := aes.NewCipher(okm[:32])
	ct := make([]byte, len(secret))
	cipher.NewCTR(block, iv).XORKeyStream(ct, secret)
	if !bytes.Equal(ct, e.Ciphertext) || !bytes.Equal(hmacSHA256(okm[32:], ct), e.MAC) {
		t.Fatal("secret storage encryption differs from the spec's construction")
	}
	// HKDF with 32 zero bytes of salt equals HKDF with no salt (RFC 5869
	// pads the salt to the hash length), which some clients use.
	okm2, _ := hkdf.Key(sha256.New, raw, nil, "m.test", 64)
	if !bytes.Equal(okm, okm2) {
		t.Fatal("zero salt differs from no salt")
	}
}

// TestSecretPaddedFields: matrix-js-sdk writes padded base64.
func TestSecretPaddedFields(t *testing.T) {
	k := GenerateSecretStorageKey()
	e := k.Encrypt("m.x", []byte("abc"))
	padded := fmt.Sprintf(`{"iv":%q,"ciphertext":%q,"mac":%q}`,
		base64.StdEncoding.EncodeToString(e.IV), base64.StdEncoding.EncodeToString(e.Ciphertext), base64.StdEncoding.EncodeToString(e.MAC))
	e2, err := EncryptedSecretFromJSON([]byte(padded))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := k.Decrypt("m.x", e2); err != nil || string(got) != "abc" {
		t.Fatal(got, err)
	}
	for _, bad := range []string{`{}`, `{"iv":"AAAA","ciphertext":"","mac":""}`, `{"iv":5,"ciphertext":"","mac":""}`, `[]`,
		`{"iv":"AAAAAAAAAAAAAAAAAAAAAA","ciphertext":"!","mac":""}`} {
		if _, err := EncryptedSecretFromJSON([]byte(bad)); !errors.Is(err, ErrBadSecretStorage) {
			t.Errorf("%s: %v", bad, err)
		}
	}
}

func TestSecretKeys(t *testing.T) {
	k := GenerateSecretStorageKey()
	key := bytes.Repeat([]byte{0xfe}, 32)
	e := k.EncryptKey(SecretCrossSigningMaster, key)
	text, _ := k.Decrypt(SecretCrossSigningMaster, e)
	if string(text) != base64.RawStdEncoding.EncodeToString(key) {
		t.Fatalf("stored text %q", text)
	}
	got, err := k.DecryptKey(SecretCrossSigningMaster, e)
	if err != nil || !bytes.Equal(got, key) {
		t.Fatal(got, err)
	}
	// Padded base64 inside (older mautrix-go data).
	e = k.Encrypt(SecretCrossSigningMaster, []byte(base64.StdEncoding.EncodeToString(key)))
	if got, err := k.DecryptKey(SecretCrossSigningMaster, e); err != nil || !bytes.Equal(got, key) {
		t.Fatal(got, err)
	}
	e = k.Encrypt(SecretCrossSigningMaster, []byte("not base64!"))
	if _, err := k.DecryptKey(SecretCrossSigningMaster, e); !errors.Is(err, ErrBadSecretStorage) {
		t.Fatal(err)
	}

	// Events with several keys.
	k2 := GenerateSecretStorageKey()
	ev := &SecretEvent{Encrypted: map[string]*EncryptedSecret{
		k.ID():  k.EncryptKey(SecretMegolmBackup, key),
		k2.ID(): k2.EncryptKey(SecretMegolmBackup, key),
	}}
	ev2, err := SecretEventFromJSON(ev.JSON())
	if err != nil {
		t.Fatal(err)
	}
	for _, kk := range []*SecretStorageKey{k, k2} {
		text, err := ev2.Decrypt(kk, SecretMegolmBackup)
		if err != nil || string(text) != base64.RawStdEncoding.EncodeToString(key) {
			t.Fatal(err)
		}
	}
	if _, err := ev2.Decrypt(GenerateSecretStorageKey(), SecretMegolmBackup); err != ErrNoSecret {
		t.Fatal(err)
	}
	for _, bad := range []string{`{}`, `{"encrypted":{"a":{}}}`, `{"encrypted":[]}`, `5`} {
		if _, err := SecretEventFromJSON([]byte(bad)); !errors.Is(err, ErrBadSecretStorage) {
			t.Errorf("%s: %v", bad, err)
		}
	}
}

func TestKeyDescription(t *testing.T) {
	k := GenerateSecretStorageKey()
	d := k.Description("my key", nil)
	d2, err := KeyDescriptionFromJSON(d.JSON())
	if err != nil {
		t.Fatal(err)
	}
	if d2.Name != "my key" || !d2.HasCheck() || d2.Check(k) != nil {
		t.Fatalf("description %s: %v", d.JSON(), d2.Check(k))
	}
	if err := d2.Check(GenerateSecretStorageKey()); err != ErrWrongKey {
		t.Fatalf("wrong key: %v", err)
	}
	// A description built by hand with a short IV is an error, not a panic.
	for _, n := range []int{1, 15} {
		short := &KeyDescription{IV: d.IV[:n], MAC: d.MAC}
		if err := short.Check(k); !errors.Is(err, ErrBadSecretStorage) {
			t.Fatalf("IV of %d bytes: %v", n, err)
		}
	}

	// Optional check: without iv and mac every key is accepted.
	d3, err := KeyDescriptionFromJSON([]byte(`{"algorithm":"m.secret_storage.v1.aes-hmac-sha2"}`))
	if err != nil || d3.HasCheck() || d3.Check(k) != nil {
		t.Fatal(err)
	}

	// A longer IV (nheko wrote 32 bytes): its first 16 bytes are used.
	long := append(bytes.Clone(d.IV), bytes.Repeat([]byte{9}, 16)...)
	j := fmt.Sprintf(`{"algorithm":"m.secret_storage.v1.aes-hmac-sha2","iv":%q,"mac":%q}`,
		base64.StdEncoding.EncodeToString(long), base64.StdEncoding.EncodeToString(d.MAC))
	d4, err := KeyDescriptionFromJSON([]byte(j))
	if err != nil || d4.Check(k) != nil {
		t.Fatalf("long IV: %v", err)
	}

	for _, bad := range []string{
		`{}`,
		`{"algorithm":"m.secret_storage.v1.curve25519-aes-sha2"}`,
		`{"algorithm":"m.secret_storage.v1.aes-hmac-sha2","iv":"AAAAAAAAAAAAAAAAAAAAAA"}`,
		`{"algorithm":"m.secret_storage.v1.aes-hmac-sha2","iv":"AAAA","mac":"` + strings.Repeat("A", 43) + `"}`,
		`{"algorithm":"m.secret_storage.v1.aes-hmac-sha2","iv":"AAAAAAAAAAAAAAAAAAAAAA","mac":"AAAA"}`,
		`{"algorithm":"m.secret_storage.v1.aes-hmac-sha2","passphrase":{"algorithm":"m.scrypt","salt":"s","iterations":1}}`,
		`{"algorithm":"m.secret_storage.v1.aes-hmac-sha2","passphrase":{"algorithm":"m.pbkdf2","iterations":1}}`,
		`{"algorithm":"m.secret_storage.v1.aes-hmac-sha2","passphrase":{"algorithm":"m.pbkdf2","salt":"s","iterations":1,"bits":512}}`,
		`{"algorithm":"m.secret_storage.v1.aes-hmac-sha2","passphrase":{"algorithm":"m.pbkdf2","salt":"s","iterations":-1}}`,
		`{"algorithm":"m.secret_storage.v1.aes-hmac-sha2","passphrase":{"algorithm":"m.pbkdf2","salt":"s","iterations":1.5}}`,
	} {
		if _, err := KeyDescriptionFromJSON([]byte(bad)); !errors.Is(err, ErrBadSecretStorage) {
			t.Errorf("%s: %v", bad, err)
		}
	}
}

func TestPassphraseKeys(t *testing.T) {
	p := &PassphraseParams{Salt: "salt", Iterations: 100}
	k, err := p.DeriveKey("id", []byte("pass"), nil)
	if err != nil {
		t.Fatal(err)
	}
	// The salt is used as UTF-8 text, not base64-decoded, and 256 bits
	// are derived.
	want := stdPBKDF2("pass", []byte("salt"), 100, 32)
	if !bytes.Equal(k.Bytes(), want) {
		t.Fatal("derived key differs")
	}
	d := k.Description("", p)
	d2, err := KeyDescriptionFromJSON(d.JSON())
	if err != nil {
		t.Fatal(err)
	}
	k2, err := d2.KeyFromPassphrase("id", []byte("pass"), nil)
	if err != nil || !bytes.Equal(k2.Bytes(), k.Bytes()) {
		t.Fatal(err)
	}
	if _, err := d2.KeyFromPassphrase("id", []byte("wrong"), nil); err != ErrWrongKey {
		t.Fatal(err)
	}
	if _, err := d2.KeyFromPassphrase("id", []byte("pass"), &Options{MaxIterations: 99}); !errors.Is(err, ErrIterations) {
		t.Fatal(err)
	}
	for _, n := range []string{"0", "10000001", "18446744073709551615"} {
		j := `{"algorithm":"m.secret_storage.v1.aes-hmac-sha2","passphrase":{"algorithm":"m.pbkdf2","salt":"s","iterations":` + n + `}}`
		d, err := KeyDescriptionFromJSON([]byte(j))
		if err != nil {
			t.Fatal(err)
		}
		var ie *IterationsError
		if _, err := d.KeyFromPassphrase("id", []byte("p"), nil); !errors.As(err, &ie) || fmt.Sprint(ie.Iterations) != n {
			t.Errorf("%s iterations: %v", n, err)
		}
	}
	if _, err := d3KeyWithoutPassphrase().KeyFromPassphrase("id", []byte("p"), nil); !errors.Is(err, ErrBadSecretStorage) {
		t.Fatal(err)
	}
	np := NewPassphraseParams()
	if len(np.Salt) != 32 || np.Iterations != DefaultIterations {
		t.Fatalf("%+v", np)
	}
}

func d3KeyWithoutPassphrase() *KeyDescription {
	d, _ := KeyDescriptionFromJSON([]byte(`{"algorithm":"m.secret_storage.v1.aes-hmac-sha2"}`))
	return d
}

func TestSecretStorageKeyFormatting(t *testing.T) {
	k := GenerateSecretStorageKey()
	hex := fmt.Sprintf("%x", k.Bytes()[:6])
	for _, f := range []string{"%v", "%+v", "%#v", "%s", "%x", "%d"} {
		if out := fmt.Sprintf(f, k); strings.Contains(out, hex) || strings.Contains(out, fmt.Sprint(k.Bytes()[:4])) {
			t.Errorf("%s prints the key: %s", f, out)
		}
	}
}
