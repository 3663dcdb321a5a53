// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package backend

import (
	"encoding/base64"

	molm "maunium.net/go/mautrix/crypto/olm"
	"maunium.net/go/mautrix/id"

	"github.com/newt-e2ee/newt/megolm"
)

// OutboundGroupSession is mautrix's olm.OutboundGroupSession on a newt
// [megolm.GroupSession]. The zero value is a blank session, which Unpickle
// fills. It is safe for concurrent use: concurrent encryptions get distinct
// message indexes.
type OutboundGroupSession struct {
	s state[megolm.GroupSession, *megolm.GroupSession]
}

var _ molm.OutboundGroupSession = (*OutboundGroupSession)(nil)

// GenerateOutboundGroupSession returns a new Megolm session (newt's
// [megolm.GenerateGroupSession]).
func GenerateOutboundGroupSession() *OutboundGroupSession {
	s := new(OutboundGroupSession)
	s.s.Store(megolm.GenerateGroupSession())
	return s
}

// OutboundGroupSessionFromPickle loads an outbound group session pickle
// written by this backend, goolm or libolm with key. Errors are those of
// [OutboundGroupSession.Unpickle].
func OutboundGroupSessionFromPickle(pickled, key []byte) (*OutboundGroupSession, error) {
	return fromPickle[OutboundGroupSession](pickled, key)
}

// Newt returns the newt session inside s, or nil if s is blank.
func (s *OutboundGroupSession) Newt() *megolm.GroupSession { return s.s.Load() }

// Pickle returns the session encrypted with key in libolm's outbound group
// session pickle format, version 1, as unpadded base64: the bytes goolm and
// libolm write for the same state. An empty key fails with
// crypto/olm.ErrNoKeyProvided.
func (s *OutboundGroupSession) Pickle(key []byte) ([]byte, error) { return s.s.pickle(key) }

// Unpickle replaces the session with the one in pickled, written by this
// backend, goolm or libolm with key. On failure the session is unchanged; the
// errors are those of [Account.Unpickle].
func (s *OutboundGroupSession) Unpickle(pickled, key []byte) error {
	return s.s.unpickle(pickled, key, megolm.GroupSessionFromPickle)
}

// Encrypt encrypts plaintext as the message at the current index, advances
// the ratchet and returns the unpadded base64 message (the ciphertext of an
// m.room.encrypted event). An empty plaintext fails with
// crypto/olm.ErrEmptyInput, as in goolm and libolm.
func (s *OutboundGroupSession) Encrypt(plaintext []byte) ([]byte, error) {
	sess := s.s.Load()
	if sess == nil {
		return nil, ErrBlank
	}
	if len(plaintext) == 0 {
		return nil, molm.ErrEmptyInput
	}
	n := base64.RawStdEncoding.EncodedLen(megolm.EncryptedMessageLen(len(plaintext)))
	return sess.AppendEncryptBase64(make([]byte, 0, n), plaintext), nil
}

// ID returns the session ID (the base64 signing key), or "" for a blank
// session.
func (s *OutboundGroupSession) ID() id.SessionID { return sessionID(&s.s) }

// MessageIndex returns the index the next message will have (0 for a blank
// session).
func (s *OutboundGroupSession) MessageIndex() uint {
	sess := s.s.Load()
	if sess == nil {
		return 0
	}
	return uint(sess.MessageIndex())
}

// Key returns the unpadded base64 session key at the current index, which
// mautrix shares in m.room_key events, or "" for a blank session.
func (s *OutboundGroupSession) Key() string {
	sess := s.s.Load()
	if sess == nil {
		return ""
	}
	return sess.SessionKey().Base64()
}
