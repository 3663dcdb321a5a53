// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package newttest

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

const stdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

// CheckBase64Entry is checklist row C22 for one base64 entry point: parse
// must accept valid (returning [ErrAccepted]) and reject, with nil for
// every variant, bad characters, non-ASCII UTF-8, embedded CRLF, LF or
// spaces, the URL-safe alphabet, NUL, '=' padding, a length ≡ 1 (mod 4),
// standard padded base64 and non-canonical trailing bits. parse returns
// [WantError] of its result.
func CheckBase64Entry(t *testing.T, name, valid string, parse func(s string) error) {
	t.Helper()
	if err := parse(valid); !errors.Is(err, ErrAccepted) {
		t.Fatalf("%s: valid input: %v", name, err)
	}
	mid := len(valid) / 2
	raw, err := base64.RawStdEncoding.DecodeString(valid)
	if err != nil {
		t.Fatal(err)
	}
	variants := map[string]string{
		"bad character '!'":      valid[:mid] + "!" + valid[mid+1:],
		"non-ASCII é":            valid[:mid] + "é" + valid[mid+2:],
		"URL-safe '-'":           valid[:mid] + "-" + valid[mid+1:],
		"URL-safe '_'":           valid[:mid] + "_" + valid[mid+1:],
		"embedded CRLF":          valid[:mid] + "\r\n" + valid[mid:],
		"embedded LF":            valid[:mid] + "\n" + valid[mid:],
		"embedded space":         valid[:mid] + " " + valid[mid:],
		"leading space":          " " + valid,
		"NUL":                    valid[:mid] + "\x00" + valid[mid+1:],
		"padding":                valid + strings.Repeat("=", max(1, (4-len(valid)%4)%4)),
		"length 1 mod 4":         valid + strings.Repeat("A", (5-len(valid)%4)%4),
		"standard padded base64": base64.StdEncoding.EncodeToString(raw),
	}
	if len(valid)%4 != 0 {
		last := strings.IndexByte(stdAlphabet, valid[len(valid)-1])
		variants["non-canonical trailing bits"] = valid[:len(valid)-1] + string(stdAlphabet[last|1])
	}
	for what, s := range variants {
		if s == valid {
			continue
		}
		if err := parse(s); err != nil {
			t.Errorf("%s, %s: %v", name, what, err)
		}
	}
}
