// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package megolm

import (
	"encoding/binary"
	"fmt"
	"strconv"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/internal/aessha2"
	"github.com/newt-e2ee/newt/internal/b64"
	"github.com/newt-e2ee/newt/internal/ed25519x"
	"github.com/newt-e2ee/newt/internal/redact"
)

// Sizes of the Megolm formats (libolm include/olm/megolm.h and
// src/inbound_group_session.c, SESSION_KEY_RAW_LENGTH and
// SESSION_EXPORT_RAW_LENGTH).
const (
	// RatchetSize is the size of the Megolm ratchet R_i,0‖R_i,1‖R_i,2‖R_i,3.
	RatchetSize = ratchetParts * ratchetPartSize
	// SessionKeySize is the size of a [SessionKey]: version, index, ratchet,
	// signing key and signature.
	SessionKeySize = 1 + 4 + RatchetSize + ed25519x.PublicKeySize + ed25519x.SignatureSize
	// ExportedSessionKeySize is the size of an [ExportedSessionKey]: version,
	// index, ratchet and signing key.
	ExportedSessionKeySize = 1 + 4 + RatchetSize + ed25519x.PublicKeySize
	// MACSize is the size of the truncated HMAC-SHA-256 in a [Message].
	MACSize = aessha2.TruncatedMACSize
	// SignatureSize is the size of the Ed25519 signature in a [Message] and
	// a [SessionKey].
	SignatureSize = ed25519x.SignatureSize
)

// Format version bytes.
const (
	sessionKeyVersion         = 0x02 // SessionKey, signed
	exportedSessionKeyVersion = 0x01 // ExportedSessionKey, unsigned
)

// Offsets in the session key and export layouts (both start with the same
// 165 bytes, apart from the version byte).
const (
	keyIndexOffset   = 1
	keyRatchetOffset = keyIndexOffset + 4
	keyPublicOffset  = keyRatchetOffset + RatchetSize
	keySignedSize    = keyPublicOffset + ed25519x.PublicKeySize // bytes covered by the signature
)

// SessionKey is the signed key material a [GroupSession] shares with the
// members of a room (libolm's olm_outbound_group_session_key):
//
//	0x02 ‖ u32be(index) ‖ R_i,0‖R_i,1‖R_i,2‖R_i,3 ‖ signing key (32) ‖ signature (64)
//
// The signature, by the session's signing key, covers the first 165 bytes.
// It is verified by [NewInboundGroupSession], not by [ParseSessionKey].
//
// A SessionKey is secret: whoever holds it can decrypt every message of the
// session from its index on. Send it only over an encrypted channel (Olm).
// [SessionKey.Base64] returns its encoding; String and the fmt verbs print
// only its session ID and index. It is immutable; copies share its bytes.
// The zero SessionKey holds zero bytes and is not a valid key.
type SessionKey struct {
	// b holds the key bytes in a Box, which no fmt verb reaches from any
	// position of a SessionKey (internal/redact); empty means all zeros.
	b redact.Box[[SessionKeySize]byte]
}

// zeroSessionKey is the content of the zero SessionKey. It is never written.
var zeroSessionKey [SessionKeySize]byte

// newSessionKey returns a SessionKey holding a copy of b, which must be
// SessionKeySize bytes long.
func newSessionKey(b []byte) *SessionKey {
	k := &SessionKey{b: redact.NewBox[[SessionKeySize]byte]()}
	copy(k.b.Get()[:], b)
	return k
}

// bytes returns the key's bytes, read-only.
func (k SessionKey) bytes() *[SessionKeySize]byte {
	if p := k.b.Get(); p != nil {
		return p
	}
	return &zeroSessionKey
}

// NewSessionKey returns a copy of the 229-byte session key b. It checks the
// length and the version byte only, and returns an error matching
// [ErrBadSessionKey] otherwise.
func NewSessionKey(b []byte) (*SessionKey, error) {
	if len(b) != SessionKeySize {
		return nil, wrap("bad session key: wrong length", ErrBadSessionKey)
	}
	if b[0] != sessionKeyVersion {
		return nil, wrap("bad session key: wrong version", ErrBadSessionKey)
	}
	return newSessionKey(b), nil
}

