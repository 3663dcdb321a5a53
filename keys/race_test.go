// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

//go:build race

package keys

// raceEnabled reports whether the race detector is on; large tests shrink
// then.
const raceEnabled = true
