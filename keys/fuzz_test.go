// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package keys

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode"

	"github.com/newt-e2ee/newt/megolm"
	"github.com/newt-e2ee/newt/pk"
)

// One fuzz target per decoder. Each checks that no input panics, that every
// error is of the documented kind, and, where a decode succeeds, that
// encoding the result and decoding it again gives the same value.

// fuzzOpts keeps key derivation cheap: any count above 8 is refused.
var fuzzOpts = &Options{MaxIterations: 8, MaxExportSize: 1 << 20}

func isAny(err error, targets ...error) bool {
	for _, t := range targets {
		if errors.Is(err, t) {
			return true
		}
	}
	return false
}

func FuzzReadArmor(f *testing.F) {
	body := sealBody(f, 1, make([]byte, 16), make([]byte, 16), 2, "p", []byte("[]"), false)
	f.Add(armor(body))
	f.Add(armorBegin + "\r\n" + armor(body)[len(armorBegin)+1:])
	f.Add(armorBegin + "\nAAAA=\n" + armorEnd)
	f.Add("\n " + armorBegin + "\n-" + armorEnd + "\n\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, text string) {
		got, err := readArmor(strings.NewReader(text), 1<<20, 0)
		if err != nil {
			if !isAny(err, ErrBadArmor, ErrExportTooLarge) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		again, err := readArmor(strings.NewReader(armor(got)), 1<<20, 0)
		if err != nil || !bytes.Equal(again, got) {
			t.Fatalf("re-armored body does not read back: %v", err)
		}
	})
}

