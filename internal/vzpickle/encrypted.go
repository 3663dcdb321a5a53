// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package vzpickle

import (
	"errors"

	"github.com/newt-e2ee/newt/internal/pickle"
)

// KeySize is the size of the key of an encrypted pickle: vodozemac's
// *Pickle::encrypt takes exactly 32 bytes.
const KeySize = 32

// ErrKeySize is a pickle key that is not KeySize bytes long.
var ErrKeySize = errors.New("vzpickle: pickle key must be 32 bytes")

// Encrypt returns the encrypted form of a pickle's JSON, as vodozemac's
// *Pickle::encrypt writes it: libolm's pickle cipher (HKDF-SHA-256 "Pickle"
// → AES-256-CBC and an 8-byte HMAC-SHA-256 over the ciphertext, unpadded
// base64) around the JSON. The same key and JSON always give the same text.
func Encrypt(key, json []byte) ([]byte, error) {
	if len(key) != KeySize {
		return nil, ErrKeySize
	}
	return pickle.Encrypt(key, json), nil
}

// Decrypt authenticates and decrypts the encrypted form of a pickle and
// returns its JSON (not yet parsed). It fails with ErrKeySize, ErrBase64
// or ErrBadKey (a wrong key, or any change to the text).
func Decrypt(key, p []byte) ([]byte, error) {
	if len(key) != KeySize {
		return nil, ErrKeySize
	}
	out, err := pickle.Decrypt(key, p)
	switch {
	case err == nil:
		return out, nil
	case errors.Is(err, pickle.ErrInvalidBase64):
		return nil, ErrBase64
	}
	return nil, ErrBadKey
}
