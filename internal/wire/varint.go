// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package wire

import (
	"errors"
	"math/bits"
	"strconv"
)

// Sentinel errors. Decoding failures are returned as *DecodeError wrapping
// one of the first seven; ErrBadVersion is for the protocol packages, which
// check versions.
var (
	// ErrTooShort reports a message with no byte before its MAC (and
	// signature), or an empty pre-key message.
	ErrTooShort = errors.New("wire: message too short")
	// ErrTruncated reports a varint or a length-delimited field that runs
	// past the end of the fields.
	ErrTruncated = errors.New("wire: truncated field")
	// ErrVarintOverflow reports a varint wider than 64 bits, or a counter or
	// index wider than 32 bits.
	ErrVarintOverflow = errors.New("wire: varint overflows its field")
	// ErrNonMinimalVarint reports a varint with a redundant final zero byte.
	ErrNonMinimalVarint = errors.New("wire: non-minimal varint")
	// ErrDuplicateField reports a known field that appears twice.
	ErrDuplicateField = errors.New("wire: duplicate field")
	// ErrBadWireType reports a wire type other than 0 (varint) or 2
	// (length-delimited), or a known field with the wrong one.
	ErrBadWireType = errors.New("wire: bad wire type")
	// ErrBadTag reports a tag byte with the high bit set (a multi-byte
	// protobuf tag, which libolm does not support) or field number 0.
	ErrBadTag = errors.New("wire: bad field tag")

	// ErrBadVersion is for callers that find an unsupported version byte.
	ErrBadVersion = errors.New("wire: unsupported message version")
)

// DecodeError is the error returned by the decoding functions.
type DecodeError struct {
	// Offset is the index in the decoded byte slice where the offending
	// tag, varint or length starts (0 for ErrTooShort).
	Offset int
	// Err is the sentinel describing the failure.
	Err error
}

// Error returns the sentinel's message and the offset.
func (e *DecodeError) Error() string {
	return e.Err.Error() + " at offset " + strconv.Itoa(e.Offset)
}

// Unwrap returns the sentinel error.
func (e *DecodeError) Unwrap() error { return e.Err }

// varintLen returns the number of bytes appendVarint writes for v (1 to 10).
func varintLen(v uint64) int {
	// 7 significant bits per byte, and at least one byte.
	return (bits.Len64(v|1) + 6) / 7
}

// appendVarint appends v as a little-endian base-128 varint (protobuf
// style, minimal length) and returns the extended slice.
func appendVarint(dst []byte, v uint64) []byte {
	for v >= 0x80 {
		dst = append(dst, byte(v)|0x80)
		v >>= 7
	}
	return append(dst, byte(v))
}

// readVarint decodes the varint at the start of b and returns its value and
// length. It rejects varints that run off the end of b (ErrTruncated), that
// are wider than 64 bits (ErrVarintOverflow), or that end with a redundant
// zero byte (ErrNonMinimalVarint). The returned error is a bare sentinel;
// the message decoders wrap it in a *DecodeError with the offset.
func readVarint(b []byte) (v uint64, n int, err error) {
	for i, c := range b {
		if i == 9 && c > 1 {
			// The tenth byte may only hold bit 63.
			return 0, 0, ErrVarintOverflow
		}
		v |= uint64(c&0x7F) << (7 * i)
		if c < 0x80 {
			if c == 0 && i > 0 {
				return 0, 0, ErrNonMinimalVarint
			}
			return v, i + 1, nil
		}
	}
	return 0, 0, ErrTruncated
}

// bytesFieldLen returns the encoded length of a length-delimited field
// holding n bytes: tag, varint(n), then the bytes.
func bytesFieldLen(n int) int {
	return 1 + varintLen(uint64(n)) + n
}

// appendBytesField appends a length-delimited field: tag, varint(len(b)),
// then b.
func appendBytesField(dst []byte, tag byte, b []byte) []byte {
	dst = append(dst, tag)
	dst = appendVarint(dst, uint64(len(b)))
	return append(dst, b...)
}

// appendVarintField appends a varint field: tag, then varint(v).
func appendVarintField(dst []byte, tag byte, v uint64) []byte {
	return appendVarint(append(dst, tag), v)
}

// Wire types, the low three bits of a tag.
const (
	wireVarint = 0
	wireBytes  = 2
)

// field is one decoded field.
type field struct {
	tag   byte
	start int    // offset of the tag in the decoded message
	value uint64 // for wire type 0
	data  []byte // for wire type 2: aliases the input
}

// fieldReader walks the fields of a message body. Offsets are reported
// relative to the whole message (the body starts at offset 1).
type fieldReader struct {
	b    []byte
	off  int // offset of b[0] in the whole message
	err  error
	cur  field
	seen uint8 // bit i set once known field i has been read
}

// next reads the next field into r.cur. It returns false at the end of the
// body or on error (then r.err is set).
func (r *fieldReader) next() bool {
	if len(r.b) == 0 || r.err != nil {
		return false
	}
	tag := r.b[0]
	r.cur = field{tag: tag, start: r.off}
	if tag >= 0x80 || tag>>3 == 0 {
		return r.fail(r.off, ErrBadTag)
	}
	if wt := tag & 7; wt != wireVarint && wt != wireBytes {
		return r.fail(r.off, ErrBadWireType)
	}
	// Both wire types continue with a varint: the value or the length.
	v, n, err := readVarint(r.b[1:])
	if err != nil {
		return r.fail(r.off+1, err)
	}
	if tag&7 == wireVarint {
		r.cur.value = v
		r.advance(1 + n)
		return true
	}
	rest := r.b[1+n:]
	if v > uint64(len(rest)) {
		return r.fail(r.off+1, ErrTruncated)
	}
	r.cur.data = rest[:v:v]
	r.advance(1 + n + int(v))
	return true
}

func (r *fieldReader) advance(n int) {
	r.b = r.b[n:]
	r.off += n
}

func (r *fieldReader) fail(off int, err error) bool {
	r.err = &DecodeError{Offset: off, Err: err}
	return false
}

// known checks the current field against a known field: bit is its bit in
// r.seen, wantTag the one tag byte it may have. It reports whether the
// current field is that field; a second occurrence or a wrong wire type is
// recorded as an error (and reported as false).
func (r *fieldReader) known(bit uint8, wantTag byte) bool {
	if r.cur.tag>>3 != wantTag>>3 {
		return false
	}
	if r.cur.tag != wantTag {
		r.fail(r.cur.start, ErrBadWireType)
		return false
	}
	if r.seen&bit != 0 {
		r.fail(r.cur.start, ErrDuplicateField)
		return false
	}
	r.seen |= bit
	return true
}

// u32 returns the current varint field as a uint32, recording
// ErrVarintOverflow if it does not fit.
func (r *fieldReader) u32() uint32 {
	if r.cur.value > 0xFFFFFFFF {
		r.fail(r.cur.start+1, ErrVarintOverflow)
		return 0
	}
	return uint32(r.cur.value)
}
