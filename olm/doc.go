// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// Package olm implements the [Olm] end-to-end encryption protocol used by
// Matrix for device-to-device messages, byte-compatible with libolm 3.2
// ([libolm] src/account.cpp and src/session.cpp): accounts, sessions, their
// messages and their libolm pickles.
//
// An [Account] is a device's long-term identity: an Ed25519 signing key
// (the fingerprint key, see [Account.Sign]), a Curve25519 identity key, up to
// [MaxOneTimeKeys] one-time keys and up to two fallback keys. Alice starts a
// [Session] with [Account.NewOutboundSession] using Bob's identity key and one
// of his one-time keys (the triple Diffie-Hellman handshake); her first
// messages are [PreKeyMessage]s. Bob turns the first one into his side of the
// session with [Account.NewInboundSession], which returns the session and the
// first plaintext together. From then on both sides exchange [Message]s and
// the double ratchet (package ratchet) gives each message its own key.
//
// Matrix carries a message as its type and its unpadded base64 body.
// [Session.EncryptBase64] and [Session.DecryptBase64] go from plaintext to
// that pair and back with two allocations each (the output and crypto/aes's
// key schedule); their Append forms reuse the caller's buffer and allocate
// only the key schedule. They give exactly the results and errors of the
// struct API ([Session.Encrypt], [ParseEncryptedMessage], [Session.Decrypt]),
// which remains for inspecting messages. Messages are public, so their base64
// is decoded in variable time, and so is the text of a pickle (ciphertext
// and MAC only); keys use a constant-time decoder.
//
// Security properties. Messages are authenticated with an 8-byte truncated
// HMAC-SHA-256 that is checked in constant time before anything is
// decrypted, and a failed [Session.Decrypt] or [Account.NewInboundSession]
// leaves the session or account byte-for-byte unchanged (its pickle is
// identical). A one-time key is consumed only after the pre-key message that
// uses it decrypted, so forged pre-key messages cannot burn keys; fallback
// keys are never consumed. Each message key decrypts once: replays fail with
// [ErrMissingMessageKey]. newt is stricter than libolm where libolm is
// unsafe: every Diffie-Hellman result is checked, and a low-order key
// (identity, one-time, base or ratchet) fails with [ErrNonContributory]
// where libolm would key the session with zeros; message decoding rejects
// unknown versions (including the pre-key wrapper's version byte, which
// libolm ignores), duplicate fields and non-minimal varints; a pre-key
// message is decrypted by a session only if its keys match that session.
// Honest libolm traffic is never affected by these checks.
//
// Secrets live in fixed-size arrays behind two pointers, where no fmt verb
// reaches them, and are cleared when superseded, on a best-effort basis: Go
// cannot guarantee that the runtime made no other copies. String methods and
// errors print only public values (keys, session IDs, indices). Pickles use
// libolm's format and envelope: the pickle key is used as given (no password
// hashing), and the same key and state always give the same pickle.
//
// vodozemac's own formats sit beside libolm's: [Account.PickleJSON] and
// [Session.PickleJSON] (the serde JSON matrix-sdk-crypto stores, read back
// with [AccountFromPickleJSON] and [SessionFromPickleJSON]), their encrypted
// form ([Account.VodozemacPickle], 32-byte key), and dehydrated devices
// (MSC3814, [Account.DehydratedDeviceJSON],
// [AccountFromDehydratedDeviceJSON]). What each conversion keeps and refuses
// ([ErrNotRepresentable]) is in docs/vodozemac-formats.md. vodozemac's "v2"
// session config (32-byte MAC, message version 4) is available with
// [SessionConfigV2]; it is not in the Matrix spec and never the default.
//
// [Account] and [Session] are safe for concurrent use: each method holds the
// object's lock, so two goroutines can never encrypt with the same message
// key. Messages are immutable values.
//
// Room messages use Megolm (package megolm), whose session keys are sent over
// Olm. Package ratchet exposes the double ratchet under [Session] on its
// own, for code that has an Olm shared secret from elsewhere.
//
// [Olm]: https://gitlab.matrix.org/matrix-org/olm/-/blob/master/docs/olm.md
// [libolm]: https://gitlab.matrix.org/matrix-org/olm
package olm
