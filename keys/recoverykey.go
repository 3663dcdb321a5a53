// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package keys

import (
	"crypto/subtle"
	"strconv"
	"unicode"
)

// The recovery-key encoding (Matrix spec, "Key representation", under
// secret storage): 0x8B 0x01 ‖ key (32 bytes) ‖ parity, where parity is the
// XOR of all bytes before it, prefix included; the 35 bytes in base58 with
// the bitcoin alphabet, and a space after every fourth character. The
// prefix makes every recovery key 48 characters long, starting "Es".
const (
	recoveryPrefix0 = 0x8B
	recoveryPrefix1 = 0x01
	recoveryKeySize = 32
	recoveryRawSize = 2 + recoveryKeySize + 1 // 35
	// recoveryChars is the length of the base58 form, without spaces.
	recoveryChars = 48
	// recoveryWide is enough bytes for any 48-digit base58 number
	// (58^48 < 2^282).
	recoveryWide = 36
)

// RecoveryKeyProblem says what is wrong with a recovery key.
type RecoveryKeyProblem int

// The problems [DecodeRecoveryKey] reports, in the order it checks them.
const (
	// RecoveryKeyBadCharacter: a character is not in the base58 alphabet
	// (which has no 0, O, I or l).
	RecoveryKeyBadCharacter RecoveryKeyProblem = iota + 1
	// RecoveryKeyBadLength: too many or too few characters.
	RecoveryKeyBadLength
	// RecoveryKeyBadPrefix: the key does not decode to the recovery-key
	// prefix, so it is not a recovery key or its first characters are
	// mistyped.
	RecoveryKeyBadPrefix
	// RecoveryKeyBadParity: the parity byte does not match, so a character
	// is mistyped.
	RecoveryKeyBadParity
)

// RecoveryKeyError reports why a recovery key was refused, in words meant
// for the person who typed it. It matches [ErrRecoveryKey]. It never quotes
// the key or any of its characters.
type RecoveryKeyError struct {
	// Problem is what is wrong.
	Problem RecoveryKeyProblem
	// Position is, for RecoveryKeyBadCharacter, the position of the first
	// bad character in the input as given, counting from 1 and counting
	// spaces.
	Position int
	// Length is, for RecoveryKeyBadLength, the number of characters found,
	// not counting white space.
	Length int
}

// Error implements the error interface.
func (e *RecoveryKeyError) Error() string {
	const p = "keys: invalid recovery key: "
	switch e.Problem {
	case RecoveryKeyBadCharacter:
		return p + "character " + strconv.Itoa(e.Position) + " cannot be part of a recovery key (they never contain 0, O, I or l)"
	case RecoveryKeyBadLength:
		switch {
		case e.Length < recoveryChars:
			return p + "it has " + strconv.Itoa(e.Length) + " characters, not " + strconv.Itoa(recoveryChars) + " (not counting spaces): some are missing"
		case e.Length > recoveryChars:
			return p + "it has " + strconv.Itoa(e.Length) + " characters, not " + strconv.Itoa(recoveryChars) + " (not counting spaces): some are extra"
		}
		return p + "it decodes to more than 35 bytes: a character is mistyped"
	case RecoveryKeyBadPrefix:
		return p + "it does not start like a recovery key (\"Es\"): it is another kind of key, or its first characters are mistyped"
	case RecoveryKeyBadParity:
		return p + "the parity check failed: a character is mistyped"
	}
	return p + "unknown problem"
}

// Unwrap returns [ErrRecoveryKey].
func (e *RecoveryKeyError) Unwrap() error { return ErrRecoveryKey }

// EncodeRecoveryKey returns the recovery key for a 32-byte key (a secret
// storage key or a backup key): 48 base58 characters in 12 groups of 4
// separated by spaces, as every Matrix client shows it. It runs in constant
// time. It fails only if key is not 32 bytes long.
func EncodeRecoveryKey(key []byte) (string, error) {
	if len(key) != recoveryKeySize {
		return "", errorf(ErrBadKey, "key of "+strconv.Itoa(len(key))+" bytes, want 32")
	}
	var raw [recoveryRawSize]byte
	defer clear(raw[:])
	raw[0], raw[1] = recoveryPrefix0, recoveryPrefix1
	copy(raw[2:], key)
	var parity byte
	for _, b := range raw[:recoveryRawSize-1] {
		parity ^= b
	}
	raw[recoveryRawSize-1] = parity

	// Base58: divide the 280-bit number by 58, 48 times; the remainders
	// are the digits, least significant first. The prefix guarantees
	// exactly 48 digits and no leading zero digit.
	var digits [recoveryChars]byte
	defer clear(digits[:])
	for i := recoveryChars - 1; i >= 0; i-- {
		var rem uint32
		for j := range raw {
			x := rem<<8 | uint32(raw[j])
			raw[j] = byte(x / 58)
			rem = x % 58
		}
		digits[i] = base58Char(byte(rem))
	}
	out := make([]byte, 0, recoveryChars+recoveryChars/4-1)
	for i, c := range digits {
		if i > 0 && i%4 == 0 {
			out = append(out, ' ')
		}
		out = append(out, c)
	}
	return string(out), nil
}

