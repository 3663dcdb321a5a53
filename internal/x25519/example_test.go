// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package x25519_test

import (
	"fmt"

	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/internal/x25519"
)

// Alice and Bob agree on a secret, with the RFC 7748 §6.1 keys (libolm's
// test keys). Each side keeps its private key raw, as libolm stores it.
func Example() {
	alice := x25519.PrivateKey([32]byte(newttest.MustHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a")))
	bob := x25519.PrivateKey([32]byte(newttest.MustHex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb")))
	alicePub, bobPub := x25519.PublicKey(&alice), x25519.PublicKey(&bob)

	s1, err1 := x25519.DH(&alice, &bobPub)
	s2, err2 := x25519.DH(&bob, &alicePub)
	fmt.Println(s1 == s2, err1, err2)
	fmt.Printf("%x\n", s1)

	// A low-order key (here u = 0) is refused.
	var zero [32]byte
	_, err := x25519.DH(&alice, &zero)
	fmt.Println(err)
	// Output:
	// true <nil> <nil>
	// 4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742
	// x25519: non-contributory (low-order) public key
}
