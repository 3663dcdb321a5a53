// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package megolm

import (
	"fmt"
	"io"
)

// formatRedacted implements [fmt.Formatter] for the types of this package
// that hold secrets (security checklist C25). desc is the type's public
// description, from its String method. %#v prints desc as it is (the
// type's GoString); every other verb, flag, width and precision formats desc
// as fmt formats a string for it (%x is the hex of desc, %d is
// "%!d(string=…)"). No verb ever reaches the struct fields, which fmt would
// otherwise print byte by byte for verbs such as %d and %x.
func formatRedacted(f fmt.State, verb rune, desc string) {
	if verb == 'v' && f.Flag('#') {
		io.WriteString(f, desc)
		return
	}
	fmt.Fprintf(f, fmt.FormatString(f, verb), desc)
}
