// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// Command gen regenerates the JSON files of package testvectors from the
// real libolm (cgo, build tag libolm).
//
// Run it from the testvectors directory, normally through go generate:
//
//	go generate ./testvectors                      # all registered files
//	go run -tags libolm ./gen -only primitives.json # one file
//	go run -tags libolm ./gen -check               # verify committed files
//
// Every input comes from a fixed deterministic stream (SHA-256 in counter
// mode keyed by a per-section label) or from the fixed known answers of
// fixed.json and libolm's tests, so the output is reproducible byte for byte.
// Fixed known answers are checked against libolm before anything is written.
// Built without the libolm tag, the command only explains how to build it and
// exits 1.
package main