func FuzzDecryptExportBody(f *testing.F) {
	for _, pt := range []string{"[]", "[{}]", "", "x"} {
		f.Add(sealBody(f, 1, make([]byte, 16), make([]byte, 16), 2, "p", []byte(pt), false))
	}
	_, s := testSession(f, "!r:example.org", 1)
	j, _ := s.AppendJSON(nil)
	f.Add(sealBody(f, 1, make([]byte, 16), make([]byte, 16), 3, "p", append(append([]byte("["), j...), ']'), false))
	f.Add(make([]byte, 68))
	f.Add([]byte{1})
	f.Fuzz(func(t *testing.T, body []byte) {
		pt, err := decryptExportBody(bytes.Clone(body), []byte("p"), fuzzOpts)
		if err != nil {
			if !isAny(err, ErrBadExport, ErrIterations, ErrWrongPassphrase) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if len(pt) != len(body)-MinExportSize {
			t.Fatalf("plaintext of %d bytes from a body of %d", len(pt), len(body))
		}
		drain(t, NewSessionReader(bytes.NewReader(pt)))
	})
}

// drain reads r to its end and checks its errors and results.
func drain(t *testing.T, r *SessionReader) {
	t.Helper()
	for {
		s, err := r.Next()
		if err == io.EOF {
			return
		}
		var se *SessionError
		if errors.As(err, &se) {
			if !errors.Is(err, ErrBadSession) {
				t.Fatalf("session error of the wrong kind: %v", err)
			}
			continue
		}
		if err != nil {
			if !errors.Is(err, ErrBadExport) {
				t.Fatalf("untyped error %v", err)
			}
			if _, err2 := r.Next(); err2 != err {
				t.Fatalf("error not sticky: %v then %v", err, err2)
			}
			return
		}
		roundTrip(t, s)
	}
}

// roundTrip serialises s and parses it back.
func roundTrip(t *testing.T, s *ExportedSession) {
	t.Helper()
	j, err := s.AppendJSON(nil)
	if err != nil {
		if !errors.Is(err, ErrBadSession) {
			t.Fatalf("AppendJSON: %v", err)
		}
		return // a string that is not valid UTF-8 cannot be written
	}
	s2, err := ExportedSessionFromJSON(j)
	if err != nil {
		t.Fatalf("written session does not parse: %v\n%s", err, j)
	}
	sameSession(t, s, s2)
}

func FuzzSessionReader(f *testing.F) {
	ss := testSessions(f, 2, 1)
	a, _ := ss[0].AppendJSON(nil)
	b, _ := ss[1].AppendJSON(nil)
	f.Add([]byte("[" + string(a) + "," + string(b) + "]"))
	f.Add([]byte("[" + string(a) + `,{"algorithm":5},` + string(b) + "]"))
	f.Add([]byte(`[{"m.shared_history":true,"shared_history":false}]`))
	f.Add([]byte("[]"))
	f.Add([]byte("[{}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		drain(t, NewSessionReader(bytes.NewReader(data)))
		if s, err := ExportedSessionFromJSON(data); err == nil {
			roundTrip(t, s)
		} else if !errors.Is(err, ErrBadSession) {
			t.Fatalf("untyped error %v", err)
		}
	})
}

// fuzzBackupKey is a fixed backup key for the backup fuzz targets.
var fuzzBackupKey, _ = NewBackupKey(bytes.Repeat([]byte{0x5a}, 32))

func FuzzDecryptSessionData(f *testing.F) {
	_, s := testSession(f, "!r:example.org", 0)
	sd, _ := EncryptSessionData(fuzzBackupKey.PublicKey(), s)
	f.Add(sd, s.RoomID, s.SessionID())
	f.Add(sd, s.RoomID, "")
	f.Add([]byte(`{"ciphertext":"","ephemeral":"","mac":""}`), "r", "s")
	f.Add([]byte(`{}`), "", "")
	f.Fuzz(func(t *testing.T, data []byte, room, session string) {
		got, err := fuzzBackupKey.DecryptSessionData(room, session, data)
		if err != nil {
			if err != ErrBadSessionData {
				t.Fatalf("error %v is not exactly ErrBadSessionData", err)
			}
			return
		}
		if got.RoomID != room || got.SessionID() == "" {
			t.Fatalf("session %v from room %q session %q", got, room, session)
		}
		roundTrip(t, got)
	})
}

func FuzzRestore(f *testing.F) {
	_, s := testSession(f, "!r:example.org", 0)
	kbd, _ := EncryptKeyBackupData(fuzzBackupKey.PublicKey(), s)
	f.Add([]byte(`{"rooms":{"!r:example.org":{"sessions":{"` + s.SessionID() + `":` + string(kbd) + `}}}}`))
	f.Add([]byte(`{"rooms":{"!r":{"sessions":{"x":1,"y":{"session_data":{}}}}}}`))
	f.Add([]byte(`{"rooms":{}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		n := 0
		rep, err := fuzzBackupKey.Restore(bytes.NewReader(data), func(s *ExportedSession, igs *megolm.InboundGroupSession) error {
			if igs.ID() != s.SessionID() {
				t.Fatalf("imported %s as %s", s.SessionID(), igs.ID())
			}
			n++
			return nil
		})
		if err != nil {
			if !errors.Is(err, ErrBadBackupResponse) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if rep.Imported != n {
			t.Fatalf("report says %d, stored %d", rep.Imported, n)
		}
		for _, f := range rep.Failed {
			if !isAny(f, ErrBadSessionData, megolm.ErrBadSessionKey) {
				t.Fatalf("failure of the wrong kind: %v", f)
			}
		}
	})
}

// fuzzSSSSKey is a fixed secret storage key for FuzzSecretStorage.
var fuzzSSSSKey, _ = NewSecretStorageKey("KEY", bytes.Repeat([]byte{0x33}, 32))

func FuzzSecretStorage(f *testing.F) {
	e := fuzzSSSSKey.Encrypt("m.x", []byte("secret"))
	f.Add(e.JSON())
	f.Add((&SecretEvent{Encrypted: map[string]*EncryptedSecret{"KEY": e}}).JSON())
	f.Add(fuzzSSSSKey.Description("name", &PassphraseParams{Salt: "s", Iterations: 4}).JSON())
	f.Add([]byte(`{"algorithm":"m.secret_storage.v1.aes-hmac-sha2","passphrase":{"algorithm":"m.pbkdf2","salt":"s","iterations":4294967296}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if d, err := KeyDescriptionFromJSON(data); err == nil {
			d2, err := KeyDescriptionFromJSON(d.JSON())
			if err != nil || !bytes.Equal(d2.JSON(), d.JSON()) {
				t.Fatalf("description does not round-trip: %v", err)
			}
			if err := d.Check(fuzzSSSSKey); err != nil && err != ErrWrongKey {
				t.Fatalf("Check: %v", err)
			}
			if d.Passphrase != nil {
				_, err := d.KeyFromPassphrase("KEY", []byte("p"), fuzzOpts)
				if err != nil && !isAny(err, ErrIterations, ErrWrongKey) {
					t.Fatalf("KeyFromPassphrase: %v", err)
				}
			}
		} else if !errors.Is(err, ErrBadSecretStorage) {
			t.Fatalf("untyped error %v", err)
		}

		if e, err := EncryptedSecretFromJSON(data); err == nil {
			e2, err := EncryptedSecretFromJSON(e.JSON())
			if err != nil || !bytes.Equal(e2.JSON(), e.JSON()) {
				t.Fatalf("secret does not round-trip: %v", err)
			}
			if _, err := fuzzSSSSKey.DecryptKey("m.x", e); err != nil && !isAny(err, ErrBadSecret, ErrBadSecretStorage) {
				t.Fatalf("DecryptKey: %v", err)
			}
		} else if !errors.Is(err, ErrBadSecretStorage) {
			t.Fatalf("untyped error %v", err)
		}

		if ev, err := SecretEventFromJSON(data); err == nil {
			if _, err := SecretEventFromJSON(ev.JSON()); err != nil {
				t.Fatalf("event does not round-trip: %v", err)
			}
			if _, err := ev.Decrypt(fuzzSSSSKey, "m.x"); err != nil && !isAny(err, ErrBadSecret, ErrNoSecret, ErrBadSecretStorage) {
				t.Fatalf("Decrypt: %v", err)
			}
		} else if !errors.Is(err, ErrBadSecretStorage) {
			t.Fatalf("untyped error %v", err)
		}
	})
}

func FuzzDecodeRecoveryKey(f *testing.F) {
	rk, _ := EncodeRecoveryKey(bytes.Repeat([]byte{1}, 32))
	f.Add(rk)
	f.Add(strings.ReplaceAll(rk, " ", "\t"))
	f.Add(rk[:20])
	f.Add("0OIl")
	f.Fuzz(func(t *testing.T, s string) {
		key, err := DecodeRecoveryKey(s)
		if err != nil {
			var re *RecoveryKeyError
			if !errors.As(err, &re) || !errors.Is(err, ErrRecoveryKey) || re.Problem < RecoveryKeyBadCharacter || re.Problem > RecoveryKeyBadParity {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		enc, err := EncodeRecoveryKey(key)
		if err != nil {
			t.Fatal(err)
		}
		strip := func(s string) string {
			return strings.Map(func(r rune) rune {
				if unicode.IsSpace(r) {
					return -1
				}
				return r
			}, s)
		}
		if strip(enc) != strip(s) {
			t.Fatalf("%q decodes to a key that encodes as %q", s, enc)
		}
	})
}

// fuzzSigner is a fixed signing key for FuzzSignedJSON.
var fuzzSigner, _ = pk.NewSigning(bytes.Repeat([]byte{0x77}, 32))

func FuzzSignedJSON(f *testing.F) {
	f.Add([]byte(jsTestDevice))
	f.Add(keyJSON("@a:b", UsageMaster, fuzzSigner))
	f.Add([]byte(`{"algorithm":"m.megolm_backup.v1.curve25519-aes-sha2","auth_data":{"public_key":"AAAA"}}`))
	f.Add([]byte(`{"a":"\u0000","signatures":{"x":{}},"unsigned":1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := VerifyDeviceKeys(data, "@alice:localhost", "test_device"); err != nil && !isAny(err, ErrBadKeyObject, ErrBadSignature) {
			t.Fatalf("VerifyDeviceKeys: %v", err)
		}
		if k, err := CrossSigningKeyFromJSON(data, "@a:b", UsageMaster); err == nil {
			if err := k.Verify(data); err != nil && !errors.Is(err, ErrBadSignature) {
				t.Fatalf("Verify: %v", err)
			}
		} else if !errors.Is(err, ErrBadKeyObject) {
			t.Fatalf("CrossSigningKeyFromJSON: %v", err)
		}
		if _, _, err := BackupVersionFromJSON(data); err != nil && !errors.Is(err, ErrBadKeyObject) {
			t.Fatalf("BackupVersionFromJSON: %v", err)
		}
		sig, err := fuzzSigner.SignJSON(data)
		signed, err2 := AddSignature(data, "@a:b", "ed25519:K", sig)
		if err2 != nil {
			if !errors.Is(err2, ErrBadKeyObject) {
				t.Fatalf("AddSignature: %v", err2)
			}
			return
		}
		if err != nil {
			t.Fatalf("AddSignature accepted what SignJSON refused: %v", err)
		}
		if err := verifySigned(signed, "@a:b", "ed25519:K", fuzzSigner.PublicKey()); err != nil {
			t.Fatalf("added signature does not verify: %v", err)
		}
	})
}
