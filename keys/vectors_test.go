// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package keys

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/newt-e2ee/newt/megolm"
)

// The vectors in testdata/vectors were made by the real implementations:
// matrix-sdk-crypto-wasm 18.9.0 (matrix-rust-sdk, vodozemac), matrix-js-sdk
// 37.5.0 and Element Web's export algorithm, by
// testdata/node/crosscheck.mjs (see each file's provenance). Each item says
// what newt must make of it ("expect") and records what the real readers
// made of it ("observed"). .ci/run also makes a fresh set with the same
// script and runs these tests on it (NEWT_KEYS_VECTORS=DIR).

// vectorDir returns the directory of the vector files.
func vectorDir() string {
	if d := os.Getenv("NEWT_KEYS_VECTORS"); d != "" {
		return d
	}
	return filepath.Join("testdata", "vectors")
}

func loadVectors(t *testing.T, name string, v any) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(vectorDir(), name))
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// vectorHeader is what every vector file has besides its vectors.
type vectorHeader struct {
	Provenance provenance `json:"provenance"`
}

func (h *vectorHeader) header() *vectorHeader { return h }

type provenance struct {
	Generator string            `json:"generator"`
	What      string            `json:"what"`
	Packages  map[string]string `json:"packages"`
	Note      string            `json:"note"`
	Generated string            `json:"generated"`
}

// vectorSession is an exported session as the vectors give it, with the
// shared-history flag newt must read.
type vectorSession struct {
	RoomID            string            `json:"room_id"`
	SessionID         string            `json:"session_id"`
	SenderKey         string            `json:"sender_key"`
	SessionKey        string            `json:"session_key"`
	SenderClaimedKeys map[string]string `json:"sender_claimed_keys"`
	Chain             []string          `json:"forwarding_curve25519_key_chain"`
	SharedHistory     bool              `json:"shared_history"`
}

func (v *vectorSession) check(t *testing.T, what string, s *ExportedSession) {
	t.Helper()
	got := vectorSession{
		RoomID: s.RoomID, SessionID: s.SessionID(), SenderKey: s.SenderKey.String(),
		SessionKey: s.SessionKey().Base64(), SenderClaimedKeys: s.SenderClaimedKeys,
		Chain: s.ForwardingCurve25519KeyChain, SharedHistory: s.SharedHistory,
	}
	if fmt.Sprint(got) != fmt.Sprint(*v) {
		t.Errorf("%s: session %s differs:\n got %v\nwant %v", what, v.SessionID, got.public(), v.public())
	}
}

// public prints a session without its key.
func (v vectorSession) public() string {
	v.SessionKey = fmt.Sprintf("(%d characters)", len(v.SessionKey))
	return fmt.Sprint(v)
}

type exportFile struct {
	vectorHeader
	Vectors []exportVector `json:"vectors"`
}

type exportVector struct {
	Comment    string            `json:"comment"`
	Writer     string            `json:"writer"`
	Passphrase string            `json:"passphrase"`
	File       string            `json:"file"`
	Expect     string            `json:"expect"`
	Sessions   []vectorSession   `json:"sessions"`
	Failed     []int             `json:"failed,omitempty"`
	Observed   map[string]string `json:"observed,omitempty"`
}

