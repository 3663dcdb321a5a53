// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package sas

// Reviewer's note: names and steps follow libolm's sas.c
// (libolm 3.2.x) so the code can be reviewed side by side:
// olm_create_sas, olm_sas_set_their_key, olm_sas_generate_bytes and the
// three olm_sas_calculate_mac variants. Correctness and byte compatibility
// come first, then readability.

import (
	"crypto/hmac"
	"crypto/rand"
	"errors"
	"fmt"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/internal/aessha2"
	"github.com/newt-e2ee/newt/internal/b64"
	"github.com/newt-e2ee/newt/internal/redact"
	"github.com/newt-e2ee/newt/internal/x25519"
)

const (
	// PublicKeySize is the size of a SAS public key (Curve25519).
	PublicKeySize = newt.Curve25519KeySize
	// MACSize is the length of every MAC string this package returns: 43
	// characters (the unpadded base64 length of 32 bytes).
	MACSize = 43
	// MaxBytes is the largest n GenerateBytes accepts: 255 HKDF-SHA-256
	// blocks, the RFC 5869 limit (libolm wraps its block counter beyond it).
	MaxBytes = aessha2.MaxHKDFSize
	// EmojiBytes is the number of bytes to generate for [EmojiIndices].
	EmojiBytes = 6
	// DecimalBytes is the number of bytes to generate for [Decimals].
	DecimalBytes = 5

	// longKDFKeySize is the HMAC key length of the "hmac-sha256" method.
	longKDFKeySize = 256
	// macKeySize is the HMAC key length of the "hkdf-hmac-sha256" methods.
	macKeySize = 32
)

// MAC method names of m.key.verification.start's message_authentication_codes
// and the function that implements each.
const (
	// MethodHKDFHMACSHA256V2 is implemented by [SAS.CalculateMAC].
	MethodHKDFHMACSHA256V2 = "hkdf-hmac-sha256.v2"
	// MethodHKDFHMACSHA256 (legacy) is implemented by
	// [SAS.CalculateMACLibolmBrokenBase64].
	MethodHKDFHMACSHA256 = "hkdf-hmac-sha256"
	// MethodHMACSHA256 (legacy) is implemented by [SAS.CalculateMACLongKDF].
	MethodHMACSHA256 = "hmac-sha256"
)

// Errors callers branch on; match them with [errors.Is].
var (
	// ErrTheirKeyNotSet means a method that needs the shared secret was
	// called before SetTheirKey (OLM_SAS_THEIR_KEY_NOT_SET).
	ErrTheirKeyNotSet = errors.New("sas: their public key is not set")
	// ErrTheirKeyAlreadySet means SetTheirKey was called again with a
	// different key. libolm silently replaces the secret.
	ErrTheirKeyAlreadySet = errors.New("sas: their public key is already set")
	// ErrNonContributory means their key has low order, so the shared
	// secret would be all zeros. libolm accepts it. It wraps x25519's
	// error.
	ErrNonContributory = fmt.Errorf("sas: key agreement failed: %w", x25519.ErrNonContributory)
	// ErrInvalidBase64 means a key given to SetTheirKeyBase64 is not the
	// base64 of 32 bytes (INVALID_BASE64, INPUT_BUFFER_TOO_SMALL).
	ErrInvalidBase64 = errors.New("sas: invalid base64 public key")
	// ErrInvalidLength means GenerateBytes was asked for fewer than 0 or
	// more than MaxBytes bytes.
	ErrInvalidLength = errors.New("sas: byte count out of range")
	// ErrBadMAC means a received MAC does not match.
	ErrBadMAC = errors.New("sas: MAC mismatch")
)

// SAS is one side of a short-authentication-string verification: a
// Curve25519 key pair and, once [SAS.SetTheirKey] succeeded, the shared
// secret. SetTheirKey must not run concurrently with other methods; after it
// returned, every method is read-only and safe for concurrent use.
type SAS struct {
	// priv and secret are in Boxes: no position of a SAS, not even an
	// unexported field that fmt prints by reflection, prints them
	// (internal/redact). Neither is written after it is set, and SetTheirKey
	// sets secret in a new Box, so copies of a SAS stay independent.
	priv     redact.Box[x25519.PrivateKey] // libolm stores the random bytes as they are
	pub      [PublicKeySize]byte
	their    [PublicKeySize]byte
	secret   redact.Box[[x25519.SharedSecretSize]byte] // X25519(priv, their)
	theirSet bool
}

