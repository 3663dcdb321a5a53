// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package pk

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/internal/canonicaljson"
	"github.com/newt-e2ee/newt/internal/ed25519x"
)

// SeedSize is the length of an Ed25519 seed for [NewSigningFromSeed]
// (libolm's olm_pk_signing_seed_length).
const SeedSize = ed25519x.SeedSize

// Signing is an Ed25519 signing key made from a 32-byte seed, libolm's
// PkSigning: a cross-signing master, self-signing or user-signing key. It is
// immutable after creation and safe for concurrent use.
type Signing struct {
	seed [SeedSize]byte
	key  *ed25519x.PrivateKey // pub ‖ expanded sk64, as libolm holds it
}

// NewSigning returns a Signing with a new random seed read from crypto/rand.
func NewSigning() *Signing {
	var seed [SeedSize]byte
	rand.Read(seed[:]) // never fails since Go 1.24 (it crashes the program instead)
	s := newSigning(&seed)
	clear(seed[:])
	return s
}

// NewSigningFromSeed returns the Signing for a 32-byte seed, for example a
// cross-signing key recovered from secret storage
// (olm_pk_signing_key_from_seed). The key pair is the RFC 8032 one, expanded
// as libolm expands it. The input is copied.
func NewSigningFromSeed(seed []byte) (*Signing, error) {
	if len(seed) != SeedSize {
		return nil, fmt.Errorf("%w: seed of %d bytes, want %d", ErrInvalidKey, len(seed), SeedSize)
	}
	var s [SeedSize]byte
	copy(s[:], seed)
	k := newSigning(&s)
	clear(s[:])
	return k, nil
}

// newSigning is the deterministic core of the constructors.
func newSigning(seed *[SeedSize]byte) *Signing {
	return &Signing{seed: *seed, key: ed25519x.NewKeyFromSeed(seed)}
}

// Seed returns a copy of the 32-byte seed, the form Matrix keeps in secret
// storage. The copy belongs to the caller, who should clear it when done.
func (s *Signing) Seed() []byte {
	return append([]byte(nil), s.seed[:]...)
}

// PublicKey returns the Ed25519 public key.
func (s *Signing) PublicKey() newt.Ed25519PublicKey {
	return newt.Ed25519PublicKeyFromArray(s.key.Public())
}

// Sign signs msg (olm_pk_sign). Ed25519 signatures are deterministic; they
// are byte-identical to libolm's.
func (s *Signing) Sign(msg []byte) newt.Ed25519Signature {
	return newt.Ed25519SignatureFromArray(s.key.Sign(msg))
}

// SignJSON signs the Matrix canonical JSON form of v without its top-level
// "signatures" and "unsigned" members ([CanonicalJSONForSigning]), as the
// Matrix spec's "Signing JSON" asks. The caller adds the signature to v's
// signatures map under its entity and "ed25519:<key id>".
//
// v is JSON text if it is a []byte or json.RawMessage, and otherwise a Go
// value that is first marshalled with encoding/json. Errors are
// [*JSONError].
func (s *Signing) SignJSON(v any) (newt.Ed25519Signature, error) {
	msg, err := CanonicalJSONForSigning(v)
	if err != nil {
		return newt.Ed25519Signature{}, err
	}
	return s.Sign(msg), nil
}

// String describes s without secrets: its public key. It and Format have
// value receivers so that formatting a Signing value prints no secret
// either.
func (s Signing) String() string {
	if s.key == nil {
		return "pk.Signing{}"
	}
	return "pk.Signing{public: " + s.PublicKey().String() + "}"
}

// GoString is String, so that %#v prints no secret either.
func (s Signing) GoString() string { return s.String() }

// Format implements fmt.Formatter: every verb (%v, %x, %d, ...) prints
// String, never the fields.
func (s Signing) Format(f fmt.State, _ rune) { io.WriteString(f, s.String()) }

