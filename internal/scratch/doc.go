// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// Package scratch holds the pooled buffers that the base64 entry points of
// packages olm and megolm use between the protocol code and the base64
// codec, and the zero-copy conversions between strings and byte slices that
// hand text to the decoders.
//
// Only public data (encoded messages) goes through the pool, so its buffers
// are neither cleared nor handled in constant time. Secret plaintexts use
// the cleared buffers of internal/pickle instead.
package scratch
