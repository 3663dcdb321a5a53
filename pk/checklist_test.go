// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package pk_test

// The rows of the security checklist (SECURITY.md) that package pk
// answers, each named after its row: "go test -run TestC08 ./..." runs a
// row in every package. Where newt deliberately differs from libolm, a
// comment says "DIVERGENCE".

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/internal/ed25519x"
	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/pk"
)

// pickleCase is the PkDecryption pickle of the rows on pickles.
func pickleCase() newttest.PickleCase {
	return newttest.PickleCase{Name: "pk decryption", Pickle: newttest.Snapshot(pk.GenerateDecryption()), Versions: []uint32{1},
		BadKey: pk.ErrBadPickleKey, Corrupted: pk.ErrCorruptedPickle, UnknownVersion: pk.ErrUnknownPickleVersion,
		Load: func(p string, key []byte) error {
			d, err := pk.DecryptionFromPickle(p, key)
			return newttest.NilIfOK(d, err)
		}}
}

// TestC01_EmptyAndTruncatedInput: every prefix of a message's MAC and
// ephemeral key (base64) and of its ciphertext (bytes and base64), and of
// a pickle (as text, and as plaintext inside a valid envelope), gives a
// typed error and a nil result, never a panic. Also: FuzzParseMessage.
func TestC01_EmptyAndTruncatedInput(t *testing.T) {
	d := pk.GenerateDecryption()
	// All-zero plaintext: every block-aligned prefix of the ciphertext
	// decrypts to a last byte of 0, which is never valid padding.
	m, err := pk.NewEncryption(d.PublicKey()).Encrypt(make([]byte, 40))
	if err != nil {
		t.Fatal(err)
	}
	ct, mac, eph := m.CiphertextBase64(), m.MACBase64(), m.EphemeralKeyBase64()
	for n := range len(mac) {
		if pm, err := pk.ParseMessage(ct, mac[:n], eph); pm != nil || !errors.Is(err, pk.ErrInvalidBase64) {
			t.Fatalf("ParseMessage(mac %d chars) = %v", n, err)
		}
	}
	for n := range len(eph) {
		if pm, err := pk.ParseMessage(ct, mac, eph[:n]); pm != nil || !errors.Is(err, pk.ErrInvalidBase64) {
			t.Fatalf("ParseMessage(ephemeral %d chars) = %v", n, err)
		}
	}
	for n := range len(m.Ciphertext) {
		tm := *m
		tm.Ciphertext = m.Ciphertext[:n]
		if pt, err := d.Decrypt(&tm); pt != nil || !errors.Is(err, pk.ErrBadCiphertext) {
			t.Fatalf("Decrypt(ciphertext %d bytes) = %v", n, err)
		}
		if n%4 != 1 {
			cts := ct[:base64.RawStdEncoding.EncodedLen(n)]
			if pm, err := pk.ParseMessage(cts, mac, eph); err == nil {
				if _, err := d.Decrypt(pm); !errors.Is(err, pk.ErrBadCiphertext) {
					t.Fatalf("Decrypt(parsed ciphertext %d bytes) = %v", n, err)
				}
			}
		}
	}
	if pt, err := d.Decrypt(m); err != nil || !bytes.Equal(pt, make([]byte, 40)) {
		t.Fatal(err)
	}
	newttest.CheckTruncatedPickle(t, pickleCase())
}

// TestC02_OversizedMessages: a MiB-scale plaintext round-trips with memory
// linear in the input (newt has no size cap), and a forged MiB-scale
// message with a bad MAC fails without allocating its plaintext.
func TestC02_OversizedMessages(t *testing.T) {
	big := newttest.RandBytes(newttest.OversizedPlaintext)
	d := pk.GenerateDecryption()
	m, err := pk.NewEncryption(d.PublicKey()).Encrypt(big)
	if err != nil {
		t.Fatal(err)
	}
	newttest.CheckLinearDecrypt(t, big, func() ([]byte, error) { return d.Decrypt(m) })
	m.MAC[0] ^= 1
	newttest.CheckBoundedFailure(t, "forged 4 MiB message", func() error { _, err := d.Decrypt(m); return err }, pk.ErrBadMAC)
}

// TestC05_WrongVersionByte: every pickle version but 1 is
// ErrUnknownPickleVersion.
func TestC05_WrongVersionByte(t *testing.T) {
	newttest.CheckPickleVersions(t, pickleCase())
}

