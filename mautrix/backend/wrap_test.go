// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package backend_test

import (
	"bytes"
	"errors"
	"testing"

	molm "maunium.net/go/mautrix/crypto/olm"
	"maunium.net/go/mautrix/id"

	"github.com/newt-e2ee/newt/mautrix/backend"
	"github.com/newt-e2ee/newt/megolm"
)

// TestWrapInboundGroupSession wraps a session that newt imported itself (as
// package keys does for backups and export files) and checks that mautrix's
// interface sees that session: its ID, first index and verification state;
// it decrypts the sender's messages from that index on and refuses earlier
// ones with mautrix's sentinel; and its pickle is the one newt writes, which
// goolm (and libolm with the tag) loads and exports at the same index.
func TestWrapInboundGroupSession(t *testing.T) {
	out := megolm.GenerateGroupSession()
	// The receiver's session from the m.room_key event, exported at index
	// 1 as a backup may hold it, and imported again.
	received, err := megolm.NewInboundGroupSession(out.SessionKey())
	if err != nil {
		t.Fatal(err)
	}
	first := out.Encrypt([]byte("before the export"))
	second := out.Encrypt([]byte("after the export"))
	key, err := received.Export(1)
	if err != nil {
		t.Fatal(err)
	}
	imported, err := megolm.ImportInboundGroupSession(key)
	if err != nil {
		t.Fatal(err)
	}

	var w molm.InboundGroupSession = backend.WrapInboundGroupSession(imported)
	if got := w.(*backend.InboundGroupSession).Newt(); got != imported {
		t.Fatal("Newt does not return the wrapped session")
	}
	if w.ID() != id.SessionID(out.ID()) || w.FirstKnownIndex() != 1 || w.IsVerified() {
		t.Fatalf("ID %s, first index %d, verified %v", w.ID(), w.FirstKnownIndex(), w.IsVerified())
	}
	pt, index, err := w.Decrypt([]byte(second.Base64()))
	if err != nil || string(pt) != "after the export" || index != 1 {
		t.Fatalf("Decrypt = %q, %d, %v", pt, index, err)
	}
	if _, _, err := w.Decrypt([]byte(first.Base64())); !errors.Is(err, molm.ErrUnknownMessageIndex) {
		t.Fatalf("message before the first index: %v", err)
	}

	p, err := w.Pickle(testKey)
	if err != nil {
		t.Fatal(err)
	}
	if want := imported.Pickle(testKey); string(p) != want {
		t.Fatal("the wrapper's pickle differs from newt's pickle of the session")
	}
	exported, err := w.Export(1)
	if err != nil {
		t.Fatal(err)
	}
	for _, peer := range peers {
		s, err := peer.inboundFromPickle(p, testKey)
		if err != nil {
			t.Fatalf("%s cannot load the pickle: %v", peer.name, err)
		}
		e, err := s.Export(1)
		if err != nil {
			t.Fatalf("%s: Export: %v", peer.name, err)
		}
		if !bytes.Equal(e, exported) {
			t.Fatalf("%s exports other keys than the wrapped session", peer.name)
		}
	}

	blank := backend.WrapInboundGroupSession(nil)
	if blank.Newt() != nil || blank.ID() != "" {
		t.Fatal("WrapInboundGroupSession(nil) is not blank")
	}
	if _, err := blank.Pickle(testKey); !errors.Is(err, backend.ErrBlank) {
		t.Fatalf("blank Pickle: %v", err)
	}
}
