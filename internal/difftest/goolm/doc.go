// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// Package goolm holds the differential fuzz target of newt against goolm
// (maunium.net/go/mautrix/crypto/goolm, the pure-Go Olm inside mautrix-go),
// in its test files. It is a separate module so that mautrix never reaches
// newt's go.mod; it needs no cgo.
package goolm
