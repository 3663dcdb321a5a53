// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package megolm_test

import (
	"testing"

	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/megolm"
	"github.com/newt-e2ee/newt/testvectors"
)

// loadVectors loads testvectors/megolm.json, rejecting unknown keys.
func loadVectors(t testing.TB) *testvectors.MegolmVectors {
	t.Helper()
	v := testvectors.Load[testvectors.MegolmVectors](t, "megolm.json")
	return &v
}

// inboundFromKey returns the inbound session made from the base64 session
// key sk.
func inboundFromKey(t testing.TB, sk string) *megolm.InboundGroupSession {
	t.Helper()
	return newttest.Must(t, megolm.NewInboundGroupSession, newttest.Must(t, megolm.ParseSessionKey, sk))
}

// vectorOutbound returns the outbound session of p, one of the pickles of
// megolm.json's libolm session v, loaded with v's pickle key.
func vectorOutbound(t testing.TB, v *testvectors.MegolmOutboundCase, p string) *megolm.GroupSession {
	t.Helper()
	s, err := megolm.GroupSessionFromPickle(p, []byte(v.PickleKey))
	if err != nil {
		t.Fatal(err)
	}
	return s
}
