// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package keysbench

import (
	"bytes"
	"context"
	"crypto/ecdh"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"maunium.net/go/mautrix/crypto"
	"maunium.net/go/mautrix/crypto/backup"
	"maunium.net/go/mautrix/crypto/ssss"
	"maunium.net/go/mautrix/crypto/utils"
	"maunium.net/go/mautrix/id"

	"github.com/newt-e2ee/newt/keys"
	"github.com/newt-e2ee/newt/megolm"
	"github.com/newt-e2ee/newt/pk"
)

// mautrix-go v0.33.0 as a third party. Where it agrees with the spec,
// matrix-rust-sdk and matrix-js-sdk, files and keys go both ways here; where
// it does not, the tests pin down the difference that docs/keys-at-rest.md
// explains.

// sessions returns n exported sessions with real Megolm keys.
func sessions(t testing.TB, n int) []*keys.ExportedSession {
	t.Helper()
	out := make([]*keys.ExportedSession, n)
	for i := range out {
		g := megolm.GenerateGroupSession()
		in, _ := megolm.NewInboundGroupSession(g.SessionKey())
		ek, err := in.Export(0)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = keys.NewExportedSession(ek, "!room"+string(rune('a'+i%26))+":example.org", pk.GenerateDecryption().PublicKey(), pk.GenerateSigning().PublicKey())
	}
	return out
}

// machine returns a mautrix OlmMachine with an in-memory store.
func machine(t testing.TB) (*crypto.OlmMachine, *crypto.MemoryStore) {
	t.Helper()
	store := crypto.NewMemoryStore(nil)
	m := crypto.NewOlmMachine(nil, nil, store, nil)
	if err := m.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	return m, store
}

func exportJSON(t testing.TB, ss []*keys.ExportedSession) []byte {
	t.Helper()
	out := []byte("[")
	for i, s := range ss {
		if i > 0 {
			out = append(out, ',')
		}
		var err error
		if out, err = s.AppendJSON(out); err != nil {
			t.Fatal(err)
		}
	}
	return append(out, ']')
}

func TestMautrixReadsNewtExport(t *testing.T) {
	ss := sessions(t, 5)
	ss[1].SharedHistory = true
	var buf bytes.Buffer
	if err := keys.EncryptExport(&buf, []byte("pass"), 1000, ss); err != nil {
		t.Fatal(err)
	}
	m, store := machine(t)
	imported, total, err := m.ImportKeys(context.Background(), "pass", buf.Bytes())
	if err != nil || imported != 5 || total != 5 {
		t.Fatalf("mautrix ImportKeys: %d of %d, %v", imported, total, err)
	}
	for _, s := range ss {
		igs, err := store.GetGroupSession(context.Background(), id.RoomID(s.RoomID), id.SessionID(s.SessionID()))
		if err != nil || igs == nil {
			t.Fatalf("session %s not stored: %v", s.SessionID(), err)
		}
		// mautrix reads "shared_history", one of the two spellings newt writes.
		if got := igs.SharedHistory != nil && *igs.SharedHistory; got != s.SharedHistory {
			t.Errorf("shared history %v, want %v", got, s.SharedHistory)
		}
	}
	if _, _, err := m.ImportKeys(context.Background(), "wrong", buf.Bytes()); !errors.Is(err, crypto.ErrMismatchingExportHash) {
		t.Errorf("wrong passphrase: %v", err)
	}
}

