// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package pickle_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/newt-e2ee/newt/internal/pickle"
)

// TestWriterEncoding checks each primitive against libolm's src/pickle.cpp
// (olm::pickle for u32, bool, bytes; big-endian u32).
func TestWriterEncoding(t *testing.T) {
	w := pickle.Writer{Buf: make([]byte, 0, 16)}
	w.U32(0x80000001) // big-endian (the V2 session pickle version)
	w.U8(0xAB)
	w.Bool(true)
	w.Bool(false)
	w.Bytes([]byte("key"))
	w.U32(4)
	want := []byte{0x80, 0, 0, 1, 0xAB, 1, 0, 'k', 'e', 'y', 0, 0, 0, 4}
	if !bytes.Equal(w.Buf, want) {
		t.Fatalf("Buf = %x, want %x", w.Buf, want)
	}
	if cap(w.Buf) != 16 {
		t.Errorf("pre-sized buffer regrew: cap %d", cap(w.Buf))
	}
	buf := w.Buf
	w.Clear()
	if len(w.Buf) != 0 || !bytes.Equal(buf, make([]byte, len(buf))) {
		t.Errorf("Clear left %x (len %d)", buf, len(w.Buf))
	}
	var zero pickle.Writer // the zero value works
	zero.U32(1)
	if !bytes.Equal(zero.Buf, []byte{0, 0, 0, 1}) {
		t.Errorf("zero Writer wrote %x", zero.Buf)
	}
}

func TestReaderRoundTrip(t *testing.T) {
	var w pickle.Writer
	w.U32(0xDEADBEEF)
	w.U8(7)
	w.Bool(true)
	w.Bool(false)
	w.Bytes([]byte("0123456789abcdef"))
	w.U32(3) // a list count
	r := pickle.NewReader(w.Buf)
	if v := r.U32(); v != 0xDEADBEEF {
		t.Errorf("U32 = %#x", v)
	}
	if v := r.U8(); v != 7 {
		t.Errorf("U8 = %d", v)
	}
	if !r.Bool() || r.Bool() {
		t.Error("Bool round trip failed")
	}
	var fixed [16]byte
	r.Read(fixed[:])
	if string(fixed[:]) != "0123456789abcdef" {
		t.Errorf("Read = %q", fixed)
	}
	if n := r.Count(3); n != 3 {
		t.Errorf("Count = %d", n)
	}
	if err := r.Finish(); err != nil || r.Remaining() != 0 {
		t.Errorf("Finish = %v, remaining %d", err, r.Remaining())
	}
}

// TestReaderBool: any non-zero byte reads as true (libolm src/pickle.cpp,
// olm::unpickle for bool).
func TestReaderBool(t *testing.T) {
	r := pickle.NewReader([]byte{0, 1, 2, 0x80, 0xFF})
	for i, want := range []bool{false, true, true, true, true} {
		if got := r.Bool(); got != want {
			t.Errorf("byte %d: Bool = %v", i, got)
		}
	}
	if err := r.Finish(); err != nil {
		t.Fatal(err)
	}
}

// TestReaderStickyError: the first error is kept, later reads return zero
// values and fill nothing with data.
func TestReaderStickyError(t *testing.T) {
	r := pickle.NewReader([]byte{0, 0, 0, 9, 1, 2})
	if v := r.U32(); v != 9 {
		t.Fatalf("U32 = %d", v)
	}
	if v := r.U32(); v != 0 || !errors.Is(r.Err(), pickle.ErrCorrupted) {
		t.Fatalf("short U32 = %d, err %v", v, r.Err())
	}
	// The two remaining bytes are not consumed by later reads.
	if r.U8() != 0 || r.Bool() || r.Count(10) != 0 || r.Remaining() != 2 {
		t.Error("reads after an error returned data")
	}
	dst := []byte{0xAA, 0xAA}
	r.Read(dst)
	if !bytes.Equal(dst, []byte{0, 0}) {
		t.Errorf("Read after error left %x", dst)
	}
	r.Fail(pickle.ErrUnknownVersion) // does not replace the first error
	if err := r.Finish(); !errors.Is(err, pickle.ErrCorrupted) {
		t.Errorf("Finish = %v, want ErrCorrupted", err)
	}
}

