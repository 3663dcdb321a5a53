// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package megolm

// Reviewer's note: vodozemac's Megolm "v2" session config
// (docs/vodozemac-formats.md, "Session configs"): the MAC is not truncated
// and messages carry version byte 4. Nothing else changes. It is not in the
// Matrix spec; newt offers it for exchanges with vodozemac peers that opted
// in, and never uses it by default.

import (
	"errors"
	"strconv"

	"github.com/newt-e2ee/newt/internal/aessha2"
	"github.com/newt-e2ee/newt/internal/sessionconfig"
)

// Message version bytes and MAC sizes of the two configs.
const (
	// MessageVersionV2 is the version byte of messages of sessions with
	// [SessionConfigV2] (version 1 messages carry 3).
	MessageVersionV2 = 4
	// FullMACSize is the MAC size of [SessionConfigV2] messages: the whole
	// HMAC-SHA-256.
	FullMACSize = aessha2.MACSize
)

// SessionConfig selects the Megolm message format. The zero value is
// [SessionConfigV1], the format of the Matrix spec and libolm. The config is
// not carried in session keys: both sides must agree on it out of band.
type SessionConfig struct{ c sessionconfig.Config }

// SessionConfigV1 is the default: 8-byte MAC, message version 3.
func SessionConfigV1() SessionConfig { return SessionConfig{} }

// SessionConfigV2 is vodozemac's opt-in config: the untruncated 32-byte
// MAC, message version 4. Only peers that chose it as well (vodozemac with
// its experimental session config) can decrypt such messages.
func SessionConfigV2() SessionConfig { return SessionConfig{sessionconfig.V2()} }

// Version returns 1 or 2.
func (c SessionConfig) Version() int { return c.c.Version() }

// String returns "v1" or "v2".
func (c SessionConfig) String() string { return c.c.String() }

// messageVersion returns the version byte of the config's messages.
func (c SessionConfig) messageVersion() byte {
	if c.c.IsV2() {
		return MessageVersionV2
	}
	return messageVersion
}

// macSize returns the MAC size of the config's messages.
func (c SessionConfig) macSize() int {
	if c.c.IsV2() {
		return FullMACSize
	}
	return MACSize
}

// ErrConfigMismatch means a message's version does not match the session's
// config (a version 4 message for a v1 session or the reverse). The error
// also matches [ErrBadVersion].
var ErrConfigMismatch = errors.New("megolm: message version does not match the session config")

// configMismatch is the error for a message of version got in a session
// with config c.
func configMismatch(c SessionConfig, got byte) error {
	return wrap("message version "+strconv.Itoa(int(got))+" does not match the session config "+c.String(),
		ErrConfigMismatch, ErrBadVersion)
}

// GenerateGroupSessionWithConfig is [GenerateGroupSession] with config c.
func GenerateGroupSessionWithConfig(c SessionConfig) *GroupSession {
	s := GenerateGroupSession()
	s.cfg = c
	return s
}

// Config returns the session's config.
func (s *GroupSession) Config() SessionConfig { return s.cfg }

// NewInboundGroupSessionWithConfig is [NewInboundGroupSession] for a
// session whose sender uses config c.
func NewInboundGroupSessionWithConfig(key *SessionKey, c SessionConfig) (*InboundGroupSession, error) {
	s, err := NewInboundGroupSession(key)
	if err != nil {
		return nil, err
	}
	s.cfg = c
	return s, nil
}

// ImportInboundGroupSessionWithConfig is [ImportInboundGroupSession] for a
// session whose sender uses config c.
func ImportInboundGroupSessionWithConfig(key *ExportedSessionKey, c SessionConfig) (*InboundGroupSession, error) {
	s, err := ImportInboundGroupSession(key)
	if err != nil {
		return nil, err
	}
	s.cfg = c
	return s, nil
}

// Config returns the session's config.
func (s *InboundGroupSession) Config() SessionConfig { return s.cfg }
