// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package main

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/megolm"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// inspectCase is one golden test of newt inspect. facts are checked in the
// JSON output (a "message." prefix reaches the inner message of a pre-key
// message) and, for those with a text label, in the text output.
type inspectCase struct {
	name  string
	args  []string
	code  int
	facts map[string]any
}

func inspectCases(t *testing.T) []inspectCase {
	kv := knownVectors(t)
	vecAliceCurve25519 := kv["vecAliceCurve25519"]
	vecAndroidKey := kv["vecAndroidKey"]
	vecAndroidMessage := kv["vecAndroidMessage"]
	vecAndroidSessionID := kv["vecAndroidSessionID"]
	vecBobOneTimeKey := kv["vecBobOneTimeKey"]
	vecExport1 := kv["vecExport1"]
	vecExportSessionID := kv["vecExportSessionID"]
	vecM1 := kv["vecM1"]
	vecM1MAC := kv["vecM1MAC"]
	vecM2 := kv["vecM2"]
	vecMegolmKey := kv["vecMegolmKey"]
	vecMegolmMessage := kv["vecMegolmMessage"]
	vecMegolmSessionID := kv["vecMegolmSessionID"]
	vecOlmSessionID := kv["vecOlmSessionID"]
	mm := newttest.Base64(t, vecMegolmMessage)
	am := newttest.Base64(t, vecAndroidMessage)
	m2 := newttest.Base64(t, vecM2)
	megolmFacts := func(raw []byte) map[string]any {
		return map[string]any{
			"kind":      "megolm_message",
			"version":   3,
			"length":    len(raw),
			"mac":       hex.EncodeToString(raw[len(raw)-72 : len(raw)-64]),
			"signature": base64.RawStdEncoding.EncodeToString(raw[len(raw)-64:]),
		}
	}
	with := func(m map[string]any, kv ...any) map[string]any {
		out := map[string]any{}
		for k, v := range m {
			out[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			out[kv[i].(string)] = kv[i+1]
		}
		return out
	}
	return []inspectCase{
		{"megolm_message", []string{vecMegolmMessage}, exitOK,
			with(megolmFacts(mm), "message_index", 0, "ciphertext_length", 16)},
		{"megolm_message_with_key", []string{"--session-key", vecMegolmKey, vecMegolmMessage}, exitOK,
			with(megolmFacts(mm), "message_index", 0, "session_id", vecMegolmSessionID, "signature_valid", true)},
		{"megolm_message_wrong_key", []string{vecMegolmMessage, "--session-key", vecExport1}, exitFail,
			with(megolmFacts(mm), "session_id", vecExportSessionID, "signature_valid", false)},
		{"megolm_message_index13", []string{"--session-key", vecAndroidKey, vecAndroidMessage}, exitOK,
			with(megolmFacts(am), "message_index", 13, "session_id", vecAndroidSessionID, "signature_valid", true)},
		{"session_key", []string{vecMegolmKey}, exitOK, map[string]any{
			"kind": "megolm_session_key", "version": 2, "length": 229, "message_index": 0,
			"session_id": vecMegolmSessionID, "signing_key": vecMegolmSessionID,
			"ratchet": "redacted", "signature_valid": true,
		}},
		{"session_key_index12", []string{vecAndroidKey}, exitOK, map[string]any{
			"kind": "megolm_session_key", "message_index": 12, "session_id": vecAndroidSessionID, "signature_valid": true,
		}},
		{"export", []string{vecExport1}, exitOK, map[string]any{
			"kind": "megolm_exported_session_key", "version": 1, "length": 165, "message_index": 1,
			"session_id": vecExportSessionID, "signing_key": vecExportSessionID, "ratchet": "redacted",
		}},
		{"olm_prekey", []string{vecM1}, exitOK, map[string]any{
			"kind": "olm_prekey_message", "type": 0, "version": 3, "length": 168,
			"session_id": vecOlmSessionID, "one_time_key": vecBobOneTimeKey, "identity_key": vecAliceCurve25519,
			"message.version": 3, "message.counter": 0, "message.ciphertext_length": 16, "message.mac": vecM1MAC,
		}},
		{"olm_message", []string{vecM2}, exitOK, map[string]any{
			"kind": "olm_message", "type": 1, "version": 3, "length": len(m2), "counter": 0,
			// 03 0a 20 <ratchet key> ... <MAC>
			"ratchet_key": base64.RawStdEncoding.EncodeToString(m2[3:35]),
			"mac":         hex.EncodeToString(m2[len(m2)-8:]),
		}},
	}
}

// textLabels maps JSON members to the text labels inspect prints.
var textLabels = map[string]string{
	"version": "version", "length": "length", "message_index": "message index",
	"ciphertext_length": "ciphertext", "mac": "mac", "signature": "signature",
	"session_id": "session id", "signing_key": "signing key", "type": "type",
	"one_time_key": "one-time key", "identity_key": "identity key", "counter": "counter",
	"ratchet_key": "ratchet key",
}

// textValue returns the value of the top-level line "label: value" of out.
func textValue(out, label string) (string, bool) {
	re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(label) + `:\s+(.*)$`)
	m := re.FindStringSubmatch(out)
	if m == nil {
		return "", false
	}
	return m[1], true
}