func TestReaderShortRead(t *testing.T) {
	r := pickle.NewReader([]byte{1, 2, 3})
	dst := []byte{9, 9, 9, 9}
	r.Read(dst)
	if !errors.Is(r.Err(), pickle.ErrCorrupted) || !bytes.Equal(dst, make([]byte, 4)) {
		t.Errorf("short Read: err %v, dst %x", r.Err(), dst)
	}
	for _, f := range []func(*pickle.Reader){
		func(r *pickle.Reader) { r.U8() },
		func(r *pickle.Reader) { r.U32() },
		func(r *pickle.Reader) { r.Bool() },
		func(r *pickle.Reader) { r.Count(5) },
	} {
		r := pickle.NewReader(nil)
		f(r)
		if !errors.Is(r.Finish(), pickle.ErrCorrupted) {
			t.Errorf("read on empty input: %v", r.Finish())
		}
	}
}

// TestReaderCount: a count above the capacity is ErrCorrupted and returns 0
// (SECURITY.md row C4: a forged count must not drive an allocation).
func TestReaderCount(t *testing.T) {
	for _, tc := range []struct {
		count uint32
		max   int
		want  int
		err   error
	}{
		{0, 0, 0, nil},
		{5, 5, 5, nil},    // receiver chains: at most 5
		{40, 40, 40, nil}, // skipped message keys: at most 40
		{6, 5, 0, pickle.ErrCorrupted},
		{101, 100, 0, pickle.ErrCorrupted}, // one-time keys: at most 100
		{0xFFFFFFFF, 100, 0, pickle.ErrCorrupted},
		{0x80000000, 1 << 20, 0, pickle.ErrCorrupted},
		{1, -1, 0, pickle.ErrCorrupted},
	} {
		var w pickle.Writer
		w.U32(tc.count)
		r := pickle.NewReader(w.Buf)
		if got := r.Count(tc.max); got != tc.want || !errors.Is(r.Err(), tc.err) {
			t.Errorf("Count(%d) of %d = %d, %v; want %d, %v", tc.max, tc.count, got, r.Err(), tc.want, tc.err)
		}
	}
}

func TestReaderFinishExtraData(t *testing.T) {
	r := pickle.NewReader([]byte{0, 0, 0, 1, 0})
	r.U32()
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	if err := r.Finish(); !errors.Is(err, pickle.ErrExtraData) {
		t.Errorf("Finish = %v, want ErrExtraData", err)
	}
	r = pickle.NewReader(nil)
	r.Fail(pickle.ErrUnknownVersion)
	if err := r.Finish(); !errors.Is(err, pickle.ErrUnknownVersion) {
		t.Errorf("Finish after Fail = %v", err)
	}
}

// TestErrorMessages checks the prefix of the errors the root package
// re-exports (they carry the root package's name) and that the two
// refinements of ErrCorrupted match it.
func TestErrorMessages(t *testing.T) {
	for _, err := range []error{pickle.ErrBadKey, pickle.ErrCorrupted, pickle.ErrExtraData,
		pickle.ErrUnknownVersion, pickle.ErrInvalidBase64} {
		if msg := err.Error(); !strings.HasPrefix(msg, "newt: ") || !strings.Contains(msg, "pickle") {
			t.Errorf("error %q: want the prefix \"newt: \" and the word pickle", msg)
		}
	}
	for _, err := range []error{pickle.ErrExtraData, pickle.ErrInvalidBase64} {
		if !errors.Is(err, pickle.ErrCorrupted) {
			t.Errorf("%v does not match ErrCorrupted", err)
		}
	}
	if errors.Is(pickle.ErrBadKey, pickle.ErrCorrupted) || errors.Is(pickle.ErrUnknownVersion, pickle.ErrCorrupted) {
		t.Error("ErrBadKey or ErrUnknownVersion matches ErrCorrupted")
	}
}

func TestReaderNoAllocs(t *testing.T) {
	buf := bytes.Repeat([]byte{0, 0, 0, 1}, 64)
	var dst [32]byte
	if n := testing.AllocsPerRun(100, func() {
		r := pickle.NewReader(buf)
		r.U32()
		r.Bool()
		r.Read(dst[:])
		_ = r.Count(1 << 30)
		_ = r.Err()
	}); n != 0 {
		t.Errorf("Reader allocates %v times", n)
	}
}
