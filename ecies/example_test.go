// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package ecies_test

import (
	"fmt"

	"github.com/newt-e2ee/newt/ecies"
)

func Example() {
	// The new device shows its public key in a QR code.
	newDevice := ecies.Generate()
	qr := newDevice.PublicKey()

	// The existing device scans it and opens the channel.
	existing, initial, err := ecies.Generate().EstablishOutbound(qr, []byte("MATRIX_QR_CODE_LOGIN_INITIATE"))
	if err != nil {
		panic(err)
	}

	// The new device receives the initial message (as text).
	msg, err := ecies.ParseInitialMessage(initial.String())
	if err != nil {
		panic(err)
	}
	channel, first, err := newDevice.EstablishInbound(msg)
	if err != nil {
		panic(err)
	}
	fmt.Println(string(first))

	// Both sides show the same check code; the user compares them.
	fmt.Println(channel.CheckCode() == existing.CheckCode())

	reply, _ := existing.Decrypt(channel.Encrypt([]byte("MATRIX_QR_CODE_LOGIN_OK")))
	fmt.Println(string(reply))
	// Output:
	// MATRIX_QR_CODE_LOGIN_INITIATE
	// true
	// MATRIX_QR_CODE_LOGIN_OK
}
