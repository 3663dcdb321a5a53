// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package wire_test

import (
	"bytes"
	"testing"

	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/internal/wire"
)

var (
	rk   = []byte("ratchetkey")
	ct   = []byte("ciphertext")
	mac8 = []byte("hmacsha2")
	ff9  = bytes.Repeat([]byte{0xff}, 9)
)

// TestOlmDecodingPolicy pins the decoding policy of the package doc for Olm
// messages (MAC length 8). Each row tests one decision.
func TestOlmDecodingPolicy(t *testing.T) {
	full := wire.OlmMessage{Version: 3, RatchetKey: rk, Counter: 1, HasCounter: true, Ciphertext: ct, MAC: mac8}
	tests := []struct {
		name   string
		in     []byte
		err    error // nil: success with want
		offset int
		want   wire.OlmMessage
	}{
		// Canonical libolm order.
		{"canonical", cat(3, 0x0a, 10, rk, 0x10, 1, 0x22, 10, ct, mac8), nil, 0, full},
		// Any field order is accepted (libolm test_message.cpp decodes counter first).
		{"counter first", cat(3, 0x10, 1, 0x0a, 10, rk, 0x22, 10, ct, mac8), nil, 0, full},
		{"reversed", cat(3, 0x22, 10, ct, 0x10, 1, 0x0a, 10, rk, mac8), nil, 0, full},
		// The version byte is returned, not checked.
		{"version 2 returned", cat(2, 0x0a, 10, rk, 0x10, 1, 0x22, 10, ct, mac8), nil, 0,
			wire.OlmMessage{Version: 2, RatchetKey: rk, Counter: 1, HasCounter: true, Ciphertext: ct, MAC: mac8}},
		// Unknown fields with wire type 0 or 2 are skipped, as libolm does.
		{"unknown varint field 3", cat(3, 0x18, 5, 0x0a, 10, rk, 0x10, 1, 0x22, 10, ct, mac8), nil, 0, full},
		{"unknown bytes field 5", cat(3, 0x0a, 10, rk, 0x2a, 2, "xy", 0x10, 1, 0x22, 10, ct, mac8), nil, 0, full},
		{"unknown empty bytes field 15", cat(3, 0x7a, 0, 0x0a, 10, rk, 0x10, 1, 0x22, 10, ct, mac8), nil, 0, full},
		{"unknown varint wider than 32 bits", cat(3, 0x18, ff9, 1, 0x0a, 10, rk, 0x10, 1, 0x22, 10, ct, mac8), nil, 0, full},
		// Other wire types are rejected (libolm silently stops parsing).
		{"wire type 1 (fixed64)", cat(3, 0x19, 0, 0, 0, 0, 0, 0, 0, 0, mac8), wire.ErrBadWireType, 1, wire.OlmMessage{}},
		{"wire type 3 (group start)", cat(3, 0x0a, 10, rk, 0x1b, mac8), wire.ErrBadWireType, 13, wire.OlmMessage{}},
		{"wire type 4 (group end)", cat(3, 0x1c, mac8), wire.ErrBadWireType, 1, wire.OlmMessage{}},
		{"wire type 5 (fixed32)", cat(3, 0x1d, 0, 0, 0, 0, mac8), wire.ErrBadWireType, 1, wire.OlmMessage{}},
		// A known field number with the wrong wire type is rejected (libolm
		// would skip it as unknown, prost would reject it).
		{"ratchet key as varint", cat(3, 0x08, 1, mac8), wire.ErrBadWireType, 1, wire.OlmMessage{}},
		{"counter as bytes", cat(3, 0x12, 1, 0, mac8), wire.ErrBadWireType, 1, wire.OlmMessage{}},
		{"ciphertext as varint", cat(3, 0x20, 1, mac8), wire.ErrBadWireType, 1, wire.OlmMessage{}},
		// Tags are one byte with a non-zero field number.
		{"multi-byte tag", cat(3, 0x82, 0x01, 0, mac8), wire.ErrBadTag, 1, wire.OlmMessage{}},
		{"field number 0, varint", cat(3, 0x00, mac8), wire.ErrBadTag, 1, wire.OlmMessage{}},
		{"field number 0, bytes", cat(3, 0x02, 0, mac8), wire.ErrBadTag, 1, wire.OlmMessage{}},
		// Duplicate known fields are rejected (libolm keeps the last one).
		{"duplicate ratchet key", cat(3, 0x0a, 10, rk, 0x0a, 10, rk, mac8), wire.ErrDuplicateField, 13, wire.OlmMessage{}},
		{"duplicate counter", cat(3, 0x10, 1, 0x10, 1, mac8), wire.ErrDuplicateField, 3, wire.OlmMessage{}},
		{"duplicate counter, other value", cat(3, 0x10, 1, 0x0a, 10, rk, 0x10, 2, mac8), wire.ErrDuplicateField, 15, wire.OlmMessage{}},
		{"duplicate ciphertext", cat(3, 0x22, 0, 0x22, 10, ct, mac8), wire.ErrDuplicateField, 3, wire.OlmMessage{}},
		// Counters are u32: the largest value fits, one more overflows.
		{"counter 2^32-1", cat(3, 0x10, 0xff, 0xff, 0xff, 0xff, 0x0f, mac8), nil, 0,
			wire.OlmMessage{Version: 3, Counter: 0xFFFFFFFF, HasCounter: true, MAC: mac8}},
		{"counter 2^32", cat(3, 0x10, 0x80, 0x80, 0x80, 0x80, 0x10, mac8), wire.ErrVarintOverflow, 2, wire.OlmMessage{}},
		{"counter 2^64-1", cat(3, 0x10, ff9, 0x01, mac8), wire.ErrVarintOverflow, 2, wire.OlmMessage{}},
		// Varints are at most 64 bits (libolm wraps silently).
		{"counter 2^64", cat(3, 0x10, bytes.Repeat([]byte{0x80}, 9), 0x02, mac8), wire.ErrVarintOverflow, 2, wire.OlmMessage{}},
		{"11-byte varint", cat(3, 0x10, ff9, 0xff, 0x01, mac8), wire.ErrVarintOverflow, 2, wire.OlmMessage{}},
		{"11-byte unknown varint", cat(3, 0x18, ff9, 0xff, 0x01, mac8), wire.ErrVarintOverflow, 2, wire.OlmMessage{}},
		{"11-byte length", cat(3, 0x22, ff9, 0xff, 0x01, mac8), wire.ErrVarintOverflow, 2, wire.OlmMessage{}},
		// Varints must be minimal (SECURITY.md row C3).
		{"non-minimal counter 0x80 0x00", cat(3, 0x10, 0x80, 0x00, mac8), wire.ErrNonMinimalVarint, 2, wire.OlmMessage{}},
		{"non-minimal counter 0x81 0x00", cat(3, 0x10, 0x81, 0x00, mac8), wire.ErrNonMinimalVarint, 2, wire.OlmMessage{}},
		{"non-minimal length", cat(3, 0x0a, 0x8a, 0x00, rk, mac8), wire.ErrNonMinimalVarint, 2, wire.OlmMessage{}},
		{"non-minimal unknown varint", cat(3, 0x18, 0x80, 0x00, mac8), wire.ErrNonMinimalVarint, 2, wire.OlmMessage{}},
		// Unterminated varints: the body ends where the MAC starts.
		{"unterminated counter before MAC", cat(3, 0x10, 0x80, mac8), wire.ErrTruncated, 2, wire.OlmMessage{}},
		{"tag without value", cat(3, 0x0a, 10, rk, 0x10, mac8), wire.ErrTruncated, 14, wire.OlmMessage{}},
		// Lengths past the end (into the MAC) are rejected.
		{"length one past end", cat(3, 0x22, 11, ct, mac8), wire.ErrTruncated, 2, wire.OlmMessage{}},
		{"length 2^32-1", cat(3, 0x22, 0xff, 0xff, 0xff, 0xff, 0x0f, ct, mac8), wire.ErrTruncated, 2, wire.OlmMessage{}},
		{"length 2^64-1", cat(3, 0x22, ff9, 0x01, ct, mac8), wire.ErrTruncated, 2, wire.OlmMessage{}},
		{"unknown field length past end", cat(3, 0x2a, 3, "xy", mac8), wire.ErrTruncated, 2, wire.OlmMessage{}},
		// Missing fields are reported, not rejected; empty fields are present.
		{"no fields (vodozemac [3, 0x8])", cat(3, mac8), nil, 0, wire.OlmMessage{Version: 3, MAC: mac8}},
		{"empty fields", cat(3, 0x0a, 0, 0x10, 0, 0x22, 0, mac8), nil, 0,
			wire.OlmMessage{Version: 3, RatchetKey: []byte{}, HasCounter: true, Ciphertext: []byte{}, MAC: mac8}},
		// Length: at least the version byte before the MAC.
		{"only MAC", mac8, wire.ErrTooShort, 0, wire.OlmMessage{}},
		{"shorter than MAC", cat(3, 1, 2), wire.ErrTooShort, 0, wire.OlmMessage{}},
		{"empty", nil, wire.ErrTooShort, 0, wire.OlmMessage{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := wire.DecodeOlmMessage(tt.in, 8)
			if tt.err != nil {
				checkDecodeError(t, err, tt.err, tt.offset)
				if !sameOlm(m, wire.OlmMessage{}) {
					t.Errorf("non-zero message on error: %+v", m)
				}
				return
			}
			if err != nil || !sameOlm(m, tt.want) {
				t.Fatalf("decode = %+v, %v; want %+v", m, err, tt.want)
			}
			checkOlm(t, tt.in, 8)
		})
	}
}

