// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package pk

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/newt-e2ee/newt/internal/canonicaljson"
	"github.com/newt-e2ee/newt/internal/pickle"
	"github.com/newt-e2ee/newt/internal/x25519"
)

// Errors callers branch on; match them with [errors.Is]. The comment of each
// names the libolm error (olm_pk_*_last_error) it corresponds to.
var (
	// ErrBadMAC means a message's MAC did not match or was not 8 bytes
	// long (BAD_MESSAGE_MAC). Since the pk MAC covers no data (see the
	// package doc), this means the message was not encrypted to this key,
	// or its MAC or ephemeral key was changed.
	ErrBadMAC = errors.New("pk: bad message MAC")

	// ErrBadCiphertext means a message's MAC matched but its ciphertext
	// was empty, not a multiple of 16 bytes, or had invalid PKCS#7 padding
	// (libolm: BAD_MESSAGE_MAC, or no error at all for bad padding).
	ErrBadCiphertext = errors.New("pk: invalid ciphertext length or padding")

	// ErrInvalidBase64 means a ciphertext, MAC or key was not strict
	// unpadded base64 of the right length (INVALID_BASE64).
	ErrInvalidBase64 = errors.New("pk: invalid base64")

	// ErrInvalidKey means a private key or seed did not have 32 bytes
	// (INPUT_BUFFER_TOO_SMALL).
	ErrInvalidKey = errors.New("pk: invalid key length")

	// ErrNonContributory means the X25519 shared secret was all zeros: the
	// recipient's or the ephemeral public key has low order. libolm
	// accepts such keys silently. It wraps x25519's error.
	ErrNonContributory = fmt.Errorf("pk: key agreement failed: %w", x25519.ErrNonContributory)

	// ErrBadSignature means an Ed25519 signature did not verify under the
	// given key with the strict rules (libolm: BAD_MESSAGE_MAC from
	// olm_ed25519_verify).
	ErrBadSignature = errors.New("pk: bad signature")

	// ErrBadPickleKey means a pickle failed authentication: wrong pickle
	// key or tampered pickle (BAD_ACCOUNT_KEY).
	ErrBadPickleKey = errors.New("pk: wrong pickle key or tampered pickle")

	// ErrCorruptedPickle means an authenticated pickle could not be
	// decoded: invalid base64, truncated, trailing data, or a public key
	// that does not belong to the private key (CORRUPTED_PICKLE,
	// OLM_PICKLE_EXTRA_DATA, INVALID_BASE64).
	ErrCorruptedPickle = errors.New("pk: corrupted pickle")

	// ErrUnknownPickleVersion means a pickle's version is not 1
	// (UNKNOWN_PICKLE_VERSION).
	ErrUnknownPickleVersion = errors.New("pk: unknown pickle version")
)

// Errors of the canonical JSON functions, found in the Err field of a
// [*JSONError].
var (
	// ErrInvalidJSON means the input is not JSON (RFC 8259): bad syntax,
	// trailing data, invalid UTF-8, an unpaired UTF-16 surrogate escape,
	// nesting deeper than [MaxJSONDepth], or a Go value that encoding/json
	// cannot marshal.
	ErrInvalidJSON = errors.New("pk: invalid JSON")

	// ErrJSONNumber means a number is not an integer in
	// [-(2^53-1), 2^53-1], which canonical JSON requires. Integral values
	// written as 1e10 or 1.0 are accepted.
	ErrJSONNumber = errors.New("pk: JSON number is not an integer in [-(2^53-1), 2^53-1]")

	// ErrJSONDuplicateKey means an object has the same key twice.
	ErrJSONDuplicateKey = errors.New("pk: duplicate key in JSON object")

	// ErrJSONNotObject means the value to sign or verify is not a JSON
	// object.
	ErrJSONNotObject = errors.New("pk: signed JSON is not an object")
)

// MaxJSONDepth is the deepest nesting of JSON arrays and objects that the
// canonical JSON functions accept.
const MaxJSONDepth = canonicaljson.MaxDepth

// JSONError is the error returned for input that cannot be canonicalised.
// It matches its Err field with [errors.Is]. The input is never quoted in
// the message.
type JSONError struct {
	// Err is ErrInvalidJSON, ErrJSONNumber, ErrJSONDuplicateKey or
	// ErrJSONNotObject.
	Err error
	// Offset is the byte offset in the JSON text where the problem was
	// found, or -1 if there is none (a Go value that did not marshal).
	Offset int

	reason string
}

// Error implements the error interface.
func (e *JSONError) Error() string {
	msg := e.Err.Error()
	if e.reason != "" {
		msg += ": " + e.reason
	}
	if e.Offset >= 0 {
		msg += " (at byte " + strconv.Itoa(e.Offset) + ")"
	}
	return msg
}

// Unwrap returns e.Err.
func (e *JSONError) Unwrap() error { return e.Err }

// fromCanonical maps an error of internal/canonicaljson to a *JSONError.
func fromCanonical(err error) error {
	var ce *canonicaljson.Error
	if !errors.As(err, &ce) {
		return &JSONError{Err: ErrInvalidJSON, Offset: -1}
	}
	je := &JSONError{Offset: ce.Offset}
	switch {
	case errors.Is(err, canonicaljson.ErrNumber):
		je.Err = ErrJSONNumber
	case errors.Is(err, canonicaljson.ErrDuplicateKey):
		je.Err = ErrJSONDuplicateKey
	case errors.Is(err, canonicaljson.ErrNotObject):
		je.Err = ErrJSONNotObject
	default:
		je.Err = ErrInvalidJSON
		je.reason = strings.TrimPrefix(ce.Err.Error(), "canonicaljson: ")
	}
	return je
}

// errPublicKeyMismatch is returned for an authenticated pickle whose public
// key is not X25519(private key).
var errPublicKeyMismatch = fmt.Errorf("%w: public key does not match the private key", ErrCorruptedPickle)

// fromPickle maps the errors of internal/pickle to this package's.
func fromPickle(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, pickle.ErrBadKey):
		return ErrBadPickleKey
	case errors.Is(err, pickle.ErrUnknownVersion):
		return ErrUnknownPickleVersion
	default:
		return fmt.Errorf("%w: %w", ErrCorruptedPickle, err)
	}
}
