// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package pickle_test

import (
	"strconv"
	"testing"

	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/internal/pickle"
)

var sinkBytes []byte

// Plaintext sizes: 312 B is about an account with two one-time keys and a
// fallback key, 3640 B a session with a full skipped-key list.
var benchSizes = []int{312, 3640}

// BenchmarkSeal seals an n-byte plaintext in a pooled buffer, as the
// objects' Pickle methods do.
func BenchmarkSeal(b *testing.B) {
	for _, n := range benchSizes {
		pt := make([]byte, n)
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(n))
			for b.Loop() {
				buf := pickle.GetBuffer(n)
				*buf = append(*buf, pt...)
				sinkBytes = pickle.AppendSeal(sinkBytes[:0], secretKey, *buf)
				pickle.PutBuffer(buf)
			}
		})
	}
}

func BenchmarkDecrypt(b *testing.B) {
	for _, n := range benchSizes {
		p := []byte(newttest.SealPickle(secretKey, make([]byte, n)))
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(n))
			for b.Loop() {
				var err error
				sinkBytes, err = pickle.Decrypt(secretKey, p)
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
