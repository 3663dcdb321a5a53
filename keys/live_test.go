// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package keys

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/newt-e2ee/newt/megolm"
	"github.com/newt-e2ee/newt/pk"
)

// TestLiveWrite writes files, backups, secrets, recovery keys and signed
// objects made by newt to $NEWT_KEYS_LIVE_OUT, in the layout of the vector
// files, for testdata/node/crosscheck.mjs check to read with
// matrix-sdk-crypto-wasm and matrix-js-sdk. .ci/run runs both; without the
// variable the test is skipped.
func TestLiveWrite(t *testing.T) {
	dir := os.Getenv("NEWT_KEYS_LIVE_OUT")
	if dir == "" {
		t.Skip("NEWT_KEYS_LIVE_OUT not set")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	prov := provenance{Generator: "keys/live_test.go TestLiveWrite", What: "made by newt", Packages: map[string]string{}, Generated: "now"}
	write := func(name string, v any) {
		b, err := json.MarshalIndent(v, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// Sessions with real Megolm keys and varied metadata.
	var sessions []*ExportedSession
	for i, room := range []string{"!kitchen:example.org", "!garden:example.org", "!\u65e5\u672c:example.org", "!kitchen:example.org"} {
		g := megolm.GenerateGroupSession()
		for range i {
			g.Encrypt([]byte("advance"))
		}
		in, _ := megolm.NewInboundGroupSession(g.SessionKey())
		ek, _ := in.Export(uint32(i))
		s := NewExportedSession(ek, room, pk.GenerateDecryption().PublicKey(), pk.GenerateSigning().PublicKey())
		s.SharedHistory = i%2 == 0
		if i == 3 {
			s.ForwardingCurve25519KeyChain = []string{pk.GenerateDecryption().PublicKey().String()}
		}
		sessions = append(sessions, s)
	}
	want := make([]vectorSession, len(sessions))
	for i, s := range sessions {
		want[i] = vectorSession{RoomID: s.RoomID, SessionID: s.SessionID(), SenderKey: s.SenderKey.String(), SessionKey: s.SessionKey().Base64(),
			SenderClaimedKeys: s.SenderClaimedKeys, Chain: s.ForwardingCurve25519KeyChain, SharedHistory: s.SharedHistory}
	}

	var ef exportFile
	ef.Provenance = prov
	for _, tc := range []struct {
		pass   string
		rounds uint32
	}{{"newt passphrase \u00e9\U0001F511", DefaultIterations}, {"p", 10}} {
		var buf bytes.Buffer
		if err := EncryptExport(&buf, []byte(tc.pass), tc.rounds, sessions); err != nil {
			t.Fatal(err)
		}
		ef.Vectors = append(ef.Vectors, exportVector{
			Comment: "newt ExportWriter, " + strconv.Itoa(int(tc.rounds)) + " rounds", Writer: "newt", Passphrase: tc.pass,
			File: buf.String(), Expect: "success", Sessions: want,
		})
	}
	write("export.json", ef)

	// A key backup: the /room_keys/keys body for the sessions.
	bk := GenerateBackupKey()
	rooms := map[string]map[string]json.RawMessage{}
	expect := map[string]string{}
	for _, s := range sessions {
		kbd, err := EncryptKeyBackupData(bk.PublicKey(), s)
		if err != nil {
			t.Fatal(err)
		}
		if rooms[s.RoomID] == nil {
			rooms[s.RoomID] = map[string]json.RawMessage{}
		}
		rooms[s.RoomID][s.SessionID()] = kbd
		expect[s.RoomID+" "+s.SessionID()] = "success"
	}
	resp := map[string]any{"rooms": map[string]any{}}
	for r, ss := range rooms {
		resp["rooms"].(map[string]any)[r] = map[string]any{"sessions": ss}
	}
	respJSON, _ := json.Marshal(resp)
	var bf backupFile
	bf.Provenance = prov
	bf.Vectors = append(bf.Vectors, backupVector{
		Comment: "newt EncryptKeyBackupData", Writer: "newt", Key: bk.Base64(), RecoveryKey: bk.RecoveryKey(),
		PublicKey: bk.PublicKey().String(), Response: respJSON, Expect: expect, Sessions: want,
	})
	write("backup.json", bf)

	// Secret storage.
	var sf ssssFile
	sf.Provenance = prov
	sk := GenerateSecretStorageKey()
	for _, name := range []string{SecretCrossSigningMaster, SecretCrossSigningSelfSigning, SecretCrossSigningUserSigning, SecretMegolmBackup} {
		raw := bytes.Repeat([]byte{byte(len(name))}, 32)
		e := sk.EncryptKey(name, raw)
		sf.Vectors = append(sf.Vectors, ssssVector{Comment: "newt EncryptKey " + name, Writer: "newt", Key: rawB64(sk.Bytes()), Name: name,
			Encrypted: e.JSON(), Plaintext: base64.RawStdEncoding.EncodeToString(raw), Expect: "success"})
	}
	e := sk.Encrypt("m.secret.text", []byte("text \u00e9\U0001F511"))
	sf.Vectors = append(sf.Vectors, ssssVector{Comment: "newt Encrypt, non-ASCII text", Writer: "newt", Key: rawB64(sk.Bytes()), Name: "m.secret.text",
		Encrypted: e.JSON(), Plaintext: "text \u00e9\U0001F511", Expect: "success"})
	sf.KeyChecks = append(sf.KeyChecks,
		keyCheckVector{Comment: "newt key description", Writer: "newt", Key: rawB64(sk.Bytes()), Description: sk.Description("newt key", nil).JSON(), Expect: "match"},
		keyCheckVector{Comment: "newt key description, another key", Writer: "newt", Key: rawB64(GenerateSecretStorageKey().Bytes()), Description: sk.Description("", nil).JSON(), Expect: "wrong key"})
	p := NewPassphraseParams()
	pkey, err := p.DeriveKey("KEYID", []byte("newt passphrase \u00e9"), nil)
	if err != nil {
		t.Fatal(err)
	}
	sf.Passphrases = append(sf.Passphrases, passphraseVector{Comment: "newt passphrase key", Writer: "newt", Passphrase: "newt passphrase \u00e9",
		Description: pkey.Description("", p).JSON(), Key: rawB64(pkey.Bytes()), RecoveryKey: pkey.RecoveryKey()})
	write("ssss.json", sf)

	// Recovery keys.
	var rf recoveryFile
	rf.Provenance = prov
	for _, k := range [][]byte{make([]byte, 32), bytes.Repeat([]byte{0xff}, 32), bk.Bytes(), sk.Bytes()} {
		rk, _ := EncodeRecoveryKey(k)
		rf.Encodings = append(rf.Encodings, recoveryEncoding{Key: rawB64(k), RecoveryKey: rk, Writer: "newt"})
	}
	write("recoverykey.json", rf)

	// Signed objects: Alice (the checker's own user) and Bob, cross-signed.
	var gf signedFile
	gf.Provenance = prov
	for _, user := range []string{"@alice:example.org", "@bob:example.org"} {
		c := newCrossSigning(t, user)
		devID := "DEV"
		mskSigner := &signerVector{Kind: "key", Usage: UsageMaster, Object: c.mskJSON}
		sskSigner := &signerVector{Kind: "key", Usage: UsageSelfSigning, Object: c.sskJSON}
		gf.Checks = append(gf.Checks,
			signedCheck{Comment: user + ": master key, signed by the device", Kind: "key", User: user, Usage: UsageMaster, Object: c.mskJSON,
				Signer: &signerVector{Kind: "device", Device: devID, Object: c.deviceJSON}, Expect: "valid"},
			signedCheck{Comment: user + ": self-signing key", Kind: "key", User: user, Usage: UsageSelfSigning, Object: c.sskJSON, Signer: mskSigner, Expect: "valid"},
			signedCheck{Comment: user + ": user-signing key", Kind: "key", User: user, Usage: UsageUserSigning, Object: c.uskJSON, Signer: mskSigner, Expect: "valid"},
			signedCheck{Comment: user + ": device, cross-signed, with unsigned data", Kind: "device", User: user, Device: devID, Object: c.deviceJSON, Signer: sskSigner, Expect: "valid"},
		)
		if user == "@alice:example.org" {
			auth := NewBackupAuthData(bk.PublicKey()).JSON()
			auth = sign(t, auth, user, "ed25519:"+devID, c.device)
			auth = sign(t, auth, user, "ed25519:"+c.msk.PublicKey().String(), c.msk)
			gf.Checks = append(gf.Checks, signedCheck{Comment: user + ": backup auth_data signed by the master key and the device", Kind: "auth_data", User: user,
				Object: auth, Signer: mskSigner, Expect: "valid"})
		}
	}
	write("signed.json", gf)
	t.Logf("wrote newt's files to %s", dir)
}

func rawB64(b []byte) string { return base64.RawStdEncoding.EncodeToString(b) }
