// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/crypto"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/newt-e2ee/newt/keys"
	"github.com/newt-e2ee/newt/mautrix/backend"
	"github.com/newt-e2ee/newt/megolm"
)

// restoreBackup unlocks secret storage with the recovery key, cross-signs
// this device with the keys kept there, and imports the room keys of the
// newest key backup, so that the bot reads history sent before it existed
// (Matrix spec, client-server API, "Secret storage" and "Server-side key
// backups").
//
// mautrix makes the HTTP requests; newt's package keys does everything the
// secrets pass through: it decodes the recovery key, checks it against the
// secret storage key's description, decrypts the secrets, decrypts each
// backed-up session and imports it as a Megolm session, which goes into
// mautrix's crypto store as it is.
func (b *bot) restoreBackup(ctx context.Context, recoveryKey string) error {
	if recoveryKey == "" {
		return errors.New("NEWT_BOT_RECOVERY_KEY is not set")
	}
	ssKey, err := b.secretStorageKey(ctx, recoveryKey)
	if err != nil {
		return err
	}
	if err := b.crossSignSelf(ctx, ssKey); err != nil {
		// Not fatal: the room keys can still be restored.
		b.log.Warn().Err(err).Msg("could not cross-sign this device")
	} else {
		b.log.Info().Msg("device cross-signed with the keys from secret storage")
	}

	raw, err := b.secret(ctx, ssKey, keys.SecretMegolmBackup)
	if err != nil {
		return err
	}
	backupKey, err := keys.NewBackupKey(raw)
	clear(raw)
	if err != nil {
		return fmt.Errorf("the key-backup key in secret storage: %w", err)
	}

	var versionJSON json.RawMessage
	if _, err := b.client.MakeRequest(ctx, http.MethodGet, b.client.BuildClientURL("v3", "room_keys", "version"), nil, &versionJSON); err != nil {
		return fmt.Errorf("reading the newest key backup version: %w", err)
	}
	version, auth, err := keys.BackupVersionFromJSON(versionJSON)
	if err != nil {
		return err
	}
	// The key came from secret storage, unlocked by the user's recovery
	// key: a backup with its public key is trusted (spec, "Server-side key
	// backups"). Any other backup is not this key's to read.
	if !auth.Matches(backupKey) {
		return fmt.Errorf("key backup version %s has public key %s, not that of the key in secret storage (%s)", version, auth.PublicKey, backupKey.PublicKey())
	}

	url := b.client.BuildURLWithQuery(mautrix.ClientURLPath{"v3", "room_keys", "keys"}, map[string]string{"version": version})
	_, resp, err := b.client.MakeFullRequestWithResp(ctx, mautrix.FullRequest{Method: http.MethodGet, URL: url, DontReadResponse: true})
	if resp != nil {
		defer resp.Body.Close()
	}
	if err != nil {
		return fmt.Errorf("downloading key backup version %s: %w", version, err)
	}
	// Restore reads the response as it arrives and hands over one session
	// at a time; sessions that fail to decrypt are reported, not fatal.
	report, err := backupKey.Restore(resp.Body, func(s *keys.ExportedSession, igs *megolm.InboundGroupSession) error {
		return b.storeBackedUpSession(ctx, version, s, igs)
	})
	if err != nil {
		return fmt.Errorf("restoring key backup version %s: %w", version, err)
	}
	for _, f := range report.Failed {
		b.log.Warn().Err(f.Err).Str("room_id", f.RoomID).Str("session_id", f.SessionID).Msg("backed-up session not restored")
	}
	b.log.Info().Str("version", version).Int("imported", report.Imported).Int("failed", len(report.Failed)).
		Msg("key backup restored")
	return nil
}

