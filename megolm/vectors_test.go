// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package megolm_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/megolm"
	"github.com/newt-e2ee/newt/testvectors"
)

// inboundFromVector builds the session of an inbound vector from its
// session key or exported session key.
func inboundFromVector(t testing.TB, v *testvectors.MegolmInboundCase) *megolm.InboundGroupSession {
	t.Helper()
	if v.ExportedSessionKey != "" {
		k := newttest.Must(t, megolm.ParseExportedSessionKey, v.ExportedSessionKey)
		return newttest.Must(t, megolm.ImportInboundGroupSession, k)
	}
	return inboundFromKey(t, v.SessionKey)
}

var pickleKey = []byte("secret_key")

func TestVectorsInbound(t *testing.T) {
	vf := loadVectors(t)
	for i := range vf.Inbound {
		v := &vf.Inbound[i]
		t.Run(v.Name, func(t *testing.T) {
			s := inboundFromVector(t, v)
			if v.SessionID != "" && s.ID() != v.SessionID {
				t.Errorf("ID = %s, want %s", s.ID(), v.SessionID)
			}
			if s.FirstKnownIndex() != v.FirstKnownIndex {
				t.Errorf("FirstKnownIndex = %d, want %d", s.FirstKnownIndex(), v.FirstKnownIndex)
			}
			before := s.Pickle(pickleKey)
			msg, err := megolm.ParseMessage(v.Message)
			if v.Expect == "invalid" {
				if !errors.Is(err, megolm.ErrBadMessageFormat) {
					t.Fatalf("ParseMessage error = %v, want ErrBadMessageFormat", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if msg.Base64() != v.Message {
				t.Errorf("Base64() does not round-trip")
			}
			pt, index, err := s.Decrypt(msg)
			switch v.Expect {
			case "success":
				if err != nil {
					t.Fatal(err)
				}
				if string(pt) != v.Plaintext || index != v.Index {
					t.Fatalf("Decrypt = %q, %d; want %q, %d", pt, index, v.Plaintext, v.Index)
				}
				if !s.IsVerified() {
					t.Error("session not verified after a successful decryption")
				}
			case "bad signature":
				if !errors.Is(err, megolm.ErrBadSignature) || pt != nil {
					t.Fatalf("Decrypt error = %v, want ErrBadSignature", err)
				}
				if before != s.Pickle(pickleKey) {
					t.Fatal("failed decryption changed the session")
				}
			default:
				t.Fatalf("unknown expect %q", v.Expect)
			}
		})
	}
}

// TestVectorsExportImportVerified is libolm test_group_session.cpp: a session
// imported from an export at 0 is unverified until it decrypts a message.
func TestVectorsExportImportVerified(t *testing.T) {
	v := &loadVectors(t).Inbound[0]
	s := inboundFromVector(t, v)
	if !s.IsVerified() {
		t.Fatal("session from a signed session key is not verified")
	}
	exp, err := s.Export(0)
	if err != nil {
		t.Fatal(err)
	}
	imported, err := megolm.ImportInboundGroupSession(exp)
	if err != nil {
		t.Fatal(err)
	}
	if imported.IsVerified() {
		t.Fatal("imported session is verified before any decryption")
	}
	if imported.ID() != s.ID() || imported.FirstKnownIndex() != 0 {
		t.Fatal("imported session differs")
	}
	msg, err := megolm.ParseMessage(v.Message)
	if err != nil {
		t.Fatal(err)
	}
	pt, index, err := imported.Decrypt(msg)
	if err != nil || string(pt) != v.Plaintext || index != 0 {
		t.Fatalf("Decrypt = %q, %d, %v", pt, index, err)
	}
	if !imported.IsVerified() {
		t.Fatal("imported session not verified after decrypting (libolm behaviour)")
	}
}

// TestVectorsOutbound drives the deterministic libolm session of megolm.json,
// loaded from libolm's own pickle, through encryption and key export.
func TestVectorsOutbound(t *testing.T) {
	v := loadVectors(t).Outbound
	key := []byte(v.PickleKey)
	s := vectorOutbound(t, &v, v.OutboundPickle0)
	if got := string(s.Pickle(key)); got != v.OutboundPickle0 {
		t.Fatalf("re-pickle @0 differs:\n got %s\nwant %s", got, v.OutboundPickle0)
	}
	if s.ID() != v.SessionID || s.SigningKey().String() != v.SessionID {
		t.Fatalf("ID = %s, want %s", s.ID(), v.SessionID)
	}
	if s.MessageIndex() != 0 {
		t.Fatalf("MessageIndex = %d", s.MessageIndex())
	}
	if got := s.SessionKey().Base64(); got != v.SessionKey0 {
		t.Fatalf("session key @0:\n got %s\nwant %s", got, v.SessionKey0)
	}
	for i, pt := range v.Plaintexts {
		m := s.Encrypt([]byte(pt))
		if m.Base64() != v.Messages[i] {
			t.Fatalf("message %d:\n got %s\nwant %s", i, m.Base64(), v.Messages[i])
		}
		if m.Index() != uint32(i) {
			t.Fatalf("message %d has index %d", i, m.Index())
		}
	}
	if got := s.SessionKey().Base64(); got != v.SessionKey2 {
		t.Fatalf("session key @2:\n got %s\nwant %s", got, v.SessionKey2)
	}
	if got := string(s.Pickle(key)); got != v.OutboundPickle2 {
		t.Fatalf("pickle @2:\n got %s\nwant %s", got, v.OutboundPickle2)
	}
	s2 := vectorOutbound(t, &v, v.OutboundPickle2)
	if s2.MessageIndex() != 2 || s2.SessionKey().Base64() != v.SessionKey2 {
		t.Fatal("session from pickle @2 differs")
	}
}

// TestVectorsAppendEncrypt checks that AppendEncrypt produces the same bytes
// as Encrypt, appended after existing content.
func TestVectorsAppendEncrypt(t *testing.T) {
	v := loadVectors(t).Outbound
	s := vectorOutbound(t, &v, v.OutboundPickle0)
	prefix := []byte("prefix")
	out := s.AppendEncrypt(prefix, []byte(v.Plaintexts[0]))
	want, _ := megolm.ParseMessage(v.Messages[0])
	if !bytes.Equal(out[:len(prefix)], prefix) || !bytes.Equal(out[len(prefix):], want.Bytes()) {
		t.Fatal("AppendEncrypt output differs from the libolm message")
	}
}

// TestVectorsInboundPickles checks the inbound pickles and exports of
// megolm.json (session from session key @0; pickle after decrypting 1 then
// 0).
func TestVectorsInboundPickles(t *testing.T) {
	v := loadVectors(t).Outbound
	key := []byte(v.PickleKey)
	s := inboundFromKey(t, v.SessionKey0)
	if s.ID() != v.SessionID {
		t.Fatalf("ID = %s", s.ID())
	}
	if got := string(s.Pickle(key)); got != v.InboundPickleFresh {
		t.Fatalf("fresh inbound pickle:\n got %s\nwant %s", got, v.InboundPickleFresh)
	}
	for i, want := range []string{v.Export0, v.Export1} {
		exp, err := s.Export(uint32(i))
		if err != nil {
			t.Fatal(err)
		}
		if exp.Base64() != want {
			t.Fatalf("export @%d:\n got %s\nwant %s", i, exp.Base64(), want)
		}
	}
	if got := string(s.Pickle(key)); got != v.InboundPickleFresh {
		t.Fatal("Export changed the session")
	}
	for _, i := range []int{1, 0} {
		m, err := megolm.ParseMessage(v.Messages[i])
		if err != nil {
			t.Fatal(err)
		}
		pt, index, err := s.Decrypt(m)
		if err != nil || string(pt) != v.Plaintexts[i] || index != uint32(i) {
			t.Fatalf("Decrypt(message %d) = %q, %d, %v", i, pt, index, err)
		}
	}
	if got := string(s.Pickle(key)); got != v.InboundPickleAfter1_0 {
		t.Fatalf("inbound pickle after 1, 0:\n got %s\nwant %s", got, v.InboundPickleAfter1_0)
	}

	for _, p := range []string{v.InboundPickleFresh, v.InboundPickleAfter1_0} {
		u, err := megolm.InboundGroupSessionFromPickle(p, key)
		if err != nil {
			t.Fatal(err)
		}
		if got := string(u.Pickle(key)); got != p {
			t.Fatal("inbound re-pickle differs")
		}
		if u.ID() != v.SessionID || u.FirstKnownIndex() != 0 || !u.IsVerified() {
			t.Fatal("unpickled inbound session differs")
		}
	}
}

// TestVectorsImportAtOne is megolm.json's "after importing export @1": index
// 0 is unknown for decryption and for export.
func TestVectorsImportAtOne(t *testing.T) {
	v := loadVectors(t).Outbound
	exp, err := megolm.ParseExportedSessionKey(v.Export1)
	if err != nil {
		t.Fatal(err)
	}
	if exp.Index() != 1 || exp.SigningKey().String() != v.SessionID {
		t.Fatal("exported key accessors")
	}
	s, err := megolm.ImportInboundGroupSession(exp)
	if err != nil {
		t.Fatal(err)
	}
	if s.FirstKnownIndex() != 1 || s.IsVerified() {
		t.Fatalf("FirstKnownIndex = %d, verified = %v", s.FirstKnownIndex(), s.IsVerified())
	}
	before := s.Pickle(pickleKey)
	m0, _ := megolm.ParseMessage(v.Messages[0])
	_, index, err := s.Decrypt(m0)
	var uerr *megolm.UnknownMessageIndexError
	if !errors.As(err, &uerr) || !errors.Is(err, megolm.ErrUnknownMessageIndex) {
		t.Fatalf("Decrypt(index 0) error = %v, want *UnknownMessageIndexError", err)
	}
	if uerr.FirstKnown != 1 || uerr.Got != 0 || index != 0 {
		t.Fatalf("error = %+v, index %d", uerr, index)
	}
	if _, err := s.Export(0); !errors.As(err, &uerr) || uerr.Got != 0 {
		t.Fatalf("Export(0) error = %v", err)
	}
	if before != s.Pickle(pickleKey) {
		t.Fatal("failed operations changed the session")
	}
	m1, _ := megolm.ParseMessage(v.Messages[1])
	if pt, _, err := s.Decrypt(m1); err != nil || string(pt) != v.Plaintexts[1] {
		t.Fatalf("Decrypt(index 1) = %q, %v", pt, err)
	}
}
