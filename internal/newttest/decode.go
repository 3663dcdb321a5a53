// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package newttest

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/newt-e2ee/newt/testvectors"
)

// isNil reports whether v is nil or a nil pointer, interface, map, slice,
// function or channel.
func isNil(v any) bool {
	if v == nil {
		return true
	}
	switch rv := reflect.ValueOf(v); rv.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan:
		return rv.IsNil()
	}
	return false
}

// CheckPrefixes is checklist row C1 for one binary decoder: every proper
// prefix of b, the empty one included, fails with want and a nil result.
func CheckPrefixes[T any](t testing.TB, what string, b []byte, parse func([]byte) (T, error), want error) {
	t.Helper()
	for n := range len(b) {
		if v, err := parse(b[:n]); !isNil(v) || !errors.Is(err, want) {
			t.Fatalf("%s(%d of %d bytes) = %v, %v; want %v", what, n, len(b), v, err, want)
		}
	}
}

// CheckBase64Prefixes is [CheckPrefixes] for a base64 decoder: every
// proper prefix of the unpadded base64 of b fails with want and a nil
// result.
func CheckBase64Prefixes[T any](t testing.TB, what string, b []byte, parse func(string) (T, error), want error) {
	t.Helper()
	s := base64.RawStdEncoding.EncodeToString(b)
	for n := range len(s) {
		if v, err := parse(s[:n]); !isNil(v) || !errors.Is(err, want) {
			t.Fatalf("%s(%d of %d characters) = %v, %v; want %v", what, n, len(s), v, err, want)
		}
	}
}

// CheckVersionBytes is checklist row C5 for one decoder: b with the byte at
// off set to each of the 256 values decodes if the value is valid and fails
// with want otherwise, except for the values of other, which must fail with
// the error other gives them (a version that belongs to another layout).
func CheckVersionBytes[T any](t testing.TB, what string, b []byte, off int, valid byte, parse func([]byte) (T, error), want error, other map[byte]error) {
	t.Helper()
	for v := range 256 {
		c := bytes.Clone(b)
		c[off] = byte(v)
		_, err := parse(c)
		if o, ok := other[byte(v)]; ok {
			if !errors.Is(err, o) {
				t.Errorf("%s version %d: %v, want %v", what, v, err, o)
			}
			continue
		}
		if ok := byte(v) == valid; ok != (err == nil) || (!ok && !errors.Is(err, want)) {
			t.Errorf("%s version %d: %v", what, v, err)
		}
	}
}

// CheckRejected requires that parse fails with want on every one of the
// encodings, and that there is at least one.
func CheckRejected[T any](t testing.TB, what string, cases []testvectors.Encoding, parse func([]byte) (T, error), want error) {
	t.Helper()
	if len(cases) == 0 {
		t.Errorf("%s: no vectors", what)
	}
	for _, c := range cases {
		if _, err := parse(c.Encoded); !errors.Is(err, want) {
			t.Errorf("%s %q: %v, want %v", what, c.Comment, err, want)
		}
	}
}

// ForEachBitFlip decodes b with each of its bits flipped in turn. A decoding
// error must be one of parseErrs; a decoded message is passed to f with the
// index of the flipped bit.
func ForEachBitFlip[T any](t testing.TB, b []byte, parse func([]byte) (T, error), parseErrs []error, f func(bit int, m T)) {
	t.Helper()
	for i := range len(b) * 8 {
		m, err := parse(FlipBit(b, i))
		if err != nil {
			if !IsOneOf(err, parseErrs...) {
				t.Fatalf("bit %d: parse error %v", i, err)
			}
			continue
		}
		f(i, m)
	}
}

// ForRandomInputs is the body of checklist row C29: it calls f, which must
// not panic, with each of [RandomInputs](seed, n) as bytes, as a string and
// as unpadded base64.
func ForRandomInputs(t testing.TB, seed uint64, n int, f func(b []byte, str, b64 string)) {
	t.Helper()
	for i, b := range RandomInputs(seed, n) {
		str, b64 := string(b), base64.RawStdEncoding.EncodeToString(b)
		MustNotPanic(t, fmt.Sprintf("input %d", i), func() { f(b, str, b64) })
	}
}
