// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	molm "maunium.net/go/mautrix/crypto/olm"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"
	"maunium.net/go/mautrix/mockserver"

	"github.com/newt-e2ee/newt/keys"
	"github.com/newt-e2ee/newt/mautrix/backend"
	"github.com/newt-e2ee/newt/megolm"
	"github.com/newt-e2ee/newt/olm"
	"github.com/newt-e2ee/newt/pk"
)

const testUser = "@alice:example.org"

// account is what the homeserver keeps for the test user beyond mautrix's
// mock server: account data, and a key backup.
type account struct {
	mu          sync.Mutex
	accountData map[string][]byte
	version     []byte // GET /room_keys/version
	backup      []byte // GET /room_keys/keys
}

// serve adds the endpoints the restore reads to mautrix's mock server.
func (a *account) serve(ms *mockserver.MockServer) {
	reply := func(w http.ResponseWriter, body []byte) {
		if body == nil {
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`{"errcode":"M_NOT_FOUND","error":"not found"}`))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}
	ms.Router.HandleFunc("GET /_matrix/client/v3/user/{userID}/account_data/{type}", func(w http.ResponseWriter, r *http.Request) {
		a.mu.Lock()
		defer a.mu.Unlock()
		if r.PathValue("userID") != testUser {
			reply(w, nil)
			return
		}
		reply(w, a.accountData[r.PathValue("type")])
	})
	ms.Router.HandleFunc("GET /_matrix/client/v3/room_keys/version", func(w http.ResponseWriter, r *http.Request) {
		a.mu.Lock()
		defer a.mu.Unlock()
		reply(w, a.version)
	})
	ms.Router.HandleFunc("GET /_matrix/client/v3/room_keys/keys", func(w http.ResponseWriter, r *http.Request) {
		a.mu.Lock()
		defer a.mu.Unlock()
		if r.URL.Query().Get("version") != "7" {
			reply(w, nil)
			return
		}
		reply(w, a.backup)
	})
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sentSession is a Megolm session of another device whose key is in the
// backup, with messages it sent.
type sentSession struct {
	room     string
	out      *megolm.GroupSession
	first    uint32   // the index the backup holds the session from
	messages []string // message i is at index i
	corrupt  bool     // its session_data is altered in the backup
}

