// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package olm

// Reviewer's note: session setup follows "Initial setup" of the Olm spec and
// libolm's olm::Session (src/session.cpp: new_outbound_session,
// new_inbound_session, check_message_fields); the ratchet itself is in
// package ratchet. Names follow the spec: I_A, E_A (Alice's identity and base
// keys), I_B, E_B (Bob's identity and one-time keys), T_0 (Alice's first
// ratchet key), S (the 3DH secret).

import (
	"bytes"
	"crypto/rand"
	"slices"
	"sync"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/internal/alias"
	"github.com/newt-e2ee/newt/internal/wire"
	"github.com/newt-e2ee/newt/internal/x25519"
	"github.com/newt-e2ee/newt/ratchet"
)

// SessionRandomSize is the randomness a new outbound session takes: the
// base key E_A and the first ratchet key T_0.
const SessionRandomSize = 64

// SessionKeys are the three public keys that identify a session: Alice's
// identity key I_A, her base key E_A and Bob's one-time key E_B.
type SessionKeys struct {
	// IdentityKey is the initiator's Curve25519 identity key I_A.
	IdentityKey newt.Curve25519PublicKey
	// BaseKey is the initiator's base key E_A.
	BaseKey newt.Curve25519PublicKey
	// OneTimeKey is the responder's one-time or fallback key E_B.
	OneTimeKey newt.Curve25519PublicKey
}

// Session is one side of an Olm session between two devices. It is safe
// for concurrent use; its methods are serialised by a lock, so two
// goroutines never use the same message key. The zero value is not usable:
// sessions come from [Account.NewOutboundSession],
// [Account.NewInboundSession] (and its variants) and [SessionFromPickle].
type Session struct {
	mu sync.Mutex

	aliceIdentityKey [32]byte // I_A
	aliceBaseKey     [32]byte // E_A
	bobOneTimeKey    [32]byte // E_B
	receivedMessage  bool
	fromFallbackKey  bool             // created by us from a pre-key message to a fallback key
	ratchet          *ratchet.Ratchet // never nil
	vz               *vzMeta          // what a session read from vodozemac's JSON keeps of it, or nil
}

// NewOutboundSession starts a session with the device whose Curve25519
// identity key is theirIdentityKey, using one of its one-time (or fallback)
// keys, with fresh keys from crypto/rand. It implements the initiator's
// "Initial setup" (3DH). The session sends [PreKeyMessage]s until it
// receives a reply. The account is not modified.
//
// It fails with [ErrNonContributory] if either key has low order.
func (a *Account) NewOutboundSession(theirIdentityKey, theirOneTimeKey newt.Curve25519PublicKey) (*Session, error) {
	var random [SessionRandomSize]byte
	rand.Read(random[:]) // never fails since Go 1.24
	s, err := a.newOutboundSession(theirIdentityKey, theirOneTimeKey, &random)
	clear(random[:])
	return s, err
}

// newOutboundSession implements olm_create_outbound_session on fixed
// randomness: random[0:32] is the base key E_A, random[32:64] the ratchet key
// T_0. S = DH(I_A, E_B) ‖ DH(E_A, I_B) ‖ DH(E_A, E_B), in exactly this order.
func (a *Account) newOutboundSession(theirIdentityKey, theirOneTimeKey newt.Curve25519PublicKey, random *[SessionRandomSize]byte) (*Session, error) {
	a.mu.Lock()
	identityPriv := a.k().identityPriv
	identityPub := a.identityPub
	a.mu.Unlock()
	defer clear(identityPriv[:])

	var basePriv x25519.PrivateKey
	copy(basePriv[:], random[0:32])
	defer clear(basePriv[:])
	ib := theirIdentityKey.Array()
	eb := theirOneTimeKey.Array()

	var secret [96]byte
	defer clear(secret[:])
	if err := dh3(&secret, &identityPriv, &eb, &basePriv, &ib, &basePriv, &eb); err != nil {
		return nil, err
	}
	r, err := ratchet.NewOutbound(secret[:], random[32:64])
	if err != nil {
		return nil, fromRatchet(err)
	}
	s := &Session{
		aliceIdentityKey: identityPub,
		aliceBaseKey:     x25519.PublicKey(&basePriv),
		bobOneTimeKey:    eb,
		ratchet:          r,
	}
	return s, nil
}

