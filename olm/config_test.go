// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package olm_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/newt-e2ee/newt/olm"
	"github.com/newt-e2ee/newt/testvectors"
)

// v2Pair returns an Olm v2 session pair that has exchanged one message each
// way.
func v2Pair(t *testing.T) (alice, bob *olm.Session) {
	t.Helper()
	a, b := olm.GenerateAccount(), olm.GenerateAccount()
	if _, err := b.GenerateOneTimeKeys(2); err != nil {
		t.Fatal(err)
	}
	otk := b.OneTimeKeys()[0].Key
	alice, err := a.NewOutboundSessionWithConfig(olm.SessionConfigV2(), b.IdentityKeys().Curve25519, otk)
	if err != nil {
		t.Fatal(err)
	}
	m, err := alice.Encrypt([]byte("hello v2"))
	if err != nil {
		t.Fatal(err)
	}
	pre := m.(*olm.PreKeyMessage)
	if pre.Version() != olm.Version || pre.Message().Version() != olm.VersionV2 || len(pre.Message().MAC()) != olm.FullMACSize {
		t.Fatalf("pre-key wrapper %d, inner %d", pre.Version(), pre.Message().Version())
	}
	// The default (v1) refuses it and keeps the one-time key.
	before := b.Pickle(nil)
	if _, _, err := b.NewInboundSession(pre); !errors.Is(err, olm.ErrConfigMismatch) || !errors.Is(err, olm.ErrBadVersion) {
		t.Fatalf("v1 inbound of a v2 message: %v", err)
	}
	if b.Pickle(nil) != before {
		t.Fatal("the refused message changed the account")
	}
	bob, pt, err := b.NewInboundSessionWithConfig(olm.SessionConfigV2(), pre)
	if err != nil || string(pt) != "hello v2" {
		t.Fatal(err)
	}
	r, _ := bob.Encrypt([]byte("reply v2"))
	if r.(*olm.Message).Version() != olm.VersionV2 {
		t.Fatal("reply is not version 4")
	}
	if pt, err := alice.Decrypt(r); err != nil || string(pt) != "reply v2" {
		t.Fatal(err)
	}
	return alice, bob
}

func TestSessionConfigV2(t *testing.T) {
	alice, bob := v2Pair(t)
	if alice.Config() != olm.SessionConfigV2() || bob.Config().Version() != 2 {
		t.Fatal("config not reported")
	}
	// Many messages both ways, through new chains.
	for i := range 5 {
		m, _ := alice.Encrypt([]byte{byte(i)})
		if pt, err := bob.Decrypt(m); err != nil || pt[0] != byte(i) {
			t.Fatal(err)
		}
		r, _ := bob.Encrypt([]byte{byte(i)})
		if pt, err := alice.Decrypt(r); err != nil || pt[0] != byte(i) {
			t.Fatal(err)
		}
	}
	// The config survives the JSON and encrypted forms, and keeps working.
	j := bob.PickleJSON()
	if !bytes.Contains(j, []byte(`"config":{"version":"V2"}`)) {
		t.Fatal("JSON lost the config")
	}
	key := bytes.Repeat([]byte{2}, 32)
	p, _ := alice.VodozemacPickle(key)
	alice2, err := olm.SessionFromVodozemacPickle(p, key)
	if err != nil || alice2.Config() != olm.SessionConfigV2() {
		t.Fatal(err)
	}
	bob2, err := olm.SessionFromPickleJSON(j)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := alice2.Encrypt([]byte("after pickles"))
	if pt, err := bob2.Decrypt(m); err != nil || string(pt) != "after pickles" {
		t.Fatal(err)
	}
	// A v1 message into the v2 session and the reverse: refused, unchanged.
	v1a, v1b := olm.GenerateAccount(), olm.GenerateAccount()
	v1b.GenerateOneTimeKeys(1)
	v1out, _ := v1a.NewOutboundSession(v1b.IdentityKeys().Curve25519, v1b.OneTimeKeys()[0].Key)
	v1m, _ := v1out.Encrypt([]byte("v1"))
	if _, _, err := v1b.NewInboundSessionWithConfig(olm.SessionConfigV2(), v1m.(*olm.PreKeyMessage)); !errors.Is(err, olm.ErrConfigMismatch) {
		t.Errorf("v2 inbound of a v1 message: %v", err)
	}
	before := bob2.PickleJSON()
	forged := bytes.Clone(m.(*olm.Message).Bytes())
	forged[0] = olm.Version // a v2 message relabelled as v1
	if fm, err := olm.NewMessage(forged); err == nil {
		if _, err := bob2.Decrypt(fm); err == nil {
			t.Error("relabelled message decrypted")
		}
	}
	if !bytes.Equal(bob2.PickleJSON(), before) {
		t.Error("a refused message changed the session")
	}
}

// TestSessionConfigV2VodozemacPickles: a vodozemac session pickle with the
// V2 config loads as a v2 session and writes back byte for byte.
func TestSessionConfigV2VodozemacPickles(t *testing.T) {
	v := testvectors.Load[testvectors.VodozemacPickles](t, "vodozemac_pickles.json")
	for _, c := range v.Sessions {
		p := strings.Replace(c.Pickle, `"V1"`, `"V2"`, 1)
		s, err := olm.SessionFromPickleJSON([]byte(p))
		if err != nil || s.Config() != olm.SessionConfigV2() || string(s.PickleJSON()) != p {
			t.Errorf("%s: %v", c.Name, err)
		}
	}
}
