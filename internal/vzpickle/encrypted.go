// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package vzpickle

import (
	"crypto/aes"
	"errors"
	"slices"

	"github.com/newt-e2ee/newt/internal/pickle"
	"github.com/newt-e2ee/newt/internal/scratch"
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

// EncryptString is [Encrypt] for a JSON form that appendJSON writes: the
// JSON is built in a pooled buffer of about sizeHint bytes, sealed in
// place, and the buffer is cleared; only the returned text is allocated.
func EncryptString(key []byte, sizeHint int, appendJSON func([]byte) []byte) (string, error) {
	if len(key) != KeySize {
		return "", ErrKeySize
	}
	buf := pickle.GetBuffer(sizeHint)
	defer pickle.PutBuffer(buf)
	j := appendJSON((*buf)[:0])
	j = slices.Grow(j, aes.BlockSize+8) // room for the padding and the MAC
	*buf = j
	out := pickle.AppendSeal(make([]byte, 0, pickle.EncryptedLen(len(j))), key, j)
	return scratch.String(out), nil
}

// DecryptString authenticates and decrypts the encrypted form p into a
// pooled buffer, calls parse on the JSON, and clears the buffer. Errors are
// those of [Decrypt], or parse's.
func DecryptString(key []byte, p string, parse func([]byte) error) error {
	if len(key) != KeySize {
		return ErrKeySize
	}
	buf := pickle.GetBuffer(len(p))
	defer pickle.PutBuffer(buf)
	j, err := pickle.Open(buf, key, scratch.StringBytes(p))
	switch {
	case err == nil:
		return parse(j)
	case errors.Is(err, pickle.ErrInvalidBase64):
		return ErrBase64
	}
	return ErrBadKey
}
