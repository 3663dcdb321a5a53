// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package redact

import (
	"fmt"
	"io"
)

// Format implements [fmt.Formatter] for a type that holds secrets. desc is
// the type's public description, from its String method. %#v prints desc as
// it is (the type's GoString); every other verb, flag, width and precision
// formats desc as fmt formats a string for it (%x is the hex of desc, %d is
// "%!d(string=…)"). Without it, verbs for which fmt does not call String
// (%d, %x, %#v) would print the struct fields byte by byte.
func Format(f fmt.State, verb rune, desc string) {
	if verb == 'v' && f.Flag('#') {
		io.WriteString(f, desc)
		return
	}
	fmt.Fprintf(f, fmt.FormatString(f, verb), desc)
}
