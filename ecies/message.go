// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package ecies

import (
	"strings"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/internal/b64"
	"github.com/newt-e2ee/newt/internal/scratch"
)

// InitialMessage is the first message of a channel: the initiator's public
// key and its first ciphertext. Its text form is b64(ciphertext) "|"
// b64(public key), unpadded base64 (vodozemac's InitialMessage::encode).
type InitialMessage struct {
	pub [32]byte
	ct  []byte
}

// ParseInitialMessage decodes the text form. Both parts must be strict
// unpadded base64 and the key 32 bytes; otherwise it returns an error
// matching [ErrBadMessageFormat]. (vodozemac also accepts padded base64;
// it never writes it.)
func ParseInitialMessage(s string) (*InitialMessage, error) {
	ct, key, ok := strings.Cut(s, "|")
	if !ok {
		return nil, ErrBadMessageFormat
	}
	m := new(InitialMessage)
	if len(key) != 43 {
		return nil, ErrBadMessageFormat
	}
	if n, err := b64.DecodePublic(m.pub[:], scratch.StringBytes(key)); err != nil || n != 32 {
		return nil, ErrBadMessageFormat
	}
	var err error
	if m.ct, err = b64.DecodeStringPublic(ct); err != nil {
		return nil, ErrBadMessageFormat
	}
	return m, nil
}

// PublicKey returns the initiator's public key the message carries.
func (m *InitialMessage) PublicKey() newt.Curve25519PublicKey {
	return newt.Curve25519PublicKeyFromArray(m.pub)
}

// String returns the text form.
func (m *InitialMessage) String() string {
	return b64.EncodeToString(m.ct) + "|" + b64.EncodeToString(m.pub[:])
}

// Message is a message of an established channel: the ChaCha20-Poly1305
// ciphertext and tag. Its text form is unpadded base64.
type Message struct {
	ct []byte
}

// ParseMessage decodes the text form (strict unpadded base64, else an
// error matching [ErrBadMessageFormat]).
func ParseMessage(s string) (*Message, error) {
	ct, err := b64.DecodeStringPublic(s)
	if err != nil {
		return nil, ErrBadMessageFormat
	}
	return &Message{ct: ct}, nil
}

// NewMessage returns the message with ciphertext b (copied).
func NewMessage(b []byte) *Message { return &Message{ct: append([]byte(nil), b...)} }

// Bytes returns a copy of the ciphertext.
func (m *Message) Bytes() []byte { return append([]byte(nil), m.ct...) }

// String returns the text form.
func (m *Message) String() string { return b64.EncodeToString(m.ct) }
