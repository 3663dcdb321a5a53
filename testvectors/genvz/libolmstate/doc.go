// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// Command libolmstate makes libolm pickles for the vodozemac migration
// vectors: an account with published and unpublished one-time keys and two
// fallback keys, Olm sessions in several states (one with skipped message
// keys) and inbound group sessions, all from the real libolm (cgo), with the
// messages each session must still decrypt. It prints one JSON object on
// standard output; testvectors/genvz/gen.mjs feeds it to matrix-sdk-crypto's
// libolm migration. Inputs come from a fixed SHA-256 counter stream, so the
// output is the same on every run.
package main
