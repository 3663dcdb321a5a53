// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package ed25519x

// Reviewer's note: comb tables for the fast verifier. A table for point P with
// radix 2^w and stride s has one row per comb position j (digit positions
// s·j .. s·j+s−1); row j holds m·2^(w·s·j)·P for m = 1 .. 2^(w−1), in affine
// niels form. All rows are built in projective coordinates and normalised
// together with a single field inversion (Montgomery's batch trick).

import (
	"sync"
	"unsafe"

	"filippo.io/edwards25519"
	"filippo.io/edwards25519/field"
)

const (
	// fastW is the radix exponent of the per-key comb: signed digits in
	// [−16, 16].
	fastW = 5
	// fastS is the comb stride: only every fastS-th digit position has a row;
	// the others are reached with fastW·(fastS−1) doublings per verification.
	fastS = 2

	// fastKeyDigits is the number of radix-2^fastW digits of k < 2^253.
	fastKeyDigits = (254 + fastW - 1) / fastW
	// fastKeyRows is the number of comb rows of the per-key table.
	fastKeyRows = (fastKeyDigits + fastS - 1) / fastS
	// fastKeyCols is the number of entries per row: multiples 1 .. 2^(w−1).
	fastKeyCols = 1 << (fastW - 1)
	// fastKeyLastCols is the number of entries of the last row. When that
	// row serves only the top digit (digits−1 == s·(rows−1)), which is at
	// most 2^(253−w·(digits−1)) (fastRecode), larger multiples are never
	// used; otherwise the row is full. (The second term of the min is
	// nonzero exactly when the row serves other digits too.)
	fastKeyLastCols = min(fastKeyCols, 1<<(253-fastW*(fastKeyDigits-1))+
		fastKeyCols*(fastKeyDigits-1-fastS*(fastKeyRows-1)))
	// fastKeyEntries is the size of the per-key table in entries.
	fastKeyEntries = (fastKeyRows-1)*fastKeyCols + fastKeyLastCols

	// fastBaseW is the radix exponent of the shared table for B (stride 1).
	fastBaseW = 8
	// fastBaseDigits is the number of radix-256 digits of S < 2^253.
	fastBaseDigits = (254 + fastBaseW - 1) / fastBaseW
	// fastBaseCols is the number of entries per row of the base table.
	fastBaseCols = 1 << (fastBaseW - 1)
	// fastBaseEntries is the size of the shared base table in entries.
	fastBaseEntries = (fastBaseDigits-1)*fastBaseCols + min(fastBaseCols, 1<<(253-fastBaseW*(fastBaseDigits-1)))

	// fastNielsSize is the size in bytes of one table entry (3 field
	// elements of 5 uint64 limbs).
	fastNielsSize = 3 * 5 * 8

	// FastVerifierSize is the memory used by one [FastVerifier] in bytes:
	// its per-key table (25 rows of 16 entries and a last row of 8, 120 B
	// each: 48 960 B) and the key, rounded up to the 8 KiB pages that the Go
	// allocator uses for objects of this size (48 KiB). Use it to size a
	// [VerifierCache].
	FastVerifierSize = (fastKeyEntries*fastNielsSize + 64 + 8191) / 8192 * 8192

	// fastBaseTableSize is the size in bytes of the table for the base point
	// B that all FastVerifiers share (31 rows of 128 entries and a last row
	// of 32, 120 B each: 480 000 B ≈ 469 KiB). It is built once per process,
	// on first use.
	fastBaseTableSize = fastBaseEntries * fastNielsSize
)

// fastPrefetch reads an entry as 15 words: check at compile time that it is
// 120 bytes (the index is out of range, or the constant overflows, otherwise).
var _ = [1]struct{}{}[unsafe.Sizeof(fastNiels{})-fastNielsSize]

// fastBuildComb fills out with the comb table of p for radix 2^w and stride
// s: out[j·2^(w−1) + m−1] = m·2^(w·s·j)·p, for as many rows as out holds (the
// last one possibly short). prefix is scratch space for the batch inversion
// and must have len(out) elements.
func fastBuildComb(out []fastNiels, prefix []field.Element, p *edwards25519.Point, w, s uint) {
	cols := 1 << (w - 1)
	rows := (len(out) + cols - 1) / cols
	var cur fastExt
	var cached fastCached
	cur.setPoint(p)
	for j := 0; j < rows; j++ {
		if j > 0 {
			// cur = 2^(w−1)·(row j−1's point), the last entry of the full row
			// j−1: w·s − (w−1) doublings reach 2^(w·s)·(row j−1's point).
			n := w*s - (w - 1)
			for i := uint(0); i < n; i++ {
				cur.double(i == n-1)
			}
		}
		cached.setCached(&cur)
		for m := 0; m < cols && j*cols+m < len(out); m++ {
			if m > 0 {
				cur.addCached(&cached)
			}
			// Park X, Y, Z in the entry until the batch normalisation.
			e := &out[j*cols+m]
			e.YplusX = cur.X
			e.YminusX = cur.Y
			e.XY2d = cur.Z
		}
	}
	fastNormalise(out, prefix)
}

// fastNormalise turns entries holding projective (X, Y, Z) in their
// (YplusX, YminusX, XY2d) fields into affine niels form with one inversion:
// prefix[i] = Z0·…·Zi, inv = 1/prefix[n−1], then from the end
// 1/Zi = inv·prefix[i−1] and inv = inv·Zi. No Z is zero: every entry is a
// point of the curve, whose extended Z is never 0.
func fastNormalise(out []fastNiels, prefix []field.Element) {
	n := len(out)
	if n == 0 {
		return
	}
	prefix = prefix[:n]
	prefix[0] = out[0].XY2d
	for i := 1; i < n; i++ {
		prefix[i].Multiply(&prefix[i-1], &out[i].XY2d)
	}
	var inv, zInv, x, y field.Element
	inv.Invert(&prefix[n-1])
	for i := n - 1; i >= 0; i-- {
		e := &out[i]
		if i > 0 {
			zInv.Multiply(&inv, &prefix[i-1])
			inv.Multiply(&inv, &e.XY2d)
		} else {
			zInv = inv
		}
		x.Multiply(&e.YplusX, &zInv)
		y.Multiply(&e.YminusX, &zInv)
		e.YplusX.Add(&y, &x)
		e.YminusX.Subtract(&y, &x)
		e.XY2d.Multiply(&x, &y)
		e.XY2d.Multiply(&e.XY2d, fastD2)
	}
}

var (
	fastBaseOnce  sync.Once
	fastBaseTable *[fastBaseEntries]fastNiels
)

// fastBase returns the shared radix-256 comb table of the base point B,
// building it on first use (about 469 KiB and 2-3 ms, once per process).
// The table is never written after the sync.Once, so it may be read
// concurrently.
func fastBase() *[fastBaseEntries]fastNiels {
	fastBaseOnce.Do(func() {
		t := new([fastBaseEntries]fastNiels)
		prefix := make([]field.Element, fastBaseEntries)
		fastBuildComb(t[:], prefix, edwards25519.NewGeneratorPoint(), fastBaseW, 1)
		fastBaseTable = t
	})
	return fastBaseTable
}
