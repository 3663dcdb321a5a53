// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// Package cpuclock adds a cpu-ns/op metric to benchmarks (those of bench/,
// bench/keys and mautrix/; only test code imports it): the
// process CPU time (user and system, all threads: garbage collection, cgo
// and SQLite included) spent while the benchmark timer runs, divided by b.N.
// On a machine shared with other work, wall time (ns/op) also counts the
// time spent waiting for a CPU, which drifts with the load by more than the
// differences being measured; CPU time does not. bench/cmd/report tabulates it
// next to ns/op; compare ratios within one run, since cache and frequency
// effects of other work still count.
package cpuclock
