// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

//go:build !libolm

package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "libolmstate: build with -tags libolm (needs cgo and libolm-dev 3.2.x)")
	os.Exit(1)
}
