// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// Package vzpickle reads and writes vodozemac's own state formats: the
// serde JSON of AccountPickle, SessionPickle, GroupSessionPickle and
// InboundGroupSessionPickle (and the records matrix-sdk-crypto wraps them
// in), their encrypted string form (*Pickle::encrypt: libolm's pickle
// cipher with the JSON inside, a 32-byte key), and the MSC3814 dehydrated
// device payload (ChaCha20-Poly1305). The layouts are described in
// docs/vodozemac-formats.md; the vectors in testvectors/vodozemac_*.json come
// from vodozemac 0.11 itself.
//
// The package is a codec only: it maps bytes to plain structs and back.
// Packages olm and megolm turn those structs into their objects and decide
// what newt can hold (for example Olm chain indexes above 2³²−1).
//
// # Security properties
//
// Writing gives exactly serde_json's compact output for the same state
// (member order, no whitespace), so stores can be diffed and hashed.
// Reading is strict: malformed JSON, unknown or duplicate members, unknown
// enum variants, arrays of the wrong length, numbers out of range and lists
// longer than vodozemac keeps are errors of the kinds listed under Err*,
// never a panic, and the error text holds only member names, never values.
// Encrypted pickles are authenticated before they are decrypted (constant-
// time MAC check); a dehydrated device is opened with an AEAD. The structs
// hold secret keys in fixed arrays; callers clear them when done (best
// effort: Go cannot guarantee zeroing).
//
// Most users want the pickle methods of packages olm and megolm instead.
package vzpickle