// secretStorageKey returns the default secret storage key, given as a
// recovery key, after checking it against the key's description.
func (b *bot) secretStorageKey(ctx context.Context, recoveryKey string) (*keys.SecretStorageKey, error) {
	var def struct {
		Key string `json:"key"`
	}
	if err := b.client.GetAccountData(ctx, event.AccountDataSecretStorageDefaultKey.Type, &def); err != nil {
		return nil, fmt.Errorf("reading the default secret storage key ID: %w", err)
	}
	var descJSON json.RawMessage
	if err := b.client.GetAccountData(ctx, event.AccountDataSecretStorageKey.Type+"."+def.Key, &descJSON); err != nil {
		return nil, fmt.Errorf("reading the description of secret storage key %s: %w", def.Key, err)
	}
	desc, err := keys.KeyDescriptionFromJSON(descJSON)
	if err != nil {
		return nil, err
	}
	key, err := keys.SecretStorageKeyFromRecoveryKey(def.Key, recoveryKey)
	if err != nil {
		return nil, err // says which character or check is wrong, never the key
	}
	// Without a check in the description every key passes here, and a wrong
	// one fails when a secret is decrypted.
	if err := desc.Check(key); err != nil {
		return nil, fmt.Errorf("the recovery key is not the one of secret storage key %s: %w", def.Key, err)
	}
	return key, nil
}

// secret reads the account-data event of the named secret and decrypts the
// private key it holds under k. The caller clears the result.
func (b *bot) secret(ctx context.Context, k *keys.SecretStorageKey, name string) ([]byte, error) {
	var evJSON json.RawMessage
	if err := b.client.GetAccountData(ctx, name, &evJSON); err != nil {
		return nil, fmt.Errorf("reading secret %s: %w", name, err)
	}
	ev, err := keys.SecretEventFromJSON(evJSON)
	if err != nil {
		return nil, err
	}
	enc := ev.Encrypted[k.ID()]
	if enc == nil {
		return nil, fmt.Errorf("secret %s: %w %s", name, keys.ErrNoSecret, k.ID())
	}
	return k.DecryptKey(name, enc)
}

// crossSignSelf loads the account's cross-signing keys from secret storage
// into mautrix and signs this device and the master key with them, so that
// the user's other devices trust this one.
func (b *bot) crossSignSelf(ctx context.Context, k *keys.SecretStorageKey) error {
	var seeds crypto.CrossSigningSeeds
	defer func() { clear(seeds.MasterKey); clear(seeds.SelfSigningKey); clear(seeds.UserSigningKey) }()
	var err error
	if seeds.MasterKey, err = b.secret(ctx, k, keys.SecretCrossSigningMaster); err != nil {
		return err
	}
	if seeds.SelfSigningKey, err = b.secret(ctx, k, keys.SecretCrossSigningSelfSigning); err != nil {
		return err
	}
	if seeds.UserSigningKey, err = b.secret(ctx, k, keys.SecretCrossSigningUserSigning); err != nil {
		return err
	}
	mach := b.crypto.Machine()
	if err := mach.ImportCrossSigningKeys(seeds); err != nil {
		return err
	}
	if err := mach.SignOwnDevice(ctx, mach.OwnIdentity()); err != nil {
		return err
	}
	return mach.SignOwnMasterKey(ctx)
}

// storeBackedUpSession puts one restored session into mautrix's crypto
// store, as mautrix's own backup restore does: marked as coming from the
// backup, with the room's rotation settings if the bot knows them.
func (b *bot) storeBackedUpSession(ctx context.Context, version string, s *keys.ExportedSession, igs *megolm.InboundGroupSession) error {
	mach := b.crypto.Machine()
	roomID := id.RoomID(s.RoomID)
	var maxAge time.Duration
	var maxMessages int
	if cfg, err := mach.StateStore.GetEncryptionEvent(ctx, roomID); err == nil && cfg != nil {
		maxAge = time.Duration(cfg.RotationPeriodMillis) * time.Millisecond
		maxMessages = cfg.RotationPeriodMessages
	}
	var signingKey id.Ed25519
	if k, ok := s.ClaimedEd25519(); ok {
		signingKey = id.Ed25519(k.String())
	}
	shared := s.SharedHistory
	return mach.StoreGroupSession(ctx, &crypto.InboundGroupSession{
		Internal:         backend.WrapInboundGroupSession(igs),
		SigningKey:       signingKey,
		SenderKey:        id.Curve25519(s.SenderKey.String()),
		RoomID:           roomID,
		ForwardingChains: s.ForwardingCurve25519KeyChain,
		ReceivedAt:       time.Now().UTC(),
		MaxAge:           maxAge.Milliseconds(),
		MaxMessages:      maxMessages,
		SharedHistory:    &shared,
		KeyBackupVersion: id.KeyBackupVersion(version),
		KeySource:        id.KeySourceBackup,
	})
}
