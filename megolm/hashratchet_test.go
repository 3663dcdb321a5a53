// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package megolm

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/newt-e2ee/newt/testvectors"
)

// testRatchet returns the libolm test_megolm.cpp initial ratchet:
// "0123456789ABCDEF" eight times, at counter.
func testRatchet(counter uint32) hashRatchet {
	var r hashRatchet
	copy(r.data[:], strings.Repeat("0123456789ABCDEF", 8))
	r.counter = counter
	return r
}

// TestRatchetLibolmKAT checks the three rows of libolm's
// tests/test_megolm.cpp: advance once, then advance_to(0x1000000), then
// advance_to(0x1041506).
func TestRatchetLibolmKAT(t *testing.T) {
	ans := testvectors.LoadAnswers(t)
	steps := []struct {
		name   string
		op     func(r *hashRatchet)
		target uint32
		want   string
	}{
		{"advance", func(r *hashRatchet) { r.advance() }, 1, ans.Get("megolm/ratchet/advance_hex")},
		{"advanceTo(0x1000000)", func(r *hashRatchet) { r.advanceTo(0x1000000) }, 0x1000000,
			ans.Get("megolm/ratchet/advance_to_1000000_hex")},
		{"advanceTo(0x1041506)", func(r *hashRatchet) { r.advanceTo(0x1041506) }, 0x1041506,
			ans.Get("megolm/ratchet/advance_to_1041506_hex")},
	}
	r := testRatchet(0)
	for _, s := range steps {
		s.op(&r)
		if r.counter != s.target {
			t.Fatalf("%s: counter = %#x, want %#x", s.name, r.counter, s.target)
		}
		if got := hex.EncodeToString(r.data[:]); got != s.want {
			t.Fatalf("%s:\n got %s\nwant %s", s.name, got, s.want)
		}
	}
}

// TestRatchetLibolmProperties checks the property tests of libolm's
// tests/test_megolm.cpp.
func TestRatchetLibolmProperties(t *testing.T) {
	t.Run("wrap from 0xFFFFFFFF", func(t *testing.T) {
		// init(0xFFFFFFFF) → advance_to(0x1000000) equals init(0) → advance_to(0x2000000).
		a, b := testRatchet(0xFFFFFFFF), testRatchet(0)
		a.advanceTo(0x1000000)
		b.advanceTo(0x2000000)
		if !bytes.Equal(a.data[:], b.data[:]) || a.counter != 0x1000000 {
			t.Fatal("advance_to across 2^32 does not match")
		}
	})
	t.Run("0xFFFFFFFF to 0 is one advance", func(t *testing.T) {
		a, b := testRatchet(0xFFFFFFFF), testRatchet(0xFFFFFFFF)
		a.advanceTo(0)
		b.advance()
		if !a.equal(&b) || a.counter != 0 {
			t.Fatal("advance_to(0) from 0xFFFFFFFF differs from one advance")
		}
	})
	t.Run("1 to 0x80000000 to 0", func(t *testing.T) {
		a, b := testRatchet(1), testRatchet(1)
		a.advanceTo(0x80000000)
		a.advanceTo(0)
		b.advanceTo(0)
		if !a.equal(&b) {
			t.Fatal("(1 → 0x80000000 → 0) differs from (1 → 0)")
		}
	})
	t.Run("700 advances", func(t *testing.T) {
		a, b := testRatchet(0), testRatchet(0)
		for range 700 {
			a.advance()
		}
		b.advanceTo(700)
		if !a.equal(&b) || a.counter != 700 {
			t.Fatal("700 single advances differ from advance_to(700)")
		}
	})
}

// TestRatchetVodozemacWrap checks vodozemac's wrap-around answer
// (src/megolm/ratchet.rs, advancing_back_creates_the_correct_bytes): the zero
// ratchet advanced once and then to 0, wrapping through 2³².
func TestRatchetVodozemacWrap(t *testing.T) {
	var r hashRatchet
	r.advance()
	r.advanceTo(0)
	want := testvectors.LoadAnswers(t).Get("megolm/ratchet/wrap_hex")
	if got := hex.EncodeToString(r.data[:]); got != want || r.counter != 0 {
		t.Fatalf("got %s (counter %d)\nwant %s", got, r.counter, want)
	}
}

