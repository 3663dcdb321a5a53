// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package ed25519x

import (
	"encoding/binary"
	"sync"
)

const (
	// DefaultBuildAfter is the number of times a [VerifierCache] sees a key
	// (and answers nil) before it builds the key's FastVerifier: a table
	// costs about 2.8 plain verifications to build and saves about 0.7 of
	// one per signature, so it pays for itself after about 4 signatures.
	DefaultBuildAfter = 3

	// fastCacheEntryBytes is the memory charged for a tracked key's entry:
	// the fastCacheEntry struct, 66 bytes in the 80-byte size class
	// (TestVerifierCacheHeap checks the struct fits).
	fastCacheEntryBytes = 80

	// fastCacheSlotBytes is the memory charged for each key the map of a
	// shard has held at once (its high-water mark): a Go map never shrinks,
	// and for 32-byte keys and pointer values it uses 54 to 109 bytes per
	// entry, depending on how full its groups are (Go 1.26; measured by
	// TestVerifierCacheHeap).
	fastCacheSlotBytes = 112

	// fastCacheEntryOverhead is what a tracked key costs at least, table
	// or not: its entry and its map slot.
	fastCacheEntryOverhead = fastCacheEntryBytes + fastCacheSlotBytes

	// fastCacheMaxShards is the most shards a cache is split into, and
	// fastCacheShardTables the fewest tables a shard's budget must hold:
	// a 16 MiB cache has 16 shards of 21 tables each.
	fastCacheMaxShards   = 16
	fastCacheShardTables = 16

	// fastCacheShrinkMin is the high-water mark above which a shard's map
	// is rebuilt once it holds a quarter of that many keys, which gives
	// the memory of the emptied slots back.
	fastCacheShrinkMin = 64
)

// VerifierCache is a memory-bounded LRU cache of [FastVerifier]s keyed by
// public key, for verifiers that see signatures from many keys (one per
// Megolm session) and want tables only for the busy ones.
//
// [VerifierCache.Get] returns nil for the first [DefaultBuildAfter] times it
// sees a key;
// the caller then verifies with [Verify] or [PublicKey.Verify]. After that it
// builds the key's table, outside any lock, and returns it. Every tracked key
// is charged its bookkeeping (fastCacheEntryOverhead, about 190 bytes) and
// every built verifier [FastVerifierSize] bytes; when the total exceeds the
// budget the least recently used keys are forgotten (their seen-count with
// them). The charge is the heap the cache really holds, maps included
// (TestVerifierCacheHeap measures it). Keys that fail the strict checks are
// remembered and never built.
//
// A VerifierCache is safe for concurrent use. A large cache is split by key
// into up to 16 shards, each with its own lock, LRU order and an equal share
// of the budget, so that goroutines verifying under different keys rarely
// wait for each other (BenchmarkMegolmDecryptParallel in the bench module);
// the LRU order is then per shard. Its tables are never serialised; after a
// restart they are rebuilt as keys are seen again.
type VerifierCache struct {
	shards []cacheShard
}

// cacheShard is one lock's worth of a VerifierCache: an LRU list, the map
// from keys to its entries, and a share of the budget.
type cacheShard struct {
	mu         sync.Mutex
	maxBytes   int
	buildAfter int
	used       int // entries and tables, without the map
	mapHigh    int // most keys entries has held since it was made
	entries    map[[PublicKeySize]byte]*fastCacheEntry
	lru        fastCacheEntry // sentinel: lru.next is the most recently used
	_          [64]byte       // keep shards' locks on separate cache lines
}

// fastCacheEntry is one tracked key, a node of the LRU list.
type fastCacheEntry struct {
	key        [PublicKeySize]byte
	prev, next *fastCacheEntry
	seen       int
	v          *FastVerifier
	building   bool
	invalid    bool
}

// NewVerifierCache returns an empty cache that keeps at most about maxBytes
// bytes of verifiers and bookkeeping; for example 256·[FastVerifierSize]
// (12 MiB) keeps the tables of about the 256 most recently used keys. A
// budget smaller than one table means tables are built but not kept.
func NewVerifierCache(maxBytes int) *VerifierCache {
	n := 1
	for n < fastCacheMaxShards && maxBytes/(2*n) >= fastCacheShardTables*(FastVerifierSize+fastCacheEntryOverhead) {
		n *= 2
	}
	c := &VerifierCache{shards: make([]cacheShard, n)}
	for i := range c.shards {
		s := &c.shards[i]
		s.maxBytes = maxBytes / n
		s.buildAfter = DefaultBuildAfter
		s.entries = make(map[[PublicKeySize]byte]*fastCacheEntry)
		s.lru.next, s.lru.prev = &s.lru, &s.lru
	}
	return c
}

