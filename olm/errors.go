// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package olm

import (
	"errors"
	"fmt"
	"strings"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/internal/x25519"
	"github.com/newt-e2ee/newt/ratchet"
)

// Errors callers branch on. The comment of each names the libolm error code
// (olm_*_last_error) it corresponds to.
var (
	// ErrBadMAC means a message failed authentication (BAD_MESSAGE_MAC).
	ErrBadMAC = errors.New("olm: bad message MAC")
	// ErrBadMessageFormat means a message could not be decoded or lacks a
	// required field (BAD_MESSAGE_FORMAT, INVALID_BASE64).
	ErrBadMessageFormat = errors.New("olm: bad message format")
	// ErrBadVersion means a message has an unknown version byte
	// (BAD_MESSAGE_VERSION).
	ErrBadVersion = errors.New("olm: bad message version")
	// ErrMissingMessageKey means the message's key was already used (a
	// replay) or was dropped from the skipped keys (libolm:
	// BAD_MESSAGE_MAC). Each Olm message decrypts once: an application that
	// crashes after Decrypt but before saving the decrypted plaintext gets
	// this error when it retries.
	ErrMissingMessageKey = errors.New("olm: message key already used or dropped")
	// ErrUnknownChain means a message uses a ratchet key the session
	// cannot accept yet (libolm: BAD_MESSAGE_MAC).
	ErrUnknownChain = errors.New("olm: message for an unknown chain")
	// ErrNonContributory means a Diffie-Hellman step gave the all-zero
	// secret: one of the peer's keys has low order. libolm accepts such
	// keys silently. It wraps x25519's error.
	ErrNonContributory = fmt.Errorf("olm: key agreement failed: %w", x25519.ErrNonContributory)
	// ErrMissingOneTimeKey means the one-time or fallback key a pre-key
	// message names is not (or no longer) held by the account
	// (BAD_MESSAGE_KEY_ID).
	ErrMissingOneTimeKey = errors.New("olm: unknown one-time key")
	// ErrIdentityKeyMismatch means a pre-key message's identity key is not
	// the one the caller expected (BAD_MESSAGE_KEY_ID).
	ErrIdentityKeyMismatch = errors.New("olm: identity key mismatch")
	// ErrSessionMismatch means a pre-key message was given to a session it
	// does not belong to (see [Session.Matches]). libolm decrypts the inner
	// message regardless.
	ErrSessionMismatch = errors.New("olm: pre-key message does not match the session")
	// ErrBadPickleKey is [newt.ErrBadPickleKey]: a pickle failed
	// authentication (wrong pickle key or tampered pickle).
	ErrBadPickleKey = newt.ErrBadPickleKey
	// ErrCorruptedPickle is [newt.ErrCorruptedPickle]: a pickle could not
	// be decoded (truncated, out-of-range counts, trailing data, invalid
	// base64).
	ErrCorruptedPickle = newt.ErrCorruptedPickle
	// ErrUnknownPickleVersion is [newt.ErrUnknownPickleVersion]: a
	// pickle's version is not one newt reads.
	ErrUnknownPickleVersion = newt.ErrUnknownPickleVersion
	// ErrLegacyAccountPickle means an account pickle of version 1, which
	// stored a form of the Ed25519 key that cannot be used
	// (BAD_LEGACY_ACCOUNT_PICKLE).
	ErrLegacyAccountPickle = errors.New("olm: legacy (version 1) account pickle is not supported")
	// ErrSessionState means the session cannot encrypt: it has no chain
	// (a forged pickle) or its randomness was rejected.
	ErrSessionState = errors.New("olm: session cannot encrypt in its current state")
)

// MessageGapError is returned when a message is more than [MaxMessageGap]
// messages ahead of its chain (libolm: BAD_MESSAGE_MAC). No key is derived
// for such a message.
type MessageGapError struct {
	// Gap is the number of message keys that would have to be skipped.
	Gap uint32
	// Max is the largest gap accepted, [MaxMessageGap].
	Max uint32
}

// Error implements error.
func (e *MessageGapError) Error() string {
	return fmt.Sprintf("olm: message gap of %d exceeds the maximum of %d", e.Gap, e.Max)
}

// ErrTooManyOneTimeKeys is returned by [Account.GenerateOneTimeKeys] for a
// count above [MaxOneTimeKeys]: the account keeps no more, and such a count
// is usually an arithmetic mistake (an unsigned subtraction that wrapped).
// Generating it would wrap the key ID counter and re-issue the IDs of keys
// already published.
var ErrTooManyOneTimeKeys = errors.New("olm: too many one-time keys requested")

// errNegativeCount is returned by GenerateOneTimeKeys for n < 0.
var errNegativeCount = errors.New("olm: negative number of one-time keys")

// fromRatchet maps the errors of package ratchet to this package's.
func fromRatchet(err error) error {
	var gap *ratchet.MessageGapError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &gap):
		return &MessageGapError{Gap: gap.Gap, Max: gap.Max}
	case errors.Is(err, ratchet.ErrBadMAC):
		return ErrBadMAC
	case errors.Is(err, ratchet.ErrConfigMismatch):
		return &configError{msg: "olm" + strings.TrimPrefix(err.Error(), "ratchet")}
	case errors.Is(err, ratchet.ErrBadVersion):
		return ErrBadVersion
	case errors.Is(err, ratchet.ErrBadMessageFormat):
		return ErrBadMessageFormat
	case errors.Is(err, ratchet.ErrMissingMessageKey):
		return ErrMissingMessageKey
	case errors.Is(err, ratchet.ErrUnknownChain):
		return ErrUnknownChain
	case errors.Is(err, ratchet.ErrNonContributory):
		return ErrNonContributory
	default:
		return fmt.Errorf("%w: %w", ErrSessionState, err)
	}
}
