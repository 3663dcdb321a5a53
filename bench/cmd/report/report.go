// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package main

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/newt-e2ee/newt/bench/internal/benchfmt"
)

// results are the parsed samples, with the helpers the tables use.
type results struct{ *benchfmt.Results }

// parse reads `go test -bench` output (see benchfmt.Parse).
func parse(r io.Reader) (*results, error) {
	res, err := benchfmt.Parse(r)
	if err != nil {
		return nil, err
	}
	return &results{res}, nil
}

// get returns the median of unit for workload w and implementation im.
func (r *results) get(w, im, unit string) float64 { return r.Get(w, im, unit) }

// ratio returns the ratio of a's time to b's (see benchfmt.Results.Ratio).
func (r *results) ratio(wk, a, b, unit string) float64 { return r.Ratio(wk, a, b, unit) }

// columns returns the implementations to show: the known ones in a fixed
// order, then any others.
func (r *results) columns() []string {
	known := []string{"newt", "newt-append", "goolm", "libolm", "floor", "floor-fast"}
	var cols []string
	for _, k := range known {
		if slices.Contains(r.Impls, k) {
			cols = append(cols, k)
		}
	}
	for _, im := range r.Impls {
		if im != "" && !slices.Contains(cols, im) {
			cols = append(cols, im)
		}
	}
	return cols
}

// write prints the tables.
func write(w io.Writer, r *results) {
	cols := r.columns()
	lo, hi := r.SampleCounts()
	n := strconv.Itoa(lo)
	if hi != lo {
		n = fmt.Sprintf("%d–%d", lo, hi)
	}
	fmt.Fprintf(w, "Medians of %s samples per benchmark. Ratios are medians of per-round ratios (the i-th samples of two implementations paired), or ratios of the medians when the sample counts differ; newt/floor is against the stdlib floor.\n\n", n)

	if r.HasUnit("cpu-ns/op") {
		fmt.Fprintf(w, "### CPU time per operation (cpu-ns/op)\n\n")
		fmt.Fprintf(w, "Process CPU time (user + system, all threads) while the benchmark timer runs, divided by the iterations: waiting for a CPU on a loaded machine is not counted.\n\n")
		r.timeTable(w, cols, "cpu-ns/op")
		fmt.Fprintf(w, "\n### Wall time per operation (ns/op)\n\n")
	} else {
		fmt.Fprintf(w, "### Time per operation\n\n")
	}
	r.timeTable(w, cols, "ns/op")
	fmt.Fprintf(w, "\n### Memory per operation (B/op, allocs/op)\n\n| workload |")
	for _, c := range cols {
		fmt.Fprintf(w, " %s |", c)
	}
	fmt.Fprintf(w, "\n|---|%s\n", strings.Repeat("---:|", len(cols)))
	for _, wk := range r.Order {
		if !r.hasTime(wk, cols) {
			continue
		}
		fmt.Fprintf(w, "| %s |", wk)
		for _, c := range cols {
			b, a := r.get(wk, c, "B/op"), r.get(wk, c, "allocs/op")
			if math.IsNaN(b) && math.IsNaN(a) {
				fmt.Fprint(w, " — |")
				continue
			}
			fmt.Fprintf(w, " %s B, %s |", benchfmt.FormatNum(b), benchfmt.FormatNum(a))
		}
		fmt.Fprintln(w)
	}

	var other [][4]string
	for _, wk := range r.Order {
		for _, im := range r.Impls {
			units := r.Data[wk][im]
			var names []string
			for u := range units {
				switch u {
				case "ns/op", "cpu-ns/op", "B/op", "allocs/op", "MB/s":
				default:
					names = append(names, u)
				}
			}
			slices.Sort(names)
			for _, u := range names {
				other = append(other, [4]string{wk, im, u, benchfmt.FormatNum(benchfmt.Median(units[u]))})
			}
		}
	}
	if len(other) > 0 {
		fmt.Fprintf(w, "\n### Other metrics\n\n| benchmark | impl | metric | median |\n|---|---|---|---:|\n")
		for _, o := range other {
			fmt.Fprintf(w, "| %s | %s | %s | %s |\n", o[0], o[1], o[2], o[3])
		}
	}
}

// hasTime reports whether workload wk has a time for any of cols.
func (r *results) hasTime(wk string, cols []string) bool {
	for _, c := range cols {
		if len(r.Data[wk][c]["ns/op"]) > 0 {
			return true
		}
	}
	return false
}

// timeTable prints the table of unit (a time per operation in ns) for every
// workload with a time, with the ratios newt/goolm, newt/libolm, newt/floor
// and newt/floor-fast (see ratio).
func (r *results) timeTable(w io.Writer, cols []string, unit string) {
	fmt.Fprintf(w, "| workload |")
	for _, c := range cols {
		fmt.Fprintf(w, " %s |", c)
	}
	fmt.Fprintf(w, " newt/goolm | newt/libolm | newt/floor | newt/floor-fast |\n|---|")
	fmt.Fprint(w, strings.Repeat("---:|", len(cols)+4), "\n")
	for _, wk := range r.Order {
		if !r.hasTime(wk, cols) {
			continue
		}
		fmt.Fprintf(w, "| %s |", wk)
		for _, c := range cols {
			fmt.Fprintf(w, " %s |", benchfmt.FormatTime(r.get(wk, c, unit)))
		}
		fmt.Fprintf(w, " %s | %s | %s | %s |\n", benchfmt.FormatRatio(r.ratio(wk, "newt", "goolm", unit)),
			benchfmt.FormatRatio(r.ratio(wk, "newt", "libolm", unit)), benchfmt.FormatRatio(r.ratio(wk, "newt", "floor", unit)),
			benchfmt.FormatRatio(r.ratio(wk, "newt", "floor-fast", unit)))
	}
}
