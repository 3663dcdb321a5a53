// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package keys

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/internal/b64"
	"github.com/newt-e2ee/newt/internal/redact"
	"github.com/newt-e2ee/newt/megolm"
	"github.com/newt-e2ee/newt/pk"
)

// BackupAlgorithm is the key backup algorithm this package implements.
const BackupAlgorithm = "m.megolm_backup.v1.curve25519-aes-sha2"

// BackupKeySize is the size of a backup private key (an X25519 scalar).
const BackupKeySize = pk.PrivateKeySize

// BackupKey is the private key of a server-side key backup
// (m.megolm_backup.v1.curve25519-aes-sha2): the spec's "backup decryption
// key". It decrypts backed-up sessions. It is immutable and safe for
// concurrent use; String and the fmt verbs print only its public key.
type BackupKey struct {
	d *pk.Decryption
}

// GenerateBackupKey returns a new random backup key.
func GenerateBackupKey() *BackupKey {
	return &BackupKey{d: pk.GenerateDecryption()}
}

// NewBackupKey returns the backup key with the 32-byte private key b (the
// decoded m.megolm_backup.v1 secret, or a decoded recovery key). The input is
// copied.
func NewBackupKey(b []byte) (*BackupKey, error) {
	if len(b) != BackupKeySize {
		return nil, errorf(ErrBadKey, "backup key of "+strconv.Itoa(len(b))+" bytes, want "+strconv.Itoa(BackupKeySize))
	}
	d, err := pk.NewDecryption(b)
	if err != nil {
		return nil, errorf(ErrBadKey, "backup key")
	}
	return &BackupKey{d: d}, nil
}

// ParseBackupKey parses the base64 form of a backup key, the content of the
// m.megolm_backup.v1 secret (in secret storage or m.secret.send), padded or
// not, with a constant-time decoder.
func ParseBackupKey(s string) (*BackupKey, error) {
	b, err := decodeSecret(s)
	if err != nil {
		return nil, errorf(ErrBadKey, "backup key is not base64")
	}
	defer clear(b)
	return NewBackupKey(b)
}

// BackupKeyFromRecoveryKey decodes a recovery key (see [DecodeRecoveryKey])
// and returns the backup key it encodes.
func BackupKeyFromRecoveryKey(recoveryKey string) (*BackupKey, error) {
	b, err := DecodeRecoveryKey(recoveryKey)
	if err != nil {
		return nil, err
	}
	defer clear(b)
	return NewBackupKey(b)
}

// Bytes returns a copy of the 32-byte private key, which the caller should
// clear when done.
func (k *BackupKey) Bytes() []byte { return k.d.PrivateKey() }

// Base64 returns the private key in unpadded base64, the form stored as the
// m.megolm_backup.v1 secret.
func (k *BackupKey) Base64() string {
	b := k.d.PrivateKey()
	defer clear(b)
	return b64.EncodeToString(b)
}

// RecoveryKey returns the private key as a recovery key (see
// [EncodeRecoveryKey]).
func (k *BackupKey) RecoveryKey() string {
	b := k.d.PrivateKey()
	defer clear(b)
	s, _ := EncodeRecoveryKey(b) // cannot fail: 32 bytes
	return s
}

// PublicKey returns the backup's public key, auth_data.public_key.
func (k *BackupKey) PublicKey() newt.Curve25519PublicKey { return k.d.PublicKey() }

// String describes k without secrets: its public key.
func (k BackupKey) String() string {
	if k.d == nil {
		return "keys.BackupKey{}"
	}
	return "keys.BackupKey{public: " + k.PublicKey().String() + "}"
}

// GoString is String, so that %#v prints no secret either.
func (k BackupKey) GoString() string { return k.String() }

// Format implements [fmt.Formatter]: every verb prints the description of
// [BackupKey.String] (as it is for %#v, else formatted as fmt formats a string
// for the verb), never a secret.
func (k BackupKey) Format(f fmt.State, verb rune) { redact.Format(f, verb, k.String()) }

// wireSessionData is the session_data object of a backed-up session.
type wireSessionData struct {
	Ciphertext *string `json:"ciphertext"`
	Ephemeral  *string `json:"ephemeral"`
	MAC        *string `json:"mac"`
}