// TestRatchetVodozemacTable is vodozemac vector V2: SHA-256 of the zero
// ratchet advanced to each index (confirmed with libolm 3.2.13).
func TestRatchetVodozemacTable(t *testing.T) {
	for _, tc := range []struct {
		index uint32
		want  string
	}{
		{1, "e90ee90f65e711b851f835a9d3f602f28baf76256d302b4bd016fac442280116"},
		{2, "71b0ba090e26f8863bccd71ec899397ac3a1017650c00c6f90ad3e3e3f65ddfb"},
		{255, "810818b9a0d579b57564aad5302a17ec5096aeb37be989e8102c6d50db82a9de"},
		{256, "49860f9943f0b077dedc5c2e743fde19b53617af8a32616de062242ced805ff8"},
		{257, "560071ea95b5d07204678eff6ce50998424fd4c09fd58f9b4b2fabf47dee0e47"},
		{65536, "608bb902199e3dff59478bd62a5b0b9ed7e09631623ce8b42ebfdcbfd94bceae"},
		{16777216, "3334447eca769b68d7beda3d18483b1e6d66c878e7ebee7c0ad9fcc3a1a19987"},
	} {
		var r hashRatchet
		r.advanceTo(tc.index)
		sum := sha256.Sum256(r.data[:])
		if got := hex.EncodeToString(sum[:]); got != tc.want || r.counter != tc.index {
			t.Errorf("index %d: sha256(R) = %s, want %s", tc.index, got, tc.want)
		}
	}
}

// TestRatchetAdvanceToMatchesAdvance checks advanceTo against repeated
// advance from random starting counters (including ones just below each part
// boundary and near 2³²) over small ranges.
func TestRatchetAdvanceToMatchesAdvance(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	starts := []uint32{0, 0xFF, 0xFFFF - 3, 0xFFFFFF - 2, 0xFFFFFFFF - 5, 0x00FFFFFF, 0x7FFFFFFF}
	for range 40 {
		starts = append(starts, rng.Uint32())
	}
	for _, start := range starts {
		var seed [RatchetSize]byte
		for i := range seed {
			seed[i] = byte(rng.Uint32())
		}
		linear := hashRatchet{data: seed, counter: start}
		n := 1 + rng.IntN(300)
		for step := 1; step <= n; step++ {
			linear.advance()
			jump := hashRatchet{data: seed, counter: start}
			jump.advanceTo(start + uint32(step))
			if !jump.equal(&linear) {
				t.Fatalf("start %#x: advanceTo(+%d) differs from %d advances", start, step, step)
			}
		}
		// A chain of random small jumps lands on the same value too.
		hop := hashRatchet{data: seed, counter: start}
		for hop.counter != linear.counter {
			next := hop.counter + uint32(1+rng.IntN(40))
			if linear.counter-hop.counter < next-hop.counter {
				next = linear.counter
			}
			hop.advanceTo(next)
		}
		if !hop.equal(&linear) {
			t.Fatalf("start %#x: chained advanceTo differs", start)
		}
	}
}

// TestRatchetAdvanceToSameIndex checks that advanceTo(counter) is a no-op.
func TestRatchetAdvanceToSameIndex(t *testing.T) {
	a := testRatchet(0x01020304)
	b := a
	if n := a.advanceTo(a.counter); n != 0 || !a.equal(&b) {
		t.Fatalf("advanceTo(counter) changed the ratchet (%d hashes)", n)
	}
}

// TestRatchetAdvanceToCost bounds the number of HMACs of advanceTo (security
// C13): the exact minimum for each jump, and at most 1023 for any jump,
// wrapping or not (libolm's algorithm needs up to 1026).
func TestRatchetAdvanceToCost(t *testing.T) {
	for _, tc := range []struct {
		from, to uint32
		want     int
	}{
		{0, 1, 1},
		{0, 0x100, 1 + 1},              // R2 rehashed, R3 derived
		{0, 0x1000000, 1 + 3},          // R0 rehashed, R1..R3 derived
		{0x01000000, 0x00FFFFFF, 1023}, // 255 per part + 3 derivations
		{0x00FFFFFF, 0x00FFFFFE, 1023}, // R0 turns fully (256), then 255+255+254 + 3
		{0xFFFFFFFF, 0, 4},             // one advance across 2^32
		{0x00FFFFFF, 0, 256 + 3},       // a full turn of R0
		{5, 4, 256 + 3 + 4},            // full turn of R0, then R3 four steps
		{7, 7, 0},
	} {
		r := testRatchet(tc.from)
		if got := r.advanceTo(tc.to); got != tc.want {
			t.Errorf("advanceTo %#x → %#x: %d HMACs, want %d", tc.from, tc.to, got, tc.want)
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 200 {
		r := testRatchet(rng.Uint32())
		if n := r.advanceTo(rng.Uint32()); n > maxAdvanceHashes {
			t.Fatalf("advanceTo made %d HMACs", n)
		}
	}
}

var sinkHashes int

// BenchmarkMegolmAdvance measures advanceTo over jumps of 1, 2^8, 2^16 and
// 2^24 indexes from a ratchet at an index with all bytes non-zero.
func BenchmarkMegolmAdvance(b *testing.B) {
	for _, jump := range []struct {
		name string
		n    uint32
	}{{"1", 1}, {"2^8", 1 << 8}, {"2^16", 1 << 16}, {"2^24", 1 << 24}} {
		b.Run(jump.name, func(b *testing.B) {
			start := testRatchet(0x01010101)
			b.ReportAllocs()
			for range b.N {
				r := start
				sinkHashes = r.advanceTo(r.counter + jump.n)
			}
		})
	}
}
