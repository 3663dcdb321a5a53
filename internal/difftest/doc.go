// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// Package difftest runs one sequence of Olm and Megolm operations on newt and
// on another implementation (a [Peer]: libolm through cgo, goolm) from the
// same random bytes and compares every output and every success or failure.
// It is test support, imported only by tests: the libolm fuzz target in this
// package's test files (build tag libolm) and the goolm one in the nested
// module under goolm/.
//
// The operation sequence is read from a fuzzer's bytes (see [Run]): create
// accounts, generate and publish one-time and fallback keys, open Olm
// sessions in either direction, encrypt, deliver in any order, drop,
// replay, tamper with messages and session keys, pickle and unpickle
// (including loading one library's pickle into the other, with wrong keys and
// corrupted pickles), and Megolm create, share, encrypt, decrypt, export and
// import. Every random byte an operation needs comes from a generator seeded
// by the input, and the same bytes go to both libraries: the peer takes them
// as arguments, newt reads them through crypto/rand, which [WithRandom]
// points at exactly those bytes for the duration of one call, so newt's
// public API is exercised as applications call it and the randomness it
// draws is checked to be exactly the peer's.
//
// After every operation the objects it touched are compared: pickles byte for
// byte, session IDs, keys, messages, plaintexts and indexes. A disagreement
// fails the test unless one of the [Difference]s the caller allows (the
// table in the test, one entry per documented way newt is stricter) explains
// it; the engine names the difference from what it knows about the input
// (a low-order key, a malleable signature, a non-canonical base64 string,
// ...), so an allowed name cannot hide an unrelated disagreement.
//
// Replacing crypto/rand.Reader is process-wide: a test that calls [Run] must
// not run in parallel with code that reads crypto/rand.
package difftest