// dh3 sets secret to DH(p1, q1) ‖ DH(p2, q2) ‖ DH(p3, q3) and fails with
// ErrNonContributory if any of them is all zeros (libolm does not check).
func dh3(secret *[96]byte, p1 *x25519.PrivateKey, q1 *[32]byte, p2 *x25519.PrivateKey, q2 *[32]byte, p3 *x25519.PrivateKey, q3 *[32]byte) error {
	pairs := [3]struct {
		p *x25519.PrivateKey
		q *[32]byte
	}{{p1, q1}, {p2, q2}, {p3, q3}}
	for i, pq := range pairs {
		s, err := x25519.DH(pq.p, pq.q)
		if err != nil {
			clear(secret[:])
			return ErrNonContributory
		}
		copy(secret[32*i:], s[:])
		clear(s[:])
	}
	return nil
}

// NewInboundSession creates the responder's side of a session from the
// first pre-key message msg and decrypts that message. It returns the
// session and the plaintext together. This is the call to use for a new
// pre-key message; [Account.NewInboundSessionFrom] also checks the sender's
// identity key, which Matrix always knows (the event's sender_key), and
// [Account.NewInboundSessionBase64] takes the strings of the event.
//
// The message's one-time key is looked up among the account's one-time keys,
// then the current fallback key, then the previous one
// ([ErrMissingOneTimeKey]). S = DH(E_B, I_A) ‖ DH(I_B, E_A) ‖ DH(E_B, E_A)
// ([ErrNonContributory] if any is zero, or if the inner message's ratchet key
// T_0, the peer key of the session's first sender chain, has low order), then
// the inner message is decrypted.
//
// Only if it decrypted is the one-time key removed from the account (a
// fallback key is never removed); on any error the account is left exactly
// as it was. libolm instead creates the session without decrypting and
// leaves the removal to the caller; [Account.PrepareInboundSession] offers
// that lower-level sequence for code that needs it.
//
// Because fallback keys stay, the same pre-key message sent to a fallback
// key can create a session twice, and its plaintext is then returned twice.
// Before calling NewInboundSession, look for an existing session with the
// message's [PreKeyMessage.SessionID] (or [Session.Matches]) and decrypt
// with that session instead. The check that a pre-key message belongs to a
// session is routing, not authentication: the message's MAC, checked by the
// decryption, is what authenticates it.
func (a *Account) NewInboundSession(msg *PreKeyMessage) (*Session, []byte, error) {
	return a.newInboundSessionDecrypt(nil, msg, SessionConfig{})
}

// NewInboundSessionFrom is [Account.NewInboundSession] for a message that
// must come from the device whose Curve25519 identity key is
// theirIdentityKey: a message with another identity key fails with
// [ErrIdentityKeyMismatch] (libolm's olm_create_inbound_session_from).
func (a *Account) NewInboundSessionFrom(theirIdentityKey newt.Curve25519PublicKey, msg *PreKeyMessage) (*Session, []byte, error) {
	return a.newInboundSessionDecrypt(&theirIdentityKey, msg, SessionConfig{})
}

// NewInboundSessionBase64 is [Account.NewInboundSessionFrom] on the strings
// of an m.olm.v1.curve25519-aes-sha2 event: theirIdentityKey is its
// sender_key and body the body of a ciphertext of type 0 (pre-key). Errors
// are those of [newt.ParseCurve25519PublicKey], [ParsePreKeyMessage] and
// NewInboundSessionFrom.
func (a *Account) NewInboundSessionBase64(theirIdentityKey, body string) (*Session, []byte, error) {
	key, err := newt.ParseCurve25519PublicKey(theirIdentityKey)
	if err != nil {
		return nil, nil, err
	}
	msg, err := ParsePreKeyMessage(body)
	if err != nil {
		return nil, nil, err
	}
	return a.newInboundSessionDecrypt(&key, msg, SessionConfig{})
}

