// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// Package alias tells whether an append-style function's output may
// overwrite one of its inputs before it is read: the check behind every
// Append function of newt that accepts a dst sharing memory with its input.
package alias
