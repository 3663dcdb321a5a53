// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package ratchetstate

import (
	"errors"

	"github.com/newt-e2ee/newt/internal/x25519"
)

// KeySize is the size of the ratchet's keys.
const KeySize = 32

// State is the state of a ratchet in plain values. It holds secrets: clear
// it with [State.Clear] when done.
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
	// Version2 is the session config: false for version 1.
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

// Of returns the state of r, a *ratchet.Ratchet. New returns a new
// *ratchet.Ratchet with state s (copied), or [ErrState]. Blank returns a
// new, empty *ratchet.Ratchet allocated together with its state (for a
// pickle to fill in; new(ratchet.Ratchet) would allocate the state a
// second time on first use). Package ratchet sets all three when it is
// initialised; the arguments and results are typed any because this
// package cannot import package ratchet.
var (
	Of    func(r any) State
	New   func(s *State) (any, error)
	Blank func() any
)

// SenderPublicKey returns the public key of s.SenderKey.
func (s *State) SenderPublicKey() [KeySize]byte {
	priv := x25519.PrivateKey(s.SenderKey)
	pub := x25519.PublicKey(&priv)
	clear(priv[:])
	return pub
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
