// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package pk

import (
	"errors"
	"fmt"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/internal/aessha2"
	"github.com/newt-e2ee/newt/internal/b64"
	"github.com/newt-e2ee/newt/internal/redact"
	"github.com/newt-e2ee/newt/internal/x25519"
)

// errNilMessage is returned by Decrypt for a nil *Message.
var errNilMessage = errors.New("pk: nil message")

// Decryption holds a backup's Curve25519 private key and decrypts the
// messages encrypted to it, libolm's PkDecryption. It is immutable after
// creation and safe for concurrent use.
type Decryption struct {
	// priv is stored unclamped, as libolm does, in a Box: no position of a
	// Decryption, not even an unexported field that fmt prints by reflection,
	// prints it (internal/redact). It is never written after creation, so
	// copies may share it.
	priv redact.Box[x25519.PrivateKey]
	pub  [x25519.PublicKeySize]byte // X25519(clamp(priv), 9)
}

// zeroPrivateKey is the private key of the zero Decryption. It is never
// written.
var zeroPrivateKey x25519.PrivateKey

// privateKey returns the private key, read-only.
func (d *Decryption) privateKey() *x25519.PrivateKey {
	if p := d.priv.Get(); p != nil {
		return p
	}
	return &zeroPrivateKey
}

// GenerateDecryption returns a Decryption with a new random private key read from
// crypto/rand (olm_pk_generate_key).
func GenerateDecryption() *Decryption {
	priv, pub := x25519.GenerateKey()
	d := &Decryption{priv: redact.NewBox[x25519.PrivateKey](), pub: pub}
	*d.priv.Get() = priv
	clear(priv[:])
	return d
}

// NewDecryption returns the Decryption for a 32-byte private key,
// for example the backup key recovered from secret storage
// (olm_pk_key_from_private). Any 32 bytes are a valid key: they are stored as
// given, unclamped, as libolm stores them, and clamped at every use. The
// input is copied.
func NewDecryption(key []byte) (*Decryption, error) {
	if len(key) != PrivateKeySize {
		return nil, fmt.Errorf("%w: %d bytes, want %d", ErrInvalidKey, len(key), PrivateKeySize)
	}
	var priv x25519.PrivateKey
	copy(priv[:], key)
	d := newDecryption(&priv)
	clear(priv[:])
	return d, nil
}

// ParseDecryption is [NewDecryption] for the base64 form of the private key,
// the form secret storage (m.megolm_backup.v1) and m.secret.send carry:
// standard alphabet, padded or unpadded, decoded in constant time. Errors
// match [ErrInvalidBase64] or [ErrInvalidKey]; neither names the key.
func ParseDecryption(s string) (*Decryption, error) {
	key, err := b64.DecodeStringPadded(s)
	if err != nil {
		return nil, fmt.Errorf("%w: private key", ErrInvalidBase64)
	}
	defer clear(key)
	return NewDecryption(key)
}

// newDecryption is the deterministic core of the constructors.
func newDecryption(priv *x25519.PrivateKey) *Decryption {
	d := &Decryption{priv: redact.NewBox[x25519.PrivateKey](), pub: x25519.PublicKey(priv)}
	*d.priv.Get() = *priv
	return d
}

// PrivateKey returns a copy of the 32-byte private key exactly as given to
// [NewDecryption] (unclamped), the form libolm's
// olm_pk_get_private_key returns and Matrix stores in secret storage. The
// copy belongs to the caller, who should clear it when done; newt cannot
// clear copies it has handed out.
func (d *Decryption) PrivateKey() []byte {
	return append([]byte(nil), d.privateKey()[:]...)
}

// PublicKey returns the public key that senders encrypt to, the backup's
// auth_data.public_key.
func (d *Decryption) PublicKey() newt.Curve25519PublicKey {
	return newt.Curve25519PublicKeyFromArray(d.pub)
}

// Decrypt decrypts m (olm_pk_decrypt). It checks, in this order:
//
//   - the MAC is exactly 8 bytes, else [ErrBadMAC];
//   - the ephemeral key does not have low order, else [ErrNonContributory];
//   - the MAC equals HMAC-SHA-256(mac_key, "")[0:8], compared in constant
//     time, else [ErrBadMAC];
//   - the ciphertext is a non-empty multiple of 16 bytes with valid PKCS#7
//     padding, else [ErrBadCiphertext].
//
// The MAC does not cover the ciphertext (see the package doc), so a
// ciphertext altered by a third party may decrypt without error to altered
// plaintext. On error Decrypt returns nil.
func (d *Decryption) Decrypt(m *Message) ([]byte, error) {
	if m == nil {
		return nil, errNilMessage
	}
	if len(m.MAC) != MACSize {
		return nil, ErrBadMAC
	}
	eph := m.EphemeralKey.Array()
	secret, err := x25519.DH(d.privateKey(), &eph)
	if err != nil {
		return nil, ErrNonContributory
	}
	var keys aessha2.Keys
	aessha2.DeriveKeys(&keys, secret[:], infoPK)
	clear(secret[:])
	defer keys.Clear()

	if !keys.VerifyMAC(nil, m.MAC, MACSize) { // the MAC of the empty string
		return nil, ErrBadMAC
	}
	pt, err := keys.Decrypt(nil, m.Ciphertext)
	if err != nil {
		return nil, ErrBadCiphertext
	}
	return pt, nil
}

// String describes d without secrets: its public key. It and Format have
// value receivers so that formatting a Decryption value prints no secret
// either.
func (d Decryption) String() string {
	return "pk.Decryption{public: " + d.PublicKey().String() + "}"
}

// GoString is String, so that %#v prints no secret either.
func (d Decryption) GoString() string { return d.String() }

// Format implements fmt.Formatter: every verb formats the description of
// String (as it is for %#v, else as fmt formats a string for the verb),
// never the fields.
func (d Decryption) Format(f fmt.State, verb rune) { redact.Format(f, verb, d.String()) }
