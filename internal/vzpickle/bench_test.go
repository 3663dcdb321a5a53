// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package vzpickle_test

import (
	"testing"

	"github.com/newt-e2ee/newt/internal/vzpickle"
)

// BenchmarkAccount parses and writes the largest vector account (100
// one-time keys).
func BenchmarkAccount(b *testing.B) {
	p := []byte(samples(b)["account"])
	b.Run("op=parse", func(b *testing.B) {
		b.SetBytes(int64(len(p)))
		b.ReportAllocs()
		for range b.N {
			if _, err := vzpickle.ParseAccount(p); err != nil {
				b.Fatal(err)
			}
		}
	})
	a, _ := vzpickle.ParseAccount(p)
	buf := make([]byte, 0, len(p))
	b.Run("op=write", func(b *testing.B) {
		b.SetBytes(int64(len(p)))
		b.ReportAllocs()
		for range b.N {
			buf = a.AppendJSON(buf[:0])
		}
	})
}

// BenchmarkAccount50 parses a 50-key account (the bench module's size).
func BenchmarkAccount50(b *testing.B) {
	v := samplesAll(b)
	p := []byte(v.Accounts[1].Pickle)
	b.SetBytes(int64(len(p)))
	b.ReportAllocs()
	for range b.N {
		if _, err := vzpickle.ParseAccount(p); err != nil {
			b.Fatal(err)
		}
	}
}
