// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package newttest

import "github.com/newt-e2ee/newt/internal/pickle"

// SealPickle returns the pickle of plaintext under key, made with the
// library's own envelope ([pickle.AppendSeal], byte for byte what libolm
// writes), so that a test can load a plaintext it wrote by hand. plaintext
// is not modified.
func SealPickle(key, plaintext []byte) string {
	buf := pickle.GetBuffer(len(plaintext))
	*buf = append(*buf, plaintext...)
	p := pickle.AppendSeal(nil, key, *buf)
	pickle.PutBuffer(buf)
	return string(p)
}
