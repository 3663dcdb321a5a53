// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

//go:build libolm

package pk

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/newt-e2ee/newt/internal/libolm"
	"github.com/newt-e2ee/newt/internal/x25519"
)

func differentialRounds() int {
	if testing.Short() {
		return 50
	}
	return 500
}

func seededFill(seed string) func([]byte) {
	var s [32]byte
	copy(s[:], seed)
	rng := rand.New(rand.NewChaCha8(s))
	return func(b []byte) {
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
	}
}

// randLen returns a length in [0, max) from fill's stream.
func randLen(fill func([]byte), max int) int {
	var b [2]byte
	fill(b[:])
	return (int(b[0])<<8 | int(b[1])) % max
}

// TestLibolmEncryptDecrypt checks, for seeded recipient and ephemeral keys,
// that newt's and libolm's ciphertexts, MACs and ephemeral keys are
// byte-identical, that each decrypts the other's messages, and that
// newt's randomized Encrypt is readable by libolm.
func TestLibolmEncryptDecrypt(t *testing.T) {
	fill := seededFill("newt/pk/encrypt")
	rounds := differentialRounds()
	var identical, newtToOlm, olmToNewt int
	for i := range rounds {
		var recip, eph x25519.PrivateKey
		fill(recip[:])
		fill(eph[:])
		pt := make([]byte, randLen(fill, 300))
		fill(pt)

		d := newDecryption(&recip)
		ld, err := libolm.PkDecryptionFromPrivate(recip[:])
		if err != nil {
			t.Fatal(err)
		}
		if ld.PublicKey() != d.PublicKey().String() || !bytes.Equal(ld.PrivateKey(), d.PrivateKey()) {
			t.Fatalf("round %d: keys differ", i)
		}
		le, err := libolm.NewPkEncryption(d.PublicKey().String())
		if err != nil {
			t.Fatal(err)
		}

		m, err := NewEncryption(d.PublicKey()).encrypt(pt, &eph)
		if err != nil {
			t.Fatal(err)
		}
		ct, mac, ephB64, err := le.Encrypt(pt, bytes.Clone(eph[:]))
		if err != nil {
			t.Fatal(err)
		}
		if m.CiphertextBase64() != ct || m.MACBase64() != mac || m.EphemeralKeyBase64() != ephB64 {
			t.Fatalf("round %d: newt (%s, %s, %s) != libolm (%s, %s, %s)", i,
				m.CiphertextBase64(), m.MACBase64(), m.EphemeralKeyBase64(), ct, mac, ephB64)
		}
		identical++

		// libolm -> newt.
		parsed, err := ParseMessage(ct, mac, ephB64)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := d.Decrypt(parsed); err != nil || !bytes.Equal(got, pt) {
			t.Fatalf("round %d: newt cannot decrypt libolm's message: %v", i, err)
		}
		olmToNewt++

		// newt (fresh randomness) -> libolm.
		r, err := NewEncryption(d.PublicKey()).Encrypt(pt)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ld.Decrypt(r.EphemeralKeyBase64(), r.MACBase64(), r.CiphertextBase64())
		if err != nil || !bytes.Equal(got, pt) {
			t.Fatalf("round %d: libolm cannot decrypt newt's message: %v", i, err)
		}
		newtToOlm++
		le.Free()
		ld.Free()
	}
	t.Logf("%d key pairs: %d byte-identical encryptions, %d newt->libolm and %d libolm->newt decryptions",
		rounds, identical, newtToOlm, olmToNewt)
}

