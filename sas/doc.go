// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// Package sas implements the cryptography of Matrix's interactive device
// verification with short authentication strings ([SAS verification],
// m.sas.v1), byte-compatible with libolm's OlmSAS
// (libolm 3.2.x).
//
// Each device makes a [SAS] with a fresh Curve25519 key and sends
// [SAS.PublicKey] in its m.key.verification.key event; [SAS.SetTheirKey]
// completes the X25519 agreement. Both sides then derive the same bytes with
// [SAS.GenerateBytes] = HKDF-SHA-256(secret, zero salt, info, n) under the
// info string the spec prescribes ("MATRIX_KEY_VERIFICATION_SAS|..."), and
// show them as seven emoji ([EmojiIndices], [LookupEmoji]) or three
// four-digit numbers ([Decimals]). When the users confirm that they match,
// each side MACs its keys with the shared secret and the other side checks
// them:
//
//   - [SAS.CalculateMAC] is the MAC method "hkdf-hmac-sha256.v2", the one
//     to use: key = HKDF(secret, zero salt, info, 32),
//     MAC = HMAC-SHA-256(key, input), standard unpadded base64.
//   - [SAS.CalculateMACLibolmBrokenBase64] is the legacy method
//     "hkdf-hmac-sha256": the same MAC, but encoded by libolm's
//     olm_sas_calculate_mac, which base64-encodes the MAC in place and so
//     reads characters it has already written. The 43 characters it
//     produces are not the base64 of the MAC (only the first four are);
//     they are emulated exactly here because old clients send them.
//   - [SAS.CalculateMACLongKDF] is the oldest method, "hmac-sha256": a
//     256-byte HKDF output used as the HMAC key, with the same broken
//     encoding (libolm's olm_sas_calculate_mac_long_kdf).
//
// Use the two legacy methods only when the other device offered nothing
// else; [SAS.VerifyMAC] and its two variants compare a received MAC in
// constant time.
//
// Security properties. A peer key of low order makes the shared secret all
// zeros; libolm uses it, newt returns [ErrNonContributory] and keeps the SAS
// unchanged. Their key can be set once, so the secret a verification shows
// cannot be switched afterwards. The private key and shared secret live in
// fixed-size arrays behind two pointers, where no fmt verb reaches them, and
// temporary keys are cleared after use (best effort: Go cannot guarantee that
// memory is zeroed). String and GoString print only public keys. The short
// authentication string protects against a man in the middle only if users
// really compare it; the MACs then bind the devices' long-term keys to the
// verified secret.
//
// This package computes; it does not run the verification state machine or
// build the info strings, which depend on user IDs, device IDs and
// transaction IDs and are the Matrix client's job.
//
// [SAS verification]: https://spec.matrix.org/latest/client-server-api/#short-authentication-string-sas-verification
package sas
