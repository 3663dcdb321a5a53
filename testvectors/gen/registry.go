// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

//go:build libolm

package main

import (
	"fmt"

	"github.com/newt-e2ee/newt/internal/libolm"
	tv "github.com/newt-e2ee/newt/testvectors"
)

// A generator produces the value that is written, as indented JSON, to one
// file of package testvectors. The value should be a struct declared in
// package testvectors, so that tests load it with testvectors.Load.
type generator struct {
	file string
	gen  func() (any, error)
}

var generators []generator

// register adds the generator of file; call it from an init function in the
// file that builds it (see README.md, "Adding a vector file").
func register(file string, gen func() (any, error)) {
	for _, g := range generators {
		if g.file == file {
			panic("gen: two generators for " + file)
		}
	}
	generators = append(generators, generator{file: file, gen: gen})
}

// libolmVersion is the "libolm X.Y.Z" string quoted in generated comments.
func libolmVersion() string {
	a, b, c := libolm.Version()
	return fmt.Sprintf("libolm %d.%d.%d", a, b, c)
}

// answer returns the known answer called name from fixed.json (the one
// home of the fixed answers the generator checks libolm against). A missing
// answer is a broken build of the generator.
func answer(name string) string {
	f, err := tv.Decode[tv.Fixed]("fixed.json")
	if err != nil {
		panic(err)
	}
	for _, a := range f.Answers {
		if a.Name == name {
			return a.Value
		}
	}
	panic("gen: fixed.json has no answer " + name)
}