// DecryptSessionData decrypts one backed-up session: sessionData is the
// session_data JSON object ({"ciphertext", "ephemeral", "mac"}) of the
// KeyBackupData filed under roomID and sessionID. The plaintext is a
// BackedUpSessionData object; the session key must belong to sessionID.
// Each base64 field may be padded or not; the MAC must be 8 bytes
// (docs/keys-at-rest.md, "Key backup").
//
// Every failure is [ErrBadSessionData] with the same message, and takes
// about the same time whether the MAC, the padding or the JSON was bad:
// the backup MAC covers no data, so a server that alters the ciphertext
// could otherwise learn plaintext from how decryption fails (a padding
// oracle). Do not retry or report differently on failure either.
func (k *BackupKey) DecryptSessionData(roomID, sessionID string, sessionData []byte) (*ExportedSession, error) {
	var w wireSessionData
	if err := json.Unmarshal(sessionData, &w); err != nil || w.Ciphertext == nil || w.Ephemeral == nil || w.MAC == nil {
		return nil, ErrBadSessionData
	}
	return k.decrypt(roomID, sessionID, &w)
}

func (k *BackupKey) decrypt(roomID, sessionID string, w *wireSessionData) (*ExportedSession, error) {
	ct, err1 := decodePublic(*w.Ciphertext)
	mac, err2 := decodePublic(*w.MAC)
	eph, err3 := parseCurve25519(*w.Ephemeral)
	if err1 != nil || err2 != nil || err3 != nil {
		return nil, ErrBadSessionData
	}
	pt, err := k.d.Decrypt(&pk.Message{Ciphertext: ct, MAC: mac, EphemeralKey: eph})
	if err != nil {
		// Do the work a successful decryption would do next, on filler of
		// the same length, so that a bad MAC or bad padding takes about
		// as long as bad JSON (see DecryptSessionData).
		f := filler(len(ct))
		readBackedUp(f, roomID, sessionID)
		clear(f)
		return nil, ErrBadSessionData
	}
	defer clear(pt)
	s, err := readBackedUp(pt, roomID, sessionID)
	if err != nil {
		return nil, ErrBadSessionData
	}
	return s, nil
}

// readBackedUp parses the plaintext of a backed-up session.
func readBackedUp(pt []byte, roomID, sessionID string) (*ExportedSession, error) {
	var w wireSession
	defer w.clear()
	if err := json.Unmarshal(pt, &w); err != nil {
		return nil, err
	}
	// Room and session IDs come from where the data was filed, not from
	// the plaintext (which usually has none).
	w.RoomID, w.SessionID = nil, nil
	if roomID == "" || sessionID == "" {
		return nil, errorf(ErrBadSession, "no room or session ID")
	}
	return w.session(roomID, sessionID)
}

// filler returns n bytes of valid JSON that readBackedUp rejects after
// reading all of it: an object with one long string member.
func filler(n int) []byte {
	const head, tail = `{"algorithm":"`, `"}`
	b := make([]byte, max(n, len(head)+len(tail)))
	copy(b, head)
	for i := len(head); i < len(b)-len(tail); i++ {
		b[i] = 'x'
	}
	copy(b[len(b)-len(tail):], tail)
	return b
}

// EncryptSessionData encrypts s for the key backup with public key
// backupKey (auth_data.public_key) and returns the session_data JSON object:
// {"ciphertext", "ephemeral", "mac"}, unpadded base64. The plaintext is s as
// canonical BackedUpSessionData JSON, without room and session IDs
// (matrix-rust-sdk's form). It fails if backupKey has low order
// (pk.ErrNonContributory) or s cannot be serialised.
func EncryptSessionData(backupKey newt.Curve25519PublicKey, s *ExportedSession) ([]byte, error) {
	pt, err := s.appendJSON(nil, false)
	if err != nil {
		return nil, err
	}
	defer clear(pt)
	m, err := pk.NewEncryption(backupKey).Encrypt(pt)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, 64+b64.EncodedLen(len(m.Ciphertext)))
	out = append(out, `{"ciphertext":"`...)
	out = append(out, m.CiphertextBase64()...)
	out = append(out, `","ephemeral":"`...)
	out = append(out, m.EphemeralKeyBase64()...)
	out = append(out, `","mac":"`...)
	out = append(out, m.MACBase64()...)
	out = append(out, `"}`...)
	return out, nil
}

