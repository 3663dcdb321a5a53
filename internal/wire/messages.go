// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package wire

// Reviewer's note: names and layout follow libolm's src/message.cpp
// (olm::encode_message, olm::encode_one_time_key_message,
// _olm_encode_group_message) so the code can be reviewed side by side.

// MegolmVersion is the version byte of Megolm group messages written by
// libolm 3.2 (src/outbound_group_session.c). Olm's version byte is
// ratchet.Version.
const MegolmVersion = 3

// Tag bytes: field number << 3 | wire type.
const (
	tagRatchetKey = 0x0A // Olm message field 1, bytes
	tagCounter    = 0x10 // Olm message field 2, varint
	tagCiphertext = 0x22 // Olm message field 4, bytes

	tagOneTimeKey  = 0x0A // pre-key field 1, bytes
	tagBaseKey     = 0x12 // pre-key field 2, bytes
	tagIdentityKey = 0x1A // pre-key field 3, bytes
	tagMessage     = 0x22 // pre-key field 4, bytes

	tagIndex            = 0x08 // Megolm field 1, varint
	tagMegolmCiphertext = 0x12 // Megolm field 2, bytes
)

func checkLen(n int) {
	if n < 0 {
		panic("wire: internal error: negative length")
	}
}

// OlmMessage is a decoded Olm normal message (type 1), or the inner message
// of a pre-key message. Slices alias the decoded input; a missing field is a
// nil slice or HasCounter false.
type OlmMessage struct {
	// Version is the first byte, unchecked (libolm writes OlmVersion).
	Version byte
	// RatchetKey is field 1, the sender's ratchet public key T_i.
	RatchetKey []byte
	// Counter is field 2, the chain index j of the message key M_i,j.
	Counter uint32
	// HasCounter reports whether field 2 was present.
	HasCounter bool
	// Ciphertext is field 4.
	Ciphertext []byte
	// MAC is the last macLen bytes, covering everything before them.
	MAC []byte
}

// DecodeOlmMessage decodes an Olm message whose last macLen bytes are the
// MAC (8 for libolm and vodozemac v1 sessions, 32 for vodozemac v2), with
// the policy of the package documentation. It returns ErrTooShort unless
// there is at least one byte (the version) before the MAC. macLen must not
// be negative.
func DecodeOlmMessage(b []byte, macLen int) (OlmMessage, error) {
	checkLen(macLen)
	if len(b) <= macLen {
		return OlmMessage{}, &DecodeError{Offset: 0, Err: ErrTooShort}
	}
	end := len(b) - macLen
	m := OlmMessage{Version: b[0], MAC: b[end:len(b):len(b)]}
	r := fieldReader{b: b[1:end], off: 1}
	for r.next() {
		switch {
		case r.known(1<<1, tagRatchetKey):
			m.RatchetKey = r.cur.data
		case r.known(1<<2, tagCounter):
			m.Counter, m.HasCounter = r.u32(), true
		case r.known(1<<4, tagCiphertext):
			m.Ciphertext = r.cur.data
		}
	}
	if r.err != nil {
		return OlmMessage{}, r.err
	}
	return m, nil
}

// OlmMessageBodyLen returns the length of an Olm message without its MAC (the
// header of [AppendOlmMessageHeader] and the ciphertext) (libolm
// src/message.cpp, olm::encode_message_length: 1 + 1 + vlen(rk) + rk + 1 +
// vlen(counter) + 1 + vlen(ct) + ct).
func OlmMessageBodyLen(ratchetKeyLen int, counter uint32, ciphertextLen int) int {
	checkLen(ratchetKeyLen)
	checkLen(ciphertextLen)
	return 1 + bytesFieldLen(ratchetKeyLen) + 1 + varintLen(uint64(counter)) + bytesFieldLen(ciphertextLen)
}

// AppendOlmMessageHeader appends an Olm message up to and including the
// length prefix of the ciphertext: version ‖ 0x0A len ratchetKey ‖
// 0x10 varint(counter) ‖ 0x22 varint(ciphertextLen). The caller then appends
// exactly ciphertextLen bytes of ciphertext and the MAC.
func AppendOlmMessageHeader(dst []byte, version byte, ratchetKey []byte, counter uint32, ciphertextLen int) []byte {
	checkLen(ciphertextLen)
	dst = append(dst, version)
	dst = appendBytesField(dst, tagRatchetKey, ratchetKey)
	dst = appendVarintField(dst, tagCounter, uint64(counter))
	dst = append(dst, tagCiphertext)
	return appendVarint(dst, uint64(ciphertextLen))
}

// PreKeyMessage is a decoded Olm pre-key message (type 0). It has no MAC of
// its own; Message is the inner Olm message, to be decoded with
// DecodeOlmMessage. Slices alias the decoded input; a missing field is nil.
type PreKeyMessage struct {
	// Version is the first byte, unchecked (libolm never checks it either).
	Version byte
	// OneTimeKey is field 1, Bob's one-time (or fallback) key E_B.
	OneTimeKey []byte
	// BaseKey is field 2, Alice's base key E_A.
	BaseKey []byte
	// IdentityKey is field 3, Alice's identity key I_A.
	IdentityKey []byte
	// Message is field 4, the inner Olm message.
	Message []byte
}

