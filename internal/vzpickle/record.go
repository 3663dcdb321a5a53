// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package vzpickle

import "strings"

// Record is a JSON object whose members are kept as raw text in their
// order: matrix-sdk-crypto's records around a vodozemac pickle
// (PickledAccount, PickledSession, PickledInboundGroupSession, the outbound
// group session record). The vodozemac pickle is the member "pickle"; the
// others are metadata such as "created_using_fallback_key" that a round
// trip must keep. Writing a record back gives its input byte for byte when
// the input is compact (as serde_json writes it).
type Record struct {
	members []recordMember
}

type recordMember struct {
	key string
	raw []byte
}

// ParseRecord checks that b is one JSON object (its values are checked for
// syntax, with nesting bounded) and keeps its members. Duplicate keys are
// an error.
func ParseRecord(b []byte) (*Record, error) {
	d := &decoder{b: b}
	r := new(Record)
	d.object(func(key string) {
		for _, m := range r.members {
			if m.key == key {
				d.fail(ErrDuplicateField, "duplicate member")
				return
			}
		}
		raw := d.skip()
		r.members = append(r.members, recordMember{key: strings.Clone(key), raw: raw})
	})
	d.end()
	if d.err != nil {
		return nil, d.err
	}
	return r, nil
}

// Get returns the raw text of member key.
func (r *Record) Get(key string) ([]byte, bool) {
	for _, m := range r.members {
		if m.key == key {
			return m.raw, true
		}
	}
	return nil, false
}

// Set replaces the raw text of member key, or appends the member. raw must
// be one valid JSON value.
func (r *Record) Set(key string, raw []byte) {
	for i := range r.members {
		if r.members[i].key == key {
			r.members[i].raw = raw
			return
		}
	}
	r.members = append(r.members, recordMember{key: key, raw: raw})
}

// Keys returns the member names in order.
func (r *Record) Keys() []string {
	out := make([]string, len(r.members))
	for i, m := range r.members {
		out[i] = m.key
	}
	return out
}

// Bool returns member key as a boolean: ok is false if it is absent or not
// a boolean.
func (r *Record) Bool(key string) (v, ok bool) {
	raw, found := r.Get(key)
	if !found {
		return false, false
	}
	switch string(raw) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return false, false
}

// AppendJSON appends the record in serde_json's compact form.
func (r *Record) AppendJSON(dst []byte) []byte {
	dst = append(dst, '{')
	for i, m := range r.members {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendString(dst, m.key)
		dst = append(dst, ':')
		dst = append(dst, m.raw...)
	}
	return append(dst, '}')
}

// appendString appends s as a JSON string, escaping as serde_json does.
func appendString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			dst = append(dst, '\\', c)
		case c == '\n':
			dst = append(dst, '\\', 'n')
		case c == '\r':
			dst = append(dst, '\\', 'r')
		case c == '\t':
			dst = append(dst, '\\', 't')
		case c == '\b':
			dst = append(dst, '\\', 'b')
		case c == '\f':
			dst = append(dst, '\\', 'f')
		case c < 0x20:
			dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		default:
			dst = append(dst, c)
		}
	}
	return append(dst, '"')
}
