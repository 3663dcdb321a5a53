// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package megolm

// Reviewer's note: the layouts are libolm's olm_pickle_outbound_group_session
// and olm_pickle_inbound_group_session; the envelope (HKDF "Pickle" → AES-CBC
// ‖ HMAC[:8] → base64) is internal/pickle's, done in pooled buffers
// (pickle_envelope.go).

import (
	"github.com/newt-e2ee/newt/internal/ed25519x"
	"github.com/newt-e2ee/newt/internal/pickle"
	"github.com/newt-e2ee/newt/internal/scratch"
)

// Pickle format versions.
const (
	outboundPickleVersion      = 1 // the only outbound version
	inboundPickleVersionNoBool = 1 // read only: no verified flag, loads verified
	inboundPickleVersion       = 2 // written
)

// Pickle plaintext sizes.
const (
	ratchetPickleSize  = RatchetSize + 4
	outboundPickleSize = 4 + ratchetPickleSize + ed25519x.PublicKeySize + ed25519x.ExpandedSize // 232
	inboundPickleSize  = 4 + 2*ratchetPickleSize + ed25519x.PublicKeySize + 1                   // 301
)

// pickleOutbound returns the outbound session pickle, version 1 (libolm
// src/outbound_group_session.c, olm_pickle_outbound_group_session): u32 1 ‖ R
// (128) ‖ u32 counter ‖ signing pub (32) ‖ expanded sk (64).
func pickleOutbound(dst, key []byte, r *hashRatchet, signing *ed25519x.PrivateKey) []byte {
	buf := pickle.GetBuffer(outboundPickleSize)
	defer pickle.PutBuffer(buf)
	w := &pickle.Writer{Buf: *buf}
	w.U32(outboundPickleVersion)
	writeRatchet(w, r)
	pub, sk := signing.Public(), signing.Expanded()
	w.Bytes(pub[:])
	w.Bytes(sk[:])
	clear(sk[:])
	*buf = w.Buf
	return pickle.AppendSeal(dst, key, w.Buf)
}

// GroupSessionFromPickle decrypts and parses an outbound session pickle made
// by [GroupSession.Pickle] or by libolm's olm_pickle_outbound_group_session
// with the same key. It returns [ErrBadPickleKey] if the pickle does not
// authenticate under key, and an error matching [ErrCorruptedPickle] or
// [ErrUnknownPickleVersion] if it does not parse.
func GroupSessionFromPickle(p string, key []byte) (*GroupSession, error) {
	buf, rd, err := openPickle(p, key)
	defer pickle.PutBuffer(buf)
	if err != nil {
		return nil, err
	}
	if v := rd.U32(); rd.Err() == nil && v != outboundPickleVersion {
		return nil, ErrUnknownPickleVersion
	}
	s := &GroupSession{r: new(hashRatchet)}
	readRatchet(&rd, s.r)
	var pub [ed25519x.PublicKeySize]byte
	var sk [ed25519x.ExpandedSize]byte
	rd.Read(pub[:])
	rd.Read(sk[:])
	if err := rd.Finish(); err != nil {
		s.r.clear()
		clear(sk[:])
		return nil, err
	}
	s.signing = ed25519x.NewKeyFromExpanded(&pub, &sk)
	clear(sk[:])
	s.init()
	return s, nil
}

// pickleInbound returns the inbound session pickle, version 2 (libolm
// src/inbound_group_session.c, olm_pickle_inbound_group_session): u32 2 ‖
// initial R (128) ‖ u32 counter ‖ latest R (128) ‖ u32 counter ‖ signing pub
// (32) ‖ bool verified.
func pickleInbound(dst, key []byte, initial, latest *hashRatchet, pub *[ed25519x.PublicKeySize]byte, verified bool) []byte {
	buf := pickle.GetBuffer(inboundPickleSize)
	defer pickle.PutBuffer(buf)
	w := &pickle.Writer{Buf: *buf}
	w.U32(inboundPickleVersion)
	writeRatchet(w, initial)
	writeRatchet(w, latest)
	w.Bytes(pub[:])
	w.Bool(verified)
	*buf = w.Buf
	return pickle.AppendSeal(dst, key, w.Buf)
}

// InboundGroupSessionFromPickle decrypts and parses an inbound session
// pickle made by [InboundGroupSession.Pickle] or by libolm's
// olm_pickle_inbound_group_session with the same key. It reads versions 2
// and 1 (which has no verified flag and loads as verified, as in libolm). It
// returns [ErrBadPickleKey] if the pickle does not authenticate under key,
// and an error matching [ErrCorruptedPickle] or [ErrUnknownPickleVersion] if
// it does not parse, including when the signing key is not the canonical
// encoding of a point outside the small-order subgroup (also
// [ErrInvalidSigningKey]).
//
// That check works on the encoding alone; the key is decoded into a curve
// point only when the session first verifies a signature, so that loading
// many sessions stays cheap. The one encoding the check cannot see, a
// canonical y-coordinate of no curve point, loads and then fails every
// decryption with an error matching [ErrInvalidSigningKey] (and
// [ErrBadSignature]), as it would fail every signature check. Such a key
// never comes from newt or libolm, which validate the signing key when a
// session is created; the pickle is authenticated by its MAC, so only a
// holder of the pickle key could write one.
func InboundGroupSessionFromPickle(p string, key []byte) (*InboundGroupSession, error) {
	buf, rd, err := openPickle(p, key)
	defer pickle.PutBuffer(buf)
	if err != nil {
		return nil, err
	}
	version := rd.U32()
	if rd.Err() == nil && version != inboundPickleVersion && version != inboundPickleVersionNoBool {
		return nil, ErrUnknownPickleVersion
	}
	var initial, latest hashRatchet
	readRatchet(&rd, &initial)
	readRatchet(&rd, &latest)
	var pubBytes [ed25519x.PublicKeySize]byte
	rd.Read(pubBytes[:])
	verified := true
	if version == inboundPickleVersion {
		verified = rd.Bool()
	}
	if err := rd.Finish(); err != nil {
		initial.clear()
		latest.clear()
		return nil, err
	}
	if ed25519x.CheckPublicKeyBytes(pubBytes[:]) != nil {
		initial.clear()
		latest.clear()
		return nil, wrap("corrupted pickle: invalid signing key", ErrCorruptedPickle, ErrInvalidSigningKey)
	}
	s := newInbound(&initial, &pubBytes, nil, verified)
	*s.latest = latest
	latest.clear()
	initial.clear()
	return s, nil
}

// writeRatchet writes R (128) ‖ u32 counter.
func writeRatchet(w *pickle.Writer, r *hashRatchet) {
	w.Bytes(r.data[:])
	w.U32(r.counter)
}

// readRatchet reads R (128) ‖ u32 counter.
func readRatchet(rd *pickle.Reader, r *hashRatchet) {
	rd.Read(r.data[:])
	r.counter = rd.U32()
}

// openPickle removes the pickle envelope, decrypting into a pooled buffer,
// and returns a reader over the plaintext. Its errors are the shared pickle
// errors of package newt, re-exported here. The caller must return buf with
// pickle.PutBuffer (which clears it) when done, also after an error.
func openPickle(p string, key []byte) (buf *[]byte, rd pickle.Reader, err error) {
	buf = pickle.GetBuffer(len(p))
	plain, err := pickle.Open(buf, key, scratch.StringBytes(p))
	if err != nil {
		return buf, rd, err
	}
	return buf, *pickle.NewReader(plain), nil
}
