// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package sessionconfig_test

import (
	"testing"

	"github.com/newt-e2ee/newt/internal/sessionconfig"
)

func TestConfig(t *testing.T) {
	for _, c := range []struct {
		name    string
		c       sessionconfig.Config
		v2      bool
		version int
		str     string
	}{
		{"zero value", sessionconfig.Config{}, false, 1, "v1"},
		{"V2", sessionconfig.V2(), true, 2, "v2"},
		{"Of(1)", sessionconfig.Of(1), false, 1, "v1"},
		{"Of(2)", sessionconfig.Of(2), true, 2, "v2"},
	} {
		if c.c.IsV2() != c.v2 || c.c.Version() != c.version || c.c.String() != c.str {
			t.Errorf("%s: IsV2 %v, Version %d, String %q; want %v, %d, %q", c.name, c.c.IsV2(), c.c.Version(), c.c.String(), c.v2, c.version, c.str)
		}
	}
	if sessionconfig.Of(1) != (sessionconfig.Config{}) {
		t.Error("Of(1) is not the zero value")
	}
}
