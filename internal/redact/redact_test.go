// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package redact_test

import (
	"fmt"
	"testing"

	"github.com/newt-e2ee/newt/internal/redact"
)

// secretThing holds a secret and prints only its description.
type secretThing struct{ key [4]byte }

func (s secretThing) String() string                { return "thing{id: 7}" }
func (s secretThing) Format(f fmt.State, verb rune) { redact.Format(f, verb, s.String()) }

// TestFormat checks that every verb formats the description as a string
// and %#v prints it as it is.
func TestFormat(t *testing.T) {
	v := secretThing{key: [4]byte{0xde, 0xad, 0xbe, 0xef}}
	for verb, want := range map[string]string{
		"%v":   "thing{id: 7}",
		"%+v":  "thing{id: 7}",
		"%#v":  "thing{id: 7}",
		"%s":   "thing{id: 7}",
		"%q":   `"thing{id: 7}"`,
		"%x":   "7468696e677b69643a20377d",
		"%14s": "  thing{id: 7}",
		"%.5s": "thing",
		"%d":   "%!d(string=thing{id: 7})",
	} {
		if got := fmt.Sprintf(verb, v); got != want {
			t.Errorf("%s: %q, want %q", verb, got, want)
		}
	}
}
