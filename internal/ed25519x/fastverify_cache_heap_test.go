// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package ed25519x

import (
	"encoding/binary"
	"runtime"
	"testing"
	"unsafe"

	"github.com/newt-e2ee/newt/internal/newttest"
)

// megolmCacheBytes is the budget megolm gives its package-wide cache.
const megolmCacheBytes = 16 << 20

// randomKeys returns n distinct 32-byte strings (not curve points: the
// cache only tracks them, it never builds tables for them at buildAfter 3
// when each is seen once).
func randomKeys(n int) [][PublicKeySize]byte {
	out := make([][PublicKeySize]byte, n)
	for i := range out {
		binary.LittleEndian.PutUint64(out[i][:], uint64(i+1)*0x9e3779b97f4a7c15)
		binary.LittleEndian.PutUint64(out[i][8:], uint64(i+1)*0xc2b2ae3d27d4eb4f)
	}
	return out
}

// TestVerifierCacheHeap measures the heap a cache really holds against what
// it charges (Bytes), with megolm's 16 MiB budget, in the situations that
// fill it: tables only; tracked keys only; tracked keys that then make room
// for tables (a Go map keeps the memory of its emptied slots until it is
// rebuilt); and many keys in turn, more than the tables that fit. The
// charge must cover the heap (allowing a few KiB for the shards and their
// empty maps) and must not overstate it by more than a third, and it must
// stay within the budget.
func TestVerifierCacheHeap(t *testing.T) {
	if size := unsafe.Sizeof(fastCacheEntry{}); size > fastCacheEntryBytes {
		t.Fatalf("fastCacheEntry is %d bytes, charged %d", size, fastCacheEntryBytes)
	}
	keys := fastCacheKeys(t, 400, 30)
	many := randomKeys(megolmCacheBytes / fastCacheEntryOverhead)
	fastBase() // the shared base table is not the cache's

	check := func(name string, fill func(c *VerifierCache)) {
		t.Helper()
		before := newttest.LiveHeap()
		c := NewVerifierCache(megolmCacheBytes)
		fill(c)
		real := int(newttest.LiveHeap() - before)
		charged := c.Bytes()
		runtime.KeepAlive(c)
		t.Logf("%s: %d keys tracked; heap %d, charged %d (%.3f of the heap), budget %d",
			name, c.Len(), real, charged, float64(charged)/float64(real), megolmCacheBytes)
		if charged > megolmCacheBytes {
			t.Errorf("%s: charged %d over the budget %d", name, charged, megolmCacheBytes)
		}
		if real > charged+16<<10 {
			t.Errorf("%s: the cache holds %d bytes of heap, charges %d", name, real, charged)
		}
		if 3*charged > 4*real {
			t.Errorf("%s: the cache charges %d for %d bytes of heap", name, charged, real)
		}
	}

	check("tables", func(c *VerifierCache) {
		c.SetBuildAfter(0)
		for _, k := range keys {
			c.Get(k.pub)
		}
	})
	check("tracked keys", func(c *VerifierCache) {
		for _, k := range many {
			c.Get(k)
		}
	})
	check("tracked keys, then tables", func(c *VerifierCache) {
		for _, k := range many {
			c.Get(k)
		}
		c.SetBuildAfter(0)
		for _, k := range keys {
			c.Get(k.pub)
		}
	})
	check("400 keys in turn", func(c *VerifierCache) {
		for range 6 {
			for _, k := range keys {
				c.Verify(k.pub, k.msg, k.sig)
			}
		}
	})
}

// TestVerifierCacheShards checks how budgets are split: megolm's cache into
// 16 shards that each hold at least 16 tables, small caches not at all, and
// honest keys spread over every shard.
func TestVerifierCacheShards(t *testing.T) {
	per := FastVerifierSize + fastCacheEntryOverhead
	for _, tc := range []struct{ budget, shards int }{
		{0, 1},
		{10 * per, 1},
		{2*fastCacheShardTables*per - 1, 1},
		{2 * fastCacheShardTables * per, 2},
		{megolmCacheBytes, 16},
		{1 << 30, 16},
	} {
		c := NewVerifierCache(tc.budget)
		if len(c.shards) != tc.shards {
			t.Errorf("budget %d: %d shards, want %d", tc.budget, len(c.shards), tc.shards)
		}
		for i := range c.shards {
			if s := &c.shards[i]; len(c.shards) > 1 && s.maxBytes < fastCacheShardTables*per {
				t.Errorf("budget %d: a shard of %d bytes", tc.budget, s.maxBytes)
			}
		}
	}
	c := NewVerifierCache(megolmCacheBytes)
	for _, k := range randomKeys(1600) {
		c.Get(k)
	}
	for i := range c.shards {
		if n := len(c.shards[i].entries); n < 50 || n > 150 {
			t.Errorf("shard %d tracks %d of 1600 keys", i, n)
		}
	}
}
