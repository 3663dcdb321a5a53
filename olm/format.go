// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package olm

import (
	"fmt"

	"github.com/newt-e2ee/newt/internal/redact"
)

// Format implements [fmt.Formatter]: every verb prints [Account.String],
// never a secret key.
func (a *Account) Format(f fmt.State, verb rune) { redact.Format(f, verb, a.String()) }

// GoString is [Account.String], so that %#v prints no secret either.
func (a *Account) GoString() string { return a.String() }

// Format implements [fmt.Formatter]: every verb prints [Session.String],
// never a key of the ratchet.
func (s *Session) Format(f fmt.State, verb rune) { redact.Format(f, verb, s.String()) }

// GoString is [Session.String], so that %#v prints no secret either.
func (s *Session) GoString() string { return s.String() }
