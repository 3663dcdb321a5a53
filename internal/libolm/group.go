// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

//go:build libolm

package libolm

// #include "shim.h"
import "C"

import "runtime"

// OutboundGroupSession is an OlmOutboundGroupSession in C memory
// (src/outbound_group_session.c).
type OutboundGroupSession struct {
	ptr     *C.OlmOutboundGroupSession
	cleanup runtime.Cleanup
}

func newOutboundGroupSession() *OutboundGroupSession {
	o := &OutboundGroupSession{ptr: C.newt_ogs_new()}
	o.cleanup = runtime.AddCleanup(o, func(p *C.OlmOutboundGroupSession) { C.newt_ogs_free(p) }, o.ptr)
	return o
}

func (o *OutboundGroupSession) p() *C.OlmOutboundGroupSession {
	if o == nil || o.ptr == nil {
		freed("OutboundGroupSession")
	}
	return o.ptr
}

// Free clears (zeroes) and releases the session. It is safe to call twice.
func (o *OutboundGroupSession) Free() {
	if o == nil || o.ptr == nil {
		return
	}
	o.cleanup.Stop()
	C.newt_ogs_free(o.ptr)
	o.ptr = nil
}

// NewOutboundGroupSession runs olm_init_outbound_group_session with 160
// random bytes: [0:128] R0‖R1‖R2‖R3 at counter 0, [128:160] the Ed25519
// signing seed.
func NewOutboundGroupSession(random []byte) (*OutboundGroupSession, error) {
	o := newOutboundGroupSession()
	if err := cerr(C.newt_ogs_create(o.ptr, ptr(random), sz(len(random)))); err != nil {
		o.Free()
		return nil, err
	}
	return o, nil
}

// OutboundGroupSessionFromPickle runs olm_unpickle_outbound_group_session on
// a copy of pickle.
func OutboundGroupSessionFromPickle(key []byte, pickle string) (*OutboundGroupSession, error) {
	o := newOutboundGroupSession()
	if err := cerr(C.newt_ogs_unpickle(o.ptr, ptr(key), sz(len(key)), sptr(pickle),
		sz(len(pickle)))); err != nil {
		o.Free()
		return nil, err
	}
	return o, nil
}

// Pickle runs olm_pickle_outbound_group_session.
func (o *OutboundGroupSession) Pickle(key []byte) string {
	defer runtime.KeepAlive(o)
	return mustString(C.newt_ogs_pickle(o.p(), ptr(key), sz(len(key))))
}

// ID returns the session id, the b64 Ed25519 public key.
func (o *OutboundGroupSession) ID() string {
	defer runtime.KeepAlive(o)
	return mustString(C.newt_ogs_id(o.p()))
}

// MessageIndex returns the index of the next message.
func (o *OutboundGroupSession) MessageIndex() uint32 {
	defer runtime.KeepAlive(o)
	return uint32(C.olm_outbound_group_session_message_index(o.p()))
}

// SessionKey returns the b64 session key at the current index (229 bytes,
// 306 characters, signed).
func (o *OutboundGroupSession) SessionKey() string {
	defer runtime.KeepAlive(o)
	return mustString(C.newt_ogs_key(o.p()))
}

// Encrypt runs olm_group_encrypt and returns the b64 message; the ratchet
// advances.
func (o *OutboundGroupSession) Encrypt(pt []byte) (string, error) {
	defer runtime.KeepAlive(o)
	return takeString(C.newt_ogs_encrypt(o.p(), ptr(pt), sz(len(pt))))
}

// InboundGroupSession is an OlmInboundGroupSession in C memory
// (src/inbound_group_session.c).
type InboundGroupSession struct {
	ptr     *C.OlmInboundGroupSession
	cleanup runtime.Cleanup
}

func newInboundGroupSession() *InboundGroupSession {
	i := &InboundGroupSession{ptr: C.newt_igs_new()}
	i.cleanup = runtime.AddCleanup(i, func(p *C.OlmInboundGroupSession) { C.newt_igs_free(p) }, i.ptr)
	return i
}

