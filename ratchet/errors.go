// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package ratchet

import (
	"errors"
	"fmt"

	"github.com/newt-e2ee/newt/internal/x25519"
)

// Errors returned by [Ratchet.Decrypt] and [Ratchet.Encrypt]. libolm reports
// the first three as BAD_MESSAGE_VERSION, BAD_MESSAGE_FORMAT and
// BAD_MESSAGE_MAC; it folds [ErrMissingMessageKey], [ErrUnknownChain] and
// [*MessageGapError] into BAD_MESSAGE_MAC as well.
var (
	// ErrBadVersion means the message's version byte is not [Version].
	ErrBadVersion = errors.New("ratchet: bad message version")
	// ErrBadMessageFormat means the message could not be decoded or lacks
	// a required field (ratchet key of 32 bytes, counter, ciphertext, MAC).
	ErrBadMessageFormat = errors.New("ratchet: bad message format")
	// ErrBadMAC means the message failed authentication: its MAC, or the
	// padding of its ciphertext, is wrong for the key its header selects.
	ErrBadMAC = errors.New("ratchet: bad message MAC")
	// ErrMissingMessageKey means the message belongs to a known chain at an
	// index whose key is no longer held: it was already decrypted (a
	// replay), or it was skipped and then dropped from the list of
	// [MaxSkippedMessageKeys] skipped keys.
	ErrMissingMessageKey = errors.New("ratchet: message key already used or dropped")
	// ErrUnknownChain means the message starts a new chain while we have no
	// sender chain: an honest peer only moves to a new ratchet key after
	// receiving a message on our current one.
	ErrUnknownChain = errors.New("ratchet: message for an unknown chain")
	// ErrNonContributory means a Diffie-Hellman step gave the all-zero
	// secret, that is the peer's ratchet key has low order. libolm accepts
	// such keys; newt refuses them. It wraps x25519's error.
	ErrNonContributory = fmt.Errorf("ratchet: key agreement failed: %w", x25519.ErrNonContributory)
	// ErrNoChain means Encrypt was called on a ratchet that has neither a
	// sender chain nor a receiver chain to derive one from (only possible
	// for a zero Ratchet or a forged pickle).
	ErrNoChain = errors.New("ratchet: no chain to encrypt with")
	// ErrRandomSize means the randomness passed to [Ratchet.AppendEncrypt]
	// or [NewOutbound] is not [RandomSize] bytes long.
	ErrRandomSize = errors.New("ratchet: randomness must be 32 bytes")
)

// MessageGapError is returned when a message is more than [MaxMessageGap]
// messages ahead of its chain. No key is derived for such a message.
type MessageGapError struct {
	// Gap is the number of message keys that would have to be skipped.
	Gap uint32
	// Max is the largest gap accepted, [MaxMessageGap].
	Max uint32
}

// Error implements error.
func (e *MessageGapError) Error() string {
	return fmt.Sprintf("ratchet: message gap of %d exceeds the maximum of %d", e.Gap, e.Max)
}
