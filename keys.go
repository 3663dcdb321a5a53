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
	"github.com/newt-e2ee/newt/internal/pickle"
	"github.com/newt-e2ee/newt/internal/scratch"
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
	// WideKeyIDSize is the size in bytes of a vodozemac key ID (a big-endian
	// uint64).
	WideKeyIDSize = 8
)

// ErrInvalidKey is returned (wrapped) when a key or signature has the wrong
// length.
var ErrInvalidKey = errors.New("newt: invalid key length")

// ErrInvalidBase64 is returned (wrapped) when a key, signature or key ID is
// not valid unpadded standard base64.
var ErrInvalidBase64 = errors.New("newt: invalid base64")

// Pickle errors, shared by every package that reads libolm pickles (olm,
// megolm, pk, ratchet re-export them under the same names), so one errors.Is
// works whichever object was pickled. An error from a failed load matches
// exactly one of them.
var (
	// ErrBadPickleKey means a pickle failed authentication: a wrong pickle
	// key or a tampered pickle (libolm: BAD_ACCOUNT_KEY).
	ErrBadPickleKey = pickle.ErrBadKey
	// ErrCorruptedPickle means a pickle could not be decoded: not base64,
	// an envelope of impossible length, or an authenticated plaintext that
	// is truncated, has trailing data or holds an invalid value (libolm:
	// CORRUPTED_PICKLE, OLM_PICKLE_EXTRA_DATA, INVALID_BASE64).
	ErrCorruptedPickle = pickle.ErrCorrupted
	// ErrUnknownPickleVersion means a pickle's layout version is not one the
	// loader reads (libolm: UNKNOWN_PICKLE_VERSION).
	ErrUnknownPickleVersion = pickle.ErrUnknownVersion
)

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

// KeyID identifies a one-time or fallback key of a device. Devices number
// their keys with a counter shared by one-time and fallback keys, and
// publish the ID as the unpadded base64 of the counter in big-endian order.
// libolm (and newt's accounts) count with 32 bits, written as six characters
// ("AAAAAQ" for 1); vodozemac counts with 64 bits, written as eleven
// ("AAAAAAAAAAE" for 1). A KeyID keeps the width it was made or parsed with,
// so [KeyID.String] gives back the text the device published, and two IDs
// are equal (==) only if both value and width are. The zero value is the
// 32-bit ID 0.
type KeyID struct {
	n    uint64
	wide bool
}

// NewKeyID returns the 32-bit (libolm) key ID n.
func NewKeyID(n uint32) KeyID { return KeyID{n: uint64(n)} }

// NewWideKeyID returns the 64-bit (vodozemac) key ID n.
func NewWideKeyID(n uint64) KeyID { return KeyID{n: n, wide: true} }

// Uint64 returns the ID's counter value.
func (id KeyID) Uint64() uint64 { return id.n }

// IsWide reports whether the ID is in vodozemac's 64-bit form.
func (id KeyID) IsWide() bool { return id.wide }

// String returns the unpadded base64 form: six characters for a 32-bit ID,
// eleven for a wide one.
func (id KeyID) String() string {
	if id.wide {
		var b [WideKeyIDSize]byte
		binary.BigEndian.PutUint64(b[:], id.n)
		return b64.EncodeToString(b[:])
	}
	var b [KeyIDSize]byte
	binary.BigEndian.PutUint32(b[:], uint32(id.n))
	return b64.EncodeToString(b[:])
}

// ParseKeyID parses either form written by [KeyID.String]: six characters
// (a 32-bit ID) or eleven (a wide one), strict unpadded base64.
func ParseKeyID(s string) (KeyID, error) {
	if len(s) == b64.EncodedLen(WideKeyIDSize) {
		var b [WideKeyIDSize]byte
		if err := parseFixed(b[:], s, "key ID"); err != nil {
			return KeyID{}, err
		}
		return NewWideKeyID(binary.BigEndian.Uint64(b[:])), nil
	}
	var b [KeyIDSize]byte
	if err := parseFixed(b[:], s, "key ID"); err != nil {
		return KeyID{}, err
	}
	return NewKeyID(binary.BigEndian.Uint32(b[:])), nil
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

// DecodeSecret decodes a secret given as base64 text, such as a pickle key
// kept in a configuration file: standard alphabet, padded or unpadded,
// decoded in constant time with respect to its content. The caller owns the
// result and should clear it when done. An error matches [ErrInvalidBase64]
// and does not contain the text.
func DecodeSecret(s string) ([]byte, error) {
	b, err := b64.DecodeStringPadded(s)
	if err != nil {
		return nil, ErrInvalidBase64
	}
	return b, nil
}

// PickleVersion decrypts a pickle in libolm's format (any object: account,
// session, group sessions, pk decryption) with key and returns the layout
// version its plaintext starts with (a big-endian uint32), without decoding
// the layout. It is for tools that must tell pickles apart before choosing
// a loader; the loaders check the version themselves. Errors match
// [ErrBadPickleKey] (wrong key or tampered pickle) or [ErrCorruptedPickle]
// (not base64, an impossible length, or a plaintext shorter than four
// bytes).
func PickleVersion(p string, key []byte) (uint32, error) {
	buf := pickle.GetBuffer(len(p))
	defer pickle.PutBuffer(buf)
	plain, err := pickle.Open(buf, key, scratch.StringBytes(p))
	if err != nil {
		return 0, err
	}
	if len(plain) < 4 {
		return 0, fmt.Errorf("%w: no version", ErrCorruptedPickle)
	}
	return binary.BigEndian.Uint32(plain), nil
}
