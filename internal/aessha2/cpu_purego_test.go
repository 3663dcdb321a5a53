// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

//go:build purego

package aessha2_test

import (
	"testing"

	"github.com/newt-e2ee/newt/internal/aessha2"
)

// TestHardwareAESPurego: with the purego tag crypto/aes is the generic
// table-based code on every machine, so HardwareAES must say so.
func TestHardwareAESPurego(t *testing.T) {
	if aessha2.HardwareAES() {
		t.Fatal("HardwareAES() = true in a purego build")
	}
}
