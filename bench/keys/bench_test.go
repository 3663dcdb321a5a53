// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package keysbench

import (
	"bytes"
	"context"
	"crypto/pbkdf2"
	"crypto/sha512"
	"encoding/json"
	"flag"
	"strconv"
	"sync"
	"testing"

	"github.com/newt-e2ee/newt/internal/cpuclock"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/crypto"
	"maunium.net/go/mautrix/crypto/backup"

	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/keys"
	"github.com/newt-e2ee/newt/megolm"
)

// The two workloads:
//
//   - ExportDecrypt/n=1000/rounds=500000: decrypt a key export file of
//     1,000 sessions at Element's 500,000 PBKDF2 rounds and import every
//     session (rounds=1: the same without the key derivation). impl=newt is
//     keys.DecryptExport and ExportedSession.InboundGroupSession for each;
//     impl=mautrix is OlmMachine.ImportKeys (its only public reader) into an
//     in-memory store; impl=pbkdf2 is the bare crypto/pbkdf2.Key call of the
//     same size, the floor every implementation pays.
//   - BackupRestore/n=10000: a /room_keys/keys response of 10,000 sessions,
//     decrypted and imported. impl=newt is BackupKey.Restore; impl=mautrix
//     is what OlmMachine.GetAndStoreKeyBackup does after its HTTP call:
//     unmarshal into mautrix.RespRoomKeys, EncryptedSessionData.Decrypt and
//     ImportRoomKeyFromBackupWithoutSaving for each session.
//
// Both implementations read the same input, written once by newt. Every
// benchmark reports cpu-ns/op, the process CPU time per operation, beside
// the wall time; on a shared machine read that one.

var scale = flag.Bool("scale", false, "use the full sizes in CI's quick run too")

// measure runs op b.N times (setup, untimed, before each) and reports
// cpu-ns/op.
func measure(tb *testing.B, setup func(), op func()) {
	b := cpuclock.Start(tb)
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		if setup != nil {
			setup()
		}
		b.StartTimer()
		op()
	}
	b.Report()
}

const benchPassphrase = "correct horse battery staple"

var exports sync.Map // rounds -> export file of exportSessions sessions

const exportSessions = 1000

// getExport writes, once per round count, an export of 1,000 sessions.
func getExport(b *testing.B, rounds uint32) []byte {
	if f, ok := exports.Load(rounds); ok {
		return f.([]byte)
	}
	var buf bytes.Buffer
	w, err := keys.NewExportWriter(&buf, []byte(benchPassphrase), rounds)
	if err != nil {
		b.Fatal(err)
	}
	for _, s := range sessions(b, exportSessions) {
		if err := w.Write(s); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	exports.Store(rounds, buf.Bytes())
	return buf.Bytes()
}

// BenchmarkExportDecrypt runs at Element's 500,000 rounds, where PBKDF2 is
// nearly all the work, and at 1 round, which shows the rest (armor, MAC,
// AES-CTR, JSON, session import) on its own.
func BenchmarkExportDecrypt(b *testing.B) {
	const n = exportSessions
	for _, rounds := range []uint32{keys.DefaultIterations, 1} {
		b.Run("n=1000/rounds="+strconv.Itoa(int(rounds)), func(b *testing.B) {
			file := getExport(b, rounds)
			b.Run("impl=newt", func(b *testing.B) {
				measure(b, nil, func() {
					r, err := keys.DecryptExport(bytes.NewReader(file), []byte(benchPassphrase), nil)
					if err != nil {
						b.Fatal(err)
					}
					count := 0
					newttest.ReadEach(b, r.Next, func(s *keys.ExportedSession) {
						if _, err := s.InboundGroupSession(); err != nil {
							b.Fatal(err)
						}
						count++
					})
					r.Close()
					if count != n {
						b.Fatalf("%d sessions", count)
					}
				})
			})
			b.Run("impl=mautrix", func(b *testing.B) {
				var m *crypto.OlmMachine
				measure(b, func() { m, _ = machine(b) }, func() {
					imported, total, err := m.ImportKeys(context.Background(), benchPassphrase, file)
					if err != nil || imported != n || total != n {
						b.Fatalf("%d of %d: %v", imported, total, err)
					}
				})
			})
			b.Run("impl=pbkdf2", func(b *testing.B) {
				salt := make([]byte, 16)
				measure(b, nil, func() {
					if _, err := pbkdf2.Key(sha512.New, benchPassphrase, salt, int(rounds), 64); err != nil {
						b.Fatal(err)
					}
				})
			})
		})
	}
}

var (
	backupOnce sync.Once
	backupResp []byte
	backupKey  *keys.BackupKey
)

func getBackup(b *testing.B, n int) ([]byte, *keys.BackupKey) {
	backupOnce.Do(func() {
		backupKey = keys.GenerateBackupKey()
		rooms := map[string]map[string]json.RawMessage{}
		for _, s := range sessions(b, n) {
			kbd, err := keys.EncryptKeyBackupData(backupKey.PublicKey(), s)
			if err != nil {
				b.Fatal(err)
			}
			if rooms[s.RoomID] == nil {
				rooms[s.RoomID] = map[string]json.RawMessage{}
			}
			rooms[s.RoomID][s.SessionID()] = kbd
		}
		resp := map[string]map[string]any{"rooms": {}}
		for r, ss := range rooms {
			resp["rooms"][r] = map[string]any{"sessions": ss}
		}
		backupResp, _ = json.Marshal(resp)
	})
	return backupResp, backupKey
}

func BenchmarkBackupRestore(b *testing.B) {
	n := 10_000
	if testing.Short() && !*scale {
		n = 500
	}
	b.Run("n="+strconv.Itoa(n), func(b *testing.B) {
		resp, bk := getBackup(b, n)
		b.Run("impl=newt", func(b *testing.B) {
			measure(b, nil, func() {
				rep, err := bk.Restore(bytes.NewReader(resp), func(*keys.ExportedSession, *megolm.InboundGroupSession) error { return nil })
				if err != nil || rep.Imported != n || len(rep.Failed) != 0 {
					b.Fatalf("%+v %v", rep, err)
				}
			})
		})
		b.Run("impl=mautrix", func(b *testing.B) {
			mk, err := backup.MegolmBackupKeyFromBytes(bk.Bytes())
			if err != nil {
				b.Fatal(err)
			}
			m, _ := machine(b)
			ctx := context.Background()
			measure(b, nil, func() {
				var r mautrix.RespRoomKeys[backup.EncryptedSessionData[backup.MegolmSessionData]]
				if err := json.Unmarshal(resp, &r); err != nil {
					b.Fatal(err)
				}
				count := 0
				for roomID, rb := range r.Rooms {
					for sessionID, kbd := range rb.Sessions {
						data, err := kbd.SessionData.Decrypt(mk)
						if err != nil {
							b.Fatal(err)
						}
						if _, err := m.ImportRoomKeyFromBackupWithoutSaving(ctx, "1", roomID, nil, sessionID, data); err != nil {
							b.Fatal(err)
						}
						count++
					}
				}
				if count != n {
					b.Fatalf("%d sessions", count)
				}
			})
		})
	})
}
