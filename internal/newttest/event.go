// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package newttest

import (
	"bytes"
	"encoding/json"
	"testing"
)

// SameContent reports whether the decrypted payload pt, a JSON event,
// carries content (JSON text) as its "content", compared as JSON values.
// It fails the test if pt is not a JSON object.
func SameContent(t testing.TB, pt []byte, content string) bool {
	t.Helper()
	var ev struct {
		Content json.RawMessage `json:"content"`
	}
	if err := json.Unmarshal(pt, &ev); err != nil {
		t.Fatalf("plaintext is not a JSON event: %v", err)
	}
	var a, b any
	if json.Unmarshal(ev.Content, &a) != nil || json.Unmarshal([]byte(content), &b) != nil {
		return false
	}
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}
