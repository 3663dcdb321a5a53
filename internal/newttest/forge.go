// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package newttest

import (
	"bytes"
	"crypto/sha256"

	"github.com/newt-e2ee/newt/internal/aessha2"
	"github.com/newt-e2ee/newt/internal/wire"
	"github.com/newt-e2ee/newt/internal/x25519"
)

// OlmForger holds the secrets of the first receiving chain of an Olm
// session, so that a test can give any message at any counter a valid MAC
// and reach the checks behind it (padding, gaps, skipped keys). A test
// builds the receiving side with ratchet.NewInbound(Secret, RatchetPub), or
// an olm.Session around that ratchet.
type OlmForger struct {
	// Secret is the 96-byte shared secret S of the 3DH handshake.
	Secret []byte
	// RatchetPub is the sender's ratchet key T_0.
	RatchetPub [32]byte
	// Chain0 is the chain key C_0,0 of HKDF(S, salt 0, "OLM_ROOT").
	Chain0 [32]byte
}

// The Olm message version byte libolm writes, and the Olm spec's HKDF label
// of the root key.
const (
	olmVersion  = 3
	infoOlmRoot = "OLM_ROOT"
)

// NewOlmForger returns a forger whose secret and ratchet key derive from
// label, so that a fuzz target replays the same keys in every run.
func NewOlmForger(label string) *OlmForger {
	s := sha256.Sum256([]byte(label + " secret"))
	priv := x25519.PrivateKey(sha256.Sum256([]byte(label + " key")))
	return NewOlmForgerFromSecret(bytes.Repeat(s[:], 3), x25519.PublicKey(&priv))
}

// NewOlmForgerFromSecret returns a forger for the shared secret secret and
// the sender ratchet key ratchetPub, which may be any 32 bytes.
func NewOlmForgerFromSecret(secret []byte, ratchetPub [32]byte) *OlmForger {
	f := &OlmForger{Secret: secret, RatchetPub: ratchetPub}
	var rc [64]byte
	aessha2.HKDF(rc[:], f.Secret, nil, infoOlmRoot)
	copy(f.Chain0[:], rc[32:])
	return f
}

// ForgePreKey returns the pre-key message a sender with fresh identity and
// base keys sends to the device whose Curve25519 identity key is bobIdentity,
// through its one-time key bobOneTime: the 3DH secret is the sender's (libolm
// src/session.cpp, olm::Session::new_outbound_session), so the inner
// message's MAC is valid, but its ratchet key T_0 is ratchetPub, any 32 bytes
// (such as a low-order point), and it carries plaintext at counter 0.
func ForgePreKey(bobIdentity, bobOneTime, ratchetPub [32]byte, plaintext []byte) []byte {
	ia, iaPub := x25519.GenerateKey()
	ea, eaPub := x25519.GenerateKey()
	var secret []byte
	for _, pq := range []struct {
		p *x25519.PrivateKey
		q *[32]byte
	}{{&ia, &bobOneTime}, {&ea, &bobIdentity}, {&ea, &bobOneTime}} {
		s, err := x25519.DH(pq.p, pq.q)
		if err != nil {
			panic("newttest: low-order key of Bob's")
		}
		secret = append(secret, s[:]...)
	}
	f := NewOlmForgerFromSecret(secret, ratchetPub)
	k := f.Keys(0)
	inner := f.Message(k, 0, k.AppendEncrypt(nil, plaintext))
	b := wire.AppendPreKeyMessageHeader(nil, olmVersion, bobOneTime[:], eaPub[:], iaPub[:], len(inner))
	return append(b, inner...)
}

// Keys returns the message keys of counter n: the chain advanced n times,
// M_0,n = HMAC(C_0,n, 0x01), then HKDF(M_0,n, "OLM_KEYS").
func (f *OlmForger) Keys(n uint32) *aessha2.Keys {
	c := f.Chain0
	for range n {
		aessha2.HMAC(&c, c[:], []byte{2})
	}
	var mk [32]byte
	aessha2.HMAC(&mk, c[:], []byte{1})
	var k aessha2.Keys
	aessha2.DeriveKeys(&k, mk[:], aessha2.InfoOlmKeys)
	return &k
}

// Message returns the encoded Olm message at counter n around the
// ciphertext ct, with the MAC of k (the counter's [OlmForger.Keys]).
func (f *OlmForger) Message(k *aessha2.Keys, n uint32, ct []byte) []byte {
	body := append(wire.AppendOlmMessageHeader(nil, olmVersion, f.RatchetPub[:], n, len(ct)), ct...)
	return k.AppendMAC(body, body, aessha2.TruncatedMACSize)
}
