// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package megolm

// Reviewer's note: vodozemac's pickles of Megolm sessions, in both of its
// forms (serde JSON and the encrypted string); the formats are in
// docs/vodozemac-formats.md, the codec in internal/vzpickle. This file only
// maps between those structs and the session types.

import (
	"errors"
	"strings"

	"github.com/newt-e2ee/newt/internal/ed25519x"
	"github.com/newt-e2ee/newt/internal/sessionconfig"
	"github.com/newt-e2ee/newt/internal/vzpickle"
)

// VodozemacPickleKeySize is the size of the key of vodozemac's encrypted
// pickles (*Pickle::encrypt takes exactly 32 bytes).
const VodozemacPickleKeySize = vzpickle.KeySize

var (
	// ErrPickleKeySize means a key for a vodozemac pickle is not 32 bytes.
	ErrPickleKeySize = errors.New("megolm: vodozemac pickle key must be 32 bytes")
)

// PickleJSON returns the session as vodozemac's GroupSessionPickle JSON,
// byte for byte what serde_json writes for the same state. The signing key
// is written as its seed ("Normal") when the session knows it (it was made
// by [GenerateGroupSession] or read from a vodozemac pickle with a seed),
// else as libolm's expanded key ("Expanded"), as vodozemac writes a session
// migrated from libolm. The result holds the session's secrets.
func (s *GroupSession) PickleJSON() []byte { return s.AppendPickleJSON(nil) }

// AppendPickleJSON is [GroupSession.PickleJSON] appending to dst.
func (s *GroupSession) AppendPickleJSON(dst []byte) []byte {
	return vzpickle.AppendAndClear(dst, s.vodozemacPickle())
}

func (s *GroupSession) vodozemacPickle() *vzpickle.GroupSession {
	s.checkInitialized()
	p := &vzpickle.GroupSession{Version: uint8(s.cfg.Version())}
	s.mu.Lock()
	p.Ratchet.Inner = s.r.data
	p.Ratchet.Counter = s.r.counter
	s.mu.Unlock()
	p.SigningKey.Set(s.signing)
	return p
}

// GroupSessionFromPickleJSON reads vodozemac's GroupSessionPickle JSON (as
// matrix-sdk-crypto stores it in its outbound session record, member
// "pickle"). Malformed JSON, unknown members or variants and wrong lengths
// give an error matching [ErrCorruptedPickle]. The session config ("config",
// version 1 when absent) is kept.
func GroupSessionFromPickleJSON(b []byte) (*GroupSession, error) {
	p, err := vzpickle.ParseGroupSession(b)
	if err != nil {
		return nil, vzError(err)
	}
	defer p.Clear()
	s := &GroupSession{r: &hashRatchet{data: p.Ratchet.Inner, counter: p.Ratchet.Counter}}
	s.cfg = SessionConfig{sessionconfig.Of(int(p.Version))}
	s.signing = p.SigningKey.PrivateKey()
	s.init()
	return s, nil
}

// VodozemacPickle returns the session in vodozemac's encrypted pickle form
// (GroupSessionPickle::encrypt): [GroupSession.PickleJSON] under libolm's
// pickle cipher with a 32-byte key. It fails only with [ErrPickleKeySize].
func (s *GroupSession) VodozemacPickle(key []byte) (string, error) {
	return vzErrors.Seal(key, s.vodozemacPickle())
}

// GroupSessionFromVodozemacPickle decrypts and reads vodozemac's encrypted
// pickle form. A wrong key or a modified pickle gives [ErrBadPickleKey];
// the other errors are those of [GroupSessionFromPickleJSON].
func GroupSessionFromVodozemacPickle(p string, key []byte) (*GroupSession, error) {
	return vzpickle.Open(&vzErrors, key, p, GroupSessionFromPickleJSON)
}

// PickleJSON returns the session as vodozemac's InboundGroupSessionPickle
// JSON, byte for byte what serde_json writes for the same state: the
// ratchet at the first known index, the signing key and the verified flag.
// The cache of the latest ratchet is not part of vodozemac's format and is
// not written (it only saves work). The result holds the session's secrets.
func (s *InboundGroupSession) PickleJSON() []byte { return s.AppendPickleJSON(nil) }

// AppendPickleJSON is [InboundGroupSession.PickleJSON] appending to dst.
func (s *InboundGroupSession) AppendPickleJSON(dst []byte) []byte {
	return vzpickle.AppendAndClear(dst, s.vodozemacPickle())
}

func (s *InboundGroupSession) vodozemacPickle() *vzpickle.InboundGroupSession {
	s.checkInitialized()
	p := &vzpickle.InboundGroupSession{
		InitialRatchet: vzpickle.MegolmRatchet{Inner: s.initial.data, Counter: s.initial.counter},
		SigningKey:     s.pub,
		Version:        uint8(s.cfg.Version()),
	}
	s.mu.Lock()
	p.SigningKeyVerified = s.verified
	s.mu.Unlock()
	return p
}

// InboundGroupSessionFromPickleJSON reads vodozemac's
// InboundGroupSessionPickle JSON (as matrix-sdk-crypto stores it in its
// PickledInboundGroupSession record, member "pickle"). Errors are those of
// [GroupSessionFromPickleJSON]; a signing key that is not a valid Ed25519
// encoding also matches [ErrInvalidSigningKey], as for libolm pickles.
func InboundGroupSessionFromPickleJSON(b []byte) (*InboundGroupSession, error) {
	p, err := vzpickle.ParseInboundGroupSession(b)
	if err != nil {
		return nil, vzError(err)
	}
	defer p.Clear()
	if ed25519x.CheckPublicKeyBytes(p.SigningKey[:]) != nil {
		return nil, wrap("corrupted pickle: invalid signing key", ErrCorruptedPickle, ErrInvalidSigningKey)
	}
	r := hashRatchet{data: p.InitialRatchet.Inner, counter: p.InitialRatchet.Counter}
	s := newInbound(&r, &p.SigningKey, nil, p.SigningKeyVerified)
	s.cfg = SessionConfig{sessionconfig.Of(int(p.Version))}
	r.clear()
	return s, nil
}

// VodozemacPickle returns the session in vodozemac's encrypted pickle form
// (InboundGroupSessionPickle::encrypt). It fails only with
// [ErrPickleKeySize].
func (s *InboundGroupSession) VodozemacPickle(key []byte) (string, error) {
	return vzErrors.Seal(key, s.vodozemacPickle())
}

// InboundGroupSessionFromVodozemacPickle decrypts and reads vodozemac's
// encrypted pickle form. A wrong key or a modified pickle gives
// [ErrBadPickleKey].
func InboundGroupSessionFromVodozemacPickle(p string, key []byte) (*InboundGroupSession, error) {
	return vzpickle.Open(&vzErrors, key, p, InboundGroupSessionFromPickleJSON)
}

// vzErrors are the errors of the encrypted form, as this package reports
// them.
var vzErrors = vzpickle.Errors{
	KeySize: ErrPickleKeySize,
	Base64:  wrap("corrupted pickle: invalid base64", ErrCorruptedPickle),
	BadKey:  ErrBadPickleKey,
}

// vzError maps a JSON pickle decoding error: it matches ErrCorruptedPickle
// and keeps the codec's description (member path, no data).
func vzError(err error) error {
	return wrap("corrupted pickle: "+strings.TrimPrefix(err.Error(), "vzpickle: "), ErrCorruptedPickle, err)
}
