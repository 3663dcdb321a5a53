// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// Package benchfmt reads the `go test -bench` output of the bench module:
// every result line becomes a sample of one unit (ns/op, cpu-ns/op, B/op,
// allocs/op, …) of one implementation (the last "/impl=" element of the
// benchmark's name) on one workload (what precedes it). It is shared by
// cmd/report (the tables and the chart) and cmd/gate (the CI regression
// gate).
//
// Samples keep their order. In an interleaved run (the benchmark binary run
// once per round) the i-th sample of every benchmark comes from round i, so
// two implementations' samples can be paired by position: see [Results.Ratio].
package benchfmt