// jsonValue returns the member at a dotted path of a decoded JSON object.
func jsonValue(obj map[string]any, path string) (any, bool) {
	parts := strings.Split(path, ".")
	var v any = obj
	for _, p := range parts {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[p]; !ok {
			return nil, false
		}
	}
	return v, true
}

// sameValue compares a decoded JSON value with an expected Go value.
func sameValue(got, want any) bool {
	switch w := want.(type) {
	case int:
		f, ok := got.(float64)
		return ok && f == float64(w)
	case int64:
		f, ok := got.(float64)
		return ok && f == float64(w)
	default:
		return got == want
	}
}

func TestInspectGolden(t *testing.T) {
	for _, tc := range inspectCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			text := runNewt(t, "", append([]string{"inspect"}, tc.args...)...)
			js := runNewt(t, "", append([]string{"inspect", "--json"}, tc.args...)...)
			for _, r := range []result{text, js} {
				if r.code != tc.code {
					t.Fatalf("exit code %d, want %d; stderr %q", r.code, tc.code, r.stderr)
				}
				if tc.code == exitOK && r.stderr != "" {
					t.Errorf("stderr = %q, want nothing", r.stderr)
				}
				if tc.code != exitOK {
					wantOneLineError(t, r, tc.code, "newt inspect: ")
				}
			}
			checkGolden(t, "inspect_"+tc.name+".golden", text.stdout)
			checkGolden(t, "inspect_"+tc.name+".json.golden", js.stdout)

			// The facts, checked in both outputs, so the golden files
			// are not merely what the program printed once.
			var obj map[string]any
			if err := json.Unmarshal([]byte(js.stdout), &obj); err != nil {
				t.Fatalf("--json output is not JSON: %v\n%s", err, js.stdout)
			}
			for key, want := range tc.facts {
				got, ok := jsonValue(obj, key)
				if !ok || !sameValue(got, want) {
					t.Errorf("JSON %s = %v, want %v", key, got, want)
				}
				lookup, out := key, text.stdout
				if rest, found := strings.CutPrefix(key, "message."); found {
					// The inner message's lines, unindented.
					lookup = rest
					_, out, _ = strings.Cut(out, "\nmessage:\n")
					out = regexp.MustCompile(`(?m)^  `).ReplaceAllString(out, "")
				}
				label, ok := textLabels[lookup]
				if !ok {
					continue
				}
				val, ok := textValue(out, label)
				wantText := fmt.Sprint(want)
				if ok && strings.HasSuffix(val, " bytes") {
					val = strings.TrimSuffix(val, " bytes")
				}
				if !ok || val != wantText {
					t.Errorf("text %q = %q, want %q", label, val, wantText)
				}
			}
			if v, ok := tc.facts["signature_valid"]; ok {
				want := "signature check: valid"
				if v == false {
					want = "signature check: invalid"
				}
				if !strings.Contains(strings.Join(strings.Fields(text.stdout), " "), want) {
					t.Errorf("text output lacks %q", want)
				}
			}
			// A key's ratchet never appears: the vectors' ratchet is
			// ASCII "0123456789ABDEF..." whose base64 starts "MDEyMzQ1".
			if strings.Contains(text.stdout+js.stdout, "MDEyMzQ1") {
				t.Error("output contains the session key's ratchet")
			}
		})
	}
}

// checkGolden compares got with testdata/name, or rewrites the file with
// -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (go test -update rewrites it):\n--- got\n%s--- want\n%s", path, got, want)
	}
}

