// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package wire_test

import (
	"bytes"
	"testing"

	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/internal/wire"
)

// The fuzz targets check, for any input: no panic; a failure is a
// *wire.DecodeError with a zero message; on success the canonical
// re-encoding decodes to equal fields, and it is byte-identical to the input
// iff the input was canonical (no unknown fields, libolm's order).

// FuzzOlmMessage fuzzes DecodeOlmMessage with MAC lengths 8 and 32 (and
// others), seeded with the vectors of testvectors/message.json.
func FuzzOlmMessage(f *testing.F) {
	km := knownMessages(f)
	vecM1 := km["vecM1"]
	vecM2 := km["vecM2"]
	vecM3 := km["vecM3"]
	vecV5 := km["vecV5"]
	vecV6 := km["vecV6"]
	for _, v := range []string{vecM2, vecM3, vecV6} {
		f.Add(newttest.Base64(f, v), uint8(8))
	}
	for _, v := range []string{vecM1, vecV5} {
		p, err := wire.DecodePreKeyMessage(newttest.Base64(f, v))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(p.Message, uint8(8))
	}
	f.Add(cat(3, 0x10, 1, 0x0a, 10, rk, 0x22, 10, ct, mac8), uint8(8))
	f.Add(cat(3, 0x0A, 0x20, "ratchetkeyhereprettyplease123456", 0x10, 0x02, 0x22, 0x0A, "ciphertext", "MAC_01234567890_01234567890_HERE"), uint8(32))
	f.Add(cat(3, 0x18, 5, 0x2a, 1, 0, 0x10, 0x80, 0x00, mac8), uint8(8))
	f.Fuzz(func(t *testing.T, b []byte, macLen uint8) {
		checkOlm(t, b, int(macLen%40))
	})
}

// FuzzPreKeyMessage fuzzes DecodePreKeyMessage, and the inner message of
// every pre-key message that decodes.
func FuzzPreKeyMessage(f *testing.F) {
	km := knownMessages(f)
	vecM1 := km["vecM1"]
	vecM1b := km["vecM1b"]
	vecV5 := km["vecV5"]
	for _, v := range []string{vecM1, vecM1b, vecV5} {
		f.Add(newttest.Base64(f, v))
	}
	f.Add(cat(3, 0x22, 0, 0x1a, 0, 0x12, 0, 0x0a, 0))
	f.Fuzz(func(t *testing.T, b []byte) {
		checkPreKey(t, b)
		if m, err := wire.DecodePreKeyMessage(b); err == nil && m.Message != nil {
			checkOlm(t, m.Message, 8)
		}
	})
}

// FuzzMegolmMessage fuzzes DecodeMegolmMessage with libolm's lengths (MAC 8,
// signature 64) and with arbitrary small ones.
func FuzzMegolmMessage(f *testing.F) {
	km := knownMessages(f)
	vecGroup0 := km["vecGroup0"]
	vecGroup13 := km["vecGroup13"]
	vecGroupD0 := km["vecGroupD0"]
	vecGroupD1 := km["vecGroupD1"]
	vecGroupV4 := km["vecGroupV4"]
	for _, v := range []string{vecGroup0, vecGroup13, vecGroupD0, vecGroupD1, vecGroupV4} {
		f.Add(newttest.Base64(f, v), uint8(8), uint8(64))
	}
	f.Add(cat(3, 0x08, 0xc8, 0x01, 0x12, 0x0a, "ciphertext", "hmacsha2", "ed25519signature"), uint8(8), uint8(16))
	f.Add(cat(3, 0x08, 0, bytes.Repeat([]byte{0}, 72)), uint8(8), uint8(64))
	f.Fuzz(func(t *testing.T, b []byte, macLen, sigLen uint8) {
		checkMegolm(t, b, int(macLen%40), int(sigLen%80))
	})
}