// newInboundSessionDecrypt creates the session and decrypts msg with it,
// then removes the one-time key; theirIdentityKey is optional, cfg the
// session config (config.go).
func (a *Account) newInboundSessionDecrypt(theirIdentityKey *newt.Curve25519PublicKey, msg *PreKeyMessage, cfg SessionConfig) (*Session, []byte, error) {
	if msg == nil {
		return nil, nil, ErrBadMessageFormat
	}
	if theirIdentityKey != nil && *theirIdentityKey != msg.IdentityKey() {
		return nil, nil, ErrIdentityKeyMismatch
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	s, oneTime, err := a.newInboundSession(msg)
	if err != nil {
		return nil, nil, err
	}
	s.ratchet.SetConfigVersion(cfg.Version())
	plaintext, err := s.ratchet.Decrypt(msg.inner.raw)
	if err != nil {
		s.ratchet.Clear()
		return nil, nil, fromRatchet(err)
	}
	s.receivedMessage = true
	if oneTime {
		a.removeOneTimeKey(&s.bobOneTimeKey)
	}
	return s, plaintext, nil
}

// PrepareInboundSession is the lower-level sequence of libolm's
// olm_create_inbound_session, for code built around it (such as a backend
// of another library's Olm interface): it creates the responder's session
// from the pre-key message msg but neither decrypts msg nor removes the
// one-time key. The caller then decrypts msg with [Session.Decrypt] and,
// once that succeeded, removes the key with [Account.RemoveOneTimeKeys].
// Several sessions may be prepared from one key before it is removed.
//
// New code should use [Account.NewInboundSession], which does the three
// steps at once and removes the key only after the message decrypted, so a
// forged pre-key message cannot use up a one-time key. With this sequence
// that guarantee is the caller's: remove the key only after Decrypt
// succeeded. The account is not modified.
//
// Errors are those of NewInboundSession before decryption:
// [ErrBadMessageFormat], [ErrMissingOneTimeKey], [ErrNonContributory].
func (a *Account) PrepareInboundSession(msg *PreKeyMessage) (*Session, error) {
	return a.prepareInboundSession(nil, msg)
}

// PrepareInboundSessionFrom is [Account.PrepareInboundSession] for a
// message that must come from the device whose Curve25519 identity key is
// theirIdentityKey ([ErrIdentityKeyMismatch] otherwise), libolm's
// olm_create_inbound_session_from.
func (a *Account) PrepareInboundSessionFrom(theirIdentityKey newt.Curve25519PublicKey, msg *PreKeyMessage) (*Session, error) {
	return a.prepareInboundSession(&theirIdentityKey, msg)
}

func (a *Account) prepareInboundSession(theirIdentityKey *newt.Curve25519PublicKey, msg *PreKeyMessage) (*Session, error) {
	if msg == nil {
		return nil, ErrBadMessageFormat
	}
	if theirIdentityKey != nil && *theirIdentityKey != msg.IdentityKey() {
		return nil, ErrIdentityKeyMismatch
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	s, _, err := a.newInboundSession(msg)
	return s, err
}

// newInboundSession implements olm_create_inbound_session without the
// decryption: the session as libolm has it before its first decrypt. The
// caller holds a.mu.
func (a *Account) newInboundSession(msg *PreKeyMessage) (s *Session, oneTime bool, err error) {
	ourOneTimePriv, oneTime, ok := a.lookupKey(&msg.oneTimeKey)
	if !ok {
		return nil, false, ErrMissingOneTimeKey
	}
	// The inner message's ratchet key T_0 is the peer key of our first sender
	// chain: a low-order T_0 would give the all-zero secret at our first
	// Encrypt, so refuse it now, before anything changes and before the
	// three DHs (libolm does not check).
	if x25519.IsSmallOrder(&msg.inner.ratchetKey) {
		return nil, false, ErrNonContributory
	}
	var secret [96]byte
	defer clear(secret[:])
	if err := dh3(&secret, ourOneTimePriv, &msg.identityKey, &a.k().identityPriv, &msg.baseKey, ourOneTimePriv, &msg.baseKey); err != nil {
		return nil, false, err
	}
	s = &Session{
		aliceIdentityKey: msg.identityKey,
		aliceBaseKey:     msg.baseKey,
		bobOneTimeKey:    msg.oneTimeKey,
		fromFallbackKey:  !oneTime,
	}
	s.ratchet = ratchet.NewInbound(secret[:], newt.Curve25519PublicKeyFromArray(msg.inner.ratchetKey))
	return s, oneTime, nil
}

// ID returns the session ID, b64(SHA-256(I_A ‖ E_A ‖ E_B)), the same on
// both sides (olm_session_id).
func (s *Session) ID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return sessionID(&s.aliceIdentityKey, &s.aliceBaseKey, &s.bobOneTimeKey)
}

// CreatedUsingFallbackKey reports whether the session was created from a
// pre-key message sent to one of the account's fallback keys rather than a
// one-time key. A fallback key may have been used by several senders, and a
// replayed pre-key message to it creates the session again, so a client may
// want to ask the sender for a fresh session. (matrix-sdk-crypto keeps a
// flag of the same name on the sending side, set when the key it claimed
// was marked as a fallback key.) It is false for outbound sessions, and for
// sessions loaded from a pickle: neither libolm's format nor vodozemac's
// SessionPickle has room for it.
func (s *Session) CreatedUsingFallbackKey() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.fromFallbackKey
}

