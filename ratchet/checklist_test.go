// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package ratchet

// The rows of the security checklist (SECURITY.md) that package ratchet
// answers, each named after its row: "go test -run TestC01 ./..." runs a
// row in every package. Package olm's rows cover the same checks through
// sessions.

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"testing"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/internal/newttest"
)

// conversation returns Alice and Bob after Alice's first message and Bob's
// reply: Bob has a sender chain and Alice's first chain, and Alice's next
// messages start a new chain.
func conversation(t testing.TB) (alice, bob *Ratchet) {
	t.Helper()
	alice, bob = pair(t)
	mustDecrypt(t, bob, mustEncrypt(t, alice, "hello Bob"), "hello Bob")
	mustDecrypt(t, alice, mustEncrypt(t, bob, "hello Alice"), "hello Alice")
	return alice, bob
}

// TestC01_EmptyAndTruncatedInput: every prefix of a message fails to
// decrypt with ErrBadMessageFormat or ErrBadVersion and changes nothing;
// the whole message still decrypts.
func TestC01_EmptyAndTruncatedInput(t *testing.T) {
	alice, bob := conversation(t)
	normal := mustEncrypt(t, alice, "normal message")
	rb := bob.AppendLibolm(nil)
	for n := range len(normal) {
		if pt, err := bob.Decrypt(normal[:n]); pt != nil || !newttest.IsOneOf(err, ErrBadMessageFormat, ErrBadVersion) {
			t.Fatalf("Decrypt(%d bytes) = %v", n, err)
		}
	}
	if !bytes.Equal(rb, bob.AppendLibolm(nil)) {
		t.Fatal("truncated messages changed the ratchet")
	}
	mustDecrypt(t, bob, normal, "normal message")
}

// TestC04_HugeDeclaredLengths: UnmarshalLibolm refuses counts of sender
// chains, receiver chains and skipped keys above the caps or near 2^31 or
// 2^32 with ErrCorruptedPickle, allocating less than
// newttest.MaxForgedAlloc.
func TestC04_HugeDeclaredLengths(t *testing.T) {
	_, bob := conversation(t)
	b := bob.AppendLibolm(nil)
	const hdr = 32 // the root key
	for _, f := range newttest.RatchetCountForgeries(b, hdr, MaxReceiverChains, MaxSkippedMessageKeys) {
		var r Ratchet
		newttest.CheckBoundedFailure(t, "ratchet with "+f.Name, func() error { _, err := r.UnmarshalLibolm(f.Plain); return err }, ErrCorruptedPickle)
	}
}

// TestC05_WrongVersionByte: Decrypt checks the version byte of raw bytes
// before anything else: every byte but 3 is ErrBadVersion.
func TestC05_WrongVersionByte(t *testing.T) {
	alice, bob := conversation(t)
	normal := mustEncrypt(t, alice, "v")
	for v := range 256 {
		if byte(v) == Version {
			continue
		}
		b := bytes.Clone(normal)
		b[0] = byte(v)
		failUnchanged(t, bob, b, ErrBadVersion)
	}
}

// TestC16_LowOrderCurve25519Keys: a ratchet cannot encrypt towards a
// low-order ratchet key (RFC 7748 section 7, with the ignored top bit set
// or not): ErrNonContributory. DIVERGENCE: libolm keys the chain with the
// all-zero secret. Also: TestLowOrderRatchetKey, TestLowOrderDivergence
// (tag libolm).
func TestC16_LowOrderCurve25519Keys(t *testing.T) {
	for _, u := range newttest.LowOrderCurve25519(t) {
		for _, top := range []byte{0, 0x80} {
			u[31] |= top
			k := newt.Curve25519PublicKeyFromArray(u)
			r := NewInbound(newttest.RandBytes(96), k)
			if _, err := r.Encrypt([]byte("x")); !errors.Is(err, ErrNonContributory) {
				t.Errorf("Encrypt towards %v: %v", k, err)
			}
		}
	}
}

// ratchetSecrets parses AppendLibolm's layout (libolm's olm::Ratchet
// pickle, src/ratchet.cpp) into the root key, the chain keys (sender
// first, then receivers) and the skipped message keys, and returns the
// sender chains' ratchet private keys with the chain keys.
func ratchetSecrets(b []byte) (root []byte, chains, skipped [][]byte) {
	root = bytes.Clone(b[:32])
	off := 32
	ns := int(binary.BigEndian.Uint32(b[off:]))
	off += 4
	for range ns {
		chains = append(chains, bytes.Clone(b[off+64:off+96]), bytes.Clone(b[off+32:off+64]))
		off += 100
	}
	nr := int(binary.BigEndian.Uint32(b[off:]))
	off += 4
	for range nr {
		chains = append(chains, bytes.Clone(b[off+32:off+64]))
		off += 68
	}
	nk := int(binary.BigEndian.Uint32(b[off:]))
	off += 4
	for range nk {
		skipped = append(skipped, bytes.Clone(b[off+32:off+64]))
		off += 68
	}
	return root, chains, skipped
}

