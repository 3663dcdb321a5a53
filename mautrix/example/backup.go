// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package main

import (
	"context"
	"errors"
	"fmt"

	"maunium.net/go/mautrix/crypto/backup"
	"maunium.net/go/mautrix/event"
)

// restoreBackup unlocks secret storage with the recovery key, verifies this
// device with the cross-signing keys kept there, and imports the room keys of
// the newest key backup (Matrix spec, client-server API, "Secret storage" and
// "Server-side key backups").
func (b *bot) restoreBackup(ctx context.Context, recoveryKey string) error {
	if recoveryKey == "" {
		return errors.New("NEWT_BOT_RECOVERY_KEY is not set")
	}
	mach := b.crypto.Machine()
	keyID, keyData, err := mach.SSSS.GetDefaultKeyData(ctx)
	if err != nil {
		return fmt.Errorf("reading the secret storage key description: %w", err)
	}
	key, err := keyData.VerifyRecoveryKey(keyID, recoveryKey)
	if err != nil {
		return fmt.Errorf("checking the recovery key: %w", err)
	}
	if err := mach.VerifyWithRecoveryKey(ctx, recoveryKey); err != nil {
		// Not fatal: the room keys can still be restored.
		b.log.Warn().Err(err).Msg("could not cross-sign this device")
	} else {
		b.log.Info().Msg("device cross-signed with the keys from secret storage")
	}
	// The secret is the backup's Curve25519 private key; mautrix's secret
	// storage code returns it decoded from its base64 form.
	raw, err := mach.SSSS.GetDecryptedAccountData(ctx, event.AccountDataMegolmBackupKey, key)
	if err != nil {
		return fmt.Errorf("reading the key-backup key from secret storage: %w", err)
	}
	backupKey, err := backup.MegolmBackupKeyFromBytes(raw)
	clear(raw)
	if err != nil {
		return fmt.Errorf("the key-backup key: %w", err)
	}
	version, err := mach.DownloadAndStoreLatestKeyBackup(ctx, backupKey)
	if err != nil {
		return fmt.Errorf("restoring key backup: %w", err)
	}
	b.log.Info().Stringer("version", version).Msg("key backup restored")
	return nil
}
