// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package ratchet

// Reviewer's note: this package targets correctness, readability and
// reviewability first, then speed. Names and layout follow the Olm spec and
// libolm's ratchet (src/ratchet.cpp) so the code can be reviewed side by side
// with them. State lives in fixed-size arrays, in one allocation behind the
// Ratchet's Box, so that the hot paths allocate nothing but their output.

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"slices"
	"strconv"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/internal/aessha2"
	"github.com/newt-e2ee/newt/internal/alias"
	"github.com/newt-e2ee/newt/internal/redact"
	"github.com/newt-e2ee/newt/internal/wire"
	"github.com/newt-e2ee/newt/internal/x25519"
)

// Protocol constants (libolm src/ratchet.cpp and include/olm/crypto.h).
const (
	// Version is the protocol version byte of an Olm message.
	Version = 3
	// MACSize is the length of the truncated MAC that ends a message.
	MACSize = aessha2.TruncatedMACSize
	// KeySize is the length of a ratchet public key, a root key and a
	// chain key.
	KeySize = 32
	// RandomSize is the number of random bytes a new ratchet key takes.
	RandomSize = x25519.PrivateKeySize
)

// Limits (libolm include/olm/ratchet.hh, MAX_RECEIVER_CHAINS and
// MAX_SKIPPED_MESSAGE_KEYS; src/ratchet.cpp, MAX_MESSAGE_GAP). They bound the
// state of a ratchet and the work an attacker can make a Decrypt do.
const (
	// MaxReceiverChains is the number of receiver chains kept; starting a
	// sixth one evicts the oldest, whose messages then fail to decrypt.
	MaxReceiverChains = 5
	// MaxSkippedMessageKeys is the number of skipped message keys kept,
	// across all chains; newer ones push out the oldest.
	MaxSkippedMessageKeys = 40
	// MaxMessageGap is the largest number of messages a message may be
	// ahead of its chain (a gap of exactly MaxMessageGap is accepted).
	MaxMessageGap = 2000
)

// senderChain is our side of the current ratchet step: T_i and C_i,j.
type senderChain struct {
	ratchetPriv x25519.PrivateKey // T_i, stored unclamped as libolm does
	ratchetPub  [KeySize]byte
	chain       chainKey
}

// receiverChain is the peer's side of one ratchet step.
type receiverChain struct {
	ratchetPub [KeySize]byte
	chain      chainKey
}

// skippedKey is the message key M_i,j of a message not received yet.
type skippedKey struct {
	ratchetPub [KeySize]byte
	key        [32]byte
	index      uint32
}

// Ratchet is the Olm double ratchet state of one session. The zero value has
// no chains: it can be unpickled into, but not used to encrypt or decrypt.
//
// Its keys are kept two pointers away (in an internal/redact Box), so that no
// position of a Ratchet, not even an unexported field of a struct that fmt
// prints by reflection, prints them. A Ratchet therefore must not be copied:
// a copy would share the keys (go vet reports copies); use [Ratchet.Clone]
// for an independent one. It is not safe for concurrent use.
type Ratchet struct {
	_ noCopy
	s redact.Box[state]
}

// noCopy makes go vet's copylocks check report copies of a Ratchet.
type noCopy struct{}

func (*noCopy) Lock()   {}
func (*noCopy) Unlock() {}

// st returns the ratchet's state, allocating it for the zero Ratchet.
func (r *Ratchet) st() *state {
	if s := r.s.Get(); s != nil {
		return s
	}
	r.s = redact.NewBox[state]()
	return r.s.Get()
}

// newRatchet returns a Ratchet allocated together with its state.
func newRatchet() *Ratchet {
	return redact.NewOwner(func(r *Ratchet) *redact.Box[state] { return &r.s })
}

// Clone returns an independent copy of r.
func (r *Ratchet) Clone() *Ratchet {
	c := newRatchet()
	*c.st() = *r.st()
	return c
}

// state is the content of a Ratchet. It holds no pointers, so assigning it
// copies the whole state.
type state struct {
	rootKey      [KeySize]byte // R_i
	hasSender    bool
	sender       senderChain
	numReceivers int
	receivers    [MaxReceiverChains]receiverChain // newest first
	numSkipped   int
	skipped      [MaxSkippedMessageKeys]skippedKey // newest first
	v2           bool                              // vodozemac's session config v2 (config.go)
}