// ParseSessionKey decodes the unpadded base64 form of a session key (306
// characters) with a strict, constant-time decoder and checks it as
// [NewSessionKey] does.
func ParseSessionKey(s string) (*SessionKey, error) {
	if len(s) != b64.EncodedLen(SessionKeySize) {
		return nil, wrap("bad session key: wrong length", ErrBadSessionKey)
	}
	b, err := b64.DecodeString(s)
	if err != nil {
		return nil, wrap("bad session key: invalid base64", ErrBadSessionKey)
	}
	defer clear(b)
	return NewSessionKey(b)
}

// Bytes returns a copy of the 229-byte session key.
func (k SessionKey) Bytes() []byte { return bytesClone(k.bytes()[:]) }

// Base64 returns the session key in unpadded base64 (306 characters), the
// form Matrix puts in the session_key field of m.room_key events and that
// [ParseSessionKey] reads. The result is as secret as the key itself.
func (k SessionKey) Base64() string { return b64.EncodeToString(k.bytes()[:]) }

// String returns a description of the key that contains no secret, only its
// session ID and index:
//
//	megolm.SessionKey{session_id: <ID>, index: <N>}
//
// Use [SessionKey.Base64] for the encoded key.
func (k SessionKey) String() string {
	return describeKey("megolm.SessionKey", k.SigningKey(), k.Index())
}

// GoString returns the same description as [SessionKey.String], for the %#v
// verb.
func (k SessionKey) GoString() string { return k.String() }

// Format implements [fmt.Formatter]: every verb prints the description of
// [SessionKey.String] (as it is for %#v, else formatted as fmt formats a
// string for the verb), and never the key.
func (k SessionKey) Format(f fmt.State, verb rune) { redact.Format(f, verb, k.String()) }

// Index returns the message index from which the key decrypts.
func (k SessionKey) Index() uint32 { return binary.BigEndian.Uint32(k.bytes()[keyIndexOffset:]) }

// SigningKey returns the session's Ed25519 signing key, whose base64 form
// is the session ID.
func (k SessionKey) SigningKey() newt.Ed25519PublicKey {
	return newt.Ed25519PublicKeyFromArray([ed25519x.PublicKeySize]byte(k.bytes()[keyPublicOffset:keySignedSize]))
}

// ratchet returns the ratchet stored in k.
func (k SessionKey) ratchet() hashRatchet {
	var r hashRatchet
	copy(r.data[:], k.bytes()[keyRatchetOffset:keyPublicOffset])
	r.counter = k.Index()
	return r
}

// ExportedSessionKey is the unsigned form of a session's keys from some
// index on, produced by [InboundGroupSession.Export] (libolm's
// olm_export_inbound_group_session) for key sharing and backups:
//
//	0x01 ‖ u32be(index) ‖ R_i,0‖R_i,1‖R_i,2‖R_i,3 ‖ signing key (32)
//
// It carries no signature, so a session imported from it is unverified
// unless the export was received over an authenticated channel. It is as
// secret as a [SessionKey]: [ExportedSessionKey.Base64] returns its
// encoding; String and the fmt verbs print only its session ID and index. It
// is immutable; copies share its bytes. The zero ExportedSessionKey holds
// zero bytes and is not a valid key.
type ExportedSessionKey struct {
	// b holds the key bytes in a Box, as in [SessionKey]; empty means all
	// zeros.
	b redact.Box[[ExportedSessionKeySize]byte]
}

// zeroExportedSessionKey is the content of the zero ExportedSessionKey. It is
// never written.
var zeroExportedSessionKey [ExportedSessionKeySize]byte

// newExportedSessionKey returns an ExportedSessionKey holding a copy of b,
// which must be ExportedSessionKeySize bytes long.
func newExportedSessionKey(b []byte) *ExportedSessionKey {
	k := &ExportedSessionKey{b: redact.NewBox[[ExportedSessionKeySize]byte]()}
	copy(k.b.Get()[:], b)
	return k
}

// bytes returns the key's bytes, read-only.
func (k ExportedSessionKey) bytes() *[ExportedSessionKeySize]byte {
	if p := k.b.Get(); p != nil {
		return p
	}
	return &zeroExportedSessionKey
}

