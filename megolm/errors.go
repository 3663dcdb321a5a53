// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package megolm

import (
	"errors"
	"strconv"

	"github.com/newt-e2ee/newt"
)

// Errors that callers branch on. Every error returned by this package is, or
// wraps, one of these; match them with [errors.Is]. No error message contains
// secret material.
var (
	// ErrBadMAC means the message MAC did not match or its ciphertext did
	// not decrypt: the message was not encrypted with this session's
	// ratchet at its index, or was tampered with after signing.
	ErrBadMAC = errors.New("megolm: bad message MAC")

	// ErrBadSignature means a message or session key signature did not
	// verify under the session's signing key (strict Ed25519).
	ErrBadSignature = errors.New("megolm: bad signature")

	// ErrUnknownMessageIndex means the message index lies before the first
	// index the session knows. The error is an [*UnknownMessageIndexError].
	ErrUnknownMessageIndex = errors.New("megolm: unknown message index")

	// ErrBadVersion means a message carried a version byte other than 3.
	ErrBadVersion = errors.New("megolm: bad message version")

	// ErrBadMessageFormat means a message could not be decoded: too short,
	// invalid base64, a malformed field, or a missing index or ciphertext.
	ErrBadMessageFormat = errors.New("megolm: bad message format")

	// ErrBadSessionKey means a session key or exported session key has the
	// wrong length, version or encoding, or carries an invalid signing key.
	ErrBadSessionKey = errors.New("megolm: bad session key")

	// ErrInvalidSigningKey means a session's Ed25519 signing key is not a
	// canonical encoding of a point outside the small-order subgroup, so no
	// signature can be verified strictly under it. Errors with this cause
	// also match [ErrBadSessionKey] or [ErrCorruptedPickle].
	ErrInvalidSigningKey = errors.New("megolm: invalid signing key")

	// ErrNotConnected means two inbound sessions do not belong to the same
	// Megolm session (different signing keys or unrelated ratchets).
	ErrNotConnected = errors.New("megolm: sessions are not connected")

	// ErrBadPickleKey is [newt.ErrBadPickleKey]: a pickle did not
	// authenticate under the given key (wrong key or tampered pickle).
	ErrBadPickleKey = newt.ErrBadPickleKey

	// ErrCorruptedPickle is [newt.ErrCorruptedPickle]: a pickle could not
	// be parsed (truncated, trailing bytes, not base64, or an invalid
	// signing key).
	ErrCorruptedPickle = newt.ErrCorruptedPickle

	// ErrUnknownPickleVersion is [newt.ErrUnknownPickleVersion]: the pickle
	// has a version this package does not read (outbound: 1; inbound: 1 and
	// 2).
	ErrUnknownPickleVersion = newt.ErrUnknownPickleVersion
)

// UnknownMessageIndexError is returned by [InboundGroupSession.Decrypt] and
// [InboundGroupSession.Export] when the requested index lies before the
// session's first known index (libolm's UNKNOWN_MESSAGE_INDEX). It matches
// [ErrUnknownMessageIndex] with [errors.Is].
type UnknownMessageIndexError struct {
	// FirstKnown is the session's first known message index.
	FirstKnown uint32
	// Got is the message index that was asked for.
	Got uint32
}

// Error implements the error interface.
func (e *UnknownMessageIndexError) Error() string {
	return "megolm: unknown message index " + strconv.FormatUint(uint64(e.Got), 10) +
		" (first known index " + strconv.FormatUint(uint64(e.FirstKnown), 10) + ")"
}

// Unwrap returns [ErrUnknownMessageIndex].
func (e *UnknownMessageIndexError) Unwrap() error { return ErrUnknownMessageIndex }

// multiError is an error with its own message that matches several causes.
type multiError struct {
	msg  string
	errs []error
}

func (e *multiError) Error() string   { return e.msg }
func (e *multiError) Unwrap() []error { return e.errs }

// wrap returns an error with message "megolm: <what>" matching every cause.
func wrap(what string, causes ...error) error {
	return &multiError{msg: "megolm: " + what, errs: causes}
}
