// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package olm

import (
	"crypto/sha256"
	"fmt"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/internal/b64"
	"github.com/newt-e2ee/newt/internal/wire"
	"github.com/newt-e2ee/newt/ratchet"
)

// MessageType is the type number Matrix sends next to an Olm message body
// (the "type" of an m.olm.v1.curve25519-aes-sha2 ciphertext).
type MessageType int

// Message types (libolm include/olm/olm.h, OLM_MESSAGE_TYPE_PRE_KEY and
// OLM_MESSAGE_TYPE_MESSAGE).
const (
	// MessageTypePreKey marks a [PreKeyMessage]: what a session sends until
	// it has received a message.
	MessageTypePreKey MessageType = 0
	// MessageTypeNormal marks a [Message].
	MessageTypeNormal MessageType = 1
)

// Protocol constants.
const (
	// Version is the version byte of Olm messages and pre-key messages.
	Version = ratchet.Version
	// MACSize is the length of the truncated MAC that ends a [Message].
	MACSize = ratchet.MACSize
	// MaxMessageGap is the largest number of messages a message may be
	// ahead of its chain.
	MaxMessageGap = ratchet.MaxMessageGap
	// MaxReceiverChains is the number of the peer's ratchet keys a session
	// remembers.
	MaxReceiverChains = ratchet.MaxReceiverChains
	// MaxSkippedMessageKeys is the number of keys of skipped (not yet
	// received) messages a session keeps.
	MaxSkippedMessageKeys = ratchet.MaxSkippedMessageKeys
)

// EncryptedMessage is an Olm message as a session produces and consumes it:
// a *[PreKeyMessage] or a *[Message]. Matrix carries it as its type and its
// base64 body; [ParseEncryptedMessage] reverses that.
type EncryptedMessage interface {
	// Type returns MessageTypePreKey or MessageTypeNormal.
	Type() MessageType
	// Bytes returns a copy of the encoded message.
	Bytes() []byte
	// Base64 returns the encoded message in unpadded base64, the body
	// Matrix sends.
	Base64() string
	encryptedMessage()
}

var (
	_ EncryptedMessage = (*Message)(nil)
	_ EncryptedMessage = (*PreKeyMessage)(nil)
)

// NewEncryptedMessage decodes the binary form b of a message of type t,
// as [NewPreKeyMessage] or [NewMessage]. Types other than 0 and 1 are
// rejected.
func NewEncryptedMessage(t MessageType, b []byte) (EncryptedMessage, error) {
	switch t {
	case MessageTypePreKey:
		p, err := NewPreKeyMessage(b)
		if err != nil {
			return nil, err
		}
		return p, nil
	case MessageTypeNormal:
		m, err := NewMessage(b)
		if err != nil {
			return nil, err
		}
		return m, nil
	default:
		return nil, fmt.Errorf("%w: unknown message type %d", ErrBadMessageFormat, int(t))
	}
}

// ParseEncryptedMessage decodes the base64 body of a message of type t.
// Types other than 0 and 1 are rejected (libolm treats them as pre-key).
func ParseEncryptedMessage(t MessageType, body string) (EncryptedMessage, error) {
	// On error the result must be a nil interface, not an interface
	// holding a nil pointer, so that callers testing m != nil are not
	// misled.
	switch t {
	case MessageTypePreKey:
		p, err := ParsePreKeyMessage(body)
		if err != nil {
			return nil, err
		}
		return p, nil
	case MessageTypeNormal:
		m, err := ParseMessage(body)
		if err != nil {
			return nil, err
		}
		return m, nil
	default:
		return nil, fmt.Errorf("%w: unknown message type %d", ErrBadMessageFormat, int(t))
	}
}

// Message is a normal Olm message (type 1): the version byte, the sender's
// ratchet key, the chain index ("counter"), the ciphertext and an 8-byte MAC
// over everything before it ("Normal Messages" in the Olm spec; libolm
// src/message.cpp, olm::encode_message). A Message is immutable; it keeps the
// exact bytes it was decoded from, which are what the MAC authenticates.
type Message struct {
	raw        []byte
	ratchetKey [32]byte
	counter    uint32
	ciphertext []byte // aliases raw
}

