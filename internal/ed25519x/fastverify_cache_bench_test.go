// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package ed25519x

import (
	"sync/atomic"
	"testing"
)

// BenchmarkVerifierCacheGet looks up 1,000 tracked keys from every P (run
// with -cpu 1,2): the cache's critical section alone, which a decryption
// takes once (ns/op is per Get). No table is built, so that only the
// locking and the LRU bookkeeping are timed.
func BenchmarkVerifierCacheGet(b *testing.B) {
	keys := randomKeys(1000)
	c := NewVerifierCache(megolmCacheBytes)
	c.SetBuildAfter(1 << 30)
	for _, k := range keys {
		c.Get(k)
	}
	var next atomic.Uint64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := next.Add(1) * 7919
		for pb.Next() {
			c.Get(keys[i%uint64(len(keys))])
			i++
		}
	})
}
