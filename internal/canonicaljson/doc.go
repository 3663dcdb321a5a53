// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// Package canonicaljson implements Matrix canonical JSON, the byte string
// that Matrix signs and verifies with Ed25519 (device keys, cross-signing
// keys, one-time key objects, key-backup auth_data).
//
// The rules are those of the [Matrix spec appendix] as checked against
// matrix-rust-sdk, matrix-js-sdk and mautrix-go (see
// the Matrix spec appendix "Canonical JSON"):
//
//   - UTF-8 and no insignificant whitespace;
//   - object keys sorted by Unicode code point, which is the order of their
//     UTF-8 bytes (not of UTF-16 code units);
//   - in strings only '"', '\' and the C0 controls are escaped, as \b \t \n
//     \f \r or \u00xx with lowercase hex; everything else (DEL, '/', '<',
//     '>', '&', U+2028, U+2029, all non-ASCII) is written as raw UTF-8;
//   - numbers must be integers in [-(2^53-1), 2^53-1]; integral values written
//     with a fraction or exponent (1e10, 1.0) are accepted and printed as
//     plain integers, and -0 becomes 0;
//   - true, false and null as they are; arrays keep their order.
//
// The parser is strict where encoding/json is lenient, because the bytes
// that are signed must be exactly the bytes the caller meant: invalid UTF-8,
// unpaired UTF-16 surrogate escapes and duplicate object keys are errors
// (encoding/json silently replaces the first two with U+FFFD and keeps the
// last duplicate, which would let two parsers disagree about what was
// signed). Numbers are handled as decimal text and never pass through
// float64. Nesting is limited to [MaxDepth] levels.
//
// Most users want the exported wrappers in package
// github.com/newt-e2ee/newt/pk (CanonicalJSON, Signing.SignJSON, VerifyJSON).
//
// [Matrix spec appendix]: https://spec.matrix.org/latest/appendices/#canonical-json
package canonicaljson
