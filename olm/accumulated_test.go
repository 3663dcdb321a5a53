// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package olm

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"testing"
)

// accumulatedDigest is SHA-256 over every message body, plaintext and final
// pickle of the accumulated conversation. It was computed with libolm 3.2.13
// by TestAccumulatedLibolm (build tag libolm), which checks it on every run.
const accumulatedDigest = "bda0e16ce9ac52f3f93c4dfcf5a41f8907f64dc87dd721265d5c0b7251f9d603"

// accumulatedMessages is the length of the accumulated conversation.
const accumulatedMessages = 1000

// olmImpl drives one Olm implementation with caller-supplied randomness.
type olmImpl interface {
	// setup creates both accounts, Bob's one-time key and Alice's session.
	setup(aliceRandom, bobRandom, otkRandom, sessionRandom []byte)
	// needsRandom reports whether party's next encryption needs 32 bytes.
	needsRandom(bob bool) bool
	// encrypt encrypts pt from Alice (bob false) or Bob.
	encrypt(bob bool, pt, random []byte) (typ int, body string)
	// decrypt decrypts at Alice (bob false) or Bob (creating his session on
	// his first message).
	decrypt(bob bool, typ int, body string) []byte
	// pickles returns both session pickles.
	pickles(key []byte) (alice, bob string)
}

// runAccumulated runs a seeded conversation with random senders, plaintext
// lengths and in-order delivery, and returns the digest.
func runAccumulated(t testing.TB, impl olmImpl) string {
	rng := rand.New(rand.NewChaCha8([32]byte{'a', 'c', 'c', 'u', 'm'}))
	random := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		return b
	}
	impl.setup(random(64), random(64), random(32), random(64))
	h := sha256.New()
	bobStarted := false
	for i := range accumulatedMessages {
		fromBob := bobStarted && rng.IntN(2) == 0
		pt := random(rng.IntN(100))
		var r []byte
		if impl.needsRandom(fromBob) {
			r = random(32)
		}
		typ, body := impl.encrypt(fromBob, pt, r)
		got := impl.decrypt(!fromBob, typ, body)
		if !bytes.Equal(got, pt) {
			t.Fatalf("message %d: plaintext differs", i)
		}
		bobStarted = true
		h.Write([]byte{byte(typ)})
		h.Write([]byte(body))
		h.Write(pt)
	}
	a, b := impl.pickles([]byte("accumulated"))
	h.Write([]byte(a))
	h.Write([]byte(b))
	return hex.EncodeToString(h.Sum(nil))
}

// newtImpl is olmImpl on newt's deterministic cores.
type newtImpl struct {
	t          testing.TB
	alice, bob *Account
	as, bs     *Session
}

func (n *newtImpl) setup(aliceRandom, bobRandom, otkRandom, sessionRandom []byte) {
	n.alice = newAccount((*[64]byte)(aliceRandom))
	n.bob = newAccount((*[64]byte)(bobRandom))
	otk := n.bob.generateOneTimeKeys(1, otkRandom).Created[0]
	var err error
	n.as, err = n.alice.newOutboundSession(n.bob.IdentityKeys().Curve25519, otk.Key, (*[64]byte)(sessionRandom))
	if err != nil {
		n.t.Fatal(err)
	}
}

func (n *newtImpl) needsRandom(bob bool) bool {
	if bob {
		return n.bs.ratchet.NeedsRandom()
	}
	return n.as.ratchet.NeedsRandom()
}

func (n *newtImpl) encrypt(bob bool, pt, random []byte) (int, string) {
	s := n.as
	if bob {
		s = n.bs
	}
	m, err := s.encrypt(pt, random)
	if err != nil {
		n.t.Fatal(err)
	}
	return int(m.Type()), m.Base64()
}

func (n *newtImpl) decrypt(bob bool, typ int, body string) []byte {
	m, err := ParseEncryptedMessage(MessageType(typ), body)
	if err != nil {
		n.t.Fatal(err)
	}
	var pt []byte
	switch {
	case bob && n.bs == nil:
		n.bs, pt, err = n.bob.NewInboundSession(m.(*PreKeyMessage))
	case bob:
		pt, err = n.bs.Decrypt(m)
	default:
		pt, err = n.as.Decrypt(m)
	}
	if err != nil {
		n.t.Fatal(err)
	}
	return pt
}

func (n *newtImpl) pickles(key []byte) (string, string) {
	return string(n.as.Pickle(key)), string(n.bs.Pickle(key))
}

// TestAccumulated runs 1000 messages through newt and compares the digest
// with libolm's.
func TestAccumulated(t *testing.T) {
	got := runAccumulated(t, &newtImpl{t: t})
	if got != accumulatedDigest {
		t.Fatalf("accumulated digest %s, libolm's is %s", got, accumulatedDigest)
	}
}
