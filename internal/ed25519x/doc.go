// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// Package ed25519x implements Ed25519 (RFC 8032) with libolm's key format
// (libolm src/crypto.cpp and lib/ed25519: a 64-byte expanded private key) and
// strict signature verification. It signs and verifies Olm identity-key
// signatures, the signatures of the [Megolm spec] (messages and session
// keys), and pk signing keys.
//
// libolm keeps an Ed25519 key "expanded": the public key and
// sk64 = SHA-512(seed) with sk64[0] &= 248, sk64[31] &= 63, sk64[31] |= 64.
// The seed is discarded, so crypto/ed25519 (which needs the seed) cannot sign
// with such a key. [PrivateKey] signs directly from sk64 and hashes the stored
// public key, never recomputing it; signatures are identical to libolm's and,
// for keys made from a seed, to crypto/ed25519's.
//
// Security properties. Verification is strict, as ed25519-dalek's
// verify_strict (used by vodozemac) is: it rejects S >= L, a non-canonical
// public key A (y >= p, or x = 0 with the sign bit set), a small-order A, and
// a small-order R, then checks the cofactorless equation R = S·B − k·A by
// encoding the result and comparing it with the R bytes, which also rejects
// non-canonical R. libolm accepts S+L (CVE-2024-45193) and small-order keys,
// so signatures crafted that way that libolm accepts are rejected here;
// genuine libolm signatures always verify. Signing is constant time;
// verification is variable time over public data only. The expanded key is
// kept in unexported arrays; Go cannot guarantee that it is zeroed.
//
// [Verify] and [PublicKey] cost about one crypto/ed25519.Verify per
// signature. To verify many signatures by one key (a Megolm session), use
// [FastVerifier] or [VerifierCache], which make the same decisions. The
// strict key checks that need no curve arithmetic (length, y < p, the sign
// of x = 0, the 8 small-order encodings) are done on the bytes and are
// available alone as [CheckPublicKeyBytes], for code that loads many keys and
// wants to defer the decompression, nearly all of [NewPublicKey]'s cost, to
// the first verification.
//
// This package is internal. Applications use olm, megolm or pk; code that
// has the seed and needs plain Ed25519 should use crypto/ed25519.
//
// [Megolm spec]: https://gitlab.matrix.org/matrix-org/olm/-/blob/master/docs/megolm.md
package ed25519x
