// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package x25519_test

import (
	"encoding/json"
	"errors"
	"os"
	"testing"

	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/internal/x25519"
)

// wycheproofFile is the part of Wycheproof's xdh_comp_schema_v1 that the
// test reads.
type wycheproofFile struct {
	Algorithm     string `json:"algorithm"`
	NumberOfTests int    `json:"numberOfTests"`
	TestGroups    []struct {
		Curve string `json:"curve"`
		Tests []struct {
			TcID    int      `json:"tcId"`
			Comment string   `json:"comment"`
			Flags   []string `json:"flags"`
			Public  string   `json:"public"`
			Private string   `json:"private"`
			Shared  string   `json:"shared"`
			Result  string   `json:"result"`
		} `json:"tests"`
	} `json:"testGroups"`
}

// wycheproofFlagsAccepted says, for every flag of Wycheproof's
// x25519_test.json (testdata/README.md), whether DH must return the listed
// shared secret (true) or ErrNonContributory (false). A vector is rejected
// when any of its flags says so. A flag missing here fails the test.
//
// Wycheproof marks the rejected kinds "acceptable": RFC 7748 §6.1 lets an
// implementation reject the all-zero output. newt always does (libolm does
// not): every low-order public key, on the curve or its twist, canonical or
// not, gives the all-zero secret.
var wycheproofFlagsAccepted = map[string]bool{
	"Normal":                 true,
	"Ktv":                    true, // RFC 7748 known answers
	"EdgeCaseMultiplication": true,
	"EdgeCasePrivateKey":     true,
	"EdgeCaseShared":         true,
	"SpecialPublicKey":       true,
	// Points on the twist are used as RFC 7748 says (libolm does the same).
	"Twist": true,
	// u >= p is reduced mod p, as RFC 7748 §5 requires, so results match
	// libolm byte for byte.
	"NonCanonicalPublic": true,
	// Public keys such as u = 0 or 1 that belong to no private key: their
	// outputs are only rejected when they are all zero (see below).
	"SmallPublicKey": true,
	// The shared secret is all zero: newt refuses it (SECURITY.md row C16).
	"ZeroSharedSecret": false,
	"LowOrderPublic":   false,
}

func TestWycheproof(t *testing.T) {
	b, err := os.ReadFile("testdata/wycheproof_x25519_test.json")
	if err != nil {
		t.Fatal(err)
	}
	var f wycheproofFile
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	if f.Algorithm != "XDH" {
		t.Fatalf("algorithm %q", f.Algorithm)
	}
	n, rejected := 0, 0
	for _, g := range f.TestGroups {
		if g.Curve != "curve25519" {
			continue
		}
		for _, c := range g.Tests {
			n++
			accept := true
			for _, fl := range c.Flags {
				a, ok := wycheproofFlagsAccepted[fl]
				if !ok {
					t.Fatalf("tcId %d: flag %q has no decision", c.TcID, fl)
				}
				accept = accept && a
			}
			priv := x25519.PrivateKey(newttest.Hex32(t, c.Private))
			pub := newttest.Hex32(t, c.Public)
			shared := newttest.Hex32(t, c.Shared)
			zero := shared == [32]byte{}
			if zero == accept {
				t.Errorf("tcId %d (%s, %v): accept=%v but the shared secret is %x", c.TcID, c.Comment, c.Flags, accept, shared)
			}
			if c.Result == "invalid" {
				t.Errorf("tcId %d: an invalid X25519 vector; decide what to do with it", c.TcID)
			}
			got, err := x25519.DH(&priv, &pub)
			if accept {
				if err != nil || got != shared {
					t.Errorf("tcId %d (%s, %v): DH = %x, %v; want %x", c.TcID, c.Comment, c.Flags, got, err, shared)
				}
				continue
			}
			rejected++
			if !errors.Is(err, x25519.ErrNonContributory) || got != ([32]byte{}) {
				t.Errorf("tcId %d (%s, %v): DH = %x, %v; want ErrNonContributory", c.TcID, c.Comment, c.Flags, got, err)
			}
		}
	}
	if n != f.NumberOfTests || n == 0 || rejected == 0 {
		t.Fatalf("ran %d vectors (%d rejected), file declares %d", n, rejected, f.NumberOfTests)
	}
	t.Logf("%d vectors, %d rejected as non-contributory", n, rejected)
}
