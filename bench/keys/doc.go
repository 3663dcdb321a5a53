// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// Package keysbench compares newt's package keys with mautrix-go v0.33.0, a
// third implementation of the same formats: cross-checks in both directions
// (key export files, backed-up sessions, secret storage, recovery keys) and
// benchmarks of export-file decryption and backup restore. It is a module of
// its own so that mautrix never enters newt's go.mod. See README.md.
package keysbench
