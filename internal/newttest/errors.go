// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package newttest

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"testing"
)

// MaxForgedAlloc is the allocation budget of an operation on an input that
// declares a huge length or count: it must fail without allocating anything
// proportional to the declared size.
const MaxForgedAlloc = 64 << 10

// IsOneOf reports whether err matches one of targets with errors.Is.
func IsOneOf(err error, targets ...error) bool {
	for _, e := range targets {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// Must returns f(in), failing the test if f returns an error: for a parser
// or constructor whose success the test needs to go on.
func Must[In, Out any](t testing.TB, f func(In) (Out, error), in In) Out {
	t.Helper()
	out, err := f(in)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// MustNotPanic runs f and fails the test if it panics.
func MustNotPanic(t testing.TB, what string, f func()) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("%s panicked: %v", what, r)
		}
	}()
	f()
}

// Allocated returns the number of heap bytes f allocates (the smallest of
// three runs, to discount allocations by the runtime itself).
func Allocated(f func()) uint64 {
	best := ^uint64(0)
	for range 3 {
		var a, b runtime.MemStats
		runtime.ReadMemStats(&a)
		f()
		runtime.ReadMemStats(&b)
		best = min(best, b.TotalAlloc-a.TotalAlloc)
	}
	return best
}

// LiveHeap returns the bytes of live heap after a full garbage collection,
// for tests that bound what a structure keeps.
func LiveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// ErrAccepted is what [WantError] reports for input that was accepted.
var ErrAccepted = errors.New("accepted")

// WantError returns nil if err is one of targets and nilResult holds, and
// otherwise an error describing the mismatch: [ErrAccepted] for a nil err,
// an untyped error, or a result returned with an error.
func WantError(nilResult bool, err error, targets ...error) error {
	if err == nil {
		return ErrAccepted
	}
	if !IsOneOf(err, targets...) {
		return fmt.Errorf("untyped error %w", err)
	}
	if !nilResult {
		return errors.New("non-nil result with an error")
	}
	return nil
}

// NilIfOK returns err after checking a constructor's contract: a failed
// constructor returns nil, a successful one non-nil.
func NilIfOK[T any](v *T, err error) error {
	if err != nil && v != nil {
		return fmt.Errorf("non-nil %T with error %w", v, err)
	}
	if err == nil && v == nil {
		return errors.New("nil object without error")
	}
	return err
}

// CheckBoundedFailure runs f, which must fail with one of want while
// allocating at most [MaxForgedAlloc] bytes: checklist row C4, for input
// that declares a huge length or count, and row C2, for a large message
// whose MAC is wrong (its plaintext must never be allocated).
func CheckBoundedFailure(t testing.TB, what string, f func() error, want ...error) {
	t.Helper()
	var err error
	n := Allocated(func() { err = f() })
	if !IsOneOf(err, want...) {
		t.Errorf("%s: %v, want %v", what, err, want)
	}
	if n > MaxForgedAlloc {
		t.Errorf("%s: allocated %d bytes", what, n)
	}
}

// OversizedPlaintext is the plaintext size of checklist row C2: 4 MiB, far
// above any event a homeserver relays.
const OversizedPlaintext = 4 << 20

// CheckLinearDecrypt is the round trip of checklist row C2: decrypt must
// return want, allocating at most 4×len(want) + [MaxForgedAlloc] bytes
// (decryption may hold the input, a copy and the output). [Allocated] runs
// decrypt three times, so it must not consume its message.
func CheckLinearDecrypt(t testing.TB, want []byte, decrypt func() ([]byte, error)) {
	t.Helper()
	budget := 4*uint64(len(want)) + MaxForgedAlloc
	var pt []byte
	var err error
	if n := Allocated(func() { pt, err = decrypt() }); n > budget {
		t.Errorf("decrypting %d bytes allocated %d", len(want), n)
	}
	if err != nil || !bytes.Equal(pt, want) {
		t.Fatal("round trip", err)
	}
}
