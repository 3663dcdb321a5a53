// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// results are the parsed samples: workload → impl → unit → values.
type results struct {
	order []string // workloads in order of first appearance
	impls []string // implementations in order of first appearance
	data  map[string]map[string]map[string][]float64
}

// procSuffix is the -GOMAXPROCS suffix go test appends to names.
var procSuffix = regexp.MustCompile(`-\d+$`)

// parse reads `go test -bench` output. A result line is
// "BenchmarkName-P  N  v1 unit1  v2 unit2 ..."; the implementation is the
// last "/impl=" element of the name, the workload what precedes it.
// Anything else (headers, PASS, logs) is skipped.
func parse(r io.Reader) (*results, error) {
	res := &results{data: map[string]map[string]map[string][]float64{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") || len(f)%2 != 0 {
			continue
		}
		if _, err := strconv.ParseInt(f[1], 10, 64); err != nil {
			continue
		}
		name := procSuffix.ReplaceAllString(strings.TrimPrefix(f[0], "Benchmark"), "")
		work, im := name, ""
		if i := strings.LastIndex(name, "/impl="); i >= 0 {
			work, im = name[:i], name[i+len("/impl="):]
		}
		units := res.data[work]
		if units == nil {
			units = map[string]map[string][]float64{}
			res.data[work] = units
			res.order = append(res.order, work)
		}
		if units[im] == nil {
			units[im] = map[string][]float64{}
			if !slices.Contains(res.impls, im) {
				res.impls = append(res.impls, im)
			}
		}
		for i := 2; i < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				return nil, fmt.Errorf("line %q: %v", sc.Text(), err)
			}
			units[im][f[i+1]] = append(units[im][f[i+1]], v)
		}
	}
	return res, sc.Err()
}

// median returns the median of v, NaN if v is empty.
func median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// get returns the median of unit for workload w and implementation im.
func (r *results) get(w, im, unit string) float64 {
	return median(r.data[w][im][unit])
}

// columns returns the implementations to show: the known ones in a fixed
// order, then any others.
func (r *results) columns() []string {
	known := []string{"newt", "newt-append", "goolm", "libolm", "floor", "floor-fast"}
	var cols []string
	for _, k := range known {
		if slices.Contains(r.impls, k) {
			cols = append(cols, k)
		}
	}
	for _, im := range r.impls {
		if im != "" && !slices.Contains(cols, im) {
			cols = append(cols, im)
		}
	}
	return cols
}

// fmtTime formats nanoseconds with a unit.
func fmtTime(ns float64) string {
	switch {
	case math.IsNaN(ns):
		return "—"
	case ns >= 1e9:
		return fmt.Sprintf("%.3g s", ns/1e9)
	case ns >= 1e6:
		return fmt.Sprintf("%.3g ms", ns/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.3g µs", ns/1e3)
	}
	return fmt.Sprintf("%.3g ns", ns)
}

// fmtNum formats a count or byte size.
func fmtNum(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	if v == math.Trunc(v) {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}

// samples returns the smallest and largest number of samples per benchmark.
func (r *results) samples() (lo, hi int) {
	lo = math.MaxInt
	for _, ims := range r.data {
		for _, units := range ims {
			n := len(units["ns/op"])
			lo, hi = min(lo, n), max(hi, n)
		}
	}
	return lo, hi
}

// write prints the tables.
func write(w io.Writer, r *results) {
	cols := r.columns()
	lo, hi := r.samples()
	n := strconv.Itoa(lo)
	if hi != lo {
		n = fmt.Sprintf("%d–%d", lo, hi)
	}
	fmt.Fprintf(w, "Medians of %s samples per benchmark. Ratios are medians of per-round ratios (the i-th samples of two implementations paired), or ratios of the medians when the sample counts differ; newt/floor is against the stdlib floor.\n\n", n)

	if r.hasUnit("cpu-ns/op") {
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
	for _, wk := range r.order {
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
			fmt.Fprintf(w, " %s B, %s |", fmtNum(b), fmtNum(a))
		}
		fmt.Fprintln(w)
	}

	var other [][4]string
	for _, wk := range r.order {
		for _, im := range r.impls {
			units := r.data[wk][im]
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
				other = append(other, [4]string{wk, im, u, fmtNum(median(units[u]))})
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
		if len(r.data[wk][c]["ns/op"]) > 0 {
			return true
		}
	}
	return false
}

// hasUnit reports whether any result has the unit.
func (r *results) hasUnit(unit string) bool {
	for _, ims := range r.data {
		for _, units := range ims {
			if len(units[unit]) > 0 {
				return true
			}
		}
	}
	return false
}

// timeTable prints the table of unit (a time per operation in ns) for every
// workload with a time, with the ratios newt/goolm, newt/libolm and
// newt/floor of the medians.
func (r *results) timeTable(w io.Writer, cols []string, unit string) {
	fmt.Fprintf(w, "| workload |")
	for _, c := range cols {
		fmt.Fprintf(w, " %s |", c)
	}
	fmt.Fprintf(w, " newt/goolm | newt/libolm | newt/floor |\n|---|")
	fmt.Fprint(w, strings.Repeat("---:|", len(cols)+3), "\n")
	for _, wk := range r.order {
		if !r.hasTime(wk, cols) {
			continue
		}
		fmt.Fprintf(w, "| %s |", wk)
		for _, c := range cols {
			fmt.Fprintf(w, " %s |", fmtTime(r.get(wk, c, unit)))
		}
		fmt.Fprintf(w, " %s | %s | %s |\n", fmtRatioOf(r.ratio(wk, "newt", "goolm", unit)),
			fmtRatioOf(r.ratio(wk, "newt", "libolm", unit)), fmtRatioOf(r.ratio(wk, "newt", "floor", unit)))
	}
}

// ratio returns the ratio of a's time to b's for workload wk. When both have
// the same number of samples, the samples are paired by position (the i-th
// sample of each comes from the same round of an interleaved run, or the
// same position of -count) and the result is the median of the per-pair
// ratios, which cancels drift of the machine between rounds; otherwise it
// is the ratio of the medians. NaN if either has no sample.
func (r *results) ratio(wk, a, b, unit string) float64 {
	va, vb := r.data[wk][a][unit], r.data[wk][b][unit]
	if len(va) == 0 || len(vb) == 0 {
		return math.NaN()
	}
	if len(va) != len(vb) {
		return median(va) / median(vb)
	}
	q := make([]float64, len(va))
	for i := range va {
		q[i] = va[i] / vb[i]
	}
	return median(q)
}

// fmtRatioOf formats a ratio.
func fmtRatioOf(q float64) string {
	if math.IsNaN(q) || math.IsInf(q, 0) {
		return "—"
	}
	return fmt.Sprintf("%.2f×", q)
}
