// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// Command puregocheck is the start of a mautrix-go bot reduced to what shows
// which Olm backend it runs on: it blank-imports
// github.com/newt-e2ee/newt/mautrix as a bot does, loads an OlmMachine,
// calls each of crypto/olm's constructors, encrypts and decrypts with them,
// and prints what it found, one "name value" pair per line (types with their
// package path), with the build settings (cgo, tags) from the binary's build
// information. The module's
// TestPureGoProgram builds it with CGO_ENABLED=0 and -tags goolm and checks
// the output.
package main
