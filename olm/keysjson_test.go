// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package olm_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/olm"
	"github.com/newt-e2ee/newt/pk"
)

// TestSignedKeysVerify checks the /keys/upload objects with package pk's
// independent verifier, for user and device IDs that canonical JSON must
// escape or leave raw, and that the output is canonical JSON.
func TestSignedKeysVerify(t *testing.T) {
	a := olm.GenerateAccount()
	if _, err := a.GenerateOneTimeKeys(3); err != nil {
		t.Fatal(err)
	}
	a.GenerateFallbackKey()
	ed := a.IdentityKeys().Ed25519
	for _, ids := range [][2]string{
		{"@alice:example.org", "JLAFKJWSCS"},
		{"@ü\"ser\\<&>:example.org", "DEV\u2028\x01"},
	} {
		user, device := ids[0], ids[1]
		dk, err := a.DeviceKeysJSON(user, device)
		if err != nil {
			t.Fatal(err)
		}
		mustBeCanonical(t, dk)
		if err := pk.VerifySignedJSON(dk, user, "ed25519:"+device, ed); err != nil {
			t.Errorf("device keys %s: %v", dk, err)
		}
		var parsed struct {
			Algorithms []string          `json:"algorithms"`
			DeviceID   string            `json:"device_id"`
			UserID     string            `json:"user_id"`
			Keys       map[string]string `json:"keys"`
		}
		if err := json.Unmarshal(dk, &parsed); err != nil || parsed.DeviceID != device || parsed.UserID != user ||
			parsed.Keys["curve25519:"+device] != a.IdentityKeys().Curve25519.String() || parsed.Keys["ed25519:"+device] != ed.String() ||
			strings.Join(parsed.Algorithms, ",") != "m.olm.v1.curve25519-aes-sha2,m.megolm.v1.aes-sha2" {
			t.Errorf("device keys %s parse to %+v, %v", dk, parsed, err)
		}

		otk, err := a.SignedOneTimeKeysJSON(user, device)
		if err != nil {
			t.Fatal(err)
		}
		fb, err := a.SignedFallbackKeyJSON(user, device)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{}
		for _, k := range a.OneTimeKeys() {
			want["signed_curve25519:"+k.ID.String()] = k.Key.String()
		}
		checkKeyObjects(t, otk, user, device, ed, want, false)
		k, _ := a.UnpublishedFallbackKey()
		checkKeyObjects(t, fb, user, device, ed, map[string]string{"signed_curve25519:" + k.ID.String(): k.Key.String()}, true)
	}

	a.MarkKeysAsPublished()
	for _, f := range []func(string, string) ([]byte, error){a.SignedOneTimeKeysJSON, a.SignedFallbackKeyJSON} {
		if got, err := f("@a:b", "D"); err != nil || string(got) != "{}" {
			t.Errorf("after publishing: %s, %v", got, err)
		}
	}
	for _, bad := range [][2]string{{"@a\xff:b", "D"}, {"@a:b", "D\xc3"}} {
		if _, err := a.DeviceKeysJSON(bad[0], bad[1]); !errors.Is(err, newt.ErrInvalidJSON) {
			t.Errorf("DeviceKeysJSON(%q, %q) = %v, want ErrInvalidJSON", bad[0], bad[1], err)
		}
		if _, err := a.SignedOneTimeKeysJSON(bad[0], bad[1]); !errors.Is(err, newt.ErrInvalidJSON) {
			t.Errorf("SignedOneTimeKeysJSON(%q, %q) = %v, want ErrInvalidJSON", bad[0], bad[1], err)
		}
	}
}

// checkKeyObjects checks that text maps exactly the key IDs of want to key
// objects with want's keys, the fallback flag, and a signature that pk
// verifies.
func checkKeyObjects(t *testing.T, text []byte, user, device string, ed newt.Ed25519PublicKey, want map[string]string, fallback bool) {
	t.Helper()
	mustBeCanonical(t, text)
	var objs map[string]json.RawMessage
	if err := json.Unmarshal(text, &objs); err != nil || len(objs) != len(want) {
		t.Fatalf("%s: %d objects, want %d (%v)", text, len(objs), len(want), err)
	}
	for id, key := range want {
		raw := objs[id]
		var obj struct {
			Key      string `json:"key"`
			Fallback *bool  `json:"fallback"`
		}
		if err := json.Unmarshal(raw, &obj); err != nil || obj.Key != key || (obj.Fallback != nil) != fallback {
			t.Errorf("%s = %s, want key %s, fallback %v", id, raw, key, fallback)
		}
		if err := pk.VerifySignedJSON([]byte(raw), user, "ed25519:"+device, ed); err != nil {
			t.Errorf("%s: %v", id, err)
		}
		var other map[string]any
		_ = json.Unmarshal(raw, &other)
		first := "A"
		if key[0] == 'A' {
			first = "B"
		}
		other["key"] = first + key[1:]
		if err := pk.VerifySignedJSON(other, user, "ed25519:"+device, ed); !errors.Is(err, pk.ErrBadSignature) {
			t.Errorf("%s with another key verifies: %v", id, err)
		}
	}
}

func mustBeCanonical(t *testing.T, text []byte) {
	t.Helper()
	c, err := newt.CanonicalJSON(text)
	if err != nil || string(c) != string(text) {
		t.Errorf("not canonical JSON: %s (%v)", text, err)
	}
}
