// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package main

import (
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
	if strings.Join(r.order, ",") != strings.Join(want, ",") {
		t.Fatalf("workloads %q, want %q", r.order, want)
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
		"| workload | newt | goolm | libolm | floor | floor-fast | newt/goolm | newt/libolm | newt/floor |",
		"| MegolmEncrypt/size=256 | 42 µs | 85 µs | — | 50 µs | 45 µs | 0.49× | — | 0.84× |",
		"| OlmAccountCreate | 1.5 ms | — | 3 ms | — | — | — | 0.50× | — |",
		"| MegolmEncrypt/size=256 | 800 B, 3 | 5441 B, 44 | — | 3651 B, 36 | 1024 B, 2 |",
		"| ScaleUnpickleIGS/n=1000 | newt | B/session | 641.7 |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q\n%s", want, out)
		}
	}
}