// TestC07_EncodingRoundTrip: a signature over signed JSON verifies for one
// text of its numbers only. Verification (VerifyJSON, VerifySignedJSON) and
// signing (SignJSON) refuse a number that is not an integer written minimally
// in [-(2^53)+1, 2^53-1] with ErrJSONNumber, as matrix-rust-sdk (ruma) does:
// 1.0, 1e0 and 100E-2 would otherwise verify under the signature of 1, and -0
// under that of 0. newt.CanonicalJSON keeps the Matrix spec's
// canonicalisation of such numbers (its appendix example).
func TestC07_EncodingRoundTrip(t *testing.T) {
	s := pk.GenerateSigning()
	key := s.PublicKey()
	for _, c := range []struct {
		signed string
		forms  []string
	}{
		{`{"n":1}`, []string{`{"n":1.0}`, `{"n":1e0}`, `{"n":100E-2}`, `{"n":0.1e1}`, `{"n":1E+0}`}},
		{`{"n":0}`, []string{`{"n":-0}`, `{"n":0.0}`, `{"n":0e5}`, `{"n":-0.0}`}},
		{`{"a":[{"n":-12}]}`, []string{`{"a":[{"n":-12.00}]}`, `{"a":[{"n":-1.2e1}]}`}},
	} {
		sig, err := s.SignJSON([]byte(c.signed))
		if err != nil {
			t.Fatal(err)
		}
		if err := pk.VerifyJSON([]byte(c.signed), key, sig); err != nil {
			t.Fatalf("%s: %v", c.signed, err)
		}
		for _, f := range c.forms {
			if err := pk.VerifyJSON([]byte(f), key, sig); !errors.Is(err, pk.ErrJSONNumber) {
				t.Errorf("VerifyJSON(%s) under the signature of %s: %v", f, c.signed, err)
			}
			var obj map[string]any
			if err := json.Unmarshal([]byte(f), &obj); err != nil {
				t.Fatal(err)
			}
			withSig := strings.TrimSuffix(f, "}") + `,"signatures":{"@a:b":{"ed25519:K":"` + sig.String() + `"}}}`
			if err := pk.VerifySignedJSON([]byte(withSig), "@a:b", "ed25519:K", key); !errors.Is(err, pk.ErrJSONNumber) {
				t.Errorf("VerifySignedJSON(%s): %v", withSig, err)
			}
			if _, err := s.SignJSON([]byte(f)); !errors.Is(err, pk.ErrJSONNumber) {
				t.Errorf("SignJSON(%s): %v", f, err)
			}
		}
	}
	// The range: ±(2^53-1) is signed and verified, one more is refused.
	for _, in := range []string{`{"n":9007199254740991}`, `{"n":-9007199254740991}`} {
		sig, err := s.SignJSON([]byte(in))
		if err != nil || pk.VerifyJSON([]byte(in), key, sig) != nil {
			t.Errorf("%s: %v", in, err)
		}
	}
	for _, in := range []string{`{"n":9007199254740992}`, `{"n":-9007199254740992}`, `{"n":1.5}`} {
		if err := pk.VerifyJSON([]byte(in), key, newt.Ed25519Signature{}); !errors.Is(err, pk.ErrJSONNumber) {
			t.Errorf("VerifyJSON(%s): %v", in, err)
		}
	}
	// Go values: encoding/json writes the integral float 1 as 1.
	if _, err := s.SignJSON(map[string]any{"n": 1.0}); err != nil {
		t.Error(err)
	}
	// The canonicalisation function keeps the spec's rule for such numbers.
	if out, err := newt.CanonicalJSON([]byte("{\n    \"a\": -0,\n    \"b\": 1e10\n}")); err != nil || string(out) != `{"a":0,"b":10000000000}` {
		t.Errorf("CanonicalJSON of the spec's example: %s, %v", out, err)
	}
}