// EncryptKeyBackupData returns the KeyBackupData JSON object for uploading s
// to the key backup with public key backupKey (PUT /room_keys/keys):
// first_message_index (s's first known index), forwarded_count (the length
// of its forwarding chain), is_verified (false, as matrix-rust-sdk writes)
// and session_data (see [EncryptSessionData]). The first three are neither
// encrypted nor authenticated; readers must not trust them.
func EncryptKeyBackupData(backupKey newt.Curve25519PublicKey, s *ExportedSession) ([]byte, error) {
	sd, err := EncryptSessionData(backupKey, s)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(sd)+96)
	out = append(out, `{"first_message_index":`...)
	out = strconv.AppendUint(out, uint64(s.FirstKnownIndex()), 10)
	out = append(out, `,"forwarded_count":`...)
	out = strconv.AppendInt(out, int64(len(s.ForwardingCurve25519KeyChain)), 10)
	out = append(out, `,"is_verified":false,"session_data":`...)
	out = append(out, sd...)
	return append(out, '}'), nil
}

// wireBackupResponse is GET /room_keys/keys: rooms → sessions → data.
// Each KeyBackupData stays raw, so that one malformed entry fails alone.
type wireBackupResponse struct {
	Rooms map[string]struct {
		Sessions map[string]json.RawMessage `json:"sessions"`
	} `json:"rooms"`
}

// wireBackupTyped is the same response decoded in one pass.
type wireBackupTyped struct {
	Rooms map[string]struct {
		Sessions map[string]wireKeyBackupData `json:"sessions"`
	} `json:"rooms"`
}

// wireKeyBackupData is the part of KeyBackupData that is read.
type wireKeyBackupData struct {
	SessionData *wireSessionData `json:"session_data"`
}

// Restore decrypts every session of a GET /room_keys/keys response read
// from r ({"rooms": {room ID: {"sessions": {session ID: KeyBackupData}}}})
// and imports each usable one as an unverified megolm.InboundGroupSession,
// calling store with it, in order of room ID and then session ID. Sessions
// that fail ([ErrBadSessionData], or an import error) are listed in the
// report and the others are imported; nothing is retried. If store returns
// an error, Restore stops and returns it with the report so far. A response
// that is not of that shape is [ErrBadBackupResponse].
//
// The unauthenticated first_message_index, forwarded_count and is_verified
// fields are ignored; the first index comes from the decrypted session key.
func (k *BackupKey) Restore(r io.Reader, store func(*ExportedSession, *megolm.InboundGroupSession) error) (*ImportReport, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("keys: reading the backup response: %w", err)
	}
	// One pass into the final types when every entry is well formed (the
	// usual case); otherwise one raw pass and each entry on its own, so
	// that a malformed entry fails alone.
	var typed wireBackupTyped
	var raw wireBackupResponse
	typedOK := json.Unmarshal(data, &typed) == nil && typed.Rooms != nil
	if !typedOK {
		if err := json.Unmarshal(data, &raw); err != nil {
			return nil, errorf(ErrBadBackupResponse, "not a /room_keys/keys response")
		}
		if raw.Rooms == nil {
			return nil, errorf(ErrBadBackupResponse, "no rooms")
		}
	}
	type item struct{ room, session string }
	var items []item
	if typedOK {
		for room, rs := range typed.Rooms {
			for session := range rs.Sessions {
				items = append(items, item{room, session})
			}
		}
	} else {
		for room, rs := range raw.Rooms {
			for session := range rs.Sessions {
				items = append(items, item{room, session})
			}
		}
	}
	slices.SortFunc(items, func(a, b item) int {
		if a.room != b.room {
			return strings.Compare(a.room, b.room)
		}
		return strings.Compare(a.session, b.session)
	})
	i := 0
	next := func() (*ExportedSession, error) {
		if i == len(items) {
			return nil, io.EOF
		}
		it := items[i]
		i++
		fail := &SessionError{Index: -1, RoomID: it.room, SessionID: it.session, Err: ErrBadSessionData}
		var sd *wireSessionData
		if typedOK {
			sd = typed.Rooms[it.room].Sessions[it.session].SessionData
		} else {
			var kbd wireKeyBackupData
			if json.Unmarshal(raw.Rooms[it.room].Sessions[it.session], &kbd) != nil {
				return nil, fail
			}
			sd = kbd.SessionData
		}
		if sd == nil || sd.Ciphertext == nil || sd.Ephemeral == nil || sd.MAC == nil {
			return nil, fail
		}
		s, err := k.decrypt(it.room, it.session, sd)
		if err != nil {
			return nil, fail
		}
		return s, nil
	}
	return importAll(next, false, store)
}
