// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package megolm

// Reviewer's note: names and layout follow libolm's
// src/outbound_group_session.c so the code can be reviewed side by side.

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"slices"
	"strconv"
	"sync"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/internal/aessha2"
	"github.com/newt-e2ee/newt/internal/alias"
	"github.com/newt-e2ee/newt/internal/b64"
	"github.com/newt-e2ee/newt/internal/ed25519x"
	"github.com/newt-e2ee/newt/internal/redact"
	"github.com/newt-e2ee/newt/internal/scratch"
)

// groupSessionRandomSize is the randomness of a new outbound session, laid
// out as libolm's olm_init_outbound_group_session takes it: R_0,0…R_0,3
// (128 bytes) then the Ed25519 seed of the signing key (32 bytes).
const groupSessionRandomSize = RatchetSize + ed25519x.SeedSize

// GroupSession is the sending side of a Megolm session (libolm's
// OlmOutboundGroupSession): a ratchet that advances once per message and an
// Ed25519 key that signs every message.
//
// Share [GroupSession.SessionKey] with the room's members before sending.
// The message index starts at 0, advances by one per [GroupSession.Encrypt]
// and wraps after 2³² messages as in libolm; rotate sessions long before.
//
// A GroupSession is safe for concurrent use: concurrent encryptions get
// distinct message indexes. The zero value is not usable: create sessions
// with [GenerateGroupSession] or [GroupSessionFromPickle].
type GroupSession struct {
	signing *ed25519x.PrivateKey // immutable
	id      string               // b64 of the public signing key, immutable
	cfg     SessionConfig        // immutable; config.go

	mu sync.Mutex
	// r is R_i at the index of the next message. It is behind a pointer for
	// the reason given in InboundGroupSession.
	r *hashRatchet
}

// GenerateGroupSession creates an outbound session from 160 bytes of
// crypto/rand randomness (libolm src/outbound_group_session.c,
// olm_init_outbound_group_session).
func GenerateGroupSession() *GroupSession {
	var random [groupSessionRandomSize]byte
	rand.Read(random[:]) // never fails (crypto/rand since Go 1.24)
	s := newGroupSessionFromRandom(&random)
	clear(random[:])
	return s
}

// newGroupSessionFromRandom is the deterministic core of [GenerateGroupSession],
// for known-answer tests: random[0:128] is R_0 and random[128:160] is the
// Ed25519 seed, exactly as libolm uses its 160 random bytes.
func newGroupSessionFromRandom(random *[groupSessionRandomSize]byte) *GroupSession {
	s := &GroupSession{r: new(hashRatchet)}
	copy(s.r.data[:], random[:RatchetSize])
	seed := [ed25519x.SeedSize]byte(random[RatchetSize:])
	s.signing = ed25519x.NewKeyFromSeed(&seed)
	clear(seed[:])
	s.init()
	return s
}

// init sets the fields derived from the signing key.
func (s *GroupSession) init() {
	pub := s.signing.Public()
	s.id = b64.EncodeToString(pub[:])
}

// ID returns the session ID: the unpadded base64 of the session's Ed25519
// public signing key (43 characters).
func (s *GroupSession) ID() string { return s.id }

// SigningKey returns the session's Ed25519 public signing key.
func (s *GroupSession) SigningKey() newt.Ed25519PublicKey {
	return newt.Ed25519PublicKeyFromArray(s.signing.Public())
}

