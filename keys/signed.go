// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package keys

import (
	"encoding/json"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/internal/canonicaljson"
	"github.com/newt-e2ee/newt/pk"
)

// Signed JSON (Matrix spec appendix "Signing JSON"; docs/keys-at-rest.md,
// "Signed JSON"). Every check here verifies the JSON exactly as it was
// received: the top-level "signatures" and "unsigned" members are removed,
// the rest is put in canonical form by the same strict encoder that
// pk.Signing.SignJSON uses, and the Ed25519 signature is verified with
// vodozemac's strict rules. Objects are never re-serialised from parsed
// structs, so fields this package does not know are signed over as sent.

// Cross-signing key usages.
const (
	UsageMaster      = "master"
	UsageSelfSigning = "self_signing"
	UsageUserSigning = "user_signing"
)

// sigError is ErrBadSignature wrapping the reason from package pk.
type sigError struct{ err error }

func (e *sigError) Error() string   { return "keys: bad signature: " + e.err.Error() }
func (e *sigError) Unwrap() []error { return []error{ErrBadSignature, e.err} }

// verifySigned checks signatures[entity][keyID] over the raw object data.
func verifySigned(data []byte, entity, keyID string, key newt.Ed25519PublicKey) error {
	if err := pk.VerifySignedJSON(data, entity, keyID, key); err != nil {
		return &sigError{err}
	}
	return nil
}

// DeviceKeys are a device's published keys (the device_keys object of
// /keys/upload and /keys/query) whose self-signature has been verified.
type DeviceKeys struct {
	// UserID and DeviceID identify the device.
	UserID, DeviceID string
	// Algorithms are the encryption algorithms the device supports.
	Algorithms []string
	// Ed25519 is the device's fingerprint key, which signed the object.
	Ed25519 newt.Ed25519PublicKey
	// Curve25519 is the device's identity key (zero if absent).
	Curve25519 newt.Curve25519PublicKey

	raw []byte
}

type wireDeviceKeys struct {
	UserID     *string           `json:"user_id"`
	DeviceID   *string           `json:"device_id"`
	Algorithms []string          `json:"algorithms"`
	Keys       map[string]string `json:"keys"`
}

// VerifyDeviceKeys parses a device_keys object and checks it: user_id and
// device_id must be userID and deviceID (the spec asks clients to check that
// a server answered for the device asked about), keys must hold
// "ed25519:<device ID>", and the object must carry that key's signature
// under signatures[userID]["ed25519:<device ID>"]. The data is kept as
// received for later checks ([CrossSigningKey.VerifyDevice]). Errors match
// [ErrBadKeyObject] or [ErrBadSignature].
func VerifyDeviceKeys(data []byte, userID, deviceID string) (*DeviceKeys, error) {
	var w wireDeviceKeys
	if err := json.Unmarshal(data, &w); err != nil {
		return nil, errorf(ErrBadKeyObject, "device keys are not a JSON object of the right shape")
	}
	if w.UserID == nil || *w.UserID != userID || w.DeviceID == nil || *w.DeviceID != deviceID {
		return nil, errorf(ErrBadKeyObject, "device keys are not for user "+strconv.Quote(userID)+" and device "+strconv.Quote(deviceID))
	}
	ed, err := newt.ParseEd25519PublicKey(w.Keys["ed25519:"+deviceID])
	if err != nil {
		return nil, errorf(ErrBadKeyObject, "device keys lack a valid ed25519:"+deviceID+" key")
	}
	d := &DeviceKeys{UserID: userID, DeviceID: deviceID, Algorithms: w.Algorithms, Ed25519: ed}
	if c, ok := w.Keys["curve25519:"+deviceID]; ok {
		if d.Curve25519, err = newt.ParseCurve25519PublicKey(c); err != nil {
			return nil, errorf(ErrBadKeyObject, "device keys have an invalid curve25519:"+deviceID+" key")
		}
	}
	if err := verifySigned(data, userID, "ed25519:"+deviceID, ed); err != nil {
		return nil, err
	}
	d.raw = slices.Clone(data)
	return d, nil
}

// JSON returns the device keys as they were received.
func (d *DeviceKeys) JSON() []byte { return slices.Clone(d.raw) }

// Verify checks that the signed JSON object data (backup auth_data, the
// user's master key) carries this device's signature, under
// signatures[user ID]["ed25519:<device ID>"]. Errors match
// [ErrBadSignature].
func (d *DeviceKeys) Verify(data []byte) error {
	return verifySigned(data, d.UserID, "ed25519:"+d.DeviceID, d.Ed25519)
}

