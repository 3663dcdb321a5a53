// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package mautrix

import (
	// Package crypto registers goolm or libolm in its init. Importing it
	// here makes Go run that init before this package's (a package is
	// initialised after everything it imports), so newt's registration
	// comes last and stays.
	_ "maunium.net/go/mautrix/crypto"

	"github.com/newt-e2ee/newt/mautrix/backend"
)

func init() {
	backend.Register()
}
