// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

//go:build libolm

package bench

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/newt-e2ee/newt/internal/libolm"
)

// libolmImpl adapts libolm 3.2 through newt's cgo binding internal/libolm:
// one cgo call per operation, inputs copied to C, objects in C memory,
// randomness read here from crypto/rand as libolm asks the caller for it.
type libolmImpl struct{}

func init() { impls = append(impls, libolmImpl{}) }

func (libolmImpl) name() string { return "libolm" }

type libolmGroup struct{ s *libolm.OutboundGroupSession }
type libolmInbound struct{ s *libolm.InboundGroupSession }
type libolmAccount struct{ a *libolm.Account }
type libolmSession struct{ s *libolm.Session }

func (libolmImpl) newGroupSession() (groupSession, error) {
	var r [160]byte
	rand.Read(r[:])
	s, err := libolm.NewOutboundGroupSession(r[:])
	clear(r[:])
	if err != nil {
		return nil, err
	}
	return libolmGroup{s}, nil
}

func (libolmImpl) newInboundGroupSession(key text) (inboundGroupSession, error) {
	s, err := libolm.NewInboundGroupSession(key.str())
	if err != nil {
		return nil, err
	}
	return libolmInbound{s}, nil
}

func (libolmImpl) inboundGroupSessionFromPickle(p text, key []byte) (inboundGroupSession, error) {
	s, err := libolm.InboundGroupSessionFromPickle(key, p.str())
	if err != nil {
		return nil, err
	}
	return libolmInbound{s}, nil
}

func (libolmImpl) newAccount() (account, error) {
	var r [64]byte
	rand.Read(r[:])
	a, err := libolm.NewAccount(r[:])
	clear(r[:])
	if err != nil {
		return nil, err
	}
	return libolmAccount{a}, nil
}

func (libolmImpl) accountFromPickle(p text, key []byte) (account, error) {
	a, err := libolm.AccountFromPickle(key, p.str())
	if err != nil {
		return nil, err
	}
	return libolmAccount{a}, nil
}

func (libolmImpl) sessionFromPickle(p text, key []byte) (session, error) {
	s, err := libolm.SessionFromPickle(key, p.str())
	if err != nil {
		return nil, err
	}
	return libolmSession{s}, nil
}

func (g libolmGroup) encrypt(pt []byte) (text, error) {
	m, err := g.s.Encrypt(pt)
	return strText(m), err
}
func (g libolmGroup) sessionKey() text                { return strText(g.s.SessionKey()) }
func (g libolmGroup) messageIndex() uint32            { return g.s.MessageIndex() }
func (g libolmGroup) pickle(key []byte) (text, error) { return strText(g.s.Pickle(key)), nil }
func (g libolmGroup) close()                          { g.s.Free() }

func (s libolmInbound) decrypt(msg text) ([]byte, uint32, error) { return s.s.Decrypt(msg.str()) }
func (s libolmInbound) firstKnownIndex() uint32                  { return s.s.FirstKnownIndex() }
func (s libolmInbound) pickle(key []byte) (text, error)          { return strText(s.s.Pickle(key)), nil }
func (s libolmInbound) close()                                   { s.s.Free() }

func (a libolmAccount) identityKey() string {
	var v struct {
		Curve25519 string `json:"curve25519"`
	}
	unmarshal(a.a.IdentityKeys(), &v)
	return v.Curve25519
}

func (a libolmAccount) generateOneTimeKeys(n int) error {
	r := make([]byte, 32*n)
	rand.Read(r)
	err := a.a.GenerateOneTimeKeys(n, r)
	clear(r)
	return err
}

func (a libolmAccount) oneTimeKeys() ([]string, error) { return jsonKeys(a.a.OneTimeKeys()) }

func (a libolmAccount) generateFallbackKey() (string, error) {
	var r [32]byte
	rand.Read(r[:])
	err := a.a.GenerateFallbackKey(r[:])
	clear(r[:])
	if err != nil {
		return "", err
	}
	k, err := jsonKeys(a.a.UnpublishedFallbackKey())
	if err != nil || len(k) != 1 {
		return "", err
	}
	return k[0], nil
}

func (a libolmAccount) markKeysAsPublished() { a.a.MarkKeysAsPublished() }

func (a libolmAccount) newOutboundSession(theirIdentityKey, theirOneTimeKey text) (session, error) {
	var r [64]byte
	rand.Read(r[:])
	s, err := libolm.NewOutboundSession(a.a, theirIdentityKey.str(), theirOneTimeKey.str(), r[:])
	clear(r[:])
	if err != nil {
		return nil, err
	}
	return libolmSession{s}, nil
}

func (a libolmAccount) newInboundSession(preKey text) (session, []byte, error) {
	s, err := libolm.NewInboundSession(a.a, preKey.str())
	if err != nil {
		return nil, nil, err
	}
	pt, err := s.Decrypt(0, preKey.str())
	if err != nil {
		s.Free()
		return nil, nil, err
	}
	return libolmSession{s}, pt, nil
}

func (a libolmAccount) pickle(key []byte) (text, error) { return strText(a.a.Pickle(key)), nil }
func (a libolmAccount) close()                          { a.a.Free() }

func (s libolmSession) encrypt(pt []byte) (int, text, error) {
	var r [32]byte
	rb := r[:s.s.EncryptRandomLength()]
	rand.Read(rb)
	t, m, err := s.s.Encrypt(pt, rb)
	clear(rb)
	return t, strText(m), err
}

func (s libolmSession) decrypt(msgType int, msg text) ([]byte, error) {
	return s.s.Decrypt(msgType, msg.str())
}

func (s libolmSession) pickle(key []byte) (text, error) { return strText(s.s.Pickle(key)), nil }
func (s libolmSession) close()                          { s.s.Free() }

// jsonKeys returns the sorted values of libolm's one-time-key JSON shape
// {"curve25519":{"<id>":"<key>",...}}.
func jsonKeys(js string) ([]string, error) {
	var v struct {
		Curve25519 map[string]string `json:"curve25519"`
	}
	if err := json.Unmarshal([]byte(js), &v); err != nil {
		return nil, fmt.Errorf("bench: one-time keys JSON: %w", err)
	}
	var out []string
	for _, k := range v.Curve25519 {
		out = append(out, k)
	}
	slices.Sort(out)
	return out, nil
}

// unmarshal decodes libolm's JSON outputs; they are always well formed.
func unmarshal(js string, v any) {
	_ = json.Unmarshal([]byte(js), v)
}