func TestVectorsExport(t *testing.T) {
	var f exportFile
	loadVectors(t, "export.json", &f)
	for _, v := range f.Vectors {
		what := v.Writer + ": " + v.Comment
		r, err := DecryptExport(strings.NewReader(v.File), []byte(v.Passphrase), nil)
		if err == nil {
			var got []*ExportedSession
			var failed []int
			for err == nil {
				var s *ExportedSession
				s, err = r.Next()
				var se *SessionError
				switch {
				case errors.As(err, &se):
					failed = append(failed, se.Index)
					err = nil
				case err == nil:
					got = append(got, s)
				}
			}
			if err == io.EOF {
				err = nil
				if fmt.Sprint(failed) != fmt.Sprint(v.Failed) && len(failed)+len(v.Failed) > 0 {
					t.Errorf("%s: failed entries %v, want %v", what, failed, v.Failed)
				}
				if len(got) != len(v.Sessions) {
					t.Errorf("%s: %d sessions, want %d", what, len(got), len(v.Sessions))
					continue
				}
				for i := range got {
					v.Sessions[i].check(t, what, got[i])
				}
			}
		}
		var want error
		switch v.Expect {
		case "success":
		case "wrong passphrase":
			want = ErrWrongPassphrase
		case "bad export":
			want = ErrBadExport
		case "bad armor":
			want = ErrBadArmor
		default:
			t.Fatalf("%s: unknown expect %q", what, v.Expect)
		}
		if (want == nil && err != nil) || (want != nil && !errors.Is(err, want)) {
			t.Errorf("%s: got %v, want %v (observed elsewhere: %v)", what, err, want, v.Observed)
		}
	}
}

type backupFile struct {
	vectorHeader
	Vectors []backupVector `json:"vectors"`
}

type backupVector struct {
	Comment     string            `json:"comment"`
	Writer      string            `json:"writer"`
	Key         string            `json:"key"`
	RecoveryKey string            `json:"recovery_key"`
	PublicKey   string            `json:"public_key"`
	Response    json.RawMessage   `json:"response"`
	Expect      map[string]string `json:"expect"`
	Sessions    []vectorSession   `json:"sessions"`
	Observed    map[string]string `json:"observed,omitempty"`
}

func TestVectorsBackup(t *testing.T) {
	var f backupFile
	loadVectors(t, "backup.json", &f)
	for _, v := range f.Vectors {
		what := v.Writer + ": " + v.Comment
		k, err := ParseBackupKey(v.Key)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if k.PublicKey().String() != v.PublicKey {
			t.Errorf("%s: public key %s, want %s", what, k.PublicKey(), v.PublicKey)
		}
		if rk, err := BackupKeyFromRecoveryKey(v.RecoveryKey); err != nil || !bytes.Equal(rk.Bytes(), k.Bytes()) {
			t.Errorf("%s: recovery key: %v", what, err)
		}
		want := map[string]vectorSession{}
		for _, s := range v.Sessions {
			want[s.SessionID] = s
		}
		outcome := map[string]string{}
		rep, err := k.Restore(bytes.NewReader(v.Response), func(s *ExportedSession, _ *megolm.InboundGroupSession) error {
			outcome[s.RoomID+" "+s.SessionID()] = "success"
			w, ok := want[s.SessionID()]
			if !ok {
				t.Errorf("%s: unexpected session %s", what, s.SessionID())
				return nil
			}
			w.check(t, what, s)
			return nil
		})
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		for _, fl := range rep.Failed {
			if fl.Err != ErrBadSessionData {
				t.Errorf("%s: failure %v", what, fl)
			}
			outcome[fl.RoomID+" "+fl.SessionID] = "bad session data"
		}
		if !maps.Equal(outcome, v.Expect) {
			t.Errorf("%s: outcomes %v, want %v (observed: %v)", what, outcome, v.Expect, v.Observed)
		}
	}
}

type ssssFile struct {
	vectorHeader
	Vectors     []ssssVector       `json:"vectors"`
	KeyChecks   []keyCheckVector   `json:"key_checks"`
	Passphrases []passphraseVector `json:"passphrases"`
}

type ssssVector struct {
	Comment   string            `json:"comment"`
	Writer    string            `json:"writer"`
	Key       string            `json:"key"`
	Name      string            `json:"name"`
	Encrypted json.RawMessage   `json:"encrypted"`
	Plaintext string            `json:"plaintext"`
	Expect    string            `json:"expect"`
	Observed  map[string]string `json:"observed,omitempty"`
}

type keyCheckVector struct {
	Comment     string          `json:"comment"`
	Writer      string          `json:"writer"`
	Key         string          `json:"key"`
	Description json.RawMessage `json:"description"`
	Expect      string          `json:"expect"`
}

