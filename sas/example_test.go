// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package sas_test

import (
	"fmt"
	"strings"

	"github.com/newt-e2ee/newt/sas"
)

// Alice's phone and Bob's laptop verify each other with emoji. Each side has
// its own SAS; the public keys travel in m.key.verification.key events.
func Example() {
	alice := sas.Generate() // on Alice's device ALICEPHONE
	bob := sas.Generate()   // on Bob's device BOBLAPTOP

	// Each device receives the other's key as unpadded base64.
	if err := alice.SetTheirKeyBase64(bob.PublicKey().String()); err != nil {
		panic(err)
	}
	if err := bob.SetTheirKeyBase64(alice.PublicKey().String()); err != nil {
		panic(err)
	}

	// The info string names both users, devices, keys and the transaction
	// (spec: "MATRIX_KEY_VERIFICATION_SAS|" ...). Both sides build the same.
	info := []byte("MATRIX_KEY_VERIFICATION_SAS|@alice:example.org|ALICEPHONE|" +
		alice.PublicKey().String() + "|@bob:example.org|BOBLAPTOP|" +
		bob.PublicKey().String() + "|txn-1")

	show := func(s *sas.SAS) string {
		indices, err := s.EmojiIndices(info)
		if err != nil {
			panic(err)
		}
		var names []string
		for _, i := range indices {
			e, _ := sas.LookupEmoji(i)
			names = append(names, e.Symbol+" "+e.Description)
		}
		return strings.Join(names, ", ")
	}
	aliceSees, bobSees := show(alice), show(bob)
	fmt.Println("Alice and Bob see the same seven emoji:", aliceSees == bobSees)

	// The users press "They match"; now each device MACs its Ed25519 key with
	// the shared secret ("hkdf-hmac-sha256.v2") and the other checks it.
	aliceKeyID := "ed25519:ALICEPHONE"
	macInfo := []byte("MATRIX_KEY_VERIFICATION_MAC@alice:example.orgALICEPHONE@bob:example.orgBOBLAPTOPtxn-1" + aliceKeyID)
	mac, err := alice.CalculateMAC([]byte("<Alice's Ed25519 key>"), macInfo)
	if err != nil {
		panic(err)
	}
	fmt.Println("Bob accepts Alice's key MAC:", bob.VerifyMAC([]byte("<Alice's Ed25519 key>"), macInfo, mac) == nil)
	fmt.Println("Bob rejects a swapped key:", bob.VerifyMAC([]byte("<Mallory's Ed25519 key>"), macInfo, mac) != nil)
	// Output:
	// Alice and Bob see the same seven emoji: true
	// Bob accepts Alice's key MAC: true
	// Bob rejects a swapped key: true
}

// Decimals are the alternative to emoji: three numbers from 1000 to 9191.
func ExampleDecimals() {
	fmt.Println(sas.Decimals([5]byte{0x00, 0x08, 0x00, 0x80, 0x07}))
	// Output: [1001 1002 1003]
}

// The emoji table of the Matrix spec.
func ExampleLookupEmoji() {
	for _, i := range sas.EmojiIndices([6]byte{0x04, 0x20, 0xc4, 0x14, 0x61, 0xc8}) {
		e, _ := sas.LookupEmoji(i)
		fmt.Print(e.Description, " ")
	}
	fmt.Println()
	// Output: Cat Lion Horse Unicorn Pig Elephant Rabbit
}