// TestPreKeyDecodingPolicy pins the policy for pre-key messages (no MAC).
func TestPreKeyDecodingPolicy(t *testing.T) {
	k1, k2, k3 := bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32), bytes.Repeat([]byte{3}, 32)
	inner := cat(3, 0x0a, 10, rk, 0x10, 1, 0x22, 10, ct, mac8)
	full := wire.PreKeyMessage{Version: 3, OneTimeKey: k1, BaseKey: k2, IdentityKey: k3, Message: inner}
	tests := []struct {
		name   string
		in     []byte
		err    error
		offset int
		want   wire.PreKeyMessage
	}{
		// Canonical libolm order: 0x0A otk, 0x12 base, 0x1A identity, 0x22 message.
		{"canonical", cat(3, 0x0a, 32, k1, 0x12, 32, k2, 0x1a, 32, k3, 0x22, len(inner), inner), nil, 0, full},
		// Any order.
		{"message first", cat(3, 0x22, len(inner), inner, 0x1a, 32, k3, 0x12, 32, k2, 0x0a, 32, k1), nil, 0, full},
		// The outer version is returned, never checked (libolm checks only
		// the inner message's version, in olm::Ratchet::decrypt).
		{"outer version 2", cat(2, 0x0a, 32, k1, 0x12, 32, k2, 0x1a, 32, k3, 0x22, len(inner), inner), nil, 0,
			wire.PreKeyMessage{Version: 2, OneTimeKey: k1, BaseKey: k2, IdentityKey: k3, Message: inner}},
		// Unknown fields skipped.
		{"unknown fields", cat(3, 0x28, 0x7f, 0x0a, 32, k1, 0x12, 32, k2, 0x32, 1, 9, 0x1a, 32, k3, 0x22, len(inner), inner), nil, 0, full},
		// Missing identity key (libolm's _from SIGSEGV case): reported as nil.
		{"no identity key", cat(3, 0x0a, 32, k1, 0x12, 32, k2, 0x22, len(inner), inner), nil, 0,
			wire.PreKeyMessage{Version: 3, OneTimeKey: k1, BaseKey: k2, Message: inner}},
		{"version only", cat(3), nil, 0, wire.PreKeyMessage{Version: 3}},
		// Duplicates rejected.
		{"duplicate identity key", cat(3, 0x1a, 32, k3, 0x1a, 32, k1), wire.ErrDuplicateField, 35, wire.PreKeyMessage{}},
		{"duplicate message", cat(3, 0x22, 0, 0x22, 0), wire.ErrDuplicateField, 3, wire.PreKeyMessage{}},
		// Wrong wire type for a known field; bad tags.
		{"message as varint", cat(3, 0x20, 1), wire.ErrBadWireType, 1, wire.PreKeyMessage{}},
		{"one-time key as fixed32", cat(3, 0x0d, 0, 0, 0, 0), wire.ErrBadWireType, 1, wire.PreKeyMessage{}},
		{"multi-byte tag", cat(3, 0xa2, 0x01, 0), wire.ErrBadTag, 1, wire.PreKeyMessage{}},
		// Lengths.
		{"key length past end", cat(3, 0x0a, 32, k1[:31]), wire.ErrTruncated, 2, wire.PreKeyMessage{}},
		{"non-minimal length", cat(3, 0x0a, 0xa0, 0x00, k1), wire.ErrNonMinimalVarint, 2, wire.PreKeyMessage{}},
		{"empty", nil, wire.ErrTooShort, 0, wire.PreKeyMessage{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := wire.DecodePreKeyMessage(tt.in)
			if tt.err != nil {
				checkDecodeError(t, err, tt.err, tt.offset)
				if !samePreKey(m, wire.PreKeyMessage{}) {
					t.Errorf("non-zero message on error: %+v", m)
				}
				return
			}
			if err != nil || !samePreKey(m, tt.want) {
				t.Fatalf("decode = %+v, %v; want %+v", m, err, tt.want)
			}
			checkPreKey(t, tt.in)
		})
	}
}

