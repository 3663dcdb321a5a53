// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package ratchet

import (
	"bytes"
	"errors"
	"testing"

	rs "github.com/newt-e2ee/newt/internal/ratchetstate"
)

// TestStateRoundTrip: export and newFromState give back the same ratchet
// (same libolm pickle bytes), with chains and skipped keys.
func TestStateRoundTrip(t *testing.T) {
	secret := bytes.Repeat([]byte{9}, 96)
	a, err := NewOutbound(secret, bytes.Repeat([]byte{1}, 32))
	if err != nil {
		t.Fatal(err)
	}
	var msgs [][]byte
	for range 5 {
		m, err := a.Encrypt([]byte("x"))
		if err != nil {
			t.Fatal(err)
		}
		msgs = append(msgs, m)
	}
	pub, _ := a.SenderRatchetKey()
	b := NewInbound(secret, pub)
	if _, err := b.Decrypt(msgs[4]); err != nil {
		t.Fatal(err)
	}
	for _, r := range []*Ratchet{a, b} {
		s := r.st().export()
		r2, err := newFromState(&s)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(r.AppendLibolm(nil), r2.AppendLibolm(nil)) {
			t.Fatal("state round trip differs")
		}
	}
	if s := b.st().export(); len(s.Skipped) != 4 || len(s.Receivers) != 1 || s.HasSender {
		t.Fatalf("state %d skipped %d receivers", len(s.Skipped), len(s.Receivers))
	}
	s := b.st().export()
	s.Receivers = nil
	if _, err := newFromState(&s); !errors.Is(err, rs.ErrState) {
		t.Error("no chain accepted")
	}
	s = b.st().export()
	s.Skipped = make([]rs.SkippedState, MaxSkippedMessageKeys+1)
	if _, err := newFromState(&s); !errors.Is(err, rs.ErrState) {
		t.Error("too many skipped keys accepted")
	}
}