func TestInspectInputs(t *testing.T) {
	kv := knownVectors(t)
	vecAndroidMessage := kv["vecAndroidMessage"]
	vecM1 := kv["vecM1"]
	vecMegolmKey := kv["vecMegolmKey"]
	vecMegolmMessage := kv["vecMegolmMessage"]
	vecMegolmSessionID := kv["vecMegolmSessionID"]
	// From standard input, with "-" or no argument, surrounded by white
	// space; and with the key from a file.
	want := runNewt(t, "", "inspect", vecM1).stdout
	for _, args := range [][]string{{"inspect"}, {"inspect", "-"}} {
		r := runNewt(t, "\n  "+vecM1+"\n", args...)
		if r.code != exitOK || r.stdout != want {
			t.Errorf("%q from stdin: code %d, stderr %q, output differs", args, r.code, r.stderr)
		}
	}
	keyFile := filepath.Join(t.TempDir(), "key")
	if err := os.WriteFile(keyFile, []byte(vecMegolmKey+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runNewt(t, vecMegolmMessage, "inspect", "--session-key-file", keyFile)
	if r.code != exitOK || !strings.Contains(r.stdout, vecMegolmSessionID) {
		t.Errorf("--session-key-file: code %d, stderr %q\n%s", r.code, r.stderr, r.stdout)
	}
	// --type forces the kind.
	r = runNewt(t, "", "inspect", "--type", "0", vecM1)
	if r.code != exitOK || r.stdout != want {
		t.Errorf("--type 0: code %d, stderr %q", r.code, r.stderr)
	}
	r = runNewt(t, "", "inspect", "--type", "megolm", vecAndroidMessage)
	if v, _ := textValue(r.stdout, "message index"); r.code != exitOK || v != "13" {
		t.Errorf("--type megolm: code %d, stderr %q, index %q", r.code, r.stderr, v)
	}
}

func TestInspectBadSignature(t *testing.T) {
	kv := knownVectors(t)
	vecBadSigKey := kv["vecBadSigKey"]
	vecBadSigMessage := kv["vecBadSigMessage"]
	vecMegolmKey := kv["vecMegolmKey"]
	// libolm's own test: changing the last character to 'E' breaks the
	// signature.
	tampered := vecBadSigMessage[:len(vecBadSigMessage)-1] + "E"
	r := runNewt(t, "", "inspect", "--session-key", vecBadSigKey, vecBadSigMessage)
	if r.code != exitOK || !strings.Contains(r.stdout, "signature check: valid") {
		t.Fatalf("untampered message: code %d, stderr %q\n%s", r.code, r.stderr, r.stdout)
	}
	r = runNewt(t, "", "inspect", "--session-key", vecBadSigKey, tampered)
	wantOneLineError(t, r, exitFail, "newt inspect: message signature is invalid")
	if !strings.Contains(r.stdout, "signature check: invalid") {
		t.Errorf("the report does not say invalid:\n%s", r.stdout)
	}

	// A session key whose signature was changed.
	raw := newttest.Base64(t, vecMegolmKey)
	raw[len(raw)-1] ^= 1
	r = runNewt(t, "", "inspect", base64.RawStdEncoding.EncodeToString(raw))
	wantOneLineError(t, r, exitFail, "newt inspect: session key signature is invalid")
	if v, _ := textValue(r.stdout, "signature check"); v != "invalid" {
		t.Errorf("signature check = %q, want invalid", v)
	}
}

func TestInspectErrors(t *testing.T) {
	kv := knownVectors(t)
	vecAndroidTest19 := kv["vecAndroidTest19"]
	vecExport1 := kv["vecExport1"]
	vecM1 := kv["vecM1"]
	vecM2 := kv["vecM2"]
	vecMegolmKey := kv["vecMegolmKey"]
	vecMegolmMessage := kv["vecMegolmMessage"]
	shortKey := base64.RawStdEncoding.EncodeToString(newttest.Base64(t, vecMegolmKey)[:megolm.SessionKeySize-3])
	for _, tc := range []struct {
		name   string
		stdin  string
		args   []string
		code   int
		prefix string
	}{
		{"not base64", "", []string{"abc!"}, exitFail, "newt inspect: input is not unpadded base64"},
		{"padded base64", "", []string{"AwgA="}, exitFail, "newt inspect: input is not unpadded base64"},
		// libolm test19: 81 characters, 81 % 4 == 1.
		{"android test19", "", []string{vecAndroidTest19}, exitFail, "newt inspect: "},
		{"unknown version", "", []string{"BAgA"}, exitFail, "newt inspect: unknown version byte 0x04"},
		{"short session key", "", []string{shortKey}, exitFail, "newt inspect: version byte 2 is a session key"},
		{"truncated message", "", []string{vecM2[:40]}, exitFail, "newt inspect: not a valid message"},
		{"pre-key as type 1", "", []string{"--type", "1", vecM1}, exitFail, "newt inspect: olm message: "},
		{"message as type 0", "", []string{"--type", "0", vecM2}, exitFail, "newt inspect: olm pre-key message: "},
		{"export as session key", "", []string{"--type", "session-key", vecExport1}, exitFail, "newt inspect: session key: "},
		{"bad --session-key", "", []string{"--session-key", "AAAA", vecMegolmMessage}, exitFail, "newt inspect: --session-key: "},
		{"missing key file", "", []string{"--session-key-file", "/nonexistent/key", vecMegolmMessage}, exitFail, "newt inspect: --session-key-file: "},
		{"empty stdin", "  \n", []string{}, exitFail, "newt inspect: empty input"},
		{"key for an olm message", "", []string{"--session-key", vecMegolmKey, vecM2}, exitUsage, "newt inspect: --session-key applies only to a Megolm message"},
		{"bad --type", "", []string{"--type", "2", vecM1}, exitUsage, "newt inspect: --type"},
		{"two inputs", "", []string{vecM1, vecM2}, exitUsage, "newt inspect: too many arguments"},
		{"unknown flag", "", []string{"--frob", vecM1}, exitUsage, "newt inspect: flag provided but not defined"},
		{"missing flag value", "", []string{vecM1, "--type"}, exitUsage, "newt inspect: flag needs an argument"},
		{"both key flags", "", []string{"--session-key", vecMegolmKey, "--session-key-file", "x", vecMegolmMessage}, exitUsage, "newt inspect: --session-key and --session-key-file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runNewt(t, tc.stdin, append([]string{"inspect"}, tc.args...)...)
			wantOneLineError(t, r, tc.code, tc.prefix)
			if r.stdout != "" {
				t.Errorf("stdout = %q, want nothing", r.stdout)
			}
		})
	}
}

// Every known vector is detected as what it is, without --type.
func TestInspectDetection(t *testing.T) {
	kv := knownVectors(t)
	vecAndroidKey := kv["vecAndroidKey"]
	vecAndroidMessage := kv["vecAndroidMessage"]
	vecBadSigMessage := kv["vecBadSigMessage"]
	vecExport1 := kv["vecExport1"]
	vecM1 := kv["vecM1"]
	vecM2 := kv["vecM2"]
	vecMegolmKey := kv["vecMegolmKey"]
	vecMegolmMessage := kv["vecMegolmMessage"]
	for in, want := range map[string]inputKind{
		vecM1: kindPreKey, vecM2: kindOlm,
		vecMegolmMessage: kindMegolm, vecAndroidMessage: kindMegolm, vecBadSigMessage: kindMegolm,
		vecMegolmKey: kindSessionKey, vecAndroidKey: kindSessionKey, vecExport1: kindExport,
	} {
		got, err := detectKind(in)
		if err != nil || got != want {
			t.Errorf("detectKind(%.12s…) = %v, %v; want %v", in, got, err, want)
		}
	}
}

// FuzzInspect checks that no input makes inspect panic or print an error
// of more than one line.
func FuzzInspect(f *testing.F) {
	kv := knownVectors(f)
	vecAndroidMessage := kv["vecAndroidMessage"]
	vecExport1 := kv["vecExport1"]
	vecM1 := kv["vecM1"]
	vecM2 := kv["vecM2"]
	vecMegolmKey := kv["vecMegolmKey"]
	vecMegolmMessage := kv["vecMegolmMessage"]
	for _, s := range []string{vecM1, vecM2, vecMegolmMessage, vecAndroidMessage, vecMegolmKey, vecExport1, "AwgA", ""} {
		f.Add(s, "")
	}
	f.Add(vecMegolmMessage, vecMegolmKey)
	f.Add(vecAndroidMessage, vecExport1)
	f.Fuzz(func(t *testing.T, input, key string) {
		args := []string{"inspect", "--json"}
		if key != "" {
			args = append(args, "--session-key", key)
		}
		r := runNewt(t, input, args...)
		if r.code != exitOK && strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("exit code %d with stderr %q", r.code, r.stderr)
		}
	})
}
