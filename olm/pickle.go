// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package olm

// Reviewer's note: the layouts are libolm's (olm::pickle and olm::unpickle in
// src/account.cpp and src/session.cpp); the envelope (HKDF "Pickle" →
// AES-256-CBC + 8-byte HMAC over the ciphertext, base64) is
// internal/pickle's, done in pooled buffers (pickle_envelope.go). Counts are
// bounded before anything is read, so a forged count never allocates.

import (
	"encoding/binary"

	"github.com/newt-e2ee/newt/internal/ed25519x"
	"github.com/newt-e2ee/newt/internal/pickle"
	"github.com/newt-e2ee/newt/internal/ratchetstate"
	"github.com/newt-e2ee/newt/internal/scratch"
	"github.com/newt-e2ee/newt/ratchet"
)

// Pickle versions.
const (
	// AccountPickleVersion is the account pickle version newt writes;
	// versions 2 and 3 are read too.
	AccountPickleVersion = 4
	// SessionPickleVersion is the session pickle version newt writes;
	// version 0x80000001 is read too.
	SessionPickleVersion = 1

	accountPickleV1 = 1
	accountPickleV2 = 2
	accountPickleV3 = 3

	sessionPickleV2 = 0x80000001
)

const (
	oneTimeKeyPickleSize = 4 + 1 + 32 + 32
	// sessionHeaderSize is the session pickle before the ratchet: version,
	// received flag, I_A, E_A, E_B.
	sessionHeaderSize = 4 + 1 + 3*32
)

// Pickle returns the account encrypted with key in libolm's account pickle
// format, version 4 (unpadded base64 text). key may have any length,
// including zero; it is used as given. The same key and state always give
// the same pickle.
func (a *Account) Pickle(key []byte) string {
	return scratch.String(a.AppendPickle(nil, key))
}

// AppendPickle is [Account.Pickle] appending the pickle to dst and returning
// the extended slice. dst may share memory with key.
func (a *Account) AppendPickle(dst, key []byte) []byte {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.fillPublicKeys()
	n := 4 + 96 + 64 + 4 + oneTimeKeyPickleSize*len(a.k().oneTimeKeys) + 1 + oneTimeKeyPickleSize*int(a.numFallback) + 4
	buf := pickle.GetBuffer(n)
	defer pickle.PutBuffer(buf)
	w := &pickle.Writer{Buf: *buf}
	w.U32(AccountPickleVersion)
	pub := a.signing.Public()
	expanded := a.signing.Expanded()
	w.Bytes(pub[:])
	w.Bytes(expanded[:])
	clear(expanded[:])
	w.Bytes(a.identityPub[:])
	w.Bytes(a.k().identityPriv[:])
	w.U32(uint32(len(a.k().oneTimeKeys)))
	for i := range a.k().oneTimeKeys {
		writeOneTimeKey(w, &a.k().oneTimeKeys[i])
	}
	w.U8(a.numFallback)
	if a.numFallback >= 1 {
		writeOneTimeKey(w, &a.k().fallback)
	}
	if a.numFallback >= 2 {
		writeOneTimeKey(w, &a.k().prevFallback)
	}
	w.U32(a.nextKeyID)
	*buf = w.Buf
	return pickle.AppendSeal(dst, key, w.Buf)
}

func writeOneTimeKey(w *pickle.Writer, k *oneTimeKey) {
	w.U32(k.id)
	w.Bool(k.published)
	w.Bytes(k.pub[:])
	w.Bytes(k.priv[:])
}

// parseOneTimeKeys decodes len(keys) one-time key records from b, which
// holds exactly that many.
func parseOneTimeKeys(b []byte, keys []oneTimeKey) {
	for i := range keys {
		rec := b[i*oneTimeKeyPickleSize : (i+1)*oneTimeKeyPickleSize]
		k := &keys[i]
		k.id = binary.BigEndian.Uint32(rec[0:4])
		k.published = rec[4] != 0 // any non-zero byte is true, as in libolm
		copy(k.pub[:], rec[5:37])
		copy(k.priv[:], rec[37:69])
	}
}

func readOneTimeKey(r *pickle.Reader, k *oneTimeKey) {
	k.id = r.U32()
	k.published = r.Bool()
	r.Read(k.pub[:])
	r.Read(k.priv[:])
}

