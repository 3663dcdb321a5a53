// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package vzpickle

// Reviewer's note: a small strict JSON reader and writer for the few
// shapes serde_json gives vodozemac's pickles (docs/vodozemac-formats.md):
// objects with known members, arrays of byte values, unsigned integers,
// booleans and null. Reading accepts what RFC 8259 allows around tokens
// (whitespace) and members in any order, as serde does; it rejects
// duplicate and unknown members, numbers with a sign, fraction, exponent or
// leading zero, and values out of range. Writing produces serde_json's
// compact form: no whitespace, members in declaration order.

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// maxDepth bounds the nesting the reader follows when it skips a value of a
// matrix-sdk-crypto record.
const maxDepth = 64

// decoder reads one JSON text. The first error sticks: later reads return
// zero values and the error is reported once, with the path of members that
// led to it.
type decoder struct {
	b    []byte
	i    int
	err  error
	path []string
}

func (d *decoder) fail(kind error, detail string) {
	if d.err == nil {
		d.err = newError(d.path, kind, detail)
	}
}

func (d *decoder) ws() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// peek returns the next non-space byte, or 0 at the end.
func (d *decoder) peek() byte {
	d.ws()
	if d.i >= len(d.b) {
		return 0
	}
	return d.b[d.i]
}

// expect consumes byte c.
func (d *decoder) expect(c byte) bool {
	if d.err != nil {
		return false
	}
	if d.peek() != c {
		d.fail(ErrSyntax, "expected '"+string(c)+"'")
		return false
	}
	d.i++
	return true
}

// end checks that only whitespace is left.
func (d *decoder) end() {
	if d.err == nil && d.peek() != 0 {
		d.fail(ErrSyntax, "data after the JSON value")
	}
}

// str reads a string. Escapes are decoded; control characters and invalid
// escapes are errors.
func (d *decoder) str() string {
	if !d.expect('"') {
		return ""
	}
	start := d.i
	for d.i < len(d.b) {
		c := d.b[d.i]
		switch {
		case c == '"':
			s := string(d.b[start:d.i])
			d.i++
			return s
		case c == '\\':
			return d.strSlow(start)
		case c < 0x20:
			d.fail(ErrSyntax, "control character in string")
			return ""
		}
		d.i++
	}
	d.fail(ErrSyntax, "unterminated string")
	return ""
}

// key reads an object key. A key without escapes is returned as a view of
// the input, without a copy: member callbacks must not keep it (ParseRecord
// clones the keys it keeps).
func (d *decoder) key() string {
	if d.peek() == '"' {
		start := d.i + 1
		for j := start; j < len(d.b); j++ {
			c := d.b[j]
			if c == '"' {
				d.i = j + 1
				return unsafe.String(&d.b[start], j-start)
			}
			if c == '\\' || c < 0x20 {
				break
			}
		}
	}
	return d.str()
}

// strSlow finishes a string that has escapes, from its start: the escapes
// of RFC 8259 §7 only.
func (d *decoder) strSlow(start int) string {
	out := append([]byte(nil), d.b[start:d.i]...)
	for d.i < len(d.b) {
		c := d.b[d.i]
		switch {
		case c == '"':
			d.i++
			return string(out)
		case c < 0x20:
			d.fail(ErrSyntax, "control character in string")
			return ""
		case c != '\\':
			out = append(out, c)
			d.i++
			continue
		}
		if d.i+1 >= len(d.b) {
			break
		}
		e := d.b[d.i+1]
		d.i += 2
		switch e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := d.hex4()
			if !ok {
				d.fail(ErrSyntax, "invalid escape in string")
				return ""
			}
			if utf16.IsSurrogate(r) {
				// A surrogate pair: the low half must follow.
				if d.i+1 < len(d.b) && d.b[d.i] == '\\' && d.b[d.i+1] == 'u' {
					d.i += 2
					if r2, ok := d.hex4(); ok {
						r = utf16.DecodeRune(r, r2)
					} else {
						r = utf8.RuneError
					}
				} else {
					r = utf8.RuneError
				}
			}
			out = utf8.AppendRune(out, r)
		default:
			d.fail(ErrSyntax, "invalid escape in string")
			return ""
		}
	}
	d.fail(ErrSyntax, "unterminated string")
	return ""
}

