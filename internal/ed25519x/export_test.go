// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package ed25519x

// Knobs and counters of VerifierCache that only the tests use.

// SetBuildAfter sets how many times a key is seen (and Get returns nil)
// before its table is built. n <= 0 builds on first sight.
func (c *VerifierCache) SetBuildAfter(n int) {
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.Lock()
		s.buildAfter = max(n, 0)
		s.mu.Unlock()
	}
}

// Len returns the number of keys the cache tracks, with or without a table.
func (c *VerifierCache) Len() int {
	n := 0
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.Lock()
		n += len(s.entries)
		s.mu.Unlock()
	}
	return n
}
