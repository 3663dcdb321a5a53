// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package ratchet

import "github.com/newt-e2ee/newt"

// The exported methods of Ratchet, each on the state in its Box.

// ConfigVersion returns the ratchet's session config version, 1 or 2.
func (r *Ratchet) ConfigVersion() int { return r.st().ConfigVersion() }

// SetConfigVersion sets the session config version, 1 or 2; other values
// are ignored. Both sides of a session must use the same version. libolm's
// pickle has no place for it: a version 2 ratchet pickled in libolm's format
// loads as version 1.
func (r *Ratchet) SetConfigVersion(v int) { r.st().SetConfigVersion(v) }

// LibolmLen returns the length of [Ratchet.AppendLibolm]'s output.
func (r *Ratchet) LibolmLen() int { return r.st().LibolmLen() }

// AppendLibolm appends the ratchet part of libolm's session pickle plaintext
// (libolm src/ratchet.cpp, olm::pickle) to dst: the root key, then the sender
// chains (0 or 1: ratchet public key, private key, chain key, u32 index), the
// receiver chains (newest first: ratchet key, chain key, index) and the
// skipped message keys (newest first: ratchet key, message key, index), each
// list preceded by its u32 big-endian count. The output holds secrets: it is
// meant to be encrypted at once (package olm does this).
func (r *Ratchet) AppendLibolm(dst []byte) []byte { return r.st().AppendLibolm(dst) }

// UnmarshalLibolm replaces r with the ratchet encoded at the start of b in
// [Ratchet.AppendLibolm]'s layout and returns the number of bytes it used.
// A list longer than its capacity (1 sender chain, [MaxReceiverChains]
// receiver chains, [MaxSkippedMessageKeys] skipped keys) is read as libolm
// reads it: the first entries fill the list and every further entry
// overwrites the last slot. libolm never writes such pickles, but older
// implementations (goolm before 2026) kept more receiver chains, so their
// pickles load. A count that claims more entries than the remaining input
// holds is [ErrCorruptedPickle] at once, before anything is read, so a forged
// count costs nothing. Keys are taken as stored, as libolm does: the
// sender's public key is not recomputed. On error r is unchanged.
func (r *Ratchet) UnmarshalLibolm(b []byte) (int, error) { return r.st().UnmarshalLibolm(b) }

// NeedsRandom reports whether the next Encrypt starts a new sender chain and
// so needs [RandomSize] bytes of randomness (libolm's
// olm_encrypt_random_length is 32 exactly then).
func (r *Ratchet) NeedsRandom() bool { return r.st().NeedsRandom() }

// EncryptedLen returns the length of the message Encrypt produces for a
// plaintext of n bytes.
func (r *Ratchet) EncryptedLen(n int) int { return r.st().EncryptedLen(n) }

// Encrypt encrypts plaintext and returns the encoded Olm message. It reads
// crypto/rand when a new ratchet key is needed.
func (r *Ratchet) Encrypt(plaintext []byte) ([]byte, error) { return r.st().Encrypt(plaintext) }

// AppendEncrypt implements "Sending normal messages" of the Olm spec (libolm
// src/ratchet.cpp, olm::Ratchet::encrypt): it appends the encoded Olm message
// carrying plaintext to dst and returns the extended slice. If there is no
// sender chain ([Ratchet.NeedsRandom]), it first starts one: random supplies
// the new ratchet private key T_i, or crypto/rand does when random is nil,
// and R_i ‖ C_i,0 is derived against the newest receiver chain's ratchet key.
// The message key M_i,j of the current chain index encrypts the message and
// the chain advances. random is ignored when no new chain is needed.
//
// It fails, changing nothing, with [ErrNonContributory] when the peer's
// ratchet key has low order, [ErrNoChain] when there is no chain at all, and
// [ErrRandomSize] for randomness of the wrong length. When dst has enough
// capacity, the only allocation is crypto/aes's key schedule. dst may share
// memory with plaintext (encrypting in place): plaintext is then copied
// first.
func (r *Ratchet) AppendEncrypt(dst, plaintext, random []byte) ([]byte, error) {
	return r.st().AppendEncrypt(dst, plaintext, random)
}

// Decrypt authenticates and decrypts the encoded Olm message msg and returns
// its plaintext. See [Ratchet.AppendDecrypt].
func (r *Ratchet) Decrypt(msg []byte) ([]byte, error) { return r.st().Decrypt(msg) }

// AppendDecrypt implements "Receiving messages" exactly as libolm orders it
// (src/ratchet.cpp, olm::Ratchet::decrypt), appends the plaintext to dst and
// returns the extended slice:
//
//  1. decode the message; a version byte other than [Version] is
//     [ErrBadVersion]; a missing counter, ratchet key or ciphertext, or a
//     ratchet key that is not 32 bytes, is [ErrBadMessageFormat];
//  2. find the receiver chain of the message's ratchet key, newest first;
//  3. no chain: the message starts a new chain. It needs our sender chain
//     ([ErrUnknownChain]) and a counter of at most [MaxMessageGap]
//     ([*MessageGapError]); R_i ‖ C_i,0 comes from DH(our T, their T)
//     ([ErrNonContributory] if all zero);
//  4. a chain ahead of the counter: the message key must be among the
//     skipped keys, looked up by (ratchet key, index) ([ErrMissingMessageKey]);
//  5. otherwise the chain may be at most [MaxMessageGap] messages behind;
//  6. the chain copy is advanced to the counter, the MAC over the received
//     bytes is checked, then the ciphertext is decrypted ([ErrBadMAC]).
//
// Only then does the state change: a new chain is inserted first (a sixth
// evicts the oldest), the root key replaced and the sender chain dropped; the
// keys of skipped messages are kept (at most [MaxSkippedMessageKeys], newest
// first); a used skipped key is erased. On any error the ratchet is left
// exactly as it was, and dst's contents past len(dst) are unspecified. dst
// may share memory with msg (decrypting in place): msg is then copied first.
func (r *Ratchet) AppendDecrypt(dst, msg []byte) ([]byte, error) {
	return r.st().AppendDecrypt(dst, msg)
}

// Describe returns libolm's olm_session_describe text for the ratchet
// (src/session.cpp, olm::Session::describe): "sender chain index: N receiver
// chain indices: ... skipped message keys: ...", chains and keys newest
// first, with a sender chain index of 0 when there is no sender chain. It
// holds no secret. Indices are printed as libolm's %d prints them (as signed
// 32-bit values).
func (r *Ratchet) Describe() string { return r.st().Describe() }

// String returns a description that holds no secret: the same as Describe.
func (r *Ratchet) String() string { return r.st().String() }

// SenderRatchetKey returns our current ratchet public key T_i and true, or
// false when there is no sender chain.
func (r *Ratchet) SenderRatchetKey() (newt.Curve25519PublicKey, bool) {
	return r.st().SenderRatchetKey()
}

// Clear overwrites every secret of the ratchet and leaves it empty (best
// effort; see the package doc).
func (r *Ratchet) Clear() { r.st().Clear() }
