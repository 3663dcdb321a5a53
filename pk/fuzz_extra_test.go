// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package pk_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"testing"

	"github.com/newt-e2ee/newt/internal/aessha2"
	"github.com/newt-e2ee/newt/internal/x25519"
	"github.com/newt-e2ee/newt/pk"
	"github.com/newt-e2ee/newt/testvectors"
)

// FuzzDecryptForged is the semantic harness for Decryption.Decrypt: the
// test holds the ephemeral private key, so it gives every message the valid
// MAC (unless mode bit 1 breaks it) around a fuzzed ciphertext, raw or
// honestly encrypted (mode bit 0). Properties: no panic; a valid MAC with a
// bad ciphertext is ErrBadCiphertext, a bad MAC is ErrBadMAC whatever the
// ciphertext (the MAC is checked first); an honest message decrypts to its
// plaintext; an accepted raw ciphertext re-encrypts to itself. Seeds: the
// pk ciphertexts of primitives.json (aes_sha2 with the empty info).
func FuzzDecryptForged(f *testing.F) {
	ans := testvectors.LoadAnswers(f)
	seedPrivHex := ans.Get("rfc7748/alice_private_hex")
	for _, c := range testvectors.Load[testvectors.Primitives](f, "primitives.json").AESSHA2 {
		if c.Info == aessha2.InfoPK {
			f.Add([]byte(c.Ciphertext), uint8(0))
			f.Add([]byte(c.Plaintext), uint8(1))
		}
	}
	f.Add([]byte{}, uint8(0))
	f.Add(make([]byte, 15), uint8(2))
	priv, _ := hex.DecodeString(seedPrivHex)
	d, err := pk.NewDecryption(priv)
	if err != nil {
		f.Fatal(err)
	}
	eph := x25519.PrivateKey([32]byte{1, 2, 3})
	forged, k := pkForge(f, d, &eph, nil)
	f.Fuzz(func(t *testing.T, data []byte, mode uint8) {
		honest, badMAC := mode&1 != 0, mode&2 != 0
		ct := data
		if honest {
			ct = k.AppendEncrypt(nil, data)
		}
		m := &pk.Message{Ciphertext: ct, MAC: bytes.Clone(forged.MAC), EphemeralKey: forged.EphemeralKey}
		if badMAC {
			m.MAC[0] ^= 1
		}
		pt, err := d.Decrypt(m)
		if err != nil {
			if pt != nil {
				t.Fatal("plaintext with an error")
			}
			want := pk.ErrBadCiphertext
			if badMAC {
				want = pk.ErrBadMAC
			}
			if !errors.Is(err, want) {
				t.Fatalf("Decrypt: %v, want %v", err, want)
			}
			if honest && !badMAC {
				t.Fatalf("honest message: %v", err)
			}
			return
		}
		if badMAC {
			t.Fatal("accepted a bad MAC")
		}
		if (honest && !bytes.Equal(pt, data)) || !bytes.Equal(k.AppendEncrypt(nil, pt), ct) {
			t.Fatal("plaintext does not match the ciphertext")
		}
	})
}
