// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package keys

import (
	"bytes"
	"crypto/ecdh"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/megolm"
	"github.com/newt-e2ee/newt/pk"
)

func TestBackupRoundTrip(t *testing.T) {
	k := GenerateBackupKey()
	_, s := testSession(t, "!r:example.org", 4)
	s.SharedHistory = true
	s.ForwardingCurve25519KeyChain = []string{"abc"}
	sd, err := EncryptSessionData(k.PublicKey(), s)
	if err != nil {
		t.Fatal(err)
	}
	got, err := k.DecryptSessionData(s.RoomID, s.SessionID(), sd)
	if err != nil {
		t.Fatal(err)
	}
	sameSession(t, s, got)

	// The KeyBackupData wrapper.
	kbd, err := EncryptKeyBackupData(k.PublicKey(), s)
	if err != nil {
		t.Fatal(err)
	}
	var w struct {
		First     *int            `json:"first_message_index"`
		Forwarded *int            `json:"forwarded_count"`
		Verified  *bool           `json:"is_verified"`
		Data      json.RawMessage `json:"session_data"`
	}
	if err := json.Unmarshal(kbd, &w); err != nil || w.First == nil || *w.First != 4 || w.Forwarded == nil || *w.Forwarded != 1 || w.Verified == nil || *w.Verified {
		t.Fatalf("KeyBackupData %s: %v", kbd, err)
	}
	if _, err := k.DecryptSessionData(s.RoomID, s.SessionID(), w.Data); err != nil {
		t.Fatal(err)
	}

	// The plaintext has no room or session ID (matrix-rust-sdk's form).
	m := decryptRaw(t, k, sd)
	if bytes.Contains(m, []byte("room_id")) || bytes.Contains(m, []byte(`"session_id"`)) {
		t.Fatalf("plaintext carries IDs: %s", m)
	}
}

// decryptRaw decrypts session_data with pk alone, for checks on the
// plaintext.
func decryptRaw(t testing.TB, k *BackupKey, sd []byte) []byte {
	t.Helper()
	var w struct{ Ciphertext, Ephemeral, MAC string }
	json.Unmarshal(sd, &w)
	m, err := pk.ParseMessage(w.Ciphertext, w.MAC, w.Ephemeral)
	if err != nil {
		t.Fatal(err)
	}
	pt, err := k.d.Decrypt(m)
	if err != nil {
		t.Fatal(err)
	}
	return pt
}

// encryptRaw encrypts an arbitrary plaintext to k as session_data.
func encryptRaw(t testing.TB, k *BackupKey, pt []byte) map[string]string {
	t.Helper()
	m, err := pk.NewEncryption(k.PublicKey()).Encrypt(pt)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]string{"ciphertext": m.CiphertextBase64(), "ephemeral": m.EphemeralKeyBase64(), "mac": m.MACBase64()}
}

