// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package pk

import (
	"crypto/subtle"

	"github.com/newt-e2ee/newt/internal/pickle"
	"github.com/newt-e2ee/newt/internal/redact"
	"github.com/newt-e2ee/newt/internal/scratch"
	"github.com/newt-e2ee/newt/internal/x25519"
)

const (
	// pickleVersion is the only PkDecryption pickle version libolm writes and
	// reads (libolm src/pk.cpp, PK_DECRYPTION_PICKLE_VERSION).
	pickleVersion = 1
	// pickleSize is the raw pickle length: u32 version ‖ pub ‖ priv.
	pickleSize = 4 + x25519.PublicKeySize + x25519.PrivateKeySize // 68
)

// Pickle returns d encrypted with key in libolm's PkDecryption pickle format,
// version 1 (libolm src/pk.cpp, olm_pickle_pk_decryption): the "Pickle"
// envelope (src/pickle_encoding.c) around u32 1 ‖ public key (32) ‖ private
// key (32, unclamped), as unpadded base64. The same key and state always give
// the same pickle, byte-identical to olm_pickle_pk_decryption's. key may have
// any length, including zero; it is used as given, with no password hashing,
// exactly as libolm uses it.
func (d *Decryption) Pickle(key []byte) string {
	return scratch.String(d.AppendPickle(nil, key))
}

// AppendPickle is [Decryption.Pickle] appending the pickle to dst and
// returning the extended slice. dst may share memory with key.
func (d *Decryption) AppendPickle(dst, key []byte) []byte {
	buf := pickle.GetBuffer(pickleSize)
	defer pickle.PutBuffer(buf)
	w := &pickle.Writer{Buf: *buf}
	w.U32(pickleVersion)
	w.Bytes(d.pub[:])
	w.Bytes(d.privateKey()[:])
	*buf = w.Buf
	return pickle.AppendSeal(dst, key, w.Buf)
}

// DecryptionFromPickle decrypts and parses a pickle made by
// [Decryption.Pickle] or by libolm's olm_pickle_pk_decryption with the same
// key. It returns [ErrBadPickleKey] if the pickle does not authenticate
// under key, [ErrUnknownPickleVersion] for a version other than 1, and an
// error matching [ErrCorruptedPickle] if it is not base64, is truncated, has
// trailing data, or holds a public key that does not belong to its private
// key (libolm loads such a pair as it is; newt refuses it).
func DecryptionFromPickle(p string, key []byte) (*Decryption, error) {
	plain, err := pickle.Decrypt(key, scratch.StringBytes(p))
	if err != nil {
		return nil, err
	}
	defer clear(plain)
	rd := pickle.NewReader(plain)
	if v := rd.U32(); rd.Err() == nil && v != pickleVersion {
		return nil, ErrUnknownPickleVersion
	}
	d := &Decryption{priv: redact.NewBox[x25519.PrivateKey]()}
	priv := d.priv.Get()
	rd.Read(d.pub[:])
	rd.Read(priv[:])
	if err := rd.Finish(); err != nil {
		clear(priv[:])
		return nil, err
	}
	if pub := x25519.PublicKey(priv); subtle.ConstantTimeCompare(pub[:], d.pub[:]) != 1 {
		clear(priv[:])
		return nil, errPublicKeyMismatch
	}
	return d, nil
}