// TestC08_MACFailure: a MAC of the wrong length or with any bit flipped, a
// flipped ephemeral key or the wrong recipient is ErrBadMAC (or
// ErrNonContributory for an ephemeral key made low-order); the MAC is
// checked before the ciphertext; a wrong pickle key is ErrBadPickleKey.
// Also: TestDecryptErrors.
func TestC08_MACFailure(t *testing.T) {
	d := pk.GenerateDecryption()
	m, _ := pk.NewEncryption(d.PublicKey()).Encrypt([]byte("flip me"))
	for _, n := range []int{0, 7, 9, 32} {
		bad := *m
		bad.MAC = make([]byte, n)
		copy(bad.MAC, m.MAC)
		if _, err := d.Decrypt(&bad); !errors.Is(err, pk.ErrBadMAC) {
			t.Errorf("MAC of %d bytes: %v", n, err)
		}
	}
	for i := range len(m.MAC) * 8 {
		bad := *m
		bad.MAC = newttest.FlipBit(m.MAC, i)
		if _, err := d.Decrypt(&bad); !errors.Is(err, pk.ErrBadMAC) {
			t.Fatalf("MAC bit %d: %v", i, err)
		}
	}
	// Bit 255 is skipped: X25519 ignores the top bit of a public key
	// (RFC 7748 §5, as libolm), and pk's MAC does not cover the key
	// bytes, so that flip decrypts. Any other flip changes the secret.
	for i := range 255 {
		bad := *m
		e := m.EphemeralKey.Array()
		e[i/8] ^= 1 << (i % 8)
		bad.EphemeralKey = newt.Curve25519PublicKeyFromArray(e)
		if _, err := d.Decrypt(&bad); !newttest.IsOneOf(err, pk.ErrBadMAC, pk.ErrNonContributory) {
			t.Fatalf("ephemeral bit %d: %v", i, err)
		}
	}
	if _, err := pk.GenerateDecryption().Decrypt(m); !errors.Is(err, pk.ErrBadMAC) {
		t.Errorf("wrong recipient: %v", err)
	}
	// MAC first: a bad MAC with a 15-byte ciphertext is ErrBadMAC, not
	// ErrBadCiphertext.
	bad := *m
	bad.Ciphertext = make([]byte, 15)
	bad.MAC = newttest.FlipBit(m.MAC, 0)
	if _, err := d.Decrypt(&bad); !errors.Is(err, pk.ErrBadMAC) {
		t.Errorf("bad MAC and bad ciphertext: %v", err)
	}
	if pt, err := d.Decrypt(m); err != nil || string(pt) != "flip me" {
		t.Fatal(err)
	}
	newttest.CheckWrongPickleKeys(t, pickleCase())
}

// TestC09_BadPaddingBehindValidMAC: a ciphertext that is empty, not a
// multiple of 16 bytes or badly padded is ErrBadCiphertext even when its
// MAC is valid (pk's MAC authenticates nothing, so anyone can arrange it).
// Also: TestPadding.
func TestC09_BadPaddingBehindValidMAC(t *testing.T) {
	d := pk.GenerateDecryption()
	for name, n := range newttest.BadCiphertextLengths {
		m, _ := randomForge(t, d, newttest.RandBytes(n))
		if pt, err := d.Decrypt(m); pt != nil || !errors.Is(err, pk.ErrBadCiphertext) {
			t.Errorf("%s: %v", name, err)
		}
	}
	for name, block := range newttest.BadPaddings {
		m, k := randomForge(t, d, nil)
		m.Ciphertext = newttest.CBCRaw(k, block)
		if pt, err := d.Decrypt(m); pt != nil || !errors.Is(err, pk.ErrBadCiphertext) {
			t.Errorf("%s: %v", name, err)
		}
	}
	m, k := randomForge(t, d, nil)
	m.Ciphertext = k.AppendEncrypt(nil, []byte("valid"))
	if pt, err := d.Decrypt(m); err != nil || string(pt) != "valid" {
		t.Fatalf("forged honest message: %v", err)
	}
}

// TestC10_MegolmSignatureFailure: pk's verification refuses the universal
// forgeries that small-order keys admit (R = identity, S = 0, a
// "signature" crypto/ed25519 accepts under the identity key) for every
// small-order key. The Megolm half of the row is megolm's. Also:
// TestVerifyStrict, ed25519x TestEdgeCases.
func TestC10_MegolmSignatureFailure(t *testing.T) {
	msg := []byte("any message")
	forgery := newt.Ed25519SignatureFromArray([64]byte(append(bytes.Clone(newttest.IdentityPoint[:]), make([]byte, 32)...)))
	for _, A := range newttest.SmallOrderEd25519(t) {
		if err := pk.VerifySignature(newt.Ed25519PublicKeyFromArray([32]byte(A)), msg, forgery); !errors.Is(err, pk.ErrBadSignature) {
			t.Errorf("pk.VerifySignature with small-order key %x: %v", A[:4], err)
		}
	}
}

