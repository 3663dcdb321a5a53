// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/newt-e2ee/newt/bench/internal/benchfmt"
)

func main() {
	maxRounds := flag.Int("rounds", defaultMaxRounds, "interleaved rounds, at most")
	minRounds := flag.Int("min-rounds", defaultMinRounds, "interleaved rounds, at least, whatever the budget")
	budget := flag.Duration("budget", defaultBudget, "no new round starts once the rounds have taken this long (after at least -min-rounds)")
	benchtime := flag.Duration("benchtime", defaultBenchtime, "time per benchmark and round")
	in := flag.String("in", "", "check this saved benchmark output instead of running")
	raw := flag.String("raw", "", "also write the benchmark output to this file")
	bin := flag.String("bin", "", "use this compiled benchmark binary (go test -c) instead of building one")
	flag.Parse()

	start := time.Now()
	var out []byte
	if *in != "" {
		var err error
		if out, err = os.ReadFile(*in); err != nil {
			fatal(err)
		}
	} else {
		var err error
		if out, err = run(*bin, *minRounds, *maxRounds, *budget, *benchtime); err != nil {
			fatal(err)
		}
		if *raw != "" {
			if err := os.WriteFile(*raw, out, 0o644); err != nil {
				fatal(err)
			}
		}
	}
	res, err := benchfmt.Parse(bytes.NewReader(out))
	if err != nil {
		fatal(err)
	}
	rep := evaluate(res, limits, aggregates)
	rep.write(os.Stdout)
	fmt.Printf("(%s in all)\n", time.Since(start).Round(time.Second))
	if len(rep.failed()) > 0 {
		os.Exit(1)
	}
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "gate:", err)
	os.Exit(2)
}

// run builds the benchmark binary unless bin names one, runs between
// minRounds and maxRounds interleaved rounds over the gated workloads (no
// new round after budget has passed) and returns their output.
func run(bin string, minRounds, maxRounds int, budget, benchtime time.Duration) ([]byte, error) {
	if bin == "" {
		dir, err := os.MkdirTemp("", "newt-gate")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(dir)
		bin = filepath.Join(dir, "bench.test")
		fmt.Fprintln(os.Stderr, "gate: building the benchmarks")
		cmd := exec.Command("go", "test", "-c", "-o", bin, "github.com/newt-e2ee/newt/bench")
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return nil, fmt.Errorf("building the benchmarks: %w", err)
		}
	}
	var all bytes.Buffer
	start := time.Now()
	for i := 0; i < maxRounds; i++ {
		if i >= minRounds && time.Since(start) > budget {
			fmt.Fprintf(os.Stderr, "gate: stopping after %d rounds (%s)\n", i, time.Since(start).Round(time.Second))
			break
		}
		fmt.Fprintf(os.Stderr, "gate: round %d (%s)\n", i+1, time.Since(start).Round(time.Second))
		for _, pattern := range benchPatterns(limits, aggregates) {
			var stderr bytes.Buffer
			cmd := exec.Command(bin, "-test.run", "^$", "-test.bench", pattern,
				"-test.benchtime", benchtime.String())
			cmd.Stdout, cmd.Stderr = &all, &stderr
			if err := cmd.Run(); err != nil {
				io.Copy(os.Stderr, &stderr)
				return nil, fmt.Errorf("round %d: %w", i+1, err)
			}
		}
	}
	return all.Bytes(), nil
}

// benchPatterns returns -test.bench patterns that select newt's and
// goolm's sub-benchmarks of the gated workloads, and the fast floor's where
// an aggregate uses it: one pattern for the workloads named by one element
// (BenchmarkX/impl=…) and one for those named by two (BenchmarkX/op=…/impl=…),
// because a pattern with more elements than a benchmark's name only matches
// it partially and does not run it. Workloads of a pattern run in the
// order of the benchmark source, each implementation right after the other.
func benchPatterns(ls []limit, as []aggregate) []string {
	type group struct {
		tops, subs []string
		floor      bool
	}
	var one, two group
	for _, l := range ls {
		g := &one
		top, sub, ok := strings.Cut(l.workload, "/")
		if ok {
			g = &two
			g.subs = appendNew(g.subs, sub)
		}
		g.tops = appendNew(g.tops, top)
		for _, a := range as {
			g.floor = g.floor || slices.Contains(a.workloads, l.workload)
		}
	}
	impls := func(g group) string {
		if g.floor {
			return "^impl=(newt|goolm|floor-fast)$"
		}
		return "^impl=(newt|goolm)$"
	}
	var p []string
	if len(one.tops) > 0 {
		p = append(p, "^Benchmark("+strings.Join(one.tops, "|")+")$/"+impls(one))
	}
	if len(two.tops) > 0 {
		p = append(p, "^Benchmark("+strings.Join(two.tops, "|")+")$/^("+strings.Join(two.subs, "|")+")$/"+impls(two))
	}
	return p
}

func appendNew(s []string, v string) []string {
	if slices.Contains(s, v) {
		return s
	}
	return append(s, v)
}
