// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// Command report turns `go test -bench` output of the bench module into
// markdown tables: per workload the median cpu-ns/op (process CPU time, when
// the input has it), ns/op, B/op and allocs/op of every implementation, and
// the ratios newt/goolm, newt/libolm, newt/floor and newt/floor-fast.
// Several samples of a benchmark (-count, or interleaved runs) are reduced
// to their median. With -svg it also draws the CPU times (or wall times,
// without cpu-ns/op) of newt, goolm, libolm and the floors as a bar chart on
// a log scale.
//
// Usage:
//
//	go test -run '^$' -bench . -count 6 | tee bench.txt
//	go run ./cmd/report < bench.txt
//	go run ./cmd/report -in bench.txt -svg bench.svg > report.md
package main