// AccountFromPickle decrypts and decodes an account pickle made by libolm
// or by [Account.Pickle]: versions 2, 3 and 4. Version 1 fails with
// [ErrLegacyAccountPickle], other versions with [ErrUnknownPickleVersion],
// a wrong key or a tampered pickle with [ErrBadPickleKey], and a malformed
// one with [ErrCorruptedPickle]. A version-3 pickle loses its unpublished
// fallback keys, exactly as in libolm. The keys are used as stored (the
// public keys are not recomputed), as libolm does.
func AccountFromPickle(p string, key []byte) (*Account, error) {
	buf := pickle.GetBuffer(len(p))
	defer pickle.PutBuffer(buf)
	raw, err := pickle.Open(buf, key, scratch.StringBytes(p))
	if err != nil {
		return nil, err
	}
	r := pickle.NewReader(raw)
	a := newAccountStruct()
	version := r.U32()
	if r.Err() == nil {
		switch version {
		case accountPickleV2, accountPickleV3, AccountPickleVersion:
		case accountPickleV1:
			return nil, ErrLegacyAccountPickle
		default:
			return nil, ErrUnknownPickleVersion
		}
	}
	var pub [ed25519x.PublicKeySize]byte
	var expanded [ed25519x.ExpandedSize]byte
	r.Read(pub[:])
	r.Read(expanded[:])
	r.Read(a.identityPub[:])
	r.Read(a.k().identityPriv[:])
	if count := r.Count(MaxOneTimeKeys); count > 0 {
		// The keys are read straight from the plaintext, then the reader
		// continues after them. GenerateOneTimeKeys makes a new slice, so
		// this one needs no spare capacity.
		if size := count * oneTimeKeyPickleSize; r.Err() == nil && r.Remaining() >= size {
			off := len(raw) - r.Remaining()
			a.k().oneTimeKeys = make([]oneTimeKey, count)
			parseOneTimeKeys(raw[off:off+size], a.k().oneTimeKeys)
			r = pickle.NewReader(raw[off+size:])
		} else {
			r.Fail(pickle.ErrCorrupted) // truncated
		}
	}
	switch version {
	case accountPickleV3:
		// Always two fallback slots; how many are in use is inferred from
		// their published flags, as libolm does.
		readOneTimeKey(r, &a.k().fallback)
		readOneTimeKey(r, &a.k().prevFallback)
		switch {
		case !a.k().fallback.published:
			a.numFallback = 0
		case !a.k().prevFallback.published:
			a.numFallback = 1
		default:
			a.numFallback = 2
		}
	case AccountPickleVersion:
		a.numFallback = r.U8()
		if a.numFallback > 2 {
			r.Fail(pickle.ErrCorrupted)
		}
		if a.numFallback >= 1 {
			readOneTimeKey(r, &a.k().fallback)
		}
		if a.numFallback >= 2 {
			readOneTimeKey(r, &a.k().prevFallback)
		}
	}
	a.nextKeyID = r.U32()
	if err := r.Finish(); err != nil {
		a.clear()
		clear(expanded[:])
		return nil, err
	}
	a.signing = ed25519x.NewKeyFromExpanded(&pub, &expanded)
	clear(expanded[:])
	return a, nil
}

// clear overwrites the account's secrets (best effort).
func (a *Account) clear() {
	clear(a.k().identityPriv[:])
	for i := range a.k().oneTimeKeys {
		a.k().oneTimeKeys[i].clear()
	}
	a.k().fallback.clear()
	a.k().prevFallback.clear()
}

// Pickle returns the session encrypted with key in libolm's session pickle
// format, version 1 (unpadded base64 text). key may have any length,
// including zero; it is used as given. The same key and state always give
// the same pickle.
//
// libolm's format has no session config: a session with [SessionConfigV2]
// loads back as version 1 (and then refuses version 4 messages with
// [ErrConfigMismatch]). Use [Session.PickleJSON] or [Session.VodozemacPickle]
// to keep the config.
func (s *Session) Pickle(key []byte) string {
	return scratch.String(s.AppendPickle(nil, key))
}

// AppendPickle is [Session.Pickle] appending the pickle to dst and returning
// the extended slice. dst may share memory with key.
func (s *Session) AppendPickle(dst, key []byte) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	buf := pickle.GetBuffer(sessionHeaderSize + s.ratchet.LibolmLen())
	defer pickle.PutBuffer(buf)
	w := &pickle.Writer{Buf: *buf}
	w.U32(SessionPickleVersion)
	w.Bool(s.receivedMessage)
	w.Bytes(s.aliceIdentityKey[:])
	w.Bytes(s.aliceBaseKey[:])
	w.Bytes(s.bobOneTimeKey[:])
	w.Buf = s.ratchet.AppendLibolm(w.Buf)
	*buf = w.Buf
	return pickle.AppendSeal(dst, key, w.Buf)
}

// SessionFromPickle decrypts and decodes a session pickle made by libolm or
// by [Session.Pickle]: versions 1 and 0x80000001 (whose trailing chain index
// is ignored). Errors are as for [AccountFromPickle].
func SessionFromPickle(p string, key []byte) (*Session, error) {
	buf := pickle.GetBuffer(len(p))
	defer pickle.PutBuffer(buf)
	raw, err := pickle.Open(buf, key, scratch.StringBytes(p))
	if err != nil {
		return nil, err
	}
	// The fixed header, then the ratchet, then (version 0x80000001 only)
	// a u32 chain index that libolm ignores.
	r := pickle.NewReader(raw[:min(len(raw), sessionHeaderSize)])
	version := r.U32()
	if r.Err() == nil && version != SessionPickleVersion && version != sessionPickleV2 {
		return nil, ErrUnknownPickleVersion
	}
	s := &Session{ratchet: ratchetstate.Blank().(*ratchet.Ratchet)}
	s.receivedMessage = r.Bool()
	r.Read(s.aliceIdentityKey[:])
	r.Read(s.aliceBaseKey[:])
	r.Read(s.bobOneTimeKey[:])
	if err := r.Finish(); err != nil {
		return nil, err
	}
	n, err := s.ratchet.UnmarshalLibolm(raw[sessionHeaderSize:])
	if err != nil {
		return nil, err
	}
	rest := pickle.NewReader(raw[sessionHeaderSize+n:])
	if version == sessionPickleV2 {
		rest.U32() // the chain index of an old libolm, ignored
	}
	if err := rest.Finish(); err != nil {
		s.ratchet.Clear()
		return nil, err
	}
	return s, nil
}
