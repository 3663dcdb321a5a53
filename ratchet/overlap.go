// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package ratchet

import "unsafe"

// overlaps reports whether src shares memory with the spare capacity of dst,
// where an append-style function would write its output.
func overlaps(dst, src []byte) bool {
	if len(src) == 0 || cap(dst) == len(dst) {
		return false
	}
	spare := dst[len(dst):cap(dst)]
	s0 := uintptr(unsafe.Pointer(unsafe.SliceData(src)))
	d0 := uintptr(unsafe.Pointer(unsafe.SliceData(spare)))
	return s0 < d0+uintptr(len(spare)) && d0 < s0+uintptr(len(src))
}
