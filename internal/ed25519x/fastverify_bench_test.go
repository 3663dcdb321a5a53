// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package ed25519x

import (
	"crypto/ed25519"
	"sort"
	"testing"
	"time"

	"filippo.io/edwards25519"
	"filippo.io/edwards25519/field"
)

var fastSinkBool bool

// fastBenchKey returns a key, a 300-byte message and its signature.
func fastBenchKey(b *testing.B) (ed25519.PublicKey, []byte, []byte) {
	b.Helper()
	r := fastTestRand(b, 42)
	priv := ed25519.NewKeyFromSeed(fastTestBytes(r, 32))
	msg := fastTestBytes(r, 300)
	return priv.Public().(ed25519.PublicKey), msg, ed25519.Sign(priv, msg)
}

// BenchmarkFastVerify measures FastVerifier.Verify on a valid signature of a
// 300-byte message (hot tables).
func BenchmarkFastVerify(b *testing.B) {
	b.Run("300B", func(b *testing.B) {
		pub, msg, sig := fastBenchKey(b)
		fv, err := NewFastVerifier(pub)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.SetBytes(int64(len(msg)))
		for b.Loop() {
			fastSinkBool = fv.Verify(msg, sig)
		}
		if !fastSinkBool {
			b.Fatal("rejected")
		}
	})
}

// BenchmarkStdlibVerify measures crypto/ed25519.Verify on the same input, the
// baseline of BenchmarkFastVerify.
func BenchmarkStdlibVerify(b *testing.B) {
	b.Run("300B", func(b *testing.B) {
		pub, msg, sig := fastBenchKey(b)
		b.ReportAllocs()
		b.SetBytes(int64(len(msg)))
		for b.Loop() {
			fastSinkBool = ed25519.Verify(pub, msg, sig)
		}
		if !fastSinkBool {
			b.Fatal("rejected")
		}
	})
}

// BenchmarkFastStrictPublicKeyVerify measures PublicKey.Verify (strict, no
// table) on the same input.
func BenchmarkFastStrictPublicKeyVerify(b *testing.B) {
	b.Run("300B", func(b *testing.B) {
		pub, msg, sig := fastBenchKey(b)
		pk, err := NewPublicKey(pub)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.SetBytes(int64(len(msg)))
		for b.Loop() {
			fastSinkBool = pk.Verify(msg, sig)
		}
		if !fastSinkBool {
			b.Fatal("rejected")
		}
	})
}

// BenchmarkFastVerifyRatio interleaves FastVerifier.Verify and
// crypto/ed25519.Verify in rounds of 8 each, so that machine noise hits both,
// and reports the median per-round times and their ratio.
func BenchmarkFastVerifyRatio(b *testing.B) {
	b.Run("300B", func(b *testing.B) {
		pub, msg, sig := fastBenchKey(b)
		fv, err := NewFastVerifier(pub)
		if err != nil {
			b.Fatal(err)
		}
		const round = 8
		var fast, std []float64
		for b.Loop() {
			t0 := time.Now()
			for range round {
				fastSinkBool = fv.Verify(msg, sig)
			}
			t1 := time.Now()
			for range round {
				fastSinkBool = ed25519.Verify(pub, msg, sig)
			}
			t2 := time.Now()
			fast = append(fast, float64(t1.Sub(t0).Nanoseconds())/round)
			std = append(std, float64(t2.Sub(t1).Nanoseconds())/round)
		}
		med := func(x []float64) float64 {
			sort.Float64s(x)
			return x[len(x)/2]
		}
		ratios := make([]float64, len(fast))
		for i := range fast {
			ratios[i] = fast[i] / std[i]
		}
		b.ReportMetric(med(fast), "fast-ns/verify")
		b.ReportMetric(med(std), "stdlib-ns/verify")
		b.ReportMetric(med(ratios), "ratio")
	})
}

