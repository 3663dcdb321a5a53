// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newt-e2ee/newt/megolm"
	"github.com/newt-e2ee/newt/olm"
	"github.com/newt-e2ee/newt/pk"
)

// testPickleKey is distinctive so that a test can tell if it leaks.
const testPickleKey = "newt-test-pickle-key-Zq7uX"

// pickleJSON runs newt pickle --json with the key in NEWT_PICKLE_KEY and
// decodes its output.
func pickleJSON(t *testing.T, key, p string, extra ...string) map[string]any {
	t.Helper()
	t.Setenv(defaultKeyEnv, key)
	r := runNewt(t, "", append(append([]string{"pickle", "--json"}, extra...), p)...)
	if r.code != exitOK {
		t.Fatalf("exit code %d, stderr %q", r.code, r.stderr)
	}
	if r.stderr != "" {
		t.Errorf("stderr = %q, want nothing", r.stderr)
	}
	var obj map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &obj); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, r.stdout)
	}
	return obj
}

// wantFacts checks members (dotted paths) of a decoded JSON object.
func wantFacts(t *testing.T, obj map[string]any, facts map[string]any) {
	t.Helper()
	for key, want := range facts {
		got, ok := jsonValue(obj, key)
		if want == nil {
			if !ok || got != nil {
				t.Errorf("%s = %v, want null", key, got)
			}
			continue
		}
		if !ok || !sameValue(got, want) {
			t.Errorf("%s = %v, want %v", key, got, want)
		}
	}
}

// Pickles written by libolm (testvectors/fixed.json), with facts from
// libolm's pickle layouts (olm::pickle in src/account.cpp and
// src/session.cpp).
func TestPickleKnownAnswers(t *testing.T) {
	kv := knownVectors(t)
	vecAccountPickle := kv["vecAccountPickle"]
	vecAccountPublishedPickle := kv["vecAccountPublishedPickle"]
	vecAccountV1Pickle := kv["vecAccountV1Pickle"]
	vecAccountV3Fallback := kv["vecAccountV3Fallback"]
	vecAccountV3Pickle := kv["vecAccountV3Pickle"]
	vecAliceCurve25519 := kv["vecAliceCurve25519"]
	vecAliceEd25519 := kv["vecAliceEd25519"]
	vecAliceSessionPickle := kv["vecAliceSessionPickle"]
	vecBobOneTimeKey := kv["vecBobOneTimeKey"]
	vecBobSessionPickle := kv["vecBobSessionPickle"]
	vecExportSessionID := kv["vecExportSessionID"]
	vecGroupPickle := kv["vecGroupPickle"]
	vecInboundPickle := kv["vecInboundPickle"]
	vecOlmSessionID := kv["vecOlmSessionID"]
	vecPkPickle := kv["vecPkPickle"]
	vecPkPublicKey := kv["vecPkPublicKey"]
	vecSessionV1Pickle := kv["vecSessionV1Pickle"]
	vecSessionV2Pickle := kv["vecSessionV2Pickle"]
	vecV1SessionID := kv["vecV1SessionID"]
	const secretKey = "secret_key"
	for _, tc := range []struct {
		name   string
		key    string
		pickle string
		facts  map[string]any
	}{
		{"account", secretKey, vecAccountPickle, map[string]any{
			"type": "account", "pickle_version": 4,
			"identity_keys.curve25519": vecAliceCurve25519, "identity_keys.ed25519": vecAliceEd25519,
			"unpublished_one_time_keys": 2,
			"fallback_key.key_id":       "AAAAAw", "fallback_key.key": vecBobOneTimeKey, "fallback_key.published": false,
		}},
		{"account published", secretKey, vecAccountPublishedPickle, map[string]any{
			"type": "account", "unpublished_one_time_keys": 0, "fallback_key.published": true,
		}},
		{"account v3", "", vecAccountV3Pickle, map[string]any{
			"type": "account", "pickle_version": 3, "unpublished_one_time_keys": 0,
			"fallback_key.key_id": "AAAAAQ", "fallback_key.key": vecAccountV3Fallback, "fallback_key.published": true,
		}},
		{"session v1", secretKey, vecSessionV1Pickle, map[string]any{
			"type": "session", "pickle_version": 1, "session_id": vecV1SessionID, "has_received_message": false,
		}},
		{"session v2", secretKey, vecSessionV2Pickle, map[string]any{
			"type": "session", "pickle_version": int64(0x80000001), "session_id": vecV1SessionID,
		}},
		{"alice session", secretKey, vecAliceSessionPickle, map[string]any{
			"type": "session", "session_id": vecOlmSessionID, "has_received_message": false,
			"identity_key": vecAliceCurve25519, "one_time_key": vecBobOneTimeKey,
		}},
		{"bob session", secretKey, vecBobSessionPickle, map[string]any{
			"type": "session", "session_id": vecOlmSessionID, "has_received_message": true,
		}},
		{"outbound group", secretKey, vecGroupPickle, map[string]any{
			"type": "group", "pickle_version": 1, "session_id": vecExportSessionID, "message_index": 0,
		}},
		{"inbound group", secretKey, vecInboundPickle, map[string]any{
			"type": "inbound", "pickle_version": 2, "session_id": vecExportSessionID,
			"first_known_index": 0, "verified": true,
		}},
		{"pk", secretKey, vecPkPickle, map[string]any{
			"type": "pk", "pickle_version": 1, "public_key": vecPkPublicKey,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantFacts(t, pickleJSON(t, tc.key, tc.pickle), tc.facts)
			// --type with the right type gives the same summary.
			typ := tc.facts["type"].(string)
			wantFacts(t, pickleJSON(t, tc.key, tc.pickle, "--type", typ), tc.facts)
		})
	}

	t.Setenv(defaultKeyEnv, "")
	r := runNewt(t, "", "pickle", vecAccountV1Pickle)
	wantOneLineError(t, r, exitFail, "newt pickle: account pickle of version 1 is not supported")
}

