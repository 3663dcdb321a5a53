// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// Package megolm implements Megolm, the group ratchet that encrypts Matrix
// room messages ([Megolm spec]), byte-compatible with libolm 3.2.x. Its hash
// ratchet is internal to this package; package ratchet is Olm's double
// ratchet, which Megolm does not use.
//
// A sender creates a [GroupSession] for a room and shares its [SessionKey]
// with every member over Olm. Each member builds an [InboundGroupSession]
// from it and decrypts the messages ([Message]) the sender encrypts. A member can pass
// its keys on from any later index with [InboundGroupSession.Export]; the
// [ExportedSessionKey] is unsigned, so [ImportInboundGroupSession] marks the
// session unverified. Sessions received several times (from the sender, from
// a key backup, from another device) are reconciled with
// [InboundGroupSession.Compare] and [InboundGroupSession.Merge].
//
// Messages, session keys, exports and pickles ([GroupSession.Pickle],
// [InboundGroupSession.Pickle]) are byte-for-byte libolm's: a newt session
// and a libolm session built from the same random bytes produce the same
// messages, and either library loads the other's pickles.
//
// vodozemac's own pickle formats sit beside libolm's: PickleJSON (the serde
// JSON matrix-sdk-crypto stores; [GroupSessionFromPickleJSON],
// [InboundGroupSessionFromPickleJSON]) and VodozemacPickle (its encrypted
// form, 32-byte key); see docs/vodozemac-formats.md. vodozemac's "v2"
// session config (32-byte MAC, message version 4) is available with
// [SessionConfigV2]; it is not in the Matrix spec, not carried in session
// keys, and never the default.
//
// # Security properties
//
// Megolm gives confidentiality and sender authentication, but no forward
// secrecy within a session and no post-compromise security: anyone holding
// the ratchet at index i can decrypt every later message, so senders rotate
// sessions. Each message is signed with the session's Ed25519 key and
// MAC'd with a key derived from the ratchet. Decryption checks, in order,
// the version, the signature (strictly: S < L, canonical keys, no small-order
// points, where libolm is lax), the index, and the MAC (in constant time),
// and decrypts only then. A failed decryption, export or comparison never
// changes the session: unlike libolm, a message with a valid signature and a
// bad MAC does not move the cached ratchet. There is no replay protection:
// decrypting the same message twice succeeds twice, so callers must reject
// a (session, index) pair they have already seen with different contents.
// Message indexes are u32 and, as in libolm, compared modulo 2³² with a
// 2³¹ window ([InboundGroupSession.Decrypt]). Advancing the ratchet by any
// amount costs at most 1023 HMAC computations.
//
// Secrets (ratchets, signing keys, session keys) are kept in fixed-size arrays
// in unexported fields. String, GoString and every fmt verb print only public
// data (session ID and index); [SessionKey.Base64] and
// [ExportedSessionKey.Base64] are the only ways to get the encoded keys. Go
// cannot guarantee that memory is zeroed. [GroupSession] and
// [InboundGroupSession] are safe for concurrent use.
//
// # Performance
//
// Verifying the Ed25519 signature is most of the cost of a decryption. From
// the fourth message of a session on, [InboundGroupSession.Decrypt] verifies
// with a table precomputed from the session's signing key, about three times
// as fast (building it costs about three plain verifications). The tables
// (48 KiB each) of the most recently used signing keys live in a
// package-wide cache of 16 MiB, about 320 keys, shared by all sessions with
// the same ID; when a table is evicted its sessions go back to the plain
// strict verification. The tables are derived from public keys, are never
// pickled, and make exactly the decisions of the plain verification.
//
// The ciphertext of an m.room.encrypted event is the unpadded base64
// message: [GroupSession.EncryptBase64] and
// [InboundGroupSession.DecryptBase64] go from plaintext to that string and
// back with two allocations each (the output and crypto/aes's key
// schedule), and their Append forms reuse the caller's buffer and allocate
// only the key schedule. They give exactly the results and errors of
// [GroupSession.Encrypt] + [Message.Base64] and [ParseMessage] +
// [InboundGroupSession.Decrypt]. Messages are public, so their base64 is
// decoded in variable time, and so is the text of a pickle (ciphertext and
// MAC only); keys use a constant-time decoder.
// [InboundGroupSessionFromPickle] checks the signing key's encoding and
// leaves decoding it to the first verification, so loading a session costs
// about as much as decrypting its pickle.
//
// For one-to-one encryption and for sharing session keys use package olm;
// for key backup use package pk.
//
// [Megolm spec]: https://gitlab.matrix.org/matrix-org/olm/-/blob/master/docs/megolm.md
package megolm
