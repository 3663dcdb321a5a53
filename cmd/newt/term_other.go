// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package main

import (
	"errors"
	"os"
)

// isTerminal reports false: on this system newt cannot turn off echo, so it
// reads secrets as ordinary input (a file or a pipe).
func isTerminal(*os.File) bool { return false }

func readHidden(*os.File) ([]byte, error) {
	return nil, errors.New("cannot read a hidden passphrase on this system")
}
