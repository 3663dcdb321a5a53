// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

//go:build libolm

package libolm

// #include "shim.h"
import "C"

import (
	"runtime"
	"unsafe"
)

// Session is an OlmSession in C memory (src/session.cpp).
type Session struct {
	ptr     *C.OlmSession
	cleanup runtime.Cleanup
}

func newSession() *Session {
	s := &Session{ptr: C.newt_session_new()}
	s.cleanup = runtime.AddCleanup(s, func(p *C.OlmSession) { C.newt_session_free(p) }, s.ptr)
	return s
}

func (s *Session) p() *C.OlmSession {
	if s == nil || s.ptr == nil {
		freed("Session")
	}
	return s.ptr
}

// Free clears (zeroes) and releases the session. It is safe to call twice.
func (s *Session) Free() {
	if s == nil || s.ptr == nil {
		return
	}
	s.cleanup.Stop()
	C.newt_session_free(s.ptr)
	s.ptr = nil
}

// NewOutboundSession runs olm_create_outbound_session from a to the owner
// of theirIdentityKey and theirOneTimeKey (43-character b64 each) with 64
// random bytes: [0:32] base key, [32:64] first ratchet key.
func NewOutboundSession(a *Account, theirIdentityKey, theirOneTimeKey string, random []byte) (*Session, error) {
	defer runtime.KeepAlive(a)
	s := newSession()
	if err := cerr(C.newt_session_create_outbound(s.ptr, a.p(), sptr(theirIdentityKey),
		sz(len(theirIdentityKey)), sptr(theirOneTimeKey), sz(len(theirOneTimeKey)),
		ptr(random), sz(len(random)))); err != nil {
		s.Free()
		return nil, err
	}
	return s, nil
}

// NewInboundSession runs olm_create_inbound_session on a copy of the b64
// pre-key message. It does not check the MAC and does not remove the one-time
// key (src/olm.cpp, olm_create_inbound_session).
func NewInboundSession(a *Account, preKeyMsg string) (*Session, error) {
	defer runtime.KeepAlive(a)
	s := newSession()
	if err := cerr(C.newt_session_create_inbound(s.ptr, a.p(), sptr(preKeyMsg),
		sz(len(preKeyMsg)))); err != nil {
		s.Free()
		return nil, err
	}
	return s, nil
}

// NewInboundSessionFrom runs olm_create_inbound_session_from. Beware: libolm
// dereferences NULL (SIGSEGV) when the pre-key message has no identity-key
// field (src/session.cpp, olm::Session::new_inbound_session); do not feed it
// such messages.
func NewInboundSessionFrom(a *Account, theirIdentityKey, preKeyMsg string) (*Session, error) {
	defer runtime.KeepAlive(a)
	s := newSession()
	if err := cerr(C.newt_session_create_inbound_from(s.ptr, a.p(), sptr(theirIdentityKey),
		sz(len(theirIdentityKey)), sptr(preKeyMsg), sz(len(preKeyMsg)))); err != nil {
		s.Free()
		return nil, err
	}
	return s, nil
}

// SessionFromPickle runs olm_unpickle_session on a copy of pickle.
func SessionFromPickle(key []byte, pickle string) (*Session, error) {
	s := newSession()
	if err := cerr(C.newt_session_unpickle(s.ptr, ptr(key), sz(len(key)), sptr(pickle),
		sz(len(pickle)))); err != nil {
		s.Free()
		return nil, err
	}
	return s, nil
}

// Pickle runs olm_pickle_session.
func (s *Session) Pickle(key []byte) string {
	defer runtime.KeepAlive(s)
	return mustString(C.newt_session_pickle(s.p(), ptr(key), sz(len(key))))
}

// ID returns the session id b64(SHA-256(IA ‖ EA ‖ EB)).
func (s *Session) ID() string {
	defer runtime.KeepAlive(s)
	return mustString(C.newt_session_id(s.p()))
}

// HasReceivedMessage runs olm_session_has_received_message.
func (s *Session) HasReceivedMessage() bool {
	defer runtime.KeepAlive(s)
	return C.olm_session_has_received_message(s.p()) != 0
}

// Describe runs olm_session_describe with a buffer large enough for any
// session (5 receiver chains, 40 skipped keys).
func (s *Session) Describe() string {
	defer runtime.KeepAlive(s)
	var buf [2048]byte
	C.olm_session_describe(s.p(), (*C.char)(unsafe.Pointer(&buf[0])), C.size_t(len(buf)))
	return C.GoString((*C.char)(unsafe.Pointer(&buf[0])))
}

// Matches runs olm_matches_inbound_session on a copy of the pre-key
// message; the only error is INVALID_BASE64.
func (s *Session) Matches(preKeyMsg string) (bool, error) {
	defer runtime.KeepAlive(s)
	r := C.newt_session_matches(s.p(), nil, 0, sptr(preKeyMsg), sz(len(preKeyMsg)))
	if r.err != nil {
		return false, cerr(r.err)
	}
	return r.ret == 1, nil
}

// MatchesFrom runs olm_matches_inbound_session_from.
func (s *Session) MatchesFrom(theirIdentityKey, preKeyMsg string) (bool, error) {
	defer runtime.KeepAlive(s)
	// A non-nil key pointer selects the _from variant, even for "".
	key := sptr(theirIdentityKey)
	if key == nil {
		key = unsafe.Pointer(&nzByte)
	}
	r := C.newt_session_matches(s.p(), key, sz(len(theirIdentityKey)), sptr(preKeyMsg),
		sz(len(preKeyMsg)))
	if r.err != nil {
		return false, cerr(r.err)
	}
	return r.ret == 1, nil
}

// EncryptMessageType returns the type of the next message: 0 (pre-key) until
// the session has received a message, then 1.
func (s *Session) EncryptMessageType() int {
	defer runtime.KeepAlive(s)
	return int(C.olm_encrypt_message_type(s.p()))
}

// EncryptRandomLength returns how many random bytes the next Encrypt needs:
// 32 when a new ratchet key is due, else 0.
func (s *Session) EncryptRandomLength() int {
	defer runtime.KeepAlive(s)
	return int(C.olm_encrypt_random_length(s.p()))
}

// Encrypt runs olm_encrypt with EncryptRandomLength() random bytes (nil when
// 0) and returns the message type and the b64 message.
func (s *Session) Encrypt(pt, random []byte) (msgType int, msg string, err error) {
	defer runtime.KeepAlive(s)
	r := C.newt_session_encrypt(s.p(), ptr(pt), sz(len(pt)), ptr(random), sz(len(random)))
	t := int(r.ret)
	msg, err = takeString(r)
	if err != nil {
		return 0, "", err
	}
	return t, msg, nil
}

// Decrypt runs olm_decrypt_max_plaintext_length and olm_decrypt, each on a
// fresh copy of msg. Any msgType other than 1 is treated as pre-key.
func (s *Session) Decrypt(msgType int, msg string) ([]byte, error) {
	defer runtime.KeepAlive(s)
	return takeBytes(C.newt_session_decrypt(s.p(), C.size_t(msgType), sptr(msg), sz(len(msg))))
}
