// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// Package keys implements the formats that hold Matrix room keys and account
// secrets outside live sessions, on top of packages megolm and pk:
//
//   - key export files, the armored "MEGOLM SESSION DATA" that Element and
//     every other client write and read ([DecryptExport], [ExportWriter],
//     [ImportExport]; spec section "Key exports");
//   - server-side key backup, m.megolm_backup.v1.curve25519-aes-sha2: the
//     session_data of one backed-up session and the bulk restore of a
//     /room_keys/keys response ([BackupKey], [EncryptSessionData],
//     [BackupKey.Restore]; spec section "Server-side key backups");
//   - secret storage, m.secret_storage.v1.aes-hmac-sha2: secrets encrypted
//     under a key, key descriptions with their zero-block check, and
//     passphrase-derived keys ([SecretStorageKey], [KeyDescription]; spec
//     section "Secret storage");
//   - recovery keys, the base58 text a person writes down
//     ([EncodeRecoveryKey], [DecodeRecoveryKey]; spec section "Key
//     representation");
//   - verification of signed JSON for device keys, cross-signing keys and
//     backup auth_data ([VerifyDeviceKeys], [CrossSigningKey],
//     [BackupAuthData]; spec appendix "Signing JSON").
//
// Neither libolm, vodozemac nor goolm has these; every client re-implements
// them, and the implementations differ. newt writes what every known reader
// accepts and reads what every known writer produces, checked against
// matrix-rust-sdk (through matrix-sdk-crypto-wasm), matrix-js-sdk and
// Element Web's export code. docs/keys-at-rest.md records each format, how
// the implementations differ, and which behaviour newt follows and why,
// including where mautrix-go differs from the others.
//
// # Security
//
// Untrusted input never panics and never makes newt do unbounded work:
// export bodies are length-checked before they are sliced, PBKDF2 iteration
// counts read from files and account data are bounded by the caller
// ([Options.MaxIterations], [DefaultMaxIterations]) and 0 is refused, and
// export bodies have a size limit ([Options.MaxExportSize]). MACs are
// checked before decryption, with hmac.Equal. Secrets (session keys,
// private keys, secret storage plaintexts) are decoded with newt's
// constant-time base64 and recovery keys with a constant-time base58; they
// never become part of an error message or of String and fmt output. Go
// cannot guarantee that memory is cleared; newt clears its own buffers on a
// best-effort basis, and the caller owns (and should clear) the byte slices
// it is given.
//
// The key backup MAC is the HMAC of the empty string: it proves only that
// the sender knew the backup's public key, and authenticates nothing. So
// whoever serves a backup can alter its ciphertexts. [BackupKey.Restore]
// and [BackupKey.DecryptSessionData] therefore fail with one error,
// [ErrBadSessionData], in about the same time, whether the MAC, the padding
// or the JSON was wrong, and never retry, so that they are not a padding
// oracle. Sessions from a backup or an export file are unverified
// (megolm.ImportInboundGroupSession): their sender_key and claimed keys are
// the exporter's claims.
//
// Bulk operations ([ImportExport], [BackupKey.Restore], [SessionReader])
// report each session that cannot be used, with its position and IDs, and
// go on with the others.
//
// # Who should use something else
//
// Live Megolm sessions and their key sharing are package megolm; the
// encryption primitive of key backup is package pk. This package does no
// network I/O: it takes and returns the JSON bodies of the client-server
// API, and the caller talks to the homeserver.
package keys
