// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package ecies

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/newt-e2ee/newt/internal/newttest"
)

// TestC25_NoSecretsInFormatting formats an Ecies (its private key) and a
// Channel (its two ChaCha20-Poly1305 keys, found by reflection) with every
// fmt verb, as pointers, directly, as an exported field of a struct and in
// unexported fields, slices, maps and interfaces of a struct (where fmt
// cannot call their methods), and requires that no rendering of the secrets
// appears. The package's other exported types hold public data only (the
// check code is shown to users).
func TestC25_NoSecretsInFormatting(t *testing.T) {
	e := Generate()
	newttest.CheckFormatting(t, "ecies.Ecies", e, bytes.Clone(e.priv.Get()[:]))
	alice, bob := pair(t)
	var keys [][]byte
	for _, b := range newttest.StructBytes(reflect.ValueOf(alice)) {
		if len(b) == 32 && !bytes.Equal(b, alice.ourPub[:]) && !bytes.Equal(b, alice.theirPub[:]) {
			keys = append(keys, b)
		}
	}
	if len(keys) != 2 {
		t.Fatalf("found %d channel keys, want 2", len(keys))
	}
	newttest.CheckFormatting(t, "ecies.Channel", alice, keys...)
	newttest.CheckFormatting(t, "ecies.Channel (recipient)", bob, keys...)
	newttest.CheckExportedTypes(t, ".", "Ecies", "Channel", "CheckCode", "InitialMessage", "Message")
}
