// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package megolm_test

import (
	"testing"

	"github.com/newt-e2ee/newt/testvectors"
)

// loadVectors loads testvectors/megolm.json, rejecting unknown keys.
func loadVectors(t testing.TB) *testvectors.MegolmVectors {
	t.Helper()
	v := testvectors.Load[testvectors.MegolmVectors](t, "megolm.json")
	return &v
}