// VerifySignature reports, as a nil error, whether sig is a valid signature
// of msg by key. Verification is strict, as vodozemac's: S < L, and neither
// key nor R is non-canonical or of small order. libolm also accepts
// signatures with S >= L (CVE-2024-45193). Failures are [ErrBadSignature].
func VerifySignature(key newt.Ed25519PublicKey, msg []byte, sig newt.Ed25519Signature) error {
	k, s := key.Array(), sig.Array()
	if !ed25519x.Verify(k[:], msg, s[:]) {
		return ErrBadSignature
	}
	return nil
}

// VerifyJSON reports, as a nil error, whether sig is key's signature of the
// JSON object v (as made by [Signing.SignJSON]): it verifies sig over
// [CanonicalJSONForSigning] of v with the strict rules of [VerifySignature].
// v is read as by SignJSON. Errors are [*JSONError] or [ErrBadSignature].
func VerifyJSON(v any, key newt.Ed25519PublicKey, sig newt.Ed25519Signature) error {
	msg, err := CanonicalJSONForSigning(v)
	if err != nil {
		return err
	}
	return VerifySignature(key, msg, sig)
}

// VerifySignedJSON checks the signature that a signed JSON object carries
// in its own signatures map, at signatures[entity][keyID] (for example
// entity "@alice:example.org" and keyID "ed25519:DEVICEID"), under key. It
// follows the spec's "Checking for a Signature": a missing entry or a
// signature that is not strict unpadded base64 is [ErrBadSignature].
func VerifySignedJSON(v any, entity, keyID string, key newt.Ed25519PublicKey) error {
	data, err := jsonText(v)
	if err != nil {
		return err
	}
	msg, err := canonicaljson.SigningBytes(data)
	if err != nil {
		return fromCanonical(err)
	}
	// data passed the strict parser, so encoding/json reads the same
	// (duplicate-free, valid UTF-8) document.
	// A map, not a struct: encoding/json matches struct field names
	// case-insensitively, and only "signatures" itself is the signatures.
	var top map[string]json.RawMessage
	var sigs map[string]map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return fmt.Errorf("%w: %w", ErrBadSignature, err)
	}
	if s, ok := top["signatures"]; ok {
		if err := json.Unmarshal(s, &sigs); err != nil {
			return fmt.Errorf("%w: signatures: %w", ErrBadSignature, err)
		}
	}
	raw, ok := sigs[entity][keyID]
	if !ok {
		return fmt.Errorf("%w: no signature by %q with key %q", ErrBadSignature, entity, keyID)
	}
	var text string
	if err := json.Unmarshal(raw, &text); err != nil {
		return fmt.Errorf("%w: signature is not a string", ErrBadSignature)
	}
	sig, err := newt.ParseEd25519Signature(text)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrBadSignature, err)
	}
	return VerifySignature(key, msg, sig)
}

// CanonicalJSON returns the Matrix canonical JSON encoding of the JSON text
// data (any JSON value): no insignificant whitespace, object keys sorted by
// code point, only '"', '\' and C0 controls escaped, numbers as integers.
// See the package doc and the Matrix spec appendix "Canonical JSON". Errors are
// [*JSONError].
func CanonicalJSON(data []byte) ([]byte, error) {
	out, err := canonicaljson.Canonicalize(data)
	if err != nil {
		return nil, fromCanonical(err)
	}
	return out, nil
}

// CanonicalJSONForSigning returns the bytes that Matrix signs for the JSON
// object v: its canonical JSON without the top-level "signatures" and
// "unsigned" members (nested ones are kept). v is read as by
// [Signing.SignJSON]. Errors are [*JSONError].
func CanonicalJSONForSigning(v any) ([]byte, error) {
	data, err := jsonText(v)
	if err != nil {
		return nil, err
	}
	out, err := canonicaljson.SigningBytes(data)
	if err != nil {
		return nil, fromCanonical(err)
	}
	return out, nil
}

// jsonText returns v itself if it is JSON text ([]byte or json.RawMessage)
// and its encoding/json marshalling otherwise.
func jsonText(v any) ([]byte, error) {
	switch t := v.(type) {
	case []byte:
		return t, nil
	case json.RawMessage:
		return t, nil
	}
	data, err := json.Marshal(v)
	if err != nil {
		return nil, &JSONError{Err: ErrInvalidJSON, Offset: -1, reason: err.Error()}
	}
	return data, nil
}
