// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// Package aessha2 implements libolm's "aes_sha_256" construction
// (_olm_cipher_aes_sha_256 in libolm's src/cipher.cpp), which encrypts the
// messages of the [Olm spec] and Megolm, pickles and pk, and the SHA-256
// based primitives under it: HMAC-SHA-256 (RFC 2104) and HKDF-SHA-256 (RFC
// 5869).
//
// For key material K and an info label, HKDF(ikm=K, salt=0³², info, 80)
// yields an AES-256 key, an HMAC-SHA-256 key and a CBC IV. The plaintext is
// encrypted with AES-256-CBC and PKCS#7 padding, and HMAC-SHA-256 under the
// MAC key authenticates the bytes chosen by the caller (the Olm/Megolm message
// body, the pickle ciphertext, or nothing at all for pk). Olm, Megolm, pickles
// and pk use a MAC truncated to [TruncatedMACSize] bytes; vodozemac's newer
// message format uses the full [MACSize] bytes.
//
// Security properties. Callers must verify the MAC (with [Keys.VerifyMAC],
// which checks the exact length and compares in constant time) before
// decrypting. Decryption is stricter than libolm's: the ciphertext must be a
// non-empty multiple of the block size ([ErrBadLength]) and the whole PKCS#7
// padding is checked in constant time ([ErrBadPadding]); libolm reads only the
// last padding byte. Both conditions can only be produced by a sender that
// holds the keys, so valid libolm output is always accepted. AES comes from
// crypto/aes (hardware AES on amd64 and arm64). The HMAC and HKDF functions do
// not allocate in steady state. Key material in scratch state is cleared on a
// best-effort basis; Go cannot guarantee that copies made by the runtime or by
// crypto/aes and crypto/sha256 are erased.
//
// This package is internal: protocol code (olm, megolm, pk, pickle, sas)
// uses it. Applications want those packages instead.
//
// [Olm spec]: https://gitlab.matrix.org/matrix-org/olm/-/blob/master/docs/olm.md
package aessha2