// TestLibolmDecryptErrors checks that libolm and newt agree on which
// tampered messages fail (newt additionally rejects bad padding, which
// libolm cannot detect for most byte values).
func TestLibolmDecryptErrors(t *testing.T) {
	fill := seededFill("newt/pk/errors")
	var recip, eph x25519.PrivateKey
	fill(recip[:])
	fill(eph[:])
	d := newDecryption(&recip)
	ld, err := libolm.PkDecryptionFromPrivate(recip[:])
	if err != nil {
		t.Fatal(err)
	}
	defer ld.Free()
	m, _ := NewEncryption(d.PublicKey()).encrypt([]byte("0123456789abcdef0123"), &eph)
	for i := range len(m.MAC) * 8 {
		bad := bytes.Clone(m.MAC)
		bad[i/8] ^= 1 << (i % 8)
		mm := &Message{Ciphertext: m.Ciphertext, MAC: bad, EphemeralKey: m.EphemeralKey}
		_, errN := d.Decrypt(mm)
		_, errO := ld.Decrypt(mm.EphemeralKeyBase64(), mm.MACBase64(), mm.CiphertextBase64())
		var le *libolm.Error
		if !errors.Is(errN, ErrBadMAC) || !errors.As(errO, &le) || le.Name != "BAD_MESSAGE_MAC" {
			t.Fatalf("MAC bit %d: newt %v, libolm %v", i, errN, errO)
		}
	}
	// Low-order keys: libolm encrypts to a zero recipient key and decrypts
	// a message whose ephemeral key is zero (both use the all-zero
	// secret); newt refuses both with ErrNonContributory.
	zero := "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	le, err := libolm.NewPkEncryption(zero)
	if err != nil {
		t.Fatal(err)
	}
	defer le.Free()
	ct, mac, _, err := le.Encrypt([]byte("to nobody"), bytes.Clone(eph[:]))
	if err != nil {
		t.Fatalf("libolm refused a zero recipient: %v", err)
	}
	if got, err := ld.Decrypt(zero, mac, ct); err != nil || string(got) != "to nobody" {
		t.Fatalf("libolm with a zero ephemeral key: %q, %v", got, err)
	}
	zm, err := ParseMessage(ct, mac, zero)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Decrypt(zm); !errors.Is(err, ErrNonContributory) {
		t.Errorf("newt with a zero ephemeral key: %v", err)
	}
	if _, err := NewEncryption(zm.EphemeralKey).Encrypt([]byte("x")); !errors.Is(err, ErrNonContributory) {
		t.Errorf("newt with a zero recipient: %v", err)
	}
}

// TestLibolmPickle checks that pickles are byte-identical and readable both
// ways, with pickle keys of many lengths.
func TestLibolmPickle(t *testing.T) {
	fill := seededFill("newt/pk/pickle")
	rounds := differentialRounds()
	var equal int
	for i := range rounds {
		var priv x25519.PrivateKey
		fill(priv[:])
		key := make([]byte, randLen(fill, 70))
		fill(key)

		d := newDecryption(&priv)
		ld, err := libolm.PkDecryptionFromPrivate(priv[:])
		if err != nil {
			t.Fatal(err)
		}
		np, op := d.Pickle(key), ld.Pickle(key)
		if string(np) != op {
			t.Fatalf("round %d: pickles differ:\n newt   %s\n libolm %s", i, np, op)
		}
		ld2, err := libolm.PkDecryptionFromPickle(key, string(np))
		if err != nil || ld2.PublicKey() != d.PublicKey().String() || !bytes.Equal(ld2.PrivateKey(), priv[:]) {
			t.Fatalf("round %d: libolm cannot read newt's pickle: %v", i, err)
		}
		d2, err := DecryptionFromPickle(op, key)
		if err != nil || d2.PublicKey() != d.PublicKey() || !bytes.Equal(d2.PrivateKey(), priv[:]) {
			t.Fatalf("round %d: newt cannot read libolm's pickle: %v", i, err)
		}
		if _, err := DecryptionFromPickle(op, append(key, 1)); !errors.Is(err, ErrBadPickleKey) {
			t.Fatalf("round %d: wrong key: %v", i, err)
		}
		equal++
		ld.Free()
		ld2.Free()
	}
	t.Logf("%d keys: %d pickles byte-identical and read both ways", rounds, equal)
}

// TestLibolmSigning checks that public keys and signatures from the same
// seed are byte-identical, and that each side verifies the other's.
func TestLibolmSigning(t *testing.T) {
	fill := seededFill("newt/pk/signing")
	rounds := differentialRounds()
	var sigs int
	for i := range rounds {
		var seed [SeedSize]byte
		fill(seed[:])
		s := newSigning(&seed)
		ls, err := libolm.PkSigningFromSeed(seed[:])
		if err != nil {
			t.Fatal(err)
		}
		if ls.PublicKey() != s.PublicKey().String() {
			t.Fatalf("round %d: public keys differ", i)
		}
		for range 2 {
			msg := make([]byte, randLen(fill, 200))
			fill(msg)
			sig := s.Sign(msg)
			if got := ls.Sign(msg); got != sig.String() {
				t.Fatalf("round %d: signature %s, libolm %s", i, sig, got)
			}
			if err := libolm.Ed25519Verify(s.PublicKey().String(), msg, sig.String()); err != nil {
				t.Fatalf("round %d: libolm rejects newt's signature: %v", i, err)
			}
			if err := VerifySignature(s.PublicKey(), msg, sig); err != nil {
				t.Fatalf("round %d: %v", i, err)
			}
			sigs++
		}
		ls.Free()
	}
	t.Logf("%d seeds: %d signatures byte-identical to libolm", rounds, sigs)
}
