// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package alias

import "unsafe"

// Overlaps reports whether src shares memory with the spare capacity of
// dst, where an append-style function writes its output. Such a function
// must copy src first (or finish reading it before writing), as
// AppendEncrypt(buf[:0], buf) would otherwise encrypt its own header.
func Overlaps(dst, src []byte) bool {
	if len(src) == 0 || cap(dst) == len(dst) {
		return false
	}
	spare := dst[len(dst):cap(dst)]
	s0 := uintptr(unsafe.Pointer(unsafe.SliceData(src)))
	d0 := uintptr(unsafe.Pointer(unsafe.SliceData(spare)))
	return s0 < d0+uintptr(len(spare)) && d0 < s0+uintptr(len(src))
}
