// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package ed25519x_test

import (
	"errors"
	"testing"

	"github.com/newt-e2ee/newt/internal/ed25519x"
	"github.com/newt-e2ee/newt/internal/newttest"
)

// TestC17_NonCanonicalEd25519Keys is the strict verifier's part of
// security checklist row C17 (SECURITY.md): non-canonical encodings (y ≥
// p, x = 0 with the sign bit) are not public keys. Also: TestEdgeCases
// (flag NonCanonicalA), TestNewPublicKey, TestFastVerifyNonCanonicalKeys.
func TestC17_NonCanonicalEd25519Keys(t *testing.T) {
	for _, enc := range newttest.NonCanonicalEd25519(t) {
		if _, err := ed25519x.NewPublicKey(enc); !errors.Is(err, ed25519x.ErrInvalidPublicKey) {
			t.Errorf("%x accepted by NewPublicKey", enc)
		}
	}
}
