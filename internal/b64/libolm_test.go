// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

//go:build libolm

package b64_test

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/newt-e2ee/newt/internal/b64"
	"github.com/newt-e2ee/newt/internal/libolm"
)

// Differential tests against libolm's _olm_encode_base64/_olm_decode_base64
// (build tag libolm), with deterministic random inputs.

// TestLibolmEncode: encoding equals libolm's on every 0-, 1- and 2-byte
// input and on 2,000 random inputs of up to 400 bytes; libolm decodes the
// result back, as does DecodeString.
func TestLibolmEncode(t *testing.T) {
	check := func(raw []byte) {
		t.Helper()
		want := libolm.Base64Encode(raw)
		if got := b64.EncodeToString(raw); got != want {
			t.Fatalf("EncodeToString(%x) = %q, libolm %q", raw, got, want)
		}
		got, err := b64.DecodeString(want)
		if err != nil || !bytes.Equal(got, raw) {
			t.Fatalf("DecodeString(%q) = %x, %v; want %x", want, got, err, raw)
		}
		back, err := libolm.Base64Decode(want)
		if err != nil || !bytes.Equal(back, got) {
			t.Fatalf("libolm decodes %q to %x, we to %x", want, back, got)
		}
	}
	check(nil)
	for i := range 256 {
		check([]byte{byte(i)})
		for j := range 256 {
			check([]byte{byte(i), byte(j)})
		}
	}
	r := rand.New(rand.NewChaCha8([32]byte{'b', '6', '4'}))
	for range 2000 {
		raw := make([]byte, r.IntN(401))
		for i := range raw {
			raw[i] = byte(r.Uint32())
		}
		check(raw)
	}
}

// TestLibolmDecode: on 20,000 random strings (mostly alphabet characters,
// some '=', whitespace, URL-safe, high and control bytes) the strict decoder
// accepts exactly the canonical strings, those that libolm decodes without
// error and re-encodes to the same text, and then returns libolm's bytes.
// Everything else is rejected with a nil result.
func TestLibolmDecode(t *testing.T) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	const odd = "=-_ \r\n\t\x00\x7f\x80\xff*."
	r := rand.New(rand.NewChaCha8([32]byte{'d', 'e', 'c'}))
	accepted := 0
	for i := range 20000 {
		s := make([]byte, r.IntN(40))
		for j := range s {
			if i%2 == 0 || r.IntN(30) != 0 {
				s[j] = alphabet[r.IntN(len(alphabet))]
			} else {
				s[j] = odd[r.IntN(len(odd))]
			}
		}
		got, err := b64.DecodeString(string(s))
		want, lerr := libolm.Base64Decode(string(s))
		canonical := lerr == nil && libolm.Base64Encode(want) == string(s)
		if canonical != (err == nil) {
			t.Fatalf("%q: strict decode error %v, libolm canonical %v", s, err, canonical)
		}
		if err != nil {
			if got != nil {
				t.Fatalf("%q: error with non-nil result %x", s, got)
			}
			continue
		}
		accepted++
		if !bytes.Equal(got, want) {
			t.Fatalf("%q: decoded %x, libolm %x", s, got, want)
		}
	}
	if accepted < 1000 {
		t.Fatalf("only %d canonical inputs exercised", accepted)
	}
}
