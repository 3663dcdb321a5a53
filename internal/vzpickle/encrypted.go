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
	return Open(&ownErrors, key, string(p), func(json []byte) ([]byte, error) {
		return slices.Clone(json), nil
	})
}

// ownErrors are this package's errors of the encrypted form.
var ownErrors = Errors{KeySize: ErrKeySize, Base64: ErrBase64, BadKey: ErrBadKey}

// Pickle is a pickle of this package that a caller writes and seals:
// *Account, *Session, *GroupSession or *InboundGroupSession.
type Pickle interface {
	// JSONLen returns a size hint for AppendJSON's output.
	JSONLen() int
	// AppendJSON appends the pickle's JSON, as serde_json writes it.
	AppendJSON(dst []byte) []byte
	// Clear overwrites the pickle's secrets.
	Clear()
}

// AppendAndClear appends p's JSON to dst, growing dst once, and clears p.
func AppendAndClear(dst []byte, p Pickle) []byte {
	dst = appendJSON(dst, p)
	p.Clear()
	return dst
}

// appendJSON appends p's JSON to dst, growing dst once by p's size hint.
// The JSON holds secrets: if the hint was short and AppendJSON moved on to
// a larger array, what it had written into the old one is cleared.
func appendJSON(dst []byte, p Pickle) []byte {
	dst = slices.Grow(dst, p.JSONLen())
	out := p.AppendJSON(dst)
	if spare := dst[len(dst):cap(dst)]; len(spare) > 0 && len(out) > len(dst) && &spare[0] != &out[len(dst)] {
		clear(spare)
	}
	return out
}

// growSecret is slices.Grow for a slice that holds secrets: if the slice
// has to move to a larger array, the old one is cleared.
func growSecret(b []byte, n int) []byte {
	if n <= cap(b)-len(b) {
		return b
	}
	grown := slices.Grow(b, n)
	clear(b[:cap(b)])
	return grown
}

// Errors are the errors a package that offers the encrypted form (olm,
// megolm) reports for it, so that they carry its name.
type Errors struct {
	KeySize error // the key is not KeySize bytes
	Base64  error // the text is not base64
	BadKey  error // a wrong key, or any change to the text
}

// Seal returns the encrypted form of p, as [Encrypt] writes it, and clears
// p. The JSON is built in a pooled buffer, sealed in place, and the buffer
// is cleared; only the returned text is allocated. The only error is
// e.KeySize.
func (e *Errors) Seal(key []byte, p Pickle) (string, error) {
	defer p.Clear()
	if len(key) != KeySize {
		return "", e.KeySize
	}
	buf := pickle.GetBuffer(p.JSONLen())
	defer pickle.PutBuffer(buf)
	j := appendJSON((*buf)[:0], p)
	j = growSecret(j, aes.BlockSize+8) // room for the padding and the MAC
	*buf = j
	out := pickle.AppendSeal(make([]byte, 0, pickle.EncryptedLen(len(j))), key, j)
	return scratch.String(out), nil
}

// Open authenticates and decrypts the encrypted form text into a pooled
// buffer, returns what parse makes of the JSON, and clears the buffer. It
// fails with e.KeySize, e.Base64 or e.BadKey ([Decrypt]'s cases), or with
// parse's error.
func Open[T any](e *Errors, key []byte, text string, parse func(json []byte) (T, error)) (T, error) {
	var none T
	if len(key) != KeySize {
		return none, e.KeySize
	}
	buf := pickle.GetBuffer(len(text))
	defer pickle.PutBuffer(buf)
	j, err := pickle.Open(buf, key, scratch.StringBytes(text))
	switch {
	case err == nil:
		return parse(j)
	case errors.Is(err, pickle.ErrInvalidBase64):
		return none, e.Base64
	}
	return none, e.BadKey
}
