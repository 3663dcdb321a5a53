// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package megolm

import (
	"errors"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/internal/aessha2"
	"github.com/newt-e2ee/newt/internal/b64"
	"github.com/newt-e2ee/newt/internal/wire"
)

// messageVersion is the version byte of Megolm messages with an 8-byte MAC,
// the only version libolm knows.
const messageVersion = wire.MegolmVersion

// minMessageSize is the smallest possible encoded message: a version byte,
// the MAC and the signature (libolm rejects anything not longer than
// MAC + signature).
const minMessageSize = 1 + MACSize + SignatureSize

// Message is an encrypted, signed Megolm message ("Message encryption" in the
// Megolm spec; libolm src/message.cpp, _olm_encode_group_message):
//
//	0x03 ‖ 0x08 varint(index) ‖ 0x12 varint(len) ciphertext ‖ MAC (8) ‖ signature (64)
//
// The MAC covers everything before it; the signature, by the session's
// signing key, covers everything before it, MAC included. A Message is not
// secret. It is immutable; its accessors return copies. Obtain one from
// [NewMessage], [ParseMessage] or [GroupSession.Encrypt]; the zero
// Message is empty and does not decrypt.
type Message struct {
	b     []byte // the encoded message, owned
	ct    []byte // the ciphertext, aliasing b
	index uint32
}

// NewMessage decodes an encoded message (libolm src/inbound_group_session.c,
// _decrypt, up to the version and field checks). It returns an error matching
// [ErrBadMessageFormat] if b is too short, malformed, or lacks the index or
// the ciphertext, and [ErrBadVersion] if the version byte is not 3 (or 4, the
// version of [SessionConfigV2] messages, whose MAC is 32 bytes). Fields may
// appear in any order and unknown fields are skipped, as in libolm, but
// duplicate fields, non-minimal or overlong varints and truncated fields are
// rejected. The signature, which covers the encoding as received, is checked
// by [InboundGroupSession.Decrypt]. b is copied.
func NewMessage(b []byte) (*Message, error) {
	return parseMessage(append([]byte(nil), b...))
}

// ParseMessage decodes the unpadded base64 form of a message, as it
// appears in the ciphertext field of an m.room.encrypted event, then parses it
// as [NewMessage] does. Invalid base64 returns an error matching
// [ErrBadMessageFormat].
//
// A message is public, so the base64 is decoded in variable time (unlike
// keys and pickles, which use a constant-time decoder).
func ParseMessage(s string) (*Message, error) {
	b, err := b64.DecodeStringPublic(s)
	if err != nil {
		return nil, errInvalidBase64
	}
	return parseMessage(b)
}

// errInvalidBase64 is the error for a message that is not strict unpadded
// base64.
var errInvalidBase64 = wrap("bad message format: invalid base64", ErrBadMessageFormat)

// parseMessage parses b, which the returned message takes ownership of.
func parseMessage(b []byte) (*Message, error) {
	m := new(Message)
	if err := m.parse(b); err != nil {
		return nil, err
	}
	return m, nil
}

// parse sets m to the message encoded in b, which m then aliases. On error
// m is unchanged.
func (m *Message) parse(b []byte) error {
	if len(b) < minMessageSize {
		return errTooShort
	}
	macLen := MACSize
	switch b[0] {
	case messageVersion:
	case MessageVersionV2:
		macLen = FullMACSize
		if len(b) < 1+FullMACSize+SignatureSize {
			return errTooShort
		}
	default:
		return ErrBadVersion
	}
	d, err := wire.DecodeMegolmMessage(b, macLen, SignatureSize)
	if err != nil {
		if errors.Is(err, wire.ErrBadVersion) {
			return ErrBadVersion
		}
		return wrap("bad message format: "+err.Error(), ErrBadMessageFormat)
	}
	if !d.HasIndex {
		return errMissingIndex
	}
	if d.Ciphertext == nil {
		return errMissingCiphertext
	}
	*m = Message{b: b, ct: d.Ciphertext, index: d.Index}
	return nil
}