// MessageIndex returns the index the next encrypted message will have.
func (s *GroupSession) MessageIndex() uint32 {
	if s.r == nil {
		return 0 // the unusable zero value
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.r.counter
}

// SessionKey returns the signed session key at the current message index
// (libolm src/outbound_group_session.c, olm_outbound_group_session_key):
// recipients built from it decrypt this session's messages from
// [GroupSession.MessageIndex] on.
func (s *GroupSession) SessionKey() *SessionKey {
	s.checkInitialized()
	s.mu.Lock()
	r := *s.r
	s.mu.Unlock()

	var b [SessionKeySize]byte
	pub := s.signing.Public()
	putKeyBody(b[:], sessionKeyVersion, &r, &pub)
	sig := s.signing.Sign(b[:keySignedSize])
	copy(b[keySignedSize:], sig[:])
	r.clear()
	k := newSessionKey(b[:])
	clear(b[:])
	return k
}

// Encrypt encrypts plaintext as the message at the current index and advances
// the ratchet (libolm src/outbound_group_session.c, olm_group_encrypt).
func (s *GroupSession) Encrypt(plaintext []byte) *Message {
	b, index := s.appendEncrypt(nil, plaintext)
	end := len(b) - s.cfg.macSize() - SignatureSize
	return &Message{b: b, ct: b[end-aessha2.EncryptedLen(len(plaintext)) : end], index: index}
}

// AppendEncrypt encrypts plaintext as the message at the current index,
// appends the encoded message (as [Message.Bytes] would return it) to dst and
// returns the extended slice. If dst has room for
// [EncryptedMessageLen](len(plaintext)) more bytes ([FullMACSize] − [MACSize]
// more with [SessionConfigV2]), its only allocation is the AES key schedule.
// dst may share memory with plaintext (encrypting in place,
// AppendEncrypt(buf[:0], buf)): plaintext is then copied first.
func (s *GroupSession) AppendEncrypt(dst, plaintext []byte) []byte {
	out, _ := s.appendEncrypt(dst, plaintext)
	return out
}

// appendEncrypt implements libolm's olm_group_encrypt
// (src/outbound_group_session.c). Under the lock it takes the ratchet at the
// current index i and advances the session to i+1, so every call gets its own
// index; the crypto runs outside the lock on the private copy:
//  1. keys = HKDF(R_i, "MEGOLM_KEYS");
//  2. body = 0x03 ‖ 0x08 varint(i) ‖ 0x12 varint(len) AES-CBC(plaintext);
//  3. append HMAC(mac key, body)[:8];
//  4. append the Ed25519 signature of everything before it.
func (s *GroupSession) appendEncrypt(dst, plaintext []byte) ([]byte, uint32) {
	s.checkInitialized()
	if alias.Overlaps(dst, plaintext) {
		// The message header is written before the plaintext is read, so
		// encrypting in place (AppendEncrypt(pt[:0], pt)) needs a copy,
		// cleared once encrypted.
		plaintext = bytes.Clone(plaintext)
		defer clear(plaintext)
	}
	s.mu.Lock()
	r := *s.r
	s.r.advance()
	s.mu.Unlock()

	var keys aessha2.Keys
	r.keys(&keys)
	index := r.counter
	r.clear()

	start := len(dst)
	dst = slices.Grow(dst, messageLen(index, len(plaintext))-MACSize+s.cfg.macSize())
	dst = appendMessageBody(dst, s.cfg.messageVersion(), index, &keys, plaintext)
	dst = keys.AppendMAC(dst, dst[start:], s.cfg.macSize())
	keys.Clear()
	sig := s.signing.Sign(dst[start:])
	dst = append(dst, sig[:]...)
	return dst, index
}

// Pickle returns the session encrypted with key in libolm's outbound group
// session pickle format, version 1 (libolm src/outbound_group_session.c,
// olm_pickle_outbound_group_session), as unpadded base64. The same state and
// key always give the same pickle, byte-identical to libolm's.
//
// libolm's format has no session config: a session with [SessionConfigV2]
// loads back as version 1 (and then refuses version 4 messages with
// [ErrConfigMismatch]). Use [GroupSession.PickleJSON] or
// [GroupSession.VodozemacPickle] to keep the config.
func (s *GroupSession) Pickle(key []byte) string {
	return scratch.String(s.AppendPickle(nil, key))
}

// AppendPickle is [GroupSession.Pickle] appending the pickle to dst and
// returning the extended slice. dst may share memory with key.
func (s *GroupSession) AppendPickle(dst, key []byte) []byte {
	s.checkInitialized()
	s.mu.Lock()
	r := *s.r
	s.mu.Unlock()
	out := pickleOutbound(dst, key, &r, s.signing)
	r.clear()
	return out
}

// String returns a description of the session that contains no secret,
// only its ID and next message index:
//
//	megolm.GroupSession{session_id: <ID>, index: <N>}
func (s *GroupSession) String() string {
	return "megolm.GroupSession{session_id: " + s.id + ", index: " +
		strconv.FormatUint(uint64(s.MessageIndex()), 10) + "}"
}

// GoString returns the same description as [GroupSession.String], for the
// %#v verb.
func (s *GroupSession) GoString() string { return s.String() }

// Format implements [fmt.Formatter]: every verb prints the description of
// [GroupSession.String] (as it is for %#v, else formatted as fmt formats a
// string for the verb), and never the session's keys.
func (s *GroupSession) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, s.String())
}

// checkInitialized panics on a GroupSession that was not made by a
// constructor (a programming error, never a property of input).
func (s *GroupSession) checkInitialized() {
	if s.signing == nil {
		panic("megolm: use of uninitialized GroupSession")
	}
}
