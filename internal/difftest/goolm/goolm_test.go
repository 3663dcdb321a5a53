// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package goolm_test

// The differential fuzz target against goolm (mautrix v0.33.0). goolm reads
// crypto/rand itself; the adapter hands it the engine's random bytes with
// difftest.WithRandom, in the order goolm reads them, and fails if goolm
// reads more or fewer than libolm would use.

import (
	"fmt"
	"testing"

	"github.com/newt-e2ee/newt/internal/difftest"
	"github.com/newt-e2ee/newt/olm"
	gaccount "maunium.net/go/mautrix/crypto/goolm/account"
	gsession "maunium.net/go/mautrix/crypto/goolm/session"
	"maunium.net/go/mautrix/id"
)

// goolmDifferences is the table of every way newt may disagree with goolm
// in these runs.
var goolmDifferences = map[difftest.Difference]string{
	difftest.EmptyInput: "goolm refuses to encrypt or sign an empty message (ErrEmptyInput); " +
		"newt and libolm accept it",
	difftest.PreKeyFieldOrder: "goolm's PreKeyMessage.Encode writes the identity key before the base key; " +
		"libolm and newt write the base key first, and all three decode either order",
	difftest.StrictBase64: "newt decodes canonical unpadded base64 only; goolm's goolmbase64.Decode " +
		"accepts padding",
	difftest.StrictMessageDecoding: "olm, megolm: messages are decoded strictly; goolm's decoders " +
		"skip fields they do not know and keep the last of repeated ones",
	difftest.PreKeyWrapper: "olm: Session.Decrypt checks a pre-key message's version and that its keys " +
		"are the session's; goolm's OlmSession.Decrypt ignores them, as libolm does",
	difftest.UnknownMessageType: "olm: ParseEncryptedMessage refuses types other than 0 and 1; " +
		"goolm's OlmSession.Decrypt takes them as pre-key messages, as libolm does",
	difftest.ExportKeepsSession: "megolm: InboundGroupSession.Export changes nothing; " +
		"goolm's MegolmInboundSession.Export advances the latest ratchet, as libolm does",
	difftest.FailureKeepsState: "every package: a failed operation leaves the object as it was; " +
		"goolm's MegolmInboundSession.Decrypt advances the latest ratchet before it checks the MAC",
}

func init() {
	// newt refuses more than MaxOneTimeKeys keys per call
	// (ErrTooManyOneTimeKeys); before that change it generated the keys the
	// peer keeps, and there was no difference. The entry is there when newt
	// refuses.
	if _, err := olm.GenerateAccount().GenerateOneTimeKeys(olm.MaxOneTimeKeys + 1); err != nil {
		goolmDifferences[difftest.OneTimeKeyCount] = "olm: GenerateOneTimeKeys refuses more than MaxOneTimeKeys keys per call; " +
			"goolm's GenOneTimeKeys generates them and keeps the last MaxOneTimeKeys"
	}
}

// goolmPeer adapts goolm's concrete types to difftest.Peer.
type goolmPeer struct{}

type (
	gAccount struct{ a *gaccount.Account }
	gSession struct{ s *gsession.OlmSession }
	gGroup   struct {
		g *gsession.MegolmOutboundSession
	}
	gInbound struct {
		i *gsession.MegolmInboundSession
	}
)

// withRandom runs f with crypto/rand reading random, and fails unless f
// read all of it and no more.
func withRandom(random []byte, f func() error) error {
	var err error
	used, over := difftest.WithRandom(random, func() { err = f() })
	if err != nil {
		return err
	}
	if over || used != len(random) {
		return fmt.Errorf("goolm read %d random bytes (wanting more: %v), libolm takes %d", used, over, len(random))
	}
	return nil
}

func (goolmPeer) NewAccount(random []byte) (difftest.Account, error) {
	var a *gaccount.Account
	err := withRandom(random, func() (err error) {
		a, err = gaccount.NewAccount()
		return err
	})
	if err != nil {
		return nil, err
	}
	return gAccount{a}, nil
}

