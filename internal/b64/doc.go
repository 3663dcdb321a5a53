// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// Package b64 implements the unpadded standard base64 encoding used for every
// textual form in Olm and Megolm (libolm src/base64.cpp): alphabet A–Z a–z
// 0–9 + /, no '=' padding, 4·⌊n/3⌋ + {0, 2, 3} characters for n bytes.
//
// # Security properties
//
// Encoding and decoding (all but the public decoders described below) run in
// constant time with respect to the data: the mapping between characters and
// 6-bit values is computed with masks and arithmetic (no secret-indexed table
// lookup, no branch on a data byte), the validity of every character is
// accumulated into an error mask, and the only data-dependent decision is the
// final "valid or not". Work depends only on the length of the input. This
// makes the package suitable for secret material such as private keys,
// session keys and shared secrets.
//
// Decoding is strict, unlike libolm's decoder (which ignores invalid
// characters and trailing bits) and unlike encoding/base64.RawStdEncoding
// (which silently skips '\r' and '\n' and, without Strict, accepts
// non-canonical trailing bits). Rejected, each with a typed error:
//
//   - a length with len%4 == 1 ([ErrLength]);
//   - any byte outside the alphabet, including '=', '-', '_', '\r', '\n',
//     space and every non-ASCII byte ([ErrCharacter]);
//   - non-zero bits in the unused low bits of the last character
//     ([ErrTrailingBits]), so every byte string has exactly one encoding.
//
// Errors are returned as *[DecodeError], which wraps one of the sentinels.
// On error the decoded output is discarded: the bytes already written to dst
// are zeroed and the returned length or slice is 0 or nil.
//
// The public decoders ([DecodePublic], [AppendDecodePublic],
// [DecodeStringPublic]) accept exactly the same inputs and return exactly the
// same results and errors as the constant-time ones, but use table lookups
// indexed by the characters and stop early on error: they are about twice as
// fast as encoding/base64 and nearly three times as fast as [Decode], and are for
// public data only (messages, public keys, signatures, and the text of an
// encrypted pickle, which encodes only ciphertext and a MAC). Secrets
// (private keys, session keys, exported session keys) must use the
// constant-time decoders.
//
// Who should use another package: code that handles only public data and
// wants to accept padding or line breaks should use encoding/base64 (or the
// root package's Parse functions) instead. This package deliberately accepts
// exactly one spelling of every byte string.
package b64
