// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package vzpickle

import (
	"errors"
	"strings"
)

// Error kinds. Every error of this package matches exactly one of them with
// errors.Is; decoding errors are *Error values that also say where.
var (
	// ErrSyntax is malformed JSON (or JSON of the wrong type where a
	// member is expected).
	ErrSyntax = errors.New("vzpickle: malformed JSON")
	// ErrUnknownField is an object member the layout does not have.
	ErrUnknownField = errors.New("vzpickle: unknown member")
	// ErrDuplicateField is an object member given twice.
	ErrDuplicateField = errors.New("vzpickle: duplicate member")
	// ErrMissingField is a required member that is absent.
	ErrMissingField = errors.New("vzpickle: missing member")
	// ErrUnknownVariant is an enum tag vodozemac does not write (for
	// example a signing key that is neither "Normal" nor "Expanded").
	ErrUnknownVariant = errors.New("vzpickle: unknown enum variant")
	// ErrLength is a byte array of the wrong length.
	ErrLength = errors.New("vzpickle: wrong length")
	// ErrRange is a number out of the range of its field.
	ErrRange = errors.New("vzpickle: number out of range")
	// ErrTooMany is a list longer than vodozemac keeps (receiving chains,
	// skipped message keys) or a repeated map key.
	ErrTooMany = errors.New("vzpickle: too many entries")
	// ErrBadKey is an encrypted pickle that does not authenticate under the
	// key: a wrong key or a modified pickle.
	ErrBadKey = errors.New("vzpickle: wrong pickle key or modified pickle")
	// ErrBase64 is an encrypted pickle or a field that is not valid base64.
	ErrBase64 = errors.New("vzpickle: invalid base64")
	// ErrVersion is a dehydrated device pickle of another format version.
	ErrVersion = errors.New("vzpickle: unknown dehydrated device version")
	// ErrDevice is a malformed dehydrated device: a binary pickle that ends
	// early, has data after its end or a flag other than 0 or 1, device
	// data JSON of the wrong shape, or a nonce that is not 12 bytes.
	ErrDevice = errors.New("vzpickle: malformed dehydrated device")
)

// Error is a decoding error: its kind (one of the Err values), the path of
// object members that led to it and a description. It never contains
// pickle data.
type Error struct {
	Kind   error
	Path   string
	Detail string
}

func newError(path []string, kind error, detail string) *Error {
	return &Error{Kind: kind, Path: strings.Join(path, "."), Detail: detail}
}

// Error returns "vzpickle: <path>: <detail>".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("vzpickle: ")
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Detail)
	return b.String()
}

// Unwrap returns the kind.
func (e *Error) Unwrap() error { return e.Kind }
