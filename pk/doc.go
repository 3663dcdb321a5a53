// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// Package pk implements libolm's "PK" objects: the public-key encryption of
// Matrix server-side key backup, m.megolm_backup.v1.curve25519-aes-sha2
// ([Encryption], [Decryption]), and stand-alone Ed25519 signing keys for
// cross-signing ([Signing]), with Matrix canonical JSON for what those keys
// sign ([newt.CanonicalJSON], [Signing.SignJSON], [VerifyJSON]).
//
// # Key-backup encryption
//
// [Encryption.Encrypt] follows the [key backup spec] and libolm
// (libolm 3.2.x) byte for byte:
//
//  1. a fresh ephemeral Curve25519 key e is drawn and
//     secret = X25519(e, recipient);
//  2. HKDF-SHA-256(secret, salt = 32 zero bytes, info = "" (empty), 80 bytes)
//     gives the AES-256 key, the HMAC-SHA-256 key and the CBC IV;
//  3. the plaintext is encrypted with AES-256-CBC and PKCS#7 padding;
//  4. MAC = HMAC-SHA-256(mac_key, "")[0:8], the HMAC of the EMPTY string;
//  5. the message is (ciphertext, MAC, e's public key), each unpadded base64.
//
// Step 4 is a libolm bug that became the protocol: libolm's generic cipher
// MACs "the output buffer before the MAC", and for PK that buffer is empty.
// The MAC therefore authenticates nothing: it depends only on the shared
// secret, not on the ciphertext, so anyone holding a valid message can
// replace its ciphertext, and a flipped bit in one block decrypts to garbage
// without an error. Every existing key backup depends on this exact MAC, so
// newt reproduces it. What a MAC failure does tell you is that the message
// was not encrypted to this key (or its MAC or ephemeral key was altered):
// [ErrBadMAC]. Decrypt still checks it, with an exact length of 8 bytes and
// a constant-time comparison, and then checks the ciphertext length and
// PKCS#7 padding strictly ([ErrBadCiphertext]; libolm reads only the last
// padding byte). Because the ciphertext is not authenticated, an attacker who
// can submit chosen ciphertexts and learn whether decryption succeeded has a
// CBC padding oracle; no error design can remove that, so do not report
// decryption outcomes of untrusted backups to the party that supplied them.
// Matrix's answer to the missing authentication is MSC4048 (signed backups).
//
// Differences from libolm, all in the direction of rejecting more: an
// ephemeral or recipient key of low order, which makes the shared secret all
// zeros, is [ErrNonContributory] (libolm encrypts to it); base64 is decoded
// strictly (no padding, no stray characters, canonical trailing bits); the
// padding check is strict.
//
// # Signing keys and canonical JSON
//
// [Signing] is libolm's PkSigning: an Ed25519 key made from a 32-byte seed
// (libolm src/pk.cpp, olm_pk_signing_key_from_seed), used for the master,
// self-signing and user-signing keys of cross-signing. Unlike libolm it keeps
// the seed, which is what Matrix clients store in secret storage
// ([Signing.Seed]). Signatures are deterministic and byte-identical to
// libolm's; verification ([VerifyJSON], [VerifySignature]) is strict (S < L,
// canonical non-small-order A and R), as in vodozemac.
//
// [Signing.SignJSON] signs Matrix canonical JSON ([Matrix signing JSON]):
// the top-level "signatures" and "unsigned" members are removed, keys are
// sorted by code point, and the rules of the Matrix spec appendix "Canonical JSON"
// apply. The parser is strict: invalid UTF-8, unpaired surrogates, duplicate
// keys and numbers that are not integers in ±(2^53−1) are errors
// ([*JSONError]), so that what is signed is exactly what was meant.
//
// Verification ([VerifyJSON], [VerifySignedJSON]) accepts exactly the JSON
// texts that [Signing.SignJSON] signs: RFC 8259 JSON in valid UTF-8, with no
// duplicate object key and no unpaired surrogate escape, nested at most
// [newt.MaxJSONDepth] deep, whose top level is an object, and whose every
// number is an integer in [-(2^53)+1, 2^53-1] written as a plain integer: no
// fraction, no exponent, no minus sign on zero (1.0, 1e0 and -0 are refused,
// as matrix-rust-sdk refuses them; otherwise a signature over 1 would also
// verify for 1.0). Anything else fails with a [*JSONError] (Err
// [ErrInvalidJSON], [ErrJSONDuplicateKey], [ErrJSONNotObject] or
// [ErrJSONNumber]) before any signature is checked. Whitespace, key order and
// string escapes may differ from the signer's text: the canonical form,
// without the top-level "signatures" and "unsigned", is what is verified,
// with the strict Ed25519 rules of [VerifySignature]. [newt.CanonicalJSON]
// itself still rewrites integral numbers (1e10 as 10000000000) as the spec's
// appendix shows.
//
// # Secrets
//
// Private keys and seeds live in fixed-size arrays behind two pointers, where
// no fmt verb reaches them even when a Decryption or Signing sits in an
// unexported field of the caller's struct. [Decryption.PrivateKey] and
// [Signing.Seed] return copies that the caller owns and should clear when
// done; Go cannot guarantee that memory is ever zeroed. String and GoString
// print only public keys, and no error message contains key material.
//
// # Who should use something else
//
// A device's own Ed25519 fingerprint key signs with olm.Account.Sign, not
// with [Signing]. New protocols should not use [Encryption]: vodozemac keeps
// it only behind an "insecure-pk-encryption" feature.
//
// [key backup spec]: https://spec.matrix.org/latest/client-server-api/#backup-algorithm-mmegolm_backupv1curve25519-aes-sha2
// [Matrix signing JSON]: https://spec.matrix.org/latest/appendices/#signing-json
package pk
