// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package ratchet

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"testing"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/internal/x25519"
)

// Known answers of libolm spec §11.5 (generated with libolm 3.2.13 and
// cross-checked with an independent implementation).
const (
	kat3DH = "223eaa14a6925106c0467db49daf16acdcb6a433682a2dd2b30de7168352e3417d2b27728737a71d60a72c053181712f882e3acd11938cd5062cfb6ace23ba40c6dea8dd115ef27b7e0953539b2b19e59b7abf3ffd57985ec76de86ec31d1b42"
	katR0  = "e92282941cb09853867f137e1bd65c341d27e1df8ad569a7272de65cc649c4b8"
	katC00 = "546cc86fb0f3d2410e0ea90343f915be34eab314f652db5e5fe0cdc36c298a18"
	katM00 = "0bd210a219b2edd89709e9af4380c305d85745d8b6e5dc2964d85e954438a39d"
	katR1  = "808bd4dd0812e0b67ec227a8a13dd2095547fc72bf8dfe69a16485fbf930ad5e"
	katC10 = "d05dce7b47f31ce152d37bca98e74fd45f233416a5dbdeabc8b4f1da1962e9b0"
	katR2  = "6303f38b08f8c7089780ad4aeaf0c8298391b7d1c137a10e40cdcb1a4b9a4740"

	// m1 is Alice's pre-key message "Hello, Bob"; its inner message
	// starts at byte 105 (1 + 3·34 + 1 + 1).
	katM1  = "AwogST6C/HRGSlkmiBdiPSBTxeuOLMSpiLT+4XnsawENUx0SIGBacl0qSt/usaKeF+3WIcG3WT7ozbxErGxKtuL4BdI8GiA1gHLWNliA0a7qMprfkSE4OFHtIaKOO3XpZdDSzRZiVCI/Awog3CzKMejkO72R3/fkdcyjNH60eBB9W9dlq6SuSjDDXUQQACIQ+gQa4iZK58CFi3Q6S95kWEENNfaXV94d"
	katM1b = "AwogST6C/HRGSlkmiBdiPSBTxeuOLMSpiLT+4XnsawENUx0SIGBacl0qSt/usaKeF+3WIcG3WT7ozbxErGxKtuL4BdI8GiA1gHLWNliA0a7qMprfkSE4OFHtIaKOO3XpZdDSzRZiVCI/Awog3CzKMejkO72R3/fkdcyjNH60eBB9W9dlq6SuSjDDXUQQASIQ1U1uhtWJf/nb2djm4Eh/jsffPMAURaNO"
	katM2  = "Awogc2hF1U6H3gnWuxFKpwQsUKSgFb2ZAdGgAm9ZVlM6FRkQACIQjVocXnT//r56v0Sy+aG4xG8Y0cFP56MV"
	katM3  = "Awoge06Qm75//kTEZaIgA31gjuNYl9Me+XLwf3SJLLD3PxMQACIQ/7Mssz04sf/NVfNy6OSWsLmXs04NQ8uZ"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func unb64(t testing.TB, s string) []byte {
	t.Helper()
	b, err := base64.RawStdEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// seq returns n bytes start, start+1, ... (mod 256).
func seq(start byte, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = start + byte(i)
	}
	return b
}

func pubOf(priv []byte) newt.Curve25519PublicKey {
	var k x25519.PrivateKey
	copy(k[:], priv)
	return newt.Curve25519PublicKeyFromArray(x25519.PublicKey(&k))
}

func TestDeriveRootKAT(t *testing.T) {
	var root [32]byte
	var c chainKey
	deriveRoot(&root, &c, unhex(t, kat3DH))
	if got := hex.EncodeToString(root[:]); got != katR0 {
		t.Errorf("R0 = %s, want %s", got, katR0)
	}
	if got := hex.EncodeToString(c.key[:]); got != katC00 {
		t.Errorf("C0,0 = %s, want %s", got, katC00)
	}
	var m [32]byte
	c.messageKey(&m)
	if got := hex.EncodeToString(m[:]); got != katM00 {
		t.Errorf("M0,0 = %s, want %s", got, katM00)
	}
}

// TestConversationKAT replays the ratchet part of the §11.5 script: Alice's
// first ratchet key is c0..df, Bob's reply uses the random bytes e0..ff,
// Alice's third message 11×32.
func TestConversationKAT(t *testing.T) {
	secret := unhex(t, kat3DH)
	alice, err := NewOutbound(secret, seq(0xc0, 32))
	if err != nil {
		t.Fatal(err)
	}
	bob := NewInbound(secret, pubOf(seq(0xc0, 32)))

	m1 := unb64(t, katM1)[105:]
	m1b := unb64(t, katM1b)[105:]
	got, err := alice.Encrypt([]byte("Hello, Bob"))
	if err != nil || !bytes.Equal(got, m1) {
		t.Fatalf("m1 = %x, %v; want %x", got, err, m1)
	}
	if got, _ := alice.Encrypt([]byte("Hello again")); !bytes.Equal(got, m1b) {
		t.Fatalf("m1b = %x, want %x", got, m1b)
	}
	if pt, err := bob.Decrypt(m1); err != nil || string(pt) != "Hello, Bob" {
		t.Fatalf("Bob decrypt m1 = %q, %v", pt, err)
	}
	if pt, err := bob.Decrypt(m1b); err != nil || string(pt) != "Hello again" {
		t.Fatalf("Bob decrypt m1b = %q, %v", pt, err)
	}
	if _, err := bob.Decrypt(m1); !errors.Is(err, ErrMissingMessageKey) {
		t.Fatalf("replay of m1: %v, want ErrMissingMessageKey", err)
	}

	if !bob.NeedsRandom() {
		t.Fatal("Bob's first reply should need randomness")
	}
	m2, err := bob.AppendEncrypt(nil, []byte("Hello, Alice"), seq(0xe0, 32))
	if err != nil || !bytes.Equal(m2, unb64(t, katM2)) {
		t.Fatalf("m2 = %x, %v", m2, err)
	}
	if got := hex.EncodeToString(bob.rootKey[:]); got != katR1 {
		t.Errorf("R1 = %s, want %s", got, katR1)
	}
	if bob.sender.chain.index != 1 {
		t.Errorf("Bob's sender index = %d, want 1", bob.sender.chain.index)
	}
	if pt, err := alice.Decrypt(m2); err != nil || string(pt) != "Hello, Alice" {
		t.Fatalf("Alice decrypt m2 = %q, %v", pt, err)
	}
	if alice.hasSender {
		t.Error("Alice kept her sender chain after a new ratchet key")
	}
	if got := hex.EncodeToString(alice.rootKey[:]); got != katR1 {
		t.Errorf("Alice's R1 = %s, want %s", got, katR1)
	}
	// Alice's receiver chain was C1,0 advanced once.
	var want chainKey
	copy(want.key[:], unhex(t, katC10))
	want.advance()
	if alice.receivers[0].chain != want {
		t.Errorf("Alice's receiver chain = %x/%d, want HMAC(C1,0, 2)", alice.receivers[0].chain.key, alice.receivers[0].chain.index)
	}

	m3, err := alice.AppendEncrypt(nil, []byte("Third"), bytes.Repeat([]byte{0x11}, 32))
	if err != nil || !bytes.Equal(m3, unb64(t, katM3)) {
		t.Fatalf("m3 = %x, %v", m3, err)
	}
	if got := hex.EncodeToString(alice.rootKey[:]); got != katR2 {
		t.Errorf("R2 = %s, want %s", got, katR2)
	}
	if pt, err := bob.Decrypt(m3); err != nil || string(pt) != "Third" {
		t.Fatalf("Bob decrypt m3 = %q, %v", pt, err)
	}
	if bob.rootKey != alice.rootKey {
		t.Error("root keys differ after m3")
	}
	if got, want := bob.Describe(), "sender chain index: 0 receiver chain indices: 1 2 skipped message keys:"; got != want {
		t.Errorf("Bob Describe = %q, want %q", got, want)
	}
	if got, want := alice.Describe(), "sender chain index: 1 receiver chain indices: 1 skipped message keys:"; got != want {
		t.Errorf("Alice Describe = %q, want %q", got, want)
	}
}
