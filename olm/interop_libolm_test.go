// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

//go:build libolm

package olm

// The accumulated conversation on libolm 3.2 through internal/libolm (cgo).
// Randomized conversations between newt and libolm, with tampering and
// pickle swaps, are in internal/difftest (TestLibolm, FuzzLibolm).

import (
	"encoding/json"
	"testing"

	"github.com/newt-e2ee/newt/internal/libolm"
)

// libolmImpl is olmImpl on libolm.
type libolmImpl struct {
	t          testing.TB
	alice, bob *libolm.Account
	as, bs     *libolm.Session
}

func (l *libolmImpl) must(err error) {
	l.t.Helper()
	if err != nil {
		l.t.Fatal(err)
	}
}

func (l *libolmImpl) setup(aliceRandom, bobRandom, otkRandom, sessionRandom []byte) {
	var err error
	l.alice, err = libolm.NewAccount(aliceRandom)
	l.must(err)
	l.bob, err = libolm.NewAccount(bobRandom)
	l.must(err)
	l.must(l.bob.GenerateOneTimeKeys(1, otkRandom))
	var otks struct{ Curve25519 map[string]string }
	var id struct{ Curve25519 string }
	l.must(json.Unmarshal([]byte(l.bob.IdentityKeys()), &id))
	l.must(json.Unmarshal([]byte(l.bob.OneTimeKeys()), &otks))
	var otk string
	for _, k := range otks.Curve25519 {
		otk = k
	}
	l.as, err = libolm.NewOutboundSession(l.alice, id.Curve25519, otk, sessionRandom)
	l.must(err)
}

func (l *libolmImpl) needsRandom(bob bool) bool {
	if bob {
		return l.bs.EncryptRandomLength() > 0
	}
	return l.as.EncryptRandomLength() > 0
}

func (l *libolmImpl) encrypt(bob bool, pt, random []byte) (int, string) {
	s := l.as
	if bob {
		s = l.bs
	}
	typ, body, err := s.Encrypt(pt, random)
	l.must(err)
	return typ, body
}

func (l *libolmImpl) decrypt(bob bool, typ int, body string) []byte {
	var err error
	if bob && l.bs == nil {
		l.bs, err = libolm.NewInboundSession(l.bob, body)
		l.must(err)
		defer func() { l.must(l.bob.RemoveOneTimeKeys(l.bs)) }()
	}
	s := l.as
	if bob {
		s = l.bs
	}
	pt, err := s.Decrypt(typ, body)
	l.must(err)
	return pt
}

func (l *libolmImpl) pickles(key []byte) (string, string) {
	return l.as.Pickle(key), l.bs.Pickle(key)
}

// TestAccumulatedLibolm runs the accumulated conversation on libolm and
// checks the digest that TestAccumulated expects from newt.
func TestAccumulatedLibolm(t *testing.T) {
	l := &libolmImpl{t: t}
	got := runAccumulated(t, l)
	for _, a := range []*libolm.Account{l.alice, l.bob} {
		a.Free()
	}
	l.as.Free()
	l.bs.Free()
	if got != accumulatedDigest {
		t.Fatalf("libolm's accumulated digest is %s, the constant says %s", got, accumulatedDigest)
	}
}