type passphraseVector struct {
	Comment     string          `json:"comment"`
	Writer      string          `json:"writer"`
	Passphrase  string          `json:"passphrase"`
	Description json.RawMessage `json:"description"`
	Key         string          `json:"key"`
	RecoveryKey string          `json:"recovery_key"`
}

func mustKey(t *testing.T, s string) *SecretStorageKey {
	t.Helper()
	b, err := base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "="))
	if err != nil {
		t.Fatal(err)
	}
	k, err := NewSecretStorageKey("KEYID", b)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestVectorsSecretStorage(t *testing.T) {
	var f ssssFile
	loadVectors(t, "ssss.json", &f)
	for _, v := range f.Vectors {
		what := v.Writer + ": " + v.Comment
		e, err := EncryptedSecretFromJSON(v.Encrypted)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		pt, err := mustKey(t, v.Key).Decrypt(v.Name, e)
		switch v.Expect {
		case "success":
			if err != nil || string(pt) != v.Plaintext {
				t.Errorf("%s: %q %v", what, pt, err)
			}
		case "bad mac":
			if err != ErrBadSecret {
				t.Errorf("%s: %v", what, err)
			}
		default:
			t.Fatalf("%s: unknown expect %q", what, v.Expect)
		}
	}
	for _, c := range f.KeyChecks {
		d, err := KeyDescriptionFromJSON(c.Description)
		if err != nil {
			t.Fatalf("%s: %v", c.Comment, err)
		}
		err = d.Check(mustKey(t, c.Key))
		if (c.Expect == "match") != (err == nil) || (err != nil && err != ErrWrongKey) {
			t.Errorf("%s: %v, want %s", c.Comment, err, c.Expect)
		}
	}
	for _, p := range f.Passphrases {
		d, err := KeyDescriptionFromJSON(p.Description)
		if err != nil {
			t.Fatalf("%s: %v", p.Comment, err)
		}
		k, err := d.KeyFromPassphrase("KEYID", []byte(p.Passphrase), nil)
		if err != nil {
			t.Fatalf("%s: %v", p.Comment, err)
		}
		if !bytes.Equal(k.Bytes(), mustKey(t, p.Key).Bytes()) || k.RecoveryKey() != p.RecoveryKey {
			t.Errorf("%s: derived key differs", p.Comment)
		}
		if _, err := d.KeyFromPassphrase("KEYID", []byte(p.Passphrase+"x"), nil); err != ErrWrongKey {
			t.Errorf("%s: wrong passphrase gives %v", p.Comment, err)
		}
	}
}

type recoveryFile struct {
	vectorHeader
	Encodings []recoveryEncoding `json:"encodings"`
	Typos     []struct {
		Comment  string            `json:"comment"`
		Input    string            `json:"input"`
		Expect   string            `json:"expect"`
		Key      string            `json:"key"`
		Observed map[string]string `json:"observed"`
	} `json:"typos"`
}

type recoveryEncoding struct {
	Key         string `json:"key"`
	RecoveryKey string `json:"recovery_key"`
	Writer      string `json:"writer"`
}