// TestRestoreBackup sets up an account the way Element does (secret storage
// with a recovery key holding the backup key and the cross-signing seeds, a
// key backup of another device's room keys), all written with package keys,
// and runs the bot's -restore-backup on a fresh device with its SQLite store,
// against mautrix's mock homeserver. The bot must import every session
// except one altered on the server, which it reports; decrypt the room
// messages from each session's first backed-up index on; store the sessions
// as from the backup with the claimed keys; and cross-sign its device with
// the seeds. A wrong recovery key and a backup that is not the key's must
// fail before anything is imported.
func TestRestoreBackup(t *testing.T) {
	ctx := context.Background()
	ms := mockserver.Create(t)
	acct := &account{accountData: map[string][]byte{}}
	acct.serve(ms)

	// Another device of some user, which sent the room messages.
	sender := olm.GenerateAccount().IdentityKeys()
	sessions := []*sentSession{
		{room: "!one:example.org", out: megolm.GenerateGroupSession(), messages: []string{"one", "two", "three"}},
		{room: "!one:example.org", out: megolm.GenerateGroupSession(), first: 2, messages: []string{"early", "still early", "late", "later"}},
		{room: "!two:example.org", out: megolm.GenerateGroupSession(), messages: []string{"elsewhere"}},
		{room: "!two:example.org", out: megolm.GenerateGroupSession(), messages: []string{"lost"}, corrupt: true},
	}
	backupKey := keys.GenerateBackupKey()
	rooms := map[string]map[string]map[string]json.RawMessage{}
	ciphertexts := map[*sentSession][]string{}
	for _, s := range sessions {
		received, err := megolm.NewInboundGroupSession(s.out.SessionKey())
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range s.messages {
			payload := mustJSON(t, map[string]any{
				"type": "m.room.message", "room_id": s.room,
				"content": map[string]any{"msgtype": "m.text", "body": m},
			})
			ciphertexts[s] = append(ciphertexts[s], s.out.EncryptBase64(payload))
		}
		exported, err := received.Export(s.first)
		if err != nil {
			t.Fatal(err)
		}
		data, err := keys.EncryptKeyBackupData(backupKey.PublicKey(), keys.NewExportedSession(exported, s.room, sender.Curve25519, sender.Ed25519))
		if err != nil {
			t.Fatal(err)
		}
		if s.corrupt {
			// The server flips one bit of the ciphertext; the backup MAC
			// covers nothing, so only decryption can tell.
			var kbd map[string]json.RawMessage
			if err := json.Unmarshal(data, &kbd); err != nil {
				t.Fatal(err)
			}
			var sd map[string]string
			if err := json.Unmarshal(kbd["session_data"], &sd); err != nil {
				t.Fatal(err)
			}
			c, err := base64.RawStdEncoding.DecodeString(sd["ciphertext"])
			if err != nil {
				t.Fatal(err)
			}
			c[len(c)/2] ^= 0x01
			sd["ciphertext"] = base64.RawStdEncoding.EncodeToString(c)
			kbd["session_data"] = mustJSON(t, sd)
			data = mustJSON(t, kbd)
		}
		if rooms[s.room] == nil {
			rooms[s.room] = map[string]map[string]json.RawMessage{"sessions": {}}
		}
		rooms[s.room]["sessions"][s.out.ID()] = data
	}
	acct.backup = mustJSON(t, map[string]any{"rooms": rooms})
	acct.version = mustJSON(t, map[string]any{
		"algorithm": keys.BackupAlgorithm, "auth_data": json.RawMessage(keys.NewBackupAuthData(backupKey.PublicKey()).JSON()),
		"count": len(sessions), "etag": "1", "version": "7",
	})

	// Secret storage: the default key, its description with the key check,
	// the backup key and the three cross-signing seeds encrypted under it.
	ssKey := keys.GenerateSecretStorageKey()
	acct.accountData["m.secret_storage.default_key"] = mustJSON(t, map[string]string{"key": ssKey.ID()})
	acct.accountData["m.secret_storage.key."+ssKey.ID()] = ssKey.Description("", nil).JSON()
	putSecret := func(name string, key []byte) {
		ev := &keys.SecretEvent{Encrypted: map[string]*keys.EncryptedSecret{ssKey.ID(): ssKey.EncryptKey(name, key)}}
		acct.accountData[name] = ev.JSON()
	}
	putSecret(keys.SecretMegolmBackup, backupKey.Bytes())
	seeds := map[string][]byte{}
	for _, name := range []string{keys.SecretCrossSigningMaster, keys.SecretCrossSigningSelfSigning, keys.SecretCrossSigningUserSigning} {
		seeds[name] = make([]byte, 32)
		rand.Read(seeds[name])
		putSecret(name, seeds[name])
	}

	var logs bytes.Buffer
	var logMu sync.Mutex
	log := zerolog.New(zerolog.SyncWriter(lockedWriter{&logMu, &logs})).Level(zerolog.InfoLevel)
	b, err := start(ctx, log, ms.Server.URL, testUser, "password", []byte("pickle key"), filepath.Join(t.TempDir(), "bot.db"), "restored device")
	if err != nil {
		t.Fatal(err)
	}
	defer b.crypto.Close()
	if molm.Driver != backend.Driver {
		t.Fatalf("the bot runs on %q", molm.Driver)
	}
	mach := b.crypto.Machine()

	// A wrong recovery key: a valid one of another key.
	if err := b.restoreBackup(ctx, keys.GenerateSecretStorageKey().RecoveryKey()); !errors.Is(err, keys.ErrWrongKey) {
		t.Fatalf("wrong recovery key: %v", err)
	}
	// A backup version whose public key is not the backup key's.
	good := acct.version
	acct.mu.Lock()
	acct.version = mustJSON(t, map[string]any{
		"algorithm": keys.BackupAlgorithm, "auth_data": json.RawMessage(keys.NewBackupAuthData(keys.GenerateBackupKey().PublicKey()).JSON()),
		"count": len(sessions), "etag": "1", "version": "7",
	})
	acct.mu.Unlock()
	if err := b.restoreBackup(ctx, ssKey.RecoveryKey()); err == nil || !strings.Contains(err.Error(), "not that of the key in secret storage") {
		t.Fatalf("backup of another key: %v", err)
	}
	acct.mu.Lock()
	acct.version = good
	acct.mu.Unlock()
	for _, s := range sessions {
		if igs, err := mach.CryptoStore.GetGroupSession(ctx, id.RoomID(s.room), id.SessionID(s.out.ID())); err != nil || igs != nil {
			t.Fatalf("a session was stored by a failed restore (%v)", err)
		}
	}

	if err := b.restoreBackup(ctx, ssKey.RecoveryKey()); err != nil {
		t.Fatal(err)
	}
	logMu.Lock()
	restored, crossSigned := logLine(t, logs.Bytes(), "key backup restored"), logLine(t, logs.Bytes(), "device cross-signed with the keys from secret storage")
	logMu.Unlock()
	if restored == nil || restored["imported"] != float64(3) || restored["failed"] != float64(1) || restored["version"] != "7" {
		t.Fatalf("restore logged %v", restored)
	}
	if crossSigned == nil {
		t.Fatal("the device was not cross-signed")
	}
	master, err := pk.NewSigning(seeds[keys.SecretCrossSigningMaster])
	if err != nil {
		t.Fatal(err)
	}
	if mach.CrossSigningKeys == nil || mach.CrossSigningKeys.MasterKey.PublicKey().String() != master.PublicKey().String() {
		t.Fatal("mautrix does not hold the master key from secret storage")
	}

	for _, s := range sessions {
		igs, err := mach.CryptoStore.GetGroupSession(ctx, id.RoomID(s.room), id.SessionID(s.out.ID()))
		if err != nil {
			t.Fatal(err)
		}
		if s.corrupt {
			if igs != nil {
				t.Fatal("the altered session was stored")
			}
			continue
		}
		if igs == nil {
			t.Fatalf("session %s not stored", s.out.ID())
		}
		if _, ok := igs.Internal.(*backend.InboundGroupSession); !ok {
			t.Fatalf("stored session is a %T", igs.Internal)
		}
		if igs.KeySource != id.KeySourceBackup || igs.KeyBackupVersion != "7" ||
			igs.SenderKey.String() != sender.Curve25519.String() || igs.SigningKey.String() != sender.Ed25519.String() ||
			igs.Internal.FirstKnownIndex() != s.first {
			t.Fatalf("stored session: source %s, version %s, sender %s, signing %s, first index %d",
				igs.KeySource, igs.KeyBackupVersion, igs.SenderKey, igs.SigningKey, igs.Internal.FirstKnownIndex())
		}
	}

	// The room messages decrypt through mautrix from the first backed-up
	// index on, and not before it.
	for _, s := range sessions {
		for i, ct := range ciphertexts[s] {
			evt := &event.Event{
				Type: event.EventEncrypted, RoomID: id.RoomID(s.room), Sender: "@carol:example.org",
				ID: id.EventID(fmt.Sprintf("$%s-%d", s.out.ID(), i)), Timestamp: time.Now().UnixMilli(),
				Content: event.Content{Parsed: &event.EncryptedEventContent{
					Algorithm: id.AlgorithmMegolmV1, SenderKey: id.SenderKey(sender.Curve25519.String()),
					SessionID: id.SessionID(s.out.ID()), MegolmCiphertext: []byte(ct),
				}},
			}
			dec, err := b.crypto.Decrypt(ctx, evt)
			if s.corrupt || uint32(i) < s.first {
				if err == nil {
					t.Fatalf("%s: message %d decrypted", s.room, i)
				}
				continue
			}
			if err != nil {
				t.Fatalf("%s: message %d: %v", s.room, i, err)
			}
			if body := dec.Content.AsMessage().Body; body != s.messages[i] {
				t.Fatalf("%s: message %d is %q", s.room, i, body)
			}
		}
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	b  *bytes.Buffer
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

// logLine returns the last JSON log line with this message, or nil.
func logLine(t *testing.T, logs []byte, message string) map[string]any {
	t.Helper()
	var found map[string]any
	sc := bufio.NewScanner(bytes.NewReader(logs))
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("log line %q: %v", sc.Text(), err)
		}
		if m["message"] == message {
			found = m
		}
	}
	return found
}