func jsonOf(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

func padB64(s string) string {
	b, _ := base64.RawStdEncoding.DecodeString(s)
	return base64.StdEncoding.EncodeToString(b)
}

// TestBackupFieldForms: padded base64 in every field is read (vodozemac
// reads it; mautrix-go fails on a padded ephemeral key); IDs in the
// plaintext (matrix-js-sdk's test data has them) are ignored.
func TestBackupFieldForms(t *testing.T) {
	k := GenerateBackupKey()
	_, s := testSession(t, "!r:example.org", 0)
	pt, _ := s.AppendJSON(nil) // with room_id and session_id
	sd := encryptRaw(t, k, pt)
	for _, field := range []string{"", "ciphertext", "ephemeral", "mac"} {
		c := map[string]string{}
		for f, v := range sd {
			c[f] = v
			if f == field {
				c[f] = padB64(v)
				if c[f] == v {
					t.Fatalf("%s needs no padding", f)
				}
			}
		}
		got, err := k.DecryptSessionData(s.RoomID, s.SessionID(), jsonOf(c))
		if err != nil {
			t.Fatalf("padded %s: %v", field, err)
		}
		sameSession(t, s, got)
	}
}

// TestBackupFailuresIndistinguishable: every failure after the envelope was
// read is the same error value with the same message.
func TestBackupFailuresIndistinguishable(t *testing.T) {
	k := GenerateBackupKey()
	_, s := testSession(t, "!r:example.org", 0)
	_, other := testSession(t, "!r:example.org", 0)
	good, _ := EncryptSessionData(k.PublicKey(), s)
	var sd map[string]string
	json.Unmarshal(good, &sd)
	plain, _ := s.appendJSON(nil, false)

	ct, _ := base64.RawStdEncoding.DecodeString(sd["ciphertext"])
	flip := func(i int) map[string]string {
		c := bytes.Clone(ct)
		c[i] ^= 1
		return map[string]string{"ciphertext": base64.RawStdEncoding.EncodeToString(c), "ephemeral": sd["ephemeral"], "mac": sd["mac"]}
	}
	with := func(field, v string) map[string]string {
		c := map[string]string{"ciphertext": sd["ciphertext"], "ephemeral": sd["ephemeral"], "mac": sd["mac"]}
		c[field] = v
		return c
	}
	cases := map[string]any{
		"wrong key":                 encryptRaw(t, GenerateBackupKey(), plain),
		"MAC flipped":               with("mac", newttest.FlipBase64(sd["mac"], 0)),
		"MAC of 4 bytes (a prefix)": with("mac", sd["mac"][:6]),
		"MAC over the ciphertext":   with("mac", macOverCiphertext(t, k, sd)),
		"32-byte MAC":               with("mac", base64.RawStdEncoding.EncodeToString(make([]byte, 32))),
		"bad padding (last block)":  flip(len(ct) - 1),
		"garbled block":             flip(len(ct) - 20),
		"garbled first block":       flip(0),
		"empty ciphertext":          with("ciphertext", ""),
		"ciphertext not blocks":     with("ciphertext", base64.RawStdEncoding.EncodeToString(ct[:len(ct)-1])),
		"not JSON":                  encryptRaw(t, k, []byte("hello")),
		"JSON array":                encryptRaw(t, k, []byte("[]")),
		"wrong algorithm":           encryptRaw(t, k, bytes.Replace(plain, []byte("megolm.v1"), []byte("megolm.v2"), 1)),
		"other session's key":       encryptRaw(t, k, mustJSON(t, other, false)),
		"low-order ephemeral":       with("ephemeral", base64.RawStdEncoding.EncodeToString(make([]byte, 32))),
		"not base64":                with("ciphertext", "!!!!"),
		"ephemeral too short":       with("ephemeral", "AAAA"),
		"no mac":                    map[string]string{"ciphertext": sd["ciphertext"], "ephemeral": sd["ephemeral"]},
		"not an object":             []int{1},
	}
	for name, c := range cases {
		_, err := k.DecryptSessionData(s.RoomID, s.SessionID(), jsonOf(c))
		if err != ErrBadSessionData {
			t.Errorf("%s: got %v, want exactly ErrBadSessionData", name, err)
		}
	}
	// The IDs the session is filed under must match its key.
	_, err := k.DecryptSessionData(s.RoomID, other.SessionID(), good)
	if err != ErrBadSessionData {
		t.Errorf("filed under another session ID: %v", err)
	}
	if _, err := k.DecryptSessionData(s.RoomID, s.SessionID(), good); err != nil {
		t.Fatal(err)
	}
}

// macOverCiphertext computes the MAC the spec first described (and
// MSC4048's mac2 revives): HMAC-SHA-256 over the ciphertext, truncated to 8
// bytes. libolm, vodozemac, mautrix-go and matrix-js-sdk all reject it.
func macOverCiphertext(t testing.TB, k *BackupKey, sd map[string]string) string {
	t.Helper()
	priv, err := ecdh.X25519().NewPrivateKey(k.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	eph, _ := base64.RawStdEncoding.DecodeString(sd["ephemeral"])
	pub, _ := ecdh.X25519().NewPublicKey(eph)
	shared, err := priv.ECDH(pub)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := hkdf.Key(sha256.New, shared, nil, "", 80)
	if err != nil {
		t.Fatal(err)
	}
	// The derivation is right: it reproduces the real MAC.
	if got := base64.RawStdEncoding.EncodeToString(hmacSHA256(keys[32:64], nil)[:8]); got != sd["mac"] {
		t.Fatalf("test derivation gives MAC %s, want %s", got, sd["mac"])
	}
	ct, _ := base64.RawStdEncoding.DecodeString(sd["ciphertext"])
	return base64.RawStdEncoding.EncodeToString(hmacSHA256(keys[32:64], ct)[:8])
}

func mustJSON(t testing.TB, s *ExportedSession, ids bool) []byte {
	t.Helper()
	b, err := s.appendJSON(nil, ids)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestBackupRestore restores a /room_keys/keys response with good and bad
// entries: the bad ones are reported, the others imported, in order.
func TestBackupRestore(t *testing.T) {
	k := GenerateBackupKey()
	rooms := map[string]map[string]json.RawMessage{}
	var want []string
	groups := map[string]*megolm.GroupSession{}
	for i := range 6 {
		g, s := testSession(t, "!r"+strconv.Itoa(i%2)+":example.org", uint32(i))
		groups[s.SessionID()] = g
		kbd, err := EncryptKeyBackupData(k.PublicKey(), s)
		if err != nil {
			t.Fatal(err)
		}
		if rooms[s.RoomID] == nil {
			rooms[s.RoomID] = map[string]json.RawMessage{}
		}
		rooms[s.RoomID][s.SessionID()] = kbd
		want = append(want, s.RoomID+" "+s.SessionID())
	}
	// Bad entries: another key's data, a malformed entry, no session_data,
	// data filed under the wrong session ID.
	_, x := testSession(t, "!r0:example.org", 0)
	kbd, _ := EncryptKeyBackupData(GenerateBackupKey().PublicKey(), x)
	rooms["!r0:example.org"][x.SessionID()] = kbd
	rooms["!r1:example.org"]["AAAAbadentry"] = json.RawMessage(`7`)
	rooms["!r1:example.org"]["AAAAnodata"] = json.RawMessage(`{"first_message_index":0}`)
	var firstID string
	for id := range rooms["!r0:example.org"] {
		if id != x.SessionID() {
			firstID = id
			break
		}
	}
	rooms["!r2:example.org"] = map[string]json.RawMessage{"AAAAwrongid": rooms["!r0:example.org"][firstID]}

	resp := map[string]any{"rooms": map[string]any{}}
	for r, ss := range rooms {
		resp["rooms"].(map[string]any)[r] = map[string]any{"sessions": ss}
	}
	var got []string
	rep, err := k.Restore(bytes.NewReader(jsonOf(resp)), func(s *ExportedSession, igs *megolm.InboundGroupSession) error {
		got = append(got, s.RoomID+" "+s.SessionID())
		g := groups[s.SessionID()]
		pt, _, err := igs.Decrypt(g.Encrypt([]byte("m")))
		if err != nil || string(pt) != "m" {
			t.Errorf("restored session does not decrypt: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sortStrings(want)
	if fmt.Sprint(got) != fmt.Sprint(want) || rep.Imported != 6 {
		t.Fatalf("restored %v\nwant %v", got, want)
	}
	var failed []string
	for _, f := range rep.Failed {
		if f.Err != ErrBadSessionData || f.Index != -1 {
			t.Errorf("failure %v", f)
		}
		failed = append(failed, f.RoomID+" "+f.SessionID)
	}
	wantFailed := []string{"!r0:example.org " + x.SessionID(), "!r1:example.org AAAAbadentry", "!r1:example.org AAAAnodata", "!r2:example.org AAAAwrongid"}
	sortStrings(wantFailed)
	if fmt.Sprint(failed) != fmt.Sprint(wantFailed) {
		t.Fatalf("failed %v\nwant %v", failed, wantFailed)
	}

	for _, bad := range []string{``, `[]`, `{"rooms":5}`, `{}`, `{"rooms":{"!r":{"sessions":[]}}}`} {
		if _, err := k.Restore(strings.NewReader(bad), nil); !errors.Is(err, ErrBadBackupResponse) {
			t.Errorf("response %q: %v", bad, err)
		}
	}
}

func sortStrings(s []string) {
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[j] < s[i] {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
}

func TestBackupKeyForms(t *testing.T) {
	k := GenerateBackupKey()
	for _, s := range []string{k.Base64(), padB64(k.Base64())} {
		k2, err := ParseBackupKey(s)
		if err != nil || !k2.PublicKey().Equal(k.PublicKey()) {
			t.Fatalf("ParseBackupKey(%d chars): %v", len(s), err)
		}
	}
	k2, err := BackupKeyFromRecoveryKey(k.RecoveryKey())
	if err != nil || !bytes.Equal(k2.Bytes(), k.Bytes()) {
		t.Fatal(err)
	}
	for _, bad := range []string{"", "AAAA", k.Base64() + "A", " " + k.Base64(), strings.ReplaceAll(k.Base64(), "+", "-") + "-"} {
		if _, err := ParseBackupKey(bad); !errors.Is(err, ErrBadKey) {
			t.Errorf("ParseBackupKey(%q): %v", bad, err)
		}
	}
	if _, err := NewBackupKey(make([]byte, 31)); !errors.Is(err, ErrBadKey) {
		t.Error(err)
	}
	secret := k.Base64()
	for _, f := range []string{"%v", "%+v", "%#v", "%s", "%x", "%d"} {
		if out := fmt.Sprintf(f, k); strings.Contains(out, secret[:12]) || strings.Contains(out, fmt.Sprintf("%x", k.Bytes()[:6])) {
			t.Errorf("%s prints the key: %s", f, out)
		}
	}
}
