// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package testvectors_test

import (
	"testing"

	"github.com/newt-e2ee/newt/testvectors"
)

func TestVodozemacFilesLoad(t *testing.T) {
	p := testvectors.Load[testvectors.VodozemacPickles](t, "vodozemac_pickles.json")
	m := testvectors.Load[testvectors.VodozemacMigration](t, "vodozemac_migration.json")
	d := testvectors.Load[testvectors.VodozemacDehydrated](t, "vodozemac_dehydrated.json")
	e := testvectors.Load[testvectors.VodozemacECIES](t, "vodozemac_ecies.json")
	if len(p.Accounts) < 3 || len(p.Sessions) < 5 || len(p.GroupSessions) < 1 || len(p.InboundGroupSessions) < 3 || len(p.Encrypted) < 5 ||
		len(m.Accounts) < 1 || len(m.Sessions) < 2 || len(m.InboundGroupSessions) < 2 || len(d.Devices) < 1 || len(d.Invalid) < 3 ||
		len(e.Transcripts) < 2 || len(e.InitialMessages) < 4 {
		t.Fatal("a vodozemac vector file lost cases")
	}
}
