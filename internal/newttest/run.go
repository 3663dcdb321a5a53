// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package newttest

import (
	"errors"
	"io"
	"math/rand/v2"
	"sync"
	"testing"
)

// Parallel runs f(0) … f(workers−1) in goroutines and waits for them.
func Parallel(workers int, f func(w int)) {
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() { defer wg.Done(); f(w) }()
	}
	wg.Wait()
}

// CheckParallel runs f(0) … f(workers−1) in goroutines, waits for them and
// fails the test with the errors they return: for an object that
// goroutines share (checklist row C21; run with -race).
func CheckParallel(t testing.TB, workers int, f func(w int) error) {
	t.Helper()
	errs := make([]error, workers)
	Parallel(workers, func(w int) { errs[w] = f(w) })
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
}

// ReadEach calls next until it returns io.EOF, and f with each value it
// returns before that; any other error fails the test. next is the Next
// method of a streaming reader, such as a key export's session reader.
func ReadEach[T any](t testing.TB, next func() (T, error), f func(T)) {
	t.Helper()
	for {
		v, err := next()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		f(v)
	}
}

// RandomInputs returns the inputs of checklist row C29: nil, empty, a few
// fixed prefixes of messages, and n random byte strings of up to 300 bytes
// from a generator seeded with seed, half of them starting with the version
// byte 3 so that they get past the first check.
func RandomInputs(seed uint64, n int) [][]byte {
	rng := rand.New(rand.NewPCG(seed, seed))
	inputs := [][]byte{nil, {}, {3}, {3, 0x0a}, {0xff}, make([]byte, 20)}
	for i := range inputs[5] {
		inputs[5][i] = 0x80
	}
	for range n {
		b := make([]byte, rng.IntN(300))
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		if len(b) > 0 && rng.IntN(2) == 0 {
			b[0] = 3
		}
		inputs = append(inputs, b)
	}
	return inputs
}

// Rand returns a deterministic generator seeded by label, so that a test's
// random inputs are the same in every run.
func Rand(label string) *rand.Rand {
	var seed [32]byte
	copy(seed[:], label)
	return rand.New(rand.NewChaCha8(seed))
}

// RandFrom returns n bytes from r.
func RandFrom(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}
