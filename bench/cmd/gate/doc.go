// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// Command gate is the benchmark regression gate of newt's CI: it runs the
// bench module's workloads for newt and goolm side by side, in interleaved
// rounds, prints a table, and fails when newt got slower relative to goolm
// or allocates more than it does today.
//
// Every round runs the compiled benchmark binary once over the gated
// workloads, newt's sub-benchmark right before goolm's, so both see the same
// phase of a shared machine. The statistic is the CPU time per operation
// (cpu-ns/op: process CPU time while the timer runs, so time spent waiting
// for a CPU does not count). For each workload the gate takes newt/goolm in
// every round and fails when the median of these per-round ratios exceeds
// the workload's limit, or when newt's allocations per operation exceed
// theirs in any round. The limits (limits.go) sit well above today's ratios,
// so the noise of a loaded 2-core machine does not reach them, and below
// what a real regression costs; bench/README.md shows both.
//
// Usage, from the bench module:
//
//	go run ./cmd/gate                  # build the benchmarks, run, check
//	go run ./cmd/gate -raw gate.txt    # also keep the benchmark output
//	go run ./cmd/gate -in gate.txt     # check saved output, run nothing
//
// The exit status is 0 when every check passes, 1 when one fails, 2 when the
// benchmarks cannot be built or run.
package main