// shard returns the shard of pub. Honest keys are uniformly distributed;
// a peer that grinds keys into one shard only competes with itself there.
func (c *VerifierCache) shard(pub *[PublicKeySize]byte) *cacheShard {
	return &c.shards[binary.LittleEndian.Uint64(pub[8:16])%uint64(len(c.shards))]
}

// unlink removes e from the LRU list.
func (s *cacheShard) unlink(e *fastCacheEntry) {
	e.prev.next, e.next.prev = e.next, e.prev
	e.prev, e.next = nil, nil
}

// pushFront makes e the most recently used entry.
func (s *cacheShard) pushFront(e *fastCacheEntry) {
	e.prev, e.next = &s.lru, s.lru.next
	s.lru.next.prev = e
	s.lru.next = e
}

// cost is the memory charged for e, without its map slot.
func (e *fastCacheEntry) cost() int {
	if e.v != nil {
		return fastCacheEntryBytes + FastVerifierSize
	}
	return fastCacheEntryBytes
}

// bytes is the memory charged for the shard: its entries and tables, and
// its map at its high-water mark.
func (s *cacheShard) bytes() int { return s.used + s.mapHigh*fastCacheSlotBytes }

// evict drops least recently used entries until the budget is met, and
// rebuilds the map when it is empty or has emptied to a quarter of its
// high-water mark, which gives the emptied slots' memory back.
func (s *cacheShard) evict() {
	for s.bytes() > s.maxBytes && s.lru.prev != &s.lru {
		e := s.lru.prev
		s.unlink(e)
		delete(s.entries, e.key)
		s.used -= e.cost()
		if n := len(s.entries); n == 0 || (s.mapHigh >= fastCacheShrinkMin && 4*n <= s.mapHigh) {
			m := make(map[[PublicKeySize]byte]*fastCacheEntry, n)
			for k, v := range s.entries {
				m[k] = v
			}
			s.entries, s.mapHigh = m, n
		}
	}
}

// Get returns the FastVerifier of pub, or nil if the caller should verify on
// the plain path: the key has been seen at most buildAfter times (counting
// this call), its table is being built by another goroutine, or pub fails
// the strict key checks. Get builds the table itself (about 0.3 ms) on the
// first call after that.
func (c *VerifierCache) Get(pub [PublicKeySize]byte) *FastVerifier {
	s := c.shard(&pub)
	s.mu.Lock()
	e := s.entries[pub]
	if e == nil {
		e = &fastCacheEntry{key: pub}
		s.entries[pub] = e
		s.mapHigh = max(s.mapHigh, len(s.entries))
		s.pushFront(e)
		s.used += e.cost()
		s.evict()
	} else {
		s.unlink(e)
		s.pushFront(e)
	}
	if e.v != nil || e.invalid || e.building {
		v := e.v
		s.mu.Unlock()
		return v
	}
	if e.seen < s.buildAfter {
		e.seen++
		s.mu.Unlock()
		return nil
	}
	e.building = true
	s.mu.Unlock()

	v, err := NewFastVerifier(pub[:])

	s.mu.Lock()
	defer s.mu.Unlock()
	e.building = false
	if s.entries[pub] != e {
		return v // evicted meanwhile: use the table once, keep nothing
	}
	if err != nil {
		e.invalid = true
		return nil
	}
	s.used -= e.cost()
	e.v = v
	s.used += e.cost()
	s.evict()
	return v
}

// Verify reports whether sig is a valid strict signature of msg by pub, the
// decision of [Verify]. It uses pub's FastVerifier when [VerifierCache.Get]
// returns one and [Verify] otherwise.
func (c *VerifierCache) Verify(pub [PublicKeySize]byte, msg, sig []byte) bool {
	if v := c.Get(pub); v != nil {
		return v.Verify(msg, sig)
	}
	return Verify(pub[:], msg, sig)
}

// Bytes returns the memory the cache charges for its entries, tables and
// maps; it never exceeds the budget.
func (c *VerifierCache) Bytes() int {
	n := 0
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.Lock()
		n += s.bytes()
		s.mu.Unlock()
	}
	return n
}
