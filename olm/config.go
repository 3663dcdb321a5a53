// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package olm

// Reviewer's note: vodozemac's Olm "v2" session config
// (docs/vodozemac-formats.md, "Session configs"): normal messages and the
// inner message of a pre-key message carry version byte 4 and the whole
// 32-byte MAC; the pre-key wrapper stays version 3. Not in the Matrix spec,
// opt-in, never the default. The ratchet does the work (ratchet/config.go).

import (
	"errors"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/internal/sessionconfig"
	"github.com/newt-e2ee/newt/ratchet"
)

const (
	// VersionV2 is the version byte of the messages of [SessionConfigV2]
	// sessions (the pre-key wrapper keeps [Version]).
	VersionV2 = ratchet.VersionV2
	// FullMACSize is the MAC size of [SessionConfigV2] messages.
	FullMACSize = ratchet.FullMACSize
)

// SessionConfig selects the Olm message format. The zero value is
// [SessionConfigV1], the Matrix spec's and libolm's.
type SessionConfig struct{ c sessionconfig.Config }

// SessionConfigV1 is the default: 8-byte MAC, message version 3.
func SessionConfigV1() SessionConfig { return SessionConfig{} }

// SessionConfigV2 is vodozemac's opt-in config: 32-byte MAC, message
// version 4. Only peers that chose it as well can read such messages.
func SessionConfigV2() SessionConfig { return SessionConfig{sessionconfig.V2()} }

// Version returns 1 or 2.
func (c SessionConfig) Version() int { return c.c.Version() }

// String returns "v1" or "v2".
func (c SessionConfig) String() string { return c.c.String() }

// ErrConfigMismatch means a message of the other session config: version 4
// in a v1 session or version 3 in a v2 session. It also matches
// [ErrBadVersion]. Nothing changes.
var ErrConfigMismatch = errors.New("olm: message version does not match the session config")

type configError struct{ msg string }

func (e *configError) Error() string   { return e.msg }
func (e *configError) Unwrap() []error { return []error{ErrConfigMismatch, ErrBadVersion} }

// NewOutboundSessionWithConfig is [Account.NewOutboundSession] with config
// c. Bob's side must create its session with the same config
// ([Account.NewInboundSessionWithConfig]).
func (a *Account) NewOutboundSessionWithConfig(c SessionConfig, theirIdentityKey, theirOneTimeKey newt.Curve25519PublicKey) (*Session, error) {
	s, err := a.NewOutboundSession(theirIdentityKey, theirOneTimeKey)
	if err != nil {
		return nil, err
	}
	s.ratchet.SetConfigVersion(c.Version())
	return s, nil
}

// NewInboundSessionWithConfig is [Account.NewInboundSession] for a session
// with config c: the inner message must have c's version, else it fails
// with [ErrConfigMismatch] and nothing changes (the one-time key stays).
// [Account.NewInboundSession] is this with [SessionConfigV1].
func (a *Account) NewInboundSessionWithConfig(c SessionConfig, msg *PreKeyMessage) (*Session, []byte, error) {
	return a.newInboundSessionDecrypt(nil, msg, c)
}

// Config returns the session's config.
func (s *Session) Config() SessionConfig {
	s.mu.Lock()
	defer s.mu.Unlock()
	return SessionConfig{sessionconfig.Of(s.ratchet.ConfigVersion())}
}
