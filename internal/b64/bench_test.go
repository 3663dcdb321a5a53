// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package b64_test

import (
	"encoding/base64"
	"strconv"
	"testing"

	"github.com/newt-e2ee/newt/internal/b64"
)

var sinkN int

var benchSizes = []int{32, 256, 4096}

func benchData(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*131 + 7)
	}
	return b
}

// BenchmarkEncode compares this package (newt) with encoding/base64 (stdlib)
// on raw sizes of 32 B, 256 B and 4 KiB.
func BenchmarkEncode(b *testing.B) {
	for _, n := range benchSizes {
		src := benchData(n)
		dst := make([]byte, b64.EncodedLen(n))
		b.Run("newt/"+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(n))
			for b.Loop() {
				b64.Encode(dst, src)
			}
		})
		b.Run("stdlib/"+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(n))
			for b.Loop() {
				base64.RawStdEncoding.Encode(dst, src)
			}
		})
	}
}

// BenchmarkDecode compares this package's constant-time (newt) and public
// (public) decoders with encoding/base64's strict decoder (stdlib) on decoded sizes of 32 B, 256 B and 4 KiB.
func BenchmarkDecode(b *testing.B) {
	std := base64.RawStdEncoding.Strict()
	for _, n := range benchSizes {
		src := []byte(b64.EncodeToString(benchData(n)))
		dst := make([]byte, n)
		b.Run("newt/"+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(n))
			for b.Loop() {
				sinkN, _ = b64.Decode(dst, src)
			}
		})
		b.Run("public/"+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(n))
			for b.Loop() {
				sinkN, _ = b64.DecodePublic(dst, src)
			}
		})
		b.Run("stdlib/"+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(n))
			for b.Loop() {
				sinkN, _ = std.Decode(dst, src)
			}
		})
	}
}

// BenchmarkDecodeString measures the allocating string entry point on a
// 32-byte key (43 characters), the most common call in the protocol code.
func BenchmarkDecodeString(b *testing.B) {
	s := b64.EncodeToString(benchData(32))
	b.Run("newt", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			out, _ := b64.DecodeString(s)
			sinkN = len(out)
		}
	})
	b.Run("public", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			out, _ := b64.DecodeStringPublic(s)
			sinkN = len(out)
		}
	})
}
