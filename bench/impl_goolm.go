// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package bench

import (
	"slices"

	gaccount "maunium.net/go/mautrix/crypto/goolm/account"
	gsession "maunium.net/go/mautrix/crypto/goolm/session"
	"maunium.net/go/mautrix/id"
)

// goolmImpl adapts goolm (mautrix v0.32.0, crypto/goolm) through its
// concrete types, the calls mautrix's olm driver makes.
type goolmImpl struct{}

func (goolmImpl) name() string { return "goolm" }

type goolmGroup struct {
	s *gsession.MegolmOutboundSession
}
type goolmInbound struct {
	s *gsession.MegolmInboundSession
}
type goolmAccount struct{ a *gaccount.Account }
type goolmSession struct{ s *gsession.OlmSession }

func (goolmImpl) newGroupSession() (groupSession, error) {
	s, err := gsession.NewMegolmOutboundSession()
	if err != nil {
		return nil, err
	}
	return goolmGroup{s}, nil
}

func (goolmImpl) newInboundGroupSession(key text) (inboundGroupSession, error) {
	s, err := gsession.NewMegolmInboundSession(key.bytes())
	if err != nil {
		return nil, err
	}
	return goolmInbound{s}, nil
}

func (goolmImpl) inboundGroupSessionFromPickle(p text, key []byte) (inboundGroupSession, error) {
	s, err := gsession.MegolmInboundSessionFromPickled(p.bytes(), key)
	if err != nil {
		return nil, err
	}
	return goolmInbound{s}, nil
}

func (goolmImpl) newAccount() (account, error) {
	a, err := gaccount.NewAccount()
	if err != nil {
		return nil, err
	}
	return goolmAccount{a}, nil
}

func (goolmImpl) accountFromPickle(p text, key []byte) (account, error) {
	a, err := gaccount.AccountFromPickled(p.bytes(), key)
	if err != nil {
		return nil, err
	}
	return goolmAccount{a}, nil
}

func (goolmImpl) sessionFromPickle(p text, key []byte) (session, error) {
	s, err := gsession.OlmSessionFromPickled(p.bytes(), key)
	if err != nil {
		return nil, err
	}
	return goolmSession{s}, nil
}

func (g goolmGroup) encrypt(pt []byte) (text, error) {
	m, err := g.s.Encrypt(pt)
	return bytesText(m), err
}
func (g goolmGroup) sessionKey() text     { return strText(g.s.Key()) }
func (g goolmGroup) messageIndex() uint32 { return uint32(g.s.MessageIndex()) }
func (g goolmGroup) pickle(key []byte) (text, error) {
	p, err := g.s.Pickle(key)
	return bytesText(p), err
}
func (goolmGroup) close() {}

func (s goolmInbound) decrypt(msg text) ([]byte, uint32, error) {
	pt, i, err := s.s.Decrypt(msg.bytes())
	return pt, uint32(i), err
}
func (s goolmInbound) firstKnownIndex() uint32 { return s.s.FirstKnownIndex() }
func (s goolmInbound) pickle(key []byte) (text, error) {
	p, err := s.s.Pickle(key)
	return bytesText(p), err
}
func (goolmInbound) close() {}

func (a goolmAccount) identityKey() string {
	_, c, _ := a.a.IdentityKeys()
	return string(c)
}

func (a goolmAccount) generateOneTimeKeys(n int) error { return a.a.GenOneTimeKeys(uint(n)) }

func (a goolmAccount) oneTimeKeys() ([]string, error) {
	m, err := a.a.OneTimeKeys()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, k := range m {
		out = append(out, string(k))
	}
	slices.Sort(out)
	return out, nil
}

func (a goolmAccount) generateFallbackKey() (string, error) {
	if err := a.a.GenFallbackKey(); err != nil {
		return "", err
	}
	for _, k := range a.a.FallbackKeyUnpublished() {
		return string(k), nil
	}
	return "", nil
}

func (a goolmAccount) markKeysAsPublished() { a.a.MarkKeysAsPublished() }

func (a goolmAccount) newOutboundSession(theirIdentityKey, theirOneTimeKey text) (session, error) {
	s, err := a.a.NewOutboundSession(id.Curve25519(theirIdentityKey.str()), id.Curve25519(theirOneTimeKey.str()))
	if err != nil {
		return nil, err
	}
	return goolmSession{s.(*gsession.OlmSession)}, nil
}

func (a goolmAccount) newInboundSession(preKey text) (session, []byte, error) {
	s, err := a.a.NewInboundSession(preKey.str())
	if err != nil {
		return nil, nil, err
	}
	pt, err := s.Decrypt(preKey.str(), id.OlmMsgTypePreKey)
	if err != nil {
		return nil, nil, err
	}
	return goolmSession{s.(*gsession.OlmSession)}, pt, nil
}

func (a goolmAccount) pickle(key []byte) (text, error) {
	p, err := a.a.Pickle(key)
	return bytesText(p), err
}
func (goolmAccount) close() {}

func (s goolmSession) encrypt(pt []byte) (int, text, error) {
	t, m, err := s.s.Encrypt(pt)
	return int(t), bytesText(m), err
}

func (s goolmSession) decrypt(msgType int, msg text) ([]byte, error) {
	return s.s.Decrypt(msg.str(), id.OlmMsgType(msgType))
}

func (s goolmSession) pickle(key []byte) (text, error) {
	p, err := s.s.Pickle(key)
	return bytesText(p), err
}
func (goolmSession) close() {}
