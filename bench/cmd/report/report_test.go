// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package main

import (
	"math"
	"strings"
	"testing"
)

const canned = `goos: linux
goarch: amd64
pkg: github.com/newt-e2ee/newt/bench
BenchmarkMegolmEncrypt/size=256/impl=newt-2         	   10000	     40000 ns/op	   6.40 MB/s	     800 B/op	       3 allocs/op
BenchmarkMegolmEncrypt/size=256/impl=goolm-2        	   10000	     80000 ns/op	   3.20 MB/s	    5441 B/op	      44 allocs/op
BenchmarkMegolmEncrypt/size=256/impl=floor-fast-2   	   10000	     45000 ns/op	    1024 B/op	       2 allocs/op
BenchmarkMegolmEncrypt/size=256/impl=floor-2        	   10000	     50000 ns/op	    3651 B/op	      36 allocs/op
BenchmarkMegolmEncrypt/size=256/impl=newt-2         	   10000	     44000 ns/op	   6.40 MB/s	     800 B/op	       3 allocs/op
BenchmarkMegolmEncrypt/size=256/impl=goolm-2        	   10000	     90000 ns/op	   3.20 MB/s	    5441 B/op	      44 allocs/op
BenchmarkMegolmEncrypt/size=256/impl=newt-2         	   10000	     42000 ns/op	   6.40 MB/s	     800 B/op	       3 allocs/op
--- FAIL: BenchmarkSomething
BenchmarkOlmAccountCreate/impl=newt                 	     100	   1500000 ns/op	     384 B/op	       2 allocs/op
BenchmarkOlmAccountCreate/impl=libolm               	     100	   3000000 ns/op	     120 B/op	       4 allocs/op
BenchmarkScaleUnpickleIGS/n=1000/impl=newt-2        	       1	  18305125 ns/op	       641.7 B/session	     18302 ns/session	 1490056 B/op	    7006 allocs/op
PASS
ok  	github.com/newt-e2ee/newt/bench	12.3s
`

func TestParse(t *testing.T) {
	r, err := parse(strings.NewReader(canned))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"MegolmEncrypt/size=256", "OlmAccountCreate", "ScaleUnpickleIGS/n=1000"}
	if strings.Join(r.Order, ",") != strings.Join(want, ",") {
		t.Fatalf("workloads %q, want %q", r.Order, want)
	}
	for _, c := range []struct {
		w, im, unit string
		want        float64
	}{
		{"MegolmEncrypt/size=256", "newt", "ns/op", 42000},  // median of 3
		{"MegolmEncrypt/size=256", "goolm", "ns/op", 85000}, // median of 2
		{"MegolmEncrypt/size=256", "floor-fast", "allocs/op", 2},
		{"OlmAccountCreate", "libolm", "B/op", 120},
		{"ScaleUnpickleIGS/n=1000", "newt", "B/session", 641.7},
	} {
		if got := r.get(c.w, c.im, c.unit); got != c.want {
			t.Errorf("%s %s %s = %v, want %v", c.w, c.im, c.unit, got, c.want)
		}
	}
	if got := strings.Join(r.columns(), ","); got != "newt,goolm,libolm,floor,floor-fast" {
		t.Errorf("columns %s", got)
	}
}

func TestWrite(t *testing.T) {
	r, err := parse(strings.NewReader(canned))
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	write(&sb, r)
	out := sb.String()
	for _, want := range []string{
		"Medians of 1–3 samples",
		"| workload | newt | goolm | libolm | floor | floor-fast | newt/goolm | newt/libolm | newt/floor | newt/floor-fast |",
		"| MegolmEncrypt/size=256 | 42 µs | 85 µs | — | 50 µs | 45 µs | 0.49× | — | 0.84× | 0.93× |",
		"| OlmAccountCreate | 1.5 ms | — | 3 ms | — | — | — | 0.50× | — | — |",
		"| MegolmEncrypt/size=256 | 800 B, 3 | 5441 B, 44 | — | 3651 B, 36 | 1024 B, 2 |",
		"| ScaleUnpickleIGS/n=1000 | newt | B/session | 641.7 |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q\n%s", want, out)
		}
	}
}

const cannedCPU = `BenchmarkOlmBurst/op=decrypt/impl=newt-2    	   10000	     9000 ns/op	     6000 cpu-ns/op	     800 B/op	       2 allocs/op
BenchmarkOlmBurst/op=decrypt/impl=goolm-2   	   10000	     8000 ns/op	    10000 cpu-ns/op	    4892 B/op	      48 allocs/op
BenchmarkOlmBurst/op=decrypt/impl=floor-2   	   10000	    12000 ns/op	     8000 cpu-ns/op	    4128 B/op	      41 allocs/op
`

// TestWriteCPU: with cpu-ns/op in the input, a CPU time table with its own
// ratios comes first, then the wall time table; cpu-ns/op is not repeated
// under other metrics.
func TestWriteCPU(t *testing.T) {
	r, err := parse(strings.NewReader(cannedCPU))
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	write(&sb, r)
	out := sb.String()
	cpu := strings.Index(out, "### CPU time per operation")
	wall := strings.Index(out, "### Wall time per operation")
	if cpu < 0 || wall < cpu {
		t.Fatalf("tables missing or out of order:\n%s", out)
	}
	for _, want := range []string{
		"| OlmBurst/op=decrypt | 6 µs | 10 µs | 8 µs | 0.60× | — | 0.75× | — |",
		"| OlmBurst/op=decrypt | 9 µs | 8 µs | 12 µs | 1.12× | — | 0.75× | — |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q\n%s", want, out)
		}
	}
	if strings.Contains(out, "Other metrics") {
		t.Errorf("cpu-ns/op listed under other metrics:\n%s", out)
	}
}

// TestRatioPaired: equal sample counts are paired by position and the
// median of the per-pair ratios is taken; unequal counts fall back to the
// ratio of the medians.
func TestRatioPaired(t *testing.T) {
	const in = `BenchmarkW/impl=newt-2  1  10 ns/op
BenchmarkW/impl=goolm-2  1  20 ns/op
BenchmarkW/impl=newt-2  1  30 ns/op
BenchmarkW/impl=goolm-2  1  30 ns/op
BenchmarkW/impl=newt-2  1  60 ns/op
BenchmarkW/impl=goolm-2  1  80 ns/op
BenchmarkW/impl=floor-2  1  40 ns/op
`
	r, err := parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	// Pairs 10/20, 30/30, 60/80: median 0.75 (ratio of medians: 1.0).
	if got := r.ratio("W", "newt", "goolm", "ns/op"); got != 0.75 {
		t.Errorf("paired ratio %v, want 0.75", got)
	}
	// One floor sample: median 30 / 40.
	if got := r.ratio("W", "newt", "floor", "ns/op"); got != 0.75 {
		t.Errorf("unpaired ratio %v, want 0.75", got)
	}
	if got := r.ratio("W", "newt", "libolm", "ns/op"); !math.IsNaN(got) {
		t.Errorf("ratio without samples %v, want NaN", got)
	}
}