// NewOutbound returns the ratchet of the session initiator ("Alice") after
// the 3DH handshake: R_0 ‖ C_0,0 = HKDF(sharedSecret, 0, "OLM_ROOT", 64) and a
// sender chain on the ratchet key T_0 whose private key is ratchetKey (32
// random bytes, used unclamped as libolm does). For Olm, sharedSecret is the
// 96-byte 3DH secret.
func NewOutbound(sharedSecret, ratchetKey []byte) (*Ratchet, error) {
	if len(ratchetKey) != RandomSize {
		return nil, ErrRandomSize
	}
	r := newRatchet()
	s := r.st()
	deriveRoot(&s.rootKey, &s.sender.chain, sharedSecret)
	copy(s.sender.ratchetPriv[:], ratchetKey)
	s.sender.ratchetPub = x25519.PublicKey(&s.sender.ratchetPriv)
	s.hasSender = true
	return r, nil
}

// NewInbound returns the ratchet of the session responder ("Bob") after the
// 3DH handshake: the same R_0 ‖ C_0,0 as [NewOutbound], with a receiver chain
// on the initiator's ratchet key T_0 (read from the first message) and no
// sender chain yet.
func NewInbound(sharedSecret []byte, theirRatchetKey newt.Curve25519PublicKey) *Ratchet {
	r := newRatchet()
	s := r.st()
	deriveRoot(&s.rootKey, &s.receivers[0].chain, sharedSecret)
	s.receivers[0].ratchetPub = theirRatchetKey.Array()
	s.numReceivers = 1
	return r
}

// NeedsRandom implements [Ratchet.NeedsRandom].
func (r *state) NeedsRandom() bool { return !r.hasSender }

// EncryptedLen implements [Ratchet.EncryptedLen].
func (r *state) EncryptedLen(n int) int {
	index := r.sender.chain.index
	if !r.hasSender {
		index = 0
	}
	return r.messageLen(index, aessha2.EncryptedLen(n))
}

// messageLen is the encoded length of a message at counter with a ciphertext
// of ctLen bytes (libolm src/message.cpp, olm::encode_message_length).
func (r *state) messageLen(counter uint32, ctLen int) int {
	return wire.OlmMessageBodyLen(KeySize, counter, ctLen) + r.macSize()
}

// Encrypt implements [Ratchet.Encrypt].
func (r *state) Encrypt(plaintext []byte) ([]byte, error) {
	return r.AppendEncrypt(nil, plaintext, nil)
}

// AppendEncrypt implements [Ratchet.AppendEncrypt].
func (r *state) AppendEncrypt(dst, plaintext, random []byte) ([]byte, error) {
	if alias.Overlaps(dst, plaintext) {
		// The message header is written before the plaintext is read, so
		// encrypting in place (AppendEncrypt(pt[:0], pt)) needs a copy,
		// cleared once encrypted.
		plaintext = bytes.Clone(plaintext)
		defer clear(plaintext)
	}
	if !r.hasSender {
		if err := r.startSenderChain(random); err != nil {
			return nil, err
		}
	}
	var m [32]byte
	r.sender.chain.messageKey(&m)
	counter := r.sender.chain.index
	r.sender.chain.advance()
	var keys aessha2.Keys
	aessha2.DeriveKeys(&keys, m[:], infoKeys)
	clear(m[:])

	ctLen := aessha2.EncryptedLen(len(plaintext))
	start := len(dst)
	dst = slices.Grow(dst, r.messageLen(counter, ctLen))
	dst = wire.AppendOlmMessageHeader(dst, r.version(), r.sender.ratchetPub[:], counter, ctLen)
	dst = keys.AppendEncrypt(dst, plaintext)
	dst = keys.AppendMAC(dst, dst[start:], r.macSize())
	keys.Clear()
	return dst, nil
}

