// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// Package sessionconfig holds what the SessionConfig types of packages olm
// and megolm share: vodozemac's session config version
// (docs/vodozemac-formats.md, "Session configs"). Version 1, the zero value,
// is the Matrix spec's and libolm's message format; version 2 is
// vodozemac's opt-in format with the untruncated MAC and message version
// byte 4. What a version changes is each protocol's own business: the
// packages keep their message version bytes and MAC sizes.
//
// The config is public data; it selects a format and holds no secret.
package sessionconfig
