// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package canonicaljson

// Reviewer's note: this is a small single-pass recursive-descent parser that
// writes the canonical form as it reads. Object members are written in input
// order; if their keys were not already strictly increasing, the object's
// region of the output is rearranged once at the closing brace. Inputs that
// are already canonical (and the output of encoding/json for maps) therefore
// cost one copy. The grammar is RFC 8259; the output rules are the Matrix
// spec appendix "Canonical JSON".

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

const (
	// MaxDepth is the deepest nesting of arrays and objects accepted.
	MaxDepth = 512

	// MaxSafeInteger is the largest integer magnitude allowed in canonical
	// JSON, 2^53-1 (the Matrix spec's range for integers).
	MaxSafeInteger = 1<<53 - 1

	// maxSafeDigits is the number of decimal digits of MaxSafeInteger.
	maxSafeDigits = 16

	// expCap bounds the exponent accumulated while parsing a number. Any
	// exponent this large makes a non-zero number out of range (or a
	// fraction); the cap keeps the arithmetic far from int overflow.
	expCap = 1 << 40
)

// Top-level keys removed by [SigningBytes] before signing or verifying
// (Matrix spec appendix "Signing JSON").
const (
	keySignatures = "signatures"
	keyUnsigned   = "unsigned"
)

// Errors, wrapped in an [*Error] that records where they were found.
var (
	// ErrSyntax means the input is not JSON (RFC 8259), or has trailing data.
	ErrSyntax = errors.New("canonicaljson: invalid JSON syntax")
	// ErrInvalidUTF8 means a string holds invalid UTF-8 or an escaped
	// UTF-16 surrogate that is not part of a valid pair.
	ErrInvalidUTF8 = errors.New("canonicaljson: invalid UTF-8 or unpaired surrogate")
	// ErrNumber means a number is not an integer in
	// [-MaxSafeInteger, MaxSafeInteger].
	ErrNumber = errors.New("canonicaljson: number is not an integer in [-(2^53-1), 2^53-1]")
	// ErrDuplicateKey means an object has the same key twice.
	ErrDuplicateKey = errors.New("canonicaljson: duplicate object key")
	// ErrNumberForm means a number of signed JSON ([SigningBytes]) is
	// integral but not written as a plain integer: with a fraction, an
	// exponent, or as -0. [Canonicalize] rewrites such numbers; signed JSON
	// refuses them, so that a signature covers one text of its numbers.
	ErrNumberForm = errors.New("canonicaljson: number in signed JSON is not written as a plain integer (no fraction, exponent or -0)")
	// ErrTooDeep means arrays and objects are nested deeper than MaxDepth.
	ErrTooDeep = errors.New("canonicaljson: nesting too deep")
	// ErrNotObject means the top-level value given to SigningBytes is not
	// an object.
	ErrNotObject = errors.New("canonicaljson: top-level value is not an object")
)

// Error reports why and where an input was rejected. Err is one of the
// package's sentinel errors. The input itself is never quoted, since signed
// JSON may carry private data.
type Error struct {
	// Offset is the byte offset in the input at which the problem was found.
	Offset int
	// Err is the kind of problem: ErrSyntax, ErrInvalidUTF8, ErrNumber,
	// ErrNumberForm, ErrDuplicateKey, ErrTooDeep or ErrNotObject.
	Err error
	// Reason says more, for an Offset of -1: why a Go value did not
	// marshal (see [Text]).
	Reason string
}

// Error implements the error interface.
func (e *Error) Error() string {
	if e.Offset < 0 {
		return fmt.Sprintf("%v: %s", e.Err, e.Reason)
	}
	return fmt.Sprintf("%v (at byte %d)", e.Err, e.Offset)
}

// Text returns v itself if it is JSON text ([]byte or json.RawMessage),
// and its encoding/json marshalling otherwise. A value that does not
// marshal is an [*Error] with ErrSyntax, Offset -1 and the reason.
func Text(v any) ([]byte, error) {
	switch t := v.(type) {
	case []byte:
		return t, nil
	case json.RawMessage:
		return t, nil
	}
	data, err := json.Marshal(v)
	if err != nil {
		return nil, &Error{Offset: -1, Err: ErrSyntax, Reason: err.Error()}
	}
	return data, nil
}

// Unwrap returns e.Err.
func (e *Error) Unwrap() error { return e.Err }

// Canonicalize returns the Matrix canonical JSON encoding of the JSON value in
// data. On error it returns nil and an [*Error].
func Canonicalize(data []byte) ([]byte, error) {
	return AppendCanonical(nil, data)
}

// AppendCanonical appends the canonical encoding of data to dst. On error it
// returns nil and an [*Error].
func AppendCanonical(dst, data []byte) ([]byte, error) {
	p := parser{in: data, out: dst}
	return p.run(false)
}

