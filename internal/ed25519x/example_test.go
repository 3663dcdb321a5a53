// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package ed25519x_test

import (
	"fmt"

	"github.com/newt-e2ee/newt/internal/ed25519x"
)

// Alice signs with the key libolm's test_crypto.cpp uses; Bob validates her
// public key once and verifies.
func Example() {
	seed := [32]byte([]byte("This key is a string of 32 bytes"))
	alice := ed25519x.NewKeyFromSeed(&seed)
	// libolm stores only the public key and the expanded key.
	pub, sk := alice.Public(), alice.Expanded()
	restored := ed25519x.NewKeyFromExpanded(&pub, &sk)

	sig := restored.Sign([]byte("Hello, World"))
	fmt.Printf("%x\n", sig[:32])

	bob, err := ed25519x.NewPublicKey(pub[:])
	if err != nil {
		panic(err)
	}
	fmt.Println(bob.Verify([]byte("Hello, World"), sig[:]))
	fmt.Println(bob.Verify([]byte("Hello, World!"), sig[:]))
	// Output:
	// b5b4f6614065d1ac64dce0ccaf3f7c1d3fe39274e4fcea13615e3bf4c77de13a
	// true
	// false
}