// startSenderChain implements the ratchet step of "Sending messages": a new
// ratchet key T_i and R_i ‖ C_i,0 = HKDF(DH(T_i, T_i-1), R_i-1,
// "OLM_RATCHET"), where T_i-1 is the newest receiver chain's key. The state
// changes only on success.
func (r *state) startSenderChain(random []byte) error {
	if r.numReceivers == 0 {
		return ErrNoChain
	}
	var s senderChain
	if random == nil {
		rand.Read(s.ratchetPriv[:]) // never fails since Go 1.24
	} else {
		if len(random) != RandomSize {
			return ErrRandomSize
		}
		copy(s.ratchetPriv[:], random)
	}
	var newRoot [KeySize]byte
	if err := advanceRoot(&newRoot, &s.chain, &r.rootKey, &s.ratchetPriv, &r.receivers[0].ratchetPub); err != nil {
		clear(s.ratchetPriv[:])
		return err
	}
	s.ratchetPub = x25519.PublicKey(&s.ratchetPriv)
	r.rootKey = newRoot
	r.sender = s
	r.hasSender = true
	clear(newRoot[:])
	clear(s.ratchetPriv[:])
	s.chain.clear()
	return nil
}

// Decrypt implements [Ratchet.Decrypt].
func (r *state) Decrypt(msg []byte) ([]byte, error) {
	return r.AppendDecrypt(nil, msg)
}

// AppendDecrypt implements [Ratchet.AppendDecrypt].
func (r *state) AppendDecrypt(dst, msg []byte) ([]byte, error) {
	if alias.Overlaps(dst, msg) {
		msg = bytes.Clone(msg) // decrypting into msg's own memory needs a copy
	}
	m, err := decode(msg, r.v2)
	if err != nil {
		return nil, err
	}
	theirKey := m.ratchetKey
	counter := m.counter

	idx := -1
	for i := 0; i < r.numReceivers; i++ {
		if r.receivers[i].ratchetPub == theirKey {
			idx = i
			break
		}
	}

	var work chainKey
	var newRoot [KeySize]byte
	defer clear(newRoot[:])
	defer work.clear()
	switch {
	case idx < 0:
		if !r.hasSender {
			return nil, ErrUnknownChain
		}
		if counter > MaxMessageGap {
			return nil, &MessageGapError{Gap: counter, Max: MaxMessageGap}
		}
		if err := advanceRoot(&newRoot, &work, &r.rootKey, &r.sender.ratchetPriv, &theirKey); err != nil {
			return nil, err
		}
	case r.receivers[idx].chain.index > counter:
		return r.decryptSkipped(dst, msg, &m)
	default:
		work = r.receivers[idx].chain
		if gap := counter - work.index; gap > MaxMessageGap {
			return nil, &MessageGapError{Gap: gap, Max: MaxMessageGap}
		}
	}

	// Advance the copy to the counter, keeping the message keys of the last
	// MaxSkippedMessageKeys skipped indices (newest first): the others would
	// be pushed out of the list by the later ones anyway.
	var keep [MaxSkippedMessageKeys][32]byte
	defer clear(keep[:])
	numKeep := 0
	for work.index < counter {
		if behind := counter - work.index; behind <= MaxSkippedMessageKeys {
			work.messageKey(&keep[behind-1])
			numKeep = max(numKeep, int(behind))
		}
		work.advance()
	}
	var mk [32]byte
	work.messageKey(&mk)
	out, err := openMessage(dst, msg, &m, &mk)
	clear(mk[:])
	if err != nil {
		return nil, err
	}

	// Commit.
	work.advance()
	if idx < 0 {
		copy(r.receivers[1:], r.receivers[:min(r.numReceivers, MaxReceiverChains-1)])
		r.numReceivers = min(r.numReceivers+1, MaxReceiverChains)
		r.receivers[0] = receiverChain{ratchetPub: theirKey, chain: work}
		r.rootKey = newRoot
		r.sender = senderChain{}
		r.hasSender = false
	} else {
		r.receivers[idx].chain = work
	}
	if numKeep > 0 {
		n := min(r.numSkipped, MaxSkippedMessageKeys-numKeep)
		copy(r.skipped[numKeep:], r.skipped[:n])
		for i := range numKeep {
			r.skipped[i] = skippedKey{ratchetPub: theirKey, key: keep[i], index: counter - 1 - uint32(i)}
		}
		for i := numKeep + n; i < r.numSkipped; i++ {
			r.skipped[i] = skippedKey{}
		}
		r.numSkipped = numKeep + n
	}
	return out, nil
}

// decryptSkipped implements step 4 of AppendDecrypt: try each skipped key of
// the message's (ratchet key, counter), newest first, and erase the one that
// works.
func (r *state) decryptSkipped(dst, msg []byte, m *decoded) ([]byte, error) {
	err := ErrMissingMessageKey
	for i := 0; i < r.numSkipped; i++ {
		s := &r.skipped[i]
		if s.index != m.counter || s.ratchetPub != m.ratchetKey {
			continue
		}
		out, e := openMessage(dst, msg, m, &s.key)
		if e != nil {
			err = e
			continue
		}
		copy(r.skipped[i:], r.skipped[i+1:r.numSkipped])
		r.numSkipped--
		r.skipped[r.numSkipped] = skippedKey{}
		return out, nil
	}
	return nil, err
}

