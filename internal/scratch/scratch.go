// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package scratch

import (
	"sync"
	"unsafe"
)

// maxPooled is the capacity above which a buffer is dropped instead of being
// returned to the pool, so that one huge message does not pin its buffer for
// the life of the process.
const maxPooled = 64 << 10

// pool holds *[]byte buffers for encoded messages.
var pool = sync.Pool{New: func() any { return new([]byte) }}

// Get returns an empty buffer from the pool. Return it with [Put].
func Get() *[]byte {
	b := pool.Get().(*[]byte)
	*b = (*b)[:0]
	return b
}

// Put returns b to the pool; b must not be used afterwards. Store a grown
// slice in *b before calling Put, so that the next user gets the room.
func Put(b *[]byte) {
	if cap(*b) <= maxPooled {
		pool.Put(b)
	}
}

// StringBytes returns the bytes of s without copying them. The result must
// only be read: it is for handing a string to a decoder.
func StringBytes(s string) []byte {
	return unsafe.Slice(unsafe.StringData(s), len(s))
}

// String returns b as a string without copying it. b must not be modified
// afterwards, or the string changes: use it only on a slice that nothing
// else refers to.
func String(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}