// TestC24_PlaintextContent: AppendEncrypt and AppendDecrypt give the same
// results when dst shares memory with their input (encrypting or decrypting
// in place, and the other overlaps of newttest.AliasedInputs). Also:
// TestAppendInPlace.
func TestC24_PlaintextContent(t *testing.T) {
	alice, bob := conversation(t)
	pt := []byte("a plaintext long enough to span three AES blocks, in place")
	newttest.CheckAppendAliased(t, "AppendEncrypt", pt,
		func(dst, in []byte) ([]byte, error) { return alice.AppendEncrypt(dst, in, nil) },
		func(b []byte) error {
			got, err := bob.Decrypt(b)
			if err == nil && !bytes.Equal(got, pt) {
				err = fmt.Errorf("decrypts to %q", got)
			}
			return err
		})
	msg := mustEncrypt(t, alice, string(pt))
	newttest.CheckAppendAliased(t, "AppendDecrypt", msg,
		func(dst, in []byte) ([]byte, error) { return bob.Clone().AppendDecrypt(dst, in) },
		func(b []byte) error {
			if !bytes.Equal(b, pt) {
				return fmt.Errorf("decrypts to %q", b)
			}
			return nil
		})
}

// TestC25_NoSecretsInFormatting formats a Ratchet with a sender chain, a
// receiver chain and skipped keys with every fmt verb, as a pointer and a
// value, directly, as an exported field of a struct and in unexported fields,
// slices, maps and interfaces of a struct (where fmt cannot call its
// methods), and requires that none of its keys appears; the error of a failed
// decryption names none. MessageGapError, the package's other exported type,
// holds none. Also: TestStringHasNoSecrets.
func TestC25_NoSecretsInFormatting(t *testing.T) {
	alice, bob := conversation(t)
	m1 := mustEncrypt(t, alice, "1")
	mustDecrypt(t, bob, mustEncrypt(t, alice, "2"), "2") // skips m1's key
	mustDecrypt(t, alice, mustEncrypt(t, bob, "3"), "3") // Bob has a sender chain
	root, chains, skipped := ratchetSecrets(bob.AppendLibolm(nil))
	secrets := append(append([][]byte{root}, chains...), skipped...)
	if len(skipped) == 0 || bob.NeedsRandom() {
		t.Fatal("fixture: Bob should have a sender chain and a skipped key")
	}
	newttest.CheckFormatting(t, "ratchet.Ratchet", bob, secrets...)
	newttest.CheckExportedTypes(t, ".", "Ratchet", "MessageGapError")
	_, err := bob.Decrypt(newttest.FlipBit(m1, 8*40))
	newttest.CheckErrorsHaveNoSecrets(t, []error{err}, secrets...)
}

// TestC25_SupersededKeysCleared is the zeroing half of C25 (best effort:
// Go can move or copy memory): once a chain key has advanced, a skipped
// message key has been used or a root key replaced, no copy of the old
// value is left anywhere in the ratchet's memory; Clear wipes everything.
func TestC25_SupersededKeysCleared(t *testing.T) {
	alice, r := conversation(t)
	var msgs [][]byte
	for i := range 4 {
		msgs = append(msgs, mustEncrypt(t, alice, fmt.Sprint(i)))
	}
	// Bob has a sender chain (he replied) and Alice's first chain; a
	// message on Alice's new chain replaces the root key and drops Bob's
	// sender chain.
	if r.NeedsRandom() {
		t.Fatal("fixture: Bob should have a sender chain")
	}
	root0, chains0, _ := ratchetSecrets(r.AppendLibolm(nil))
	mustDecrypt(t, r, msgs[3], "3")
	root1, _, skipped1 := ratchetSecrets(r.AppendLibolm(nil))
	if len(skipped1) != 3 || bytes.Equal(root0, root1) || !r.NeedsRandom() {
		t.Fatalf("%d skipped keys", len(skipped1))
	}
	if newttest.ContainsBytes(r, root0) {
		t.Error("the replaced root key is still in memory")
	}
	if newttest.ContainsBytes(r, chains0[0]) {
		t.Error("the dropped sender chain key is still in memory")
	}
	// Using a skipped key erases it; the chain keys it came from were
	// never stored (the receiving chain is now at index 4).
	for i := range 3 {
		mustDecrypt(t, r, msgs[i], fmt.Sprint(i))
	}
	for i, sk := range skipped1 {
		if newttest.ContainsBytes(r, sk) {
			t.Errorf("used skipped key %d is still in memory", i)
		}
	}
	// Advancing a chain replaces its key.
	_, chains2, _ := ratchetSecrets(r.AppendLibolm(nil))
	mustDecrypt(t, r, mustEncrypt(t, alice, "next"), "next")
	if newttest.ContainsBytes(r, chains2[0]) {
		t.Error("the advanced chain key is still in memory")
	}
	// Clear wipes everything.
	_, chains3, _ := ratchetSecrets(r.AppendLibolm(nil))
	r.Clear()
	for _, c := range chains3 {
		if newttest.ContainsBytes(r, c) {
			t.Error("Clear left a chain key")
		}
	}
}

// TestC26_SessionConfigDowngrade: a message claiming vodozemac's
// experimental version 4 is ErrBadVersion and changes nothing.
func TestC26_SessionConfigDowngrade(t *testing.T) {
	alice, bob := conversation(t)
	v4 := mustEncrypt(t, alice, "v3")
	v4[0] = 4
	failUnchanged(t, bob, v4, ErrBadVersion)
}

// TestC29_NoPanicFromAPI sends random bytes to UnmarshalLibolm and to
// Decrypt, and requires typed errors and no panic.
func TestC29_NoPanicFromAPI(t *testing.T) {
	_, bob := conversation(t)
	newttest.ForRandomInputs(t, 29, 300, func(b []byte, _, _ string) {
		var r Ratchet
		r.UnmarshalLibolm(b)
		bob.Decrypt(b)
	})
}
