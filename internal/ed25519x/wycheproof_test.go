// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package ed25519x_test

import (
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"testing"

	"github.com/newt-e2ee/newt/internal/ed25519x"
	"github.com/newt-e2ee/newt/internal/newttest"
)

// wycheproofFile is the part of Wycheproof's eddsa_verify_schema_v1 that
// the test reads.
type wycheproofFile struct {
	Algorithm     string `json:"algorithm"`
	NumberOfTests int    `json:"numberOfTests"`
	TestGroups    []struct {
		PublicKey struct {
			Curve string `json:"curve"`
			PK    string `json:"pk"`
		} `json:"publicKey"`
		Tests []struct {
			TcID    int      `json:"tcId"`
			Comment string   `json:"comment"`
			Flags   []string `json:"flags"`
			Msg     string   `json:"msg"`
			Sig     string   `json:"sig"`
			Result  string   `json:"result"`
		} `json:"tests"`
	} `json:"testGroups"`
}

// wycheproofFlagsShouldPass is the decision newt makes for every flag of
// Wycheproof's ed25519_test.json (testdata/README.md): a vector must verify
// exactly when all of its flags pass. A flag missing here fails the test, so
// a new Wycheproof release cannot slip in an undecided kind of vector. The
// decisions agree with Wycheproof's "result" for every vector: strict
// verification only rejects more than crypto/ed25519 for small-order or
// non-canonical keys and small-order R, none of which these vectors use
// under a valid result.
var wycheproofFlagsShouldPass = map[string]bool{
	"Valid": true, // ordinary signatures
	"Ktv":   true, // known valid (RFC 8032 and others)
	// Known invalid signatures.
	"InvalidKtv": false,
	// R or S with 0 bytes cut, or R and S overlapping.
	"CompressedSignature": false,
	// Non-canonical R (y >= p, or a modified encoding with S recomputed):
	// rejected because the encoded S·B − k·A is compared with R byte for byte.
	"InvalidEncoding": false,
	// S = 0, S = L, R = identity with S = 0 and the like.
	"InvalidSignature": false,
	// S + L, S + 2^253...: S >= L is rejected (libolm accepts S + L,
	// CVE-2024-45193).
	"SignatureMalleability": false,
	// Signatures of the wrong length.
	"SignatureWithGarbage": false,
	"TruncatedSignature":   false,
	// Valid signatures whose S once overflowed Tink's arithmetic.
	"TinkOverflow": true,
}

func TestWycheproof(t *testing.T) {
	b, err := os.ReadFile("testdata/wycheproof_ed25519_test.json")
	if err != nil {
		t.Fatal(err)
	}
	var f wycheproofFile
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	if f.Algorithm != "EDDSA" {
		t.Fatalf("algorithm %q", f.Algorithm)
	}
	n := 0
	for _, g := range f.TestGroups {
		if g.PublicKey.Curve != "edwards25519" {
			t.Fatalf("curve %q", g.PublicKey.Curve)
		}
		pub := newttest.Hex(t, g.PublicKey.PK)
		pk, keyErr := ed25519x.NewPublicKey(pub)
		fv, fvErr := ed25519x.NewFastVerifier(pub)
		if keyErr != nil || fvErr != nil {
			// No Wycheproof key is small order or non-canonical.
			t.Fatalf("key %x rejected: %v, %v", pub, keyErr, fvErr)
		}
		for _, c := range g.Tests {
			n++
			want := true
			for _, fl := range c.Flags {
				pass, ok := wycheproofFlagsShouldPass[fl]
				if !ok {
					t.Fatalf("tcId %d: flag %q has no decision", c.TcID, fl)
				}
				want = want && pass
			}
			if want != (c.Result == "valid") {
				t.Errorf("tcId %d (%s, %v): our decision %v disagrees with Wycheproof's %q", c.TcID, c.Comment, c.Flags, want, c.Result)
			}
			msg := newttest.Hex(t, c.Msg)
			sig, err := hex.DecodeString(c.Sig)
			if err != nil {
				t.Fatalf("tcId %d: %v", c.TcID, err)
			}
			if got := ed25519x.Verify(pub, msg, sig); got != want {
				t.Errorf("tcId %d (%s, %v): Verify = %v, want %v", c.TcID, c.Comment, c.Flags, got, want)
			}
			if got := pk.Verify(msg, sig); got != want {
				t.Errorf("tcId %d: PublicKey.Verify = %v, want %v", c.TcID, got, want)
			}
			if got := fv.Verify(msg, sig); got != want {
				t.Errorf("tcId %d: FastVerifier.Verify = %v, want %v", c.TcID, got, want)
			}
			// Cross-check with the standard library, which must agree on
			// every Wycheproof vector (none uses a small-order key or R).
			if std := ed25519.Verify(pub, msg, sig); std != want {
				t.Errorf("tcId %d: crypto/ed25519 = %v, want %v", c.TcID, std, want)
			}
		}
	}
	if n != f.NumberOfTests || n == 0 {
		t.Fatalf("ran %d vectors, file declares %d", n, f.NumberOfTests)
	}
	if _, err := ed25519x.NewPublicKey(nil); !errors.Is(err, ed25519x.ErrInvalidPublicKey) {
		t.Fatal("nil key accepted")
	}
}
