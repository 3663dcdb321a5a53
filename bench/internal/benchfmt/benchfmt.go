// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package benchfmt

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

// Results are the parsed samples.
type Results struct {
	// Order lists the workloads in order of first appearance.
	Order []string
	// Impls lists the implementations in order of first appearance.
	Impls []string
	// Data holds the samples: workload → implementation → unit → values.
	Data map[string]map[string]map[string][]float64
}

// procSuffix is the -GOMAXPROCS suffix go test appends to names.
var procSuffix = regexp.MustCompile(`-\d+$`)

// Parse reads `go test -bench` output. A result line is
// "BenchmarkName-P  N  v1 unit1  v2 unit2 ..."; anything else (headers,
// PASS, logs) is skipped. A name without "/impl=" is a workload with the
// implementation "".
func Parse(r io.Reader) (*Results, error) {
	res := &Results{Data: map[string]map[string]map[string][]float64{}}
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
		units := res.Data[work]
		if units == nil {
			units = map[string]map[string][]float64{}
			res.Data[work] = units
			res.Order = append(res.Order, work)
		}
		if units[im] == nil {
			units[im] = map[string][]float64{}
			if !slices.Contains(res.Impls, im) {
				res.Impls = append(res.Impls, im)
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

// Median returns the median of v, NaN if v is empty.
func Median(v []float64) float64 {
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

// Samples returns the samples of unit for workload w and implementation im.
func (r *Results) Samples(w, im, unit string) []float64 {
	return r.Data[w][im][unit]
}

// Get returns the median of unit for workload w and implementation im, NaN
// if there is no sample.
func (r *Results) Get(w, im, unit string) float64 {
	return Median(r.Samples(w, im, unit))
}

// HasUnit reports whether any result has the unit.
func (r *Results) HasUnit(unit string) bool {
	for _, ims := range r.Data {
		for _, units := range ims {
			if len(units[unit]) > 0 {
				return true
			}
		}
	}
	return false
}

// SampleCounts returns the smallest and largest number of ns/op samples of
// any benchmark.
func (r *Results) SampleCounts() (lo, hi int) {
	lo = math.MaxInt
	for _, ims := range r.Data {
		for _, units := range ims {
			n := len(units["ns/op"])
			lo, hi = min(lo, n), max(hi, n)
		}
	}
	return lo, hi
}

// PairedRatios returns the ratios a[i]/b[i] of the samples of unit of
// implementations a and b on workload w, paired by position, or nil if
// either has no sample or their counts differ.
func (r *Results) PairedRatios(w, a, b, unit string) []float64 {
	va, vb := r.Samples(w, a, unit), r.Samples(w, b, unit)
	if len(va) == 0 || len(va) != len(vb) {
		return nil
	}
	q := make([]float64, len(va))
	for i := range va {
		q[i] = va[i] / vb[i]
	}
	return q
}

// Ratio returns the ratio of a's time to b's for workload w. When both have
// the same number of samples, the samples are paired by position (the i-th
// sample of each comes from the same round of an interleaved run, or the
// same position of -count) and the result is the median of the per-pair
// ratios, which cancels drift of the machine between rounds; otherwise it
// is the ratio of the medians. NaN if either has no sample.
func (r *Results) Ratio(w, a, b, unit string) float64 {
	if q := r.PairedRatios(w, a, b, unit); q != nil {
		return Median(q)
	}
	return r.Get(w, a, unit) / r.Get(w, b, unit)
}
