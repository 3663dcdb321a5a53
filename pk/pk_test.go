// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package pk_test

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/pk"
)

func TestRoundTrip(t *testing.T) {
	d := pk.GenerateDecryption()
	e := pk.NewEncryption(d.PublicKey())
	if e.RecipientKey() != d.PublicKey() {
		t.Fatal("RecipientKey differs")
	}
	for _, n := range []int{0, 1, 15, 16, 17, 31, 32, 33, 100, 4096} {
		pt := bytes.Repeat([]byte{byte(n)}, n)
		m, err := e.Encrypt(pt)
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Ciphertext) != n+16-n%16 || len(m.MAC) != pk.MACSize {
			t.Fatalf("n=%d: ciphertext %d bytes, MAC %d", n, len(m.Ciphertext), len(m.MAC))
		}
		got, err := d.Decrypt(m)
		if err != nil || !bytes.Equal(got, pt) {
			t.Fatalf("n=%d: Decrypt = %x, %v", n, got, err)
		}
		// Through the base64 forms, as stored in a backup's session_data.
		p, err := pk.ParseMessage(m.CiphertextBase64(), m.MACBase64(), m.EphemeralKeyBase64())
		if err != nil {
			t.Fatal(err)
		}
		if got, err := d.Decrypt(p); err != nil || !bytes.Equal(got, pt) {
			t.Fatalf("n=%d: Decrypt(parsed) = %x, %v", n, got, err)
		}
		if len(m.MACBase64()) != 11 || len(m.EphemeralKeyBase64()) != 43 || m.EphemeralKeyBase64() != m.EphemeralKey.String() {
			t.Fatalf("bad base64 lengths")
		}
	}
	// Each Encrypt uses a fresh ephemeral key.
	m1, _ := e.Encrypt([]byte("x"))
	m2, _ := e.Encrypt([]byte("x"))
	if m1.EphemeralKey == m2.EphemeralKey || bytes.Equal(m1.Ciphertext, m2.Ciphertext) {
		t.Error("two encryptions share an ephemeral key")
	}
}

func TestDecryptErrors(t *testing.T) {
	d := pk.GenerateDecryption()
	e := pk.NewEncryption(d.PublicKey())
	pt := []byte("a backed-up room key, 32+ bytes long")
	m, err := e.Encrypt(pt)
	if err != nil {
		t.Fatal(err)
	}
	clone := func() *pk.Message {
		return &pk.Message{Ciphertext: bytes.Clone(m.Ciphertext), MAC: bytes.Clone(m.MAC), EphemeralKey: m.EphemeralKey}
	}

	for i := range len(m.MAC) * 8 {
		c := clone()
		c.MAC[i/8] ^= 1 << (i % 8)
		if got, err := d.Decrypt(c); !errors.Is(err, pk.ErrBadMAC) || got != nil {
			t.Fatalf("MAC bit %d flipped: %v", i, err)
		}
	}
	for _, n := range []int{0, 1, 7, 9, 32} {
		c := clone()
		c.MAC = make([]byte, n)
		copy(c.MAC, m.MAC)
		if _, err := d.Decrypt(c); !errors.Is(err, pk.ErrBadMAC) {
			t.Errorf("MAC of %d bytes: %v", n, err)
		}
	}
	c := clone()
	c.EphemeralKey = pk.GenerateDecryption().PublicKey()
	if _, err := d.Decrypt(c); !errors.Is(err, pk.ErrBadMAC) {
		t.Errorf("other ephemeral key: %v", err)
	}
	if _, err := pk.GenerateDecryption().Decrypt(m); !errors.Is(err, pk.ErrBadMAC) {
		t.Errorf("wrong private key: %v", err)
	}
	for _, n := range []int{0, 1, 15, 17, 31} {
		c := clone()
		c.Ciphertext = c.Ciphertext[:n]
		if _, err := d.Decrypt(c); !errors.Is(err, pk.ErrBadCiphertext) {
			t.Errorf("ciphertext of %d bytes: %v", n, err)
		}
	}
	c = clone()
	c.Ciphertext = append(c.Ciphertext, 0)
	if _, err := d.Decrypt(c); !errors.Is(err, pk.ErrBadCiphertext) {
		t.Errorf("ciphertext of %d bytes: %v", len(c.Ciphertext), err)
	}
	for _, k := range newttest.LowOrderKeys(t) {
		c := clone()
		c.EphemeralKey = k
		if _, err := d.Decrypt(c); !errors.Is(err, pk.ErrNonContributory) {
			t.Errorf("low-order ephemeral key %x: %v", k.Bytes(), err)
		}
	}
	if _, err := d.Decrypt(nil); err == nil {
		t.Error("Decrypt(nil) succeeded")
	}
	// The original still decrypts: nothing above changed d.
	if got, err := d.Decrypt(m); err != nil || !bytes.Equal(got, pt) {
		t.Errorf("Decrypt after failures = %q, %v", got, err)
	}
}