func (goolmPeer) AccountFromPickle(p string, key []byte) (difftest.Account, error) {
	a, err := gaccount.AccountFromPickled([]byte(p), key)
	if err != nil {
		return nil, err
	}
	return gAccount{a}, nil
}

func (goolmPeer) SessionFromPickle(p string, key []byte) (difftest.Session, error) {
	s, err := gsession.OlmSessionFromPickled([]byte(p), key)
	if err != nil {
		return nil, err
	}
	return gSession{s}, nil
}

func (goolmPeer) NewGroupSession(random []byte) (difftest.GroupSession, error) {
	// libolm's 160 bytes are R_0 then the Ed25519 seed; goolm reads the
	// seed first.
	reordered := append(append([]byte(nil), random[128:]...), random[:128]...)
	var g *gsession.MegolmOutboundSession
	err := withRandom(reordered, func() (err error) {
		g, err = gsession.NewMegolmOutboundSession()
		return err
	})
	if err != nil {
		return nil, err
	}
	return gGroup{g}, nil
}

func (goolmPeer) GroupSessionFromPickle(p string, key []byte) (difftest.GroupSession, error) {
	g, err := gsession.MegolmOutboundSessionFromPickled([]byte(p), key)
	if err != nil {
		return nil, err
	}
	return gGroup{g}, nil
}

func (goolmPeer) NewInboundGroupSession(sessionKey string) (difftest.InboundGroupSession, error) {
	i, err := gsession.NewMegolmInboundSession([]byte(sessionKey))
	if err != nil {
		return nil, err
	}
	return gInbound{i}, nil
}

func (goolmPeer) ImportInboundGroupSession(exported string) (difftest.InboundGroupSession, error) {
	i, err := gsession.NewMegolmInboundSessionFromExport([]byte(exported))
	if err != nil {
		return nil, err
	}
	return gInbound{i}, nil
}

func (goolmPeer) InboundGroupSessionFromPickle(p string, key []byte) (difftest.InboundGroupSession, error) {
	i, err := gsession.MegolmInboundSessionFromPickled([]byte(p), key)
	if err != nil {
		return nil, err
	}
	return gInbound{i}, nil
}

func (a gAccount) Pickle(key []byte) (string, error) {
	p, err := a.a.Pickle(key)
	return string(p), err
}

func (a gAccount) IdentityKeys() (string, string) {
	ed, curve, _ := a.a.IdentityKeys()
	return string(curve), string(ed)
}

func (a gAccount) Sign(msg []byte) (string, error) {
	sig, err := a.a.Sign(msg)
	return string(sig), err
}

func stringMap(m map[string]id.Curve25519) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = string(v)
	}
	return out
}

func (a gAccount) OneTimeKeys() map[string]string {
	m, err := a.a.OneTimeKeys()
	if err != nil {
		panic(err)
	}
	return stringMap(m)
}

func (a gAccount) FallbackKey() map[string]string { return stringMap(a.a.FallbackKey()) }
func (a gAccount) UnpublishedFallbackKey() map[string]string {
	return stringMap(a.a.FallbackKeyUnpublished())
}

func (a gAccount) GenerateOneTimeKeys(n int, random []byte) error {
	return withRandom(random, func() error { return a.a.GenOneTimeKeys(uint(n)) })
}

func (a gAccount) GenerateFallbackKey(random []byte) error {
	return withRandom(random, a.a.GenFallbackKey)
}

func (a gAccount) MarkKeysAsPublished() int {
	a.a.MarkKeysAsPublished()
	return -1
}

func (a gAccount) ForgetOldFallbackKey() { a.a.ForgetOldFallbackKey() }

