// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package keys

import (
	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/internal/b64"
)

// unpad returns s without its '=' padding if s is correctly padded standard
// base64 (a multiple of four characters ending in "=" or "==", with exactly
// the number of '=' the data needs), and s unchanged otherwise, in which case
// the strict decoders below reject any '=' it holds. Matrix writes unpadded
// base64, but matrix-js-sdk pads secret storage fields and padded keys occur
// in the wild (docs/keys-at-rest.md, "Base64").
func unpad[T ~string | ~[]byte](s T) T {
	n := len(s)
	if n == 0 || n%4 != 0 || s[n-1] != '=' {
		return s
	}
	if s[n-2] == '=' {
		return s[:n-2]
	}
	return s[:n-1]
}

// decodeSecret decodes padded or unpadded standard base64 that holds secret
// material, with newt's strict constant-time decoder (no whitespace, no
// URL-safe alphabet, canonical trailing bits). The caller owns and should
// clear the result.
func decodeSecret(s string) ([]byte, error) {
	return newt.DecodeSecret(s)
}

// decodePublic is decodeSecret for public data, in variable time.
func decodePublic(s string) ([]byte, error) {
	return b64.DecodeStringPublic(unpad(s))
}

// parseCurve25519 parses a Curve25519 public key in padded or unpadded
// base64.
func parseCurve25519(s string) (newt.Curve25519PublicKey, error) {
	b, err := decodePublic(s)
	if err != nil {
		return newt.Curve25519PublicKey{}, err
	}
	return newt.NewCurve25519PublicKey(b)
}
