// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

//go:build libolm

package libolm

// #include "shim.h"
import "C"

import "runtime"

// PkEncryption is an OlmPkEncryption in C memory (src/pk.cpp).
type PkEncryption struct {
	ptr     *C.OlmPkEncryption
	cleanup runtime.Cleanup
}

func (e *PkEncryption) p() *C.OlmPkEncryption {
	if e == nil || e.ptr == nil {
		freed("PkEncryption")
	}
	return e.ptr
}

// Free clears (zeroes) and releases the object. It is safe to call twice.
func (e *PkEncryption) Free() {
	if e == nil || e.ptr == nil {
		return
	}
	e.cleanup.Stop()
	C.newt_pkenc_free(e.ptr)
	e.ptr = nil
}

// NewPkEncryption runs olm_pk_encryption_set_recipient_key with the b64
// recipient key (at least 43 characters; only the first 43 are decoded).
func NewPkEncryption(recipientKey string) (*PkEncryption, error) {
	e := &PkEncryption{ptr: C.newt_pkenc_new()}
	e.cleanup = runtime.AddCleanup(e, func(p *C.OlmPkEncryption) { C.newt_pkenc_free(p) }, e.ptr)
	if err := cerr(C.newt_pkenc_set_recipient(e.ptr, sptr(recipientKey),
		sz(len(recipientKey)))); err != nil {
		e.Free()
		return nil, err
	}
	return e, nil
}

// Encrypt runs olm_pk_encrypt with 32 random bytes (the ephemeral private
// key) and returns the b64 ciphertext, MAC (11 characters) and ephemeral
// public key (43 characters).
func (e *PkEncryption) Encrypt(pt, random []byte) (ciphertext, mac, ephemeral string, err error) {
	defer runtime.KeepAlive(e)
	var m [11]byte
	var k [43]byte
	r := C.newt_pkenc_encrypt(e.p(), ptr(pt), sz(len(pt)), ptr(random), sz(len(random)),
		u8(m[:]), u8(k[:]))
	if ciphertext, err = takeString(r); err != nil {
		return "", "", "", err
	}
	return ciphertext, string(m[:]), string(k[:]), nil
}

// PkDecryption is an OlmPkDecryption in C memory (src/pk.cpp).
type PkDecryption struct {
	ptr     *C.OlmPkDecryption
	cleanup runtime.Cleanup
	pub     string
}

func newPkDecryption() *PkDecryption {
	d := &PkDecryption{ptr: C.newt_pkdec_new()}
	d.cleanup = runtime.AddCleanup(d, func(p *C.OlmPkDecryption) { C.newt_pkdec_free(p) }, d.ptr)
	return d
}

func (d *PkDecryption) p() *C.OlmPkDecryption {
	if d == nil || d.ptr == nil {
		freed("PkDecryption")
	}
	return d.ptr
}

// Free clears (zeroes) and releases the object. It is safe to call twice.
func (d *PkDecryption) Free() {
	if d == nil || d.ptr == nil {
		return
	}
	d.cleanup.Stop()
	C.newt_pkdec_free(d.ptr)
	d.ptr = nil
}

// PkDecryptionFromPrivate runs olm_pk_key_from_private: priv (32 bytes) is
// stored raw and the public key is X25519(priv, 9).
func PkDecryptionFromPrivate(priv []byte) (*PkDecryption, error) {
	d := newPkDecryption()
	var pub [43]byte
	if err := cerr(C.newt_pkdec_from_private(d.ptr, ptr(priv), sz(len(priv)),
		u8(pub[:]))); err != nil {
		d.Free()
		return nil, err
	}
	d.pub = string(pub[:])
	return d, nil
}

// PkDecryptionFromPickle runs olm_unpickle_pk_decryption on a copy of
// pickle.
func PkDecryptionFromPickle(key []byte, pickle string) (*PkDecryption, error) {
	d := newPkDecryption()
	var pub [43]byte
	if err := cerr(C.newt_pkdec_unpickle(d.ptr, ptr(key), sz(len(key)), sptr(pickle),
		sz(len(pickle)), u8(pub[:]))); err != nil {
		d.Free()
		return nil, err
	}
	d.pub = string(pub[:])
	return d, nil
}

// PublicKey returns the b64 public key libolm reported when the object was
// created or unpickled (libolm has no getter).
func (d *PkDecryption) PublicKey() string {
	d.p()
	return d.pub
}

// PrivateKey runs olm_pk_get_private_key (32 bytes).
func (d *PkDecryption) PrivateKey() []byte {
	defer runtime.KeepAlive(d)
	out := make([]byte, 32)
	if err := cerr(C.newt_pkdec_private(d.p(), u8(out))); err != nil {
		panic("libolm: internal error: " + err.Error())
	}
	return out
}

// Pickle runs olm_pickle_pk_decryption.
func (d *PkDecryption) Pickle(key []byte) string {
	defer runtime.KeepAlive(d)
	return mustString(C.newt_pkdec_pickle(d.p(), ptr(key), sz(len(key))))
}

// Decrypt runs olm_pk_decrypt on a copy of the b64 ciphertext. Note that the
// PK MAC authenticates nothing (src/pk.cpp, olm_pk_encrypt).
func (d *PkDecryption) Decrypt(ephemeral, mac, ciphertext string) ([]byte, error) {
	defer runtime.KeepAlive(d)
	return takeBytes(C.newt_pkdec_decrypt(d.p(), sptr(ephemeral), sz(len(ephemeral)),
		sptr(mac), sz(len(mac)), sptr(ciphertext), sz(len(ciphertext))))
}

// PkSigning is an OlmPkSigning in C memory (src/pk.cpp).
type PkSigning struct {
	ptr     *C.OlmPkSigning
	cleanup runtime.Cleanup
	pub     string
}

func (s *PkSigning) p() *C.OlmPkSigning {
	if s == nil || s.ptr == nil {
		freed("PkSigning")
	}
	return s.ptr
}

// Free clears (zeroes) and releases the object. It is safe to call twice.
func (s *PkSigning) Free() {
	if s == nil || s.ptr == nil {
		return
	}
	s.cleanup.Stop()
	C.newt_pksign_free(s.ptr)
	s.ptr = nil
}

// PkSigningFromSeed runs olm_pk_signing_key_from_seed with a 32-byte Ed25519
// seed.
func PkSigningFromSeed(seed []byte) (*PkSigning, error) {
	s := &PkSigning{ptr: C.newt_pksign_new()}
	s.cleanup = runtime.AddCleanup(s, func(p *C.OlmPkSigning) { C.newt_pksign_free(p) }, s.ptr)
	var pub [43]byte
	if err := cerr(C.newt_pksign_from_seed(s.ptr, ptr(seed), sz(len(seed)), u8(pub[:]))); err != nil {
		s.Free()
		return nil, err
	}
	s.pub = string(pub[:])
	return s, nil
}

// PublicKey returns the b64 Ed25519 public key.
func (s *PkSigning) PublicKey() string {
	s.p()
	return s.pub
}

// Sign runs olm_pk_sign: the b64 signature (86 characters).
func (s *PkSigning) Sign(msg []byte) string {
	defer runtime.KeepAlive(s)
	var sig [86]byte
	if err := cerr(C.newt_pksign_sign(s.p(), ptr(msg), sz(len(msg)), u8(sig[:]))); err != nil {
		panic("libolm: internal error: " + err.Error())
	}
	return string(sig[:])
}
