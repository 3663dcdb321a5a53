// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package bench

import (
	"testing"

	"github.com/newt-e2ee/newt/internal/cpuclock"
)

// CPU time per operation. On a machine shared with other work, ns/op (wall
// time) counts the time the benchmark waits for a CPU, which drifts with the
// load by far more than the differences being measured. Every benchmark of
// this package therefore also reports cpu-ns/op (package
// internal/cpuclock); cmd/report tabulates it next to ns/op.

// bt is the *testing.B of one implementation's sub-benchmark: StartTimer,
// StopTimer and ResetTimer drive both clocks.
type bt = cpuclock.B

// runImpl runs f as the sub-benchmark name (impl=...), with allocation
// reporting and cpu-ns/op.
func runImpl(b *testing.B, name string, f func(b *bt)) { cpuclock.Run(b, name, f) }
