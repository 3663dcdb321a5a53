// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package olm_test

import (
	"fmt"
	"log"

	"github.com/newt-e2ee/newt/olm"
)

// Example tells the Alice and Bob story: Bob publishes a one-time key,
// Alice starts a session with it, Bob answers, and both save their state.
func Example() {
	alice := olm.GenerateAccount()
	bob := olm.GenerateAccount()

	// Bob publishes his identity keys and a one-time key (in Matrix: to
	// the homeserver, signed with bob.Sign).
	if _, err := bob.GenerateOneTimeKeys(1); err != nil {
		log.Fatal(err)
	}
	bobIdentity := bob.IdentityKeys().Curve25519
	bobOneTimeKey := bob.OneTimeKeys()[0].Key
	bob.MarkKeysAsPublished()

	// Alice side: start a session and send a first message.
	aliceSession, err := alice.NewOutboundSession(bobIdentity, bobOneTimeKey)
	if err != nil {
		log.Fatal(err)
	}
	first, err := aliceSession.Encrypt([]byte("Hello, Bob"))
	if err != nil {
		log.Fatal(err)
	}
	// Matrix sends the type and the base64 body.
	msgType, body := first.Type(), first.Base64()

	// Bob side: parse the message and create his session from it.
	msg, err := olm.ParseEncryptedMessage(msgType, body)
	if err != nil {
		log.Fatal(err)
	}
	preKey, ok := msg.(*olm.PreKeyMessage)
	if !ok {
		log.Fatal("expected a pre-key message")
	}
	sender := alice.IdentityKeys().Curve25519 // known from the event's sender_key
	bobSession, plaintext, err := bob.NewInboundSessionFrom(sender, preKey)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("Bob got %q (type %d)\n", plaintext, msgType)

	// Bob answers; Alice decrypts and from now on sends normal messages.
	reply, err := bobSession.Encrypt([]byte("Hello, Alice"))
	if err != nil {
		log.Fatal(err)
	}
	plaintext, err = aliceSession.Decrypt(reply)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("Alice got %q (type %d)\n", plaintext, reply.Type())
	fmt.Println("same session:", aliceSession.ID() == bobSession.ID())

	// Both save their state in libolm's pickle format.
	pickleKey := []byte("a key from the application's secret store") // i.e. NOT this.
	saved := aliceSession.Pickle(pickleKey)
	restored, err := olm.SessionFromPickle(saved, pickleKey)
	if err != nil {
		log.Fatal(err)
	}
	next, err := restored.Encrypt([]byte("Bye"))
	if err != nil {
		log.Fatal(err)
	}
	plaintext, err = bobSession.Decrypt(next)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("Bob got %q (type %d)\n", plaintext, next.Type())

	// Output:
	// Bob got "Hello, Bob" (type 0)
	// Alice got "Hello, Alice" (type 1)
	// same session: true
	// Bob got "Bye" (type 1)
}

// ExampleAccount_Sign signs a device's keys.
func ExampleAccount_Sign() {
	account := olm.GenerateAccount()
	sig := account.Sign([]byte(`{"device_id":"ABC"}`))
	fmt.Println(len(sig.String()), len(account.IdentityKeysJSON()))
	// Output: 86 116
}

// An m.olm.v1.curve25519-aes-sha2 ciphertext carries, per recipient key, a
// message type and a base64 body: EncryptBase64 produces exactly that pair
// and DecryptBase64 consumes it, with two allocations each.
func ExampleSession_EncryptBase64() {
	alice, bob := olm.GenerateAccount(), olm.GenerateAccount()
	if _, err := bob.GenerateOneTimeKeys(1); err != nil {
		log.Fatal(err)
	}
	aliceSession, err := alice.NewOutboundSession(bob.IdentityKeys().Curve25519, bob.OneTimeKeys()[0].Key)
	if err != nil {
		log.Fatal(err)
	}

	type ciphertext struct {
		Type olm.MessageType `json:"type"`
		Body string          `json:"body"`
	}
	t, body, err := aliceSession.EncryptBase64([]byte("to-device event"))
	if err != nil {
		log.Fatal(err)
	}
	sent := ciphertext{t, body}

	// The first message starts Bob's session: it goes to the account.
	msg, err := olm.ParseEncryptedMessage(sent.Type, sent.Body)
	if err != nil {
		log.Fatal(err)
	}
	bobSession, pt, err := bob.NewInboundSession(msg.(*olm.PreKeyMessage))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("type %d: %s\n", sent.Type, pt)

	// Later messages go to the existing session.
	t, body, err = bobSession.EncryptBase64([]byte("reply"))
	if err != nil {
		log.Fatal(err)
	}
	pt, err = aliceSession.DecryptBase64(t, body)
	fmt.Printf("type %d: %s %v\n", t, pt, err)
	// Output:
	// type 0: to-device event
	// type 1: reply <nil>
}