// DecodeRecoveryKey returns the 32-byte key of a recovery key. All white
// space (spaces, tabs, line breaks, anywhere and repeated) is ignored, as
// matrix-rust-sdk does. The checks, in order, each with its own
// [*RecoveryKeyError]: every character is base58; there are 48 of them;
// they decode to 35 bytes starting 0x8B 0x01; the parity byte matches.
// Decoding runs in constant time for inputs of valid characters and length.
// The caller owns the result and should clear it when done.
func DecodeRecoveryKey(s string) ([]byte, error) {
	var digits [recoveryChars]byte
	defer clear(digits[:])
	n := 0
	pos := 0
	bad := 0 // position of the first bad character, 0 if none
	for _, r := range s {
		pos++
		if unicode.IsSpace(r) {
			continue
		}
		var v byte
		ok := 0
		if r < 0x80 {
			v, ok = base58Value(byte(r))
		}
		if ok == 0 && bad == 0 {
			bad = pos
		}
		if n < recoveryChars {
			digits[n] = v
		}
		n++
	}
	if bad != 0 {
		return nil, &RecoveryKeyError{Problem: RecoveryKeyBadCharacter, Position: bad}
	}
	if n != recoveryChars {
		return nil, &RecoveryKeyError{Problem: RecoveryKeyBadLength, Length: n}
	}

	var wide [recoveryWide]byte
	defer clear(wide[:])
	for _, d := range digits {
		carry := uint32(d)
		for j := recoveryWide - 1; j >= 0; j-- {
			x := uint32(wide[j])*58 + carry
			wide[j] = byte(x)
			carry = x >> 8
		}
	}
	raw := wide[recoveryWide-recoveryRawSize:]
	if wide[0] != 0 {
		return nil, &RecoveryKeyError{Problem: RecoveryKeyBadLength, Length: n}
	}
	if subtle.ConstantTimeByteEq(raw[0], recoveryPrefix0)&subtle.ConstantTimeByteEq(raw[1], recoveryPrefix1) != 1 {
		return nil, &RecoveryKeyError{Problem: RecoveryKeyBadPrefix}
	}
	var parity byte
	for _, b := range raw {
		parity ^= b
	}
	if subtle.ConstantTimeByteEq(parity, 0) != 1 {
		return nil, &RecoveryKeyError{Problem: RecoveryKeyBadParity}
	}
	return append([]byte(nil), raw[2:2+recoveryKeySize]...), nil
}

// inRange returns 1 if lo <= c <= hi and 0 otherwise, without branching on c.
func inRange(c, lo, hi byte) int {
	x := int(c)
	return int(uint(((int(lo)-1-x)&(x-int(hi)-1))>>8) & 1)
}

// The bitcoin base58 alphabet,
// 123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz, as six runs of
// consecutive ASCII characters.
var base58Runs = [...]struct{ lo, hi, first byte }{
	{'1', '9', 0},
	{'A', 'H', 9},
	{'J', 'N', 17},
	{'P', 'Z', 22},
	{'a', 'k', 33},
	{'m', 'z', 44},
}

// base58Value returns the value of the base58 digit c and 1, or 0 and 0 if
// c is not a digit, in constant time.
func base58Value(c byte) (byte, int) {
	var v, ok int
	for _, r := range base58Runs {
		m := inRange(c, r.lo, r.hi)
		v |= -m & (int(c) - int(r.lo) + int(r.first))
		ok |= m
	}
	return byte(v), ok
}

// base58Char returns the base58 digit for v < 58, in constant time.
func base58Char(v byte) byte {
	var c int
	for _, r := range base58Runs {
		m := inRange(v, r.first, r.first+(r.hi-r.lo))
		c |= -m & (int(v) - int(r.first) + int(r.lo))
	}
	return byte(c)
}