// DecodePreKeyMessage decodes an Olm pre-key message with the policy of the
// package documentation. It returns ErrTooShort for an empty input.
func DecodePreKeyMessage(b []byte) (PreKeyMessage, error) {
	if len(b) == 0 {
		return PreKeyMessage{}, &DecodeError{Offset: 0, Err: ErrTooShort}
	}
	m := PreKeyMessage{Version: b[0]}
	r := fieldReader{b: b[1:], off: 1}
	for r.next() {
		switch {
		case r.known(1<<1, tagOneTimeKey):
			m.OneTimeKey = r.cur.data
		case r.known(1<<2, tagBaseKey):
			m.BaseKey = r.cur.data
		case r.known(1<<3, tagIdentityKey):
			m.IdentityKey = r.cur.data
		case r.known(1<<4, tagMessage):
			m.Message = r.cur.data
		}
	}
	if r.err != nil {
		return PreKeyMessage{}, r.err
	}
	return m, nil
}

// PreKeyMessageLen returns the length of a pre-key message with all four
// fields (libolm src/message.cpp, olm::encode_one_time_key_message_length: 1
// + 3·34 + 1 + vlen(inner) + inner for 32-byte keys).
func PreKeyMessageLen(oneTimeKeyLen, baseKeyLen, identityKeyLen, messageLen int) int {
	checkLen(oneTimeKeyLen)
	checkLen(baseKeyLen)
	checkLen(identityKeyLen)
	checkLen(messageLen)
	return 1 + bytesFieldLen(oneTimeKeyLen) + bytesFieldLen(baseKeyLen) + bytesFieldLen(identityKeyLen) + bytesFieldLen(messageLen)
}

// AppendPreKeyMessageHeader appends a pre-key message up to and including
// the length prefix of the inner message: version ‖ 0x0A len oneTimeKey ‖
// 0x12 len baseKey ‖ 0x1A len identityKey ‖ 0x22 varint(messageLen). The
// caller then appends exactly messageLen bytes of inner message.
func AppendPreKeyMessageHeader(dst []byte, version byte, oneTimeKey, baseKey, identityKey []byte, messageLen int) []byte {
	checkLen(messageLen)
	dst = append(dst, version)
	dst = appendBytesField(dst, tagOneTimeKey, oneTimeKey)
	dst = appendBytesField(dst, tagBaseKey, baseKey)
	dst = appendBytesField(dst, tagIdentityKey, identityKey)
	dst = append(dst, tagMessage)
	return appendVarint(dst, uint64(messageLen))
}

// MegolmMessage is a decoded Megolm group message. Slices alias the decoded
// input; a missing field is a nil slice or HasIndex false.
type MegolmMessage struct {
	// Version is the first byte, unchecked (libolm writes MegolmVersion).
	Version byte
	// Index is field 1, the ratchet counter i the message was encrypted at.
	Index uint32
	// HasIndex reports whether field 1 was present.
	HasIndex bool
	// Ciphertext is field 2.
	Ciphertext []byte
	// MAC is the macLen bytes before the signature, covering everything
	// before them.
	MAC []byte
	// Signature is the last sigLen bytes, covering everything before them.
	Signature []byte
}

// DecodeMegolmMessage decodes a Megolm message whose last macLen+sigLen
// bytes are the MAC (8 for libolm) followed by the Ed25519 signature (64),
// with the policy of the package documentation. It returns ErrTooShort
// unless there is at least one byte (the version) before the MAC. macLen and
// sigLen must not be negative.
func DecodeMegolmMessage(b []byte, macLen, sigLen int) (MegolmMessage, error) {
	checkLen(macLen)
	checkLen(sigLen)
	if len(b) <= macLen+sigLen {
		return MegolmMessage{}, &DecodeError{Offset: 0, Err: ErrTooShort}
	}
	sigStart := len(b) - sigLen
	end := sigStart - macLen
	m := MegolmMessage{
		Version:   b[0],
		MAC:       b[end:sigStart:sigStart],
		Signature: b[sigStart:len(b):len(b)],
	}
	r := fieldReader{b: b[1:end], off: 1}
	for r.next() {
		switch {
		case r.known(1<<1, tagIndex):
			m.Index, m.HasIndex = r.u32(), true
		case r.known(1<<2, tagMegolmCiphertext):
			m.Ciphertext = r.cur.data
		}
	}
	if r.err != nil {
		return MegolmMessage{}, r.err
	}
	return m, nil
}

// MegolmMessageBodyLen returns the length of a Megolm message without MAC
// and signature (the header of [AppendMegolmMessageHeader] and the
// ciphertext).
func MegolmMessageBodyLen(index uint32, ciphertextLen int) int {
	checkLen(ciphertextLen)
	return 1 + 1 + varintLen(uint64(index)) + bytesFieldLen(ciphertextLen)
}

// AppendMegolmMessageHeader appends a Megolm message up to and including the
// length prefix of the ciphertext: version ‖ 0x08 varint(index) ‖
// 0x12 varint(ciphertextLen). The index is always written, even when 0 (a
// message without it is rejected by libolm). The caller then appends exactly
// ciphertextLen bytes of ciphertext, the MAC and the signature.
func AppendMegolmMessageHeader(dst []byte, version byte, index uint32, ciphertextLen int) []byte {
	checkLen(ciphertextLen)
	dst = append(dst, version)
	dst = appendVarintField(dst, tagIndex, uint64(index))
	dst = append(dst, tagMegolmCiphertext)
	return appendVarint(dst, uint64(ciphertextLen))
}
