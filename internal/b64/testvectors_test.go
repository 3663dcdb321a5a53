// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package b64_test

import (
	"bytes"
	"testing"

	"github.com/newt-e2ee/newt/internal/b64"
	"github.com/newt-e2ee/newt/testvectors"
)

// TestVectors runs the base64 cases of testvectors/primitives.json: libolm's
// encodings must round-trip, and the strictly invalid inputs (which libolm's
// lenient decoder accepts or garbles) must be rejected.
func TestVectors(t *testing.T) {
	p := testvectors.Load[testvectors.Primitives](t, "primitives.json")
	for i, c := range p.Base64 {
		switch c.Expect {
		case testvectors.ExpectSuccess:
			if got := b64.EncodeToString(c.Decoded); got != c.Encoded {
				t.Errorf("base64[%d] (%s): encode %q, want %q", i, c.Comment, got, c.Encoded)
			}
			got, err := b64.DecodeString(c.Encoded)
			if err != nil || !bytes.Equal(got, c.Decoded) {
				t.Errorf("base64[%d] (%s): decode %x, %v", i, c.Comment, got, err)
			}
		case testvectors.ExpectInvalid:
			if got, err := b64.DecodeString(c.Encoded); err == nil || got != nil {
				t.Errorf("base64[%d] (%s): %q decoded to %x, %v", i, c.Comment, c.Encoded, got, err)
			}
		default:
			t.Errorf("base64[%d]: unexpected expect %q", i, c.Expect)
		}
	}
	// Lengths of every libolm-produced encoding.
	for _, c := range p.Base64 {
		if c.Expect == testvectors.ExpectSuccess && b64.EncodedLen(len(c.Decoded)) != len(c.Encoded) {
			t.Errorf("EncodedLen(%d) = %d, want %d", len(c.Decoded), b64.EncodedLen(len(c.Decoded)), len(c.Encoded))
		}
	}
}