// TestC16_LowOrderCurve25519Keys: a low-order recipient or ephemeral key
// (RFC 7748 section 7, with the ignored top bit set or not) fails with
// ErrNonContributory. DIVERGENCE: libolm keys the backup with the all-zero
// secret. Also: TestLowOrderRecipient.
func TestC16_LowOrderCurve25519Keys(t *testing.T) {
	for _, u := range newttest.LowOrderCurve25519(t) {
		for _, top := range []byte{0, 0x80} {
			u[31] |= top
			k := newt.Curve25519PublicKeyFromArray(u)
			if _, err := pk.NewEncryption(k).Encrypt([]byte("x")); !errors.Is(err, pk.ErrNonContributory) {
				t.Errorf("pk recipient %v: %v", k, err)
			}
			d := pk.GenerateDecryption()
			pm, _ := pk.NewEncryption(d.PublicKey()).Encrypt([]byte("x"))
			pm.EphemeralKey = k
			if _, err := d.Decrypt(pm); !errors.Is(err, pk.ErrNonContributory) {
				t.Errorf("pk ephemeral %v: %v", k, err)
			}
		}
	}
}

// TestC17_NonCanonicalEd25519Keys: non-canonical encodings (y >= p, x = 0
// with the sign bit) are rejected by pk's verification, and the universal
// forgery R = identity, S = 0 under the identity encoded non-canonically
// fails too. Also: TestVerifyStrict.
func TestC17_NonCanonicalEd25519Keys(t *testing.T) {
	signer := pk.GenerateSigning()
	msg := []byte("message")
	sig := signer.Sign(msg)
	forgery := newt.Ed25519SignatureFromArray([64]byte(append(bytes.Clone(newttest.IdentityPoint[:]), make([]byte, 32)...)))
	for _, enc := range newttest.NonCanonicalEd25519(t) {
		key := newt.Ed25519PublicKeyFromArray([32]byte(enc))
		if err := pk.VerifySignature(key, msg, sig); !errors.Is(err, pk.ErrBadSignature) {
			t.Errorf("pk.VerifySignature(%x): %v", enc, err)
		}
		if err := pk.VerifySignature(key, msg, forgery); !errors.Is(err, pk.ErrBadSignature) {
			t.Errorf("forgery under %x: %v", enc, err)
		}
	}
	if err := pk.VerifySignature(signer.PublicKey(), msg, sig); err != nil {
		t.Fatal(err)
	}
}

// TestC20_PickleTampering: flipping any bit of a PkDecryption pickle is
// ErrBadPickleKey; an envelope of impossible length is a typed error;
// trailing plaintext is ErrCorruptedPickle. Also: TestPickleKnownAnswer,
// TestPickleLayout.
func TestC20_PickleTampering(t *testing.T) {
	newttest.CheckPickleTampering(t, pickleCase())
}

// TestC21_ConcurrentUse: a Decryption and a Signing are used from many
// goroutines (run with -race).
func TestC21_ConcurrentUse(t *testing.T) {
	d := pk.GenerateDecryption()
	sg := pk.GenerateSigning()
	pm, _ := pk.NewEncryption(d.PublicKey()).Encrypt([]byte("backup"))
	newttest.Parallel(8, func(w int) {
		for range 10 {
			if pt, err := d.Decrypt(pm); err != nil || string(pt) != "backup" {
				panic(err)
			}
			if err := pk.VerifySignature(sg.PublicKey(), []byte{byte(w)}, sg.Sign([]byte{byte(w)})); err != nil {
				panic(err)
			}
		}
	})
}

// TestC22_Base64Input: pk's base64 entry points (the message's ciphertext
// and ephemeral key, the pickle) reject bad characters, non-ASCII UTF-8,
// embedded "\r\n" or spaces, the URL-safe alphabet, '=' padding, a length
// ≡ 1 (mod 4) and non-canonical trailing bits. Also: TestParseMessage.
func TestC22_Base64Input(t *testing.T) {
	d := pk.GenerateDecryption()
	pm, _ := pk.NewEncryption(d.PublicKey()).Encrypt([]byte("b64"))
	newttest.CheckBase64Entry(t, "pk ciphertext", pm.CiphertextBase64(), func(s string) error {
		m, err := pk.ParseMessage(s, pm.MACBase64(), pm.EphemeralKeyBase64())
		return newttest.WantError(m == nil, err, pk.ErrInvalidBase64)
	})
	newttest.CheckBase64Entry(t, "pk ephemeral key", pm.EphemeralKeyBase64(), func(s string) error {
		m, err := pk.ParseMessage(pm.CiphertextBase64(), pm.MACBase64(), s)
		return newttest.WantError(m == nil, err, pk.ErrInvalidBase64)
	})
	newttest.CheckBase64Entry(t, "pk pickle", newttest.Snapshot(d), func(s string) error {
		a, err := pk.DecryptionFromPickle(s, newttest.PickleKey)
		return newttest.WantError(a == nil, err, pk.ErrCorruptedPickle, pk.ErrBadPickleKey)
	})
}

