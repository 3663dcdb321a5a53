// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

//go:build libolm

package difftest_test

// The differential fuzz target against libolm 3.2 (cgo, internal/libolm).

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/newt-e2ee/newt/internal/difftest"
	"github.com/newt-e2ee/newt/internal/libolm"
	"github.com/newt-e2ee/newt/olm"
)

// libolmDifferences is the table of every way newt may disagree with libolm
// in these runs: each is a place where newt is stricter, documented in the
// package named.
var libolmDifferences = map[difftest.Difference]string{
	difftest.LowOrderKey: "olm: NewOutboundSession and inbound sessions refuse low-order keys " +
		"(ErrNonContributory); libolm computes an all-zero shared secret",
	difftest.StrictBase64: "olm, megolm and pickles decode canonical unpadded base64 only; " +
		"libolm ignores padding and unused bits",
	difftest.StrictMessageDecoding: "olm, megolm: messages are decoded strictly; libolm skips unknown " +
		"fields and tolerates repeated ones",
	difftest.UnknownMessageType: "olm: ParseEncryptedMessage refuses types other than 0 and 1; " +
		"libolm takes them as pre-key messages",
	difftest.PreKeyWrapper: "olm: Session.Decrypt checks a pre-key message's version and that its keys " +
		"are the session's (ErrBadVersion, ErrSessionMismatch); olm_decrypt ignores them",
	difftest.StrictSignature: "megolm: signatures are verified strictly (S < L); libolm accepts S+L",
	difftest.StrictSigningKey: "megolm: session keys and exports with a small-order or non-canonical " +
		"signing key are refused; libolm imports them",
	difftest.ExportKeepsSession: "megolm: InboundGroupSession.Export changes nothing; " +
		"olm_export_inbound_group_session advances the latest ratchet",
	difftest.FailureKeepsState: "every package: a failed operation leaves the object as it was; " +
		"olm_group_decrypt advances the latest ratchet before it checks the MAC",
}

func init() {
	// newt refuses more than MaxOneTimeKeys keys per call
	// (ErrTooManyOneTimeKeys); before that change it generated the keys the
	// peer keeps, and there was no difference. The entry is there when newt
	// refuses.
	if _, err := olm.GenerateAccount().GenerateOneTimeKeys(olm.MaxOneTimeKeys + 1); err != nil {
		libolmDifferences[difftest.OneTimeKeyCount] = "olm: GenerateOneTimeKeys refuses more than MaxOneTimeKeys keys per call; " +
			"libolm generates them and keeps the last MaxOneTimeKeys"
	}
}

// libolmPeer adapts internal/libolm to difftest.Peer.
type libolmPeer struct{}

type (
	lAccount struct{ a *libolm.Account }
	lSession struct{ s *libolm.Session }
	lGroup   struct{ g *libolm.OutboundGroupSession }
	lInbound struct{ i *libolm.InboundGroupSession }
)

func (libolmPeer) NewAccount(random []byte) (difftest.Account, error) {
	a, err := libolm.NewAccount(random)
	if err != nil {
		return nil, err
	}
	return lAccount{a}, nil
}

func (libolmPeer) AccountFromPickle(p string, key []byte) (difftest.Account, error) {
	a, err := libolm.AccountFromPickle(key, p)
	if err != nil {
		return nil, err
	}
	return lAccount{a}, nil
}

func (libolmPeer) SessionFromPickle(p string, key []byte) (difftest.Session, error) {
	s, err := libolm.SessionFromPickle(key, p)
	if err != nil {
		return nil, err
	}
	return lSession{s}, nil
}

func (libolmPeer) NewGroupSession(random []byte) (difftest.GroupSession, error) {
	g, err := libolm.NewOutboundGroupSession(random)
	if err != nil {
		return nil, err
	}
	return lGroup{g}, nil
}

func (libolmPeer) GroupSessionFromPickle(p string, key []byte) (difftest.GroupSession, error) {
	g, err := libolm.OutboundGroupSessionFromPickle(key, p)
	if err != nil {
		return nil, err
	}
	return lGroup{g}, nil
}

