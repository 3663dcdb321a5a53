// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package ratchet_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/ratchet"
	"github.com/newt-e2ee/newt/testvectors"
)

// FuzzDecryptForged builds messages with a valid MAC (unless mode bit 1 is
// set) around fuzzed ciphertexts (honestly padded if mode bit 0 is set) at
// fuzzed counters up to just past MaxMessageGap, and decrypts them with a
// fresh receiving ratchet. Properties: no panic; a failure is one of the
// package's errors and leaves the ratchet's pickle unchanged, after which an
// honest message at the same counter decrypts; an honest message within
// the gap always decrypts to its plaintext; a success (including a fuzzed
// ciphertext that happens to be validly padded) re-encrypts to exactly the
// received ciphertext, and never happens with a bad MAC or beyond the gap.
func FuzzDecryptForged(f *testing.F) {
	v := testvectors.Load[testvectors.Messages](f, "message.json")
	for _, c := range v.Olm {
		f.Add(uint16(c.Counter), []byte(c.Ciphertext), uint8(0))
		f.Add(uint16(c.Counter), []byte(c.Ciphertext), uint8(1))
	}
	f.Add(uint16(ratchet.MaxMessageGap), []byte("gap"), uint8(1))
	f.Add(uint16(ratchet.MaxMessageGap+1), []byte("gap"), uint8(1))
	f.Add(uint16(3), make([]byte, 16), uint8(2))
	fg := newttest.NewOlmForger("ratchet fuzz")
	f.Fuzz(func(t *testing.T, counter uint16, data []byte, mode uint8) {
		n := uint32(counter)
		if n > ratchet.MaxMessageGap+8 {
			n %= 64
		}
		k := fg.Keys(n)
		ct := data
		honest := mode&1 != 0
		if honest {
			ct = k.AppendEncrypt(nil, data)
		}
		msg := fg.Message(k, n, ct)
		badMAC := mode&2 != 0
		if badMAC {
			msg[len(msg)-1] ^= 1
		}
		r := ratchet.NewInbound(fg.Secret, newt.Curve25519PublicKeyFromArray(fg.RatchetPub))
		before := r.AppendLibolm(nil)
		pt, err := r.Decrypt(msg)
		if err != nil {
			var gap *ratchet.MessageGapError
			if pt != nil || !(errors.Is(err, ratchet.ErrBadMAC) || errors.Is(err, ratchet.ErrBadMessageFormat) || errors.As(err, &gap)) {
				t.Fatalf("Decrypt: %v", err)
			}
			if !bytes.Equal(before, r.AppendLibolm(nil)) {
				t.Fatal("failed decrypt changed the ratchet")
			}
			if honest && !badMAC && n <= ratchet.MaxMessageGap {
				t.Fatalf("honest message at %d: %v", n, err)
			}
			if n <= ratchet.MaxMessageGap {
				good := fg.Message(k, n, k.AppendEncrypt(nil, []byte("next")))
				if got, err := r.Decrypt(good); err != nil || string(got) != "next" {
					t.Fatalf("honest message after a failure: %v", err)
				}
			}
			return
		}
		if badMAC || n > ratchet.MaxMessageGap {
			t.Fatalf("accepted a message with bad MAC %v at counter %d", badMAC, n)
		}
		if honest && !bytes.Equal(pt, data) {
			t.Fatal("wrong plaintext")
		}
		if !bytes.Equal(k.AppendEncrypt(nil, pt), ct) {
			t.Fatal("plaintext does not re-encrypt to the ciphertext")
		}
	})
}
