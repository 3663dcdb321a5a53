// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package bench

import (
	"fmt"
	"slices"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/megolm"
	"github.com/newt-e2ee/newt/olm"
)

// newtImpl adapts newt's public API as a Matrix client calls it: messages go
// through the base64 entry points (EncryptBase64, DecryptBase64: the wire
// strings in and out, no intermediate objects); keys, sessions and pickles
// through the parse functions and objects.
type newtImpl struct{}

func (newtImpl) name() string { return "newt" }

type newtGroup struct{ s *megolm.GroupSession }
type newtInbound struct{ s *megolm.InboundGroupSession }
type newtAccount struct{ a *olm.Account }
type newtSession struct{ s *olm.Session }

func (newtImpl) newGroupSession() (groupSession, error) {
	s := megolm.GenerateGroupSession()
	return newtGroup{s}, nil
}

func (newtImpl) newInboundGroupSession(key text) (inboundGroupSession, error) {
	k, err := megolm.ParseSessionKey(key.str())
	if err != nil {
		return nil, err
	}
	s, err := megolm.NewInboundGroupSession(k)
	if err != nil {
		return nil, err
	}
	return newtInbound{s}, nil
}

func (newtImpl) inboundGroupSessionFromPickle(p text, key []byte) (inboundGroupSession, error) {
	s, err := megolm.InboundGroupSessionFromPickle(p.str(), key)
	if err != nil {
		return nil, err
	}
	return newtInbound{s}, nil
}

func (newtImpl) newAccount() (account, error) { return newtAccount{olm.GenerateAccount()}, nil }

func (newtImpl) accountFromPickle(p text, key []byte) (account, error) {
	a, err := olm.AccountFromPickle(p.str(), key)
	if err != nil {
		return nil, err
	}
	return newtAccount{a}, nil
}

func (newtImpl) sessionFromPickle(p text, key []byte) (session, error) {
	s, err := olm.SessionFromPickle(p.str(), key)
	if err != nil {
		return nil, err
	}
	return newtSession{s}, nil
}

func (g newtGroup) encrypt(pt []byte) (text, error) { return strText(g.s.EncryptBase64(pt)), nil }
func (g newtGroup) sessionKey() text                { return strText(g.s.SessionKey().Base64()) }
func (g newtGroup) messageIndex() uint32            { return g.s.MessageIndex() }
func (g newtGroup) pickle(key []byte) (text, error) { return strText(g.s.Pickle(key)), nil }
func (newtGroup) close()                            {}

func (s newtInbound) decrypt(msg text) ([]byte, uint32, error) {
	return s.s.DecryptBase64(msg.str())
}
func (s newtInbound) firstKnownIndex() uint32         { return s.s.FirstKnownIndex() }
func (s newtInbound) pickle(key []byte) (text, error) { return strText(s.s.Pickle(key)), nil }
func (newtInbound) close()                            {}

func (a newtAccount) identityKey() string { return a.a.IdentityKeys().Curve25519.String() }

func (a newtAccount) generateOneTimeKeys(n int) error {
	_, err := a.a.GenerateOneTimeKeys(n)
	return err
}

func (a newtAccount) oneTimeKeys() ([]string, error) {
	var out []string
	for _, k := range a.a.OneTimeKeys() {
		out = append(out, k.Key.String())
	}
	slices.Sort(out)
	return out, nil
}

func (a newtAccount) generateFallbackKey() (string, error) {
	return a.a.GenerateFallbackKey().Key.String(), nil
}

func (a newtAccount) markKeysAsPublished() { a.a.MarkKeysAsPublished() }

func (a newtAccount) newOutboundSession(theirIdentityKey, theirOneTimeKey text) (session, error) {
	ik, err := newt.ParseCurve25519PublicKey(theirIdentityKey.str())
	if err != nil {
		return nil, err
	}
	otk, err := newt.ParseCurve25519PublicKey(theirOneTimeKey.str())
	if err != nil {
		return nil, err
	}
	s, err := a.a.NewOutboundSession(ik, otk)
	if err != nil {
		return nil, err
	}
	return newtSession{s}, nil
}

func (a newtAccount) newInboundSession(preKey text) (session, []byte, error) {
	m, err := olm.ParsePreKeyMessage(preKey.str())
	if err != nil {
		return nil, nil, err
	}
	s, pt, err := a.a.NewInboundSession(m)
	if err != nil {
		return nil, nil, err
	}
	return newtSession{s}, pt, nil
}

func (a newtAccount) pickle(key []byte) (text, error) { return strText(a.a.Pickle(key)), nil }
func (newtAccount) close()                            {}

func (s newtSession) encrypt(pt []byte) (int, text, error) {
	t, body, err := s.s.EncryptBase64(pt)
	if err != nil {
		return 0, text{}, err
	}
	return int(t), strText(body), nil
}

func (s newtSession) decrypt(msgType int, msg text) ([]byte, error) {
	if msgType != int(olm.MessageTypePreKey) && msgType != int(olm.MessageTypeNormal) {
		return nil, fmt.Errorf("bench: bad Olm message type %d", msgType)
	}
	return s.s.DecryptBase64(olm.MessageType(msgType), msg.str())
}

func (s newtSession) pickle(key []byte) (text, error) { return strText(s.s.Pickle(key)), nil }
func (newtSession) close()                            {}
