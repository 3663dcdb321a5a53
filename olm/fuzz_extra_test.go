// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package olm_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/olm"
	"github.com/newt-e2ee/newt/testvectors"
)

// FuzzSessionDecryptForged is the semantic harness for Session.Decrypt: the
// fuzzer chooses the counter, the ciphertext (raw, or honestly encrypted if
// mode bit 0 is set) and whether the MAC is broken (mode bit 1); the
// message gets a valid MAC otherwise, so the checks behind the MAC run.
// Properties: no panic; errors are olm's sentinels; a failure leaves the
// session's pickle unchanged and an honest message at the same counter
// still decrypts; honest messages within the gap decrypt to their
// plaintext; an accepted raw ciphertext re-encrypts to itself; a replay of
// an accepted message is ErrMissingMessageKey. Seeds: the Olm ciphertexts
// and counters of message.json.
func FuzzSessionDecryptForged(f *testing.F) {
	for _, c := range testvectors.Load[testvectors.Messages](f, "message.json").Olm {
		f.Add(uint16(c.Counter), []byte(c.Ciphertext), uint8(0))
		f.Add(uint16(c.Counter), []byte(c.Ciphertext), uint8(1))
	}
	f.Add(uint16(olm.MaxMessageGap+1), []byte("x"), uint8(1))
	fg := newttest.NewOlmForger("olm fuzz")
	p := forgedSession(fg)
	f.Fuzz(func(t *testing.T, counter uint16, data []byte, mode uint8) {
		n := uint32(counter)
		if n > olm.MaxMessageGap+8 {
			n %= 64
		}
		k := fg.Keys(n)
		mkMsg := func(ct []byte) []byte { return fg.Message(k, n, ct) }
		honest := mode&1 != 0
		ct := data
		if honest {
			ct = k.AppendEncrypt(nil, data)
		}
		raw := mkMsg(ct)
		badMAC := mode&2 != 0
		if badMAC {
			raw[len(raw)-1] ^= 1
		}
		s, err := olm.SessionFromPickle(p, newttest.PickleKey)
		if err != nil {
			t.Fatal(err)
		}
		m, err := olm.NewMessage(raw)
		if err != nil {
			if m != nil || !errors.Is(err, olm.ErrBadMessageFormat) {
				t.Fatalf("NewMessage: %v", err)
			}
			return
		}
		pt, err := s.Decrypt(m)
		if err != nil {
			var gap *olm.MessageGapError
			if pt != nil || !(errors.Is(err, olm.ErrBadMAC) || errors.As(err, &gap)) {
				t.Fatalf("Decrypt: %v", err)
			}
			if newttest.Snapshot(s) != p {
				t.Fatal("failed decrypt changed the session")
			}
			if honest && !badMAC && n <= olm.MaxMessageGap {
				t.Fatalf("honest message at %d: %v", n, err)
			}
			if n <= olm.MaxMessageGap {
				good, _ := olm.NewMessage(mkMsg(k.AppendEncrypt(nil, []byte("next"))))
				if got, err := s.Decrypt(good); err != nil || string(got) != "next" {
					t.Fatalf("honest message after a failure: %v", err)
				}
			}
			return
		}
		if badMAC || n > olm.MaxMessageGap {
			t.Fatalf("accepted: bad MAC %v, counter %d", badMAC, n)
		}
		if (honest && !bytes.Equal(pt, data)) || !bytes.Equal(k.AppendEncrypt(nil, pt), ct) {
			t.Fatal("plaintext does not match the ciphertext")
		}
		if _, err := s.Decrypt(m); !errors.Is(err, olm.ErrMissingMessageKey) {
			t.Fatalf("replay: %v", err)
		}
	})
}