func (libolmPeer) NewInboundGroupSession(sessionKey string) (difftest.InboundGroupSession, error) {
	i, err := libolm.NewInboundGroupSession(sessionKey)
	if err != nil {
		return nil, err
	}
	return lInbound{i}, nil
}

func (libolmPeer) ImportInboundGroupSession(exported string) (difftest.InboundGroupSession, error) {
	i, err := libolm.ImportInboundGroupSession(exported)
	if err != nil {
		return nil, err
	}
	return lInbound{i}, nil
}

func (libolmPeer) InboundGroupSessionFromPickle(p string, key []byte) (difftest.InboundGroupSession, error) {
	i, err := libolm.InboundGroupSessionFromPickle(key, p)
	if err != nil {
		return nil, err
	}
	return lInbound{i}, nil
}

func (a lAccount) Free()                              { a.a.Free() }
func (a lAccount) Pickle(key []byte) (string, error)  { return a.a.Pickle(key), nil }
func (a lAccount) Sign(msg []byte) (string, error)    { return a.a.Sign(msg), nil }
func (a lAccount) MarkKeysAsPublished() int           { return a.a.MarkKeysAsPublished() }
func (a lAccount) ForgetOldFallbackKey()              { a.a.ForgetOldFallbackKey() }
func (a lAccount) IdentityKeysJSON() string           { return a.a.IdentityKeys() }
func (a lAccount) OneTimeKeysJSON() string            { return a.a.OneTimeKeys() }
func (a lAccount) FallbackKeyJSON() string            { return a.a.FallbackKey() }
func (a lAccount) UnpublishedFallbackKeyJSON() string { return a.a.UnpublishedFallbackKey() }
func (a lAccount) OneTimeKeys() map[string]string     { return curve25519Keys(a.a.OneTimeKeys()) }
func (a lAccount) FallbackKey() map[string]string     { return curve25519Keys(a.a.FallbackKey()) }
func (a lAccount) UnpublishedFallbackKey() map[string]string {
	return curve25519Keys(a.a.UnpublishedFallbackKey())
}

// curve25519Keys returns the "curve25519" object of libolm's key JSON.
func curve25519Keys(s string) map[string]string {
	var v struct{ Curve25519 map[string]string }
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		panic("libolm key JSON: " + err.Error())
	}
	if v.Curve25519 == nil {
		return map[string]string{}
	}
	return v.Curve25519
}

func (a lAccount) IdentityKeys() (string, string) {
	var v struct{ Curve25519, Ed25519 string }
	if err := json.Unmarshal([]byte(a.a.IdentityKeys()), &v); err != nil {
		panic("libolm identity keys: " + err.Error())
	}
	return v.Curve25519, v.Ed25519
}

func (a lAccount) GenerateOneTimeKeys(n int, random []byte) error {
	return a.a.GenerateOneTimeKeys(n, random)
}

func (a lAccount) GenerateFallbackKey(random []byte) error { return a.a.GenerateFallbackKey(random) }

func (a lAccount) NewOutboundSession(identityKey, oneTimeKey string, random []byte) (difftest.Session, error) {
	s, err := libolm.NewOutboundSession(a.a, identityKey, oneTimeKey, random)
	if err != nil {
		return nil, err
	}
	return lSession{s}, nil
}

func (a lAccount) NewInboundSession(preKey string) (difftest.Session, error) {
	s, err := libolm.NewInboundSession(a.a, preKey)
	if err != nil {
		return nil, err
	}
	return lSession{s}, nil
}

