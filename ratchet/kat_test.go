// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package ratchet

import (
	"bytes"
	"encoding/hex"
	"errors"
	"testing"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/internal/x25519"
	"github.com/newt-e2ee/newt/testvectors"
)

func pubOf(priv []byte) newt.Curve25519PublicKey {
	var k x25519.PrivateKey
	copy(k[:], priv)
	return newt.Curve25519PublicKeyFromArray(x25519.PublicKey(&k))
}

func TestDeriveRootKAT(t *testing.T) {
	ans := testvectors.LoadAnswers(t)
	kat3DH := ans.Get("ratchet/script/shared_secret_hex")
	katR0 := ans.Get("ratchet/script/root_key_0_hex")
	katC00 := ans.Get("ratchet/script/chain_key_0_0_hex")
	katM00 := ans.Get("ratchet/script/message_key_0_0_hex")
	var root [32]byte
	var c chainKey
	deriveRoot(&root, &c, newttest.Hex(t, kat3DH))
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

// TestConversationKAT replays the ratchet part of the Alice/Bob script
// (testvectors/fixed.json, ratchet/script): Alice's first ratchet key is
// c0..df, Bob's reply uses the random bytes e0..ff, Alice's third message
// 11×32.
func TestConversationKAT(t *testing.T) {
	ans := testvectors.LoadAnswers(t)
	kat3DH := ans.Get("ratchet/script/shared_secret_hex")
	katR1 := ans.Get("ratchet/script/root_key_1_hex")
	katC10 := ans.Get("ratchet/script/chain_key_1_0_hex")
	katR2 := ans.Get("ratchet/script/root_key_2_hex")
	katM1 := ans.Get("olm/script/m1")
	katM1b := ans.Get("olm/script/m1b")
	katM2 := ans.Get("olm/script/m2")
	katM3 := ans.Get("olm/script/m3")
	secret := newttest.Hex(t, kat3DH)
	alice, err := NewOutbound(secret, newttest.Seq(0xc0, 32))
	if err != nil {
		t.Fatal(err)
	}
	bob := NewInbound(secret, pubOf(newttest.Seq(0xc0, 32)))

	m1 := newttest.Base64(t, katM1)[105:]
	m1b := newttest.Base64(t, katM1b)[105:]
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
	m2, err := bob.AppendEncrypt(nil, []byte("Hello, Alice"), newttest.Seq(0xe0, 32))
	if err != nil || !bytes.Equal(m2, newttest.Base64(t, katM2)) {
		t.Fatalf("m2 = %x, %v", m2, err)
	}
	if got := hex.EncodeToString(bob.st().rootKey[:]); got != katR1 {
		t.Errorf("R1 = %s, want %s", got, katR1)
	}
	if bob.st().sender.chain.index != 1 {
		t.Errorf("Bob's sender index = %d, want 1", bob.st().sender.chain.index)
	}
	if pt, err := alice.Decrypt(m2); err != nil || string(pt) != "Hello, Alice" {
		t.Fatalf("Alice decrypt m2 = %q, %v", pt, err)
	}
	if alice.st().hasSender {
		t.Error("Alice kept her sender chain after a new ratchet key")
	}
	if got := hex.EncodeToString(alice.st().rootKey[:]); got != katR1 {
		t.Errorf("Alice's R1 = %s, want %s", got, katR1)
	}
	// Alice's receiver chain was C1,0 advanced once.
	var want chainKey
	copy(want.key[:], newttest.Hex(t, katC10))
	want.advance()
	if alice.st().receivers[0].chain != want {
		t.Errorf("Alice's receiver chain = %x/%d, want HMAC(C1,0, 2)", alice.st().receivers[0].chain.key, alice.st().receivers[0].chain.index)
	}

	m3, err := alice.AppendEncrypt(nil, []byte("Third"), bytes.Repeat([]byte{0x11}, 32))
	if err != nil || !bytes.Equal(m3, newttest.Base64(t, katM3)) {
		t.Fatalf("m3 = %x, %v", m3, err)
	}
	if got := hex.EncodeToString(alice.st().rootKey[:]); got != katR2 {
		t.Errorf("R2 = %s, want %s", got, katR2)
	}
	if pt, err := bob.Decrypt(m3); err != nil || string(pt) != "Third" {
		t.Fatalf("Bob decrypt m3 = %q, %v", pt, err)
	}
	if bob.st().rootKey != alice.st().rootKey {
		t.Error("root keys differ after m3")
	}
	if got, want := bob.Describe(), "sender chain index: 0 receiver chain indices: 1 2 skipped message keys:"; got != want {
		t.Errorf("Bob Describe = %q, want %q", got, want)
	}
	if got, want := alice.Describe(), "sender chain index: 1 receiver chain indices: 1 skipped message keys:"; got != want {
		t.Errorf("Alice Describe = %q, want %q", got, want)
	}
}