// zeroKey is the private key of the zero SAS and the shared secret before
// SetTheirKey. It is never written.
var zeroKey [32]byte

// privateKey returns the private key, read-only.
func (s *SAS) privateKey() *x25519.PrivateKey {
	if p := s.priv.Get(); p != nil {
		return p
	}
	return (*x25519.PrivateKey)(&zeroKey)
}

// sharedSecret returns the shared secret, read-only; all zeros before
// SetTheirKey succeeded.
func (s *SAS) sharedSecret() *[x25519.SharedSecretSize]byte {
	if p := s.secret.Get(); p != nil {
		return p
	}
	return &zeroKey
}

// Generate returns a SAS with a new key pair whose private key is read from
// crypto/rand (olm_create_sas).
func Generate() *SAS {
	var priv [x25519.PrivateKeySize]byte
	rand.Read(priv[:]) // never fails since Go 1.24 (it crashes the program instead)
	s := newFromPrivate(&priv)
	clear(priv[:])
	return s
}

// newFromPrivate is the deterministic core of New: priv is libolm's 32
// "random" bytes, used unclamped as the private key.
func newFromPrivate(priv *[x25519.PrivateKeySize]byte) *SAS {
	s := &SAS{priv: redact.NewBox[x25519.PrivateKey]()}
	*s.priv.Get() = *priv
	s.pub = x25519.PublicKey(s.privateKey())
	return s
}

// PublicKey returns our public key, sent to the other device in the
// m.key.verification.key event (olm_sas_get_pubkey).
func (s *SAS) PublicKey() newt.Curve25519PublicKey {
	return newt.Curve25519PublicKeyFromArray(s.pub)
}

// SetTheirKey completes the key agreement with the other device's public key
// (olm_sas_set_their_key). It returns [ErrNonContributory] for a low-order
// key and [ErrTheirKeyAlreadySet] if a different key was set before (setting
// the same key again is a no-op). On error the SAS is unchanged.
func (s *SAS) SetTheirKey(their newt.Curve25519PublicKey) error {
	k := their.Array()
	if s.theirSet {
		if their.Equal(newt.Curve25519PublicKeyFromArray(s.their)) {
			return nil
		}
		return ErrTheirKeyAlreadySet
	}
	secret, err := x25519.DH(s.privateKey(), &k)
	if err != nil {
		return ErrNonContributory
	}
	box := redact.NewBox[[x25519.SharedSecretSize]byte]()
	*box.Get() = secret
	s.their, s.secret, s.theirSet = k, box, true
	clear(secret[:])
	return nil
}

// SetTheirKeyBase64 is [SAS.SetTheirKey] for the key as sent in the
// m.key.verification.key event: 43 characters of unpadded base64, or 44 with
// one '=' of padding, which libolm also accepts. Anything else is
// [ErrInvalidBase64].
func (s *SAS) SetTheirKeyBase64(key string) error {
	if len(key) == b64.EncodedLen(PublicKeySize)+1 && key[len(key)-1] == '=' {
		key = key[:len(key)-1]
	}
	their, err := newt.ParseCurve25519PublicKey(key)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidBase64, err)
	}
	return s.SetTheirKey(their)
}

// TheirKey returns the other device's public key, or [ErrTheirKeyNotSet].
func (s *SAS) TheirKey() (newt.Curve25519PublicKey, error) {
	if !s.theirSet {
		return newt.Curve25519PublicKey{}, ErrTheirKeyNotSet
	}
	return newt.Curve25519PublicKeyFromArray(s.their), nil
}

// IsTheirKeySet reports whether SetTheirKey succeeded
// (olm_sas_is_their_key_set).
func (s *SAS) IsTheirKeySet() bool { return s.theirSet }

