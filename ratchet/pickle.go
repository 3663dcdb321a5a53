// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package ratchet

import (
	"fmt"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/internal/pickle"
)

// ErrCorruptedPickle is returned by [Ratchet.UnmarshalLibolm] for a
// truncated encoding or one with out-of-range list counts. It wraps the
// pickle reader's error.
var ErrCorruptedPickle = newt.ErrCorruptedPickle

// Sizes of the pickled records (libolm src/ratchet.cpp, olm::pickle).
const (
	senderChainPickleSize   = 32 + 32 + 32 + 4
	receiverChainPickleSize = 32 + 32 + 4
	skippedKeyPickleSize    = 32 + 32 + 4
)

// LibolmLen implements [Ratchet.LibolmLen].
func (r *state) LibolmLen() int {
	n := KeySize + 4 + 4 + 4
	if r.hasSender {
		n += senderChainPickleSize
	}
	return n + r.numReceivers*receiverChainPickleSize + r.numSkipped*skippedKeyPickleSize
}

// AppendLibolm implements [Ratchet.AppendLibolm].
func (r *state) AppendLibolm(dst []byte) []byte {
	w := pickle.Writer{Buf: dst}
	w.Bytes(r.rootKey[:])
	if r.hasSender {
		w.U32(1)
		w.Bytes(r.sender.ratchetPub[:])
		w.Bytes(r.sender.ratchetPriv[:])
		w.Bytes(r.sender.chain.key[:])
		w.U32(r.sender.chain.index)
	} else {
		w.U32(0)
	}
	w.U32(uint32(r.numReceivers))
	for i := 0; i < r.numReceivers; i++ {
		c := &r.receivers[i]
		w.Bytes(c.ratchetPub[:])
		w.Bytes(c.chain.key[:])
		w.U32(c.chain.index)
	}
	w.U32(uint32(r.numSkipped))
	for i := 0; i < r.numSkipped; i++ {
		s := &r.skipped[i]
		w.Bytes(s.ratchetPub[:])
		w.Bytes(s.key[:])
		w.U32(s.index)
	}
	return w.Buf
}

// UnmarshalLibolm implements [Ratchet.UnmarshalLibolm].
func (r *state) UnmarshalLibolm(b []byte) (int, error) {
	rd := pickle.NewReader(b)
	var n state
	rd.Read(n.rootKey[:])
	senders := listCount(rd, senderChainSize)
	for i := 0; i < senders; i++ {
		rd.Read(n.sender.ratchetPub[:])
		rd.Read(n.sender.ratchetPriv[:])
		rd.Read(n.sender.chain.key[:])
		n.sender.chain.index = rd.U32()
		n.hasSender = true
	}
	receivers := listCount(rd, receiverChainSize)
	n.numReceivers = min(receivers, MaxReceiverChains)
	for i := 0; i < receivers; i++ {
		c := &n.receivers[min(i, MaxReceiverChains-1)]
		rd.Read(c.ratchetPub[:])
		rd.Read(c.chain.key[:])
		c.chain.index = rd.U32()
	}
	skipped := listCount(rd, skippedKeySize)
	n.numSkipped = min(skipped, MaxSkippedMessageKeys)
	for i := 0; i < skipped; i++ {
		s := &n.skipped[min(i, MaxSkippedMessageKeys-1)]
		rd.Read(s.ratchetPub[:])
		rd.Read(s.key[:])
		s.index = rd.U32()
	}
	if err := rd.Err(); err != nil {
		n.Clear()
		return 0, fmt.Errorf("%w: %w", ErrCorruptedPickle, err)
	}
	r.Clear()
	*r = n
	n.Clear()
	return len(b) - rd.Remaining(), nil
}

// Sizes of the list entries in libolm's session pickle.
const (
	senderChainSize   = 32 + 32 + 32 + 4
	receiverChainSize = 32 + 32 + 4
	skippedKeySize    = 32 + 32 + 4
)

// listCount reads a list count and checks that the remaining input can hold
// that many entries of entrySize bytes; otherwise it records
// [pickle.ErrCorrupted] in rd and returns 0.
func listCount(rd *pickle.Reader, entrySize int) int {
	c := rd.U32()
	if rd.Err() != nil {
		return 0
	}
	if uint64(c)*uint64(entrySize) > uint64(rd.Remaining()) {
		rd.Fail(pickle.ErrCorrupted)
		return 0
	}
	return int(c)
}
