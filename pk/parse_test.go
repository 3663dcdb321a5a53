// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package pk

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/newt-e2ee/newt"
)

// TestParsePublicKeyMatchesNewt checks that the variable-time key parser
// accepts exactly what newt.ParseCurve25519PublicKey accepts, with the same
// key or the same error.
func TestParsePublicKeyMatchesNewt(t *testing.T) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	rng := rand.New(rand.NewPCG(3, 4))
	inputs := []string{"", "A", strings.Repeat("A", 42), strings.Repeat("A", 43), strings.Repeat("A", 44),
		strings.Repeat("/", 43), strings.Repeat("A", 42) + "=", strings.Repeat("A", 42) + "B"}
	for range 20000 {
		b := make([]byte, 41+rng.IntN(4))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		if rng.IntN(8) == 0 {
			b[rng.IntN(len(b))] = "=-_ \n\x00\xff."[rng.IntN(8)]
		}
		inputs = append(inputs, string(b))
	}
	valid := 0
	for _, s := range inputs {
		got, err := parsePublicKey(s)
		want, wantErr := newt.ParseCurve25519PublicKey(s)
		if got != want || (err == nil) != (wantErr == nil) || (err != nil && err.Error() != wantErr.Error()) {
			t.Fatalf("%q: (%v, %v), newt: (%v, %v)", s, got, err, want, wantErr)
		}
		if err == nil {
			valid++
		}
	}
	if valid < 1000 {
		t.Fatalf("only %d valid inputs", valid)
	}
}