// TestMegolmDecodingPolicy pins the policy for Megolm messages (MAC 8,
// signature 64).
func TestMegolmDecodingPolicy(t *testing.T) {
	sig := bytes.Repeat([]byte{0x55}, 64)
	tail := cat(mac8, sig)
	full := wire.MegolmMessage{Version: 3, Index: 200, HasIndex: true, Ciphertext: ct, MAC: mac8, Signature: sig}
	tests := []struct {
		name   string
		in     []byte
		err    error
		offset int
		want   wire.MegolmMessage
	}{
		// Canonical libolm order: 0x08 index, 0x12 ciphertext.
		{"canonical", cat(3, 0x08, 0xc8, 0x01, 0x12, 10, ct, tail), nil, 0, full},
		{"ciphertext first", cat(3, 0x12, 10, ct, 0x08, 0xc8, 0x01, tail), nil, 0, full},
		{"unknown fields", cat(3, 0x18, 0, 0x08, 0xc8, 0x01, 0x22, 1, 0, 0x12, 10, ct, tail), nil, 0, full},
		// Index 0 is a present field (libolm requires it, prost would drop it).
		{"index 0", cat(3, 0x08, 0, 0x12, 10, ct, tail), nil, 0,
			wire.MegolmMessage{Version: 3, HasIndex: true, Ciphertext: ct, MAC: mac8, Signature: sig}},
		{"missing index", cat(3, 0x12, 10, ct, tail), nil, 0,
			wire.MegolmMessage{Version: 3, Ciphertext: ct, MAC: mac8, Signature: sig}},
		// Index is u32.
		{"index 2^32-1", cat(3, 0x08, 0xff, 0xff, 0xff, 0xff, 0x0f, tail), nil, 0,
			wire.MegolmMessage{Version: 3, Index: 0xFFFFFFFF, HasIndex: true, MAC: mac8, Signature: sig}},
		{"index 2^32", cat(3, 0x08, 0x80, 0x80, 0x80, 0x80, 0x10, tail), wire.ErrVarintOverflow, 2, wire.MegolmMessage{}},
		{"non-minimal index", cat(3, 0x08, 0x80, 0x00, tail), wire.ErrNonMinimalVarint, 2, wire.MegolmMessage{}},
		{"duplicate index", cat(3, 0x08, 1, 0x08, 1, tail), wire.ErrDuplicateField, 3, wire.MegolmMessage{}},
		{"index as bytes", cat(3, 0x0a, 1, 1, tail), wire.ErrBadWireType, 1, wire.MegolmMessage{}},
		// The ciphertext cannot reach into the MAC or signature.
		{"ciphertext into MAC", cat(3, 0x08, 0, 0x12, 11, ct, tail), wire.ErrTruncated, 4, wire.MegolmMessage{}},
		// Length: at least the version before MAC and signature.
		{"only MAC and signature", tail, wire.ErrTooShort, 0, wire.MegolmMessage{}},
		{"version only", cat(3, tail), nil, 0, wire.MegolmMessage{Version: 3, MAC: mac8, Signature: sig}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := wire.DecodeMegolmMessage(tt.in, 8, 64)
			if tt.err != nil {
				checkDecodeError(t, err, tt.err, tt.offset)
				if !sameMegolm(m, wire.MegolmMessage{}) {
					t.Errorf("non-zero message on error: %+v", m)
				}
				return
			}
			if err != nil || !sameMegolm(m, tt.want) {
				t.Fatalf("decode = %+v, %v; want %+v", m, err, tt.want)
			}
			checkMegolm(t, tt.in, 8, 64)
		})
	}
}

