// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// Package newt holds the public key, signature and key-ID types shared by the
// newt packages, which implement the end-to-end encryption protocols of
// Matrix in pure Go:
//
//   - [github.com/newt-e2ee/newt/olm]: the Olm one-to-one protocol (3DH
//     handshake and double ratchet), accounts, one-time and fallback keys;
//   - [github.com/newt-e2ee/newt/megolm]: Megolm group sessions for rooms;
//   - [github.com/newt-e2ee/newt/pk]: key-backup encryption
//     (m.megolm_backup.v1.curve25519-aes-sha2) and signing keys;
//   - [github.com/newt-e2ee/newt/sas]: short authentication strings for
//     interactive device verification.
//
// Every message, session key, export, signature and pickle is byte-for-byte
// what libolm 3.2.x produces and accepts. Where libolm is unsafe, newt is
// stricter: Ed25519 verification is strict (S < L, canonical and non-small-order
// keys and R), X25519 results that are all zero (low-order peer keys) are
// errors, and base64 and PKCS#7 padding are decoded strictly. Secret material
// is decoded with a constant-time base64 codec.
//
// # Security
//
// MACs are checked in constant time before anything is decrypted, and a failed
// decryption, session creation or unpickling leaves every object unchanged.
// AES comes from Go's crypto/aes, which is constant time only when it uses
// hardware AES instructions (AES-NI on amd64, the AES extension on arm64,
// CPACF on s390x, ppc64); elsewhere, and in builds with the purego tag, it
// uses lookup tables whose timing depends on the key. newt warns nothing at
// run time and refuses nothing: it reports the situation with [HardwareAES],
// so that an application that must not run without constant-time AES can
// refuse to start. Secrets are kept in fixed-size arrays, never printed by
// String, GoString or fmt verbs, and cleared when superseded on a best-effort
// basis (Go cannot guarantee that the runtime made no other copy).
//
// The types in this package carry only public values. Their textual form is
// Matrix's unpadded standard base64: [Curve25519PublicKey.String] and
// [ParseCurve25519PublicKey] round-trip, as do the other types'.
//
// See the [Olm spec] and the [Megolm spec].
//
// [Olm spec]: https://gitlab.matrix.org/matrix-org/olm/-/blob/master/docs/olm.md
// [Megolm spec]: https://gitlab.matrix.org/matrix-org/olm/-/blob/master/docs/megolm.md
package newt