// Errors of parse that carry no detail, allocated once.
var (
	errTooShort          = wrap("bad message format: too short", ErrBadMessageFormat)
	errMissingIndex      = wrap("bad message format: missing message index", ErrBadMessageFormat)
	errMissingCiphertext = wrap("bad message format: missing ciphertext", ErrBadMessageFormat)
)

// Bytes returns a copy of the encoded message.
func (m *Message) Bytes() []byte { return append([]byte(nil), m.b...) }

// Base64 returns the message in unpadded base64, the form of the ciphertext
// field of an m.room.encrypted event.
func (m *Message) Base64() string { return b64.EncodeToString(m.b) }

// Index returns the message index.
func (m *Message) Index() uint32 { return m.index }

// Ciphertext returns a copy of the AES-256-CBC ciphertext.
func (m *Message) Ciphertext() []byte { return append([]byte(nil), m.ciphertext()...) }

// Version returns the message's version byte: 3, or 4 for a
// [SessionConfigV2] message (0 for the zero Message).
func (m *Message) Version() byte {
	if !m.valid() {
		return 0
	}
	return m.b[0]
}

// macLen returns the MAC size of the message's version.
func (m *Message) macLen() int {
	if m.Version() == MessageVersionV2 {
		return FullMACSize
	}
	return MACSize
}

// MAC returns a copy of the MAC: the 8-byte truncated HMAC-SHA-256, or all
// 32 bytes in a version 4 message.
func (m *Message) MAC() []byte { return append([]byte(nil), m.mac()...) }

// Signature returns the Ed25519 signature of the message.
func (m *Message) Signature() newt.Ed25519Signature {
	return newt.Ed25519SignatureFromArray([SignatureSize]byte(m.signature()))
}

// valid reports whether m came from ParseMessage or Encrypt (the zero
// Message has no bytes; its accessors return empty values).
func (m *Message) valid() bool { return len(m.b) >= minMessageSize }

func (m *Message) ciphertext() []byte { return m.ct }

func (m *Message) mac() []byte {
	if !m.valid() {
		return nil
	}
	return m.b[len(m.b)-SignatureSize-m.macLen() : len(m.b)-SignatureSize]
}

func (m *Message) signature() []byte {
	if !m.valid() {
		return make([]byte, SignatureSize)
	}
	return m.b[len(m.b)-SignatureSize:]
}

// maced returns the bytes the MAC covers: everything before it.
func (m *Message) maced() []byte { return m.b[:len(m.b)-SignatureSize-m.macLen()] }

// signed returns the bytes the signature covers: everything before it.
func (m *Message) signed() []byte { return m.b[:len(m.b)-SignatureSize] }

// EncryptedMessageLen returns the length of the encoded message that
// [GroupSession.AppendEncrypt] produces for an n-byte plaintext at the
// largest possible index (shorter by up to 4 bytes at small indexes), with
// [SessionConfigV1]; a [SessionConfigV2] message is [FullMACSize] − [MACSize]
// bytes longer.
func EncryptedMessageLen(n int) int {
	return messageLen(1<<32-1, n)
}

// messageLen returns the encoded length of the message at index of an
// n-byte plaintext.
func messageLen(index uint32, n int) int {
	return wire.MegolmMessageBodyLen(index, aessha2.EncryptedLen(n)) + MACSize + SignatureSize
}

// appendMessageBody appends 0x03 ‖ 0x08 varint(index) ‖ 0x12 varint(len)
// AES-CBC(plaintext) to dst (libolm src/outbound_group_session.c, _encrypt),
// encrypting straight into dst.
func appendMessageBody(dst []byte, version byte, index uint32, keys *aessha2.Keys, plaintext []byte) []byte {
	dst = wire.AppendMegolmMessageHeader(dst, version, index, aessha2.EncryptedLen(len(plaintext)))
	return keys.AppendEncrypt(dst, plaintext)
}
