// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package bench

// text is a base64 message, key or pickle. libolm and newt take and return
// strings, goolm mostly []byte; an adapter reads and fills only the form its
// library uses, so the benchmarks time no conversion. Inputs prepared by the
// benchmarks carry both forms (see textOf).
type text struct {
	s    string
	b    []byte
	hasS bool
}

// textOf returns s in both forms.
func textOf(s string) text { return text{s: s, b: []byte(s), hasS: true} }

// strText wraps a string output.
func strText(s string) text { return text{s: s, hasS: true} }

// bytesText wraps a []byte output.
func bytesText(b []byte) text { return text{b: b} }

// str returns the string form, converting if only the bytes are held.
func (t text) str() string {
	if t.hasS {
		return t.s
	}
	return string(t.b)
}

// bytes returns the []byte form, converting if only the string is held.
func (t text) bytes() []byte {
	if t.b != nil || !t.hasS {
		return t.b
	}
	return []byte(t.s)
}

// full returns t with both forms filled in.
func (t text) full() text { return textOf(t.str()) }

// String implements fmt.Stringer.
func (t text) String() string { return t.str() }
