// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package keys

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/newt-e2ee/newt/pk"
)

// The signed test device of matrix-js-sdk's
// spec/test-utils/crypto-test-data/index.ts (SIGNED_TEST_DEVICE_DATA): the
// device key is the Ed25519 key of the seed "deadbeef…" and signed the
// object below.
const jsTestDevice = `{
  "algorithms": ["m.olm.v1.curve25519-aes-sha2", "m.megolm.v1.aes-sha2"],
  "device_id": "test_device",
  "keys": {
    "curve25519:test_device": "F4uCNNlcbRvc7CfBz95ZGWBvY1ALniG1J8+6rhVoKS0",
    "ed25519:test_device": "YI/7vbGVLpGdYtuceQR8MSsKB/QjgfMXM1xqnn+0NWU"
  },
  "user_id": "@alice:localhost",
  "signatures": {
    "@alice:localhost": {
      "ed25519:test_device": "LmQC/yAUZJmkxZ+3L0nEwvtVWOzjqQqADWBhk+C47SPaFYHeV+E291mgXaSCJVeGltX+HC49Aw7nb6ga7sw0Aw"
    }
  },
  "unsigned": {"device_display_name": "added by the server"}
}`

func TestVerifyDeviceKeysVector(t *testing.T) {
	d, err := VerifyDeviceKeys([]byte(jsTestDevice), "@alice:localhost", "test_device")
	if err != nil {
		t.Fatal(err)
	}
	if d.Ed25519.String() != "YI/7vbGVLpGdYtuceQR8MSsKB/QjgfMXM1xqnn+0NWU" || d.Curve25519.String() != "F4uCNNlcbRvc7CfBz95ZGWBvY1ALniG1J8+6rhVoKS0" || len(d.Algorithms) != 2 {
		t.Fatalf("%+v", d)
	}
	// The seed is the 32 ASCII bytes "deadbeef…".
	s, err := pk.NewSigning([]byte(strings.Repeat("deadbeef", 4)))
	if err != nil || s.PublicKey() != d.Ed25519 {
		t.Fatal("vector seed does not give the vector key")
	}

	for name, c := range map[string]struct{ data, user, device string }{
		"other user":         {jsTestDevice, "@bob:localhost", "test_device"},
		"other device":       {jsTestDevice, "@alice:localhost", "other"},
		"no ed25519 key":     {strings.Replace(jsTestDevice, `"ed25519:test_device": "YI`, `"ed25519:x": "YI`, 1), "@alice:localhost", "test_device"},
		"bad curve25519 key": {strings.Replace(jsTestDevice, "F4uCNN", "F4uCN", 1), "@alice:localhost", "test_device"},
		"not an object":      {`[]`, "@alice:localhost", "test_device"},
	} {
		if _, err := VerifyDeviceKeys([]byte(c.data), c.user, c.device); !errors.Is(err, ErrBadKeyObject) {
			t.Errorf("%s: %v", name, err)
		}
	}
	for name, data := range map[string]string{
		"changed algorithm": strings.Replace(jsTestDevice, "m.megolm.v1", "m.megolm.v2", 1),
		"added member":      strings.Replace(jsTestDevice, `"user_id"`, `"x": 1, "user_id"`, 1),
		"bad signature":     strings.Replace(jsTestDevice, "LmQC/", "LmQD/", 1),
		"no signature":      strings.Replace(jsTestDevice, `"ed25519:test_device": "LmQC`, `"ed25519:other": "LmQC`, 1),
		"duplicate key":     strings.Replace(jsTestDevice, `"user_id"`, `"device_id": "test_device", "user_id"`, 1),
	} {
		_, err := VerifyDeviceKeys([]byte(data), "@alice:localhost", "test_device")
		if !errors.Is(err, ErrBadSignature) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// crossSigning is a user with a master, self-signing and user-signing key
// and one device, signed as a client signs them.
type crossSigning struct {
	user                  string
	msk, ssk, usk, device *pk.Signing
	mskJSON, sskJSON      []byte
	uskJSON, deviceJSON   []byte
}

func sign(t testing.TB, data []byte, entity, keyID string, s *pk.Signing) []byte {
	t.Helper()
	sig, err := s.SignJSON(data)
	if err != nil {
		t.Fatal(err)
	}
	out, err := AddSignature(data, entity, keyID, sig)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func keyJSON(user, usage string, s *pk.Signing) []byte {
	k := s.PublicKey().String()
	return []byte(`{"user_id":"` + user + `","usage":["` + usage + `"],"keys":{"ed25519:` + k + `":"` + k + `"}}`)
}

func newCrossSigning(t testing.TB, user string) *crossSigning {
	c := &crossSigning{user: user, msk: pk.GenerateSigning(), ssk: pk.GenerateSigning(), usk: pk.GenerateSigning(), device: pk.GenerateSigning()}
	mskID := "ed25519:" + c.msk.PublicKey().String()
	c.mskJSON = sign(t, keyJSON(user, UsageMaster, c.msk), user, "ed25519:DEV", c.device)
	c.sskJSON = sign(t, keyJSON(user, UsageSelfSigning, c.ssk), user, mskID, c.msk)
	c.uskJSON = sign(t, keyJSON(user, UsageUserSigning, c.usk), user, mskID, c.msk)
	dev := []byte(`{"algorithms":["m.olm.v1.curve25519-aes-sha2","m.megolm.v1.aes-sha2"],"device_id":"DEV","keys":{"ed25519:DEV":"` +
		c.device.PublicKey().String() + `"},"user_id":"` + user + `"}`)
	dev = sign(t, dev, user, "ed25519:DEV", c.device)
	c.deviceJSON = sign(t, dev, user, "ed25519:"+c.ssk.PublicKey().String(), c.ssk)
	// The server adds unsigned data; signatures stay valid.
	var m map[string]json.RawMessage
	json.Unmarshal(c.deviceJSON, &m)
	m["unsigned"] = json.RawMessage(`{"device_display_name":"phone"}`)
	c.deviceJSON, _ = json.Marshal(m)
	return c
}

func TestCrossSigningChain(t *testing.T) {
	alice := newCrossSigning(t, "@alice:example.org")
	msk, err := CrossSigningKeyFromJSON(alice.mskJSON, alice.user, UsageMaster)
	if err != nil {
		t.Fatal(err)
	}
	ssk, err := msk.VerifyKey(alice.sskJSON, UsageSelfSigning)
	if err != nil {
		t.Fatal(err)
	}
	usk, err := msk.VerifyKey(alice.uskJSON, UsageUserSigning)
	if err != nil {
		t.Fatal(err)
	}
	dev, err := ssk.VerifyDevice(alice.deviceJSON, "DEV")
	if err != nil {
		t.Fatal(err)
	}
	// The device signed the master key.
	if err := dev.Verify(alice.mskJSON); err != nil {
		t.Fatal(err)
	}

	// Alice's user-signing key signs Bob's master key.
	bob := newCrossSigning(t, "@bob:example.org")
	bobMSK := sign(t, bob.mskJSON, alice.user, usk.KeyID(), alice.usk)
	if err := usk.Verify(bobMSK); err != nil {
		t.Fatal(err)
	}
	// Bob's original signature is kept beside Alice's.
	bm, err := CrossSigningKeyFromJSON(bobMSK, bob.user, UsageMaster)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := CrossSigningKeyFromJSON(bobMSK, alice.user, UsageMaster); !errors.Is(err, ErrBadKeyObject) {
		t.Fatal(err)
	}
	bobDev, _ := VerifyDeviceKeys(bob.deviceJSON, bob.user, "DEV")
	if err := bobDev.Verify(bm.JSON()); err != nil {
		t.Fatalf("the existing signature was lost: %v", err)
	}

	// Keys in the wrong slot or signed by the wrong key.
	if _, err := msk.VerifyKey(alice.uskJSON, UsageSelfSigning); !errors.Is(err, ErrBadKeyObject) {
		t.Error(err)
	}
	if _, err := usk.VerifyDevice(alice.deviceJSON, "DEV"); !errors.Is(err, ErrBadSignature) {
		t.Error(err)
	}
	bobMSKKey, _ := CrossSigningKeyFromJSON(bob.mskJSON, bob.user, UsageMaster)
	if _, err := bobMSKKey.VerifyKey(bob.sskJSON, UsageSelfSigning); err != nil {
		t.Fatal(err)
	}
	if _, err := msk.VerifyKey(bob.sskJSON, UsageSelfSigning); !errors.Is(err, ErrBadKeyObject) {
		t.Error(err)
	}

	// Malformed key objects.
	k := alice.msk.PublicKey().String()
	other := alice.ssk.PublicKey().String()
	for name, data := range map[string]string{
		"two keys":         `{"user_id":"@alice:example.org","usage":["master"],"keys":{"ed25519:` + k + `":"` + k + `","ed25519:` + other + `":"` + other + `"}}`,
		"no keys":          `{"user_id":"@alice:example.org","usage":["master"],"keys":{}}`,
		"ID is not key":    `{"user_id":"@alice:example.org","usage":["master"],"keys":{"ed25519:` + other + `":"` + k + `"}}`,
		"other algorithm":  `{"user_id":"@alice:example.org","usage":["master"],"keys":{"curve25519:` + k + `":"` + k + `"}}`,
		"no usage":         `{"user_id":"@alice:example.org","keys":{"ed25519:` + k + `":"` + k + `"}}`,
		"usage not a list": `{"user_id":"@alice:example.org","usage":"master","keys":{"ed25519:` + k + `":"` + k + `"}}`,
		"padded key":       `{"user_id":"@alice:example.org","usage":["master"],"keys":{"ed25519:` + k + `=":"` + k + `="}}`,
	} {
		if _, err := CrossSigningKeyFromJSON([]byte(data), "@alice:example.org", UsageMaster); !errors.Is(err, ErrBadKeyObject) {
			t.Errorf("%s: %v", name, err)
		}
	}

	if err := CheckDeviceIDs([]string{"DEV", "OTHER"}, msk, ssk, usk); err != nil {
		t.Fatal(err)
	}
	if err := CheckDeviceIDs([]string{"DEV", ssk.PublicKey.String()}, msk, ssk, usk); !errors.Is(err, ErrKeyIDCollision) {
		t.Fatal(err)
	}
}

func TestBackupAuthData(t *testing.T) {
	alice := newCrossSigning(t, "@alice:example.org")
	msk, _ := CrossSigningKeyFromJSON(alice.mskJSON, alice.user, UsageMaster)
	k := GenerateBackupKey()
	auth := NewBackupAuthData(k.PublicKey()).JSON()
	// Legacy passphrase fields are signed over as they are.
	auth = []byte(strings.Replace(string(auth), `{`, `{"private_key_salt":"abc","private_key_iterations":500000,`, 1))
	auth = sign(t, auth, alice.user, "ed25519:DEV", alice.device)
	auth = sign(t, auth, alice.user, msk.KeyID(), alice.msk)

	version := []byte(`{"algorithm":"m.megolm_backup.v1.curve25519-aes-sha2","version":"7","etag":"1","count":0,"auth_data":` + string(auth) + `}`)
	v, a, err := BackupVersionFromJSON(version)
	if err != nil || v != "7" {
		t.Fatal(v, err)
	}
	if !a.Matches(k) || a.Matches(GenerateBackupKey()) {
		t.Fatal("Matches")
	}
	dev, _ := VerifyDeviceKeys(alice.deviceJSON, alice.user, "DEV")
	if err := dev.Verify(a.JSON()); err != nil {
		t.Fatal(err)
	}
	if err := msk.Verify(a.JSON()); err != nil {
		t.Fatal(err)
	}
	// Changing any signed member breaks both signatures.
	changed := strings.Replace(string(a.JSON()), `"abc"`, `"abd"`, 1)
	if err := msk.Verify([]byte(changed)); !errors.Is(err, ErrBadSignature) {
		t.Fatal(err)
	}

	for _, bad := range []string{
		`{"algorithm":"m.megolm_backup.v2","auth_data":{"public_key":"` + k.PublicKey().String() + `"}}`,
		`{"algorithm":"m.megolm_backup.v1.curve25519-aes-sha2"}`,
		`{"algorithm":"m.megolm_backup.v1.curve25519-aes-sha2","auth_data":{}}`,
		`{"algorithm":"m.megolm_backup.v1.curve25519-aes-sha2","auth_data":{"public_key":"AAAA"}}`,
	} {
		if _, _, err := BackupVersionFromJSON([]byte(bad)); !errors.Is(err, ErrBadKeyObject) {
			t.Errorf("%s: %v", bad, err)
		}
	}
	// A padded public key is read.
	padded, err := BackupAuthDataFromJSON([]byte(`{"public_key":"` + k.PublicKey().String() + `="}`))
	if err != nil || !padded.Matches(k) {
		t.Fatal(err)
	}
}

func TestAddSignature(t *testing.T) {
	s := pk.GenerateSigning()
	data := []byte(`{"b":"<&>","a":1,"signatures":{"@x:y":{"ed25519:K":"old"}},"unsigned":{"u":true}}`)
	out := sign(t, data, "@x:y", "ed25519:NEW", s)
	want := `{"a":1,"b":"<&>","signatures":{"@x:y":{"ed25519:K":"old","ed25519:NEW":"`
	if !strings.HasPrefix(string(out), want) || !strings.HasSuffix(string(out), `"}},"unsigned":{"u":true}}`) {
		t.Fatalf("%s", out)
	}
	if err := pk.VerifySignedJSON(out, "@x:y", "ed25519:NEW", s.PublicKey()); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{`[]`, `{"signatures":[]}`, `{"a":1,"a":2}`, `{"signatures":{"x":5}}`} {
		if _, err := AddSignature([]byte(bad), "e", "k", s.Sign(nil)); !errors.Is(err, ErrBadKeyObject) {
			t.Errorf("%s: %v", bad, err)
		}
	}
	if _, err := AddSignature([]byte(`{}`), "\xff", "k", s.Sign(nil)); !errors.Is(err, ErrBadKeyObject) {
		t.Error(err)
	}
}
