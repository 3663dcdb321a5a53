// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// Package libolm is a cgo binding to libolm 3.2.x for tests, vector
// generation and benchmarks only; build tag libolm; never imported by library
// code.
//
// Without the libolm build tag the package is empty. With it, the package
// links against libolm.so.3 (Debian libolm-dev 3.2.13) and exposes every
// public libolm function declared in include/olm/olm.h,
// outbound_group_session.h, inbound_group_session.h, pk.h and sas.h, plus the
// internal primitives that libolm.so.3 exports for its own unit tests:
// _olm_crypto_*, base64, the aes_sha_256 cipher, the pickle envelope, the
// Megolm ratchet and the message decoders.
//
// The binding is deterministic by construction: every function that libolm
// feeds with randomness takes that randomness as an argument, so known-answer
// tests and vector generators reproduce libolm's output byte for byte
// (libolm's *_random_length functions say how much each call takes). Inputs
// that libolm destroys (random buffers, base64 decoded in place) are copied
// to C memory first, so callers' slices and strings are never modified.
// Objects live in C memory; call Free when done (a cleanup frees them too).
// Objects are not safe for concurrent use. Failures are reported as *Error
// values carrying libolm's last_error string.
//
// libolm is deprecated, not constant time and has known weaknesses
// (CVE-2024-45191, CVE-2024-45192, CVE-2024-45193): nothing outside tests,
// testvectors/gen and bench may import this package.
package libolm
