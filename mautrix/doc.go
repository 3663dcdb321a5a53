// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// Package mautrix makes mautrix-go's end-to-end encryption
// (maunium.net/go/mautrix/crypto: OlmMachine, cryptohelper, the SQL crypto
// store, verification) run on newt. A bot switches with one import, for its
// side effect:
//
//	import _ "github.com/newt-e2ee/newt/mautrix"
//
// and builds pure Go, without libolm:
//
//	CGO_ENABLED=0 go build -tags goolm
//
// The goolm tag keeps mautrix from linking libolm through cgo (its default
// backend); this package then replaces goolm with newt before main runs.
// crypto/olm.Driver reads "newt" afterwards, and mautrix logs it when an
// OlmMachine starts. A crypto store written by goolm or libolm keeps working,
// and one written on newt loads in either, because newt reads and writes
// libolm's pickle format byte for byte.
//
// The package has no API. Its init calls
// github.com/newt-e2ee/newt/mautrix/backend.Register, which holds the
// backend's types; import that package instead where this one cannot be
// imported (it imports mautrix's crypto package, so code inside that package,
// such as mautrix's own tests, must call backend.Register itself).
package mautrix
