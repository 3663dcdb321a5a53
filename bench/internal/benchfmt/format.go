// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package benchfmt

import (
	"fmt"
	"math"
	"strconv"
)

// FormatTime formats nanoseconds with a unit, three significant digits;
// "—" for NaN (no sample).
func FormatTime(ns float64) string {
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

// FormatRatio formats a ratio as "0.50×"; "—" for NaN or an infinity (a
// missing or zero sample).
func FormatRatio(q float64) string {
	if math.IsNaN(q) || math.IsInf(q, 0) {
		return "—"
	}
	return fmt.Sprintf("%.2f×", q)
}

// FormatNum formats a count or byte size: whole numbers without a
// fraction, others (a median of an even number of samples) with one digit
// after the point; "—" for NaN.
func FormatNum(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	if v == math.Trunc(v) {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}