// CrossSigningKey is a user's master, self-signing or user-signing key as
// published (/keys/query master_keys, self_signing_keys,
// user_signing_keys).
type CrossSigningKey struct {
	// UserID is the key's owner.
	UserID string
	// Usage lists the key's usages.
	Usage []string
	// PublicKey is the Ed25519 key. Its unpadded base64 is also its key
	// ID ("ed25519:<base64>").
	PublicKey newt.Ed25519PublicKey

	raw []byte
}

type wireCrossSigningKey struct {
	UserID *string           `json:"user_id"`
	Usage  []string          `json:"usage"`
	Keys   map[string]string `json:"keys"`
}

// CrossSigningKeyFromJSON parses a cross-signing key object received for
// userID in the slot for usage ([UsageMaster], [UsageSelfSigning] or
// [UsageUserSigning]): user_id must be userID, usage must contain usage, and
// keys must hold exactly one entry, "ed25519:<K>": "<K>" with K the unpadded
// base64 of an Ed25519 key. It checks no signature; see
// [CrossSigningKey.VerifyKey]. Errors match [ErrBadKeyObject].
func CrossSigningKeyFromJSON(data []byte, userID, usage string) (*CrossSigningKey, error) {
	var w wireCrossSigningKey
	if err := json.Unmarshal(data, &w); err != nil {
		return nil, errorf(ErrBadKeyObject, "cross-signing key is not a JSON object of the right shape")
	}
	if w.UserID == nil || *w.UserID != userID {
		return nil, errorf(ErrBadKeyObject, "cross-signing key is not for user "+strconv.Quote(userID))
	}
	if !slices.Contains(w.Usage, usage) {
		return nil, errorf(ErrBadKeyObject, "cross-signing key lacks usage "+strconv.Quote(usage))
	}
	if len(w.Keys) != 1 {
		return nil, errorf(ErrBadKeyObject, "cross-signing key does not have exactly one public key")
	}
	k := &CrossSigningKey{UserID: userID, Usage: w.Usage}
	for id, v := range w.Keys {
		pub, err := newt.ParseEd25519PublicKey(v)
		if err != nil || id != "ed25519:"+v {
			return nil, errorf(ErrBadKeyObject, "cross-signing key is not \"ed25519:<key>\": \"<key>\" with an Ed25519 key")
		}
		k.PublicKey = pub
	}
	k.raw = slices.Clone(data)
	return k, nil
}

// KeyID returns "ed25519:<public key>".
func (k *CrossSigningKey) KeyID() string { return "ed25519:" + k.PublicKey.String() }

// JSON returns the key object as it was received.
func (k *CrossSigningKey) JSON() []byte { return slices.Clone(k.raw) }

// Verify checks that the signed JSON object data carries this key's
// signature, under signatures[owner's user ID]["ed25519:<public key>"]:
// the master key's on the self-signing and user-signing keys and on backup
// auth_data, the self-signing key's on the owner's devices, the
// user-signing key's on other users' master keys. Errors match
// [ErrBadSignature].
func (k *CrossSigningKey) Verify(data []byte) error {
	return verifySigned(data, k.UserID, k.KeyID(), k.PublicKey)
}

// VerifyKey parses data as the owner's cross-signing key for usage (see
// [CrossSigningKeyFromJSON]) and checks that k signed it: a master key checks
// its self-signing and user-signing keys this way.
func (k *CrossSigningKey) VerifyKey(data []byte, usage string) (*CrossSigningKey, error) {
	sub, err := CrossSigningKeyFromJSON(data, k.UserID, usage)
	if err != nil {
		return nil, err
	}
	if err := k.Verify(data); err != nil {
		return nil, err
	}
	return sub, nil
}

// VerifyDevice checks the owner's device keys data for deviceID (see
// [VerifyDeviceKeys]) and that k, the self-signing key, signed them.
func (k *CrossSigningKey) VerifyDevice(data []byte, deviceID string) (*DeviceKeys, error) {
	d, err := VerifyDeviceKeys(data, k.UserID, deviceID)
	if err != nil {
		return nil, err
	}
	if err := k.Verify(data); err != nil {
		return nil, err
	}
	return d, nil
}

// CheckDeviceIDs returns [ErrKeyIDCollision] if one of a user's device IDs
// equals the public key (in base64) of one of their cross-signing keys. Device
// IDs and cross-signing key IDs share the namespace "ed25519:<…>", so such
// a device could pass for the key; the spec says not to verify that user.
func CheckDeviceIDs(deviceIDs []string, keys ...*CrossSigningKey) error {
	for _, k := range keys {
		if slices.Contains(deviceIDs, k.PublicKey.String()) {
			return errorf(ErrKeyIDCollision, "device "+strconv.Quote(k.PublicKey.String()))
		}
	}
	return nil
}

// BackupAuthData is the auth_data of a key backup version
// (m.megolm_backup.v1.curve25519-aes-sha2), kept as it was received.
type BackupAuthData struct {
	// PublicKey is the backup's public key; sessions are encrypted to it.
	PublicKey newt.Curve25519PublicKey

	raw []byte
}

