// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// Command live is newt's side of the live check against vodozemac
// (testvectors/genvz/live.mjs, run by .ci/run): it reads one JSON command
// per line on standard input and answers with one JSON line on standard
// output. It keeps its objects between commands, so the Node side can
// interleave newt and matrix-sdk-crypto-wasm operations (pickles, dehydrated
// devices, ECIES channels). It is a test tool, not an API.
package main
