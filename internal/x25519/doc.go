// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// Package x25519 implements X25519 (RFC 7748) the way libolm stores and uses
// Curve25519 keys (libolm src/crypto.cpp, _olm_crypto_curve25519_*): a
// private key is the raw 32 random bytes, kept unclamped, and clamped at
// every use. It is the primitive under the 3DH handshake and ratchet steps of
// the [Olm spec], pk encryption and SAS.
//
// Security properties. [DH] returns [ErrNonContributory] when the shared
// secret is all zeros, which is what every low-order (small-subgroup) peer
// key produces; libolm silently uses that all-zero secret, newt refuses it
// (SECURITY.md row C16). Otherwise DH follows RFC 7748 exactly: the top bit
// of the peer's u-coordinate is ignored and non-canonical u >= 2^255-19 is
// accepted, so outputs match libolm byte for byte. The scalar multiplication
// is a constant-time Montgomery ladder on filippo.io/edwards25519/field;
// public keys use the constant-time Edwards fixed-base table. Private keys
// are plain arrays that callers clear when done; Go cannot guarantee zeroing.
//
// This package is internal. Applications use olm, pk or sas; code that needs
// ordinary X25519 without libolm's key format should use crypto/ecdh.
//
// [Olm spec]: https://gitlab.matrix.org/matrix-org/olm/-/blob/master/docs/olm.md
package x25519