func (a lAccount) NewInboundSessionFrom(identityKey, preKey string) (difftest.Session, error) {
	// olm_create_inbound_session_from copies the identity key from a NULL
	// pointer when the message has no identity key field (a known libolm
	// 3.2 bug, SIGSEGV). Such a message fails the field check of
	// olm_create_inbound_session, which changes nothing: ask it first and
	// pass its BAD_MESSAGE_FORMAT on.
	var le *libolm.Error
	if probe, err := libolm.NewInboundSession(a.a, preKey); errors.As(err, &le) && le.Name == "BAD_MESSAGE_FORMAT" {
		return nil, err
	} else if err == nil {
		probe.Free()
	}
	s, err := libolm.NewInboundSessionFrom(a.a, identityKey, preKey)
	if err != nil {
		return nil, err
	}
	return lSession{s}, nil
}

func (a lAccount) RemoveOneTimeKeys(s difftest.Session) error {
	return a.a.RemoveOneTimeKeys(s.(lSession).s)
}

func (s lSession) Free()                             { s.s.Free() }
func (s lSession) Pickle(key []byte) (string, error) { return s.s.Pickle(key), nil }
func (s lSession) ID() string                        { return s.s.ID() }
func (s lSession) HasReceivedMessage() bool          { return s.s.HasReceivedMessage() }
func (s lSession) MessageType() int                  { return s.s.EncryptMessageType() }
func (s lSession) Describe() string                  { return s.s.Describe() }
func (s lSession) Matches(preKey string) (bool, error) {
	return s.s.Matches(preKey)
}

func (s lSession) MatchesFrom(identityKey, preKey string) (bool, error) {
	return s.s.MatchesFrom(identityKey, preKey)
}

func (s lSession) Encrypt(pt, random []byte) (int, string, int, error) {
	n := s.s.EncryptRandomLength()
	typ, body, err := s.s.Encrypt(pt, random[:n])
	return typ, body, n, err
}

func (s lSession) Decrypt(typ int, body string) ([]byte, error) { return s.s.Decrypt(typ, body) }

func (g lGroup) Free()                             { g.g.Free() }
func (g lGroup) Pickle(key []byte) (string, error) { return g.g.Pickle(key), nil }
func (g lGroup) ID() string                        { return g.g.ID() }
func (g lGroup) MessageIndex() uint32              { return g.g.MessageIndex() }
func (g lGroup) SessionKey() (string, error)       { return g.g.SessionKey(), nil }
func (g lGroup) Encrypt(pt []byte) (string, error) { return g.g.Encrypt(pt) }

func (i lInbound) Free()                             { i.i.Free() }
func (i lInbound) Pickle(key []byte) (string, error) { return i.i.Pickle(key), nil }
func (i lInbound) ID() string                        { return i.i.ID() }
func (i lInbound) FirstKnownIndex() uint32           { return i.i.FirstKnownIndex() }
func (i lInbound) IsVerified() bool                  { return i.i.IsVerified() }
func (i lInbound) Decrypt(msg string) ([]byte, uint32, error) {
	return i.i.Decrypt(msg)
}
func (i lInbound) Export(index uint32) (string, error) { return i.i.Export(index) }

func libolmConfig(stats *difftest.Stats) *difftest.Config {
	return &difftest.Config{Peer: libolmPeer{}, Allowed: libolmDifferences, Stats: stats}
}

// FuzzLibolm runs the fuzzer's operation sequences on newt and libolm.
func FuzzLibolm(f *testing.F) {
	for _, in := range difftest.SeedPrograms(8) {
		f.Add(in)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		difftest.Run(t, libolmConfig(nil), in)
	})
}

// TestLibolm runs 200 random operation sequences (fixed seeds) and the
// committed corpus on newt and libolm, and more until each allowed
// difference has occurred (at most 5,000 in all); with -short, 20.
func TestLibolm(t *testing.T) {
	corpus := difftest.ReadCorpus(t, "testdata/fuzz/FuzzLibolm")
	if testing.Short() {
		var stats difftest.Stats
		for _, in := range difftest.SeedPrograms(20) {
			difftest.Run(t, libolmConfig(&stats), in)
		}
		return
	}
	stats := difftest.RunPrograms(t, libolmConfig(nil), 200, 5000, corpus)
	t.Log(stats.String())
}
