// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

//go:build race

package olm

// raceEnabled reports whether the race detector is on; allocation counts are
// not meaningful then.
const raceEnabled = true
