// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

//go:build !unix

package cpuclock

import "time"

const available = false

func processCPU() time.Duration { return 0 }
