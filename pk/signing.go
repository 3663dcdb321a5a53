// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package pk

import (
	"crypto/rand"
	"encoding/json"
	"fmt"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/internal/b64"
	"github.com/newt-e2ee/newt/internal/canonicaljson"
	"github.com/newt-e2ee/newt/internal/ed25519x"
	"github.com/newt-e2ee/newt/internal/redact"
)

// SeedSize is the length of an Ed25519 seed for [NewSigning]
// (libolm's olm_pk_signing_seed_length).
const SeedSize = ed25519x.SeedSize

// Signing is an Ed25519 signing key made from a 32-byte seed, libolm's
// PkSigning: a cross-signing master, self-signing or user-signing key. It is
// immutable after creation and safe for concurrent use.
type Signing struct {
	// keys is in a Box: no position of a Signing, not even an unexported
	// field that fmt prints by reflection, prints the seed or the key
	// (internal/redact). It is never written after creation, so copies may
	// share it.
	keys redact.Box[signingKeys]
}

// signingKeys is the secret content of a Signing.
type signingKeys struct {
	seed [SeedSize]byte
	key  *ed25519x.PrivateKey // pub ‖ expanded sk64, as libolm holds it
}

// GenerateSigning returns a Signing with a new random seed read from crypto/rand.
func GenerateSigning() *Signing {
	var seed [SeedSize]byte
	rand.Read(seed[:]) // never fails since Go 1.24 (it crashes the program instead)
	s := newSigning(&seed)
	clear(seed[:])
	return s
}

// NewSigning returns the Signing for a 32-byte seed, for example a
// cross-signing key recovered from secret storage
// (olm_pk_signing_key_from_seed). The key pair is the RFC 8032 one, expanded
// as libolm expands it. The input is copied.
func NewSigning(seed []byte) (*Signing, error) {
	if len(seed) != SeedSize {
		return nil, fmt.Errorf("%w: seed of %d bytes, want %d", ErrInvalidKey, len(seed), SeedSize)
	}
	var s [SeedSize]byte
	copy(s[:], seed)
	k := newSigning(&s)
	clear(s[:])
	return k, nil
}

// ParseSigning is [NewSigning] for the base64 form of the seed, the form
// secret storage keeps cross-signing keys in: standard alphabet, padded or
// unpadded, decoded in constant time. Errors match [ErrInvalidBase64] or
// [ErrInvalidKey]; neither names the seed.
func ParseSigning(s string) (*Signing, error) {
	seed, err := b64.DecodeStringPadded(s)
	if err != nil {
		return nil, fmt.Errorf("%w: seed", ErrInvalidBase64)
	}
	defer clear(seed)
	return NewSigning(seed)
}

// newSigning is the deterministic core of the constructors.
func newSigning(seed *[SeedSize]byte) *Signing {
	s := &Signing{keys: redact.NewBox[signingKeys]()}
	k := s.keys.Get()
	k.seed, k.key = *seed, ed25519x.NewKeyFromSeed(seed)
	return s
}

// Seed returns a copy of the 32-byte seed, the form Matrix keeps in secret
// storage. The copy belongs to the caller, who should clear it when done.
func (s *Signing) Seed() []byte {
	k := s.keys.Get()
	if k == nil {
		return make([]byte, SeedSize)
	}
	return append([]byte(nil), k.seed[:]...)
}

// PublicKey returns the Ed25519 public key.
func (s *Signing) PublicKey() newt.Ed25519PublicKey {
	return newt.Ed25519PublicKeyFromArray(s.keys.Get().key.Public())
}

// Sign signs msg (olm_pk_sign). Ed25519 signatures are deterministic; they
// are byte-identical to libolm's.
func (s *Signing) Sign(msg []byte) newt.Ed25519Signature {
	return newt.Ed25519SignatureFromArray(s.keys.Get().key.Sign(msg))
}

// SignJSON signs the Matrix canonical JSON form of v without its top-level
// "signatures" and "unsigned" members ([newt.CanonicalJSONForSigning]), as the
// Matrix spec's "Signing JSON" asks. The caller adds the signature to v's
// signatures map under its entity and "ed25519:<key id>".
//
// v is JSON text if it is a []byte or json.RawMessage, and otherwise a Go
// value that is first marshalled with encoding/json. Errors are
// [*JSONError].
func (s *Signing) SignJSON(v any) (newt.Ed25519Signature, error) {
	msg, err := newt.CanonicalJSONForSigning(v)
	if err != nil {
		return newt.Ed25519Signature{}, err
	}
	return s.Sign(msg), nil
}

// String describes s without secrets: its public key. It and Format have
// value receivers so that formatting a Signing value prints no secret
// either.
func (s Signing) String() string {
	if s.keys.Get() == nil {
		return "pk.Signing{}"
	}
	return "pk.Signing{public: " + s.PublicKey().String() + "}"
}

// GoString is String, so that %#v prints no secret either.
func (s Signing) GoString() string { return s.String() }

// Format implements fmt.Formatter: every verb formats the description of
// String (as it is for %#v, else as fmt formats a string for the verb),
// never the fields.
func (s Signing) Format(f fmt.State, verb rune) { redact.Format(f, verb, s.String()) }

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
// [newt.CanonicalJSONForSigning] of v with the strict rules of [VerifySignature].
// v is read as by SignJSON. Errors are [*JSONError] or [ErrBadSignature].
func VerifyJSON(v any, key newt.Ed25519PublicKey, sig newt.Ed25519Signature) error {
	msg, err := newt.CanonicalJSONForSigning(v)
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
	msg, err := newt.CanonicalJSONForSigning(v)
	if err != nil {
		return err
	}
	data, err := canonicaljson.Text(v) // marshalled once already: cannot fail
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidJSON, err)
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