// hex4 reads the four hex digits of a \u escape.
func (d *decoder) hex4() (rune, bool) {
	if len(d.b)-d.i < 4 {
		return 0, false
	}
	var r rune
	for _, c := range d.b[d.i : d.i+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	d.i += 4
	return r, true
}

// object reads an object, calling member for each key with the decoder
// positioned at its value; member must consume the value.
func (d *decoder) object(member func(key string)) {
	if !d.expect('{') {
		return
	}
	if d.peek() == '}' {
		d.i++
		return
	}
	for d.err == nil {
		key := d.key()
		if !d.expect(':') {
			return
		}
		d.path = append(d.path, pathName(key))
		member(key)
		d.path = d.path[:len(d.path)-1]
		if d.err != nil {
			return
		}
		switch d.peek() {
		case ',':
			d.i++
		case '}':
			d.i++
			return
		default:
			d.fail(ErrSyntax, "expected ',' or '}'")
			return
		}
	}
}

// array reads an array, calling elem for each element.
func (d *decoder) array(elem func(i int)) {
	if !d.expect('[') {
		return
	}
	if d.peek() == ']' {
		d.i++
		return
	}
	for n := 0; d.err == nil; n++ {
		elem(n)
		if d.err != nil {
			return
		}
		switch d.peek() {
		case ',':
			d.i++
		case ']':
			d.i++
			return
		default:
			d.fail(ErrSyntax, "expected ',' or ']'")
			return
		}
	}
}

// uint reads an unsigned integer of at most max: digits only, no leading
// zero.
func (d *decoder) uint(max uint64) uint64 {
	if d.err != nil {
		return 0
	}
	d.ws()
	start := d.i
	var v uint64
	for d.i < len(d.b) && d.b[d.i] >= '0' && d.b[d.i] <= '9' {
		digit := uint64(d.b[d.i] - '0')
		if v > (max-digit)/10 {
			d.fail(ErrRange, "number out of range")
			return 0
		}
		v = v*10 + digit
		d.i++
	}
	switch n := d.i - start; {
	case n == 0:
		d.fail(ErrSyntax, "expected an unsigned integer")
		return 0
	case n > 1 && d.b[start] == '0':
		d.fail(ErrSyntax, "number with a leading zero")
		return 0
	}
	if d.i < len(d.b) {
		switch d.b[d.i] {
		case '.', 'e', 'E', '-', '+':
			d.fail(ErrSyntax, "expected an unsigned integer")
			return 0
		}
	}
	return v
}

// bytes reads an array of exactly len(dst) integers 0..255 into dst.
func (d *decoder) bytes(dst []byte) {
	if d.err == nil && len(dst) > 0 && d.bytesCompact(dst) {
		return
	}
	if !d.expect('[') {
		return
	}
	if d.peek() == ']' {
		d.i++
		if len(dst) != 0 {
			d.fail(ErrLength, "expected "+strconv.Itoa(len(dst))+" bytes, got 0")
		}
		return
	}
	n := 0
	for {
		v := d.byteValue()
		if d.err != nil {
			return
		}
		dst[n] = v
		n++
		switch d.peek() {
		case ',':
			d.i++
			if n == len(dst) {
				d.fail(ErrLength, "more than "+strconv.Itoa(len(dst))+" bytes")
				return
			}
			continue
		case ']':
			d.i++
			if n != len(dst) {
				d.fail(ErrLength, "expected "+strconv.Itoa(len(dst))+" bytes, got "+strconv.Itoa(n))
			}
			return
		}
		d.fail(ErrSyntax, "expected ',' or ']'")
		return
	}
}

// bytesCompact is the fast path of bytes for serde_json's compact output
// ("[12,0,255]" with no whitespace). It reports false, consuming nothing,
// on anything else; the general path then reads (or rejects) the input.
func (d *decoder) bytesCompact(dst []byte) bool {
	b, i := d.b, d.i
	if i >= len(b) || b[i] != '[' {
		return false
	}
	i++
	for k := range dst {
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			return false
		}
		v := uint(b[i] - '0')
		i++
		if v != 0 {
			for n := 1; n < 3 && i < len(b) && b[i] >= '0' && b[i] <= '9'; n++ {
				v = v*10 + uint(b[i]-'0')
				i++
			}
		}
		if v > 255 || i >= len(b) {
			return false
		}
		dst[k] = byte(v)
		switch {
		case b[i] == ',' && k+1 < len(dst):
			i++
		case b[i] == ']' && k+1 == len(dst):
			d.i = i + 1
			return true
		default:
			return false
		}
	}
	return false
}

