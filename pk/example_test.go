// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package pk_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/pk"
)

// Alice backs up a Megolm room key from her laptop and restores it on her
// new phone. The backup key pair is made once; its public half goes into the
// backup version's auth_data, its private half into secret storage.
func Example() {
	// Laptop: create the backup key and keep the private key in secret
	// storage (here: a variable).
	backupKey := pk.GenerateDecryption()
	recoveryKey := backupKey.PrivateKey()
	authDataPublicKey := backupKey.PublicKey().String()

	// Laptop, for each room key: encrypt to the backup's public key and
	// upload session_data to the server.
	roomKey := []byte(`{"algorithm":"m.megolm.v1.aes-sha2","session_key":"AQAAAAC..."}`)
	enc := pk.NewEncryption(backupKey.PublicKey())
	msg, err := enc.Encrypt(roomKey)
	if err != nil {
		panic(err) // only for a low-order backup key
	}
	sessionData, _ := json.Marshal(map[string]string{
		"ephemeral":  msg.EphemeralKeyBase64(),
		"ciphertext": msg.CiphertextBase64(),
		"mac":        msg.MACBase64(),
	})

	// Phone: recover the backup key from secret storage, check that it
	// matches the backup's auth_data, download session_data and decrypt.
	restored, err := pk.NewDecryption(recoveryKey)
	if err != nil {
		panic(err)
	}
	clear(recoveryKey) // the caller owns copies of secrets
	fmt.Println("backup key matches auth_data:", restored.PublicKey().String() == authDataPublicKey)

	var data struct{ Ephemeral, Ciphertext, MAC string }
	if err := json.Unmarshal(sessionData, &data); err != nil {
		panic(err)
	}
	m, err := pk.ParseMessage(data.Ciphertext, data.MAC, data.Ephemeral)
	if err != nil {
		panic(err)
	}
	plaintext, err := restored.Decrypt(m)
	if err != nil {
		panic(err)
	}
	fmt.Println(string(plaintext))
	// Output:
	// backup key matches auth_data: true
	// {"algorithm":"m.megolm.v1.aes-sha2","session_key":"AQAAAAC..."}
}

// A cross-signing key signs JSON the Matrix way. The seed is the one of the
// Matrix spec's test vectors; DO NOT hardcode real seeds.
func ExampleSigning_SignJSON() {
	seed, _ := base64.RawStdEncoding.DecodeString("YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1")
	key, err := pk.NewSigning(seed)
	if err != nil {
		panic(err)
	}
	obj := map[string]any{"one": 1, "two": "Two", "unsigned": map[string]any{"age_ts": int64(922834800000)}}

	signed, _ := newt.CanonicalJSONForSigning(obj)
	fmt.Println(string(signed))
	sig, err := key.SignJSON(obj)
	if err != nil {
		panic(err)
	}
	fmt.Println(sig)
	fmt.Println(pk.VerifyJSON(obj, key.PublicKey(), sig))
	// Output:
	// {"one":1,"two":"Two"}
	// KqmLSbO39/Bzb0QIYE82zqLwsA+PDzYIpIRA2sRQ4sL53+sN6/fpNSoqE7BP7vBZhG6kYdD13EIMJpvhJI+6Bw
	// <nil>
}
