// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package pk

// Reviewer's note: names and steps follow libolm's olm_pk_encrypt and
// olm_pk_decrypt (libolm 3.2.x) so the code can be reviewed
// side by side. The goals are byte compatibility first, then readability.

import (
	"crypto/rand"
	"fmt"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/internal/aessha2"
	"github.com/newt-e2ee/newt/internal/b64"
	"github.com/newt-e2ee/newt/internal/scratch"
	"github.com/newt-e2ee/newt/internal/x25519"
)

const (
	// MACSize is the length of a message MAC: the first 8 bytes of
	// HMAC-SHA-256 (11 base64 characters).
	MACSize = aessha2.TruncatedMACSize
	// PrivateKeySize is the length of a Curve25519 private key for
	// [NewDecryption] (libolm's olm_pk_private_key_length).
	PrivateKeySize = x25519.PrivateKeySize

	// infoPK is the HKDF info of m.megolm_backup.v1.curve25519-aes-sha2:
	// the empty string.
	infoPK = aessha2.InfoPK
)

// Message is an encrypted m.megolm_backup.v1.curve25519-aes-sha2 message, the
// "ciphertext", "mac" and "ephemeral" fields of a backed-up session's
// session_data. The slices are owned by the Message. Decryption.Decrypt only
// reads a Message, so one may be decrypted by several goroutines at once; do
// not modify it meanwhile.
type Message struct {
	// Ciphertext is the AES-256-CBC ciphertext (a multiple of 16 bytes).
	Ciphertext []byte
	// MAC is HMAC-SHA-256(mac_key, "")[0:8]; see the package doc.
	MAC []byte
	// EphemeralKey is the sender's one-use Curve25519 public key.
	EphemeralKey newt.Curve25519PublicKey
}

// ParseMessage decodes the three unpadded base64 fields of a message. The MAC
// must be 11 characters and the ephemeral key 43, as libolm requires; all
// three are decoded strictly. Errors match [ErrInvalidBase64]. The fields
// are public, so they are decoded in variable time.
func ParseMessage(ciphertext, mac, ephemeralKey string) (*Message, error) {
	if len(mac) != b64.EncodedLen(MACSize) {
		return nil, fmt.Errorf("%w: MAC of %d characters, want %d", ErrInvalidBase64, len(mac), b64.EncodedLen(MACSize))
	}
	eph, err := parsePublicKey(ephemeralKey)
	if err != nil {
		return nil, fmt.Errorf("%w: ephemeral key: %w", ErrInvalidBase64, err)
	}
	m := &Message{EphemeralKey: eph}
	if m.MAC, err = b64.DecodeStringPublic(mac); err != nil {
		return nil, fmt.Errorf("%w: MAC: %w", ErrInvalidBase64, err)
	}
	if m.Ciphertext, err = b64.DecodeStringPublic(ciphertext); err != nil {
		return nil, fmt.Errorf("%w: ciphertext: %w", ErrInvalidBase64, err)
	}
	return m, nil
}

// parsePublicKey is [newt.ParseCurve25519PublicKey] with the variable-time
// decoder, for public keys. It accepts exactly what that function accepts;
// for anything else it returns that function's error.
func parsePublicKey(s string) (newt.Curve25519PublicKey, error) {
	var k [x25519.PublicKeySize]byte
	if len(s) == b64.EncodedLen(len(k)) {
		if n, err := b64.DecodePublic(k[:], scratch.StringBytes(s)); err == nil && n == len(k) {
			return newt.Curve25519PublicKeyFromArray(k), nil
		}
	}
	// Invalid: the constant-time parser rejects it too, with the error
	// callers have always seen.
	return newt.ParseCurve25519PublicKey(s)
}

// CiphertextBase64 returns the unpadded base64 of the ciphertext.
func (m *Message) CiphertextBase64() string { return b64.EncodeToString(m.Ciphertext) }

// MACBase64 returns the unpadded base64 of the MAC (11 characters).
func (m *Message) MACBase64() string { return b64.EncodeToString(m.MAC) }

// EphemeralKeyBase64 returns the unpadded base64 of the ephemeral public key
// (43 characters), the same as m.EphemeralKey.String().
func (m *Message) EphemeralKeyBase64() string { return m.EphemeralKey.String() }

// Encryption encrypts messages to one recipient public key, libolm's
// PkEncryption. It holds no secret and is safe for concurrent use.
type Encryption struct {
	recipient [x25519.PublicKeySize]byte
}

// NewEncryption returns an Encryption to the given recipient key, typically
// the backup's auth_data.public_key. A low-order key is reported by
// [Encryption.Encrypt] as [ErrNonContributory].
func NewEncryption(recipient newt.Curve25519PublicKey) *Encryption {
	return &Encryption{recipient: recipient.Array()}
}

// RecipientKey returns the recipient's public key.
func (e *Encryption) RecipientKey() newt.Curve25519PublicKey {
	return newt.Curve25519PublicKeyFromArray(e.recipient)
}

// Encrypt encrypts plaintext to the recipient with a fresh ephemeral key read
// from crypto/rand (olm_pk_encrypt). It fails only with [ErrNonContributory],
// when the recipient key has low order.
func (e *Encryption) Encrypt(plaintext []byte) (*Message, error) {
	var eph x25519.PrivateKey
	rand.Read(eph[:]) // never fails since Go 1.24 (it crashes the program instead)
	m, err := e.encrypt(plaintext, &eph)
	clear(eph[:])
	return m, err
}

// encrypt is the deterministic core of Encrypt: eph is the ephemeral private
// key, libolm's 32 "random" bytes. Steps as in the package doc.
func (e *Encryption) encrypt(plaintext []byte, eph *x25519.PrivateKey) (*Message, error) {
	secret, err := x25519.DH(eph, &e.recipient)
	if err != nil {
		return nil, ErrNonContributory
	}
	var keys aessha2.Keys
	aessha2.DeriveKeys(&keys, secret[:], infoPK)
	clear(secret[:])

	m := &Message{
		Ciphertext:   keys.AppendEncrypt(nil, plaintext),
		MAC:          keys.AppendMAC(nil, nil, MACSize), // HMAC of the empty string
		EphemeralKey: newt.Curve25519PublicKeyFromArray(x25519.PublicKey(eph)),
	}
	keys.Clear()
	return m, nil
}

// String describes e without secrets: its recipient key.
func (e *Encryption) String() string {
	return "pk.Encryption{recipient: " + e.RecipientKey().String() + "}"
}

// GoString is String, so that %#v prints no more than %v.
func (e *Encryption) GoString() string { return e.String() }
