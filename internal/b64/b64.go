// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package b64

// Reviewer's note: the goals of this file are, in order, constant time,
// correctness and speed. Eight characters (48 bits) are handled at once in
// the byte lanes of a uint64 ("SWAR"): every lane is classified with
// borrow-free subtractions, so the code has no data-dependent branch and no
// data-indexed memory access. Work depends only on len(src).

import (
	"encoding/binary"
	"errors"
	"slices"
	"strconv"
	"unsafe"
)

// Sentinel errors wrapped by *DecodeError. Match them with errors.Is.
var (
	// ErrLength reports an input length with len%4 == 1, which no byte
	// string encodes to.
	ErrLength = errors.New("b64: invalid length")
	// ErrCharacter reports a byte outside A–Z a–z 0–9 + / (this includes
	// '=', '-', '_', '\r', '\n', spaces and every non-ASCII byte).
	ErrCharacter = errors.New("b64: invalid character")
	// ErrTrailingBits reports non-zero unused low bits in the last
	// character: the input is not the canonical encoding of any byte string.
	ErrTrailingBits = errors.New("b64: non-zero trailing bits")
)

// DecodeError is the error returned by every decoding function. Err is one of
// ErrLength, ErrCharacter or ErrTrailingBits.
type DecodeError struct {
	// Offset is the index in the input of the offending character: the first
	// invalid character for ErrCharacter, the last character for
	// ErrTrailingBits. It is -1 for ErrLength.
	Offset int
	// Err is the sentinel describing the failure.
	Err error
}

// Error returns the sentinel's message and the offset. It never contains the
// input itself.
func (e *DecodeError) Error() string {
	if e.Offset < 0 {
		return e.Err.Error()
	}
	return e.Err.Error() + " at offset " + strconv.Itoa(e.Offset)
}

// Unwrap returns the sentinel error.
func (e *DecodeError) Unwrap() error { return e.Err }

// SWAR constants: one in every byte lane, and the high bit of every lane.
const (
	lanes = 0x0101010101010101
	high  = 0x8080808080808080
)

// EncodedLen returns the length of the unpadded encoding of n bytes:
// 4·⌊n/3⌋ + {0, 2, 3} for n%3 = 0, 1, 2.
func EncodedLen(n int) int {
	return n/3*4 + (n%3*4+2)/3
}

// DecodedLen returns the number of bytes that n characters decode to,
// 3·⌊n/4⌋ + {0, 1, 2} for n%4 = 0, 2, 3. It returns a *DecodeError wrapping
// ErrLength if n%4 == 1 or n < 0.
func DecodedLen(n int) (int, error) {
	if n < 0 || n%4 == 1 {
		return 0, &DecodeError{Offset: -1, Err: ErrLength}
	}
	return n/4*3 + n%4*3/4, nil
}

// spread splits the 48 bits in the low bits of w into eight 6-bit values,
// one per byte lane, the most significant first (lane 0 = first character).
func spread(w uint64) uint64 {
	return spreadTop(w << 16)
}

// spreadTop is spread for 48 bits held in the top bits of x, as a big-endian
// 8-byte load leaves them.
func spreadTop(x uint64) uint64 {
	// Two 24-bit groups into 32-bit lanes, then 12-bit halves into 16-bit
	// lanes, then 6-bit quarters into 8-bit lanes.
	t := x>>40 | (x<<16)&0x00FFFFFF00000000
	u := (t>>12)&0x00000FFF00000FFF | (t&0x00000FFF00000FFF)<<16
	return (u>>6)&0x003F003F003F003F | (u&0x003F003F003F003F)<<8
}

// encodeLanes maps eight 6-bit values (one per byte lane) to their characters.
func encodeLanes(x uint64) uint64 {
	// geN has 1 in the lanes whose value is >= N: for a lane value below 64,
	// adding 128−N sets the lane's high bit exactly then, and never carries
	// into the next lane.
	ge26 := ((x + (128-26)*lanes) & high) >> 7
	ge52 := ((x + (128-52)*lanes) & high) >> 7
	ge62 := ((x + (128-62)*lanes) & high) >> 7
	ge63 := ((x + (128-63)*lanes) & high) >> 7
	// 'A'+v, then +6 for 'a'.., -75 for '0'.., -15 for '+', +3 for '/'.
	// Every intermediate lane value stays in 0..134, so no carry or borrow
	// crosses a lane.
	return x + 'A'*lanes + 6*ge26 - 75*ge52 - 15*ge62 + 3*ge63
}