// SigningBytes returns the bytes that Matrix signs for the JSON object in
// data: the canonical encoding of the object without its top-level
// "signatures" and "unsigned" members (nested members with those names are
// kept). The top-level value must be an object ([ErrNotObject]), and every
// number must be an integer in [-(2^53-1), 2^53-1] ([ErrNumber]) written as
// one: no fraction, exponent or minus sign on zero ([ErrNumberForm]), so that
// one signature never covers two texts (1 and 1.0), as matrix-rust-sdk (ruma)
// requires too.
func SigningBytes(data []byte) ([]byte, error) {
	p := parser{in: data, dropTop: true, plainNumbers: true}
	return p.run(true)
}

// parser holds the state of one canonicalisation.
type parser struct {
	in      []byte
	pos     int
	out     []byte
	depth   int
	scratch []byte // unescaped contents of the string being read
	dropTop bool   // drop top-level "signatures" and "unsigned"
	// plainNumbers refuses integral numbers with a fraction, an exponent or a
	// minus sign on zero (ErrNumberForm), instead of rewriting them.
	plainNumbers bool
}

func (p *parser) errAt(off int, err error) error {
	return &Error{Offset: off, Err: err}
}

func (p *parser) fail(err error) error { return p.errAt(p.pos, err) }

func (p *parser) run(needObject bool) ([]byte, error) {
	p.skipSpace()
	if needObject && (p.pos >= len(p.in) || p.in[p.pos] != '{') {
		return nil, p.fail(ErrNotObject)
	}
	if err := p.value(); err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos != len(p.in) {
		return nil, p.fail(ErrSyntax)
	}
	return p.out, nil
}