// Keys returns the public keys that identify the session.
func (s *Session) Keys() SessionKeys {
	s.mu.Lock()
	defer s.mu.Unlock()
	return SessionKeys{
		IdentityKey: newt.Curve25519PublicKeyFromArray(s.aliceIdentityKey),
		BaseKey:     newt.Curve25519PublicKeyFromArray(s.aliceBaseKey),
		OneTimeKey:  newt.Curve25519PublicKeyFromArray(s.bobOneTimeKey),
	}
}

// HasReceivedMessage reports whether the session has decrypted a message;
// until then it sends pre-key messages.
func (s *Session) HasReceivedMessage() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.receivedMessage
}

// MessageType returns the type of the next message Encrypt produces.
func (s *Session) MessageType() MessageType {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.receivedMessage {
		return MessageTypeNormal
	}
	return MessageTypePreKey
}

// Matches reports whether the pre-key message msg belongs to this session:
// its identity key, base key and one-time key are the session's
// (olm_matches_inbound_session). Use it to route a pre-key message to an
// existing session instead of creating a new one.
//
// Matching is routing, not authentication. The three keys are public and the
// pre-key wrapper carries no MAC: anyone can copy them around a message of
// their own, and a match only says which session to try. What authenticates a
// message is its inner message's MAC, which [Session.Decrypt] checks; a
// message that matches but was not made with the session's keys fails there
// ([ErrBadMAC]) and changes nothing.
func (s *Session) Matches(msg *PreKeyMessage) bool {
	if msg == nil {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.matches(msg)
}

func (s *Session) matches(msg *PreKeyMessage) bool {
	return msg.identityKey == s.aliceIdentityKey &&
		msg.baseKey == s.aliceBaseKey &&
		msg.oneTimeKey == s.bobOneTimeKey
}

// MatchesFrom is [Session.Matches] that also requires the session's
// initiator identity key to be theirIdentityKey
// (olm_matches_inbound_session_from).
func (s *Session) MatchesFrom(theirIdentityKey newt.Curve25519PublicKey, msg *PreKeyMessage) bool {
	if msg == nil {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.aliceIdentityKey == theirIdentityKey.Array() && s.matches(msg)
}

// Encrypt encrypts plaintext. Until the session has received a message the
// result is a *[PreKeyMessage] (type 0), afterwards a *[Message] (type 1).
// A new ratchet key is read from crypto/rand when the ratchet needs one.
//
// It fails with [ErrNonContributory], changing nothing, if the peer's
// current ratchet key has low order.
func (s *Session) Encrypt(plaintext []byte) (EncryptedMessage, error) {
	var random [ratchet.RandomSize]byte
	s.mu.Lock()
	defer s.mu.Unlock()
	m, err := s.encrypt(plaintext, s.randomFor(&random))
	clear(random[:])
	return m, err
}

// randomFor fills buf from crypto/rand and returns it if the ratchet needs a
// new key for the next message, and returns nil otherwise. The caller holds
// s.mu.
func (s *Session) randomFor(buf *[ratchet.RandomSize]byte) []byte {
	if !s.ratchet.NeedsRandom() {
		return nil
	}
	rand.Read(buf[:]) // never fails since Go 1.24
	return buf[:]
}

// encrypt implements olm_encrypt on fixed randomness (used only when the
// ratchet needs a new key). The caller holds s.mu.
func (s *Session) encrypt(plaintext, random []byte) (EncryptedMessage, error) {
	if random == nil && s.ratchet.NeedsRandom() {
		return nil, ErrSessionState
	}
	n := s.ratchet.EncryptedLen(len(plaintext))
	if !s.receivedMessage {
		n = wire.PreKeyMessageLen(32, 32, 32, n)
	}
	t, buf, err := s.appendEncrypt(make([]byte, 0, n), plaintext, random)
	if err != nil {
		return nil, err
	}
	if t == MessageTypeNormal {
		m := new(Message)
		if err := m.decode(buf); err != nil {
			panic("olm: internal error: cannot decode own message: " + err.Error())
		}
		return m, nil
	}
	p := new(PreKeyMessage)
	if err := p.decode(buf); err != nil {
		panic("olm: internal error: cannot decode own pre-key message: " + err.Error())
	}
	return p, nil
}

// appendEncrypt implements olm_encrypt on fixed randomness, appending the
// encoded message (a pre-key message until the session has received one) to
// dst. It checks the randomness as encrypt does. The caller holds s.mu.
func (s *Session) appendEncrypt(dst, plaintext, random []byte) (MessageType, []byte, error) {
	if random == nil && s.ratchet.NeedsRandom() {
		return 0, nil, ErrSessionState
	}
	if alias.Overlaps(dst, plaintext) {
		// The pre-key header is written before the ratchet reads the
		// plaintext: output into the plaintext's memory needs a copy,
		// cleared once encrypted.
		plaintext = bytes.Clone(plaintext)
		defer clear(plaintext)
	}
	t := MessageTypeNormal
	if !s.receivedMessage {
		t = MessageTypePreKey
		innerLen := s.ratchet.EncryptedLen(len(plaintext))
		dst = slices.Grow(dst, wire.PreKeyMessageLen(32, 32, 32, innerLen))
		dst = wire.AppendPreKeyMessageHeader(dst, Version, s.bobOneTimeKey[:], s.aliceBaseKey[:], s.aliceIdentityKey[:], innerLen)
	}
	out, err := s.ratchet.AppendEncrypt(dst, plaintext, random)
	if err != nil {
		return 0, nil, fromRatchet(err)
	}
	return t, out, nil
}

// Decrypt authenticates and decrypts msg and returns its plaintext. For a
// pre-key message the inner message is decrypted, after checking that the
// message belongs to this session ([ErrSessionMismatch]; libolm skips this
// check). That check is routing, not authentication (see [Session.Matches]):
// the inner message's MAC authenticates the message. The inner message of a
// pre-key message, stripped of its wrapper and sent as a normal message (type
// 1), reaches the same session and decrypts the same way; nothing is forged
// by that, since the MAC binds the content to the session's keys.
//
// The ratchet checks of "Receiving messages" apply (see package ratchet):
// failures are [ErrBadMAC], [ErrBadVersion], [ErrBadMessageFormat],
// [ErrMissingMessageKey] (a replay, or a key no longer kept),
// [ErrUnknownChain], [*MessageGapError] and [ErrNonContributory]. On any
// error the session is left exactly as it was. Each message decrypts once.
func (s *Session) Decrypt(msg EncryptedMessage) ([]byte, error) {
	switch m := msg.(type) {
	case *Message:
		if m == nil {
			return nil, ErrBadMessageFormat
		}
		return s.appendDecrypt(nil, m.raw, nil)
	case *PreKeyMessage:
		if m == nil {
			return nil, ErrBadMessageFormat
		}
		return s.appendDecrypt(nil, m.inner.raw, m)
	}
	return nil, ErrBadMessageFormat
}

// appendDecrypt decrypts the encoded normal message raw, appending the
// plaintext to dst. If pre is not nil, raw is its inner message, and pre
// must match the session. It keeps no reference to raw or pre.
func (s *Session) appendDecrypt(dst, raw []byte, pre *PreKeyMessage) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if pre != nil && !s.matches(pre) {
		return nil, ErrSessionMismatch
	}
	plaintext, err := s.ratchet.AppendDecrypt(dst, raw)
	if err != nil {
		return nil, fromRatchet(err)
	}
	s.receivedMessage = true
	return plaintext, nil
}

// Describe returns libolm's olm_session_describe text, for debugging:
// "sender chain index: N receiver chain indices: ... skipped message keys:
// ...". It holds no secret. Unlike libolm it is never truncated.
func (s *Session) Describe() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ratchet.Describe()
}

// String returns the session ID; it holds no secret.
func (s *Session) String() string {
	return "olm.Session{" + s.ID() + "}"
}
