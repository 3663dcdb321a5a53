// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package wire_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"testing"

	"github.com/newt-e2ee/newt/internal/wire"
)

// cat concatenates byte slices, strings and single bytes (ints).
func cat(parts ...any) []byte {
	var out []byte
	for _, p := range parts {
		switch p := p.(type) {
		case []byte:
			out = append(out, p...)
		case string:
			out = append(out, p...)
		case int:
			out = append(out, byte(p))
		default:
			panic(fmt.Sprintf("cat: %T", p))
		}
	}
	return out
}

// same reports whether a and b are equal, telling nil (missing field) from
// empty (present, zero length).
func same(a, b []byte) bool {
	return (a == nil) == (b == nil) && bytes.Equal(a, b)
}

func sameOlm(a, b wire.OlmMessage) bool {
	return a.Version == b.Version && same(a.RatchetKey, b.RatchetKey) && a.Counter == b.Counter &&
		a.HasCounter == b.HasCounter && same(a.Ciphertext, b.Ciphertext) && same(a.MAC, b.MAC)
}

func samePreKey(a, b wire.PreKeyMessage) bool {
	return a.Version == b.Version && same(a.OneTimeKey, b.OneTimeKey) && same(a.BaseKey, b.BaseKey) &&
		same(a.IdentityKey, b.IdentityKey) && same(a.Message, b.Message)
}

func sameMegolm(a, b wire.MegolmMessage) bool {
	return a.Version == b.Version && a.Index == b.Index && a.HasIndex == b.HasIndex &&
		same(a.Ciphertext, b.Ciphertext) && same(a.MAC, b.MAC) && same(a.Signature, b.Signature)
}

// fieldTags walks a body that decoded successfully (so its varints are valid)
// and returns its tag bytes in order. It is an independent reference walker
// built on encoding/binary.
func fieldTags(body []byte) []byte {
	var tags []byte
	for len(body) > 0 {
		tag := body[0]
		v, n := binary.Uvarint(body[1:])
		body = body[1+n:]
		if tag&7 == 2 {
			body = body[v:]
		}
		tags = append(tags, tag)
	}
	return tags
}

// isCanonical reports whether tags lists only tags from order, each at most
// once, in that order.
func isCanonical(tags, order []byte) bool {
	i := 0
	for _, t := range tags {
		for i < len(order) && order[i] != t {
			i++
		}
		if i == len(order) {
			return false
		}
		i++
	}
	return true
}

var (
	olmOrder    = []byte{0x0A, 0x10, 0x22}
	preKeyOrder = []byte{0x0A, 0x12, 0x1A, 0x22}
	megolmOrder = []byte{0x08, 0x12}
)

// checkDecodeError checks that err is a *wire.DecodeError for want at offset
// (offset < 0: any offset).
func checkDecodeError(t testing.TB, err, want error, offset int) {
	t.Helper()
	var de *wire.DecodeError
	if !errors.As(err, &de) {
		t.Fatalf("error %v (%T) is not a *wire.DecodeError", err, err)
	}
	if !errors.Is(err, want) || (offset >= 0 && de.Offset != offset) {
		t.Fatalf("error %v (offset %d), want %v at offset %d", err, de.Offset, want, offset)
	}
}

// checkOlm is the property shared by the fuzz target and the truncation
// sweep: decoding never panics; on success the canonical re-encoding decodes
// to equal fields, and it is byte-identical iff the input was canonical.
func checkOlm(t testing.TB, b []byte, macLen int) {
	t.Helper()
	m, err := wire.DecodeOlmMessage(b, macLen)
	if err != nil {
		var de *wire.DecodeError
		if !errors.As(err, &de) || !sameOlm(m, wire.OlmMessage{}) {
			t.Fatalf("decode %x: error %v (%T), message %+v", b, err, err, m)
		}
		return
	}
	enc := m.Append(nil)
	if len(enc) != m.EncodedLen() {
		t.Fatalf("EncodedLen %d, Append wrote %d", m.EncodedLen(), len(enc))
	}
	m2, err := wire.DecodeOlmMessage(enc, macLen)
	if err != nil || !sameOlm(m, m2) {
		t.Fatalf("re-decode of %x: %+v, %v; want %+v", enc, m2, err, m)
	}
	canonical := isCanonical(fieldTags(b[1:len(b)-macLen]), olmOrder)
	if canonical != bytes.Equal(enc, b) {
		t.Fatalf("input %x (canonical %v) re-encodes to %x", b, canonical, enc)
	}
	if m.RatchetKey != nil && m.HasCounter && m.Ciphertext != nil {
		body := wire.AppendOlmMessageBody(nil, m.Version, m.RatchetKey, m.Counter, m.Ciphertext)
		if !bytes.Equal(append(body, m.MAC...), enc) {
			t.Fatalf("AppendOlmMessageBody disagrees with Append: %x vs %x", body, enc)
		}
		if n := wire.OlmMessageBodyLen(len(m.RatchetKey), m.Counter, len(m.Ciphertext)); n != len(body) {
			t.Fatalf("OlmMessageBodyLen = %d, body has %d", n, len(body))
		}
	}
}