// TestBadLengths decodes every truncation and some extensions of every
// vector: each is rejected with a *DecodeError or decodes consistently;
// nothing panics.
func TestBadLengths(t *testing.T) {
	km := knownMessages(t)
	vecM1 := km["vecM1"]
	vecM1b := km["vecM1b"]
	vecM2 := km["vecM2"]
	vecM3 := km["vecM3"]
	vecV5 := km["vecV5"]
	vecV6 := km["vecV6"]
	vecGroup0 := km["vecGroup0"]
	vecGroup13 := km["vecGroup13"]
	vecGroupD1 := km["vecGroupD1"]
	vecGroupV4 := km["vecGroupV4"]
	olm := [][]byte{newttest.Base64(t, vecM2), newttest.Base64(t, vecM3), newttest.Base64(t, vecV6),
		cat(3, 0x10, 1, 0x0a, 10, rk, 0x22, 10, ct, mac8)}
	preKey := [][]byte{newttest.Base64(t, vecM1), newttest.Base64(t, vecM1b), newttest.Base64(t, vecV5)}
	megolm := [][]byte{newttest.Base64(t, vecGroup0), newttest.Base64(t, vecGroup13), newttest.Base64(t, vecGroupD1), newttest.Base64(t, vecGroupV4)}
	for _, p := range preKey {
		m, err := wire.DecodePreKeyMessage(p)
		if err != nil {
			t.Fatal(err)
		}
		olm = append(olm, m.Message)
	}
	extend := func(b []byte) [][]byte {
		var out [][]byte
		for i := 0; i <= len(b); i++ {
			out = append(out, b[:i:i])
		}
		return append(out, cat(b, 0), cat(b, 0x80), cat(b, 0x10, 1), cat(b, bytes.Repeat([]byte{0xff}, 11)))
	}
	for _, v := range olm {
		for _, b := range extend(v) {
			for _, macLen := range []int{0, 8, 32} {
				checkOlm(t, b, macLen)
			}
		}
	}
	for _, v := range preKey {
		for _, b := range extend(v) {
			checkPreKey(t, b)
		}
	}
	for _, v := range megolm {
		for _, b := range extend(v) {
			checkMegolm(t, b, 8, 64)
			checkMegolm(t, b, 0, 0)
		}
	}
}

func TestNegativeLengthPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("negative MAC length did not panic")
		}
	}()
	_, _ = wire.DecodeOlmMessage([]byte{3}, -1)
}
