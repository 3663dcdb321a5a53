// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package megolm_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"sync"
	"testing"

	"github.com/newt-e2ee/newt/internal/ed25519x"
	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/internal/pickle"
	"github.com/newt-e2ee/newt/megolm"
)

// signingKeyOffset is the offset of the signing key in an inbound session
// pickle's plaintext (version, two ratchets with their counters).
const signingKeyOffset = 4 + 2*(megolm.RatchetSize+4)

// withSigningKey returns in's pickle with its signing key replaced by pub.
func withSigningKey(t *testing.T, in *megolm.InboundGroupSession, pub []byte) []byte {
	t.Helper()
	plain, err := pickle.Decrypt(pickleKey, []byte(in.Pickle(pickleKey)))
	if err != nil {
		t.Fatal(err)
	}
	copy(plain[signingKeyOffset:], pub)
	return []byte(newttest.SealPickle(pickleKey, plain))
}

// offCurveKey returns a canonical encoding (y < p, sign bit clear) that is
// not a point of the curve: the cheap load-time check passes it, the
// decompression rejects it.
func offCurveKey(t *testing.T) []byte {
	t.Helper()
	for y := uint64(2); y < 1000; y++ {
		var b [32]byte
		binary.LittleEndian.PutUint64(b[:], y)
		if ed25519x.CheckPublicKeyBytes(b[:]) == nil {
			if _, err := ed25519x.NewPublicKey(b[:]); err != nil {
				return b[:]
			}
		}
	}
	t.Fatal("no off-curve y below 1000")
	return nil
}

// TestPickleSigningKeyCheckedAtLoad: encodings that are not canonical or are
// of small order are rejected when the pickle loads, as before the key was
// decoded lazily.
func TestPickleSigningKeyCheckedAtLoad(t *testing.T) {
	_, in := newPair(t)
	ff := bytes.Repeat([]byte{0xff}, 31)
	bad := map[string][]byte{
		"y = p":               append([]byte{0xed}, append(ff[1:], 0x7f)...),
		"y = p + 1":           append([]byte{0xee}, append(ff[1:], 0x7f)...),
		"y = 2^255 - 1":       append(bytes.Clone(ff), 0x7f),
		"x = 0 with sign bit": append([]byte{1}, append(make([]byte, 30), 0x80)...),
		"identity":            append([]byte{1}, make([]byte, 31)...),
		"order 2":             append([]byte{0xec}, append(ff[1:], 0x7f)...),
		"order 4":             make([]byte, 32),
		"order 4, sign bit":   append(make([]byte, 31), 0x80),
	}
	for name, pub := range bad {
		s, err := megolm.InboundGroupSessionFromPickle(string(withSigningKey(t, in, pub)), pickleKey)
		if s != nil || !errors.Is(err, megolm.ErrCorruptedPickle) || !errors.Is(err, megolm.ErrInvalidSigningKey) {
			t.Errorf("%s: %v, %v", name, s, err)
		}
	}
}

// TestPickleOffCurveSigningKey: a canonical encoding of no curve point, which
// only a holder of the pickle key can write, loads; the session then fails
// every decryption with ErrInvalidSigningKey (and ErrBadSignature), changes
// nothing, and never gets a verification table.
func TestPickleOffCurveSigningKey(t *testing.T) {
	cache := ed25519x.NewVerifierCache(1 << 20)
	megolm.SetVerifierCacheForTest(t, cache)
	out, in := newPair(t)
	s, err := megolm.InboundGroupSessionFromPickle(string(withSigningKey(t, in, offCurveKey(t))), pickleKey)
	if err != nil {
		t.Fatalf("off-curve key at load: %v", err)
	}
	before := s.Pickle(pickleKey)
	for i := range 2 * ed25519x.DefaultBuildAfter {
		m := out.Encrypt([]byte("x"))
		pt, idx, err := s.Decrypt(m)
		if pt != nil || idx != m.Index() || !errors.Is(err, megolm.ErrInvalidSigningKey) || !errors.Is(err, megolm.ErrBadSignature) {
			t.Fatalf("decrypt %d: %q, %d, %v", i, pt, idx, err)
		}
		pt, idx, err2 := s.DecryptBase64(m.Base64())
		if pt != nil || idx != m.Index() || err2 == nil || err2.Error() != err.Error() {
			t.Fatalf("DecryptBase64 %d: %q, %d, %v", i, pt, idx, err2)
		}
	}
	if before != s.Pickle(pickleKey) {
		t.Error("failed decryptions changed the session")
	}
	if n := cache.Bytes(); n >= ed25519x.FastVerifierSize {
		t.Errorf("the verifier cache holds %d bytes: a table for an invalid key?", n)
	}
	// What needs no signature still works.
	if _, err := s.Export(s.FirstKnownIndex()); err != nil {
		t.Errorf("Export: %v", err)
	}
	merged, err := s.Merge(s)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := merged.Decrypt(out.Encrypt(nil)); !errors.Is(err, megolm.ErrInvalidSigningKey) {
		t.Errorf("merged session: %v", err)
	}
}

// TestPickleLazyKeyConcurrent: an unpickled session decodes its key on first
// use; many first uses at once must all succeed (run with -race).
func TestPickleLazyKeyConcurrent(t *testing.T) {
	out, in := newPair(t)
	msgs := make([]*megolm.Message, 16)
	for i := range msgs {
		msgs[i] = out.Encrypt([]byte{byte(i)})
	}
	for range 5 {
		s, err := megolm.InboundGroupSessionFromPickle(in.Pickle(pickleKey), pickleKey)
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for i, m := range msgs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				pt, idx, err := s.Decrypt(m)
				if err != nil || idx != uint32(i) || !bytes.Equal(pt, []byte{byte(i)}) {
					t.Errorf("message %d: %q, %d, %v", i, pt, idx, err)
				}
			}()
		}
		wg.Wait()
		// A merge of a session whose key is not decoded yet decodes it too.
		s2, err := megolm.InboundGroupSessionFromPickle(in.Pickle(pickleKey), pickleKey)
		if err != nil {
			t.Fatal(err)
		}
		m, err := s2.Merge(s2)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := m.Decrypt(msgs[3]); err != nil {
			t.Fatal(err)
		}
	}
}