// openMessage checks the MAC of msg under the keys of message key mk and only
// then decrypts its ciphertext, appending the plaintext to dst. Every failure
// is ErrBadMAC, as in libolm.
func openMessage(dst, msg []byte, m *decoded, mk *[32]byte) ([]byte, error) {
	var keys aessha2.Keys
	aessha2.DeriveKeys(&keys, mk[:], infoKeys)
	defer keys.Clear()
	body, mac := msg[:len(msg)-m.macLen], msg[len(msg)-m.macLen:]
	if !keys.VerifyMAC(body, mac, m.macLen) {
		return nil, ErrBadMAC
	}
	out, err := keys.Decrypt(dst, m.ciphertext)
	if err != nil {
		return nil, ErrBadMAC
	}
	return out, nil
}

// decoded is the part of a message Decrypt needs.
type decoded struct {
	ratchetKey [KeySize]byte
	counter    uint32
	ciphertext []byte // aliases the message
	macLen     int
}

// decode implements steps 3, 4 and 6 of libolm's decrypt checks.
// v2 selects vodozemac's config v2 (version 4, 32-byte MAC); a message of
// the other config is ErrConfigMismatch.
func decode(msg []byte, v2 bool) (decoded, error) {
	d := decoded{macLen: MACSize}
	version := byte(Version)
	if v2 {
		d.macLen, version = FullMACSize, VersionV2
	}
	if len(msg) == 0 {
		return d, ErrBadMessageFormat
	}
	if msg[0] != version {
		if msg[0] == Version || msg[0] == VersionV2 {
			return d, configMismatch(v2, msg[0])
		}
		return d, ErrBadVersion
	}
	if len(msg) <= d.macLen {
		return d, ErrBadMessageFormat
	}
	m, err := wire.DecodeOlmMessage(msg, d.macLen)
	if err != nil {
		return d, fmt.Errorf("%w: %w", ErrBadMessageFormat, err)
	}
	if !m.HasCounter || m.RatchetKey == nil || m.Ciphertext == nil || len(m.RatchetKey) != KeySize {
		return d, ErrBadMessageFormat
	}
	copy(d.ratchetKey[:], m.RatchetKey)
	d.counter = m.Counter
	d.ciphertext = m.Ciphertext
	return d, nil
}

// Describe implements [Ratchet.Describe].
func (r *state) Describe() string {
	b := make([]byte, 0, 64+12*(r.numReceivers+r.numSkipped))
	var senderIndex uint32
	if r.hasSender {
		senderIndex = r.sender.chain.index
	}
	b = append(b, "sender chain index: "...)
	b = strconv.AppendInt(b, int64(int32(senderIndex)), 10)
	b = append(b, " receiver chain indices:"...)
	for i := 0; i < r.numReceivers; i++ {
		b = append(b, ' ')
		b = strconv.AppendInt(b, int64(int32(r.receivers[i].chain.index)), 10)
	}
	b = append(b, " skipped message keys:"...)
	for i := 0; i < r.numSkipped; i++ {
		b = append(b, ' ')
		b = strconv.AppendInt(b, int64(int32(r.skipped[i].index)), 10)
	}
	return string(b)
}

// String implements [Ratchet.String].
func (r *state) String() string { return "ratchet: " + r.Describe() }

// SenderRatchetKey implements [Ratchet.SenderRatchetKey].
func (r *state) SenderRatchetKey() (newt.Curve25519PublicKey, bool) {
	if !r.hasSender {
		return newt.Curve25519PublicKey{}, false
	}
	return newt.Curve25519PublicKeyFromArray(r.sender.ratchetPub), true
}

// Clear implements [Ratchet.Clear].
func (r *state) Clear() {
	clear(r.rootKey[:])
	clear(r.sender.ratchetPriv[:])
	r.sender.chain.clear()
	for i := range r.receivers {
		r.receivers[i].chain.clear()
	}
	for i := range r.skipped {
		clear(r.skipped[i].key[:])
	}
	*r = state{}
}
