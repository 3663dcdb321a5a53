// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/newt-e2ee/newt/keys"
	"github.com/newt-e2ee/newt/megolm"
	"github.com/newt-e2ee/newt/pk"
)

// keyVectors reads one of package keys' vector files, made by
// matrix-sdk-crypto-wasm, matrix-js-sdk and Element Web's algorithm.
func keyVectors(t *testing.T, name string, v any) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "keys", "testdata", "vectors", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatal(err)
	}
}

type exportVectorFile struct {
	Vectors []struct {
		Comment, Writer, Passphrase, File, Expect string
		Sessions                                  []struct {
			RoomID     string `json:"room_id"`
			SessionID  string `json:"session_id"`
			SessionKey string `json:"session_key"`
		}
	}
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestKeysHelp(t *testing.T) {
	for _, args := range [][]string{
		{"keys", "--help"}, {"help", "keys"}, {"keys", "help"},
		{"keys", "export-decrypt", "--help"}, {"keys", "export-encrypt", "-h"},
		{"keys", "recovery-key", "--help"}, {"keys", "recovery-key", "check", "--help"},
		{"keys", "backup-decrypt", "--help"},
	} {
		r := runNewt(t, "", args...)
		if r.code != exitOK || r.stderr != "" || !strings.Contains(r.stdout, "Usage: newt keys") {
			t.Errorf("%v: code %d stdout %q stderr %q", args, r.code, r.stdout, r.stderr)
		}
	}
	for _, args := range [][]string{
		{"keys"}, {"keys", "frob"}, {"keys", "recovery-key"}, {"keys", "export-decrypt"},
		{"keys", "export-decrypt", "a", "b"}, {"keys", "export-decrypt", "--max-rounds", "0", "f"},
		{"keys", "export-decrypt", "-"}, {"keys", "export-encrypt", "--rounds", "0", "f"},
		{"keys", "backup-decrypt", "-"}, {"keys", "export-decrypt", "--bogus", "f"},
	} {
		r := runNewt(t, "", args...)
		if r.code != exitUsage {
			t.Errorf("%v: code %d, want 2 (stderr %q)", args, r.code, r.stderr)
		}
	}
}

// TestKeysExportDecryptRealFiles decrypts files written by matrix-rust-sdk
// and Element Web's algorithm, with the passphrase on standard input.
func TestKeysExportDecryptRealFiles(t *testing.T) {
	var f exportVectorFile
	keyVectors(t, "export.json", &f)
	for _, v := range f.Vectors[:3] {
		p := writeFile(t, "export.txt", v.File)
		out := filepath.Join(t.TempDir(), "sessions.json")
		r := runNewt(t, v.Passphrase+"\n", "keys", "export-decrypt", "--sessions", "--out", out, p)
		if v.Expect != "success" {
			wantOneLineError(t, r, exitFail, "newt keys export-decrypt: keys: wrong passphrase")
			if strings.Contains(r.stderr, v.Passphrase) {
				t.Errorf("the error quotes the passphrase: %s", r.stderr)
			}
			continue
		}
		if r.code != exitOK {
			t.Fatalf("%s: %d %s", v.Comment, r.code, r.stderr)
		}
		if !strings.HasPrefix(r.stdout, strconv.Itoa(len(v.Sessions))+" sessions in ") {
			t.Errorf("%s: summary %q", v.Comment, r.stdout)
		}
		for _, s := range v.Sessions {
			if !strings.Contains(r.stdout, s.RoomID) || !strings.Contains(r.stdout, s.SessionID+"  first index 0") {
				t.Errorf("%s: summary lacks %s in %s:\n%s", v.Comment, s.SessionID, s.RoomID, r.stdout)
			}
			if strings.Contains(r.stdout+r.stderr, s.SessionKey[:30]) {
				t.Errorf("the summary prints a session key")
			}
		}
		// The --out file holds the sessions, and re-encrypts to a file that
		// decrypts to the same summary.
		data, err := os.ReadFile(out)
		if err != nil || !bytes.Contains(data, []byte(v.Sessions[0].SessionKey)) {
			t.Fatalf("--out: %v", err)
		}
		if fi, _ := os.Stat(out); fi.Mode().Perm() != 0o600 {
			t.Errorf("--out has mode %v", fi.Mode())
		}
		enc := filepath.Join(t.TempDir(), "again.txt")
		r2 := runNewt(t, "other\n", "keys", "export-encrypt", "--rounds", "100", "--out", enc, out)
		if r2.code != exitOK || !strings.Contains(r2.stderr, "encrypted "+strconv.Itoa(len(v.Sessions))+" sessions") {
			t.Fatalf("export-encrypt: %d %s", r2.code, r2.stderr)
		}
		r3 := runNewt(t, "other\n", "keys", "export-decrypt", "--sessions", enc)
		if r3.code != exitOK || r3.stdout != r.stdout {
			t.Fatalf("re-encrypted file reads as\n%s\nwant\n%s", r3.stdout, r.stdout)
		}
	}
}

func TestKeysExportErrors(t *testing.T) {
	r := runNewt(t, "p\n", "keys", "export-decrypt", filepath.Join(t.TempDir(), "missing"))
	wantOneLineError(t, r, exitFail, "newt keys export-decrypt: ")
	r = runNewt(t, "p\n", "keys", "export-decrypt", writeFile(t, "x", "hello"))
	wantOneLineError(t, r, exitFail, "newt keys export-decrypt: keys: not a Megolm key export file")
	r = runNewt(t, "", "keys", "export-decrypt", writeFile(t, "x", "hello"))
	wantOneLineError(t, r, exitFail, "newt keys export-decrypt: reading the passphrase")

	// A file asking for more rounds than allowed.
	var buf bytes.Buffer
	keys.EncryptExport(&buf, []byte("p"), 2000, nil)
	r = runNewt(t, "p\n", "keys", "export-decrypt", "--max-rounds", "1000", writeFile(t, "x", buf.String()))
	wantOneLineError(t, r, exitFail, "newt keys export-decrypt: keys: PBKDF2 iteration count 2000 is above the limit of 1000")

	// export-encrypt refuses bad entries and empty passphrases.
	r = runNewt(t, "p\n", "keys", "export-encrypt", "--rounds", "10", writeFile(t, "x", `[{"algorithm":"m.megolm.v1.aes-sha2"}]`))
	wantOneLineError(t, r, exitFail, "newt keys export-encrypt: keys: session #0")
	r = runNewt(t, "\n", "keys", "export-encrypt", "--rounds", "10", writeFile(t, "x", `[]`))
	wantOneLineError(t, r, exitFail, "newt keys export-encrypt: empty passphrase")
}

// TestKeysProgress: a large file reports its progress on stderr.
func TestKeysProgress(t *testing.T) {
	g := megolm.GenerateGroupSession()
	in, _ := megolm.NewInboundGroupSession(g.SessionKey())
	ek, _ := in.Export(0)
	var buf bytes.Buffer
	w, err := keys.NewExportWriter(&buf, []byte("p"), 10)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; buf.Len() < progressMin+(1<<20); i++ {
		s := keys.NewExportedSession(ek, "!room"+strconv.Itoa(i%50)+":example.org", pk.GenerateDecryption().PublicKey(), g.SigningKey())
		if err := w.Write(s); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()
	r := runNewt(t, "p\n", "keys", "export-decrypt", writeFile(t, "big.txt", buf.String()))
	if r.code != exitOK {
		t.Fatal(r.stderr)
	}
	for _, want := range []string{"reading: 10%", "reading: 100%", "decoding sessions: 50%", "decoding sessions: 100%"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("progress lacks %q:\n%s", want, r.stderr)
		}
	}
	if !strings.Contains(r.stdout, "in 50 rooms") {
		t.Errorf("summary %q", strings.SplitN(r.stdout, "\n", 2)[0])
	}
}

func TestKeysRecoveryKeyCheck(t *testing.T) {
	k := keys.GenerateBackupKey()
	rk := k.RecoveryKey()
	for _, args := range [][]string{strings.Fields(rk), {rk}, {strings.ReplaceAll(rk, " ", "")}} {
		r := runNewt(t, "", append([]string{"keys", "recovery-key", "check"}, args...)...)
		if r.code != exitOK || !strings.Contains(r.stdout, "valid recovery key") || !strings.Contains(r.stdout, k.PublicKey().String()) {
			t.Errorf("%v: %d %q %q", args, r.code, r.stdout, r.stderr)
		}
	}
	r := runNewt(t, rk+"\n", "keys", "recovery-key", "check")
	if r.code != exitOK {
		t.Errorf("stdin: %s", r.stderr)
	}
	for input, want := range map[string]string{
		"0" + rk[1:]:     "character 1 cannot be part of a recovery key",
		rk[:50]:          "characters, not 48",
		rk[:58] + "zz":   "characters, not 48",
		rk[:58] + "2":    "",
		"EsTc LW2K PGiF": "it has 12 characters",
	} {
		r := runNewt(t, "", "keys", "recovery-key", "check", input)
		if want == "" {
			if r.code != exitFail {
				t.Errorf("%q accepted", input)
			}
			continue
		}
		wantOneLineError(t, r, exitFail, "newt keys recovery-key check: keys: invalid recovery key: ")
		if !strings.Contains(r.stderr, want) {
			t.Errorf("%q: %s", input, r.stderr)
		}
	}
}

type backupVectorFile struct {
	Vectors []struct {
		Comment     string
		Key         string
		RecoveryKey string `json:"recovery_key"`
		PublicKey   string `json:"public_key"`
		Response    json.RawMessage
		Expect      map[string]string
	}
}

// TestKeysBackupDecrypt decrypts matrix-rust-sdk's backup upload bodies
// with the recovery key matrix-js-sdk encoded.
func TestKeysBackupDecrypt(t *testing.T) {
	var f backupVectorFile
	keyVectors(t, "backup.json", &f)
	v := f.Vectors[0]
	keyFile := writeFile(t, "key", v.RecoveryKey+"\n")
	resp := writeFile(t, "resp.json", string(v.Response))
	r := runNewt(t, "", "keys", "backup-decrypt", "--key-file", keyFile, resp)
	if r.code != exitOK || !strings.Contains(r.stderr, "decrypted "+strconv.Itoa(len(v.Expect))+" sessions") {
		t.Fatalf("%d %s", r.code, r.stderr)
	}
	sr := keys.NewSessionReader(strings.NewReader(r.stdout))
	n := 0
	for {
		s, err := sr.Next()
		if err != nil {
			break
		}
		if v.Expect[s.RoomID+" "+s.SessionID()] != "success" {
			t.Errorf("unexpected session %v", s)
		}
		n++
	}
	if n != len(v.Expect) {
		t.Fatalf("%d sessions in the output", n)
	}

	// The base64 key, on stdin; and one session_data with --room and
	// --session.
	var resp0 struct {
		Rooms map[string]struct {
			Sessions map[string]struct {
				SessionData json.RawMessage `json:"session_data"`
			}
		}
	}
	json.Unmarshal(v.Response, &resp0)
	for room, rs := range resp0.Rooms {
		for id, kbd := range rs.Sessions {
			sd := writeFile(t, "sd.json", string(kbd.SessionData))
			r := runNewt(t, v.Key+"\n", "keys", "backup-decrypt", "--room", room, "--session", id, sd)
			if r.code != exitOK || !strings.Contains(r.stdout, id) {
				t.Fatalf("single session: %d %s", r.code, r.stderr)
			}
			r = runNewt(t, v.Key+"\n", "keys", "backup-decrypt", "--room", room, "--session", id+"x", sd)
			wantOneLineError(t, r, exitFail, "newt keys backup-decrypt: keys: backed-up session cannot be decrypted")
			r = runNewt(t, v.Key+"\n", "keys", "backup-decrypt", sd)
			if r.code != exitUsage {
				t.Errorf("no --room: %d", r.code)
			}
		}
	}

	// Another key: every session fails, and the key check against the
	// backup version says why.
	other := keys.GenerateBackupKey()
	r = runNewt(t, other.RecoveryKey()+"\n", "keys", "backup-decrypt", resp)
	if r.code != exitFail || !strings.Contains(r.stderr, "could not be decrypted with this key") {
		t.Errorf("other key: %d %s", r.code, r.stderr)
	}
	version := writeFile(t, "version.json", `{"algorithm":"m.megolm_backup.v1.curve25519-aes-sha2","version":"1","auth_data":{"public_key":"`+v.PublicKey+`"}}`)
	r = runNewt(t, other.RecoveryKey()+"\n", "keys", "backup-decrypt", "--version", version, resp)
	wantOneLineError(t, r, exitFail, "newt keys backup-decrypt: the key does not belong to this backup")
	r = runNewt(t, v.RecoveryKey+"\n", "keys", "backup-decrypt", "--version", version, resp)
	if r.code != exitOK {
		t.Errorf("--version with the right key: %s", r.stderr)
	}
	r = runNewt(t, "not a key\n", "keys", "backup-decrypt", resp)
	wantOneLineError(t, r, exitFail, "newt keys backup-decrypt: keys: invalid recovery key")
	r = runNewt(t, v.RecoveryKey+"\n", "keys", "backup-decrypt", writeFile(t, "x", "[]"))
	wantOneLineError(t, r, exitFail, "newt keys backup-decrypt: input is not a JSON object")
}
