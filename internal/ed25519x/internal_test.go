// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package ed25519x

import (
	"bytes"
	"testing"

	"filippo.io/edwards25519"
)

// TestSmallOrderTable checks the hard-coded table: 8 distinct canonical
// encodings of points P with 8·P = identity. There are exactly 8 such points
// and canonical encodings are unique, so the table is complete.
func TestSmallOrderTable(t *testing.T) {
	seen := map[[32]byte]bool{}
	id := edwards25519.NewIdentityPoint()
	for i, enc := range smallOrder {
		P, err := new(edwards25519.Point).SetBytes(enc[:])
		if err != nil {
			t.Fatalf("entry %d does not decode", i)
		}
		if !bytes.Equal(P.Bytes(), enc[:]) {
			t.Fatalf("entry %d is not canonical", i)
		}
		if new(edwards25519.Point).MultByCofactor(P).Equal(id) != 1 {
			t.Fatalf("entry %d is not of small order", i)
		}
		if seen[enc] {
			t.Fatalf("entry %d repeated", i)
		}
		seen[enc] = true
		if !isSmallOrderEncoding(enc[:]) || !isSmallOrder(P) {
			t.Fatalf("entry %d not recognised", i)
		}
	}
	if len(seen) != 8 {
		t.Fatalf("%d entries", len(seen))
	}
	if isSmallOrderEncoding(edwards25519.NewGeneratorPoint().Bytes()) {
		t.Fatal("generator flagged")
	}
}
