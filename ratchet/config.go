// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package ratchet

// Reviewer's note: vodozemac's Olm "v2" session config
// (docs/vodozemac-formats.md, "Session configs"): messages carry version
// byte 4 and the whole 32-byte HMAC instead of its first 8 bytes. The KDFs,
// chains and layouts are unchanged. Opt-in; a new ratchet is version 1.

import (
	"errors"
	"strconv"

	"github.com/newt-e2ee/newt/internal/aessha2"
)

const (
	// VersionV2 is the version byte of messages of a version 2 ratchet.
	VersionV2 = 4
	// FullMACSize is the MAC size of a version 2 ratchet's messages.
	FullMACSize = aessha2.MACSize
)

// ErrConfigMismatch means a message of the other session config: version 4
// for a version 1 ratchet, or version 3 for a version 2 ratchet. It also
// matches [ErrBadVersion].
var ErrConfigMismatch = errors.New("ratchet: message version does not match the session config")

type configError struct{ msg string }

func (e *configError) Error() string   { return e.msg }
func (e *configError) Unwrap() []error { return []error{ErrConfigMismatch, ErrBadVersion} }

func configMismatch(v2 bool, got byte) error {
	want := "1"
	if v2 {
		want = "2"
	}
	return &configError{msg: "ratchet: message version " + strconv.Itoa(int(got)) + " does not match the session config (version " + want + ")"}
}

// ConfigVersion implements [Ratchet.ConfigVersion].
func (r *state) ConfigVersion() int {
	if r.v2 {
		return 2
	}
	return 1
}

// SetConfigVersion implements [Ratchet.SetConfigVersion].
func (r *state) SetConfigVersion(v int) {
	switch v {
	case 1:
		r.v2 = false
	case 2:
		r.v2 = true
	}
}

func (r *state) version() byte {
	if r.v2 {
		return VersionV2
	}
	return Version
}

func (r *state) macSize() int {
	if r.v2 {
		return FullMACSize
	}
	return MACSize
}
