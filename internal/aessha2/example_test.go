// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package aessha2_test

import (
	"fmt"

	"github.com/newt-e2ee/newt/internal/aessha2"
)

// Alice sends Bob a Megolm-style message: keys from the shared ratchet,
// ciphertext, then an 8-byte MAC over header ‖ ciphertext. Bob checks the
// MAC before he decrypts.
func Example() {
	ratchet := make([]byte, 128) // R_i, shared by Alice and Bob

	var alice aessha2.Keys
	aessha2.DeriveKeys(&alice, ratchet, aessha2.InfoMegolmKeys)
	msg := []byte{0x03} // version byte and other header fields
	msg = alice.AppendEncrypt(msg, []byte("hello Bob"))
	msg = alice.AppendMAC(msg, msg, aessha2.TruncatedMACSize)
	alice.Clear()

	var bob aessha2.Keys
	aessha2.DeriveKeys(&bob, ratchet, aessha2.InfoMegolmKeys)
	defer bob.Clear()
	body, mac := msg[:len(msg)-aessha2.TruncatedMACSize], msg[len(msg)-aessha2.TruncatedMACSize:]
	if !bob.VerifyMAC(body, mac, aessha2.TruncatedMACSize) {
		fmt.Println("bad MAC")
		return
	}
	pt, err := bob.Decrypt(nil, body[1:])
	fmt.Printf("%q %v\n", pt, err)
	// Output:
	// "hello Bob" <nil>
}