// byteValue reads an integer 0..255.
func (d *decoder) byteValue() byte {
	// Fast path: 1 to 3 digits without a leading zero, followed by ',' or
	// ']' (serde_json's compact output).
	if j := d.i; j+1 < len(d.b) {
		v, n := uint(0), 0
		for n < 3 && j+n < len(d.b) && d.b[j+n] >= '0' && d.b[j+n] <= '9' {
			v = v*10 + uint(d.b[j+n]-'0')
			n++
		}
		if n > 0 && (n == 1 || d.b[j] != '0') && v <= 255 && j+n < len(d.b) && (d.b[j+n] == ',' || d.b[j+n] == ']') {
			d.i = j + n
			return byte(v)
		}
	}
	return byte(d.uint(255))
}

// boolean reads true or false.
func (d *decoder) boolean() bool {
	if d.err != nil {
		return false
	}
	switch d.peek() {
	case 't':
		if d.literal("true") {
			return true
		}
	case 'f':
		if d.literal("false") {
			return false
		}
	}
	d.fail(ErrSyntax, "expected true or false")
	return false
}

// null consumes null if it is next and reports whether it was.
func (d *decoder) null() bool {
	if d.err != nil || d.peek() != 'n' {
		return false
	}
	if !d.literal("null") {
		d.fail(ErrSyntax, "invalid literal")
		return false
	}
	return true
}

func (d *decoder) literal(s string) bool {
	if len(d.b)-d.i < len(s) || string(d.b[d.i:d.i+len(s)]) != s {
		return false
	}
	d.i += len(s)
	return true
}

// skip consumes any JSON value, checking its syntax, and returns its text.
func (d *decoder) skip() []byte {
	d.ws()
	start := d.i
	d.skipValue(0)
	if d.err != nil {
		return nil
	}
	return d.b[start:d.i]
}

func (d *decoder) skipValue(depth int) {
	if depth > maxDepth {
		d.fail(ErrSyntax, "nesting too deep")
		return
	}
	switch c := d.peek(); {
	case c == '{':
		d.object(func(string) { d.skipValue(depth + 1) })
	case c == '[':
		d.array(func(int) { d.skipValue(depth + 1) })
	case c == '"':
		d.str()
	case c == 't' || c == 'f':
		d.boolean()
	case c == 'n':
		d.null()
	case c == '-' || c >= '0' && c <= '9':
		d.number()
	default:
		d.fail(ErrSyntax, "expected a value")
	}
}

// number consumes any RFC 8259 number.
func (d *decoder) number() {
	start := d.i
	if d.i < len(d.b) && d.b[d.i] == '-' {
		d.i++
	}
	digits := func() int {
		n := 0
		for d.i < len(d.b) && d.b[d.i] >= '0' && d.b[d.i] <= '9' {
			d.i++
			n++
		}
		return n
	}
	intStart := d.i
	if n := digits(); n == 0 || n > 1 && d.b[intStart] == '0' {
		d.i = start
		d.fail(ErrSyntax, "invalid number")
		return
	}
	if d.i < len(d.b) && d.b[d.i] == '.' {
		d.i++
		if digits() == 0 {
			d.fail(ErrSyntax, "invalid number")
			return
		}
	}
	if d.i < len(d.b) && (d.b[d.i] == 'e' || d.b[d.i] == 'E') {
		d.i++
		if d.i < len(d.b) && (d.b[d.i] == '+' || d.b[d.i] == '-') {
			d.i++
		}
		if digits() == 0 {
			d.fail(ErrSyntax, "invalid number")
		}
	}
}

