// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package ratchet

// Reviewer's note: this file holds the symmetric half of the ratchet, the
// chain keys C_i,j and message keys M_i,j ("Advancing the chain key" and
// "Creating a message key" in the Olm spec; libolm src/ratchet.cpp,
// advance_chain_key and create_message_keys). Names follow the spec's symbols
// so the code can be reviewed side by side with it.

import (
	"github.com/newt-e2ee/newt/internal/aessha2"
	"github.com/newt-e2ee/newt/internal/x25519"
)

// KDF labels and chain seeds (libolm src/session.cpp, ROOT_KDF_INFO and
// friends; src/ratchet.cpp, MESSAGE_KEY_SEED and CHAIN_KEY_SEED).
const (
	infoRoot    = "OLM_ROOT"
	infoRatchet = "OLM_RATCHET"
	infoKeys    = aessha2.InfoOlmKeys

	seedMessageKey = 0x01
	seedChainKey   = 0x02
)

// The one-byte HMAC messages. They are package variables so that passing
// them to aessha2.HMAC does not allocate.
var (
	messageKeySeed = []byte{seedMessageKey}
	chainKeySeed   = []byte{seedChainKey}
)

// chainKey is C_i,j: a chain key and its index j.
type chainKey struct {
	key   [32]byte
	index uint32
}

// advance implements "Advancing a chain key": C_i,j+1 = HMAC(C_i,j, 0x02).
// The index is a uint32 as in libolm and wraps the same way; only a forged
// pickle can bring it near 2^32.
func (c *chainKey) advance() {
	var next [32]byte
	aessha2.HMAC(&next, c.key[:], chainKeySeed)
	c.key = next
	clear(next[:])
	c.index++
}

// messageKey implements "Creating a message key": M_i,j = HMAC(C_i,j, 0x01).
func (c *chainKey) messageKey(m *[32]byte) {
	aessha2.HMAC(m, c.key[:], messageKeySeed)
}

// clear overwrites the chain key (best effort).
func (c *chainKey) clear() {
	clear(c.key[:])
	c.index = 0
}

// deriveRoot implements the first half of "Initial setup": R_0 ‖ C_0,0 =
// HKDF(S, zero salt, "OLM_ROOT", 64).
func deriveRoot(root *[32]byte, chain *chainKey, sharedSecret []byte) {
	var okm [64]byte
	aessha2.HKDF(okm[:], sharedSecret, nil, infoRoot)
	copy(root[:], okm[:32])
	copy(chain.key[:], okm[32:])
	chain.index = 0
	clear(okm[:])
}

// advanceRoot implements "Advancing the root key": R_i ‖ C_i,0 =
// HKDF(DH(ours, theirs), salt R_i-1, "OLM_RATCHET", 64). It returns
// ErrNonContributory, and writes nothing, if the DH result is all zeros;
// libolm has no such check.
func advanceRoot(newRoot *[32]byte, chain *chainKey, oldRoot *[32]byte, ours *x25519.PrivateKey, theirs *[32]byte) error {
	secret, err := x25519.DH(ours, theirs)
	if err != nil {
		return ErrNonContributory
	}
	var okm [64]byte
	aessha2.HKDF(okm[:], secret[:], oldRoot[:], infoRatchet)
	copy(newRoot[:], okm[:32])
	copy(chain.key[:], okm[32:])
	chain.index = 0
	clear(okm[:])
	clear(secret[:])
	return nil
}
