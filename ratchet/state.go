// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package ratchet

// Reviewer's note: the ratchet's state as plain values, so that package olm
// can convert it to and from formats other than libolm's (vodozemac's JSON
// pickles, docs/vodozemac-formats.md). Nothing here changes how the ratchet
// works.

import (
	"errors"

	"github.com/newt-e2ee/newt/internal/x25519"
)

// State is the state of a [Ratchet] in plain values. It holds secrets:
// clear it with [State.Clear] when done.
type State struct {
	// RootKey is the root key R_i.
	RootKey [KeySize]byte
	// HasSender reports whether there is a sender chain; SenderKey is then
	// our ratchet private key T_i (its public key is derived from it),
	// SenderChainKey and SenderIndex the chain key C_i,j and j.
	HasSender      bool
	SenderKey      [KeySize]byte
	SenderChainKey [KeySize]byte
	SenderIndex    uint32
	// Receivers are the receiver chains, newest first.
	Receivers []ReceiverState
	// Skipped are the kept message keys of skipped messages, newest first.
	Skipped []SkippedState
	// Version2 is the session config (config.go): false for version 1.
	Version2 bool
}

// ReceiverState is one receiver chain: the peer's ratchet public key, the
// chain key and its index.
type ReceiverState struct {
	RatchetKey [KeySize]byte
	ChainKey   [KeySize]byte
	Index      uint32
}

// SkippedState is a kept message key: the ratchet key of its chain, the
// message key and the message's index.
type SkippedState struct {
	RatchetKey [KeySize]byte
	Key        [32]byte
	Index      uint32
}

// ErrState is a State that no ratchet can have: more chains or skipped keys
// than the limits, or neither a sender nor a receiver chain.
var ErrState = errors.New("ratchet: invalid state")

// State returns the ratchet's state.
func (r *Ratchet) State() State {
	s := State{RootKey: r.rootKey, HasSender: r.hasSender, Version2: r.v2}
	if r.hasSender {
		s.SenderKey = r.sender.ratchetPriv
		s.SenderChainKey = r.sender.chain.key
		s.SenderIndex = r.sender.chain.index
	}
	s.Receivers = make([]ReceiverState, r.numReceivers)
	for i := range s.Receivers {
		c := &r.receivers[i]
		s.Receivers[i] = ReceiverState{RatchetKey: c.ratchetPub, ChainKey: c.chain.key, Index: c.chain.index}
	}
	s.Skipped = make([]SkippedState, r.numSkipped)
	for i := range s.Skipped {
		k := &r.skipped[i]
		s.Skipped[i] = SkippedState{RatchetKey: k.ratchetPub, Key: k.key, Index: k.index}
	}
	return s
}

// SenderPublicKey returns the public key of s.SenderKey.
func (s *State) SenderPublicKey() [KeySize]byte {
	priv := x25519.PrivateKey(s.SenderKey)
	pub := x25519.PublicKey(&priv)
	clear(priv[:])
	return pub
}

// NewFromState returns a ratchet with state s (copied). It fails with
// [ErrState] for more than [MaxReceiverChains] receiver chains or
// [MaxSkippedMessageKeys] skipped keys, or when there is neither a sender
// chain nor a receiver chain. The sender's public key is derived from its
// private key.
func NewFromState(s *State) (*Ratchet, error) {
	if len(s.Receivers) > MaxReceiverChains || len(s.Skipped) > MaxSkippedMessageKeys ||
		!s.HasSender && len(s.Receivers) == 0 {
		return nil, ErrState
	}
	r := &Ratchet{rootKey: s.RootKey, hasSender: s.HasSender, v2: s.Version2}
	if s.HasSender {
		r.sender.ratchetPriv = s.SenderKey
		r.sender.ratchetPub = s.SenderPublicKey()
		r.sender.chain = chainKey{key: s.SenderChainKey, index: s.SenderIndex}
	}
	r.numReceivers = len(s.Receivers)
	for i, c := range s.Receivers {
		r.receivers[i] = receiverChain{ratchetPub: c.RatchetKey, chain: chainKey{key: c.ChainKey, index: c.Index}}
	}
	r.numSkipped = len(s.Skipped)
	for i, k := range s.Skipped {
		r.skipped[i] = skippedKey{ratchetPub: k.RatchetKey, key: k.Key, index: k.Index}
	}
	return r, nil
}

// Clear overwrites the secrets of s (best effort).
func (s *State) Clear() {
	clear(s.RootKey[:])
	clear(s.SenderKey[:])
	clear(s.SenderChainKey[:])
	for i := range s.Receivers {
		clear(s.Receivers[i].ChainKey[:])
	}
	for i := range s.Skipped {
		clear(s.Skipped[i].Key[:])
	}
}