// NewMessage decodes an encoded message. It copies b. Decoding is strict:
// the version must be [Version] (or [VersionV2], the version of
// [SessionConfigV2] messages, with a 32-byte MAC), the ratchet key must be 32 bytes, the
// counter and ciphertext must be present and a MAC must follow; duplicate
// fields, non-minimal varints and unknown wire types are rejected, unknown
// fields of known wire types are skipped as libolm does.
func NewMessage(b []byte) (*Message, error) {
	m := new(Message)
	if err := m.decode(append([]byte(nil), b...)); err != nil {
		return nil, err
	}
	return m, nil
}

// ParseMessage decodes a message from its unpadded base64 form. Messages
// are public, so the base64 is decoded in variable time.
func ParseMessage(s string) (*Message, error) {
	raw, err := b64.DecodeStringPublic(s)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadMessageFormat, err)
	}
	m := new(Message)
	if err := m.decode(raw); err != nil {
		return nil, err
	}
	return m, nil
}

// decode sets m from raw, which it keeps.
func (m *Message) decode(raw []byte) error {
	if len(raw) <= MACSize {
		return fmt.Errorf("%w: message of %d bytes is too short", ErrBadMessageFormat, len(raw))
	}
	macLen := MACSize
	switch raw[0] {
	case Version:
	case VersionV2:
		macLen = FullMACSize
		if len(raw) <= macLen {
			return fmt.Errorf("%w: message of %d bytes is too short", ErrBadMessageFormat, len(raw))
		}
	default:
		return ErrBadVersion
	}
	d, err := wire.DecodeOlmMessage(raw, macLen)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrBadMessageFormat, err)
	}
	if !d.HasCounter || d.Ciphertext == nil || len(d.RatchetKey) != 32 {
		return fmt.Errorf("%w: missing field", ErrBadMessageFormat)
	}
	m.raw = raw
	copy(m.ratchetKey[:], d.RatchetKey)
	m.counter = d.Counter
	m.ciphertext = d.Ciphertext
	return nil
}

// Type returns [MessageTypeNormal].
func (m *Message) Type() MessageType { return MessageTypeNormal }

// Bytes returns a copy of the encoded message.
func (m *Message) Bytes() []byte { return append([]byte(nil), m.raw...) }

// Base64 returns the unpadded base64 form of the message.
func (m *Message) Base64() string { return b64.EncodeToString(m.raw) }

// String returns the base64 form, which holds no secret.
func (m *Message) String() string { return m.Base64() }

// Version returns the message's version byte.
// The zero Message has version 0.
func (m *Message) Version() byte {
	if len(m.raw) == 0 {
		return 0
	}
	return m.raw[0]
}

// RatchetKey returns the sender's ratchet public key.
func (m *Message) RatchetKey() newt.Curve25519PublicKey {
	return newt.Curve25519PublicKeyFromArray(m.ratchetKey)
}

// Counter returns the message's index in its chain.
func (m *Message) Counter() uint32 { return m.counter }

// Ciphertext returns a copy of the AES-256-CBC ciphertext.
func (m *Message) Ciphertext() []byte { return append([]byte(nil), m.ciphertext...) }

// MAC returns a copy of the MAC: 8 bytes, or 32 in a version 4 message
// (nil for the zero Message).
func (m *Message) MAC() []byte {
	n := MACSize
	if m.Version() == VersionV2 {
		n = FullMACSize
	}
	if len(m.raw) < n {
		return nil
	}
	return append([]byte(nil), m.raw[len(m.raw)-n:]...)
}

func (m *Message) encryptedMessage() {}

// PreKeyMessage is the message (type 0) a session sends until it has received
// a reply: the one-time key, base key and identity key that establish the
// session, wrapped around a [Message] ("Pre-Key Messages" in the Olm spec;
// libolm src/message.cpp, olm::encode_one_time_key_message). It has no MAC of
// its own; the inner message's MAC does not cover the outer keys, which is
// why a session checks that they match it. A PreKeyMessage is immutable.
type PreKeyMessage struct {
	raw         []byte
	oneTimeKey  [32]byte
	baseKey     [32]byte
	identityKey [32]byte
	inner       Message
}

