// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

//go:build purego

package aessha2

// HardwareAES reports whether crypto/aes runs with hardware AES
// instructions. Under the purego build tag crypto/aes always uses its
// table-based generic code, which is not constant time, so it is false.
func HardwareAES() bool { return false }
