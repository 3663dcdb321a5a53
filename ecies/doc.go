// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// Package ecies implements the secure channel of [MSC4108] (QR code login,
// the 2024 version), byte-compatible with vodozemac's ecies module: an
// ephemeral X25519 agreement, keys and a two-byte check code from
// HKDF-SHA-512, and ChaCha20-Poly1305 with a per-direction message counter
// as the nonce.
//
// One side (the recipient, which shows the QR code) sends its
// [Ecies.PublicKey] out of band; the other (the initiator) calls
// [Ecies.EstablishOutbound] with it and sends the [InitialMessage]; the
// recipient calls [Ecies.EstablishInbound]. Both then hold a [Channel] and
// compare its [Channel.CheckCode] through the user before trusting it. The
// wire forms are in docs/vodozemac-formats.md, "ECIES".
//
// Security properties. A peer key of low order is refused
// ([ErrNonContributory]). Each Ecies establishes one channel and then
// erases its secret key. Messages authenticate with Poly1305 before they
// are returned, and a message that does not authenticate changes nothing:
// unlike vodozemac, which consumes the receive nonce on any attempt, a
// forged or damaged message does not desynchronise the channel. Messages
// must arrive in order. The channel only authenticates the other side
// through the check code: without that comparison it is an unauthenticated
// key agreement. Keys are held in memory until the channel is dropped; Go
// cannot guarantee that they are erased.
//
// [MSC4108]: https://github.com/matrix-org/matrix-spec-proposals/pull/4108
package ecies
