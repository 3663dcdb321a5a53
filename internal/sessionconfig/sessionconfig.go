// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package sessionconfig

import "strconv"

// Config is a session config version. The zero value is version 1.
type Config struct {
	v2 bool
}

// V2 returns the version 2 config.
func V2() Config { return Config{v2: true} }

// Of returns the config of version v: version 2 for 2, else version 1 (the
// callers pass 1 or 2).
func Of(v int) Config { return Config{v2: v == 2} }

// IsV2 reports whether c is version 2.
func (c Config) IsV2() bool { return c.v2 }

// Version returns 1 or 2.
func (c Config) Version() int {
	if c.v2 {
		return 2
	}
	return 1
}

// String returns "v1" or "v2".
func (c Config) String() string { return "v" + strconv.Itoa(c.Version()) }
