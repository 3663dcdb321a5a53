// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package newt

import (
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/newt-e2ee/newt/internal/b64"
)

const (
	// Curve25519KeySize is the size in bytes of a Curve25519 public key.
	Curve25519KeySize = 32
	// Ed25519KeySize is the size in bytes of an Ed25519 public key.
	Ed25519KeySize = 32
	// Ed25519SignatureSize is the size in bytes of an Ed25519 signature.
	Ed25519SignatureSize = 64
	// KeyIDSize is the size in bytes of a libolm key ID (a big-endian uint32).
	KeyIDSize = 4
)

// ErrInvalidKey is returned (wrapped) when a key or signature has the wrong
// length.
var ErrInvalidKey = errors.New("newt: invalid key length")

// ErrInvalidBase64 is returned (wrapped) when a key, signature or key ID is
// not valid unpadded standard base64.
var ErrInvalidBase64 = errors.New("newt: invalid base64")

// Curve25519PublicKey is a Curve25519 (X25519) public key: an identity key,
// one-time key, fallback key, base key or ratchet key. The zero value is the
// all-zero key, which no honest party uses.
//
// Values are comparable with ==; Equal compares in constant time.
type Curve25519PublicKey struct{ k [Curve25519KeySize]byte }

// NewCurve25519PublicKey returns the key whose 32-byte encoding is b.
// No point validation is done here: low-order keys are rejected where they
// are used, as a non-contributory Diffie-Hellman result.
func NewCurve25519PublicKey(b []byte) (Curve25519PublicKey, error) {
	var k Curve25519PublicKey
	if len(b) != Curve25519KeySize {
		return k, fmt.Errorf("%w: Curve25519 key of %d bytes, want %d", ErrInvalidKey, len(b), Curve25519KeySize)
	}
	copy(k.k[:], b)
	return k, nil
}

// Curve25519PublicKeyFromArray returns the key whose encoding is b.
func Curve25519PublicKeyFromArray(b [Curve25519KeySize]byte) Curve25519PublicKey {
	return Curve25519PublicKey{b}
}

// ParseCurve25519PublicKey parses the unpadded base64 form (43 characters).
func ParseCurve25519PublicKey(s string) (Curve25519PublicKey, error) {
	var k Curve25519PublicKey
	err := parseFixed(k.k[:], s, "Curve25519 key")
	return k, err
}

// Bytes returns a copy of the 32-byte encoding.
func (k Curve25519PublicKey) Bytes() []byte { return append([]byte(nil), k.k[:]...) }

// Array returns the 32-byte encoding.
func (k Curve25519PublicKey) Array() [Curve25519KeySize]byte { return k.k }

// String returns the unpadded base64 form (43 characters).
func (k Curve25519PublicKey) String() string { return b64.EncodeToString(k.k[:]) }

// Equal reports whether k and o are the same key, in constant time.
func (k Curve25519PublicKey) Equal(o Curve25519PublicKey) bool {
	return subtle.ConstantTimeCompare(k.k[:], o.k[:]) == 1
}

// IsZero reports whether k is the all-zero key (for example an unset value).
func (k Curve25519PublicKey) IsZero() bool { return k == Curve25519PublicKey{} }

// Ed25519PublicKey is an Ed25519 public key: a device fingerprint key, a
// Megolm session signing key or a cross-signing key. Values are comparable
// with ==; Equal compares in constant time.
type Ed25519PublicKey struct{ k [Ed25519KeySize]byte }

// NewEd25519PublicKey returns the key whose 32-byte encoding is b. The point
// itself is validated (canonical, not of small order) where it is used to
// verify signatures.
func NewEd25519PublicKey(b []byte) (Ed25519PublicKey, error) {
	var k Ed25519PublicKey
	if len(b) != Ed25519KeySize {
		return k, fmt.Errorf("%w: Ed25519 key of %d bytes, want %d", ErrInvalidKey, len(b), Ed25519KeySize)
	}
	copy(k.k[:], b)
	return k, nil
}

// Ed25519PublicKeyFromArray returns the key whose encoding is b.
func Ed25519PublicKeyFromArray(b [Ed25519KeySize]byte) Ed25519PublicKey {
	return Ed25519PublicKey{b}
}

