// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package backend

import (
	molm "maunium.net/go/mautrix/crypto/olm"
	"maunium.net/go/mautrix/id"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/olm"
)

// Session is mautrix's olm.Session on a newt [olm.Session]. The zero value is
// a blank session, which Unpickle fills. It is safe for concurrent use.
type Session struct {
	s state[olm.Session, *olm.Session]
}

var _ molm.Session = (*Session)(nil)

func newSession(s *olm.Session) *Session {
	w := new(Session)
	w.s.Store(s)
	return w
}

// SessionFromPickle loads a session pickle written by this backend, goolm or
// libolm (versions 1 and 0x80000001) with key. Errors are those of
// [Session.Unpickle].
func SessionFromPickle(pickled, key []byte) (*Session, error) {
	return fromPickle[Session](pickled, key)
}

// Newt returns the newt session inside s, or nil if s is blank.
func (s *Session) Newt() *olm.Session { return s.s.Load() }

// Pickle returns the session encrypted with key in libolm's session pickle
// format, version 1, as unpadded base64: the bytes goolm and libolm write for
// the same state. An empty key fails with crypto/olm.ErrNoKeyProvided.
func (s *Session) Pickle(key []byte) ([]byte, error) { return s.s.pickle(key) }

// Unpickle replaces the session with the one in pickled, a session pickle
// written by this backend, goolm or libolm, with key. On failure the session
// is unchanged; the errors are those of [Account.Unpickle].
func (s *Session) Unpickle(pickled, key []byte) error {
	return s.s.unpickle(pickled, key, olm.SessionFromPickle)
}

// ID returns the session ID, the same on both sides, or "" for a blank
// session.
func (s *Session) ID() id.SessionID { return sessionID(&s.s) }

// HasReceivedMessage reports whether the session has decrypted a message.
func (s *Session) HasReceivedMessage() bool {
	sess := s.s.Load()
	return sess != nil && sess.HasReceivedMessage()
}

// MatchesInboundSession reports whether the base64 pre-key message
// oneTimeKeyMsg belongs to this session (libolm's
// olm_matches_inbound_session). A message that does not decode is an error
// matching crypto/olm.ErrBadMessageFormat (or ErrWrongProtocolVersion).
func (s *Session) MatchesInboundSession(oneTimeKeyMsg string) (bool, error) {
	return s.matches("", oneTimeKeyMsg)
}

// MatchesInboundSessionFrom is [Session.MatchesInboundSession] that also
// requires the sender's identity key to be theirIdentityKey, unless that is
// empty.
func (s *Session) MatchesInboundSessionFrom(theirIdentityKey, oneTimeKeyMsg string) (bool, error) {
	return s.matches(theirIdentityKey, oneTimeKeyMsg)
}

func (s *Session) matches(theirIdentityKey, body string) (bool, error) {
	sess := s.s.Load()
	if sess == nil {
		return false, ErrBlank
	}
	if len(body) == 0 {
		return false, molm.ErrEmptyInput
	}
	msg, err := olm.ParsePreKeyMessage(body)
	if err != nil {
		return false, mapErr(err)
	}
	if theirIdentityKey == "" {
		return sess.Matches(msg), nil
	}
	ik, err := newt.ParseCurve25519PublicKey(theirIdentityKey)
	if err != nil {
		return false, mapErr(err)
	}
	return sess.MatchesFrom(ik, msg), nil
}

// EncryptMsgType returns the type of the next message Encrypt produces: 0
// (pre-key) until the session has received a message, then 1.
func (s *Session) EncryptMsgType() id.OlmMsgType {
	sess := s.s.Load()
	if sess == nil {
		return id.OlmMsgTypePreKey
	}
	return id.OlmMsgType(sess.MessageType())
}

// Encrypt encrypts plaintext and returns the message's type and its unpadded
// base64 body, the "type" and "body" of an m.olm.v1.curve25519-aes-sha2
// ciphertext. An empty plaintext fails with crypto/olm.ErrEmptyInput, as in
// goolm and libolm.
func (s *Session) Encrypt(plaintext []byte) (id.OlmMsgType, []byte, error) {
	sess := s.s.Load()
	if sess == nil {
		return 0, nil, ErrBlank
	}
	if len(plaintext) == 0 {
		return 0, nil, molm.ErrEmptyInput
	}
	// At most 4·⌈(n+180)/3⌉ bytes (olm.Session.AppendEncryptBase64), so
	// the body is the only allocation besides the AES key schedule.
	dst := make([]byte, 0, 4*((len(plaintext)+180+2)/3))
	t, body, err := sess.AppendEncryptBase64(dst, plaintext)
	if err != nil {
		return 0, nil, mapErr(err)
	}
	return id.OlmMsgType(t), body, nil
}

// Decrypt decrypts the message of type msgType (0 pre-key, 1 normal; others
// are errors) whose unpadded base64 body is message. On failure the session is
// unchanged. A bad MAC matches crypto/olm.ErrBadMAC, a message that does not
// decode ErrBadMessageFormat, a replayed message ErrMessageKeyNotFound, a
// pre-key message of another session ErrBadMessageKeyID, a message too far
// ahead ErrMsgIndexTooHigh; each error also matches newt's.
func (s *Session) Decrypt(message string, msgType id.OlmMsgType) ([]byte, error) {
	sess := s.s.Load()
	if sess == nil {
		return nil, ErrBlank
	}
	if len(message) == 0 {
		return nil, molm.ErrEmptyInput
	}
	pt, err := sess.DecryptBase64(olm.MessageType(msgType), message)
	if err != nil {
		return nil, mapErr(err)
	}
	return pt, nil
}

// Describe returns libolm's olm_session_describe text, for debugging, or ""
// for a blank session.
func (s *Session) Describe() string {
	sess := s.s.Load()
	if sess == nil {
		return ""
	}
	return sess.Describe()
}
