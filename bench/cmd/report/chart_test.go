// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package main

import (
	"encoding/xml"
	"math"
	"strconv"
	"strings"
	"testing"
)

// svgElem is the part of an SVG element the test looks at.
type svgElem struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Title   string     `xml:"title"`
	Text    string     `xml:",chardata"`
	Kids    []svgElem  `xml:",any"`
}

func (e *svgElem) attr(name string) float64 {
	for _, a := range e.Attrs {
		if a.Name.Local == name {
			v, err := strconv.ParseFloat(a.Value, 64)
			if err != nil {
				return math.NaN()
			}
			return v
		}
	}
	return math.NaN()
}

// TestSVG: the chart is well-formed SVG with one bar per implementation and
// workload, whose lengths follow the log scale (a bar ten times longer in
// time is longer by the same amount for every decade), a tick at the fast
// floor, and nothing for a workload newt did not run.
func TestSVG(t *testing.T) {
	const in = `BenchmarkW/impl=newt-2  1  1000 ns/op  1000 cpu-ns/op
BenchmarkW/impl=goolm-2  1  10000 ns/op  10000 cpu-ns/op
BenchmarkW/impl=libolm-2  1  100000 ns/op  100000 cpu-ns/op
BenchmarkW/impl=floor-2  1  2000 ns/op  2000 cpu-ns/op
BenchmarkW/impl=floor-fast-2  1  1000 ns/op  1000 cpu-ns/op
BenchmarkV/impl=newt-2  1  5000 ns/op  5000 cpu-ns/op
BenchmarkOnlyGoolm/impl=goolm-2  1  5000 ns/op  5000 cpu-ns/op
`
	r, err := parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	if err := writeSVG(&sb, r, "cpu-ns/op"); err != nil {
		t.Fatal(err)
	}
	var root svgElem
	if err := xml.Unmarshal([]byte(sb.String()), &root); err != nil {
		t.Fatalf("not well-formed XML: %v\n%s", err, sb.String())
	}
	if root.XMLName.Local != "svg" {
		t.Fatalf("root element %q", root.XMLName.Local)
	}
	bars := map[string]float64{} // title → width
	tick := math.NaN()
	var barX []float64
	for _, e := range root.Kids {
		switch {
		case e.XMLName.Local == "rect" && e.Title != "":
			bars[e.Title] = e.attr("width")
			barX = append(barX, e.attr("x"))
		case e.XMLName.Local == "line" && e.Title != "":
			if e.Title != "W floor-fast: 1 µs" {
				t.Errorf("tick %q", e.Title)
			}
			tick = e.attr("x1")
		}
	}
	want := []string{"W newt: 1 µs", "W goolm: 10 µs", "W libolm: 100 µs", "W floor: 2 µs", "V newt: 5 µs"}
	if len(bars) != len(want) {
		t.Errorf("bars %v, want %q", bars, want)
	}
	for _, k := range want {
		if _, ok := bars[k]; !ok {
			t.Errorf("no bar %q (bars: %v)", k, bars)
		}
	}
	for _, x := range barX[1:] {
		if x != barX[0] {
			t.Errorf("bars start at %v and %v", barX[0], x)
		}
	}
	decade := bars["W goolm: 10 µs"] - bars["W newt: 1 µs"]
	if decade <= 0 || math.Abs(bars["W libolm: 100 µs"]-bars["W goolm: 10 µs"]-decade) > 0.2 {
		t.Errorf("not a log scale: widths %v", bars)
	}
	if got, want := bars["W floor: 2 µs"]-bars["W newt: 1 µs"], decade*math.Log10(2); math.Abs(got-want) > 0.2 {
		t.Errorf("2 µs bar is %v longer than 1 µs, want %v", got, want)
	}
	// The axis starts at the decade of the smallest time, 1 µs, so the
	// tick of the 1 µs fast floor is where every bar starts plus the
	// 1 µs bar's length.
	if math.Abs(tick-(barX[0]+bars["W newt: 1 µs"])) > 0.2 {
		t.Errorf("fast-floor tick at %v, want %v", tick, barX[0]+bars["W newt: 1 µs"])
	}
	if strings.Contains(sb.String(), "OnlyGoolm") {
		t.Error("chart shows a workload without newt")
	}
}