// GenerateBytes returns n bytes of HKDF-SHA-256(secret, zero salt, info), the
// bytes both devices show to their users (olm_sas_generate_bytes). n must be
// in [0, MaxBytes] ([ErrInvalidLength]). Matrix uses n = 6 for emoji and
// n = 5 for decimals, with the info string of the spec's "SAS method".
func (s *SAS) GenerateBytes(info []byte, n int) ([]byte, error) {
	if !s.theirSet {
		return nil, ErrTheirKeyNotSet
	}
	if n < 0 || n > MaxBytes {
		return nil, fmt.Errorf("%w: %d, want 0 to %d", ErrInvalidLength, n, MaxBytes)
	}
	out := make([]byte, n)
	aessha2.HKDF(out, s.sharedSecret()[:], nil, string(info))
	return out, nil
}

// EmojiIndices generates [EmojiBytes] bytes under info and returns the seven
// emoji indices they encode ([EmojiIndices]).
func (s *SAS) EmojiIndices(info []byte) ([7]int, error) {
	b, err := s.GenerateBytes(info, EmojiBytes)
	if err != nil {
		return [7]int{}, err
	}
	return EmojiIndices([EmojiBytes]byte(b)), nil
}

// Decimals generates [DecimalBytes] bytes under info and returns the three
// numbers they encode ([Decimals]).
func (s *SAS) Decimals(info []byte) ([3]int, error) {
	b, err := s.GenerateBytes(info, DecimalBytes)
	if err != nil {
		return [3]int{}, err
	}
	return Decimals([DecimalBytes]byte(b)), nil
}

// EmojiIndices splits the first 42 bits of b, most significant first, into
// seven 6-bit numbers in [0, 63], the indices of the spec's emoji table
// ([LookupEmoji]). The last 6 bits are unused.
func EmojiIndices(b [EmojiBytes]byte) [7]int {
	var v uint64
	for _, c := range b {
		v = v<<8 | uint64(c)
	}
	var out [7]int
	for i := range out {
		out[i] = int(v>>(42-6*i)) & 0x3f
	}
	return out
}

// Decimals splits the first 39 bits of b, most significant first, into three
// 13-bit numbers and adds 1000 to each, giving numbers in [1000, 9191]. The
// last bit is unused.
func Decimals(b [DecimalBytes]byte) [3]int {
	var v uint64
	for _, c := range b {
		v = v<<8 | uint64(c)
	}
	var out [3]int
	for i := range out {
		out[i] = int(v>>(27-13*i))&0x1fff + 1000
	}
	return out
}

// macKey sets key to HKDF-SHA-256(secret, zero salt, info, len(key)).
func (s *SAS) macKey(key, info []byte) {
	aessha2.HKDF(key, s.sharedSecret()[:], nil, string(info))
}

// mac computes HMAC-SHA-256 of input under a key of keySize bytes derived
// from the secret and info.
func (s *SAS) mac(out *[32]byte, input, info []byte, keySize int) error {
	if !s.theirSet {
		return ErrTheirKeyNotSet
	}
	var key [longKDFKeySize]byte
	s.macKey(key[:keySize], info)
	aessha2.HMAC(out, key[:keySize], input)
	clear(key[:])
	return nil
}

// CalculateMAC returns the MAC of input under info for the Matrix MAC method
// "hkdf-hmac-sha256.v2": HMAC-SHA-256(HKDF(secret, zero salt, info, 32),
// input) in unpadded base64 (libolm's olm_sas_calculate_mac_fixed_base64).
// This is the method to use.
func (s *SAS) CalculateMAC(input, info []byte) (string, error) {
	var tag [32]byte
	if err := s.mac(&tag, input, info, macKeySize); err != nil {
		return "", err
	}
	return b64.EncodeToString(tag[:]), nil
}

// CalculateMACLibolmBrokenBase64 returns the MAC of input under info for the
// legacy Matrix MAC method "hkdf-hmac-sha256", as libolm's
// olm_sas_calculate_mac writes it: the MAC of [SAS.CalculateMAC] passed
// through libolm's in-place base64 bug (see brokenBase64). The result is 43
// characters that are NOT the base64 of the MAC. Use it only to talk to a
// device that offers nothing but "hkdf-hmac-sha256".
func (s *SAS) CalculateMACLibolmBrokenBase64(input, info []byte) (string, error) {
	var tag [32]byte
	if err := s.mac(&tag, input, info, macKeySize); err != nil {
		return "", err
	}
	return brokenBase64(&tag), nil
}

