// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package ed25519x

import "sync"

const (
	// DefaultBuildAfter is the number of times a [VerifierCache] sees a key
	// (and answers nil) before it builds the key's FastVerifier: a table
	// costs about 2.8 plain verifications to build and saves about 0.7 of
	// one per signature, so it pays for itself after about 4 signatures.
	DefaultBuildAfter = 3

	// fastCacheEntryOverhead is the memory charged for a key the cache
	// tracks, table or not: the entry struct plus its map slot, rounded up.
	fastCacheEntryOverhead = 160
)

// VerifierCache is a memory-bounded LRU cache of [FastVerifier]s keyed by
// public key, for verifiers that see signatures from many keys (one per
// Megolm session) and want tables only for the busy ones.
//
// [VerifierCache.Get] returns nil for the first [DefaultBuildAfter] times it
// sees a key;
// the caller then verifies with [Verify] or [PublicKey.Verify]. After that it
// builds the key's table, outside the lock, and returns it. Every tracked key
// is charged a small overhead and every built verifier [FastVerifierSize]
// bytes; when the total exceeds the budget the least recently used keys are
// forgotten (their seen-count with them). Keys that fail the strict checks
// are remembered and never built.
//
// A VerifierCache is safe for concurrent use. Its tables are never
// serialised; after a restart they are rebuilt as keys are seen again.
type VerifierCache struct {
	mu         sync.Mutex
	maxBytes   int
	buildAfter int
	used       int
	entries    map[[PublicKeySize]byte]*fastCacheEntry
	lru        fastCacheEntry // sentinel: lru.next is the most recently used
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
	c := &VerifierCache{
		maxBytes:   maxBytes,
		buildAfter: DefaultBuildAfter,
		entries:    make(map[[PublicKeySize]byte]*fastCacheEntry),
	}
	c.lru.next, c.lru.prev = &c.lru, &c.lru
	return c
}

// unlink removes e from the LRU list.
func (c *VerifierCache) unlink(e *fastCacheEntry) {
	e.prev.next, e.next.prev = e.next, e.prev
	e.prev, e.next = nil, nil
}

// pushFront makes e the most recently used entry.
func (c *VerifierCache) pushFront(e *fastCacheEntry) {
	e.prev, e.next = &c.lru, c.lru.next
	c.lru.next.prev = e
	c.lru.next = e
}

// cost is the memory charged for e.
func (e *fastCacheEntry) cost() int {
	if e.v != nil {
		return fastCacheEntryOverhead + FastVerifierSize
	}
	return fastCacheEntryOverhead
}

// evict drops least recently used entries until the budget is met.
func (c *VerifierCache) evict() {
	for c.used > c.maxBytes && c.lru.prev != &c.lru {
		e := c.lru.prev
		c.unlink(e)
		delete(c.entries, e.key)
		c.used -= e.cost()
	}
}

// Get returns the FastVerifier of pub, or nil if the caller should verify on
// the plain path: the key has been seen at most buildAfter times (counting
// this call), its table is being built by another goroutine, or pub fails
// the strict key checks. Get builds the table itself (about 0.3 ms) on the
// first call after that.
func (c *VerifierCache) Get(pub [PublicKeySize]byte) *FastVerifier {
	c.mu.Lock()
	e := c.entries[pub]
	if e == nil {
		e = &fastCacheEntry{key: pub}
		c.entries[pub] = e
		c.pushFront(e)
		c.used += e.cost()
		c.evict()
	} else {
		c.unlink(e)
		c.pushFront(e)
	}
	if e.v != nil || e.invalid || e.building {
		v := e.v
		c.mu.Unlock()
		return v
	}
	if e.seen < c.buildAfter {
		e.seen++
		c.mu.Unlock()
		return nil
	}
	e.building = true
	c.mu.Unlock()

	v, err := NewFastVerifier(pub[:])

	c.mu.Lock()
	defer c.mu.Unlock()
	e.building = false
	if c.entries[pub] != e {
		return v // evicted meanwhile: use the table once, keep nothing
	}
	if err != nil {
		e.invalid = true
		return nil
	}
	c.used -= e.cost()
	e.v = v
	c.used += e.cost()
	c.evict()
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

// Bytes returns the memory the cache charges for its entries.
func (c *VerifierCache) Bytes() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.used
}