func TestNewtReadsMautrixExport(t *testing.T) {
	ss := sessions(t, 4)
	ss[2].SharedHistory = true
	file, err := crypto.EncryptKeyExport("pass", exportJSON(t, ss))
	if err != nil {
		t.Fatal(err)
	}
	r, err := keys.DecryptExport(bytes.NewReader(file), []byte("pass"), nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; ; i++ {
		s, err := r.Next()
		if err != nil {
			if i != len(ss) || err.Error() != "EOF" {
				t.Fatalf("session %d: %v", i, err)
			}
			break
		}
		if s.SessionID() != ss[i].SessionID() || s.SharedHistory != ss[i].SharedHistory || s.RoomID != ss[i].RoomID {
			t.Fatalf("session %d differs", i)
		}
	}
	// mautrix writes lines of 76 characters, padded, 100,000 rounds.
	lines := strings.Split(string(file), "\n")
	if len(lines[1]) != 76 || binary.BigEndian.Uint32(body(t, file)[33:37]) != 100_000 {
		t.Errorf("layout: line of %d, %d rounds", len(lines[1]), binary.BigEndian.Uint32(body(t, file)[33:37]))
	}
}

func body(t testing.TB, file []byte) []byte {
	t.Helper()
	s := strings.TrimSpace(string(file))
	s = strings.TrimPrefix(s, "-----BEGIN MEGOLM SESSION DATA-----")
	s = strings.TrimSuffix(s, "-----END MEGOLM SESSION DATA-----")
	b, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestMautrixExportIV pins down the IV bit mautrix-go clears: bit 0 of byte
// 7 (iv[7] & 1), not bit 63 of the counter block (iv[8] & 0x80), which
// Element Web and the spec clear so that a 64-bit counter cannot wrap. newt
// reads such files with a 128-bit counter, as mautrix writes them.
func TestMautrixExportIV(t *testing.T) {
	bit63 := 0
	for range 16 {
		file, err := crypto.EncryptKeyExport("p", []byte("[]"))
		if err != nil {
			t.Fatal(err)
		}
		iv := body(t, file)[17:33]
		if iv[7]&1 != 0 {
			t.Fatalf("mautrix no longer clears iv[7]&1: %x", iv)
		}
		if iv[8]&0x80 != 0 {
			bit63++
		}
	}
	if bit63 == 0 {
		t.Fatal("bit 63 was clear in 16 mautrix IVs: has mautrix started clearing it?")
	}
	t.Logf("bit 63 set in %d of 16 mautrix export IVs", bit63)
}

// TestMautrixRefusesRustExport: mautrix-go needs a final newline and padded
// base64, which matrix-rust-sdk's writer does not produce; newt reads both.
func TestMautrixRefusesRustExport(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "keys", "testdata", "vectors", "export.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Vectors []struct{ Writer, Passphrase, File, Expect string }
	}
	json.Unmarshal(data, &f)
	v := f.Vectors[0]
	if !strings.HasPrefix(v.Writer, "matrix-sdk-crypto-wasm") || v.Expect != "success" {
		t.Fatalf("first vector is %q", v.Writer)
	}
	m, _ := machine(t)
	if _, _, err := m.ImportKeys(context.Background(), v.Passphrase, []byte(v.File)); !errors.Is(err, crypto.ErrMissingExportSuffix) {
		t.Errorf("mautrix on matrix-rust-sdk's file: %v", err)
	}
	if _, err := keys.DecryptExport(strings.NewReader(v.File), []byte(v.Passphrase), nil); err != nil {
		t.Errorf("newt on matrix-rust-sdk's file: %v", err)
	}
}

func TestBackupBothWays(t *testing.T) {
	ctx := context.Background()
	m, _ := machine(t)
	bk := keys.GenerateBackupKey()
	mk, err := backup.MegolmBackupKeyFromBytes(bk.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sessions(t, 3) {
		// newt -> mautrix
		sd, err := keys.EncryptSessionData(bk.PublicKey(), s)
		if err != nil {
			t.Fatal(err)
		}
		var esd backup.EncryptedSessionData[backup.MegolmSessionData]
		if err := json.Unmarshal(sd, &esd); err != nil {
			t.Fatal(err)
		}
		data, err := esd.Decrypt(mk)
		if err != nil {
			t.Fatalf("mautrix decrypts newt's session_data: %v", err)
		}
		igs, err := m.ImportRoomKeyFromBackupWithoutSaving(ctx, "1", id.RoomID(s.RoomID), nil, id.SessionID(s.SessionID()), data)
		if err != nil || igs.ID() != id.SessionID(s.SessionID()) {
			t.Fatalf("mautrix imports newt's session: %v", err)
		}

		// mautrix -> newt
		plain := backup.MegolmSessionData{
			Algorithm: id.AlgorithmMegolmV1, ForwardingKeyChain: []string{}, SenderKey: id.SenderKey(s.SenderKey.String()),
			SenderClaimedKeys: backup.SenderClaimedKeys{Ed25519: id.Ed25519(s.SenderClaimedKeys["ed25519"])},
			SessionKey:        s.SessionKey().Base64(),
		}
		pub, _ := ecdh.X25519().NewPublicKey(bk.PublicKey().Bytes())
		enc, err := backup.EncryptSessionDataWithPubkey(pub, plain)
		if err != nil {
			t.Fatal(err)
		}
		encJSON, _ := json.Marshal(enc)
		got, err := bk.DecryptSessionData(s.RoomID, s.SessionID(), encJSON)
		if err != nil || got.SessionID() != s.SessionID() {
			t.Fatalf("newt decrypts mautrix's session_data: %v", err)
		}

		// A padded ephemeral key (vodozemac reads it) fails to decode in
		// mautrix; newt reads it.
		var w map[string]string
		json.Unmarshal(sd, &w)
		eph, _ := base64.RawStdEncoding.DecodeString(w["ephemeral"])
		w["ephemeral"] = base64.StdEncoding.EncodeToString(eph)
		padded, _ := json.Marshal(w)
		if err := json.Unmarshal(padded, &esd); err == nil {
			t.Error("mautrix now reads a padded ephemeral key")
		}
		if _, err := bk.DecryptSessionData(s.RoomID, s.SessionID(), padded); err != nil {
			t.Errorf("newt on a padded ephemeral key: %v", err)
		}
	}
}

func TestSecretStorageBothWays(t *testing.T) {
	raw := bytes.Repeat([]byte{0x42}, 32)
	nk, _ := keys.NewSecretStorageKey("KEY", raw)
	mk, err := ssss.WrapKey(raw, nil)
	if err != nil {
		t.Fatal(err)
	}
	secret := bytes.Repeat([]byte{0x17}, 32)
	for _, name := range []string{keys.SecretMegolmBackup, keys.SecretCrossSigningMaster} {
		// mautrix -> newt: mautrix's Encrypt takes raw key bytes, as
		// newt's EncryptKey does.
		ed := mk.Encrypt(name, secret)
		edJSON, _ := json.Marshal(ed)
		e, err := keys.EncryptedSecretFromJSON(edJSON)
		if err != nil {
			t.Fatal(err)
		}
		got, err := nk.DecryptKey(name, e)
		if err != nil || !bytes.Equal(got, secret) {
			t.Fatalf("newt reads mautrix's secret: %v", err)
		}
		// newt -> mautrix
		var back ssss.EncryptedKeyData
		json.Unmarshal(nk.EncryptKey(name, secret).JSON(), &back)
		got, err = mk.Decrypt(name, back)
		if err != nil || !bytes.Equal(got, secret) {
			t.Fatalf("mautrix reads newt's secret: %v", err)
		}
	}
	// Key descriptions: newt's check passes mautrix's VerifyKey, and the
	// reverse.
	var meta ssss.KeyMetadata
	json.Unmarshal(nk.Description("", nil).JSON(), &meta)
	if !meta.VerifyKey(raw) {
		t.Error("mautrix refuses newt's key check")
	}
	// Recovery keys.
	if rk := utils.EncodeBase58RecoveryKey(raw); rk != nk.RecoveryKey() {
		t.Errorf("recovery keys differ: %q %q", rk, nk.RecoveryKey())
	}
	if k := utils.DecodeBase58RecoveryKey(nk.RecoveryKey()); !bytes.Equal(k, raw) {
		t.Error("mautrix decodes newt's recovery key to another key")
	}
	// mautrix removes only spaces; newt removes all white space, as
	// matrix-rust-sdk does.
	tabs := strings.ReplaceAll(nk.RecoveryKey(), " ", "\t")
	if utils.DecodeBase58RecoveryKey(tabs) != nil {
		t.Error("mautrix now reads a recovery key with tabs")
	}
	if k, err := keys.DecodeRecoveryKey(tabs); err != nil || !bytes.Equal(k, raw) {
		t.Errorf("newt on a recovery key with tabs: %v", err)
	}
}