// Encode writes the unpadded base64 encoding of src to dst, which must have
// room for EncodedLen(len(src)) bytes. Encode panics if dst is too short
// (a programming error, never a property of the data).
func Encode(dst, src []byte) {
	n := EncodedLen(len(src))
	if len(dst) < n {
		panic("b64: Encode: dst too short")
	}
	d := dst[:n]
	// Twelve bytes into sixteen characters per step, with two 8-byte loads
	// that each use their top six bytes (so two bytes past the twelve must
	// exist). Indexing rather than reslicing keeps the loop in registers.
	si, di := 0, 0
	for ; si+14 <= len(src); si, di = si+12, di+16 {
		x := binary.BigEndian.Uint64(src[si : si+8])
		y := binary.BigEndian.Uint64(src[si+6 : si+14])
		binary.LittleEndian.PutUint64(d[di:di+8], encodeLanes(spreadTop(x)))
		binary.LittleEndian.PutUint64(d[di+8:di+16], encodeLanes(spreadTop(y)))
	}
	src, d = src[si:], d[di:]
	for len(src) >= 6 && len(d) >= 8 {
		w := uint64(binary.BigEndian.Uint32(src))<<16 | uint64(binary.BigEndian.Uint16(src[4:]))
		binary.LittleEndian.PutUint64(d, encodeLanes(spread(w)))
		src, d = src[6:], d[8:]
	}
	if len(src) > 0 {
		// 1..5 bytes left: pad with zeros and keep 2..7 characters.
		var buf [8]byte
		copy(buf[:], src)
		binary.LittleEndian.PutUint64(buf[:], encodeLanes(spreadTop(binary.BigEndian.Uint64(buf[:]))))
		copy(d, buf[:])
	}
}

// AppendEncode appends the unpadded base64 encoding of src to dst and returns
// the extended slice.
func AppendEncode(dst, src []byte) []byte {
	n := EncodedLen(len(src))
	dst = slices.Grow(dst, n)
	Encode(dst[len(dst):len(dst)+n], src)
	return dst[:len(dst)+n]
}

// EncodeToString returns the unpadded base64 encoding of src.
func EncodeToString(src []byte) string {
	n := EncodedLen(len(src))
	if n == 0 {
		return ""
	}
	buf := make([]byte, n)
	Encode(buf, src)
	// buf is never written again, so it can back the string directly.
	return unsafe.String(&buf[0], n)
}

// Decode decodes src into dst, which must have room for DecodedLen(len(src))
// bytes, and returns the number of bytes written. Decode panics if dst is too
// short (a programming error, never a property of the data).
//
// Decode is strict and constant time with respect to the content of src (see
// the package documentation). On error it returns 0 and a *DecodeError, and
// every byte it wrote to dst is zeroed.
func Decode(dst, src []byte) (int, error) {
	n, err := DecodedLen(len(src))
	if err != nil {
		return 0, err
	}
	if len(dst) < n {
		panic("b64: Decode: dst too short")
	}
	dst = dst[:n]
	// bad accumulates invalid-character flags and tail the trailing bits;
	// the data decides nothing until both are complete.
	full := len(src) / 8
	bad := decodeBlocks(dst, src)
	var tail byte
	if rest := src[8*full:]; len(rest) > 0 {
		// 2, 3, 4, 6 or 7 characters left: pad with 'A' (value 0).
		buf := [8]byte{'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A'}
		copy(buf[:], rest)
		var out [6]byte
		bad |= decodeBlocks(out[:], buf[:])
		d := dst[6*full:] // 1..5 bytes
		copy(d, out[:])
		// The bits after the last whole byte come from the last character
		// (the padding is zero): they must be zero.
		tail = out[len(d)]
	}
	if bad|uint64(tail) != 0 {
		clear(dst)
		if bad != 0 {
			return 0, &DecodeError{Offset: firstInvalid(src), Err: ErrCharacter}
		}
		return 0, &DecodeError{Offset: len(src) - 1, Err: ErrTrailingBits}
	}
	return n, nil
}

// AppendDecode appends the decoding of src to dst and returns the extended
// slice. On error it returns nil and a *DecodeError; the bytes of dst's
// spare capacity that were written are zeroed, and dst[:len(dst)] is
// untouched.
func AppendDecode(dst, src []byte) ([]byte, error) {
	n, err := DecodedLen(len(src))
	if err != nil {
		return nil, err
	}
	dst = slices.Grow(dst, n)
	if _, err := Decode(dst[len(dst):len(dst)+n], src); err != nil {
		return nil, err
	}
	return dst[:len(dst)+n], nil
}

// DecodeString returns the bytes encoded by s, or nil and a *DecodeError.
func DecodeString(s string) ([]byte, error) {
	// The decoder only reads src, so it may view the string's bytes.
	return AppendDecode(nil, unsafe.Slice(unsafe.StringData(s), len(s)))
}