// TestPadding uses the fact that the MAC does not cover the ciphertext: the
// first block of the encryption of a 16-byte plaintext P, sent alone with the
// same MAC, decrypts to P with P read as padded. That gives full control over
// the padding bytes.
func TestPadding(t *testing.T) {
	d := pk.GenerateDecryption()
	e := pk.NewEncryption(d.PublicKey())
	block := func(last ...byte) []byte {
		p := bytes.Repeat([]byte{'A'}, 16)
		copy(p[16-len(last):], last)
		return p
	}
	for _, tc := range []struct {
		name  string
		block []byte
		want  string // "" for an error
	}{
		{"pad 1", block(1), "AAAAAAAAAAAAAAA"},
		{"pad 3", block(3, 3, 3), "AAAAAAAAAAAAA"},
		{"pad 16", bytes.Repeat([]byte{16}, 16), ""},
		{"pad 0", block(0), "-"},
		{"pad 17", block(17), "-"},
		{"pad 255", block(255), "-"},
		{"pad 3 inconsistent", block(2, 3, 3), "-"},
		{"pad 2 inconsistent", block(3, 2), "-"},
		{"pad 16 inconsistent", append([]byte{15}, bytes.Repeat([]byte{16}, 15)...), "-"},
	} {
		m, err := e.Encrypt(tc.block)
		if err != nil {
			t.Fatal(err)
		}
		m.Ciphertext = m.Ciphertext[:16]
		got, err := d.Decrypt(m)
		if tc.want == "-" {
			if !errors.Is(err, pk.ErrBadCiphertext) || got != nil {
				t.Errorf("%s: %q, %v; want ErrBadCiphertext", tc.name, got, err)
			}
			continue
		}
		if err != nil || string(got) != tc.want {
			t.Errorf("%s: %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
}

func TestLowOrderRecipient(t *testing.T) {
	for _, k := range newttest.LowOrderKeys(t) {
		m, err := pk.NewEncryption(k).Encrypt([]byte("secret"))
		if !errors.Is(err, pk.ErrNonContributory) || m != nil {
			t.Errorf("recipient %x: %v, %v", k.Bytes(), m, err)
		}
	}
	if !strings.HasPrefix(pk.ErrNonContributory.Error(), "pk: ") {
		t.Errorf("error %q lacks the package prefix", pk.ErrNonContributory)
	}
}

func TestParseMessageErrors(t *testing.T) {
	d := pk.GenerateDecryption()
	m, _ := pk.NewEncryption(d.PublicKey()).Encrypt([]byte("hello"))
	ct, mac, eph := m.CiphertextBase64(), m.MACBase64(), m.EphemeralKeyBase64()
	if _, err := pk.ParseMessage(ct, mac, eph); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, ct, mac, eph string }{
		{"padded ciphertext", ct + "==", mac, eph},
		{"ciphertext bad char", "*" + ct[1:], mac, eph},
		{"ciphertext url alphabet", strings.NewReplacer("+", "-", "/", "_").Replace(ct) + "-_", mac, eph},
		{"ciphertext 4n+1", ct + "AAA", mac, eph}, // 22 + 3 characters
		{"ciphertext newline", ct[:4] + "\n" + ct[4:], mac, eph},
		{"MAC 10 chars", ct, mac[:10], eph},
		{"MAC 12 chars", ct, mac + "A", eph},
		{"MAC padded", ct, mac + "=", eph},
		{"MAC bad char", ct, "!" + mac[1:], eph},
		{"MAC trailing bits", ct, mac[:10] + "B", eph},
		{"ephemeral 42", ct, mac, eph[:42]},
		{"ephemeral 44", ct, mac, eph + "="},
		{"ephemeral bad char", ct, mac, " " + eph[1:]},
		{"empty ephemeral", ct, mac, ""},
	} {
		got, err := pk.ParseMessage(tc.ct, tc.mac, tc.eph)
		if !errors.Is(err, pk.ErrInvalidBase64) || got != nil {
			t.Errorf("%s: %v, %v; want ErrInvalidBase64", tc.name, got, err)
		}
	}
	// An empty ciphertext parses (it is valid base64) and fails in Decrypt.
	p, err := pk.ParseMessage("", mac, eph)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Decrypt(p); !errors.Is(err, pk.ErrBadCiphertext) {
		t.Errorf("empty ciphertext: %v", err)
	}
}

func TestPrivateKey(t *testing.T) {
	for _, n := range []int{0, 31, 33, 64} {
		if d, err := pk.NewDecryption(make([]byte, n)); !errors.Is(err, pk.ErrInvalidKey) || d != nil {
			t.Errorf("%d-byte key: %v, %v", n, d, err)
		}
	}
	// Stored unclamped, exactly as given.
	key := bytes.Repeat([]byte{0xff}, 32)
	d, err := pk.NewDecryption(key)
	if err != nil {
		t.Fatal(err)
	}
	key[0] = 0 // the input was copied
	got := d.PrivateKey()
	if !bytes.Equal(got, bytes.Repeat([]byte{0xff}, 32)) {
		t.Fatalf("PrivateKey = %x", got)
	}
	got[0] = 0 // the output is a copy
	if d.PrivateKey()[0] != 0xff {
		t.Fatal("PrivateKey returned internal state")
	}
	// Clamping happens at use: the clamped form is the same key.
	clamped := bytes.Repeat([]byte{0xff}, 32)
	clamped[0] &= 248
	clamped[31] = clamped[31]&127 | 64
	d2, _ := pk.NewDecryption(clamped)
	if d2.PublicKey() != d.PublicKey() {
		t.Error("clamped and unclamped keys differ")
	}
	// A random key round-trips through its bytes.
	r := pk.GenerateDecryption()
	r2, err := pk.NewDecryption(r.PrivateKey())
	if err != nil || r2.PublicKey() != r.PublicKey() {
		t.Errorf("round trip: %v", err)
	}
}

func TestPickleRoundTrip(t *testing.T) {
	d := pk.GenerateDecryption()
	for _, key := range [][]byte{nil, {}, []byte("k"), bytes.Repeat([]byte("long pickle key "), 10)} {
		p := d.Pickle(key)
		if p != d.Pickle(key) {
			t.Error("pickles are not deterministic")
		}
		got, err := pk.DecryptionFromPickle(p, key)
		if err != nil {
			t.Fatalf("key %q: %v", key, err)
		}
		if got.PublicKey() != d.PublicKey() || !bytes.Equal(got.PrivateKey(), d.PrivateKey()) {
			t.Fatal("unpickled key differs")
		}
		if _, err := pk.DecryptionFromPickle(p, append(bytes.Clone(key), 'x')); !errors.Is(err, pk.ErrBadPickleKey) {
			t.Errorf("wrong key: %v", err)
		}
		for i := range p {
			bad := bytes.Clone([]byte(p))
			bad[i] ^= 1
			if got, err := pk.DecryptionFromPickle(string(bad), key); err == nil || got != nil {
				t.Fatalf("byte %d flipped: accepted", i)
			} else if !errors.Is(err, pk.ErrBadPickleKey) && !errors.Is(err, pk.ErrCorruptedPickle) {
				t.Fatalf("byte %d flipped: untyped %v", i, err)
			}
		}
		for n := range len(p) {
			if _, err := pk.DecryptionFromPickle(p[:n], key); err == nil {
				t.Fatalf("truncated to %d: accepted", n)
			}
		}
	}
}

// TestNoSecretsInFormatting checks SECURITY.md row C25 for Decryption and
// Signing, in every verb, as pointers and as values.
func TestNoSecretsInFormatting(t *testing.T) {
	d := pk.GenerateDecryption()
	s := pk.GenerateSigning()
	secrets := []string{}
	for _, b := range [][]byte{d.PrivateKey(), s.Seed()} {
		secrets = append(secrets, hex.EncodeToString(b), base64.RawStdEncoding.EncodeToString(b),
			strings.TrimSuffix(fmt.Sprint(b[:4]), "]"))
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x", "%X", "%q", "%d"} {
		for _, v := range []any{d, *d, s, *s, pk.NewEncryption(d.PublicKey())} {
			out := fmt.Sprintf(verb, v)
			for _, sec := range secrets {
				if strings.Contains(strings.ToLower(out), strings.ToLower(sec)) {
					t.Errorf("%s of %T leaks a secret: %s", verb, v, out)
				}
			}
		}
	}
	if got := fmt.Sprint(d); got != "pk.Decryption{public: "+d.PublicKey().String()+"}" {
		t.Errorf("String = %s", got)
	}
}

func BenchmarkEncrypt(b *testing.B) {
	e := pk.NewEncryption(pk.GenerateDecryption().PublicKey())
	pt := make([]byte, 512) // about the size of a backed-up room key
	b.ReportAllocs()
	b.SetBytes(int64(len(pt)))
	for b.Loop() {
		if _, err := e.Encrypt(pt); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecrypt(b *testing.B) {
	d := pk.GenerateDecryption()
	m, _ := pk.NewEncryption(d.PublicKey()).Encrypt(make([]byte, 512))
	b.ReportAllocs()
	b.SetBytes(int64(len(m.Ciphertext)))
	for b.Loop() {
		if _, err := d.Decrypt(m); err != nil {
			b.Fatal(err)
		}
	}
}
