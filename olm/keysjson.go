// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package olm

// Reviewer's note: these helpers produce the objects of the Matrix
// client-server API's POST /_matrix/client/v3/keys/upload (the spec's
// "Uploading keys", DeviceKeys and KeyObject) signed as the appendix "Signing
// JSON" says. They build a Go value, let newt.CanonicalJSON write it, and
// sign the canonical text without "signatures", so the output is canonical
// JSON and its signature verifies with any conforming verifier.

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/newt-e2ee/newt"
)

// The algorithms a device advertises in its device keys: Olm and Megolm as
// the Matrix spec names them.
const (
	// AlgorithmOlm is the Olm algorithm name of Matrix.
	AlgorithmOlm = "m.olm.v1.curve25519-aes-sha2"
	// AlgorithmMegolm is the Megolm algorithm name of Matrix.
	AlgorithmMegolm = "m.megolm.v1.aes-sha2"
)

// SignJSON signs the JSON object v with the account's Ed25519 fingerprint
// key as the Matrix spec's appendix "Signing JSON" asks: the canonical JSON
// of v without its top-level "signatures" and "unsigned" members
// ([newt.CanonicalJSONForSigning]). v is JSON text if it is a []byte or
// json.RawMessage, otherwise a Go value marshalled with encoding/json. The
// caller adds the signature to v's signatures map under its user ID and
// "ed25519:<device ID>". Errors are [*newt.JSONError].
//
// This is the key that signs the device's own keys; to sign with a
// cross-signing key, use package pk's Signing.
func (a *Account) SignJSON(v any) (newt.Ed25519Signature, error) {
	msg, err := newt.CanonicalJSONForSigning(v)
	if err != nil {
		return newt.Ed25519Signature{}, err
	}
	return a.Sign(msg), nil
}

// signatures is the signatures member of a signed object.
type signatures map[string]map[string]string

// signedBy returns the signatures member for one signature by the device.
func signedBy(userID, deviceID string, sig newt.Ed25519Signature) signatures {
	return signatures{userID: {"ed25519:" + deviceID: sig.String()}}
}

// checkIDs rejects user and device IDs that are not valid UTF-8, which
// encoding/json would silently replace.
func checkIDs(userID, deviceID string) error {
	if !utf8.ValidString(userID) || !utf8.ValidString(deviceID) {
		return &newt.JSONError{Err: newt.ErrInvalidJSON, Offset: -1}
	}
	return nil
}

// deviceKeys is the DeviceKeys object of the Matrix spec.
type deviceKeys struct {
	Algorithms []string          `json:"algorithms"`
	DeviceID   string            `json:"device_id"`
	Keys       map[string]string `json:"keys"`
	Signatures signatures        `json:"signatures,omitempty"`
	UserID     string            `json:"user_id"`
}

// DeviceKeysJSON returns the device's signed device_keys object for
// /keys/upload, as canonical JSON:
//
//	{"algorithms":["m.olm.v1.curve25519-aes-sha2","m.megolm.v1.aes-sha2"],
//	 "device_id":<deviceID>,"keys":{"curve25519:<deviceID>":<identity key>,
//	 "ed25519:<deviceID>":<fingerprint key>},
//	 "signatures":{<userID>:{"ed25519:<deviceID>":<signature>}},"user_id":<userID>}
//
// userID and deviceID must be valid UTF-8 ([*newt.JSONError] otherwise).
func (a *Account) DeviceKeysJSON(userID, deviceID string) ([]byte, error) {
	if err := checkIDs(userID, deviceID); err != nil {
		return nil, err
	}
	ids := a.IdentityKeys()
	dk := deviceKeys{
		Algorithms: []string{AlgorithmOlm, AlgorithmMegolm},
		DeviceID:   deviceID,
		Keys: map[string]string{
			"curve25519:" + deviceID: ids.Curve25519.String(),
			"ed25519:" + deviceID:    ids.Ed25519.String(),
		},
		UserID: userID,
	}
	sig, err := a.SignJSON(dk)
	if err != nil {
		return nil, err
	}
	dk.Signatures = signedBy(userID, deviceID, sig)
	return canonical(dk)
}

// keyObject is the KeyObject of the Matrix spec: a signed Curve25519 key,
// optionally marked as a fallback key.
type keyObject struct {
	Fallback   bool       `json:"fallback,omitempty"`
	Key        string     `json:"key"`
	Signatures signatures `json:"signatures,omitempty"`
}

// SignedOneTimeKeysJSON returns the account's unpublished one-time keys as
// the one_time_keys object of /keys/upload, each key signed by the device,
// as canonical JSON:
//
//	{"signed_curve25519:<key ID>":{"key":<key>,
//	 "signatures":{<userID>:{"ed25519:<deviceID>":<signature>}}}, ...}
//
// or {} when there are none. Call [Account.MarkKeysAsPublished] once the
// upload succeeded. userID and deviceID must be valid UTF-8.
func (a *Account) SignedOneTimeKeysJSON(userID, deviceID string) ([]byte, error) {
	return a.signedKeys(userID, deviceID, a.OneTimeKeys(), false)
}

// SignedFallbackKeyJSON returns the account's unpublished fallback key, if
// any, as the fallback_keys object of /keys/upload, signed by the device,
// as canonical JSON:
//
//	{"signed_curve25519:<key ID>":{"fallback":true,"key":<key>,
//	 "signatures":{<userID>:{"ed25519:<deviceID>":<signature>}}}}
//
// or {} when there is none. userID and deviceID must be valid UTF-8.
func (a *Account) SignedFallbackKeyJSON(userID, deviceID string) ([]byte, error) {
	var keys []OneTimeKey
	if k, ok := a.UnpublishedFallbackKey(); ok {
		keys = append(keys, k)
	}
	return a.signedKeys(userID, deviceID, keys, true)
}

func (a *Account) signedKeys(userID, deviceID string, keys []OneTimeKey, fallback bool) ([]byte, error) {
	if err := checkIDs(userID, deviceID); err != nil {
		return nil, err
	}
	out := make(map[string]keyObject, len(keys))
	for _, k := range keys {
		obj := keyObject{Fallback: fallback, Key: k.Key.String()}
		sig, err := a.SignJSON(obj)
		if err != nil {
			return nil, err
		}
		obj.Signatures = signedBy(userID, deviceID, sig)
		out["signed_curve25519:"+k.ID.String()] = obj
	}
	return canonical(out)
}

// canonical returns the canonical JSON of the Go value v.
func canonical(v any) ([]byte, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", newt.ErrInvalidJSON, err)
	}
	return newt.CanonicalJSON(data)
}