// skipSpace skips the four whitespace characters RFC 8259 allows.
func (p *parser) skipSpace() {
	for p.pos < len(p.in) {
		switch p.in[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

// value reads one JSON value and appends its canonical form.
func (p *parser) value() error {
	p.skipSpace()
	if p.pos >= len(p.in) {
		return p.fail(ErrSyntax)
	}
	switch c := p.in[p.pos]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		s, err := p.str()
		if err != nil {
			return err
		}
		p.out = appendString(p.out, s)
		return nil
	case c == 't':
		return p.literal("true")
	case c == 'f':
		return p.literal("false")
	case c == 'n':
		return p.literal("null")
	case c == '-' || ('0' <= c && c <= '9'):
		return p.number()
	default:
		return p.fail(ErrSyntax)
	}
}

func (p *parser) literal(lit string) error {
	if len(p.in)-p.pos < len(lit) || string(p.in[p.pos:p.pos+len(lit)]) != lit {
		return p.fail(ErrSyntax)
	}
	p.pos += len(lit)
	p.out = append(p.out, lit...)
	return nil
}

func (p *parser) enter() error {
	p.depth++
	if p.depth > MaxDepth {
		return p.fail(ErrTooDeep)
	}
	return nil
}

// array reads an array; p.in[p.pos] is '['.
func (p *parser) array() error {
	if err := p.enter(); err != nil {
		return err
	}
	p.pos++
	p.out = append(p.out, '[')
	p.skipSpace()
	if p.pos < len(p.in) && p.in[p.pos] == ']' {
		p.pos++
		p.out = append(p.out, ']')
		p.depth--
		return nil
	}
	for {
		if err := p.value(); err != nil {
			return err
		}
		p.skipSpace()
		if p.pos >= len(p.in) {
			return p.fail(ErrSyntax)
		}
		switch p.in[p.pos] {
		case ',':
			p.pos++
			p.out = append(p.out, ',')
		case ']':
			p.pos++
			p.out = append(p.out, ']')
			p.depth--
			return nil
		default:
			return p.fail(ErrSyntax)
		}
	}
}

// member records where one object member was written in p.out.
type member struct {
	key        string
	start, end int  // p.out[start:end] is `"key":value`, without commas
	keyOff     int  // offset of the key in the input, for errors
	dropped    bool // removed by SigningBytes; start and end are stale
}

// object reads an object; p.in[p.pos] is '{'. Members are written in input
// order, separated by commas, and rearranged at the end if their keys were
// not strictly increasing.
func (p *parser) object() error {
	if err := p.enter(); err != nil {
		return err
	}
	top := p.depth == 1
	p.pos++
	open := len(p.out)
	p.out = append(p.out, '{')
	p.skipSpace()
	if p.pos < len(p.in) && p.in[p.pos] == '}' {
		p.pos++
		p.out = append(p.out, '}')
		p.depth--
		return nil
	}

	var members []member
	kept := 0
	sorted := true
	for {
		p.skipSpace()
		if p.pos >= len(p.in) || p.in[p.pos] != '"' {
			return p.fail(ErrSyntax)
		}
		keyOff := p.pos
		before := len(p.out)
		if kept > 0 {
			p.out = append(p.out, ',')
		}
		start := len(p.out)
		kb, err := p.str()
		if err != nil {
			return err
		}
		key := string(kb)
		p.out = appendString(p.out, kb)
		p.skipSpace()
		if p.pos >= len(p.in) || p.in[p.pos] != ':' {
			return p.fail(ErrSyntax)
		}
		p.pos++
		p.out = append(p.out, ':')
		if err := p.value(); err != nil {
			return err
		}

		m := member{key: key, start: start, end: len(p.out), keyOff: keyOff}
		if top && p.dropTop && (key == keySignatures || key == keyUnsigned) {
			p.out = p.out[:before]
			m.dropped = true
		} else {
			kept++
		}
		if len(members) > 0 && members[len(members)-1].key >= key {
			sorted = false
		}
		members = append(members, m)

		p.skipSpace()
		if p.pos >= len(p.in) {
			return p.fail(ErrSyntax)
		}
		if p.in[p.pos] == ',' {
			p.pos++
			continue
		}
		if p.in[p.pos] != '}' {
			return p.fail(ErrSyntax)
		}
		p.pos++
		break
	}

	if !sorted {
		// Stable, so the later of two duplicates comes second.
		slices.SortStableFunc(members, func(a, b member) int { return strings.Compare(a.key, b.key) })
		for i := 1; i < len(members); i++ {
			if members[i].key == members[i-1].key {
				return p.errAt(max(members[i].keyOff, members[i-1].keyOff), ErrDuplicateKey)
			}
		}
		region := slices.Clone(p.out[open+1:])
		base := open + 1
		p.out = p.out[:base]
		n := 0
		for _, m := range members {
			if m.dropped {
				continue
			}
			if n > 0 {
				p.out = append(p.out, ',')
			}
			p.out = append(p.out, region[m.start-base:m.end-base]...)
			n++
		}
	}
	p.out = append(p.out, '}')
	p.depth--
	return nil
}

// str reads a string; p.in[p.pos] is '"'. It returns the unescaped contents,
// valid UTF-8, in p.scratch (overwritten by the next call).
func (p *parser) str() ([]byte, error) {
	p.pos++
	buf := p.scratch[:0]
	for {
		start := p.pos
		for p.pos < len(p.in) {
			c := p.in[p.pos]
			if c == '"' || c == '\\' || c < 0x20 || c >= utf8.RuneSelf {
				break
			}
			p.pos++
		}
		buf = append(buf, p.in[start:p.pos]...)
		if p.pos >= len(p.in) {
			return nil, p.fail(ErrSyntax) // unterminated
		}
		switch c := p.in[p.pos]; {
		case c == '"':
			p.pos++
			p.scratch = buf
			return buf, nil
		case c < 0x20:
			return nil, p.fail(ErrSyntax) // raw control character
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRune(p.in[p.pos:])
			if r == utf8.RuneError && size == 1 {
				return nil, p.fail(ErrInvalidUTF8)
			}
			buf = append(buf, p.in[p.pos:p.pos+size]...)
			p.pos += size
		default: // backslash
			var err error
			if buf, err = p.escape(buf); err != nil {
				return nil, err
			}
		}
	}
}

// escape decodes the escape sequence at p.pos (a backslash) into buf.
func (p *parser) escape(buf []byte) ([]byte, error) {
	if p.pos+1 >= len(p.in) {
		return nil, p.fail(ErrSyntax)
	}
	var c byte
	switch p.in[p.pos+1] {
	case '"':
		c = '"'
	case '\\':
		c = '\\'
	case '/':
		c = '/'
	case 'b':
		c = '\b'
	case 'f':
		c = '\f'
	case 'n':
		c = '\n'
	case 'r':
		c = '\r'
	case 't':
		c = '\t'
	case 'u':
		r, ok := p.hex4(p.pos + 2)
		if !ok {
			return nil, p.fail(ErrSyntax)
		}
		off := p.pos
		p.pos += 6
		if utf16.IsSurrogate(r) {
			// A high surrogate must be followed by an escaped low one.
			if r >= 0xdc00 || p.pos+1 >= len(p.in) || p.in[p.pos] != '\\' || p.in[p.pos+1] != 'u' {
				return nil, p.errAt(off, ErrInvalidUTF8)
			}
			r2, ok := p.hex4(p.pos + 2)
			if !ok {
				return nil, p.fail(ErrSyntax)
			}
			if r2 < 0xdc00 || r2 > 0xdfff {
				return nil, p.errAt(off, ErrInvalidUTF8)
			}
			p.pos += 6
			r = utf16.DecodeRune(r, r2)
		}
		return utf8.AppendRune(buf, r), nil
	default:
		return nil, p.fail(ErrSyntax)
	}
	p.pos += 2
	return append(buf, c), nil
}

// hex4 decodes the four hex digits at p.in[off:off+4].
func (p *parser) hex4(off int) (rune, bool) {
	if off+4 > len(p.in) {
		return 0, false
	}
	var r rune
	for _, c := range p.in[off : off+4] {
		var d byte
		switch {
		case '0' <= c && c <= '9':
			d = c - '0'
		case 'a' <= c && c <= 'f':
			d = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(d)
	}
	return r, true
}

// number reads a number (RFC 8259 grammar) as decimal text and appends it
// as a plain integer: value = digits(int ‖ frac) × 10^(exp − len(frac)).
// Non-integral values and magnitudes above MaxSafeInteger are ErrNumber.
func (p *parser) number() error {
	start := p.pos
	neg := false
	if p.in[p.pos] == '-' {
		neg = true
		p.pos++
	}
	intStart := p.pos
	switch {
	case p.pos < len(p.in) && p.in[p.pos] == '0':
		p.pos++
	case p.pos < len(p.in) && '1' <= p.in[p.pos] && p.in[p.pos] <= '9':
		p.skipDigits()
	default:
		return p.fail(ErrSyntax)
	}
	intPart := p.in[intStart:p.pos]
	var frac []byte
	if p.pos < len(p.in) && p.in[p.pos] == '.' {
		p.pos++
		fs := p.pos
		p.skipDigits()
		if p.pos == fs {
			return p.fail(ErrSyntax)
		}
		frac = p.in[fs:p.pos]
	}
	var exp int64
	hasExp := p.pos < len(p.in) && (p.in[p.pos] == 'e' || p.in[p.pos] == 'E')
	if hasExp {
		p.pos++
		expNeg := false
		if p.pos < len(p.in) && (p.in[p.pos] == '+' || p.in[p.pos] == '-') {
			expNeg = p.in[p.pos] == '-'
			p.pos++
		}
		es := p.pos
		for p.pos < len(p.in) && '0' <= p.in[p.pos] && p.in[p.pos] <= '9' {
			if exp < expCap {
				exp = exp*10 + int64(p.in[p.pos]-'0')
			}
			p.pos++
		}
		if p.pos == es {
			return p.fail(ErrSyntax)
		}
		if expNeg {
			exp = -exp
		}
	}

	// The significant digits are int ‖ frac without leading and trailing
	// zeros; each trailing zero removed raises the exponent by one.
	n := len(intPart) + len(frac)
	digit := func(i int) byte {
		if i < len(intPart) {
			return intPart[i]
		}
		return frac[i-len(intPart)]
	}
	first := 0
	for first < n && digit(first) == '0' {
		first++
	}
	plain := frac == nil && !hasExp
	if first == n {
		if p.plainNumbers && (neg || !plain) {
			return p.errAt(start, ErrNumberForm)
		}
		p.out = append(p.out, '0') // zero, including -0, 0.0 and 0e5
		return nil
	}
	last := n
	e := exp - int64(len(frac))
	for digit(last-1) == '0' {
		last--
		e++
	}
	if e < 0 || int64(last-first)+e > maxSafeDigits {
		return p.errAt(start, ErrNumber)
	}
	var v uint64
	for i := first; i < last; i++ {
		v = v*10 + uint64(digit(i)-'0')
	}
	for ; e > 0; e-- {
		v *= 10
	}
	if v > MaxSafeInteger {
		return p.errAt(start, ErrNumber)
	}
	if p.plainNumbers && !plain {
		return p.errAt(start, ErrNumberForm)
	}
	if neg {
		p.out = append(p.out, '-')
	}
	p.out = appendUint(p.out, v)
	return nil
}

func (p *parser) skipDigits() {
	for p.pos < len(p.in) && '0' <= p.in[p.pos] && p.in[p.pos] <= '9' {
		p.pos++
	}
}

func appendUint(dst []byte, v uint64) []byte {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			break
		}
	}
	return append(dst, b[i:]...)
}

// appendString appends the canonical encoding of the valid UTF-8 string s:
// only '"', '\' and C0 controls are escaped.
func appendString(dst, s []byte) []byte {
	const hexDigits = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i, c := range s {
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"':
			dst = append(dst, '\\', '"')
		case '\\':
			dst = append(dst, '\\', '\\')
		case '\b':
			dst = append(dst, '\\', 'b')
		case '\t':
			dst = append(dst, '\\', 't')
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\f':
			dst = append(dst, '\\', 'f')
		case '\r':
			dst = append(dst, '\\', 'r')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		start = i + 1
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