// ParseEd25519PublicKey parses the unpadded base64 form (43 characters).
func ParseEd25519PublicKey(s string) (Ed25519PublicKey, error) {
	var k Ed25519PublicKey
	err := parseFixed(k.k[:], s, "Ed25519 key")
	return k, err
}

// Bytes returns a copy of the 32-byte encoding.
func (k Ed25519PublicKey) Bytes() []byte { return append([]byte(nil), k.k[:]...) }

// Array returns the 32-byte encoding.
func (k Ed25519PublicKey) Array() [Ed25519KeySize]byte { return k.k }

// String returns the unpadded base64 form (43 characters).
func (k Ed25519PublicKey) String() string { return b64.EncodeToString(k.k[:]) }

// Equal reports whether k and o are the same key, in constant time.
func (k Ed25519PublicKey) Equal(o Ed25519PublicKey) bool {
	return subtle.ConstantTimeCompare(k.k[:], o.k[:]) == 1
}

// IsZero reports whether k is the all-zero key (for example an unset value).
func (k Ed25519PublicKey) IsZero() bool { return k == Ed25519PublicKey{} }

// Ed25519Signature is an Ed25519 signature, R ‖ S.
type Ed25519Signature struct{ s [Ed25519SignatureSize]byte }

// NewEd25519Signature returns the signature whose 64-byte encoding is b.
func NewEd25519Signature(b []byte) (Ed25519Signature, error) {
	var s Ed25519Signature
	if len(b) != Ed25519SignatureSize {
		return s, fmt.Errorf("%w: Ed25519 signature of %d bytes, want %d", ErrInvalidKey, len(b), Ed25519SignatureSize)
	}
	copy(s.s[:], b)
	return s, nil
}

// Ed25519SignatureFromArray returns the signature whose encoding is b.
func Ed25519SignatureFromArray(b [Ed25519SignatureSize]byte) Ed25519Signature {
	return Ed25519Signature{b}
}

// ParseEd25519Signature parses the unpadded base64 form (86 characters).
func ParseEd25519Signature(s string) (Ed25519Signature, error) {
	var sig Ed25519Signature
	err := parseFixed(sig.s[:], s, "Ed25519 signature")
	return sig, err
}

// Bytes returns a copy of the 64-byte encoding.
func (s Ed25519Signature) Bytes() []byte { return append([]byte(nil), s.s[:]...) }

// Array returns the 64-byte encoding.
func (s Ed25519Signature) Array() [Ed25519SignatureSize]byte { return s.s }

// String returns the unpadded base64 form (86 characters).
func (s Ed25519Signature) String() string { return b64.EncodeToString(s.s[:]) }

// Equal reports whether s and o are the same signature, in constant time.
func (s Ed25519Signature) Equal(o Ed25519Signature) bool {
	return subtle.ConstantTimeCompare(s.s[:], o.s[:]) == 1
}

// KeyID identifies a one-time or fallback key of an account. libolm numbers
// keys from 1 with a counter shared by one-time and fallback keys, and writes
// the ID as the unpadded base64 of its 4-byte big-endian encoding, always six
// characters ("AAAAAQ" for 1).
type KeyID uint32

// String returns the six-character unpadded base64 form.
func (id KeyID) String() string {
	var b [KeyIDSize]byte
	binary.BigEndian.PutUint32(b[:], uint32(id))
	return b64.EncodeToString(b[:])
}

// ParseKeyID parses the six-character form written by [KeyID.String].
func ParseKeyID(s string) (KeyID, error) {
	var b [KeyIDSize]byte
	if err := parseFixed(b[:], s, "key ID"); err != nil {
		return 0, err
	}
	return KeyID(binary.BigEndian.Uint32(b[:])), nil
}

// parseFixed decodes the strict unpadded base64 s into exactly len(dst) bytes.
func parseFixed(dst []byte, s, what string) error {
	if len(s) != b64.EncodedLen(len(dst)) {
		return fmt.Errorf("%w: %s of %d characters, want %d", ErrInvalidKey, what, len(s), b64.EncodedLen(len(dst)))
	}
	n, err := b64.Decode(dst, []byte(s))
	if err != nil {
		clear(dst)
		return fmt.Errorf("%w: %s: %w", ErrInvalidBase64, what, err)
	}
	if n != len(dst) {
		clear(dst)
		return fmt.Errorf("%w: %s", ErrInvalidKey, what)
	}
	return nil
}
