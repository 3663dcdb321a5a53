// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// Package ratchet implements the double ratchet of the [Olm spec], byte for
// byte as libolm 3.2 does it ([libolm] src/ratchet.cpp). It is Olm's ratchet
// only: Megolm's hash ratchet is a different construction and lives,
// unexported, in package megolm.
//
// Most users want package olm, which wraps this ratchet in sessions,
// accounts, pre-key messages and pickles. Use package ratchet only when the
// Olm shared secret comes from somewhere else than an olm.Account: to test
// or fuzz the ratchet on its own, to reimplement the 3DH handshake, or to
// read the ratchet part of an Olm session pickle.
//
// A [Ratchet] holds the root key R_i, at most one sender chain (our ratchet
// key pair T_i, chain key C_i,j and index j), up to [MaxReceiverChains]
// receiver chains (newest first; a sixth evicts the oldest) and up to
// [MaxSkippedMessageKeys] skipped message keys in a single list shared by
// all chains (newest first; the oldest are dropped), as libolm keeps them.
// The derivations are:
//
//	R_0 ‖ C_0,0   = HKDF(S, salt 0, "OLM_ROOT", 64)             (S = 3DH secret)
//	R_i ‖ C_i,0   = HKDF(DH(T_i-1, T_i), salt R_i-1, "OLM_RATCHET", 64)
//	C_i,j+1       = HMAC-SHA-256(C_i,j, 0x02)
//	M_i,j         = HMAC-SHA-256(C_i,j, 0x01)
//	key ‖ mac ‖ iv = HKDF(M_i,j, salt 0, "OLM_KEYS", 80)
//
// Messages are AES-256-CBC encrypted and carry an 8-byte truncated
// HMAC-SHA-256 over the encoded message body.
//
// Security properties. Decrypt derives everything on copies and changes the
// ratchet only after the MAC and the padding of the message checked out: a
// failed decrypt leaves the state byte-for-byte unchanged (its libolm pickle
// is identical). A message key is used at most once; replays and messages
// older than the kept skipped keys fail with [ErrMissingMessageKey]. A jump
// of more than [MaxMessageGap] messages in one chain fails with
// [*MessageGapError] before any key is derived. Unlike libolm, every
// Diffie-Hellman step rejects a non-contributory (all-zero) result, which a
// low-order ratchet key produces, with [ErrNonContributory]; libolm silently
// keys the chain with zeros. MACs are compared in constant time after an
// exact length check, and the MAC is verified before decryption. Secrets live
// in fixed-size arrays behind two pointers, where no fmt verb reaches them,
// and are cleared when superseded, on a best-effort basis: Go cannot
// guarantee that the runtime made no other copies. [Ratchet.String] prints
// only chain indices.
//
// A Ratchet is not safe for concurrent use.
//
// [Olm spec]: https://gitlab.matrix.org/matrix-org/olm/-/blob/master/docs/olm.md
// [libolm]: https://gitlab.matrix.org/matrix-org/olm
package ratchet
