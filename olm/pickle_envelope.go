// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package olm

// Reviewer's note: the pickle envelope (libolm spec §2.3) as internal/pickle
// implements it, done in pooled buffers: the plaintext is written, encrypted
// in place and MAC'd in one buffer, and a pickle is decoded, checked and
// decrypted in place in one, so that a pickle or unpickle allocates only its
// result (and the AES key schedule). Checks, their order and errors are
// pickle.Decrypt's; the tests compare the output with pickle.Encrypt's.
// package megolm has the same code: internal/pickle could take a
// destination buffer instead.

import (
	"crypto/aes"
	"fmt"
	"slices"
	"sync"

	"github.com/newt-e2ee/newt/internal/aessha2"
	"github.com/newt-e2ee/newt/internal/b64"
	"github.com/newt-e2ee/newt/internal/pickle"
)

// pickleMACSize is the length of the pickle's truncated MAC.
const pickleMACSize = aessha2.TruncatedMACSize

// maxPooledPickle is the capacity above which a pickle buffer is dropped
// instead of being returned to the pool.
const maxPooledPickle = 64 << 10

// pickleBuffers holds *[]byte buffers for pickle plaintexts. They hold
// secrets and are cleared before they are put back.
var pickleBuffers = sync.Pool{New: func() any { return new([]byte) }}

// getPickleBuffer returns an empty pooled buffer with room for the envelope
// of an n-byte plaintext, or for the decoding of an n-character pickle.
func getPickleBuffer(n int) *[]byte {
	b := pickleBuffers.Get().(*[]byte)
	*b = slices.Grow((*b)[:0], aessha2.EncryptedLen(n)+pickleMACSize)
	return b
}

// putPickleBuffer clears b's contents, up to its capacity, and returns it to
// the pool.
func putPickleBuffer(b *[]byte) {
	clear((*b)[:cap(*b)])
	if cap(*b) <= maxPooledPickle {
		pickleBuffers.Put(b)
	}
}

// sealPickle encrypts the plaintext pt in place (its capacity must hold the
// ciphertext and the MAC) and returns the unpadded base64 of AES-CBC(pt) ‖
// HMAC(ciphertext)[:8] under the keys HKDF(key, "Pickle"): byte for byte
// pickle.Encrypt's output.
func sealPickle(key, pt []byte) []byte {
	var k aessha2.Keys
	aessha2.DeriveKeys(&k, key, aessha2.InfoPickle)
	ctLen := aessha2.EncryptedLen(len(pt))
	raw := k.AppendEncrypt(pt[:0], pt) // in place: same start
	raw = k.AppendMAC(raw, raw[:ctLen], pickleMACSize)
	k.Clear()
	out := make([]byte, b64.EncodedLen(len(raw)))
	b64.Encode(out, raw)
	return out
}

// openEnvelope decodes the pickle p into *buf, checks its MAC and decrypts
// it in place, and returns the plaintext, which aliases *buf. Checks and
// errors are pickle.Decrypt's: strict constant-time base64
// ([pickle.ErrInvalidBase64]), the length ([pickle.ErrCorrupted]), then the
// MAC in constant time before any decryption, and the padding (both
// [pickle.ErrBadKey]).
func openEnvelope(buf *[]byte, key, p []byte) ([]byte, error) {
	n, err := b64.DecodedLen(len(p))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", pickle.ErrInvalidBase64, err)
	}
	*buf = slices.Grow((*buf)[:0], n)
	raw := (*buf)[:n]
	if _, err := b64.Decode(raw, p); err != nil {
		return nil, fmt.Errorf("%w: %w", pickle.ErrInvalidBase64, err)
	}
	if n < aes.BlockSize+pickleMACSize || (n-pickleMACSize)%aes.BlockSize != 0 {
		return nil, pickle.ErrCorrupted
	}
	ct, mac := raw[:n-pickleMACSize], raw[n-pickleMACSize:]
	var k aessha2.Keys
	aessha2.DeriveKeys(&k, key, aessha2.InfoPickle)
	defer k.Clear()
	if !k.VerifyMAC(ct, mac, pickleMACSize) {
		return nil, pickle.ErrBadKey
	}
	pt, err := k.Decrypt(ct[:0], ct) // in place
	if err != nil {
		return nil, pickle.ErrBadKey
	}
	return pt[:len(pt):len(pt)], nil
}
