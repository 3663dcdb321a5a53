// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package main

import (
	"fmt"
	"html"
	"io"
	"math"
	"strings"

	"github.com/newt-e2ee/newt/bench/internal/benchfmt"
)

// The chart: one group of horizontal bars per workload, time per operation
// on a logarithmic axis, for newt, goolm, libolm and the stdlib floor, with a
// tick for the fast floor. Hand-written SVG, so the bench module needs no
// plotting package; the output is deterministic, so a regenerated chart
// only differs where the numbers do.

// series is one bar of every group.
type series struct {
	impl, label, color string
}

var chartSeries = []series{
	{"newt", "newt", "#2b7bba"},
	{"goolm", "goolm", "#e8a33d"},
	{"libolm", "libolm (cgo)", "#b84a4a"},
	{"floor", "floor (stdlib)", "#9a9a9a"},
}

// fastFloor is drawn as a tick across the floor's bar.
const fastFloor = "floor-fast"

// Chart geometry, in SVG user units (pixels).
const (
	chartWidth  = 960
	labelWidth  = 250 // workload names, right-aligned
	valueWidth  = 70  // room for the value after the longest bar
	barHeight   = 8
	groupGap    = 9
	chartTop    = 78 // title, legend and axis labels above the bars
	chartBottom = 44 // two lines of notes below the bars
)

// writeSVG writes the chart of unit (a time per operation in ns) for every
// workload that has a newt time.
func writeSVG(w io.Writer, r *results, unit string) error {
	var works []string
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, wk := range r.Order {
		if math.IsNaN(r.get(wk, "newt", unit)) {
			continue
		}
		works = append(works, wk)
		for _, s := range append(chartSeries, series{impl: fastFloor}) {
			if v := r.get(wk, s.impl, unit); v > 0 {
				lo, hi = min(lo, v), max(hi, v)
			}
		}
	}
	if len(works) == 0 {
		return fmt.Errorf("no workload with a newt %s", unit)
	}
	// Whole decades around the data.
	d0, d1 := math.Floor(math.Log10(lo)), math.Ceil(math.Log10(hi))
	if d1 == d0 {
		d1++
	}
	plotW := float64(chartWidth - labelWidth - valueWidth - 10)
	x := func(v float64) float64 {
		return labelWidth + 10 + plotW*(math.Log10(v)-d0)/(d1-d0)
	}
	group := len(chartSeries)*barHeight + groupGap
	plotH := len(works) * group
	height := chartTop + plotH + chartBottom

	var b strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	p(`<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="Helvetica, Arial, sans-serif" font-size="11">`+"\n",
		chartWidth, height, chartWidth, height)
	p(`<rect width="100%%" height="100%%" fill="#ffffff"/>` + "\n")
	what := "CPU time per operation"
	if unit == "ns/op" {
		what = "Time per operation"
	}
	p(`<text x="%d" y="18" font-size="14" font-weight="bold">%s (%s, log scale; shorter is faster)</text>`+"\n", 10, what, html.EscapeString(unit))

	// Legend.
	lx := 10.0
	for _, s := range chartSeries {
		if !r.hasImpl(s.impl) {
			continue
		}
		p(`<rect x="%.1f" y="30" width="12" height="10" fill="%s"/>`, lx, s.color)
		p(`<text x="%.1f" y="39">%s</text>`+"\n", lx+16, html.EscapeString(s.label))
		lx += 16 + 7*float64(len(s.label)) + 18
	}
	if r.hasImpl(fastFloor) {
		p(`<line x1="%.1f" y1="28" x2="%.1f" y2="42" stroke="#000000" stroke-width="2"/>`, lx+5, lx+5)
		p(`<text x="%.1f" y="39">floor (fast)</text>`+"\n", lx+12)
	}

	// Axis: a line and a label per decade, light lines at 2× and 5×.
	top, bottom := float64(chartTop), float64(chartTop+plotH)
	for d := d0; d <= d1; d++ {
		v := math.Pow(10, d)
		p(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#bbbbbb"/>`, x(v), top-4, x(v), bottom)
		p(`<text x="%.1f" y="%.1f" text-anchor="middle">%s</text>`+"\n", x(v), top-8, benchfmt.FormatTime(v))
		if d < d1 {
			for _, m := range []float64{2, 5} {
				p(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#e4e4e4"/>`+"\n", x(m*v), top, x(m*v), bottom)
			}
		}
	}

	// Bars.
	for i, wk := range works {
		y0 := top + float64(i*group) + groupGap/2
		if i%2 == 1 {
			p(`<rect x="0" y="%.1f" width="%d" height="%d" fill="#000000" fill-opacity="0.03"/>`+"\n", y0-groupGap/2, chartWidth, group)
		}
		p(`<text x="%d" y="%.1f" text-anchor="end">%s</text>`+"\n", labelWidth, y0+float64(len(chartSeries)*barHeight)/2+4, html.EscapeString(wk))
		for j, s := range chartSeries {
			v := r.get(wk, s.impl, unit)
			if !(v > 0) {
				continue
			}
			y := y0 + float64(j*barHeight)
			x0 := x(math.Pow(10, d0))
			p(`<rect x="%.1f" y="%.1f" width="%.1f" height="%d" fill="%s"><title>%s %s: %s</title></rect>`,
				x0, y, x(v)-x0, barHeight-1, s.color, html.EscapeString(wk), s.impl, benchfmt.FormatTime(v))
			p(`<text x="%.1f" y="%.1f" font-size="8" fill="#444444">%s</text>`+"\n", x(v)+3, y+barHeight-1.5, benchfmt.FormatTime(v))
			if s.impl == "floor" {
				if f := r.get(wk, fastFloor, unit); f > 0 {
					p(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#000000" stroke-width="2"><title>%s %s: %s</title></line>`+"\n",
						x(f), y-1, x(f), y+barHeight, html.EscapeString(wk), fastFloor, benchfmt.FormatTime(f))
				}
			}
		}
	}
	p(`<text x="10" y="%d" fill="#444444">Medians of %s per benchmark. floor: the standard-library primitives the operation cannot avoid;</text>`+"\n",
		height-24, html.EscapeString(r.sampleNote()))
	p(`<text x="10" y="%d" fill="#444444">floor (fast): the same with allocation-free HMAC/HKDF and X25519 public keys on the Edwards fixed-base table (see bench/README.md).</text>`+"\n",
		height-10)
	p("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// hasImpl reports whether the input has any sample of implementation im.
func (r *results) hasImpl(im string) bool {
	for _, ims := range r.Data {
		if len(ims[im]) > 0 {
			return true
		}
	}
	return false
}

// sampleNote says how many samples the medians are of.
func (r *results) sampleNote() string {
	lo, hi := r.SampleCounts()
	if lo == hi {
		return fmt.Sprintf("%d samples", lo)
	}
	return fmt.Sprintf("%d–%d samples", lo, hi)
}
