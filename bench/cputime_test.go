// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package bench

import (
	"testing"
	"time"
)

// CPU time per operation. On a machine shared with other work, ns/op (wall
// time) counts the time the benchmark waits for a CPU, which drifts with the
// load by far more than the differences being measured. Every benchmark of
// this package therefore also reports cpu-ns/op: the CPU time (user and
// system, all threads of the process: garbage collection and cgo included)
// spent while its timer runs, divided by b.N. Waiting for a CPU is not
// counted; cache and frequency effects of the other work still are, so
// compare ratios within one run. cmd/report tabulates it next to ns/op.

// bt is the *testing.B of one implementation's sub-benchmark. Its
// StartTimer, StopTimer and ResetTimer drive both the wall-clock timer of
// testing.B and the CPU clock behind cpu-ns/op; everything else is
// testing.B's.
type bt struct {
	*testing.B
	cpu     time.Duration // CPU time of the timed sections so far
	started time.Duration // processCPU() when the timer last started
	running bool
}

// StartTimer starts timing (both clocks).
func (b *bt) StartTimer() {
	b.B.StartTimer()
	if !b.running {
		b.started, b.running = processCPU(), true
	}
}

// StopTimer stops timing (both clocks).
func (b *bt) StopTimer() {
	if b.running {
		b.cpu += processCPU() - b.started
		b.running = false
	}
	b.B.StopTimer()
}

// ResetTimer zeroes both clocks (and the allocation counters).
func (b *bt) ResetTimer() {
	b.B.ResetTimer()
	b.cpu = 0
	if b.running {
		b.started = processCPU()
	}
}

// report stops the clocks and reports cpu-ns/op.
func (b *bt) report() {
	b.StopTimer()
	if cpuClock && b.N > 0 {
		b.ReportMetric(float64(b.cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

// runImpl runs f as the sub-benchmark name (impl=...), with allocation
// reporting and cpu-ns/op. testing.B starts its timer before calling the
// sub-benchmark, so the CPU clock starts running too.
func runImpl(b *testing.B, name string, f func(b *bt)) {
	b.Run(name, func(tb *testing.B) {
		tb.ReportAllocs()
		x := &bt{B: tb, started: processCPU(), running: true}
		f(x)
		x.report()
	})
}
