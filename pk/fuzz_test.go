// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package pk_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"testing"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/pk"
	"github.com/newt-e2ee/newt/testvectors"
)

// Known answers of libolm's tests/test_pk.cpp, as fuzz seeds.
const (
	seedPickleKey = "secret_key"
)

// FuzzDecrypt feeds arbitrary base64 fields to ParseMessage and Decrypt:
// nothing panics, every error is typed, and a failed call returns nil.
func FuzzDecrypt(f *testing.F) {
	ans := testvectors.LoadAnswers(f)
	seedPrivHex := ans.Get("rfc7748/alice_private_hex")
	seedCiphertext := ans.Get("pk/ciphertext_base64")
	seedMAC := ans.Get("pk/mac_base64")
	seedEphemeral := ans.Get("rfc7748/bob_public_base64")
	priv, _ := hex.DecodeString(seedPrivHex)
	d, err := pk.NewDecryption(priv)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seedCiphertext, seedMAC, seedEphemeral)
	f.Add("", seedMAC, seedEphemeral)
	f.Add(seedCiphertext+"A", seedMAC, seedEphemeral)
	f.Add(seedCiphertext, "zpzU6BkZcNJ", seedEphemeral)
	f.Add(seedCiphertext, seedMAC, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
	f.Fuzz(func(t *testing.T, ct, mac, eph string) {
		m, err := pk.ParseMessage(ct, mac, eph)
		if err != nil {
			if m != nil || !errors.Is(err, pk.ErrInvalidBase64) {
				t.Fatalf("ParseMessage: %v, %v", m, err)
			}
			return
		}
		if m.CiphertextBase64() != ct || m.MACBase64() != mac || m.EphemeralKeyBase64() != eph {
			t.Fatal("parse then encode is not the identity")
		}
		pt, err := d.Decrypt(m)
		if err != nil {
			if pt != nil {
				t.Fatal("plaintext returned with an error")
			}
			if !errors.Is(err, pk.ErrBadMAC) && !errors.Is(err, pk.ErrBadCiphertext) && !errors.Is(err, pk.ErrNonContributory) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if len(pt) >= len(m.Ciphertext) || len(m.Ciphertext)-len(pt) > 16 {
			t.Fatalf("%d-byte plaintext from %d-byte ciphertext", len(pt), len(m.Ciphertext))
		}
	})
}

// FuzzPickle feeds arbitrary pickles to DecryptionFromPickle: nothing
// panics, errors are typed, and an accepted pickle re-pickles to itself.
func FuzzPickle(f *testing.F) {
	ans := testvectors.LoadAnswers(f)
	seedPickle := ans.Get("pk/pickle")
	f.Add([]byte(seedPickle), []byte(seedPickleKey))
	f.Add([]byte(seedPickle), []byte("wrong"))
	f.Add([]byte(seedPickle[:40]), []byte(seedPickleKey))
	f.Add([]byte(""), []byte(""))
	f.Add([]byte(pk.GenerateDecryption().Pickle(nil)), []byte(nil))
	f.Fuzz(func(t *testing.T, p, key []byte) {
		d, err := pk.DecryptionFromPickle(string(p), key)
		if err != nil {
			if d != nil {
				t.Fatal("Decryption returned with an error")
			}
			if !errors.Is(err, pk.ErrBadPickleKey) && !errors.Is(err, pk.ErrCorruptedPickle) && !errors.Is(err, pk.ErrUnknownPickleVersion) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if again := d.Pickle(key); !bytes.Equal([]byte(again), p) {
			t.Fatalf("re-pickle %q differs from %q", again, p)
		}
	})
}

// FuzzCanonicalJSON checks that CanonicalJSON never panics, reports only
// *JSONError, and that its output is a fixed point.
func FuzzCanonicalJSON(f *testing.F) {
	for _, s := range []string{
		`{}`, `{"one":1,"two":"Two"}`, "{\n \"a\": -0,\n \"b\": 1e10\n}", `{"本":2,"日":1}`,
		`{"b":[1,{"d":null,"c":"\u001f"}],"a":-0.0e3,"signatures":{},"unsigned":1}`,
		`"\ud83d\ude00\u2028<>&\/"`, `[1e10,-9007199254740991,1.5]`, `{"a":1,"a":2}`, "\"\xff\"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := newt.CanonicalJSON(data)
		if err != nil {
			var je *pk.JSONError
			if out != nil || !errors.As(err, &je) {
				t.Fatalf("CanonicalJSON: %q, %v", out, err)
			}
			return
		}
		again, err := newt.CanonicalJSON(out)
		if err != nil || !bytes.Equal(again, out) {
			t.Fatalf("not a fixed point: %q -> %q (%v)", out, again, err)
		}
	})
}