func (i *InboundGroupSession) p() *C.OlmInboundGroupSession {
	if i == nil || i.ptr == nil {
		freed("InboundGroupSession")
	}
	return i.ptr
}

// Free clears (zeroes) and releases the session. It is safe to call twice.
func (i *InboundGroupSession) Free() {
	if i == nil || i.ptr == nil {
		return
	}
	i.cleanup.Stop()
	C.newt_igs_free(i.ptr)
	i.ptr = nil
}

// NewInboundGroupSession runs olm_init_inbound_group_session on a copy of
// the b64 session key (version 2, signed).
func NewInboundGroupSession(sessionKey string) (*InboundGroupSession, error) {
	i := newInboundGroupSession()
	if err := cerr(C.newt_igs_init(i.ptr, 0, sptr(sessionKey), sz(len(sessionKey)))); err != nil {
		i.Free()
		return nil, err
	}
	return i, nil
}

// ImportInboundGroupSession runs olm_import_inbound_group_session on a copy
// of the b64 export (version 1, unsigned).
func ImportInboundGroupSession(exported string) (*InboundGroupSession, error) {
	i := newInboundGroupSession()
	if err := cerr(C.newt_igs_init(i.ptr, 1, sptr(exported), sz(len(exported)))); err != nil {
		i.Free()
		return nil, err
	}
	return i, nil
}

// InboundGroupSessionFromPickle runs olm_unpickle_inbound_group_session on a
// copy of pickle.
func InboundGroupSessionFromPickle(key []byte, pickle string) (*InboundGroupSession, error) {
	i := newInboundGroupSession()
	if err := cerr(C.newt_igs_unpickle(i.ptr, ptr(key), sz(len(key)), sptr(pickle),
		sz(len(pickle)))); err != nil {
		i.Free()
		return nil, err
	}
	return i, nil
}

// Pickle runs olm_pickle_inbound_group_session.
func (i *InboundGroupSession) Pickle(key []byte) string {
	defer runtime.KeepAlive(i)
	return mustString(C.newt_igs_pickle(i.p(), ptr(key), sz(len(key))))
}

// ID returns the session id, the b64 Ed25519 public key.
func (i *InboundGroupSession) ID() string {
	defer runtime.KeepAlive(i)
	return mustString(C.newt_igs_id(i.p()))
}

// FirstKnownIndex returns the counter of the initial ratchet.
func (i *InboundGroupSession) FirstKnownIndex() uint32 {
	defer runtime.KeepAlive(i)
	return uint32(C.olm_inbound_group_session_first_known_index(i.p()))
}

// IsVerified runs olm_inbound_group_session_is_verified.
func (i *InboundGroupSession) IsVerified() bool {
	defer runtime.KeepAlive(i)
	return C.olm_inbound_group_session_is_verified(i.p()) != 0
}

// Decrypt runs olm_group_decrypt_max_plaintext_length and olm_group_decrypt,
// each on a fresh copy of msg. index is the message index libolm reported;
// libolm sets it before checking the signature and MAC, so it is meaningful
// with BAD_SIGNATURE, BAD_MESSAGE_MAC and UNKNOWN_MESSAGE_INDEX too.
func (i *InboundGroupSession) Decrypt(msg string) (pt []byte, index uint32, err error) {
	defer runtime.KeepAlive(i)
	var idx C.uint32_t
	r := C.newt_igs_decrypt(i.p(), sptr(msg), sz(len(msg)), &idx)
	pt, err = takeBytes(r)
	return pt, uint32(idx), err
}

// Export runs olm_export_inbound_group_session at index (v1 format, 220
// characters). Exporting beyond the latest ratchet advances it (_get_megolm).
func (i *InboundGroupSession) Export(index uint32) (string, error) {
	defer runtime.KeepAlive(i)
	return takeString(C.newt_igs_export(i.p(), C.uint32_t(index)))
}
