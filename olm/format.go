// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package olm

import (
	"fmt"
	"io"
)

// formatRedacted implements [fmt.Formatter] for the types of this package
// that hold secrets (security checklist C25): every verb formats the
// public description desc as fmt formats a string for that verb, and %#v
// prints desc as it is. Without it, verbs for which fmt does not call
// String (such as %d and %#v) would print the struct fields.
func formatRedacted(f fmt.State, verb rune, desc string) {
	if verb == 'v' && f.Flag('#') {
		io.WriteString(f, desc)
		return
	}
	fmt.Fprintf(f, fmt.FormatString(f, verb), desc)
}

// Format implements [fmt.Formatter]: every verb prints [Account.String],
// never a secret key.
func (a *Account) Format(f fmt.State, verb rune) { formatRedacted(f, verb, a.String()) }

// GoString is [Account.String], so that %#v prints no secret either.
func (a *Account) GoString() string { return a.String() }

// Format implements [fmt.Formatter]: every verb prints [Session.String],
// never a key of the ratchet.
func (s *Session) Format(f fmt.State, verb rune) { formatRedacted(f, verb, s.String()) }

// GoString is [Session.String], so that %#v prints no secret either.
func (s *Session) GoString() string { return s.String() }
