// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/newt-e2ee/newt/bench/internal/benchfmt"
)

// Three rounds of two workloads. A: newt/goolm per round 0.5, 0.6, 0.4
// (median 0.5); newt/floor-fast 1.0, 1.2, 0.8 (median 1.0). B: newt/goolm
// 0.5, 0.9, 0.8 (median 0.8), one round with 3 allocations.
const canned = `goos: linux
BenchmarkA/op=x/impl=newt-2        100  900 ns/op  500 cpu-ns/op  10 B/op  2 allocs/op
BenchmarkA/op=x/impl=goolm-2       100  900 ns/op  1000 cpu-ns/op  99 B/op  40 allocs/op
BenchmarkA/op=x/impl=floor-fast-2  100  900 ns/op  500 cpu-ns/op  0 B/op  0 allocs/op
BenchmarkB/impl=newt-2             100  900 ns/op  50 cpu-ns/op  10 B/op  2 allocs/op
BenchmarkB/impl=goolm-2            100  900 ns/op  100 cpu-ns/op  9 B/op  9 allocs/op
BenchmarkA/op=x/impl=newt-2        100  900 ns/op  600 cpu-ns/op  10 B/op  2 allocs/op
BenchmarkA/op=x/impl=goolm-2       100  900 ns/op  1000 cpu-ns/op  99 B/op  40 allocs/op
BenchmarkA/op=x/impl=floor-fast-2  100  900 ns/op  500 cpu-ns/op  0 B/op  0 allocs/op
BenchmarkB/impl=newt-2             100  900 ns/op  90 cpu-ns/op  10 B/op  3 allocs/op
BenchmarkB/impl=goolm-2            100  900 ns/op  100 cpu-ns/op  9 B/op  9 allocs/op
BenchmarkA/op=x/impl=newt-2        100  900 ns/op  400 cpu-ns/op  10 B/op  2 allocs/op
BenchmarkA/op=x/impl=goolm-2       100  900 ns/op  1000 cpu-ns/op  99 B/op  40 allocs/op
BenchmarkA/op=x/impl=floor-fast-2  100  900 ns/op  500 cpu-ns/op  0 B/op  0 allocs/op
BenchmarkB/impl=newt-2             100  900 ns/op  80 cpu-ns/op  10 B/op  2 allocs/op
BenchmarkB/impl=goolm-2            100  900 ns/op  100 cpu-ns/op  9 B/op  9 allocs/op
PASS
`

func TestEvaluate(t *testing.T) {
	res, err := benchfmt.Parse(strings.NewReader(canned))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		ls     []limit
		as     []aggregate
		failed []string
	}{
		{"pass", []limit{{"A/op=x", 0.5, 2}, {"B", 0.8, 3}}, []aggregate{{"a", []string{"A/op=x"}, 1.0}}, nil},
		{"ratio", []limit{{"A/op=x", 0.49, 2}, {"B", 0.8, 3}}, nil, []string{"A/op=x"}},
		{"allocs in one round", []limit{{"A/op=x", 0.5, 2}, {"B", 0.8, 2}}, nil, []string{"B"}},
		{"aggregate", []limit{{"A/op=x", 0.5, 2}}, []aggregate{{"a", []string{"A/op=x"}, 0.99}}, []string{"a"}},
		{"missing workload", []limit{{"C", 1, 1}}, nil, []string{"C"}},
		{"aggregate without floor", []limit{{"B", 0.8, 3}}, []aggregate{{"b", []string{"B"}, 9}}, []string{"b"}},
	} {
		rep := evaluate(res, c.ls, c.as)
		if got := rep.failed(); strings.Join(got, ",") != strings.Join(c.failed, ",") {
			t.Errorf("%s: failed %q, want %q", c.name, got, c.failed)
		}
		var sb strings.Builder
		rep.write(&sb)
		verdict := "gate: PASS"
		if len(c.failed) > 0 {
			verdict = "gate: FAIL: " + strings.Join(c.failed, ", ")
		}
		if !strings.Contains(sb.String(), verdict) {
			t.Errorf("%s: output lacks %q:\n%s", c.name, verdict, sb.String())
		}
	}
	rep := evaluate(res, []limit{{"A/op=x", 0.5, 2}}, nil)
	var sb strings.Builder
	rep.write(&sb)
	want := "| A/op=x | 500 ns | 1 µs | 0.50× [0.40×–0.60×] | 0.50× | 2 | 2 | 1.00× [0.80×–1.20×] | ok |"
	if !strings.Contains(sb.String(), want) || !strings.Contains(sb.String(), "cpu-ns/op, 3 interleaved rounds") {
		t.Errorf("output lacks %q or the round count:\n%s", want, sb.String())
	}
}

// TestBenchPatterns: the patterns run exactly the sub-benchmarks the
// checks need, for names of two and of three elements.
func TestBenchPatterns(t *testing.T) {
	ls := []limit{{"A/op=x", 1, 1}, {"B", 1, 1}, {"C/size=256", 1, 1}}
	as := []aggregate{{"a", []string{"A/op=x"}, 1}}
	ps := benchPatterns(ls, as)
	if len(ps) != 2 {
		t.Fatalf("patterns %q", ps)
	}
	// go test splits a -bench pattern at slashes and matches each element
	// against the corresponding element of the name.
	runs := func(name string) bool {
		for _, p := range ps {
			pe, ne := strings.Split(p, "/"), strings.Split(name, "/")
			if len(pe) != len(ne) {
				continue
			}
			ok := true
			for i := range pe {
				ok = ok && regexp.MustCompile(pe[i]).MatchString(ne[i])
			}
			if ok {
				return true
			}
		}
		return false
	}
	for name, want := range map[string]bool{
		"BenchmarkA/op=x/impl=newt":           true,
		"BenchmarkA/op=x/impl=goolm":          true,
		"BenchmarkA/op=x/impl=floor-fast":     true,
		"BenchmarkC/size=256/impl=floor-fast": true, // same pattern as A
		"BenchmarkA/op=x/impl=newt-append":    false,
		"BenchmarkA/op=x/impl=floor":          false,
		"BenchmarkA/op=x/impl=libolm":         false,
		"BenchmarkC/size=4096/impl=newt":      false,
		"BenchmarkB/impl=newt":                true,
		"BenchmarkB/impl=goolm":               true,
		"BenchmarkB/impl=floor-fast":          false,
		"BenchmarkBB/impl=newt":               false,
	} {
		if got := runs(name); got != want {
			t.Errorf("%s: runs %v, want %v (patterns %q)", name, got, want, ps)
		}
	}
}
