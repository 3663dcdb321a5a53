// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// Package newt holds the public key, signature and key-ID types shared by the
// newt packages, which implement the end-to-end encryption protocols of
// Matrix in pure Go:
//
//   - [github.com/newt-e2ee/newt/olm]: the Olm one-to-one protocol (3DH
//     handshake and double ratchet), accounts, one-time and fallback keys;
//   - [github.com/newt-e2ee/newt/megolm]: Megolm group sessions for rooms;
//   - [github.com/newt-e2ee/newt/pk]: key-backup encryption
//     (m.megolm_backup.v1.curve25519-aes-sha2) and signing keys;
//   - [github.com/newt-e2ee/newt/sas]: short authentication strings for
//     interactive device verification.
//
// Every message, session key, export, signature and pickle is byte-for-byte
// what libolm 3.2.x produces and accepts. Where libolm is unsafe, newt is
// stricter: Ed25519 verification is strict (S < L, canonical and non-small-order
// keys and R), X25519 results that are all zero (low-order peer keys) are
// errors, and base64 and PKCS#7 padding are decoded strictly. Secret material
// is decoded with a constant-time base64 codec.
//
// # Security
//
// MACs are checked in constant time before anything is decrypted, and a
// failed decryption, session creation or unpickling leaves every object
// unchanged. AES comes from Go's crypto/aes, which is constant time only when
// it uses hardware AES instructions (AES-NI on amd64, the AES extension on
// arm64, CPACF on s390x, ppc64); elsewhere, and in builds with the purego
// tag, it uses lookup tables whose timing depends on the key. newt warns
// nothing at run time and refuses nothing: it reports the situation with
// [HardwareAES], so that an application that must not run without
// constant-time AES can refuse to start. Secrets are kept in fixed-size
// arrays behind pointers, never printed by String, GoString or any fmt verb
// in any position a program can legally hold them in (also in unexported
// fields, where fmt cannot call methods): two pointers away for the types
// that may be copied or are used by value, one pointer away in megolm's
// session types, which hold a mutex and must not be copied (go vet reports
// copies). They are cleared when superseded on a best-effort basis (Go
// cannot guarantee that the runtime made no other copy).
//
// The types in this package carry only public values. Their textual form is
// Matrix's unpadded standard base64: [Curve25519PublicKey.String] and
// [ParseCurve25519PublicKey] round-trip, as do the other types'. The package
// also owns what several packages share: the pickle errors
// ([ErrBadPickleKey], [ErrCorruptedPickle], [ErrUnknownPickleVersion]),
// Matrix canonical JSON ([CanonicalJSON], [CanonicalJSONForSigning],
// [JSONError]) and constant-time decoding of secrets given as text
// ([DecodeSecret]).
//
// # Naming and results
//
// Every package of newt follows one convention, so that a name tells what
// a function takes and returns:
//
//   - GenerateX() creates new secret state from crypto/rand:
//     [github.com/newt-e2ee/newt/olm.GenerateAccount],
//     [github.com/newt-e2ee/newt/megolm.GenerateGroupSession],
//     [github.com/newt-e2ee/newt/pk.GenerateDecryption],
//     [github.com/newt-e2ee/newt/sas.Generate]. It returns no error:
//     crypto/rand does not fail since Go 1.24.
//   - NewX(b []byte) builds an X from its binary form (or from typed
//     values, such as a session from a session key), copying and checking
//     its input; ParseX(s string) builds it from its text form, unpadded
//     base64 unless the doc says otherwise. Secret keys given as text are
//     decoded in constant time.
//   - Binary forms are returned by Bytes() as []byte; text forms by
//     String(), Base64() and ID() as string. JSON is []byte (methods named
//     …JSON), as in encoding/json.
//   - A method with a Base64 suffix is the variant of the method without it
//     that takes and returns the base64 text a Matrix event carries instead
//     of message objects; an Append prefix appends its output to a dst
//     slice and returns the extended slice, so a caller can reuse buffers.
//   - Pickles are text: Pickle(key []byte) string writes one in libolm's
//     format, AppendPickle appends it to a []byte (for database drivers
//     that take bytes), and XFromPickle(p string, key []byte) reads one.
//     Keys and secrets are always []byte, so that they can be cleared.
//   - A function returns an error exactly when it can fail; errors match
//     the package's exported sentinels with errors.Is, and the types that
//     carry data with errors.As.
//
// See the [Olm spec] and the [Megolm spec].
//
// [Olm spec]: https://gitlab.matrix.org/matrix-org/olm/-/blob/master/docs/olm.md
// [Megolm spec]: https://gitlab.matrix.org/matrix-org/olm/-/blob/master/docs/megolm.md
package newt
