// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package megolm

import (
	"testing"

	"github.com/newt-e2ee/newt/internal/ed25519x"
)

// SetFastVerifyForTest turns the comb-table signature verifier on or off
// for the rest of the test (off: every signature takes the plain strict
// verification).
func SetFastVerifyForTest(t testing.TB, on bool) {
	old := testOnlyDisableFastVerify
	testOnlyDisableFastVerify = !on
	t.Cleanup(func() { testOnlyDisableFastVerify = old })
}

// SetVerifierCacheForTest makes c the package's verifier cache for the rest
// of the test. Tests that call it must not run in parallel.
func SetVerifierCacheForTest(t testing.TB, c *ed25519x.VerifierCache) {
	old := verifierCache
	verifierCache = c
	t.Cleanup(func() { verifierCache = old })
}

// DecryptPlainVerify is s.Decrypt(m) with the comb-table verifier turned
// off for the call. It must not run concurrently with other decryptions.
func DecryptPlainVerify(s *InboundGroupSession, m *Message) ([]byte, uint32, error) {
	old := testOnlyDisableFastVerify
	testOnlyDisableFastVerify = true
	defer func() { testOnlyDisableFastVerify = old }()
	return s.Decrypt(m)
}

// VerifierCacheBytes is the budget of the package's verifier cache.
const VerifierCacheBytes = verifierCacheBytes
