// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package main

import "time"

// Rounds and time: at most maxRounds rounds of benchtime per benchmark,
// fewer (but at least minRounds) when the machine is so busy that the
// rounds would overrun the budget. 16 rounds take 50–60 s of CPU and
// 1.5–2 minutes of wall time with a load average of 10–20 on two cores.
const (
	defaultMaxRounds = 16
	defaultMinRounds = 8
	defaultBenchtime = 20 * time.Millisecond
	defaultBudget    = 140 * time.Second
)

// limits are the gated workloads. The newt/goolm limits are about 1.3 times
// the largest median seen so far on either machine the team's VM has run
// on (an AMD EPYC Turin with a load average of 5–20, where the medians
// moved by ±10 % between runs, and an Intel Xeon Emerald Rapids, where
// newt/goolm is up to 40 % higher for the same tree, as goolm's allocation
// costs less there); bench/README.md has the measurements. They catch a
// regression that doubles a workload's cost, such as losing the Megolm
// comb-table verifier, on either machine. Smaller, shared regressions are
// the aggregate check's job, and allocations are compared exactly.
var limits = []limit{
	// workload, newt/goolm, newt allocs/op
	{"MegolmEncrypt/size=256", 0.65, 2},    // Turin ≤ 0.45, Xeon 0.47–0.50
	{"MegolmDecrypt/size=256", 0.45, 2},    // 0.29–0.33, 0.32–0.34
	{"OlmAlternating/op=encrypt", 0.55, 2}, // ≤ 0.40, 0.38
	{"OlmAlternating/op=decrypt", 0.75, 2}, // ≤ 0.57, 0.48
	{"OlmBurst/op=encrypt", 0.75, 2},       // ≤ 0.44, 0.53–0.55
	{"OlmBurst/op=decrypt", 0.80, 2},       // ≤ 0.47, 0.58
	{"PickleAccount/op=pickle", 0.80, 2},   // ≤ 0.49, 0.52–0.60
	{"PickleAccount/op=unpickle", 1.10, 4}, // ≤ 0.82
	{"PickleIGS/op=pickle", 0.75, 2},       // ≤ 0.39, 0.48–0.56
	{"PickleIGS/op=unpickle", 0.85, 3},     // ≤ 0.56
	{"MegolmInboundCreate", 1.20, 7},       // ≤ 0.93, 0.93
	{"OlmAccountCreate", 0.50, 2},          // ≤ 0.35, 0.30–0.32
	{"OlmGenOTK50", 0.30, 16},              // ≤ 0.19, 0.22
	{"OlmOutboundCreate", 0.60, 2},         // ≤ 0.44, 0.35
	{"OlmInboundCreate", 0.85, 6},          // ≤ 0.63, 0.54
}

// aggregates compare newt with the fast floor, which runs the same
// primitives (HKDF, HMAC, AES-CBC, base64) and so moves much less with the
// CPU model than goolm does. For the small symmetric workloads, where the
// key derivation is a quarter of the cost, the geometric mean of the median
// newt/floor-fast ratios was 0.98–1.11 on Turin and 1.07–1.08 on the Xeon;
// a second key derivation per message or pickle raises it to 1.31–1.37.
var aggregates = []aggregate{{
	name:      "symmetric paths",
	workloads: []string{"OlmBurst/op=encrypt", "OlmBurst/op=decrypt", "PickleIGS/op=pickle", "PickleIGS/op=unpickle"},
	limit:     1.20,
}}
