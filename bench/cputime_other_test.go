// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

//go:build !unix

package bench

import "time"

// cpuClock reports whether processCPU works on this system: not here, so
// no cpu-ns/op is reported.
const cpuClock = false

// processCPU returns 0.
func processCPU() time.Duration { return 0 }
