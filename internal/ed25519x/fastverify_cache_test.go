// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package ed25519x

import (
	"crypto/ed25519"
	"errors"
	"testing"

	"github.com/newt-e2ee/newt/internal/newttest"
)

type fastCacheKey struct {
	pub      [32]byte
	msg, sig []byte
}

func fastCacheKeys(t testing.TB, n int, seed uint64) []fastCacheKey {
	t.Helper()
	r := fastTestRand(t, seed)
	out := make([]fastCacheKey, n)
	for i := range out {
		priv := ed25519.NewKeyFromSeed(fastTestBytes(r, 32))
		copy(out[i].pub[:], priv.Public().(ed25519.PublicKey))
		out[i].msg = fastTestBytes(r, 100)
		out[i].sig = ed25519.Sign(priv, out[i].msg)
	}
	return out
}

// TestVerifierCacheBuildAfter checks that Get answers nil for the first
// DefaultBuildAfter sightings, then returns one table for good, and that
// Verify decides correctly on both paths.
func TestVerifierCacheBuildAfter(t *testing.T) {
	k := fastCacheKeys(t, 1, 20)[0]
	c := NewVerifierCache(100 * FastVerifierSize)
	for i := range DefaultBuildAfter {
		if v := c.Get(k.pub); v != nil {
			t.Fatalf("Get #%d returned a verifier before the threshold", i+1)
		}
	}
	v := c.Get(k.pub)
	if v == nil {
		t.Fatalf("Get #%d returned nil", DefaultBuildAfter+1)
	}
	if v.Bytes() != k.pub {
		t.Fatal("verifier for another key")
	}
	if c.Get(k.pub) != v {
		t.Fatal("table rebuilt")
	}
	if c.Len() != 1 || c.Bytes() != fastCacheEntryOverhead+FastVerifierSize {
		t.Fatalf("Len %d Bytes %d", c.Len(), c.Bytes())
	}

	c2 := NewVerifierCache(100 * FastVerifierSize)
	for i := range 2 * DefaultBuildAfter {
		if !c2.Verify(k.pub, k.msg, k.sig) {
			t.Fatalf("Verify #%d rejected a valid signature", i)
		}
		if c2.Verify(k.pub, k.msg, fastFlip(k.sig, i)) {
			t.Fatalf("Verify #%d accepted a corrupted signature", i)
		}
	}
	if c2.Get(k.pub) == nil {
		t.Fatal("no table after repeated use")
	}

	c3 := NewVerifierCache(100 * FastVerifierSize)
	c3.SetBuildAfter(0)
	if c3.Get(k.pub) == nil {
		t.Fatal("SetBuildAfter(0): no table on first sight")
	}
}

// TestVerifierCacheEviction checks the byte budget and the LRU order.
func TestVerifierCacheEviction(t *testing.T) {
	keys := fastCacheKeys(t, 3, 21)
	per := fastCacheEntryOverhead + FastVerifierSize
	c := NewVerifierCache(2*per + fastCacheEntryOverhead/2)
	c.SetBuildAfter(1)
	build := func(k fastCacheKey) *FastVerifier {
		t.Helper()
		c.Get(k.pub)
		v := c.Get(k.pub)
		if v == nil {
			t.Fatal("no table on the second Get")
		}
		return v
	}
	v0 := build(keys[0])
	build(keys[1])
	if c.Get(keys[0].pub) != v0 { // keys[0] becomes most recent
		t.Fatal("keys[0] lost")
	}
	if c.Bytes() != 2*per {
		t.Fatalf("Bytes %d, want %d", c.Bytes(), 2*per)
	}
	// Tracking keys[2] (no table yet) exceeds the budget: keys[1], the least
	// recently used, is dropped.
	if c.Get(keys[2].pub) != nil {
		t.Fatal("table before the threshold")
	}
	if c.Len() != 2 || c.Bytes() > 2*per+fastCacheEntryOverhead/2 {
		t.Fatalf("Len %d Bytes %d after eviction", c.Len(), c.Bytes())
	}
	if c.Get(keys[0].pub) != v0 {
		t.Fatal("most recently used key evicted")
	}
	// keys[1] starts over: its first sighting answers nil again.
	if c.Get(keys[1].pub) != nil {
		t.Fatal("evicted key kept its table")
	}

	// Many distinct keys under a small budget: memory stays bounded.
	small := NewVerifierCache(10 * fastCacheEntryOverhead)
	r := fastTestRand(t, 22)
	for range 1000 {
		var pub [32]byte
		copy(pub[:], fastTestBytes(r, 32))
		small.Get(pub)
		if small.Bytes() > 10*fastCacheEntryOverhead || small.Len() > 10 {
			t.Fatalf("budget exceeded: Len %d Bytes %d", small.Len(), small.Bytes())
		}
	}
	// A budget below one table: tables are built and returned, not kept.
	tiny := NewVerifierCache(FastVerifierSize / 2)
	tiny.SetBuildAfter(0)
	if tiny.Get(keys[0].pub) == nil {
		t.Fatal("no table returned")
	}
	if tiny.Len() != 0 || tiny.Bytes() != 0 {
		t.Fatalf("tiny cache kept Len %d Bytes %d", tiny.Len(), tiny.Bytes())
	}
}

// TestVerifierCacheInvalidKey checks that keys failing the strict checks are
// never built and never verify.
func TestVerifierCacheInvalidKey(t *testing.T) {
	c := NewVerifierCache(10 * FastVerifierSize)
	var id [32]byte
	id[0] = 1 // identity: small order
	sig := make([]byte, 64)
	sig[0] = 1 // R = identity, S = 0: crypto/ed25519 accepts for any message
	if !ed25519.Verify(id[:], []byte("x"), sig) {
		t.Fatal("test construction: crypto/ed25519 should accept")
	}
	for i := range 10 {
		if c.Get(id) != nil {
			t.Fatalf("Get #%d returned a verifier for a small-order key", i)
		}
		if c.Verify(id, []byte("x"), sig) {
			t.Fatal("small-order key verified")
		}
	}
	if c.Len() != 1 {
		t.Fatalf("Len %d", c.Len())
	}
}

// TestVerifierCacheConcurrent uses one cache from 8 goroutines over a few
// keys (run with -race).
func TestVerifierCacheConcurrent(t *testing.T) {
	keys := fastCacheKeys(t, 4, 23)
	c := NewVerifierCache(3 * (FastVerifierSize + fastCacheEntryOverhead))
	newttest.CheckParallel(t, 8, func(g int) error {
		for i := range 24 {
			k := keys[(i+g)%len(keys)]
			if !c.Verify(k.pub, k.msg, k.sig) {
				return errors.New("valid signature rejected")
			}
			if c.Verify(k.pub, k.msg, fastFlip(k.sig, i)) {
				return errors.New("corrupted signature accepted")
			}
		}
		return nil
	})
	if c.Bytes() > 3*(FastVerifierSize+fastCacheEntryOverhead) {
		t.Fatalf("Bytes %d over budget", c.Bytes())
	}
}
