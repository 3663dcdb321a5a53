// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package keys

import (
	"errors"
	"strconv"
)

// Errors that callers branch on; match them with [errors.Is]. Every error
// returned by this package is, or wraps, one of them. No message contains a
// passphrase, a key, a session key or any decrypted content.
var (
	// ErrBadArmor means a key export file is not an ASCII-armored "MEGOLM
	// SESSION DATA" block: a missing or misplaced BEGIN or END line, text
	// outside them, or a body that is not base64.
	ErrBadArmor = errors.New("keys: not a Megolm key export file")

	// ErrBadExport means the binary body of a key export file is malformed:
	// shorter than the 69 bytes of an empty export, an unknown version
	// byte, or a decrypted payload that is not a JSON array.
	ErrBadExport = errors.New("keys: malformed key export")

	// ErrExportTooLarge means a key export file's body is larger than the
	// caller's limit ([Options.MaxExportSize]).
	ErrExportTooLarge = errors.New("keys: key export larger than the limit")

	// ErrWrongPassphrase means a key export file's MAC did not match: the
	// passphrase is wrong, or the file was altered.
	ErrWrongPassphrase = errors.New("keys: wrong passphrase, or the file was altered")

	// ErrIterations means a PBKDF2 iteration count is zero or above the
	// caller's limit. The error is an [*IterationsError].
	ErrIterations = errors.New("keys: PBKDF2 iteration count out of bounds")

	// ErrBadSession means one exported or backed-up session could not be
	// used: a field is missing or of the wrong type, the algorithm is not
	// m.megolm.v1.aes-sha2, a key is malformed, or session_key does not
	// belong to session_id. Bulk functions report it per session in a
	// [*SessionError] and go on with the others.
	ErrBadSession = errors.New("keys: unusable session")

	// ErrBadSessionData means a backed-up session's session_data could not
	// be decrypted and read with the backup key. Bad MAC, bad padding,
	// malformed JSON and a session key that does not match are all this one
	// error, with the same message: the backup MAC authenticates nothing
	// (see the package doc), so telling them apart would be a padding
	// oracle for whoever serves the backup.
	ErrBadSessionData = errors.New("keys: backed-up session cannot be decrypted with this key, or is corrupted")

	// ErrBadBackupResponse means a /room_keys/keys response (or a
	// KeyBackupData object) is not the JSON shape the spec defines.
	ErrBadBackupResponse = errors.New("keys: malformed key backup response")

	// ErrBadKey means a private key, recovery key or secret storage key
	// has the wrong length or encoding.
	ErrBadKey = errors.New("keys: invalid key")

	// ErrWrongKey means a secret storage key does not match its key
	// description: the zero-block MAC check failed.
	ErrWrongKey = errors.New("keys: key does not match its description")

	// ErrBadSecret means an encrypted secret's MAC did not match: wrong
	// key, a secret stored under another name, or an altered ciphertext.
	ErrBadSecret = errors.New("keys: secret cannot be decrypted with this key, or was altered")

	// ErrBadSecretStorage means a secret storage key description, encrypted
	// secret or secret event is malformed or uses another algorithm.
	ErrBadSecretStorage = errors.New("keys: malformed secret storage data")

	// ErrNoSecret means a secret event holds nothing encrypted under the
	// given key ID.
	ErrNoSecret = errors.New("keys: secret not encrypted under this key")

	// ErrRecoveryKey means a recovery key could not be decoded. The error
	// is a [*RecoveryKeyError], which says what is wrong (and where).
	ErrRecoveryKey = errors.New("keys: invalid recovery key")

	// ErrBadSignature means a signed JSON object does not carry a valid
	// signature by the expected key. It wraps pk.ErrBadSignature or a
	// *pk.JSONError when the object is not strict canonical-JSON material.
	ErrBadSignature = errors.New("keys: bad signature")

	// ErrBadKeyObject means device keys, a cross-signing key or backup
	// auth_data are malformed: missing or mistyped fields, a user or
	// device ID other than expected, a missing usage, or not exactly one
	// cross-signing public key.
	ErrBadKeyObject = errors.New("keys: malformed key object")

	// ErrKeyIDCollision means a user has a device whose ID equals one of
	// their cross-signing public keys. The spec forbids verifying such a
	// user, since device IDs and cross-signing key IDs share one
	// namespace.
	ErrKeyIDCollision = errors.New("keys: device ID equals a cross-signing key")
)

// IterationsError reports a PBKDF2 iteration count read from untrusted input
// (a key export file or a secret storage passphrase description) that is
// zero or larger than the limit. It matches [ErrIterations].
type IterationsError struct {
	// Iterations is the count found in the input.
	Iterations uint64
	// Max is the limit that was applied.
	Max uint32
}

// Error implements the error interface.
func (e *IterationsError) Error() string {
	if e.Iterations == 0 {
		return "keys: PBKDF2 iteration count is 0"
	}
	return "keys: PBKDF2 iteration count " + strconv.FormatUint(e.Iterations, 10) +
		" is above the limit of " + strconv.FormatUint(uint64(e.Max), 10)
}

// Unwrap returns [ErrIterations].
func (e *IterationsError) Unwrap() error { return ErrIterations }

// SessionError reports one session that a bulk operation could not decode or
// import; the operation went on with the others. It matches its Err.
type SessionError struct {
	// Index is the session's position in an export file's array (from 0),
	// or -1 for a session from a key backup.
	Index int
	// RoomID and SessionID identify the session as far as they could be
	// read (public identifiers, never key material); they may be empty.
	RoomID, SessionID string
	// Err is why the session failed: it matches [ErrBadSession] or
	// [ErrBadSessionData], or is the error of the import step.
	Err error
}

// Error implements the error interface.
func (e *SessionError) Error() string {
	s := "keys: session"
	if e.Index >= 0 {
		s += " #" + strconv.Itoa(e.Index)
	}
	if e.SessionID != "" {
		s += " " + strconv.Quote(e.SessionID)
	}
	if e.RoomID != "" {
		s += " in room " + strconv.Quote(e.RoomID)
	}
	return s + ": " + e.Err.Error()
}

// Unwrap returns e.Err.
func (e *SessionError) Unwrap() error { return e.Err }

// detailError is an error that matches kind with errors.Is and prints
// "kind: detail". detail never holds secret material.
type detailError struct {
	kind   error
	detail string
}

func (e *detailError) Error() string { return e.kind.Error() + ": " + e.detail }
func (e *detailError) Unwrap() error { return e.kind }

// errorf returns an error matching kind, with a public detail.
func errorf(kind error, detail string) error { return &detailError{kind: kind, detail: detail} }
