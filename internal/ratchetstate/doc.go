// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// Package ratchetstate holds an Olm ratchet's state as plain values, so that
// package olm can convert sessions to and from formats other than libolm's
// (vodozemac's JSON pickles, docs/vodozemac-formats.md) without package
// ratchet exporting an API that hands out its keys. Package ratchet installs
// [Of] and [New] when it is initialised.
//
// A State holds secrets in plain fields: keep it local and call
// [State.Clear] when done.
package ratchetstate
