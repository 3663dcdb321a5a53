// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package cpuclock

import (
	"testing"
	"time"
)

// B is a *testing.B whose StartTimer, StopTimer and ResetTimer drive both the
// wall-clock timer of testing.B and the CPU clock behind cpu-ns/op.
type B struct {
	*testing.B
	cpu     time.Duration // CPU time of the timed sections so far
	started time.Duration // processCPU() when the timer last started
	running bool
}

// StartTimer starts timing (both clocks).
func (b *B) StartTimer() {
	b.B.StartTimer()
	if !b.running {
		b.started, b.running = processCPU(), true
	}
}

// StopTimer stops timing (both clocks).
func (b *B) StopTimer() {
	if b.running {
		b.cpu += processCPU() - b.started
		b.running = false
	}
	b.B.StopTimer()
}

// ResetTimer zeroes both clocks and the allocation counters.
func (b *B) ResetTimer() {
	b.B.ResetTimer()
	b.cpu = 0
	if b.running {
		b.started = processCPU()
	}
}

// CPU returns the CPU time of the timed sections so far, the running one
// included.
func (b *B) CPU() time.Duration {
	if b.running {
		return b.cpu + processCPU() - b.started
	}
	return b.cpu
}

// Start wraps tb, whose timer testing.B has just started, with allocation
// reporting and the CPU clock running; call [B.Report] when done.
func Start(tb *testing.B) *B {
	tb.ReportAllocs()
	return &B{B: tb, started: processCPU(), running: true}
}

// Report stops both clocks and reports cpu-ns/op (where the platform has a
// process CPU clock).
func (b *B) Report() {
	b.StopTimer()
	if available && b.N > 0 {
		b.ReportMetric(float64(b.cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

// Run runs f as the sub-benchmark name with allocation reporting and the
// cpu-ns/op metric. testing.B starts its timer before calling a
// sub-benchmark, so the CPU clock starts running too.
func Run(b *testing.B, name string, f func(b *B)) {
	b.Run(name, func(tb *testing.B) {
		x := Start(tb)
		f(x)
		x.Report()
	})
}
