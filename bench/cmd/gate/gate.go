// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package main

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/newt-e2ee/newt/bench/internal/benchfmt"
)

// limit is the gate of one workload.
type limit struct {
	workload string  // as benchfmt names it: "MegolmEncrypt/size=256"
	goolm    float64 // largest median of the per-round newt/goolm time ratios
	allocs   float64 // largest newt allocs/op in any round
}

// aggregate is a limit on the geometric mean of the median newt/floor-fast
// ratios of several workloads. Averaging over workloads that share code
// cancels much of the noise of each, so the limit can be close enough to
// catch a regression in the shared code that no single workload's noise
// would let through.
type aggregate struct {
	name      string
	workloads []string
	limit     float64
}

// ratios are the per-round ratios of newt to another implementation.
type ratios struct {
	median float64
	lo, hi float64 // smallest and largest round
}

func (q ratios) String() string {
	if math.IsNaN(q.median) {
		return "—"
	}
	return fmt.Sprintf("%s [%s–%s]", benchfmt.FormatRatio(q.median), benchfmt.FormatRatio(q.lo), benchfmt.FormatRatio(q.hi))
}

// pairedRatios returns the per-round ratios newt/other of workload w.
func pairedRatios(res *benchfmt.Results, w, other, unit string) (ratios, int) {
	q := res.PairedRatios(w, "newt", other, unit)
	if len(q) == 0 {
		return ratios{math.NaN(), math.NaN(), math.NaN()}, 0
	}
	return ratios{benchfmt.Median(q), slices.Min(q), slices.Max(q)}, len(q)
}

// row is the outcome of one workload's checks.
type row struct {
	limit
	newt, goolm float64 // median times per operation, ns
	vsGoolm     ratios
	vsFloor     ratios  // informational, unless an aggregate uses it
	allocs      float64 // newt's largest allocs/op of any round
	fails       []string
}

// aggRow is the outcome of an aggregate check.
type aggRow struct {
	aggregate
	mean  float64
	fails []string
}

// report is the outcome of the gate.
type report struct {
	unit   string // the time unit compared: cpu-ns/op, or ns/op without it
	rounds int
	rows   []row
	aggs   []aggRow
}

func (r *report) failed() []string {
	var f []string
	for _, w := range r.rows {
		if len(w.fails) > 0 {
			f = append(f, w.workload)
		}
	}
	for _, a := range r.aggs {
		if len(a.fails) > 0 {
			f = append(f, a.name)
		}
	}
	return f
}

// evaluate checks res against ls and as.
func evaluate(res *benchfmt.Results, ls []limit, as []aggregate) *report {
	rep := &report{unit: "cpu-ns/op"}
	if !res.HasUnit(rep.unit) {
		rep.unit = "ns/op" // no process CPU clock on this system
	}
	for _, l := range ls {
		w := row{limit: l}
		w.newt = res.Get(l.workload, "newt", rep.unit)
		w.goolm = res.Get(l.workload, "goolm", rep.unit)
		var n int
		w.vsGoolm, n = pairedRatios(res, l.workload, "goolm", rep.unit)
		rep.rounds = max(rep.rounds, n)
		switch {
		case n == 0:
			w.fails = append(w.fails, "no paired samples of newt and goolm")
		case !(w.vsGoolm.median <= l.goolm):
			w.fails = append(w.fails, fmt.Sprintf("newt/goolm %.2f× > %.2f×", w.vsGoolm.median, l.goolm))
		}
		w.vsFloor, _ = pairedRatios(res, l.workload, "floor-fast", rep.unit)
		if a := res.Samples(l.workload, "newt", "allocs/op"); len(a) == 0 {
			w.allocs = math.NaN()
			w.fails = append(w.fails, "no allocs/op for newt")
		} else if w.allocs = slices.Max(a); w.allocs > l.allocs {
			w.fails = append(w.fails, fmt.Sprintf("newt allocates %g times per op > %g", w.allocs, l.allocs))
		}
		rep.rows = append(rep.rows, w)
	}
	for _, a := range as {
		g := aggRow{aggregate: a}
		sum := 0.0
		for _, wk := range a.workloads {
			q, n := pairedRatios(res, wk, "floor-fast", rep.unit)
			if n == 0 {
				g.fails = append(g.fails, "no paired samples of newt and floor-fast for "+wk)
				continue
			}
			sum += math.Log(q.median)
		}
		g.mean = math.NaN()
		if len(g.fails) == 0 {
			g.mean = math.Exp(sum / float64(len(a.workloads)))
			if !(g.mean <= a.limit) {
				g.fails = append(g.fails, fmt.Sprintf("%.2f× > %.2f×", g.mean, a.limit))
			}
		}
		rep.aggs = append(rep.aggs, g)
	}
	return rep
}

// write prints the tables and the verdict.
func (r *report) write(w io.Writer) {
	fmt.Fprintf(w, "Benchmark gate: newt vs goolm and the fast floor, %s, %d interleaved rounds. Ratios are medians of the per-round ratios (in brackets: the smallest and largest round).\n\n", r.unit, r.rounds)
	fmt.Fprintf(w, "| workload | newt | goolm | newt/goolm | limit | newt allocs/op | limit | newt/floor-fast | |\n")
	fmt.Fprintf(w, "|---|---:|---:|---:|---:|---:|---:|---:|---|\n")
	for _, x := range r.rows {
		fmt.Fprintf(w, "| %s | %s | %s | %s | %.2f× | %s | %g | %s | %s |\n", x.workload,
			benchfmt.FormatTime(x.newt), benchfmt.FormatTime(x.goolm), x.vsGoolm, x.limit.goolm,
			benchfmt.FormatNum(x.allocs), x.limit.allocs, x.vsFloor, verdict(x.fails))
	}
	if len(r.aggs) > 0 {
		fmt.Fprintf(w, "\n| aggregate: geometric mean of newt/floor-fast | value | limit | |\n|---|---:|---:|---|\n")
		for _, a := range r.aggs {
			fmt.Fprintf(w, "| %s (%s) | %s | %.2f× | %s |\n", a.name, strings.Join(a.workloads, ", "),
				benchfmt.FormatRatio(a.mean), a.limit, verdict(a.fails))
		}
	}
	if f := r.failed(); len(f) > 0 {
		fmt.Fprintf(w, "\ngate: FAIL: %s\n", strings.Join(f, ", "))
		return
	}
	fmt.Fprintf(w, "\ngate: PASS (%d workloads, %d aggregates)\n", len(r.rows), len(r.aggs))
}

func verdict(fails []string) string {
	if len(fails) == 0 {
		return "ok"
	}
	return "**FAIL**: " + strings.Join(fails, "; ")
}
