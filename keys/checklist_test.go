// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package keys

import (
	"bytes"
	"io"
	"testing"

	"github.com/newt-e2ee/newt/internal/newttest"
)

// TestC25_NoSecretsInFormatting formats every type of package keys that
// holds a secret (a backup key, a secret-storage key, an exported session's
// key, the plaintext an ExportWriter has not flushed yet and the plaintext
// a SessionReader is reading) with every fmt verb, as a pointer and a value,
// directly, as an exported field of a struct and in unexported fields,
// slices, maps and interfaces of a struct (where fmt cannot call their
// methods), and requires that no rendering of the secrets appears. Every
// other exported type holds public data only. Also: TestBackupKeyFormatting,
// TestExportedSessionFormatting.
func TestC25_NoSecretsInFormatting(t *testing.T) {
	bk := GenerateBackupKey()
	newttest.CheckFormatting(t, "keys.BackupKey", bk, bk.Bytes())
	sk := GenerateSecretStorageKey()
	newttest.CheckFormatting(t, "keys.SecretStorageKey", sk, sk.Bytes())

	s := testSessions(t, 1, 1)[0]
	raw := s.SessionKey().Bytes()
	secret := raw[5 : 5+128] // the ratchet
	newttest.CheckFormatting(t, "keys.ExportedSession", s, secret)

	w, err := NewExportWriter(io.Discard, []byte("passphrase"), 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(s); err != nil {
		t.Fatal(err)
	}
	newttest.CheckFormatting(t, "keys.ExportWriter (session not flushed)", w, secret)

	var file bytes.Buffer
	if err := EncryptExport(&file, []byte("passphrase"), 1, []*ExportedSession{s}); err != nil {
		t.Fatal(err)
	}
	r, err := DecryptExport(&file, []byte("passphrase"), nil)
	if err != nil {
		t.Fatal(err)
	}
	newttest.CheckFormatting(t, "keys.SessionReader", r, secret)

	newttest.CheckExportedTypes(t, ".", "BackupKey", "SecretStorageKey", "ExportedSession", "ExportWriter", "SessionReader",
		// public data: keys, signatures, ciphertexts, parameters, reports, errors
		"BackupAuthData", "CrossSigningKey", "DeviceKeys", "EncryptedSecret", "ImportReport", "IterationsError",
		"KeyDescription", "Options", "PassphraseParams", "RecoveryKeyError", "RecoveryKeyProblem", "SecretEvent",
		"SessionError")
}
