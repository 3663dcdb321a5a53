// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package backend

import (
	molm "maunium.net/go/mautrix/crypto/olm"
	"maunium.net/go/mautrix/id"

	"github.com/newt-e2ee/newt/pk"
)

// PKSigning is mautrix's olm.PKSigning (a cross-signing key) on a newt
// [pk.Signing]. It is immutable and safe for concurrent use. The zero value
// holds no key: its Sign and SignJSON fail with [ErrBlank].
type PKSigning struct {
	s *pk.Signing
}

var _ molm.PKSigning = (*PKSigning)(nil)

// GeneratePKSigning returns a signing key from a new random seed.
func GeneratePKSigning() *PKSigning {
	return &PKSigning{s: pk.GenerateSigning()}
}

// NewPKSigning returns the signing key of a 32-byte seed (libolm's
// olm_pk_signing_key_from_seed). A seed of another length matches
// crypto/olm.ErrBadInput (and newt's pk.ErrInvalidKey).
func NewPKSigning(seed []byte) (*PKSigning, error) {
	s, err := pk.NewSigning(seed)
	if err != nil {
		return nil, mapErr(err)
	}
	return &PKSigning{s: s}, nil
}

// Newt returns the newt signing key inside s, or nil for the zero value.
func (s *PKSigning) Newt() *pk.Signing { return s.s }

// Seed returns a copy of the 32-byte seed, or nil for the zero value.
func (s *PKSigning) Seed() []byte {
	if s.s == nil {
		return nil
	}
	return s.s.Seed()
}

// PublicKey returns the Ed25519 public key in unpadded base64, or "" for the
// zero value.
func (s *PKSigning) PublicKey() id.Ed25519 {
	if s.s == nil {
		return ""
	}
	return id.Ed25519(s.s.PublicKey().String())
}

// Sign returns the unpadded base64 signature of message (libolm's
// olm_pk_sign).
func (s *PKSigning) Sign(message []byte) ([]byte, error) {
	if s.s == nil {
		return nil, ErrBlank
	}
	return encodeSignature(s.s.Sign(message)), nil
}

// SignJSON returns the unpadded base64 signature of the JSON object obj as
// the Matrix spec's "Signing JSON" asks: of its canonical JSON without the
// top-level "signatures" and "unsigned" members. obj is JSON text if it is a
// []byte or json.RawMessage, otherwise a Go value marshalled with
// encoding/json. Errors are newt's *newt.JSONError.
func (s *PKSigning) SignJSON(obj any) (string, error) {
	if s.s == nil {
		return "", ErrBlank
	}
	sig, err := s.s.SignJSON(obj)
	if err != nil {
		return "", err
	}
	return sig.String(), nil
}
