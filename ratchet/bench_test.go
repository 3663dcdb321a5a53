// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package ratchet

import "testing"

// BenchmarkBurst encrypts and decrypts on one chain with reused buffers:
// chain advance and AES/HMAC only.
func BenchmarkBurst(b *testing.B) { benchConversation(b, false) }

// BenchmarkAlternating makes every message start a new chain: one DH and
// one HKDF per side per message.
func BenchmarkAlternating(b *testing.B) { benchConversation(b, true) }

// benchConversation sends 256-byte messages from Alice to Bob with reused
// buffers; if alternate, the two swap roles after every message.
func benchConversation(b *testing.B, alternate bool) {
	alice, bob := pair(b)
	pt := make([]byte, 256)
	msg := make([]byte, 0, 512)
	out := make([]byte, 0, 512)
	b.SetBytes(int64(len(pt)))
	b.ReportAllocs()
	for b.Loop() {
		var err error
		msg, err = alice.AppendEncrypt(msg[:0], pt, nil)
		if err != nil {
			b.Fatal(err)
		}
		if out, err = bob.AppendDecrypt(out[:0], msg); err != nil {
			b.Fatal(err)
		}
		if alternate {
			alice, bob = bob, alice
		}
	}
}

// BenchmarkSkip2000 decrypts a message 2000 ahead of its chain, the worst
// case an attacker can ask for.
func BenchmarkSkip2000(b *testing.B) {
	alice, bob := pair(b)
	var far []byte
	for range MaxMessageGap + 1 {
		far = mustEncrypt(b, alice, "x")
	}
	r := bob.Clone()
	b.ReportAllocs()
	for b.Loop() {
		*r.st() = *bob.st()
		if _, err := r.Decrypt(far); err != nil {
			b.Fatal(err)
		}
	}
}

// TestAllocations checks that AppendEncrypt and AppendDecrypt with
// sufficient capacity allocate nothing of their own (only crypto/aes's key
// schedule, inside internal/aessha2).
func TestAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under the race detector")
	}
	alice, bob := pair(t)
	pt := make([]byte, 100)
	msg := make([]byte, 0, 512)
	out := make([]byte, 0, 512)
	allocs := testing.AllocsPerRun(100, func() {
		msg, _ = alice.AppendEncrypt(msg[:0], pt, nil)
		out, _ = bob.AppendDecrypt(out[:0], msg)
	})
	if allocs > 2 {
		t.Errorf("%v allocations per encrypt+decrypt, want at most 2 (the AES key schedules)", allocs)
	}
}
