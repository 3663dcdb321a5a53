// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package wire_test

import (
	"fmt"

	"github.com/newt-e2ee/newt/internal/wire"
)

func Example() {
	// Build an Olm message the way libolm does: header, ciphertext in
	// place, then the MAC over everything before it.
	ratchetKey := []byte("ratchetkey")
	ciphertext := []byte("ciphertext")
	n := wire.OlmMessageBodyLen(len(ratchetKey), 1, len(ciphertext)) + 8
	msg := make([]byte, 0, n)
	msg = wire.AppendOlmMessageHeader(msg, wire.OlmVersion, ratchetKey, 1, len(ciphertext))
	msg = append(msg, ciphertext...) // e.g. aessha2.Keys.AppendEncrypt
	msg = append(msg, "hmacsha2"...) // e.g. aessha2.Keys.AppendMAC over msg
	fmt.Printf("%d bytes: % x\n", len(msg), msg[:5])

	m, err := wire.DecodeOlmMessage(msg, 8)
	fmt.Printf("v%d %q %d %q %q %v\n", m.Version, m.RatchetKey, m.Counter, m.Ciphertext, m.MAC, err)

	// Duplicate fields are rejected (libolm would keep the last one).
	_, err = wire.DecodeMegolmMessage([]byte{3, 0x08, 1, 0x08, 2, 'm', 'a', 'c'}, 3, 0)
	fmt.Println(err)
	// Output:
	// 35 bytes: 03 0a 0a 72 61
	// v3 "ratchetkey" 1 "ciphertext" "hmacsha2" <nil>
	// wire: duplicate field at offset 3
}
