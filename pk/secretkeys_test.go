// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package pk_test

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/newt-e2ee/newt/pk"
	"github.com/newt-e2ee/newt/testvectors"
)

// TestParseSecretKeys checks the base64 constructors of the secret-key
// types on known keys: the RFC 7748 §6.1 Alice key (public key from the
// RFC) and the Matrix spec's signing seed (public key from the spec's
// appendix), each unpadded and padded, and the rejection of malformed text.
func TestParseSecretKeys(t *testing.T) {
	ans := testvectors.LoadAnswers(t)
	alicePrivHex := ans.Get("rfc7748/alice_private_hex")
	alicePubB64 := ans.Get("rfc7748/alice_public_base64")
	priv, _ := hex.DecodeString(alicePrivHex)
	for _, s := range []string{base64.RawStdEncoding.EncodeToString(priv), base64.StdEncoding.EncodeToString(priv)} {
		d, err := pk.ParseDecryption(s)
		if err != nil || d.PublicKey().String() != alicePubB64 {
			t.Errorf("ParseDecryption(%q) = %v, %v", s, d, err)
		}
	}
	// The Matrix spec writes its seed with non-zero trailing bits (the final
	// "1"); the canonical encoding of the same 32 bytes ends in "0".
	seed, _ := base64.RawStdEncoding.DecodeString(specSeedB64)
	canonical := base64.RawStdEncoding.EncodeToString(seed)
	if _, err := pk.ParseSigning(specSeedB64); !errors.Is(err, pk.ErrInvalidBase64) {
		t.Errorf("ParseSigning accepted non-zero trailing bits: %v", err)
	}
	for _, s := range []string{canonical, canonical + "="} {
		sg, err := pk.ParseSigning(s)
		if err != nil || sg.PublicKey().String() != specPublicKey {
			t.Errorf("ParseSigning(%q) = %v, %v", s, sg, err)
		}
	}
	for _, bad := range []string{"", "AAAA", canonical + "==", canonical[:42] + "*", canonical + "AAAA"} {
		if _, err := pk.ParseSigning(bad); !errors.Is(err, pk.ErrInvalidBase64) && !errors.Is(err, pk.ErrInvalidKey) {
			t.Errorf("ParseSigning(%q): %v", bad, err)
		} else if strings.Contains(err.Error(), bad) && bad != "" {
			t.Errorf("error %q contains the input", err)
		}
		if _, err := pk.ParseDecryption(bad); !errors.Is(err, pk.ErrInvalidBase64) && !errors.Is(err, pk.ErrInvalidKey) {
			t.Errorf("ParseDecryption(%q): %v", bad, err)
		}
	}
}
