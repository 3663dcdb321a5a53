// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package megolm

import (
	"errors"
	"testing"

	"github.com/newt-e2ee/newt/testvectors"
)

// TestDeterministicOutboundKAT checks newGroupSessionFromRandom against the
// libolm session created from random bytes 00..9f (testvectors/megolm.json):
// the session ID, the session key and the pickle at index 0, the two
// messages, and the session key and pickle at index 2.
func TestDeterministicOutboundKAT(t *testing.T) {
	v := testvectors.Load[testvectors.MegolmVectors](t, "megolm.json").Outbound
	var random [groupSessionRandomSize]byte
	for i := range random {
		random[i] = byte(i)
	}
	s := newGroupSessionFromRandom(&random)
	key := []byte(v.PickleKey)
	if s.ID() != v.SessionID {
		t.Fatalf("ID = %s, want %s", s.ID(), v.SessionID)
	}
	if got := s.SessionKey().Base64(); got != v.SessionKey0 {
		t.Fatalf("session key @0 = %s", got)
	}
	if got := string(s.Pickle(key)); got != v.OutboundPickle0 {
		t.Fatalf("pickle @0 = %s", got)
	}
	for i, pt := range v.Plaintexts {
		if got := s.Encrypt([]byte(pt)).Base64(); got != v.Messages[i] {
			t.Fatalf("message %d = %s", i, got)
		}
	}
	if got := s.SessionKey().Base64(); got != v.SessionKey2 {
		t.Fatalf("session key @2 = %s", got)
	}
	if got := string(s.Pickle(key)); got != v.OutboundPickle2 {
		t.Fatalf("pickle @2 = %s", got)
	}
}

// TestConstantSizes checks the exported sizes against the formats.
func TestConstantSizes(t *testing.T) {
	if RatchetSize != 128 || SessionKeySize != 229 || ExportedSessionKeySize != 165 ||
		MACSize != 8 || SignatureSize != 64 {
		t.Fatal("exported sizes differ from libolm's (include/olm/megolm.h, src/inbound_group_session.c)")
	}
	if outboundPickleSize != 232 || inboundPickleSize != 301 || keySignedSize != 165 {
		t.Fatal("pickle sizes differ from libolm's (olm_pickle_outbound_group_session, olm_pickle_inbound_group_session)")
	}
	if groupSessionRandomSize != 160 || minMessageSize != 73 {
		t.Fatal("internal sizes")
	}
}

// TestDecryptLargeJumps decrypts messages at indexes far apart (jumps of 2^16
// and 2^24, up to the end of the 2^31 window) with one session, in order and
// then out of order, and checks the cached ratchet and the wrap window rule
// of libolm's _get_megolm (src/inbound_group_session.c).
func TestDecryptLargeJumps(t *testing.T) {
	out := GenerateGroupSession()
	sk0 := out.SessionKey()
	in, err := NewInboundGroupSession(sk0)
	if err != nil {
		t.Fatal(err)
	}
	var msgs []*Message
	for _, index := range []uint32{1, 1 << 16, 1<<16 + 1, 1<<24 + 5, 1<<24 + 1<<16, 0x7fffffff} {
		out.r.advanceTo(index)
		msgs = append(msgs, out.Encrypt([]byte{byte(index)}))
	}
	for _, m := range msgs {
		pt, index, err := in.Decrypt(m)
		if err != nil || index != m.Index() || pt[0] != byte(index) {
			t.Fatalf("index %#x: %v", m.Index(), err)
		}
		if in.latest.counter != m.Index() {
			t.Fatalf("latest = %#x after decrypting %#x", in.latest.counter, m.Index())
		}
	}
	for _, i := range []int{2, 0, 4, 1} {
		if _, _, err := in.Decrypt(msgs[i]); err != nil {
			t.Fatal(err)
		}
	}
	if in.latest.counter != 0x7fffffff {
		t.Fatal("older messages moved the cache back")
	}
	// From latest 0x7fffffff, index 0xfffffffe is 2^31 − 1 ahead of the
	// cache but more than 2^31 past the first known index: libolm's rule
	// tries the cache first, so the message decrypts.
	out.r.advanceTo(0xfffffffe)
	m := out.Encrypt([]byte("edge"))
	if pt, _, err := in.Decrypt(m); err != nil || string(pt) != "edge" {
		t.Fatalf("index 0xfffffffe from latest 0x7fffffff: %v", err)
	}
	// A fresh session at 0 finds 0xfffffffe outside its window.
	in2, err := NewInboundGroupSession(sk0)
	if err != nil {
		t.Fatal(err)
	}
	var uerr *UnknownMessageIndexError
	if _, _, err := in2.Decrypt(m); !errors.As(err, &uerr) || uerr.Got != 0xfffffffe {
		t.Fatalf("index 0xfffffffe from a session at 0: %v", err)
	}
	// The outbound index wraps after 0xffffffff, as in libolm; the cache
	// follows it through 2^32.
	for _, want := range []uint32{0xffffffff, 0, 1} {
		m = out.Encrypt([]byte("wrap"))
		if pt, index, err := in.Decrypt(m); err != nil || index != want || string(pt) != "wrap" {
			t.Fatalf("index %#x after the wrap: %d %v", want, index, err)
		}
	}
}
