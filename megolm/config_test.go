// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package megolm_test

import (
	"bytes"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"testing"

	"github.com/newt-e2ee/newt/megolm"
)

// TestSessionConfigV2: v2 sessions talk to each other with version 4
// messages and a full 32-byte MAC, computed as the spec computes the
// truncated one; v1 stays the default; each refuses the other's messages
// with ErrConfigMismatch; the config survives both vodozemac pickle forms.
func TestSessionConfigV2(t *testing.T) {
	if megolm.GenerateGroupSession().Config() != megolm.SessionConfigV1() || megolm.SessionConfigV1().Version() != 1 {
		t.Fatal("v1 is not the default")
	}
	out := megolm.GenerateGroupSessionWithConfig(megolm.SessionConfigV2())
	out.Encrypt([]byte("skip index 0"))
	sk := out.SessionKey()
	in, err := megolm.NewInboundGroupSessionWithConfig(sk, megolm.SessionConfigV2())
	if err != nil {
		t.Fatal(err)
	}
	msg := out.Encrypt([]byte("v2 message"))
	if msg.Version() != megolm.MessageVersionV2 || len(msg.MAC()) != megolm.FullMACSize {
		t.Fatalf("version %d, MAC of %d bytes", msg.Version(), len(msg.MAC()))
	}
	// The MAC is the whole HMAC-SHA-256 under the MEGOLM_KEYS MAC key of
	// the ratchet at the message's index (here the session key's).
	b := msg.Bytes()
	keys, err := hkdf.Key(sha256.New, sk.Bytes()[5:5+megolm.RatchetSize], nil, "MEGOLM_KEYS", 80)
	if err != nil {
		t.Fatal(err)
	}
	m := hmac.New(sha256.New, keys[32:64])
	m.Write(b[:len(b)-megolm.SignatureSize-megolm.FullMACSize])
	if !bytes.Equal(m.Sum(nil), msg.MAC()) {
		t.Error("the v2 MAC is not the full HMAC")
	}
	if pt, index, err := in.Decrypt(msg); err != nil || string(pt) != "v2 message" || index != 1 {
		t.Fatalf("v2 decrypt: %v", err)
	}
	// Parsed from text too.
	again, err := megolm.ParseMessage(msg.Base64())
	if err != nil || again.Version() != megolm.MessageVersionV2 {
		t.Fatal(err)
	}

	// Mismatches, both ways, change nothing.
	v1in, err := megolm.NewInboundGroupSession(sk)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := v1in.Decrypt(msg); !errors.Is(err, megolm.ErrConfigMismatch) || !errors.Is(err, megolm.ErrBadVersion) {
		t.Errorf("v4 message in a v1 session: %v", err)
	}
	v1out := megolm.GenerateGroupSession()
	v2in, err := megolm.NewInboundGroupSessionWithConfig(v1out.SessionKey(), megolm.SessionConfigV2())
	if err != nil {
		t.Fatal(err)
	}
	before := v2in.PickleJSON()
	if _, _, err := v2in.Decrypt(v1out.Encrypt([]byte("v1"))); !errors.Is(err, megolm.ErrConfigMismatch) {
		t.Errorf("v3 message in a v2 session: %v", err)
	}
	if !bytes.Equal(v2in.PickleJSON(), before) {
		t.Error("a refused message changed the session")
	}

	// The config survives the JSON and encrypted forms.
	key := bytes.Repeat([]byte{1}, 32)
	out2, err := megolm.GroupSessionFromPickleJSON(out.PickleJSON())
	if err != nil || out2.Config() != megolm.SessionConfigV2() {
		t.Fatal("outbound JSON lost the config", err)
	}
	p, _ := in.VodozemacPickle(key)
	in2, err := megolm.InboundGroupSessionFromVodozemacPickle(p, key)
	if err != nil || in2.Config() != megolm.SessionConfigV2() {
		t.Fatal("inbound encrypted pickle lost the config", err)
	}
	if pt, _, err := in2.Decrypt(out2.Encrypt([]byte("after pickles"))); err != nil || string(pt) != "after pickles" {
		t.Fatal(err)
	}
	// Sessions of different configs are not connected.
	if in.Connected(v1in) {
		t.Error("v1 and v2 views are connected")
	}
	if imp, err := in.Export(1); err != nil {
		t.Fatal(err)
	} else if s, err := megolm.ImportInboundGroupSessionWithConfig(imp, megolm.SessionConfigV2()); err != nil || !s.Connected(in) {
		t.Error("import with config", err)
	}
}
