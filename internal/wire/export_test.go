// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package wire

// Encoders and helpers that only the tests of this package use: the library
// writes messages with the Append*Header functions and never re-encodes a
// decoded message.

// OlmVersion is the version byte of Olm pre-key and normal messages.
const OlmVersion = 3

// Varint and field helpers, exported for the tests.
var (
	VarintLen        = varintLen
	AppendVarint     = appendVarint
	ReadVarint       = readVarint
	BytesFieldLen    = bytesFieldLen
	AppendBytesField = appendBytesField
)

// AppendOlmMessageBody appends an Olm message without its MAC, in libolm's
// field order (src/message.cpp, olm::encode_message). The MAC is computed
// over the result and appended by the caller.
func AppendOlmMessageBody(dst []byte, version byte, ratchetKey []byte, counter uint32, ciphertext []byte) []byte {
	dst = AppendOlmMessageHeader(dst, version, ratchetKey, counter, len(ciphertext))
	return append(dst, ciphertext...)
}

// EncodedLen returns the length of m.Append(nil).
func (m *OlmMessage) EncodedLen() int {
	n := 1 + len(m.MAC)
	if m.RatchetKey != nil {
		n += bytesFieldLen(len(m.RatchetKey))
	}
	if m.HasCounter {
		n += 1 + varintLen(uint64(m.Counter))
	}
	if m.Ciphertext != nil {
		n += bytesFieldLen(len(m.Ciphertext))
	}
	return n
}

// Append appends the canonical encoding of m: the version, the present
// fields in libolm's order, then the MAC. For a message with every field
// present it equals AppendOlmMessageBody followed by the MAC.
func (m *OlmMessage) Append(dst []byte) []byte {
	dst = append(dst, m.Version)
	if m.RatchetKey != nil {
		dst = appendBytesField(dst, tagRatchetKey, m.RatchetKey)
	}
	if m.HasCounter {
		dst = appendVarintField(dst, tagCounter, uint64(m.Counter))
	}
	if m.Ciphertext != nil {
		dst = appendBytesField(dst, tagCiphertext, m.Ciphertext)
	}
	return append(dst, m.MAC...)
}

// AppendPreKeyMessage appends the canonical encoding of m: the version, then
// the present fields in libolm's order. For a message with every field
// present this is exactly what libolm writes.
func AppendPreKeyMessage(dst []byte, m *PreKeyMessage) []byte {
	dst = append(dst, m.Version)
	for _, f := range [...]struct {
		tag  byte
		data []byte
	}{
		{tagOneTimeKey, m.OneTimeKey},
		{tagBaseKey, m.BaseKey},
		{tagIdentityKey, m.IdentityKey},
		{tagMessage, m.Message},
	} {
		if f.data != nil {
			dst = appendBytesField(dst, f.tag, f.data)
		}
	}
	return dst
}

// EncodedLen returns the length of AppendPreKeyMessage(nil, m).
func (m *PreKeyMessage) EncodedLen() int {
	n := 1
	for _, f := range [...][]byte{m.OneTimeKey, m.BaseKey, m.IdentityKey, m.Message} {
		if f != nil {
			n += bytesFieldLen(len(f))
		}
	}
	return n
}

// AppendMegolmMessageBody appends a Megolm message without MAC and signature,
// in libolm's field order (src/message.cpp, _olm_encode_group_message).
func AppendMegolmMessageBody(dst []byte, version byte, index uint32, ciphertext []byte) []byte {
	dst = AppendMegolmMessageHeader(dst, version, index, len(ciphertext))
	return append(dst, ciphertext...)
}

// EncodedLen returns the length of m.Append(nil).
func (m *MegolmMessage) EncodedLen() int {
	n := 1 + len(m.MAC) + len(m.Signature)
	if m.HasIndex {
		n += 1 + varintLen(uint64(m.Index))
	}
	if m.Ciphertext != nil {
		n += bytesFieldLen(len(m.Ciphertext))
	}
	return n
}

// Append appends the canonical encoding of m: the version, the present
// fields in libolm's order, the MAC and the signature.
func (m *MegolmMessage) Append(dst []byte) []byte {
	dst = append(dst, m.Version)
	if m.HasIndex {
		dst = appendVarintField(dst, tagIndex, uint64(m.Index))
	}
	if m.Ciphertext != nil {
		dst = appendBytesField(dst, tagMegolmCiphertext, m.Ciphertext)
	}
	dst = append(dst, m.MAC...)
	return append(dst, m.Signature...)
}
