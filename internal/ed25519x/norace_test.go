// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

//go:build !race

package ed25519x_test

// raceEnabled is true under -race, where sync.Pool drops items at random
// and allocation counts are meaningless.
const raceEnabled = false