func TestVectorsRecoveryKey(t *testing.T) {
	var f recoveryFile
	loadVectors(t, "recoverykey.json", &f)
	for _, e := range f.Encodings {
		key := mustKey(t, e.Key).Bytes()
		enc, err := EncodeRecoveryKey(key)
		if err != nil || enc != e.RecoveryKey {
			t.Errorf("%s: encodes as %q, want %q", e.Writer, enc, e.RecoveryKey)
		}
		dec, err := DecodeRecoveryKey(e.RecoveryKey)
		if err != nil || !bytes.Equal(dec, key) {
			t.Errorf("%s: %q decodes to another key: %v", e.Writer, e.RecoveryKey, err)
		}
	}
	problems := map[string]RecoveryKeyProblem{"success": 0, "bad character": RecoveryKeyBadCharacter, "bad length": RecoveryKeyBadLength, "bad prefix": RecoveryKeyBadPrefix, "bad parity": RecoveryKeyBadParity}
	for _, ty := range f.Typos {
		want, ok := problems[ty.Expect]
		if !ok {
			t.Fatalf("%s: unknown expect %q", ty.Comment, ty.Expect)
		}
		key, err := DecodeRecoveryKey(ty.Input)
		if problem(err) != want || (want == 0 && err != nil) {
			t.Errorf("%s: %v, want %s (matrix-js-sdk: %v)", ty.Comment, err, ty.Expect, ty.Observed)
		}
		if want == 0 && !bytes.Equal(key, mustKey(t, ty.Key).Bytes()) {
			t.Errorf("%s: another key", ty.Comment)
		}
	}
}

type signedFile struct {
	vectorHeader
	Checks []signedCheck `json:"checks"`
}

type signedCheck struct {
	Comment string          `json:"comment"`
	Writer  string          `json:"writer"`
	Kind    string          `json:"kind"`
	User    string          `json:"user"`
	Device  string          `json:"device,omitempty"`
	Usage   string          `json:"usage,omitempty"`
	Object  json.RawMessage `json:"object"`
	Signer  *signerVector   `json:"signer,omitempty"`
	Expect  string          `json:"expect"`
}

type signerVector struct {
	Kind   string          `json:"kind"`
	Device string          `json:"device,omitempty"`
	Usage  string          `json:"usage,omitempty"`
	Object json.RawMessage `json:"object"`
}

// verifier is what signs: device keys or a cross-signing key.
type verifier interface{ Verify([]byte) error }

func TestVectorsSigned(t *testing.T) {
	var f signedFile
	loadVectors(t, "signed.json", &f)
	for _, c := range f.Checks {
		var err error
		switch c.Kind {
		case "device":
			_, err = VerifyDeviceKeys(c.Object, c.User, c.Device)
		case "key":
			_, err = CrossSigningKeyFromJSON(c.Object, c.User, c.Usage)
		case "auth_data":
			_, err = BackupAuthDataFromJSON(c.Object)
		default:
			t.Fatalf("%s: unknown kind %q", c.Comment, c.Kind)
		}
		if err == nil && c.Signer != nil {
			var v verifier
			if c.Signer.Kind == "device" {
				v, err = VerifyDeviceKeys(c.Signer.Object, c.User, c.Signer.Device)
			} else {
				v, err = CrossSigningKeyFromJSON(c.Signer.Object, c.User, c.Signer.Usage)
			}
			if err != nil {
				t.Fatalf("%s: signer: %v", c.Comment, err)
			}
			err = v.Verify(c.Object)
		}
		var want error
		switch c.Expect {
		case "valid":
		case "bad signature":
			want = ErrBadSignature
		case "bad object":
			want = ErrBadKeyObject
		default:
			t.Fatalf("%s: unknown expect %q", c.Comment, c.Expect)
		}
		if (want == nil && err != nil) || (want != nil && !errors.Is(err, want)) {
			t.Errorf("%s: %v, want %s", c.Comment, err, c.Expect)
		}
	}
}

// TestVectorsProvenance checks that every vector file says where it came
// from and that the committed ones come from the pinned packages.
func TestVectorsProvenance(t *testing.T) {
	files := map[string]interface{ header() *vectorHeader }{"export.json": &exportFile{}, "backup.json": &backupFile{}, "ssss.json": &ssssFile{}, "recoverykey.json": &recoveryFile{}, "signed.json": &signedFile{}}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		v := files[name]
		loadVectors(t, name, v)
		p := v.header().Provenance
		if p.Generator == "" || p.Generated == "" || p.Packages["@matrix-org/matrix-sdk-crypto-wasm"] != "18.9.0" || p.Packages["matrix-js-sdk"] != "37.5.0" {
			t.Errorf("%s: provenance %+v", name, p)
		}
	}
}
