// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package alias_test

import (
	"testing"

	"github.com/newt-e2ee/newt/internal/alias"
)

func TestOverlaps(t *testing.T) {
	buf := make([]byte, 100, 200)
	other := make([]byte, 50, 100)
	for _, c := range []struct {
		name     string
		dst, src []byte
		want     bool
	}{
		{"in place", buf[:0], buf[:10], true},
		{"src inside the spare capacity", buf[:10], buf[20:30], true},
		{"src right after dst", buf[:10], buf[10:20], true},
		{"src ends where dst's spare capacity starts", buf[:10], buf[:10], false},
		{"src straddles dst's end", buf[:10], buf[5:15], true},
		{"src beyond the capacity", buf[:10:20], buf[20:30], false},
		{"no spare capacity", buf[:10:10], buf[:10], false},
		{"empty src", buf[:0], buf[:0], false},
		{"different arrays", buf[:0], other, false},
	} {
		if got := alias.Overlaps(c.dst, c.src); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