// TestC24_PlaintextContent: plaintexts are bytes: empty, NUL, invalid
// UTF-8 and random bytes round-trip exactly.
func TestC24_PlaintextContent(t *testing.T) {
	d := pk.GenerateDecryption()
	enc := pk.NewEncryption(d.PublicKey())
	for _, pt := range newttest.Plaintexts() {
		m, err := enc.Encrypt(pt)
		if err != nil {
			t.Fatal(err)
		}
		got, err := d.Decrypt(m)
		if err != nil || !bytes.Equal(got, pt) {
			t.Errorf("pk %x: %x, %v", pt, got, err)
		}
	}
	// AppendPickle writing into the memory of its own key.
	newttest.CheckAppendPickleAliased(t, d)
}

// TestC25_NoSecretsInFormatting formats a Decryption (its private key) and a
// Signing (its seed and expanded key) with every fmt verb, as pointers and
// values, directly, as an exported field of a struct and in unexported
// fields, slices, maps and interfaces of a struct (where fmt cannot call
// their methods), and requires that no rendering of the secrets appears; the
// error strings of failed operations are checked too. Every other exported
// type of the package holds no secret. Also: TestNoSecretsInFormatting.
func TestC25_NoSecretsInFormatting(t *testing.T) {
	d := pk.GenerateDecryption()
	sg := pk.GenerateSigning()
	seed := sg.Seed()
	exp := ed25519x.NewKeyFromSeed((*[32]byte)(seed)).Expanded()
	newttest.CheckFormatting(t, "pk.Decryption", d, d.PrivateKey())
	newttest.CheckFormatting(t, "pk.Signing", sg, seed, exp[:32], exp[32:])
	newttest.CheckExportedTypes(t, ".", "Decryption", "Signing",
		"Encryption", "Message", "JSONError") // public keys, ciphertexts, errors

	var errs []error
	pm, _ := randomForge(t, d, newttest.RandBytes(15))
	_, err := d.Decrypt(pm)
	errs = append(errs, err)
	_, err = pk.DecryptionFromPickle(newttest.SealPickle(newttest.PickleKey, append(newttest.PlainOf(t, newttest.Snapshot(d)), 0)), newttest.PickleKey)
	errs = append(errs, err)
	newttest.CheckErrorsHaveNoSecrets(t, errs, d.PrivateKey(), seed)
}

// TestC29_NoPanicFromAPI sends random bytes, random base64, nil arguments
// and zero values through every entry point of package pk that takes
// input, and requires typed errors and no panic. Also: every fuzz target.
func TestC29_NoPanicFromAPI(t *testing.T) {
	d := pk.GenerateDecryption()
	key := pk.GenerateSigning().PublicKey()
	newttest.ForRandomInputs(t, 29, 300, func(b []byte, str, b64 string) {
		pk.ParseMessage(b64, b64, b64)
		pk.ParseMessage(str, str, str)
		d.Decrypt(&pk.Message{Ciphertext: b, MAC: b})
		pk.NewDecryption(b)
		pk.NewSigning(b)
		pk.DecryptionFromPickle(newttest.SealPickle(newttest.PickleKey, b), newttest.PickleKey)
		pk.VerifyJSON(b, key, newt.Ed25519Signature{})
		pk.VerifySignedJSON(json.RawMessage(b), "@a:b", "ed25519:X", key)
	})
	newttest.MustNotPanic(t, "nil and zero values", func() {
		d.Decrypt(nil)
		d.Decrypt(&pk.Message{})
		pk.GenerateSigning().SignJSON(make(chan int))
		var zd pk.Decryption
		zd.Decrypt(&pk.Message{})
	})
	if _, err := d.Decrypt(nil); err == nil {
		t.Error("nil argument accepted")
	}
}
