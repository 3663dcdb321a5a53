// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package backend

import (
	"errors"

	molm "maunium.net/go/mautrix/crypto/olm"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/megolm"
	"github.com/newt-e2ee/newt/olm"
	"github.com/newt-e2ee/newt/pk"
)

// Errors of the backend itself.
var (
	// ErrBlank means a method that needs a state was called on a blank
	// object (the zero value, or one from crypto/olm's NewBlank* functions)
	// before Unpickle filled it.
	ErrBlank = errors.New("backend: blank object: Unpickle has not filled it")

	// ErrForeignSession means Account.RemoveOneTimeKeys was given a session
	// that is not one of this backend's (a goolm or libolm session, or nil).
	ErrForeignSession = errors.New("backend: session is not a newt session")
)

// mappedError is an error of newt together with the sentinels of mautrix's
// crypto/olm package that name the same failure. It prints newt's message
// and unwraps to newt's error first, so errors.As finds newt's error types,
// and to the sentinels after it.
type mappedError struct {
	errs []error // errs[0] is newt's error
}

// Error returns newt's message.
func (e *mappedError) Error() string { return e.errs[0].Error() }

// Unwrap returns newt's error and mautrix's sentinels.
func (e *mappedError) Unwrap() []error { return e.errs }

// mapping lists, in the order they are tried, newt's errors and the
// crypto/olm sentinels each corresponds to. The order matters where one newt
// error wraps another: megolm.ErrInvalidSigningKey comes with
// megolm.ErrBadSessionKey or newt.ErrCorruptedPickle, which decide.
var mapping = []struct {
	newt error
	olm  []error
}{
	// Pickles. goolm reports a wrong key as a bad MAC, libolm as a bad
	// account key (for every kind of pickle).
	{newt.ErrBadPickleKey, []error{molm.ErrBadMAC, molm.ErrLibolmBadAccountKey}},
	{newt.ErrCorruptedPickle, []error{molm.ErrLibolmCorruptedPickle}},
	{newt.ErrUnknownPickleVersion, []error{molm.ErrUnknownOlmPickleVersion}},
	{olm.ErrLegacyAccountPickle, []error{molm.ErrLibolmBadLegacyAccountPickle}},

	// Megolm.
	{megolm.ErrUnknownMessageIndex, []error{molm.ErrUnknownMessageIndex}},
	{megolm.ErrBadSessionKey, []error{molm.ErrLibolmBadSessionKey}},
	{megolm.ErrBadSignature, []error{molm.ErrBadSignature}},
	{megolm.ErrBadMAC, []error{molm.ErrBadMAC}},
	{megolm.ErrBadVersion, []error{molm.ErrWrongProtocolVersion}},
	{megolm.ErrBadMessageFormat, []error{molm.ErrBadMessageFormat}},

	// Olm.
	{olm.ErrBadMAC, []error{molm.ErrBadMAC}},
	{olm.ErrBadVersion, []error{molm.ErrWrongProtocolVersion}},
	{olm.ErrBadMessageFormat, []error{molm.ErrBadMessageFormat}},
	{olm.ErrMissingMessageKey, []error{molm.ErrMessageKeyNotFound}},
	{olm.ErrUnknownChain, []error{molm.ErrProtocolViolation}},
	{olm.ErrMissingOneTimeKey, []error{molm.ErrBadMessageKeyID}},
	{olm.ErrIdentityKeyMismatch, []error{molm.ErrBadMessageKeyID}},
	{olm.ErrSessionMismatch, []error{molm.ErrBadMessageKeyID}},

	// Keys given as text, and signing seeds.
	{newt.ErrInvalidBase64, []error{molm.ErrLibolmInvalidBase64}},
	{newt.ErrInvalidKey, []error{molm.ErrBadInput}},
	{pk.ErrInvalidKey, []error{molm.ErrBadInput}},
}

// mapErr returns err, an error of newt, made to also match the crypto/olm
// sentinels that name the same failure. Errors with no counterpart in
// crypto/olm (olm.ErrNonContributory, olm.ErrSessionState, JSON errors) are
// returned as they are.
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	var gap *olm.MessageGapError
	if errors.As(err, &gap) {
		return &mappedError{errs: []error{err, molm.ErrMsgIndexTooHigh}}
	}
	for _, m := range mapping {
		if errors.Is(err, m.newt) {
			errs := make([]error, 0, 1+len(m.olm))
			return &mappedError{errs: append(append(errs, err), m.olm...)}
		}
	}
	return err
}
