// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package megolm_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/newt-e2ee/newt/internal/aessha2"
	"github.com/newt-e2ee/newt/internal/b64"
	"github.com/newt-e2ee/newt/internal/wire"
	"github.com/newt-e2ee/newt/megolm"
)

// FuzzInboundDecryptForged is the semantic harness for
// InboundGroupSession.Decrypt: the signing key comes from the outbound
// pickle of megolm.json, so every message is validly signed (unless mode
// bit 2 breaks the signature) and validly MAC'd (unless mode bit 1 breaks
// the MAC); the fuzzer chooses the index and the ciphertext, raw or
// honestly encrypted (mode bit 0). Properties: no panic; errors are
// megolm's sentinels, ErrBadSignature exactly when the signature is broken;
// a failure leaves the session's pickle unchanged; an honest message
// decrypts to its plaintext and index; an accepted raw ciphertext
// re-encrypts to itself; the first honest message of megolm.json still
// decrypts afterwards. Seeds: the ciphertexts of megolm.json.
func FuzzInboundDecryptForged(f *testing.F) {
	v := loadVectors(f)
	signer := signerOf(f, v.Outbound.OutboundPickle0, []byte(v.Outbound.PickleKey))
	k0, err := megolm.ParseSessionKey(v.Outbound.SessionKey0)
	if err != nil {
		f.Fatal(err)
	}
	first, err := megolm.ParseMessage(v.Outbound.Messages[0])
	if err != nil {
		f.Fatal(err)
	}
	for i, s := range v.Outbound.Messages {
		raw, _ := b64.DecodeString(s)
		if m, err := megolm.NewMessage(raw); err == nil {
			f.Add(uint32(i), m.Ciphertext(), uint8(0))
			f.Add(uint32(i), m.Ciphertext(), uint8(1))
		}
	}
	f.Add(uint32(1<<31), []byte("far"), uint8(1))
	f.Add(uint32(5), make([]byte, 16), uint8(6))
	base, err := megolm.NewInboundGroupSession(k0)
	if err != nil {
		f.Fatal(err)
	}
	pk := []byte("fuzz")
	before := base.Pickle(pk)
	f.Fuzz(func(t *testing.T, index uint32, data []byte, mode uint8) {
		index %= 1 << 20 // keep the ratchet advance cheap; C13 covers 2^31
		s, err := megolm.InboundGroupSessionFromPickle(before, pk)
		if err != nil {
			t.Fatal(err)
		}
		e, err := s.Export(index)
		if err != nil {
			t.Fatal(err)
		}
		var k aessha2.Keys
		aessha2.DeriveKeys(&k, e.Bytes()[5:133], aessha2.InfoMegolmKeys)
		honest := mode&1 != 0
		ct := data
		if honest {
			ct = k.AppendEncrypt(nil, data)
		}
		b := append(wire.AppendMegolmMessageHeader(nil, wire.MegolmVersion, index, len(ct)), ct...)
		b = k.AppendMAC(b, b, aessha2.TruncatedMACSize)
		badMAC, badSig := mode&2 != 0, mode&4 != 0
		if badMAC {
			b[len(b)-1] ^= 1
		}
		sig := signer.Sign(b)
		if badSig {
			sig[0] ^= 1
		}
		b = append(b, sig[:]...)
		m, err := megolm.NewMessage(b)
		if err != nil {
			if m != nil || !errors.Is(err, megolm.ErrBadMessageFormat) {
				t.Fatalf("ParseMessage: %v", err)
			}
			return
		}
		if !bytes.Equal(m.Bytes(), b) {
			t.Fatal("round trip")
		}
		pt, idx, err := s.Decrypt(m)
		if idx != index {
			t.Fatalf("index %d, want %d", idx, index)
		}
		if err != nil {
			if pt != nil || !(errors.Is(err, megolm.ErrBadMAC) || errors.Is(err, megolm.ErrBadSignature)) {
				t.Fatalf("Decrypt: %v", err)
			}
			if errors.Is(err, megolm.ErrBadSignature) != badSig {
				t.Fatalf("signature broken %v, error %v", badSig, err)
			}
			if s.Pickle(pk) != before {
				t.Fatal("failed decrypt changed the session")
			}
			if honest && !badMAC && !badSig {
				t.Fatalf("honest message: %v", err)
			}
			if _, _, err := s.Decrypt(first); err != nil {
				t.Fatalf("honest message after a failure: %v", err)
			}
			return
		}
		if badMAC || badSig {
			t.Fatal("accepted a message with a bad MAC or signature")
		}
		if (honest && !bytes.Equal(pt, data)) || !bytes.Equal(k.AppendEncrypt(nil, pt), ct) {
			t.Fatal("plaintext does not match the ciphertext")
		}
	})
}