// NewPreKeyMessage decodes an encoded pre-key message. It copies b.
// Decoding is strict: the version byte must be [Version] (libolm ignores it;
// vodozemac checks it too), all three keys must be present and 32 bytes,
// and the inner message must decode as [NewMessage] requires.
func NewPreKeyMessage(b []byte) (*PreKeyMessage, error) {
	p := new(PreKeyMessage)
	if err := p.decode(append([]byte(nil), b...)); err != nil {
		return nil, err
	}
	return p, nil
}

// ParsePreKeyMessage decodes a pre-key message from its unpadded base64
// form. Messages are public, so the base64 is decoded in variable time.
func ParsePreKeyMessage(s string) (*PreKeyMessage, error) {
	raw, err := b64.DecodeStringPublic(s)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadMessageFormat, err)
	}
	p := new(PreKeyMessage)
	if err := p.decode(raw); err != nil {
		return nil, err
	}
	return p, nil
}

func (p *PreKeyMessage) decode(raw []byte) error {
	if len(raw) == 0 {
		return fmt.Errorf("%w: empty pre-key message", ErrBadMessageFormat)
	}
	if raw[0] != Version {
		return ErrBadVersion
	}
	d, err := wire.DecodePreKeyMessage(raw)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrBadMessageFormat, err)
	}
	if len(d.OneTimeKey) != 32 || len(d.BaseKey) != 32 || len(d.IdentityKey) != 32 || d.Message == nil {
		return fmt.Errorf("%w: missing or malformed pre-key field", ErrBadMessageFormat)
	}
	if err := p.inner.decode(d.Message); err != nil {
		return err
	}
	p.raw = raw
	copy(p.oneTimeKey[:], d.OneTimeKey)
	copy(p.baseKey[:], d.BaseKey)
	copy(p.identityKey[:], d.IdentityKey)
	return nil
}

// Type returns [MessageTypePreKey].
func (p *PreKeyMessage) Type() MessageType { return MessageTypePreKey }

// Bytes returns a copy of the encoded message.
func (p *PreKeyMessage) Bytes() []byte { return append([]byte(nil), p.raw...) }

// Base64 returns the unpadded base64 form of the message.
func (p *PreKeyMessage) Base64() string { return b64.EncodeToString(p.raw) }

// String returns the base64 form, which holds no secret.
func (p *PreKeyMessage) String() string { return p.Base64() }

// Version returns the version byte of the pre-key wrapper. The zero
// PreKeyMessage has version 0.
func (p *PreKeyMessage) Version() byte {
	if len(p.raw) == 0 {
		return 0
	}
	return p.raw[0]
}

// OneTimeKey returns the recipient's one-time (or fallback) key E_B.
func (p *PreKeyMessage) OneTimeKey() newt.Curve25519PublicKey {
	return newt.Curve25519PublicKeyFromArray(p.oneTimeKey)
}

// BaseKey returns the sender's base key E_A.
func (p *PreKeyMessage) BaseKey() newt.Curve25519PublicKey {
	return newt.Curve25519PublicKeyFromArray(p.baseKey)
}

// IdentityKey returns the sender's Curve25519 identity key I_A.
func (p *PreKeyMessage) IdentityKey() newt.Curve25519PublicKey {
	return newt.Curve25519PublicKeyFromArray(p.identityKey)
}

// Message returns the inner message.
func (p *PreKeyMessage) Message() *Message { return &p.inner }

// SessionID returns the ID of the session this message establishes, the
// same as [Session.ID] on both sides. It lets a receiver find an existing
// session before trying to decrypt.
func (p *PreKeyMessage) SessionID() string {
	return sessionID(&p.identityKey, &p.baseKey, &p.oneTimeKey)
}

func (p *PreKeyMessage) encryptedMessage() {}

// sessionID is b64(SHA-256(I_A ‖ E_A ‖ E_B)) (libolm src/session.cpp,
// olm::Session::session_id).
func sessionID(identityKey, baseKey, oneTimeKey *[32]byte) string {
	var buf [96]byte
	copy(buf[0:], identityKey[:])
	copy(buf[32:], baseKey[:])
	copy(buf[64:], oneTimeKey[:])
	sum := sha256.Sum256(buf[:])
	return b64.EncodeToString(sum[:])
}
