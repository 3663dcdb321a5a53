// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package ratchet

import (
	"fmt"

	"github.com/newt-e2ee/newt/internal/redact"
)

// Format implements [fmt.Formatter] so that every verb prints
// [Ratchet.String] (the chain indices), formatted as fmt formats a string
// for that verb, and never a key (security checklist C25). It has a value
// receiver because a Ratchet is a plain value that callers may copy and
// print; without it, verbs for which fmt does not call String (%d, %#v, and
// any verb on a Ratchet value) would print the keys.
func (r Ratchet) Format(f fmt.State, verb rune) { redact.Format(f, verb, r.String()) }

// GoString is [Ratchet.String], so that %#v prints no secret either.
func (r Ratchet) GoString() string { return r.String() }
