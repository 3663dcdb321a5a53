// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package pk_test

import (
	"testing"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/internal/aessha2"
	"github.com/newt-e2ee/newt/internal/x25519"
	"github.com/newt-e2ee/newt/pk"
)

// pkForge returns a message to d from the ephemeral key eph around ct with
// a valid MAC (pk's MAC covers nothing; see the package doc), and the keys
// it uses, so that a test can reach the checks behind the MAC.
func pkForge(t testing.TB, d *pk.Decryption, eph *x25519.PrivateKey, ct []byte) (*pk.Message, *aessha2.Keys) {
	t.Helper()
	recipient := d.PublicKey().Array()
	shared, err := x25519.DH(eph, &recipient)
	if err != nil {
		t.Fatal(err)
	}
	var k aessha2.Keys
	aessha2.DeriveKeys(&k, shared[:], aessha2.InfoPK)
	m := &pk.Message{
		Ciphertext:   ct,
		MAC:          k.AppendMAC(nil, nil, aessha2.TruncatedMACSize),
		EphemeralKey: newt.Curve25519PublicKeyFromArray(x25519.PublicKey(eph)),
	}
	return m, &k
}

// randomForge is pkForge with a fresh ephemeral key.
func randomForge(t testing.TB, d *pk.Decryption, ct []byte) (*pk.Message, *aessha2.Keys) {
	t.Helper()
	e, _ := x25519.GenerateKey()
	return pkForge(t, d, &e, ct)
}
