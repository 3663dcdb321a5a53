// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package megolm_test

import (
	"testing"

	"github.com/newt-e2ee/newt/megolm"
)

// The constructors the vodozemac tests use, in one place.

func libolmInbound(p string, key []byte) (*megolm.InboundGroupSession, error) {
	return megolm.InboundGroupSessionFromPickle(p, key)
}

func libolmOutbound(p string, key []byte) (*megolm.GroupSession, error) {
	return megolm.GroupSessionFromPickle(p, key)
}

func newGroupSession(t *testing.T) *megolm.GroupSession {
	t.Helper()
	return megolm.GenerateGroupSession()
}