// BenchmarkNewFastVerifier measures building a per-key table (the shared base
// table already exists).
func BenchmarkNewFastVerifier(b *testing.B) {
	pub, _, _ := fastBenchKey(b)
	fastBase()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewFastVerifier(pub); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFastBaseTable measures building the shared radix-256 table of B,
// which happens once per process.
func BenchmarkFastBaseTable(b *testing.B) {
	b.ReportAllocs()
	B := edwards25519.NewGeneratorPoint()
	for b.Loop() {
		t := new([fastBaseEntries]fastNiels)
		prefix := make([]field.Element, fastBaseEntries)
		fastBuildComb(t[:], prefix, B, fastBaseW, 1)
	}
}

// BenchmarkFastVerifyCold verifies with a different key each time out of
// 512 (25 MiB of tables), so the per-key table is mostly out of cache.
func BenchmarkFastVerifyCold(b *testing.B) {
	const nKeys = 512
	r := fastTestRand(b, 43)
	type kc struct {
		fv       *FastVerifier
		msg, sig []byte
	}
	keys := make([]kc, nKeys)
	for i := range keys {
		priv := ed25519.NewKeyFromSeed(fastTestBytes(r, 32))
		fv, err := NewFastVerifier(priv.Public().(ed25519.PublicKey))
		if err != nil {
			b.Fatal(err)
		}
		msg := fastTestBytes(r, 300)
		keys[i] = kc{fv, msg, ed25519.Sign(priv, msg)}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		k := &keys[(i*197)%nKeys]
		i++
		fastSinkBool = k.fv.Verify(k.msg, k.sig)
		if !fastSinkBool {
			b.Fatal("rejected")
		}
	}
}

// BenchmarkFastVerifyRoundRobin runs rounds of 8 verifications of three
// variants in shuffled order, so that the noise of a shared machine hits all
// of them: crypto/ed25519.Verify, FastVerifier.Verify with one key (hot
// table) and with a different key out of 512 each time (cold table). It
// reports median and 10th-percentile ns per verification and the ratios of
// the medians to crypto/ed25519.Verify.
func BenchmarkFastVerifyRoundRobin(b *testing.B) {
	const nKeys = 512
	r := fastTestRand(b, 44)
	type kc struct {
		pub      ed25519.PublicKey
		fv       *FastVerifier
		msg, sig []byte
	}
	keys := make([]kc, nKeys)
	for i := range keys {
		priv := ed25519.NewKeyFromSeed(fastTestBytes(r, 32))
		pub := priv.Public().(ed25519.PublicKey)
		fv, err := NewFastVerifier(pub)
		if err != nil {
			b.Fatal(err)
		}
		msg := fastTestBytes(r, 300)
		keys[i] = kc{pub, fv, msg, ed25519.Sign(priv, msg)}
	}
	const round = 8
	names := []string{"stdlib", "hot", "cold"}
	res := make([][]float64, len(names))
	order := []int{0, 1, 2}
	next := 0
	for b.Loop() {
		r.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, variant := range order {
			t0 := time.Now()
			for range round {
				switch variant {
				case 0:
					k := &keys[0]
					fastSinkBool = ed25519.Verify(k.pub, k.msg, k.sig)
				case 1:
					k := &keys[0]
					fastSinkBool = k.fv.Verify(k.msg, k.sig)
				case 2:
					next = (next + 197) % nKeys
					k := &keys[next]
					fastSinkBool = k.fv.Verify(k.msg, k.sig)
				}
			}
			res[variant] = append(res[variant], float64(time.Since(t0).Nanoseconds())/round)
		}
	}
	med := make([]float64, len(names))
	for i, x := range res {
		sort.Float64s(x)
		med[i] = x[len(x)/2]
		b.ReportMetric(med[i], names[i]+"-ns/verify")
		b.ReportMetric(x[len(x)/10], names[i]+"-p10-ns/verify")
	}
	b.ReportMetric(med[1]/med[0], "hot-ratio")
	b.ReportMetric(med[2]/med[0], "cold-ratio")
}

// BenchmarkFastInvert compares the variable-time safegcd inversion (with its
// check) with Fermat inversion.
func BenchmarkFastInvert(b *testing.B) {
	r := fastTestRand(b, 45)
	z, _ := new(field.Element).SetBytes(fastTestBytes(r, 32))
	var out field.Element
	b.Run("safegcd", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			fastInvert(&out, z)
		}
	})
	b.Run("fermat", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			out.Invert(z)
		}
	})
}

// BenchmarkFastBreakEven interleaves table builds (NewFastVerifier), plain
// crypto/ed25519.Verify calls and FastVerifier.Verify calls, and reports the
// build cost in plain verifications and the number of signatures after which
// building pays off: build / (stdlib − fast).
func BenchmarkFastBreakEven(b *testing.B) {
	pub, msg, sig := fastBenchKey(b)
	fv, err := NewFastVerifier(pub)
	if err != nil {
		b.Fatal(err)
	}
	var build, std, fast []float64
	for b.Loop() {
		t0 := time.Now()
		if _, err := NewFastVerifier(pub); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		for range 4 {
			fastSinkBool = ed25519.Verify(pub, msg, sig)
		}
		t2 := time.Now()
		for range 4 {
			fastSinkBool = fv.Verify(msg, sig)
		}
		t3 := time.Now()
		build = append(build, float64(t1.Sub(t0).Nanoseconds()))
		std = append(std, float64(t2.Sub(t1).Nanoseconds())/4)
		fast = append(fast, float64(t3.Sub(t2).Nanoseconds())/4)
	}
	med := func(x []float64) float64 {
		sort.Float64s(x)
		return x[len(x)/2]
	}
	mb, ms, mf := med(build), med(std), med(fast)
	b.ReportMetric(mb, "build-ns")
	b.ReportMetric(mb/ms, "build-in-verifies")
	b.ReportMetric(mb/(ms-mf), "break-even-sigs")
}
