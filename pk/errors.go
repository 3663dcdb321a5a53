// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package pk

import (
	"errors"
	"fmt"

	"github.com/newt-e2ee/newt"
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

	// ErrBadPickleKey is [newt.ErrBadPickleKey]: a pickle failed
	// authentication (wrong pickle key or tampered pickle).
	ErrBadPickleKey = newt.ErrBadPickleKey

	// ErrCorruptedPickle is [newt.ErrCorruptedPickle]: a pickle could not
	// be decoded (invalid base64, truncated, trailing data, or a public key
	// that does not belong to the private key).
	ErrCorruptedPickle = newt.ErrCorruptedPickle

	// ErrUnknownPickleVersion is [newt.ErrUnknownPickleVersion]: a
	// pickle's version is not 1.
	ErrUnknownPickleVersion = newt.ErrUnknownPickleVersion
)

// Errors of JSON signing and verification: package newt's, re-exported, in
// the Err field of a [*JSONError].
var (
	// ErrInvalidJSON is [newt.ErrInvalidJSON].
	ErrInvalidJSON = newt.ErrInvalidJSON
	// ErrJSONNumber is [newt.ErrJSONNumber].
	ErrJSONNumber = newt.ErrJSONNumber
	// ErrJSONDuplicateKey is [newt.ErrJSONDuplicateKey].
	ErrJSONDuplicateKey = newt.ErrJSONDuplicateKey
	// ErrJSONNotObject is [newt.ErrJSONNotObject].
	ErrJSONNotObject = newt.ErrJSONNotObject
)

// JSONError is [newt.JSONError], the error of input that cannot be
// canonicalised.
type JSONError = newt.JSONError

// errPublicKeyMismatch is returned for an authenticated pickle whose public
// key is not X25519(private key).
var errPublicKeyMismatch = fmt.Errorf("%w: public key does not match the private key", ErrCorruptedPickle)
