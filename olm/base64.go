// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package olm

// Reviewer's note: the base64 entry points are the struct API (Encrypt +
// Base64, ParseEncryptedMessage + Decrypt) without the intermediate objects:
// the binary message lives in a pooled scratch buffer between the session and
// the base64 codec, and is parsed into a value on the stack. Messages are
// public, so these buffers are neither cleared nor decoded in constant time;
// nothing secret goes through them (plaintexts are written straight to the
// caller's output). Pickles, which are secret, use their own buffers, cleared
// after use (pickle.go).

import (
	"fmt"

	"github.com/newt-e2ee/newt/internal/b64"
	"github.com/newt-e2ee/newt/internal/scratch"
	"github.com/newt-e2ee/newt/ratchet"
)

// EncryptBase64 encrypts plaintext and returns the message's type and its
// unpadded base64 body: exactly the "type" and "body" of an
// m.olm.v1.curve25519-aes-sha2 ciphertext. The results are those of
// [Session.Encrypt] followed by Type and Base64, with the same errors, but
// it makes two allocations instead of four (the string and the AES key
// schedule), plus the randomness of a new ratchet key when the session needs
// one. The binary message is built in a pooled buffer.
func (s *Session) EncryptBase64(plaintext []byte) (MessageType, string, error) {
	buf := scratch.Get()
	defer scratch.Put(buf)
	t, raw, err := s.appendEncryptRandom(*buf, plaintext)
	if err != nil {
		return 0, "", err
	}
	*buf = raw // keep a grown buffer for the pool
	return t, b64.EncodeToString(raw), nil
}

// AppendEncryptBase64 is [Session.EncryptBase64] appending the base64 body to
// dst and returning the extended slice. If dst has room for the body, its
// only allocation is the AES key schedule: crypto/aes allocates one per key,
// and Olm changes keys every message, so that is the floor without an AES
// implementation of our own. The body of an n-byte plaintext is at most
// 4·⌈(n+180)/3⌉ bytes long. On error dst is returned unchanged. dst may share
// memory with plaintext.
func (s *Session) AppendEncryptBase64(dst, plaintext []byte) (MessageType, []byte, error) {
	buf := scratch.Get()
	defer scratch.Put(buf)
	t, raw, err := s.appendEncryptRandom(*buf, plaintext)
	if err != nil {
		return 0, dst, err
	}
	*buf = raw
	return t, b64.AppendEncode(dst, raw), nil
}

// appendEncryptRandom is appendEncrypt with randomness from crypto/rand when
// the ratchet needs it, under the session's lock.
func (s *Session) appendEncryptRandom(dst, plaintext []byte) (MessageType, []byte, error) {
	var random [ratchet.RandomSize]byte
	s.mu.Lock()
	defer s.mu.Unlock()
	t, out, err := s.appendEncrypt(dst, plaintext, s.randomFor(&random))
	clear(random[:])
	return t, out, err
}

// DecryptBase64 decrypts the message of type t whose unpadded base64 body is
// body, the "type" and "body" of an m.olm.v1.curve25519-aes-sha2 ciphertext,
// and returns its plaintext. It is exactly [ParseEncryptedMessage] followed
// by [Session.Decrypt], with the same results and errors, but it makes two
// allocations instead of four: the plaintext and the AES key schedule. The
// binary message is decoded into a pooled buffer and parsed on the stack.
//
// Use it on a session that already exists; a pre-key message that starts a
// new session goes to [Account.NewInboundSession].
func (s *Session) DecryptBase64(t MessageType, body string) ([]byte, error) {
	return s.AppendDecryptBase64(nil, t, body)
}

// AppendDecryptBase64 is [Session.DecryptBase64] appending the plaintext to
// dst and returning the extended slice. If dst has room for the plaintext
// (at most 3·len(body)/4 bytes), its only allocation is the AES key
// schedule: crypto/aes allocates one per key, and Olm changes keys every
// message, so that is the floor without an AES implementation of our own.
func (s *Session) AppendDecryptBase64(dst []byte, t MessageType, body string) ([]byte, error) {
	if t != MessageTypePreKey && t != MessageTypeNormal {
		return nil, fmt.Errorf("%w: unknown message type %d", ErrBadMessageFormat, int(t))
	}
	buf := scratch.Get()
	defer scratch.Put(buf)
	raw, err := b64.AppendDecodePublic(*buf, scratch.StringBytes(body))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadMessageFormat, err)
	}
	*buf = raw // keep a grown buffer for the pool
	if t == MessageTypeNormal {
		var m Message
		if err := m.decode(raw); err != nil {
			return nil, err
		}
		return s.appendDecrypt(dst, m.raw, nil)
	}
	var p PreKeyMessage
	if err := p.decode(raw); err != nil {
		return nil, err
	}
	return s.appendDecrypt(dst, p.inner.raw, &p)
}