func (a gAccount) NewOutboundSession(identityKey, oneTimeKey string, random []byte) (difftest.Session, error) {
	var s *gsession.OlmSession
	err := withRandom(random, func() error {
		os, err := a.a.NewOutboundSession(id.Curve25519(identityKey), id.Curve25519(oneTimeKey))
		if err == nil {
			s = os.(*gsession.OlmSession)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return gSession{s}, nil
}

func (a gAccount) NewInboundSession(preKey string) (difftest.Session, error) {
	s, err := a.a.NewInboundSession(preKey)
	if err != nil {
		return nil, err
	}
	return gSession{s.(*gsession.OlmSession)}, nil
}

func (a gAccount) NewInboundSessionFrom(identityKey, preKey string) (difftest.Session, error) {
	k := id.Curve25519(identityKey)
	s, err := a.a.NewInboundSessionFrom(&k, preKey)
	if err != nil {
		return nil, err
	}
	return gSession{s.(*gsession.OlmSession)}, nil
}

func (a gAccount) RemoveOneTimeKeys(s difftest.Session) error {
	return a.a.RemoveOneTimeKeys(s.(gSession).s)
}

func (s gSession) Pickle(key []byte) (string, error) {
	p, err := s.s.Pickle(key)
	return string(p), err
}

func (s gSession) ID() string               { return string(s.s.ID()) }
func (s gSession) HasReceivedMessage() bool { return s.s.HasReceivedMessage() }
func (s gSession) MessageType() int         { return int(s.s.EncryptMsgType()) }
func (s gSession) Describe() string         { return s.s.Describe() }

func (s gSession) Matches(preKey string) (bool, error) { return s.s.MatchesInboundSession(preKey) }

func (s gSession) MatchesFrom(identityKey, preKey string) (bool, error) {
	return s.s.MatchesInboundSessionFrom(identityKey, preKey)
}

func (s gSession) Encrypt(pt, random []byte) (int, string, int, error) {
	var typ id.OlmMsgType
	var body []byte
	var err error
	used, over := difftest.WithRandom(random, func() { typ, body, err = s.s.Encrypt(pt) })
	if over {
		return 0, "", used, fmt.Errorf("goolm wanted more than %d random bytes", len(random))
	}
	return int(typ), string(body), used, err
}

func (s gSession) Decrypt(typ int, body string) ([]byte, error) {
	return s.s.Decrypt(body, id.OlmMsgType(typ))
}

func (g gGroup) Pickle(key []byte) (string, error) {
	p, err := g.g.Pickle(key)
	return string(p), err
}

func (g gGroup) ID() string                  { return string(g.g.ID()) }
func (g gGroup) MessageIndex() uint32        { return uint32(g.g.MessageIndex()) }
func (g gGroup) SessionKey() (string, error) { return g.g.Key(), nil }

func (g gGroup) Encrypt(pt []byte) (string, error) {
	m, err := g.g.Encrypt(pt)
	return string(m), err
}

func (i gInbound) Pickle(key []byte) (string, error) {
	p, err := i.i.Pickle(key)
	return string(p), err
}

func (i gInbound) ID() string              { return string(i.i.ID()) }
func (i gInbound) FirstKnownIndex() uint32 { return i.i.FirstKnownIndex() }
func (i gInbound) IsVerified() bool        { return i.i.IsVerified() }

func (i gInbound) Decrypt(msg string) ([]byte, uint32, error) {
	pt, index, err := i.i.Decrypt([]byte(msg))
	return pt, uint32(index), err
}

func (i gInbound) Export(index uint32) (string, error) {
	e, err := i.i.Export(index)
	return string(e), err
}

func goolmConfig(stats *difftest.Stats) *difftest.Config {
	return &difftest.Config{Peer: goolmPeer{}, Allowed: goolmDifferences, Stats: stats}
}

// FuzzGoolm runs the fuzzer's operation sequences on newt and goolm.
func FuzzGoolm(f *testing.F) {
	for _, in := range difftest.SeedPrograms(8) {
		f.Add(in)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		difftest.Run(t, goolmConfig(nil), in)
	})
}

// TestGoolm runs 200 random operation sequences (fixed seeds) and the
// committed corpus on newt and goolm, and more until each allowed
// difference has occurred (at most 5,000 in all); with -short, 20.
func TestGoolm(t *testing.T) {
	corpus := difftest.ReadCorpus(t, "testdata/fuzz/FuzzGoolm")
	if testing.Short() {
		var stats difftest.Stats
		for _, in := range difftest.SeedPrograms(20) {
			difftest.Run(t, goolmConfig(&stats), in)
		}
		return
	}
	stats := difftest.RunPrograms(t, goolmConfig(nil), 200, 5000, corpus)
	t.Log(stats.String())
}