// Objects made here, pickled, and summarised by newt pickle: the summary
// must match what the objects themselves report.
func TestPickleRoundTrip(t *testing.T) {
	key := []byte(testPickleKey)

	alice, bob := olm.GenerateAccount(), olm.GenerateAccount()
	if _, err := bob.GenerateOneTimeKeys(5); err != nil {
		t.Fatal(err)
	}
	otk := bob.OneTimeKeys()[0]
	fallback := bob.GenerateFallbackKey()
	aliceSession, err := alice.NewOutboundSession(bob.IdentityKeys().Curve25519, otk.Key)
	if err != nil {
		t.Fatal(err)
	}
	first, err := aliceSession.Encrypt([]byte("hi"))
	if err != nil {
		t.Fatal(err)
	}
	aliceID := alice.IdentityKeys().Curve25519
	bobSession, _, err := bob.NewInboundSessionFrom(aliceID, first.(*olm.PreKeyMessage))
	if err != nil {
		t.Fatal(err)
	}

	group := megolm.GenerateGroupSession()
	for range 3 {
		group.Encrypt([]byte("x"))
	}
	inbound, err := megolm.NewInboundGroupSession(group.SessionKey())
	if err != nil {
		t.Fatal(err)
	}
	export, err := inbound.Export(inbound.FirstKnownIndex())
	if err != nil {
		t.Fatal(err)
	}
	imported, err := megolm.ImportInboundGroupSession(export)
	if err != nil {
		t.Fatal(err)
	}
	backup := pk.GenerateDecryption()

	bobKeys := bob.IdentityKeys()
	for _, tc := range []struct {
		name   string
		pickle []byte
		facts  map[string]any
	}{
		{"account", []byte(bob.Pickle(key)), map[string]any{
			"type": "account", "pickle_version": olm.AccountPickleVersion,
			"identity_keys.curve25519": bobKeys.Curve25519.String(), "identity_keys.ed25519": bobKeys.Ed25519.String(),
			// 5 generated, one used by Alice's session.
			"unpublished_one_time_keys": 4,
			"fallback_key.key_id":       fallback.ID.String(), "fallback_key.key": fallback.Key.String(),
			"fallback_key.published": false,
		}},
		{"account without fallback key", []byte(alice.Pickle(key)), map[string]any{
			"type": "account", "unpublished_one_time_keys": 0, "fallback_key": nil,
		}},
		{"outbound olm session", []byte(aliceSession.Pickle(key)), map[string]any{
			"type": "session", "pickle_version": olm.SessionPickleVersion,
			"session_id": aliceSession.ID(), "has_received_message": false,
			"identity_key": aliceID.String(), "one_time_key": otk.Key.String(),
		}},
		{"inbound olm session", []byte(bobSession.Pickle(key)), map[string]any{
			"type": "session", "session_id": aliceSession.ID(), "has_received_message": true,
		}},
		{"outbound group session", []byte(group.Pickle(key)), map[string]any{
			"type": "group", "session_id": group.ID(), "message_index": 3,
		}},
		{"inbound group session", []byte(inbound.Pickle(key)), map[string]any{
			"type": "inbound", "session_id": group.ID(), "first_known_index": 3, "verified": true,
		}},
		{"imported group session", []byte(imported.Pickle(key)), map[string]any{
			"type": "inbound", "session_id": group.ID(), "first_known_index": 3, "verified": false,
		}},
		{"pk decryption", []byte(backup.Pickle(key)), map[string]any{
			"type": "pk", "public_key": backup.PublicKey().String(),
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantFacts(t, pickleJSON(t, testPickleKey, string(tc.pickle)), tc.facts)

			// The same from a key file with a trailing newline, the
			// pickle on stdin, as text.
			keyFile := filepath.Join(t.TempDir(), "key")
			if err := os.WriteFile(keyFile, []byte(testPickleKey+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			r := runNewt(t, string(tc.pickle)+"\n", "pickle", "--key-file", keyFile, "-")
			if r.code != exitOK {
				t.Fatalf("--key-file: exit code %d, stderr %q", r.code, r.stderr)
			}
			if v, _ := textValue(r.stdout, "type"); v != tc.facts["type"] {
				t.Errorf("text type = %q, want %q", v, tc.facts["type"])
			}
			if strings.Contains(r.stdout, testPickleKey) {
				t.Error("the pickle key appears in the output")
			}
		})
	}
}

func TestPickleWrongKey(t *testing.T) {
	p := string(olm.GenerateAccount().Pickle([]byte(testPickleKey)))
	// Change one base64 character in the middle to another valid one.
	tampered := []byte(p)
	tampered[10] = 'A'
	if p[10] == 'A' {
		tampered[10] = 'B'
	}
	for _, tc := range []struct {
		name, key, pickle string
		extra             []string
	}{
		{"wrong key", "not-the-key", p, nil},
		{"empty key", "", p, nil},
		{"tampered pickle", testPickleKey, string(tampered), nil},
		{"wrong key with --type", "not-the-key", p, []string{"--type", "session"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(defaultKeyEnv, tc.key)
			r := runNewt(t, "", append(append([]string{"pickle"}, tc.extra...), tc.pickle)...)
			if r.code != exitFail {
				t.Errorf("exit code %d, want 1", r.code)
			}
			if want := "newt pickle: wrong pickle key or corrupted pickle\n"; r.stderr != want {
				t.Errorf("stderr = %q, want %q", r.stderr, want)
			}
			if r.stdout != "" {
				t.Errorf("stdout = %q, want nothing", r.stdout)
			}
		})
	}
}

func TestPickleErrors(t *testing.T) {
	p := string(pk.GenerateDecryption().Pickle([]byte(testPickleKey)))
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		prefix string
	}{
		{"not base64", []string{"not a pickle!"}, exitFail, "newt pickle: pickle is not unpadded base64"},
		{"too short", []string{"AAAA"}, exitFail, "newt pickle: not a pickle: too short"},
		{"wrong --type", []string{"--type", "inbound", p}, exitFail, "newt pickle: inbound: "},
		{"missing key file", []string{"--key-file", "/nonexistent/key", p}, exitFail, "newt pickle: --key-file: "},
		{"unset key variable", []string{"--key-env", "NEWT_TEST_SURELY_UNSET", p}, exitUsage, "newt pickle: no pickle key: environment variable NEWT_TEST_SURELY_UNSET is not set"},
		{"key file and variable", []string{"--key-file", "k", "--key-env", "K", p}, exitUsage, "newt pickle: --key-file and --key-env"},
		{"bad --type", []string{"--type", "olm", p}, exitUsage, "newt pickle: --type"},
		// A key given as an argument is refused, and not echoed.
		{"key as argument", []string{p, testPickleKey}, exitUsage, "newt pickle: too many arguments"},
		{"--key flag", []string{"--key", testPickleKey, p}, exitUsage, "newt pickle: flag provided but not defined"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(defaultKeyEnv, testPickleKey)
			r := runNewt(t, "", append([]string{"pickle"}, tc.args...)...)
			wantOneLineError(t, r, tc.code, tc.prefix)
			if r.stdout != "" {
				t.Errorf("stdout = %q, want nothing", r.stdout)
			}
			if strings.Contains(r.stderr, testPickleKey) {
				t.Errorf("the pickle key appears in the error: %q", r.stderr)
			}
		})
	}

	// The default variable, unset.
	t.Setenv(defaultKeyEnv, "")
	os.Unsetenv(defaultKeyEnv)
	r := runNewt(t, "", "pickle", p)
	wantOneLineError(t, r, exitUsage, "newt pickle: no pickle key: environment variable NEWT_PICKLE_KEY is not set")
}
