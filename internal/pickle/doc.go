// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// Package pickle implements libolm's binary pickle format: the primitives the
// object layouts are built from (libolm src/pickle.cpp), and the encrypted
// "Pickle" envelope around them (src/pickle_encoding.c).
//
// The primitives are a Writer and a Reader for big-endian u32, u8, bool
// (written 0/1, read as non-zero) and fixed-size byte strings, and a list
// count that is checked against the caller's capacity before anything is
// allocated (libolm instead overwrites the last slot repeatedly; newt
// rejects the pickle with ErrCorrupted). The Reader keeps the first error
// and returns zero values afterwards, so a layout can be read straight
// through and checked once; Finish also rejects trailing bytes
// (ErrExtraData, libolm's OLM_PICKLE_EXTRA_DATA).
//
// The envelope is b64(AES-256-CBC(PKCS#7(plaintext)) ‖ HMAC-SHA-256(ct)[:8])
// with the keys and IV from HKDF-SHA-256(pickle key, 32 zero bytes,
// "Pickle", 80) (package aessha2). The pickle key is used as given, of any
// length including zero; there is no password hashing. Pickles are
// deterministic: the same key and plaintext give the same string, byte for
// byte what libolm writes.
//
// # Security properties
//
// Decrypt decodes the base64 strictly, checks the lengths (public),
// verifies the MAC in constant time before decrypting, and checks the whole
// PKCS#7 padding. A wrong key, any change to the ciphertext or MAC and bad
// padding all give the same ErrBadKey (libolm's BAD_ACCOUNT_KEY), and no
// partial plaintext. Errors never contain key or plaintext bytes. Plaintext
// buffers are secret; callers should clear them when done (Go cannot
// guarantee that the runtime keeps no copy).
//
// The base64 text is decoded with the variable-time public decoder of
// package b64, not the constant-time one used for keys: it encodes only the
// AES-CBC ciphertext and its MAC, which anyone who can time the decoding
// could as well read from where the pickle is stored, and which reveal
// nothing about the pickle key or the plaintext. Neither the pickle key,
// nor the derived keys, nor the plaintext pass through it. Sealing encodes
// with the constant-time encoder.
//
// Who should use another package: applications pickle through the objects
// of packages olm, megolm and pk, which know the layouts and versions.
package pickle