// decodeBlocks decodes min(len(src)/8, len(dst)/6) blocks of eight
// characters into six bytes each. It returns a value that is non-zero iff
// one of the characters read is outside the alphabet.
func decodeBlocks(dst, src []byte) (bad uint64) {
	nb := min(len(src)/8, len(dst)/6)
	for i := 0; i < nb; i++ {
		// Lane j of x holds src[8i+j].
		x := binary.LittleEndian.Uint64(src[8*i : 8*i+8])

		// For 7-bit lane values, (x7|0x80) - N has its high bit set iff
		// x7 >= N, and never borrows from the next lane.
		x7 := x &^ high
		h := x7 | high

		// The alphabet is [43,44) ∪ [47,58) ∪ [65,91) ∪ [97,123): a byte is
		// in it iff an odd number of these eight bounds are <= it, so the
		// XOR of the eight high bits is the validity bit.
		valid := (h - '+'*lanes) ^ (h - ('+'+1)*lanes) ^ (h - '/'*lanes) ^ (h - ('9'+1)*lanes) ^
			(h - 'A'*lanes) ^ (h - ('Z'+1)*lanes) ^ (h - 'a'*lanes) ^ (h - ('z'+1)*lanes)
		// Only the high bits of bad matter (they are masked on return): an
		// invalid lane, or a lane holding a non-ASCII byte.
		bad |= ^valid | x

		// A step function that is right on every character of the
		// alphabet: +19 below 44 ('+'), +16 up to 47 ('/'), +4 up to 64
		// (digits), -65 up to 96 (upper case), -71 above (lower case).
		// gN has 1 in the lanes holding a byte >= N. Every lane value stays
		// in 0..146 while it is computed and ends in 0..68 for every 7-bit
		// input (0..63 on the alphabet), so no carry or borrow crosses a
		// lane; lanes of invalid characters decode to garbage, which the
		// caller discards.
		g44 := ((h - ('+'+1)*lanes) & high) >> 7
		g48 := ((h - '0'*lanes) & high) >> 7
		g65 := ((h - 'A'*lanes) & high) >> 7
		g97 := ((h - 'a'*lanes) & high) >> 7
		v := x7 + 19*lanes - 3*g44 - 12*g48 - 69*g65 - 6*g97

		// Join the eight values, first character most significant: pairs
		// into 12 bits, quads into 24 bits, then both halves. (Garbage
		// values of up to 68 stay inside their 16- and 32-bit fields; the
		// output is discarded anyway when any lane is invalid.)
		p := (v&0x00FF00FF00FF00FF)<<6 | (v>>8)&0x00FF00FF00FF00FF
		q := (p&0x0000FFFF0000FFFF)<<12 | (p>>16)&0x0000FFFF0000FFFF
		w := (q&0xFFFFFF)<<24 | q>>32
		if 6*i+8 <= len(dst) {
			// One 8-byte store. Its last two bytes (zeros) are still inside
			// dst and are overwritten by the next block or by the caller's
			// tail.
			binary.BigEndian.PutUint64(dst[6*i:6*i+8], w<<16)
		} else {
			binary.BigEndian.PutUint32(dst[6*i:6*i+4], uint32(w>>16))
			binary.BigEndian.PutUint16(dst[6*i+4:6*i+6], uint16(w))
		}
	}
	return bad & high
}

// firstInvalid returns the index of the first byte of src outside the
// alphabet, or -1. It runs in time independent of the content of src.
func firstInvalid(src []byte) int {
	first, found := -1, 0
	var out [6]byte
	for i, c := range src {
		buf := [8]byte{c, 'A', 'A', 'A', 'A', 'A', 'A', 'A'}
		b := decodeBlocks(out[:], buf[:])
		isBad := -int((b | -b) >> 63) // all ones iff c is invalid
		take := isBad &^ found
		first = first&^take | i&take
		found |= isBad
	}
	return first
}

// DecodeStringPadded is DecodeString that also accepts the padded form:
// one or two '=' completing a length that is a multiple of four, exactly as
// many as the data needs ("QQ==", "QUI="), as some writers of secrets (secret
// storage in matrix-js-sdk, for one) produce. The padding is found from the
// length and the last two characters only, which carry no data when they
// are '='; the rest is decoded in constant time by DecodeString.
func DecodeStringPadded(s string) ([]byte, error) {
	if n := len(s); n > 0 && n%4 == 0 && s[n-1] == '=' {
		pad := 1
		if s[n-2] == '=' {
			pad = 2
		}
		s = s[:n-pad]
		if len(s)%4 != 4-pad {
			return nil, &DecodeError{Offset: len(s), Err: ErrCharacter}
		}
	}
	return DecodeString(s)
}