// member is one member of an object layout: its name (and the alias serde
// also accepts, if any), whether it may be absent, and how to read its value.
type member struct {
	name, alias string
	optional    bool
	read        func()
}

// req is a required member; read reads its value.
func req(name string, read func()) member { return member{name: name, read: read} }

// opt is a member that may be absent.
func opt(name string, read func()) member { return member{name: name, optional: true, read: read} }

// members reads an object of the layout ms: members in any order, each at
// most once, no others, and every member that is not optional present. It
// returns the members seen, bit i for ms[i].
func (d *decoder) members(ms ...member) (seen uint32) {
	d.object(func(key string) {
		for i := range ms {
			if key != ms[i].name && (ms[i].alias == "" || key != ms[i].alias) {
				continue
			}
			if seen&(1<<i) != 0 {
				d.fail(ErrDuplicateField, "duplicate member")
				return
			}
			seen |= 1 << i
			ms[i].read()
			return
		}
		d.unknown(key)
	})
	var required uint32
	for i := range ms {
		if !ms[i].optional {
			required |= 1 << i
		}
	}
	d.require(seen, required, ms)
	return seen
}

// require fails unless every member of ms in mask was seen, naming the
// first one missing.
func (d *decoder) require(seen, mask uint32, ms []member) {
	if d.err != nil || seen&mask == mask {
		return
	}
	for i := range ms {
		if mask&(1<<i) != 0 && seen&(1<<i) == 0 {
			d.fail(ErrMissingField, "missing member "+strconv.Quote(ms[i].name))
			return
		}
	}
}

// variant reads serde's externally tagged enum, an object of exactly one
// member named after the variant; read reads the variant's value.
func (d *decoder) variant(read func(name string)) {
	n := 0
	d.object(func(key string) {
		n++
		if n > 1 {
			d.fail(ErrSyntax, "more than one variant")
			return
		}
		read(key)
	})
	if n == 0 {
		d.fail(ErrSyntax, "empty enum")
	}
}

// inner reads a list serde wraps as {"inner":[...]}, calling elem for each
// element; an element beyond the max-th fails with ErrTooMany ("more than
// <max> <what>").
func (d *decoder) inner(max int, what string, elem func(i int)) {
	d.members(req("inner", func() {
		d.array(func(i int) {
			if i == max {
				d.fail(ErrTooMany, "more than "+strconv.Itoa(max)+" "+what)
				return
			}
			elem(i)
		})
	}))
}

// finish ends the reading of v, a top-level value: only whitespace may
// follow it. On any error it clears v's secrets and returns the error.
func finish[P interface{ Clear() }](d *decoder, v P) (P, error) {
	d.end()
	if d.err != nil {
		v.Clear()
		var none P
		return none, d.err
	}
	return v, nil
}

// unknown fails for a member the layout does not have.
func (d *decoder) unknown(string) {
	d.fail(ErrUnknownField, "unknown member")
}

// pathName is the name of member key in an error path: the key itself if
// it is a short identifier (a member of a known layout or a plausible one),
// else "<key>" (map keys and anything else that is data).
func pathName(key string) string {
	if len(key) == 0 || len(key) > 32 {
		return "<key>"
	}
	for i := 0; i < len(key); i++ {
		if c := key[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_') {
			return "<key>"
		}
	}
	return key
}

// ---- writing --------------------------------------------------------------

// byteText holds the decimal text of every byte value.
var byteText = func() (t [256]string) {
	for i := range t {
		t[i] = strconv.Itoa(i)
	}
	return t
}()

// appendBytes appends b as a JSON array of numbers.
func appendBytes(dst, b []byte) []byte {
	dst = append(dst, '[')
	for i, v := range b {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, byteText[v]...)
	}
	return append(dst, ']')
}

func appendUint(dst []byte, v uint64) []byte { return strconv.AppendUint(dst, v, 10) }

func appendBool(dst []byte, v bool) []byte {
	if v {
		return append(dst, "true"...)
	}
	return append(dst, "false"...)
}
