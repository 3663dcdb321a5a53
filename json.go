// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package newt

import (
	"errors"
	"strconv"
	"strings"

	"github.com/newt-e2ee/newt/internal/canonicaljson"
)

// Errors of the canonical JSON functions, found in the Err field of a
// [*JSONError]. Packages that sign or verify JSON (olm, pk) re-export them.
var (
	// ErrInvalidJSON means the input is not JSON (RFC 8259): bad syntax,
	// trailing data, invalid UTF-8, an unpaired UTF-16 surrogate escape,
	// nesting deeper than [MaxJSONDepth], or a Go value that encoding/json
	// cannot marshal.
	ErrInvalidJSON = errors.New("newt: invalid JSON")

	// ErrJSONNumber means a number is not an integer in [-(2^53-1), 2^53-1],
	// which canonical JSON requires, or, in signed JSON
	// ([CanonicalJSONForSigning], and so every signing and verification), an
	// integer not written as one: 1.0, 1e0 and -0 are refused there, so that
	// a signature covers one text of its numbers. [CanonicalJSON] rewrites
	// such integral values (1e10 as 10000000000, -0 as 0), as the Matrix
	// spec's appendix shows.
	ErrJSONNumber = errors.New("newt: JSON number is not an integer in [-(2^53-1), 2^53-1]")

	// ErrJSONDuplicateKey means an object has the same key twice.
	ErrJSONDuplicateKey = errors.New("newt: duplicate key in JSON object")

	// ErrJSONNotObject means the value to sign or verify is not a JSON
	// object.
	ErrJSONNotObject = errors.New("newt: signed JSON is not an object")
)

// MaxJSONDepth is the deepest nesting of JSON arrays and objects that the
// canonical JSON functions accept.
const MaxJSONDepth = canonicaljson.MaxDepth

// JSONError is the error returned for input that cannot be canonicalised.
// It matches its Err field with [errors.Is]. The input is never quoted in
// the message, since signed JSON may carry private data.
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

// CanonicalJSON returns the Matrix canonical JSON encoding of the JSON text
// data (any JSON value): no insignificant whitespace, object keys sorted by
// code point, only '"', '\' and C0 controls escaped, numbers as integers
// (the Matrix spec, appendix "Canonical JSON"). Errors are [*JSONError].
func CanonicalJSON(data []byte) ([]byte, error) {
	out, err := canonicaljson.Canonicalize(data)
	if err != nil {
		return nil, fromCanonical(err)
	}
	return out, nil
}

// CanonicalJSONForSigning returns the bytes that Matrix signs for the JSON
// object v: its canonical JSON without the top-level "signatures" and
// "unsigned" members (nested ones are kept), as the Matrix spec's appendix
// "Signing JSON" asks. v is JSON text if it is a []byte or json.RawMessage,
// and otherwise a Go value that is first marshalled with encoding/json.
// Unlike [CanonicalJSON], it refuses a number written with a fraction, an
// exponent or as -0, even when its value is an integer (ErrJSONNumber), so
// that no two texts share a signature. Errors are [*JSONError].
func CanonicalJSONForSigning(v any) ([]byte, error) {
	data, err := canonicaljson.Text(v)
	if err != nil {
		return nil, fromCanonical(err)
	}
	out, err := canonicaljson.SigningBytes(data)
	if err != nil {
		return nil, fromCanonical(err)
	}
	return out, nil
}

// fromCanonical maps an error of internal/canonicaljson to a *JSONError.
func fromCanonical(err error) error {
	var ce *canonicaljson.Error
	if !errors.As(err, &ce) {
		return &JSONError{Err: ErrInvalidJSON, Offset: -1}
	}
	je := &JSONError{Offset: ce.Offset}
	switch {
	case ce.Offset < 0:
		je.Err, je.reason = ErrInvalidJSON, ce.Reason
	case errors.Is(err, canonicaljson.ErrNumber):
		je.Err = ErrJSONNumber
	case errors.Is(err, canonicaljson.ErrNumberForm):
		je.Err, je.reason = ErrJSONNumber, "signed JSON requires a plain integer (no fraction, exponent or -0)"
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
