// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package megolm_test

import (
	"errors"
	"fmt"

	"github.com/newt-e2ee/newt/megolm"
)

// Alice sends to a room with Bob in it. Carol joins later: Bob forwards her
// the session from the index she is allowed to read, and she cannot read
// what was said before.
func Example() {
	// Alice creates the room's outbound session and shares its key with
	// Bob (over Olm, in an m.room_key event).
	alice := megolm.GenerateGroupSession()
	roomKey := alice.SessionKey().Base64()

	// Bob builds his inbound session; the key's signature is verified.
	key, err := megolm.ParseSessionKey(roomKey)
	if err != nil {
		panic(err)
	}
	bob, err := megolm.NewInboundGroupSession(key)
	if err != nil {
		panic(err)
	}

	// Alice sends two messages; the ciphertext travels as base64.
	sent := []string{
		alice.Encrypt([]byte("Hello, Bob")).Base64(),
		alice.Encrypt([]byte("Carol is joining")).Base64(),
	}
	for _, ct := range sent {
		msg, err := megolm.ParseMessage(ct)
		if err != nil {
			panic(err)
		}
		pt, index, err := bob.Decrypt(msg)
		if err != nil {
			panic(err)
		}
		fmt.Printf("Bob reads #%d: %s\n", index, pt)
	}

	// Carol joins. Bob forwards the session from the next index: the
	// export is unsigned, so Carol's session starts unverified.
	export, err := bob.Export(alice.MessageIndex())
	if err != nil {
		panic(err)
	}
	carol, err := megolm.ImportInboundGroupSession(export)
	if err != nil {
		panic(err)
	}
	fmt.Println("Carol's session:", carol.ID() == alice.ID(), "first index", carol.FirstKnownIndex(), "verified", carol.IsVerified())

	welcome := alice.Encrypt([]byte("Welcome, Carol"))
	if _, _, err := bob.Decrypt(welcome); err != nil {
		panic(err)
	}
	pt, index, err := carol.Decrypt(welcome)
	if err != nil {
		panic(err)
	}
	fmt.Printf("Carol reads #%d: %s\n", index, pt)

	// History stays closed to Carol.
	old, _ := megolm.ParseMessage(sent[0])
	_, _, err = carol.Decrypt(old)
	var unknown *megolm.UnknownMessageIndexError
	if errors.As(err, &unknown) {
		fmt.Printf("Carol cannot read #%d: first known index is %d\n", unknown.Got, unknown.FirstKnown)
	}

	// Output:
	// Bob reads #0: Hello, Bob
	// Bob reads #1: Carol is joining
	// Carol's session: true first index 2 verified false
	// Carol reads #2: Welcome, Carol
	// Carol cannot read #0: first known index is 2
}

// A session can arrive several times: a signed session key from the sender
// at a late index, and an unsigned backup from an earlier one. Merge keeps
// the earliest ratchet and the best trust.
func ExampleInboundGroupSession_Merge() {
	alice := megolm.GenerateGroupSession()
	early, _ := megolm.NewInboundGroupSession(alice.SessionKey())
	backup, _ := early.Export(0)
	for range 5 {
		alice.Encrypt([]byte("..."))
	}

	fromSender, _ := megolm.NewInboundGroupSession(alice.SessionKey()) // verified, index 5
	fromBackup, _ := megolm.ImportInboundGroupSession(backup)          // unverified, index 0
	fmt.Println(fromBackup.Compare(fromSender))

	merged, err := fromSender.Merge(fromBackup)
	if err != nil {
		panic(err)
	}
	fmt.Println("first known index", merged.FirstKnownIndex(), "verified", merged.IsVerified())
	// Output:
	// Better
	// first known index 0 verified true
}

// Sessions are stored as libolm pickles, encrypted with a key the
// application keeps (here a fixed one: do not hardcode real keys).
func ExampleInboundGroupSession_Pickle() {
	alice := megolm.GenerateGroupSession()
	bob, _ := megolm.NewInboundGroupSession(alice.SessionKey())

	pickleKey := []byte("application pickle key")
	stored := bob.Pickle(pickleKey)

	restored, err := megolm.InboundGroupSessionFromPickle(stored, pickleKey)
	if err != nil {
		panic(err)
	}
	pt, _, err := restored.Decrypt(alice.Encrypt([]byte("still here")))
	fmt.Println(string(pt), err, restored.ID() == bob.ID())

	_, err = megolm.InboundGroupSessionFromPickle(stored, []byte("wrong key"))
	fmt.Println(errors.Is(err, megolm.ErrBadPickleKey))
	// Output:
	// still here <nil> true
	// true
}

// The ciphertext field of an m.room.encrypted event is the base64 message:
// EncryptBase64 and DecryptBase64 go from plaintext to that string and back
// without the intermediate Message, with two allocations each.
func ExampleGroupSession_EncryptBase64() {
	alice := megolm.GenerateGroupSession()
	bob, _ := megolm.NewInboundGroupSession(alice.SessionKey())

	content := map[string]string{
		"algorithm":  "m.megolm.v1.aes-sha2",
		"session_id": alice.ID(),
		"ciphertext": alice.EncryptBase64([]byte(`{"type":"m.room.message","content":{"body":"hi"}}`)),
	}

	pt, index, err := bob.DecryptBase64(content["ciphertext"])
	if err != nil {
		panic(err)
	}
	fmt.Printf("#%d: %s\n", index, pt)

	// A busy client can reuse its buffers: then the only allocation left
	// is crypto/aes's key schedule.
	var out, plain []byte
	for i := range 3 {
		out = alice.AppendEncryptBase64(out[:0], []byte("message"))
		plain, index, err = bob.AppendDecryptBase64(plain[:0], string(out))
		fmt.Println(i, index, string(plain), err)
	}
	// Output:
	// #0: {"type":"m.room.message","content":{"body":"hi"}}
	// 0 1 message <nil>
	// 1 2 message <nil>
	// 2 3 message <nil>
}
