// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package ratchet

import (
	"fmt"

	"github.com/newt-e2ee/newt/internal/redact"
)

// Format implements [fmt.Formatter] so that every verb prints
// [Ratchet.String] (the chain indices), formatted as fmt formats a string for
// that verb (security checklist C25). Where fmt cannot call it (a Ratchet in
// an unexported field of another struct), it finds only the address of the
// Box that holds the keys.
func (r *Ratchet) Format(f fmt.State, verb rune) { redact.Format(f, verb, r.String()) }

// GoString is [Ratchet.String], so that %#v prints no secret either.
func (r *Ratchet) GoString() string { return r.String() }
