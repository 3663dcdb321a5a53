// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// Command newt shows the newt packages at work and looks inside the data they
// exchange and store: Olm and Megolm messages, Megolm session keys and
// exports, and libolm-format pickles. It is a learning and debugging tool;
// applications use the packages olm, megolm, pk and sas directly.
//
// Usage:
//
//	newt <command> [flags] [arguments]
//
// Every command accepts -h or --help. Errors are one line on standard error,
// prefixed with the command ("newt inspect: ..."). The exit status is 0 on
// success, 1 when the operation failed (input that does not decode, a wrong
// pickle key, an invalid signature, a failed demo check) and 2 for a usage
// error.
//
// # newt demo
//
//	newt demo
//
// Runs the whole story in memory with fresh random keys and prints each step:
// Alice opens an Olm session to Bob from one of his one-time keys (a pre-key
// message) and Bob replies; Alice, Bob and Carol share a room, where Alice
// and Bob each send their Megolm session key to the others over Olm and
// everyone reads the others' messages; Alice and Bob verify each other with
// SAS (seven emoji with their names, three numbers, and MACs of their device
// keys with the method hkdf-hmac-sha256.v2); Alice backs a room key up to a
// pk backup key and her new device restores it and reads an old message.
// Secret keys are never printed, only their length, and public keys are
// shortened. Every result is checked; the last line is
// "demo complete: all checks passed", else the exit status is 1.
//
// # newt inspect
//
//	newt inspect [--json] [--type T] [--session-key KEY | --session-key-file F] [MESSAGE|-]
//
// Decodes one unpadded-base64 object, given as the argument or on standard
// input, and prints its fields as aligned text or, with --json, as a JSON
// object. The kind is detected: an Olm pre-key message (type 0: version, the
// one-time, base and identity keys, the session id they determine, and the
// inner message), an Olm normal message (type 1: version, ratchet key,
// counter, ciphertext length, MAC), a Megolm message (version, message index,
// ciphertext length, MAC, signature), a Megolm session key (229 bytes,
// version 2) or an exported session key (165 bytes, version 1). --type forces
// the kind: 0, 1, megolm, session-key or export.
//
// For a Megolm message, --session-key (or --session-key-file, which keeps the
// key out of the process list) gives the session key or export of its
// session: inspect then shows the session id and checks the message's
// signature against the key's signing key. Nothing is decrypted. A session
// key's own signature is always checked. A key's ratchet is secret and is
// never printed. An invalid signature is reported in the output and gives
// exit status 1.
//
// # newt pickle
//
//	newt pickle [--key-file F | --key-env VAR] [--type T] [--json] [PICKLE|-]
//
// Decrypts a libolm-format pickle, given as the argument or on standard
// input, and prints a summary without any secret: for an account its
// identity keys, the number of unpublished one-time keys and its fallback
// key; for an Olm session its id, keys, whether it has received a message and
// its chain indices; for a Megolm outbound session its id and next message
// index; for an inbound session its id, first known index and whether it is
// verified; for a pk decryption key its public key. The pickle's layout
// version is shown too. The type is detected by trying each, or set with
// --type account, session, group, inbound or pk.
//
// The pickle key is never read from the command line and never printed: it
// comes from the file --key-file (without one trailing newline) or from the
// environment variable --key-env, NEWT_PICKLE_KEY by default, and is used
// byte for byte as libolm uses it. A wrong key and a modified pickle give the
// same error, "wrong pickle key or corrupted pickle".
package main
