// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package keys

import (
	"bytes"
	"testing"
)

// TestDeriveKey compares newt's PBKDF2-HMAC-SHA-512 with crypto/pbkdf2's,
// for one and several output blocks, empty and long passphrases and salts.
func TestDeriveKey(t *testing.T) {
	for _, tc := range []struct {
		pass, salt string
		rounds     uint32
		size       int
	}{
		{"password", "salt", 1, 64},
		{"password", "salt", 2, 64},
		{"passphrase \u00e9\U0001F511", "0123456789abcdef", 1000, 32},
		{"", "", 3, 64},
		{string(bytes.Repeat([]byte("k"), 200)), string(bytes.Repeat([]byte("s"), 100)), 17, 130},
		{"p", "s", 5, 1},
	} {
		got := deriveKey([]byte(tc.pass), []byte(tc.salt), tc.rounds, tc.size)
		if want := stdPBKDF2(tc.pass, []byte(tc.salt), tc.rounds, tc.size); !bytes.Equal(got, want) {
			t.Errorf("%q %q %d %d: %x, want %x", tc.pass, tc.salt, tc.rounds, tc.size, got, want)
		}
	}
}