func checkPreKey(t testing.TB, b []byte) {
	t.Helper()
	m, err := wire.DecodePreKeyMessage(b)
	if err != nil {
		var de *wire.DecodeError
		if !errors.As(err, &de) || !samePreKey(m, wire.PreKeyMessage{}) {
			t.Fatalf("decode %x: error %v (%T), message %+v", b, err, err, m)
		}
		return
	}
	enc := wire.AppendPreKeyMessage(nil, &m)
	if len(enc) != m.EncodedLen() {
		t.Fatalf("EncodedLen %d, Append wrote %d", m.EncodedLen(), len(enc))
	}
	m2, err := wire.DecodePreKeyMessage(enc)
	if err != nil || !samePreKey(m, m2) {
		t.Fatalf("re-decode of %x: %+v, %v; want %+v", enc, m2, err, m)
	}
	canonical := isCanonical(fieldTags(b[1:]), preKeyOrder)
	if canonical != bytes.Equal(enc, b) {
		t.Fatalf("input %x (canonical %v) re-encodes to %x", b, canonical, enc)
	}
	if m.OneTimeKey != nil && m.BaseKey != nil && m.IdentityKey != nil && m.Message != nil {
		hdr := wire.AppendPreKeyMessageHeader(nil, m.Version, m.OneTimeKey, m.BaseKey, m.IdentityKey, len(m.Message))
		if full := append(hdr, m.Message...); !bytes.Equal(full, enc) {
			t.Fatalf("AppendPreKeyMessageHeader disagrees with Append: %x vs %x", full, enc)
		}
		if n := wire.PreKeyMessageLen(len(m.OneTimeKey), len(m.BaseKey), len(m.IdentityKey), len(m.Message)); n != len(enc) {
			t.Fatalf("PreKeyMessageLen = %d, message has %d", n, len(enc))
		}
	}
}

func checkMegolm(t testing.TB, b []byte, macLen, sigLen int) {
	t.Helper()
	m, err := wire.DecodeMegolmMessage(b, macLen, sigLen)
	if err != nil {
		var de *wire.DecodeError
		if !errors.As(err, &de) || !sameMegolm(m, wire.MegolmMessage{}) {
			t.Fatalf("decode %x: error %v (%T), message %+v", b, err, err, m)
		}
		return
	}
	enc := m.Append(nil)
	if len(enc) != m.EncodedLen() {
		t.Fatalf("EncodedLen %d, Append wrote %d", m.EncodedLen(), len(enc))
	}
	m2, err := wire.DecodeMegolmMessage(enc, macLen, sigLen)
	if err != nil || !sameMegolm(m, m2) {
		t.Fatalf("re-decode of %x: %+v, %v; want %+v", enc, m2, err, m)
	}
	canonical := isCanonical(fieldTags(b[1:len(b)-macLen-sigLen]), megolmOrder)
	if canonical != bytes.Equal(enc, b) {
		t.Fatalf("input %x (canonical %v) re-encodes to %x", b, canonical, enc)
	}
	if m.HasIndex && m.Ciphertext != nil {
		body := wire.AppendMegolmMessageBody(nil, m.Version, m.Index, m.Ciphertext)
		if !bytes.Equal(cat(body, m.MAC, m.Signature), enc) {
			t.Fatalf("AppendMegolmMessageBody disagrees with Append: %x vs %x", body, enc)
		}
		if n := wire.MegolmMessageBodyLen(m.Index, len(m.Ciphertext)); n != len(body) {
			t.Fatalf("MegolmMessageBodyLen = %d, body has %d", n, len(body))
		}
	}
}
