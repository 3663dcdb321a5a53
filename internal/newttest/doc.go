// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// Package newttest holds the helpers that newt's tests share, in the way Go
// keeps crypto/internal/cryptotest: one definition of each, imported by the
// _test.go files of every package. Library code must not import it.
package newttest
