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

// Run runs f as the sub-benchmark name with allocation reporting and the
// cpu-ns/op metric (where the platform has a process CPU clock).
func Run(b *testing.B, name string, f func(b *B)) {
	b.Run(name, func(tb *testing.B) {
		tb.ReportAllocs()
		x := &B{B: tb, started: processCPU(), running: true}
		f(x)
		x.StopTimer()
		if available && tb.N > 0 {
			tb.ReportMetric(float64(x.cpu.Nanoseconds())/float64(tb.N), "cpu-ns/op")
		}
	})
}