// BackupAuthDataFromJSON parses the auth_data object of a backup version. It
// needs public_key (unpadded or padded base64) and keeps every other member
// as received, including the legacy private_key_salt and
// private_key_iterations, so that signatures over them verify. Errors
// match [ErrBadKeyObject].
func BackupAuthDataFromJSON(data []byte) (*BackupAuthData, error) {
	var w struct {
		PublicKey *string `json:"public_key"`
	}
	if err := json.Unmarshal(data, &w); err != nil || w.PublicKey == nil {
		return nil, errorf(ErrBadKeyObject, "auth_data lacks public_key")
	}
	pub, err := parseCurve25519(*w.PublicKey)
	if err != nil {
		return nil, errorf(ErrBadKeyObject, "auth_data public_key is not a Curve25519 key")
	}
	return &BackupAuthData{PublicKey: pub, raw: slices.Clone(data)}, nil
}

// BackupVersionFromJSON parses a backup version (GET /room_keys/version): its
// algorithm must be [BackupAlgorithm], and it returns the version string and
// the auth_data.
func BackupVersionFromJSON(data []byte) (version string, auth *BackupAuthData, err error) {
	var w struct {
		Algorithm *string         `json:"algorithm"`
		Version   *string         `json:"version"`
		AuthData  json.RawMessage `json:"auth_data"`
	}
	if err := json.Unmarshal(data, &w); err != nil || w.Algorithm == nil || w.AuthData == nil {
		return "", nil, errorf(ErrBadKeyObject, "not a backup version")
	}
	if *w.Algorithm != BackupAlgorithm {
		return "", nil, errorf(ErrBadKeyObject, "backup algorithm "+strconv.Quote(*w.Algorithm)+" is not "+BackupAlgorithm)
	}
	if w.Version != nil {
		version = *w.Version
	}
	auth, err = BackupAuthDataFromJSON(w.AuthData)
	return version, auth, err
}

// NewBackupAuthData returns the unsigned auth_data for a backup with public
// key pub: {"public_key": "<base64>"}. Sign it with [AddSignature].
func NewBackupAuthData(pub newt.Curve25519PublicKey) *BackupAuthData {
	return &BackupAuthData{PublicKey: pub, raw: []byte(`{"public_key":"` + pub.String() + `"}`)}
}

// JSON returns auth_data as it was received (or made).
func (a *BackupAuthData) JSON() []byte { return slices.Clone(a.raw) }

// Matches reports whether key is the private key of this backup, which is
// how the spec lets a client trust a backup without signatures: the key came
// from a trusted source (the user's recovery key, secret storage, a verified
// device).
func (a *BackupAuthData) Matches(key *BackupKey) bool {
	return a.PublicKey.Equal(key.PublicKey())
}

// AddSignature adds sig to the signed JSON object data under
// signatures[entity][keyID], keeping every other signature (Matrix spec,
// "Signing JSON"), and returns the object in canonical JSON. sig is the
// signature of pk.CanonicalJSONForSigning(data), for example from
// pk.Signing.SignJSON or olm.Account.Sign. Errors match [ErrBadKeyObject].
func AddSignature(data []byte, entity, keyID string, sig newt.Ed25519Signature) ([]byte, error) {
	if !utf8.ValidString(entity) || !utf8.ValidString(keyID) {
		return nil, errorf(ErrBadKeyObject, "entity or key ID is not valid UTF-8")
	}
	var obj map[string]json.RawMessage
	if _, err := canonicaljson.Canonicalize(data); err != nil {
		return nil, errorf(ErrBadKeyObject, "not strict JSON: "+err.Error())
	}
	if err := json.Unmarshal(data, &obj); err != nil || obj == nil {
		return nil, errorf(ErrBadKeyObject, "not a JSON object")
	}
	sigs := map[string]map[string]json.RawMessage{}
	if s, ok := obj["signatures"]; ok {
		if err := json.Unmarshal(s, &sigs); err != nil || sigs == nil {
			return nil, errorf(ErrBadKeyObject, "signatures is not an object of objects")
		}
	}
	if sigs[entity] == nil {
		sigs[entity] = map[string]json.RawMessage{}
	}
	sigs[entity][keyID] = json.RawMessage(strconv.Quote(sig.String()))
	b, err := json.Marshal(sigs)
	if err != nil {
		return nil, errorf(ErrBadKeyObject, "signatures")
	}
	obj["signatures"] = b
	out, err := json.Marshal(obj)
	if err != nil {
		return nil, errorf(ErrBadKeyObject, "object")
	}
	out, err = canonicaljson.Canonicalize(out)
	if err != nil {
		return nil, errorf(ErrBadKeyObject, "not strict JSON: "+err.Error())
	}
	return out, nil
}
