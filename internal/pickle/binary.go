// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package pickle

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Errors. These are the only declarations of the pickle errors: the root
// package re-exports the first three as newt.ErrBadPickleKey,
// newt.ErrCorruptedPickle and newt.ErrUnknownPickleVersion, and every
// package that reads pickles re-exports those. Match them with errors.Is;
// the messages name no key or plaintext byte.
var (
	// ErrBadKey means the MAC or the padding of the envelope did not verify:
	// a wrong pickle key, or a modified pickle (libolm: BAD_ACCOUNT_KEY).
	ErrBadKey = errors.New("newt: wrong pickle key or tampered pickle")
	// ErrCorrupted means the pickle does not have a valid structure: an
	// envelope of impossible length, or a plaintext that ends early or holds
	// an invalid value (libolm: CORRUPTED_PICKLE).
	ErrCorrupted = errors.New("newt: corrupted pickle")
	// ErrExtraData means bytes were left after the last field
	// (libolm: OLM_PICKLE_EXTRA_DATA). It matches ErrCorrupted.
	ErrExtraData = fmt.Errorf("%w: trailing data", ErrCorrupted)
	// ErrUnknownVersion is for layouts with an unsupported version number
	// (libolm: UNKNOWN_PICKLE_VERSION).
	ErrUnknownVersion = errors.New("newt: unknown pickle version")
	// ErrInvalidBase64 means the pickle is not strict unpadded base64
	// (libolm: INVALID_BASE64). It matches ErrCorrupted; the returned error
	// also wraps the *b64.DecodeError.
	ErrInvalidBase64 = fmt.Errorf("%w: invalid base64", ErrCorrupted)
)

// Writer appends libolm pickle primitives to Buf. The zero value is ready to
// use; a caller that sets Buf to a buffer of the final size (such as one from
// [GetBuffer]) leaves no secret behind in a buffer discarded by growth. A
// Writer is not safe for concurrent use.
type Writer struct {
	// Buf holds the bytes written so far. It is secret material.
	Buf []byte
}

// U32 writes v as 4 bytes, big-endian.
func (w *Writer) U32(v uint32) { w.Buf = binary.BigEndian.AppendUint32(w.Buf, v) }

// U8 writes one byte.
func (w *Writer) U8(v byte) { w.Buf = append(w.Buf, v) }

// Bool writes 1 for true and 0 for false.
func (w *Writer) Bool(v bool) {
	var b byte
	if v {
		b = 1
	}
	w.Buf = append(w.Buf, b)
}

// Bytes writes b as is, with no length (the layouts use fixed sizes).
func (w *Writer) Bytes(b []byte) { w.Buf = append(w.Buf, b...) }

// Clear zeroes the written bytes and empties the buffer, keeping its
// capacity (best effort: Go cannot erase copies made by the runtime).
func (w *Writer) Clear() {
	clear(w.Buf)
	w.Buf = w.Buf[:0]
}

// Reader reads libolm pickle primitives from a byte slice. It records the
// first error (ErrCorrupted when the data ends early or a count is too
// large); every later read returns a zero value and fills nothing, so a
// layout can be read straight through and checked once with Err or Finish.
// A Reader is not safe for concurrent use.
type Reader struct {
	b   []byte
	err error
}

// NewReader returns a Reader over b. It does not copy b.
func NewReader(b []byte) *Reader {
	return &Reader{b: b}
}

// take returns the next n bytes, or nil after recording ErrCorrupted.
func (r *Reader) take(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n > len(r.b) {
		r.err = ErrCorrupted
		return nil
	}
	p := r.b[:n:n]
	r.b = r.b[n:]
	return p
}

// U32 reads a big-endian u32.
func (r *Reader) U32() uint32 {
	p := r.take(4)
	if p == nil {
		return 0
	}
	return binary.BigEndian.Uint32(p)
}

// U8 reads one byte.
func (r *Reader) U8() byte {
	p := r.take(1)
	if p == nil {
		return 0
	}
	return p[0]
}

// Bool reads one byte; any non-zero value is true, as in libolm.
func (r *Reader) Bool() bool {
	return r.U8() != 0
}

// Read fills dst with the next len(dst) bytes. If they are not all there, it
// records ErrCorrupted and zeroes dst.
func (r *Reader) Read(dst []byte) {
	p := r.take(len(dst))
	if p == nil {
		clear(dst)
		return
	}
	copy(dst, p)
}

// Count reads the u32 item count of a list and returns it. A count larger
// than max (the caller's capacity) records ErrCorrupted and returns 0, so a
// forged count never drives an allocation or a long loop. libolm instead
// keeps reading into the last slot; newt rejects such pickles.
func (r *Reader) Count(max int) int {
	n := r.U32()
	if r.err != nil {
		return 0
	}
	if max < 0 || uint64(n) > uint64(max) {
		r.err = ErrCorrupted
		return 0
	}
	return int(n)
}

// Fail records err (if no error is recorded yet), so that a layout reader
// can reject an invalid value and still read on to a single check.
func (r *Reader) Fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

// Remaining returns the number of bytes not read yet.
func (r *Reader) Remaining() int { return len(r.b) }

// Err returns the first error recorded, or nil.
func (r *Reader) Err() error { return r.err }

// Finish returns the first error recorded, or ErrExtraData if bytes are
// left unread, or nil.
func (r *Reader) Finish() error {
	if r.err != nil {
		return r.err
	}
	if len(r.b) != 0 {
		return ErrExtraData
	}
	return nil
}
