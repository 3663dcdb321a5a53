// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package newttest

// BadVarints are varint encodings that newt's strict message codec refuses
// in a counter or index field (checklist row C3): wider than 32 bits, over
// 64 bits, longer than 10 bytes, or non-minimal. DIVERGENCE: libolm
// truncates wide varints to the field width (so 2^32+5 aliases 5) and
// accepts non-minimal ones.
var BadVarints = map[string][]byte{
	"2^32":                    {0x80, 0x80, 0x80, 0x80, 0x10},
	"2^32+5 (libolm: 5)":      {0x85, 0x80, 0x80, 0x80, 0x10},
	"2^64-1":                  {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01},
	"over 64 bits":            {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02},
	"11 bytes":                {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00},
	"non-minimal 80 00":       {0x80, 0x00},
	"non-minimal 81 80 00":    {0x81, 0x80, 0x00},
	"non-minimal 5 bytes = 1": {0x81, 0x80, 0x80, 0x80, 0x00},
}

// BytesField returns a length-delimited message field, tag ‖ len ‖ v, for
// a v shorter than 128 bytes (a one-byte length).
func BytesField(tag byte, v []byte) []byte {
	if len(v) >= 128 {
		panic("newttest: BytesField of 128 bytes or more")
	}
	return append([]byte{tag, byte(len(v))}, v...)
}
