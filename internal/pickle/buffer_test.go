// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package pickle_test

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/newt-e2ee/newt/internal/pickle"
)

// TestSealOpenPooled checks the in-place forms on pooled buffers: a sealed
// pickle opens to its plaintext, and on every input Open gives the same
// plaintext or the same error as Decrypt.
func TestSealOpenPooled(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	key := []byte("envelope key")
	for n := range 300 {
		pt := make([]byte, n)
		for i := range pt {
			pt[i] = byte(rng.Uint32())
		}
		buf := pickle.GetBuffer(n)
		*buf = append(*buf, pt...)
		want := pickle.AppendSeal(nil, key, *buf)
		pickle.PutBuffer(buf)
		if back, err := pickle.Decrypt(key, want); err != nil || !bytes.Equal(back, pt) {
			t.Fatalf("%d bytes: round trip: %v", n, err)
		}

		// Valid, wrong key, flipped characters, truncated, extended.
		inputs := [][]byte{want, want[:len(want)-1], want[:len(want)-2], append(bytes.Clone(want), 'A'), append(bytes.Clone(want), "AA"...), nil}
		for range 4 {
			b := bytes.Clone(want)
			b[rng.IntN(len(b))] = "A/+=z \n"[rng.IntN(7)]
			inputs = append(inputs, b)
		}
		for _, k := range [][]byte{key, []byte("other key"), nil} {
			for _, in := range inputs {
				want, wantErr := pickle.Decrypt(k, in)
				buf := pickle.GetBuffer(len(in))
				got, err := pickle.Open(buf, k, in)
				if !bytes.Equal(got, want) || (err == nil) != (wantErr == nil) ||
					(err != nil && err.Error() != wantErr.Error()) {
					t.Fatalf("%d bytes: Open (%x, %v), Decrypt (%x, %v)", n, got, err, want, wantErr)
				}
				for _, target := range []error{pickle.ErrBadKey, pickle.ErrCorrupted, pickle.ErrInvalidBase64} {
					if errors.Is(err, target) != errors.Is(wantErr, target) {
						t.Fatalf("%d bytes: errors.Is(%v): %v vs %v", n, target, err, wantErr)
					}
				}
				pickle.PutBuffer(buf)
			}
		}
	}
}

// TestPutBufferClears checks that a buffer goes back to the pool with no
// plaintext left in it.
func TestPutBufferClears(t *testing.T) {
	buf := pickle.GetBuffer(64)
	*buf = append(*buf, bytes.Repeat([]byte{0xAA}, 64)...)
	b := *buf
	pickle.PutBuffer(buf)
	if !bytes.Equal(b[:cap(b)], make([]byte, cap(b))) {
		t.Fatal("buffer not cleared")
	}
}
