// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package backend

import (
	"unsafe"

	molm "maunium.net/go/mautrix/crypto/olm"
	"maunium.net/go/mautrix/id"

	"github.com/newt-e2ee/newt/megolm"
)

// InboundGroupSession is mautrix's olm.InboundGroupSession on a newt
// [megolm.InboundGroupSession]. The zero value is a blank session, which
// Unpickle fills. It is safe for concurrent use.
type InboundGroupSession struct {
	s state[megolm.InboundGroupSession, *megolm.InboundGroupSession]
}

var _ molm.InboundGroupSession = (*InboundGroupSession)(nil)

func newInboundGroupSession(s *megolm.InboundGroupSession) *InboundGroupSession {
	w := new(InboundGroupSession)
	w.s.Store(s)
	return w
}

// NewInboundGroupSession creates a session from the unpadded base64 session
// key of an m.room_key event (libolm's olm_init_inbound_group_session); its
// signature must verify. A malformed key matches
// crypto/olm.ErrLibolmBadSessionKey (and newt's megolm.ErrBadSessionKey), a
// bad signature crypto/olm.ErrBadSignature (megolm.ErrBadSignature).
func NewInboundGroupSession(sessionKey []byte) (*InboundGroupSession, error) {
	if len(sessionKey) == 0 {
		return nil, molm.ErrEmptyInput
	}
	key, err := megolm.ParseSessionKey(string(sessionKey))
	if err != nil {
		return nil, mapErr(err)
	}
	s, err := megolm.NewInboundGroupSession(key)
	if err != nil {
		return nil, mapErr(err)
	}
	return newInboundGroupSession(s), nil
}

// ImportInboundGroupSession creates a session from an unpadded base64
// exported session key (m.forwarded_room_key events, key exports and
// backups; libolm's olm_import_inbound_group_session). The session is
// unverified. Errors are those of [NewInboundGroupSession].
func ImportInboundGroupSession(exportedKey []byte) (*InboundGroupSession, error) {
	if len(exportedKey) == 0 {
		return nil, molm.ErrEmptyInput
	}
	key, err := megolm.ParseExportedSessionKey(string(exportedKey))
	if err != nil {
		return nil, mapErr(err)
	}
	s, err := megolm.ImportInboundGroupSession(key)
	if err != nil {
		return nil, mapErr(err)
	}
	return newInboundGroupSession(s), nil
}

// WrapInboundGroupSession returns s as mautrix's olm.InboundGroupSession, the
// inverse of [InboundGroupSession.Newt]: for sessions that newt created
// itself, such as those package keys decrypts from a key backup or an export
// file, which can then go into a crypto.InboundGroupSession and mautrix's
// crypto store without a detour through base64. The result shares s (newt's
// sessions are safe for concurrent use). A nil s gives a blank session.
// mautrix pickles the session in libolm's format, which has no place for
// megolm.SessionConfigV2, so wrap only sessions of version 1, the one Matrix
// rooms use.
func WrapInboundGroupSession(s *megolm.InboundGroupSession) *InboundGroupSession {
	return newInboundGroupSession(s)
}

// InboundGroupSessionFromPickle loads an inbound group session pickle
// written by this backend, goolm or libolm (versions 1 and 2) with key.
// Errors are those of [InboundGroupSession.Unpickle].
func InboundGroupSessionFromPickle(pickled, key []byte) (*InboundGroupSession, error) {
	return fromPickle[InboundGroupSession](pickled, key)
}

// Newt returns the newt session inside s, or nil if s is blank.
func (s *InboundGroupSession) Newt() *megolm.InboundGroupSession { return s.s.Load() }

// Pickle returns the session encrypted with key in libolm's inbound group
// session pickle format, version 2, as unpadded base64: the bytes goolm and
// libolm write for the same state. An empty key fails with
// crypto/olm.ErrNoKeyProvided.
func (s *InboundGroupSession) Pickle(key []byte) ([]byte, error) { return s.s.pickle(key) }

// Unpickle replaces the session with the one in pickled, written by this
// backend, goolm or libolm with key. On failure the session is unchanged; the
// errors are those of [Account.Unpickle].
func (s *InboundGroupSession) Unpickle(pickled, key []byte) error {
	return s.s.unpickle(pickled, key, megolm.InboundGroupSessionFromPickle)
}

// Decrypt decrypts the unpadded base64 Megolm message (the ciphertext of an
// m.room.encrypted event) and returns its plaintext and index. A message
// before the session's first known index fails with an error matching
// crypto/olm.ErrUnknownMessageIndex, megolm.ErrUnknownMessageIndex and
// *megolm.UnknownMessageIndexError; a bad signature matches
// crypto/olm.ErrBadSignature, a bad MAC ErrBadMAC, a message that does not
// decode ErrBadMessageFormat or ErrWrongProtocolVersion. On failure the
// index is 0 and the session is unchanged.
func (s *InboundGroupSession) Decrypt(message []byte) ([]byte, uint, error) {
	sess := s.s.Load()
	if sess == nil {
		return nil, 0, ErrBlank
	}
	if len(message) == 0 {
		return nil, 0, molm.ErrEmptyInput
	}
	// A string view of message instead of a copy: DecryptBase64 only reads
	// its argument during the call (it decodes it into a buffer of its own)
	// and keeps no reference to it, not even in errors. mautrix does not
	// modify the ciphertext while it decrypts it.
	pt, index, err := sess.DecryptBase64(unsafe.String(unsafe.SliceData(message), len(message)))
	if err != nil {
		return nil, 0, mapErr(err)
	}
	return pt, uint(index), nil
}

// ID returns the session ID (the base64 signing key), or "" for a blank
// session.
func (s *InboundGroupSession) ID() id.SessionID { return sessionID(&s.s) }

// FirstKnownIndex returns the first message index the session decrypts (0
// for a blank session).
func (s *InboundGroupSession) FirstKnownIndex() uint32 {
	sess := s.s.Load()
	if sess == nil {
		return 0
	}
	return sess.FirstKnownIndex()
}

// IsVerified reports whether the session's signing key has been verified
// by a signature (see megolm.InboundGroupSession.IsVerified).
func (s *InboundGroupSession) IsVerified() bool {
	sess := s.s.Load()
	return sess != nil && sess.IsVerified()
}

// Export returns the session's keys from messageIndex on as an unpadded
// base64 exported session key. It never changes the session (libolm's export
// can). An index before the first known one fails with an error matching
// crypto/olm.ErrUnknownMessageIndex, megolm.ErrUnknownMessageIndex and
// *megolm.UnknownMessageIndexError.
func (s *InboundGroupSession) Export(messageIndex uint32) ([]byte, error) {
	sess := s.s.Load()
	if sess == nil {
		return nil, ErrBlank
	}
	key, err := sess.Export(messageIndex)
	if err != nil {
		return nil, mapErr(err)
	}
	return []byte(key.Base64()), nil
}