// NewExportedSessionKey returns a copy of the 165-byte exported key b. It
// checks the length and the version byte, and returns an error matching
// [ErrBadSessionKey] otherwise.
func NewExportedSessionKey(b []byte) (*ExportedSessionKey, error) {
	if len(b) != ExportedSessionKeySize {
		return nil, wrap("bad exported session key: wrong length", ErrBadSessionKey)
	}
	if b[0] != exportedSessionKeyVersion {
		return nil, wrap("bad exported session key: wrong version", ErrBadSessionKey)
	}
	return newExportedSessionKey(b), nil
}

// ParseExportedSessionKey decodes the unpadded base64 form of an exported
// session key (220 characters) with a strict, constant-time decoder and
// checks it as [NewExportedSessionKey] does.
func ParseExportedSessionKey(s string) (*ExportedSessionKey, error) {
	if len(s) != b64.EncodedLen(ExportedSessionKeySize) {
		return nil, wrap("bad exported session key: wrong length", ErrBadSessionKey)
	}
	b, err := b64.DecodeString(s)
	if err != nil {
		return nil, wrap("bad exported session key: invalid base64", ErrBadSessionKey)
	}
	defer clear(b)
	return NewExportedSessionKey(b)
}

// Bytes returns a copy of the 165-byte exported key.
func (k ExportedSessionKey) Bytes() []byte { return bytesClone(k.bytes()[:]) }

// Base64 returns the exported key in unpadded base64 (220 characters), the
// form of the session_key field of m.forwarded_room_key events and key
// exports, which [ParseExportedSessionKey] reads. The result is as secret as
// the key itself.
func (k ExportedSessionKey) Base64() string { return b64.EncodeToString(k.bytes()[:]) }

// String returns a description of the key that contains no secret, only its
// session ID and index:
//
//	megolm.ExportedSessionKey{session_id: <ID>, index: <N>}
//
// Use [ExportedSessionKey.Base64] for the encoded key.
func (k ExportedSessionKey) String() string {
	return describeKey("megolm.ExportedSessionKey", k.SigningKey(), k.Index())
}

// GoString returns the same description as [ExportedSessionKey.String], for
// the %#v verb.
func (k ExportedSessionKey) GoString() string { return k.String() }

// Format implements [fmt.Formatter]: every verb prints the description of
// [ExportedSessionKey.String] (as it is for %#v, else formatted as fmt
// formats a string for the verb), and never the key.
func (k ExportedSessionKey) Format(f fmt.State, verb rune) { redact.Format(f, verb, k.String()) }

// Index returns the message index from which the key decrypts.
func (k ExportedSessionKey) Index() uint32 {
	return binary.BigEndian.Uint32(k.bytes()[keyIndexOffset:])
}

// SigningKey returns the session's Ed25519 signing key, whose base64 form
// is the session ID.
func (k ExportedSessionKey) SigningKey() newt.Ed25519PublicKey {
	return newt.Ed25519PublicKeyFromArray([ed25519x.PublicKeySize]byte(k.bytes()[keyPublicOffset:keySignedSize]))
}

// ratchet returns the ratchet stored in k.
func (k ExportedSessionKey) ratchet() hashRatchet {
	var r hashRatchet
	copy(r.data[:], k.bytes()[keyRatchetOffset:keyPublicOffset])
	r.counter = k.Index()
	return r
}

// describeKey returns "<typ>{session_id: <b64 signing key>, index: <N>}".
func describeKey(typ string, signingKey newt.Ed25519PublicKey, index uint32) string {
	return typ + "{session_id: " + signingKey.String() + ", index: " +
		strconv.FormatUint(uint64(index), 10) + "}"
}

// bytesClone returns a copy of b that is never nil.
func bytesClone(b []byte) []byte { return append([]byte{}, b...) }

// putKeyBody writes version ‖ u32be(counter) ‖ R ‖ pub, the 165 bytes shared
// by both formats, to b.
func putKeyBody(b []byte, version byte, r *hashRatchet, pub *[ed25519x.PublicKeySize]byte) {
	b[0] = version
	binary.BigEndian.PutUint32(b[keyIndexOffset:], r.counter)
	copy(b[keyRatchetOffset:], r.data[:])
	copy(b[keyPublicOffset:], pub[:])
}
