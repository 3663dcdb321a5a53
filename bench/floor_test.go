// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package bench

import (
	"bytes"
	"crypto/ecdh"
	"crypto/rand"
	"testing"
)

// The fast floor computes the same values as the stdlib floor; the floor's
// signature checks succeed (a failing verify could return early).

func TestFastPrims(t *testing.T) {
	std, fast := newPrims(false), newPrims(true)
	for _, n := range []int{0, 1, 31, 32, 33, 64, 65, 300} {
		key, msg := make([]byte, min(n, 64)), make([]byte, n)
		rand.Read(key)
		rand.Read(msg)
		var a, b [32]byte
		std.hmac(&a, key, msg[:n/2], msg[n/2:], nil)
		fast.hmac(&b, key, msg, nil, nil)
		if a != b {
			t.Errorf("HMAC of %d bytes differs", n)
		}
		for _, salt := range [][]byte{nil, key} {
			for _, l := range []int{32, 64, 80} {
				if x, y := std.hkdf(l, msg, salt, infoOlmKeys), fast.hkdf(l, msg, salt, infoOlmKeys); !bytes.Equal(x, y) {
					t.Errorf("HKDF(%d bytes, salt %d, %d) differs", n, len(salt), l)
				}
			}
		}
	}
	for range 20 {
		var priv [32]byte
		rand.Read(priv[:])
		k, err := ecdh.X25519().NewPrivateKey(priv[:])
		if err != nil {
			t.Fatal(err)
		}
		if got := fast.x25519KeyGen(priv[:]); !bytes.Equal(got, k.PublicKey().Bytes()) {
			t.Fatalf("X25519 public key via Edwards differs for %x", priv)
		}
		if got := std.x25519KeyGen(priv[:]); !bytes.Equal(got, k.PublicKey().Bytes()) {
			t.Fatal("stdlib X25519 key generation differs")
		}
	}
}

func TestFloorVerifies(t *testing.T) {
	st := getStream(t, 256)
	for _, fast := range []bool{false, true} {
		if !newFloor(fast, st.msgs[0].s, true).megolmDecrypt(encLen(256), 1) {
			t.Error("Megolm message signature does not verify")
		}
		if !newFloor(fast, st.key.s, true).megolmInboundCreate() {
			t.Error("session key signature does not verify")
		}
	}
}

// TestFloorAllocs pins the fast floor's allocations to those of the stdlib
// calls it cannot avoid (AES key schedule and CBC mode, Ed25519 signature).
func TestFloorAllocs(t *testing.T) {
	c := getOlm(t)
	f := newFloor(true, c.normal.s, false)
	if n := testing.AllocsPerRun(10, func() { f.olmDecrypt(encLen(olmPlaintextSize)) }); n > 2 {
		t.Errorf("fast Olm decrypt floor: %v allocations, want <= 2", n)
	}
	if n := testing.AllocsPerRun(10, func() { f.p.hkdf(80, f.key32[:], nil, infoPickle) }); n != 0 {
		t.Errorf("fast HKDF: %v allocations, want 0", n)
	}
}