// CalculateMACLongKDF returns the MAC of input under info for the oldest
// Matrix MAC method "hmac-sha256", as libolm's olm_sas_calculate_mac_long_kdf
// writes it: HMAC-SHA-256 keyed with the 256-byte HKDF(secret, zero salt,
// info, 256) (which HMAC first hashes, being longer than a block), encoded
// with the same in-place base64 bug as
// [SAS.CalculateMACLibolmBrokenBase64]. Use it only for devices that offer
// nothing but "hmac-sha256".
func (s *SAS) CalculateMACLongKDF(input, info []byte) (string, error) {
	var tag [32]byte
	if err := s.mac(&tag, input, info, longKDFKeySize); err != nil {
		return "", err
	}
	return brokenBase64(&tag), nil
}

// VerifyMAC checks, in constant time, that mac is [SAS.CalculateMAC] of input
// under info. It returns nil, [ErrBadMAC] or [ErrTheirKeyNotSet].
func (s *SAS) VerifyMAC(input, info []byte, mac string) error {
	want, err := s.CalculateMAC(input, info)
	return checkMAC(want, mac, err)
}

// VerifyMACLibolmBrokenBase64 is [SAS.VerifyMAC] for
// [SAS.CalculateMACLibolmBrokenBase64] (legacy "hkdf-hmac-sha256").
func (s *SAS) VerifyMACLibolmBrokenBase64(input, info []byte, mac string) error {
	want, err := s.CalculateMACLibolmBrokenBase64(input, info)
	return checkMAC(want, mac, err)
}

// VerifyMACLongKDF is [SAS.VerifyMAC] for [SAS.CalculateMACLongKDF] (legacy
// "hmac-sha256").
func (s *SAS) VerifyMACLongKDF(input, info []byte, mac string) error {
	want, err := s.CalculateMACLongKDF(input, info)
	return checkMAC(want, mac, err)
}

// checkMAC compares a received MAC with the expected one, or passes on the
// error of computing it. The length is public; the contents are compared in
// constant time.
func checkMAC(want, got string, err error) error {
	if err != nil {
		return err
	}
	if len(got) != len(want) || !hmac.Equal([]byte(got), []byte(want)) {
		return ErrBadMAC
	}
	return nil
}

// brokenBase64 reproduces libolm's olm_sas_calculate_mac output encoding
// (libolm 3.2.x). libolm puts the 32 MAC bytes at the start of
// its 43-byte output buffer and base64-encodes them in place, front to back:
// for k = 0..9 it reads the three bytes at buf[3k:3k+3] as they are at that
// moment (from k = 1 on, some are characters written by earlier steps) and
// writes their four characters to buf[4k:4k+4]; then it reads buf[30:32]
// (already overwritten) and writes three characters to buf[40:43]. Only the
// first four characters equal the real base64 of mac.
func brokenBase64(mac *[32]byte) string {
	var buf [MACSize]byte
	copy(buf[:], mac[:])
	var group [3]byte
	for k := range 10 {
		copy(group[:], buf[3*k:3*k+3])
		b64.Encode(buf[4*k:4*k+4], group[:])
	}
	copy(group[:2], buf[30:32])
	b64.Encode(buf[40:43], group[:2])
	return string(buf[:])
}

// String describes s without secrets: the public keys. It and Format have
// value receivers so that formatting a SAS value prints no secret either.
func (s SAS) String() string {
	their := "unset"
	if s.theirSet {
		their = newt.Curve25519PublicKeyFromArray(s.their).String()
	}
	return "sas.SAS{public: " + s.PublicKey().String() + ", their: " + their + "}"
}

// GoString is String, so that %#v prints no secret either.
func (s SAS) GoString() string { return s.String() }

// Format implements fmt.Formatter: every verb formats the description of
// String (as it is for %#v, else as fmt formats a string for the verb),
// never the fields.
func (s SAS) Format(f fmt.State, verb rune) { redact.Format(f, verb, s.String()) }
