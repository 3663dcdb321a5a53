// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

//go:build libolm

package aessha2_test

import (
	"bytes"
	"encoding/base64"
	"math/rand/v2"
	"testing"

	"github.com/newt-e2ee/newt/internal/aessha2"
	"github.com/newt-e2ee/newt/internal/libolm"
)

// Differential tests against the installed libolm (build tag libolm).

func TestLibolmHKDF(t *testing.T) {
	r := rand.NewChaCha8([32]byte{10})
	rr := rand.New(r)
	for i := range 300 {
		ikm := randBytes(r, rr.IntN(200))
		var salt []byte
		if i%3 != 0 {
			salt = randBytes(r, rr.IntN(100))
		}
		info := randBytes(r, rr.IntN(100))
		n := rr.IntN(200)
		got := make([]byte, n)
		aessha2.HKDF(got, ikm, salt, string(info))
		if want := libolm.HKDF(ikm, salt, info, n); !bytes.Equal(got, want) {
			t.Fatalf("case %d: HKDF differs from libolm", i)
		}
	}
	// Past RFC 5869's limit libolm's uint8 counter wraps; so does ours.
	n := aessha2.MaxHKDFSize + 100
	got := make([]byte, n)
	aessha2.HKDF(got, []byte("ikm"), nil, "SAS")
	if want := libolm.HKDF([]byte("ikm"), nil, []byte("SAS"), n); !bytes.Equal(got, want) {
		t.Fatal("long HKDF differs from libolm")
	}
}

func TestLibolmHMAC(t *testing.T) {
	r := rand.NewChaCha8([32]byte{11})
	rr := rand.New(r)
	for i := range 300 {
		key, msg := randBytes(r, rr.IntN(300)), randBytes(r, rr.IntN(1500))
		var got [32]byte
		aessha2.HMAC(&got, key, msg)
		if want := libolm.HMACSHA256(key, msg); got != want {
			t.Fatalf("case %d (key %d bytes): HMAC differs from libolm", i, len(key))
		}
	}
}

func TestLibolmAESCBC(t *testing.T) {
	r := rand.NewChaCha8([32]byte{12})
	for n := 0; n <= 100; n++ {
		var k aessha2.Keys
		r.Read(k.AESKey[:])
		r.Read(k.IV[:])
		pt := randBytes(r, n)
		ct := k.AppendEncrypt(nil, pt)
		if want := libolm.AESEncryptCBC(&k.AESKey, &k.IV, pt); !bytes.Equal(ct, want) {
			t.Fatalf("n=%d: ciphertext differs from libolm", n)
		}
		if back, err := libolm.AESDecryptCBC(&k.AESKey, &k.IV, ct); err != nil || !bytes.Equal(back, pt) {
			t.Fatalf("n=%d: libolm cannot decrypt ours", n)
		}
	}
}

func TestLibolmCipher(t *testing.T) {
	r := rand.NewChaCha8([32]byte{13})
	rr := rand.New(r)
	for _, info := range []string{aessha2.InfoOlmKeys, aessha2.InfoMegolmKeys, aessha2.InfoPickle} {
		for range 30 {
			ikm := randBytes(r, 32+rr.IntN(100))
			prefix := randBytes(r, rr.IntN(40))
			pt := randBytes(r, rr.IntN(300))
			wantCT, wantMAC := libolm.CipherEncrypt([]byte(info), ikm, prefix, pt)

			var k aessha2.Keys
			aessha2.DeriveKeys(&k, ikm, info)
			msg := k.AppendEncrypt(bytes.Clone(prefix), pt)
			mac := k.AppendMAC(nil, msg, aessha2.TruncatedMACSize)
			if !bytes.Equal(msg[len(prefix):], wantCT) || !bytes.Equal(mac, wantMAC[:]) {
				t.Fatalf("info %q: differs from _olm_cipher_aes_sha_256", info)
			}
			if !k.VerifyMAC(msg, wantMAC[:], aessha2.TruncatedMACSize) {
				t.Fatal("libolm MAC rejected")
			}
			if got, err := libolm.CipherDecrypt([]byte(info), ikm, prefix, wantCT, [8]byte(mac)); err != nil || !bytes.Equal(got, pt) {
				t.Fatal("libolm rejects ours")
			}
		}
	}
	// PK: the MAC covers nothing.
	for range 20 {
		ikm, pt := randBytes(r, 32), randBytes(r, rr.IntN(100))
		wantCT, wantMAC := libolm.CipherEncryptDetached(nil, ikm, pt)
		ct, mac := aessha2.Seal(ikm, aessha2.InfoPK, pt, false)
		if !bytes.Equal(ct, wantCT) || mac != wantMAC {
			t.Fatal("pk Seal differs from libolm")
		}
	}
	// Pickles: b64(ct ‖ HMAC(ct)[:8]).
	for range 20 {
		key, raw := randBytes(r, rr.IntN(40)), randBytes(r, rr.IntN(400))
		ct, mac := aessha2.Seal(key, aessha2.InfoPickle, raw, true)
		got := base64.RawStdEncoding.EncodeToString(append(ct, mac[:]...))
		if want := libolm.PickleEncrypt(key, raw); got != want {
			t.Fatal("pickle envelope differs from libolm")
		}
	}
}

// TestLibolmLenientPadding documents the deliberate difference: libolm
// accepts padding whose inner bytes are wrong, or whose last byte is 0, as
// long as the MAC (which only the key holder can make) is valid. We reject.
func TestLibolmLenientPadding(t *testing.T) {
	var k aessha2.Keys
	aessha2.DeriveKeys(&k, []byte("lenient"), aessha2.InfoOlmKeys)
	last := bytes.Repeat([]byte{4}, 16)
	last[13] = 9 // inner padding byte wrong
	ct := stdEncryptRaw(&k, last)
	if _, err := libolm.AESDecryptCBC(&k.AESKey, &k.IV, ct); err != nil {
		t.Fatalf("libolm rejected it too: %v", err)
	}
	if _, err := k.Decrypt(nil, ct); err == nil {
		t.Fatal("accepted bad padding")
	}
	zero := stdEncryptRaw(&k, make([]byte, 16)) // last byte 0
	if _, err := libolm.AESDecryptCBC(&k.AESKey, &k.IV, zero); err != nil {
		t.Fatalf("libolm rejected pad 0: %v", err)
	}
	if _, err := k.Decrypt(nil, zero); err == nil {
		t.Fatal("accepted pad 0")
	}
}
