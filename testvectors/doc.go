// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// Package testvectors embeds newt's known-answer test vectors and loads them
// into typed structs for tests.
//
// There is one JSON file per protocol area (primitives.json, message.json,
// olm.json, megolm.json), and fixed.json holds named fixed known answers of
// libolm and vodozemac ([LoadAnswers]). No test keeps its own copy of a known
// answer. Every file is an object with a top-level "comment", and every test
// case, that is every object inside an array, carries a non-empty "comment"
// that records its provenance (the libolm test file or RFC for a fixed known
// answer, or the libolm function and deterministic inputs for a generated
// case) and, by convention, an "expect" string ("success", "invalid",
// "non-contributory", ...) saying what a conforming implementation must do
// with it. Byte strings are lower-case hex unless a field documents another
// encoding. Load rejects unknown keys, so the Go structs and the JSON files
// cannot drift apart silently.
//
// Generated files are written by testvectors/gen from the real libolm
// (cgo, build tag libolm) with fixed inputs, so regenerating them is
// reproducible byte for byte: run "go generate ./testvectors" on a machine
// with libolm-dev 3.2.x. Plain "go test ./..." needs no libolm: it checks the
// committed answers.
//
// The package is for tests only. Its secrets are public test data.
package testvectors
