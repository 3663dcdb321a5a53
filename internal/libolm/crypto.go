// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

//go:build libolm

package libolm

// #include "shim.h"
import "C"

import "unsafe"

// This file binds the internal primitives that libolm.so.3 exports for its
// unit tests (declared in include/olm/crypto.h, base64.h, cipher.h,
// pickle_encoding.h, megolm.h and message.h).

// HKDF runs _olm_crypto_hkdf_sha256(ikm, salt, info) and returns n bytes. An
// empty salt is passed as NULL, which libolm replaces by 32 zero bytes (the
// same result as an empty salt). libolm's block counter is a uint8, so
// outputs longer than 255*32 bytes wrap instead of failing (src/crypto.cpp).
func HKDF(ikm, salt, info []byte, n int) []byte {
	if n <= 0 {
		return []byte{}
	}
	out := make([]byte, n)
	C._olm_crypto_hkdf_sha256((*C.uint8_t)(ptr(ikm)), sz(len(ikm)),
		(*C.uint8_t)(ptr(salt)), sz(len(salt)), (*C.uint8_t)(ptr(info)), sz(len(info)),
		u8(out), sz(n))
	return out
}

// HMACSHA256 runs _olm_crypto_hmac_sha256(key, msg).
func HMACSHA256(key, msg []byte) [32]byte {
	var out [32]byte
	C._olm_crypto_hmac_sha256(nz(key), sz(len(key)),
		nz(msg), sz(len(msg)), u8(out[:]))
	return out
}

// SHA256Raw runs _olm_crypto_sha256(in).
func SHA256Raw(in []byte) [32]byte {
	var out [32]byte
	C._olm_crypto_sha256(nz(in), sz(len(in)), u8(out[:]))
	return out
}

// AESEncryptCBC runs _olm_crypto_aes_encrypt_cbc: AES-256-CBC with PKCS#7
// padding, always adding 1 to 16 bytes.
func AESEncryptCBC(key *[32]byte, iv *[16]byte, pt []byte) []byte {
	out := make([]byte, int(C._olm_crypto_aes_encrypt_cbc_length(sz(len(pt)))))
	C._olm_crypto_aes_encrypt_cbc((*C.struct__olm_aes256_key)(unsafe.Pointer(key)),
		(*C.struct__olm_aes256_iv)(unsafe.Pointer(iv)), nz(pt),
		sz(len(pt)), u8(out))
	return out
}

// AESDecryptCBC runs _olm_crypto_aes_decrypt_cbc with libolm's lenient
// unpadding: only the last byte p is read, p == 0 strips nothing, and the
// only failure is p > len(ct) (src/crypto.cpp). libolm would read out of
// bounds for an empty ciphertext or one whose length is not a multiple of 16;
// the binding rejects those with BAD_MESSAGE_MAC instead of calling libolm.
func AESDecryptCBC(key *[32]byte, iv *[16]byte, ct []byte) ([]byte, error) {
	if len(ct) == 0 || len(ct)%16 != 0 {
		return nil, &Error{Name: errBadMessageMAC}
	}
	out := make([]byte, len(ct))
	n := C._olm_crypto_aes_decrypt_cbc((*C.struct__olm_aes256_key)(unsafe.Pointer(key)),
		(*C.struct__olm_aes256_iv)(unsafe.Pointer(iv)), u8(ct), sz(len(ct)), u8(out))
	if n == C.olm_error() {
		clear(out)
		return nil, &Error{Name: errBadMessageMAC}
	}
	return out[:n], nil
}

// Curve25519PublicKey runs _olm_crypto_curve25519_generate_key: priv is the
// raw (unclamped) private key as libolm stores it, clamped by curve25519-donna.
func Curve25519PublicKey(priv [32]byte) [32]byte {
	var pub [32]byte
	C.newt_curve25519_public(u8(priv[:]), u8(pub[:]))
	return pub
}

// Curve25519SharedSecret runs _olm_crypto_curve25519_shared_secret. libolm
// does not validate pub: low-order points give an all-zero secret.
func Curve25519SharedSecret(priv, pub [32]byte) [32]byte {
	var out [32]byte
	C.newt_curve25519_shared(u8(priv[:]), u8(pub[:]), u8(out[:]))
	return out
}

// Ed25519KeyFromSeed runs _olm_crypto_ed25519_generate_key: sk is the 64-byte
// expanded key (clamped SHA-512 of the seed) and pub its public key.
func Ed25519KeyFromSeed(seed [32]byte) (pub [32]byte, sk [64]byte) {
	C.newt_ed25519_from_seed(u8(seed[:]), u8(pub[:]), u8(sk[:]))
	return pub, sk
}

// Ed25519Sign runs _olm_crypto_ed25519_sign with the key pair (pub, sk);
// libolm hashes the stored pub without recomputing it.
func Ed25519Sign(pub [32]byte, sk [64]byte, msg []byte) [64]byte {
	var sig [64]byte
	C.newt_ed25519_sign(u8(pub[:]), u8(sk[:]), ptr(msg), sz(len(msg)), u8(sig[:]))
	return sig
}

// Ed25519VerifyRaw runs _olm_crypto_ed25519_verify (orlp rules: S is not
// required to be below L; lib/ed25519/src/verify.c).
func Ed25519VerifyRaw(pub [32]byte, msg []byte, sig [64]byte) bool {
	return C.newt_ed25519_verify_raw(u8(pub[:]), ptr(msg), sz(len(msg)), u8(sig[:])) != 0
}

// Base64Encode runs _olm_encode_base64 (unpadded standard alphabet).
func Base64Encode(b []byte) string {
	out := make([]byte, int(C._olm_encode_base64_length(sz(len(b)))))
	if len(out) > 0 {
		C._olm_encode_base64(u8(b), sz(len(b)), u8(out))
	}
	return string(out)
}

// Base64Decode runs libolm's lenient decoder _olm_decode_base64: characters
// are not validated and trailing bits are ignored; the only error is len(s)%4
// == 1, reported as INVALID_BASE64 (src/base64.cpp).
func Base64Decode(s string) ([]byte, error) {
	n := C._olm_decode_base64_length(sz(len(s)))
	if n == C.olm_error() {
		return nil, &Error{Name: errInvalidBase64}
	}
	out := make([]byte, int(n))
	if len(s) > 0 {
		C._olm_decode_base64((*C.uint8_t)(sptr(s)), sz(len(s)), nz(out))
	}
	return out, nil
}

// CipherEncrypt runs libolm's _olm_cipher_aes_sha_256 (src/cipher.cpp) with
// the HKDF info string info and key material key, laid out as Olm, Megolm and
// pickles use it: the output buffer is prefix ‖ ciphertext ‖ mac, and the
// 8-byte MAC covers prefix ‖ ciphertext (for pickles the prefix is empty).
func CipherEncrypt(info, key, prefix, plaintext []byte) (ciphertext []byte, mac [8]byte) {
	ctLen := int(C._olm_crypto_aes_encrypt_cbc_length(sz(len(plaintext))))
	out := make([]byte, len(prefix)+ctLen+8)
	copy(out, prefix)
	if C.newt_cipher_encrypt(ptr(info), sz(len(info)), ptr(key), sz(len(key)), ptr(plaintext),
		sz(len(plaintext)), u8(out), sz(len(prefix)), sz(ctLen)) == C.olm_error() {
		panic("libolm: internal error: cipher encrypt failed")
	}
	copy(mac[:], out[len(out)-8:])
	return out[len(prefix) : len(prefix)+ctLen], mac
}

// CipherEncryptDetached runs _olm_cipher_aes_sha_256 the way PK encryption
// does: the output buffer holds only the MAC, so the MAC is HMAC of the empty
// string and authenticates nothing (src/pk.cpp, olm_pk_encrypt).
func CipherEncryptDetached(info, key, plaintext []byte) (ciphertext []byte, mac [8]byte) {
	ct := make([]byte, int(C._olm_crypto_aes_encrypt_cbc_length(sz(len(plaintext)))))
	if C.newt_cipher_encrypt_detached(ptr(info), sz(len(info)), ptr(key), sz(len(key)),
		ptr(plaintext), sz(len(plaintext)), u8(ct), sz(len(ct)), u8(mac[:])) == C.olm_error() {
		panic("libolm: internal error: cipher encrypt failed")
	}
	return ct, mac
}

// CipherDecrypt runs _olm_cipher_aes_sha_256 decryption on prefix ‖
// ciphertext ‖ mac: the MAC is checked first (constant time), then the
// ciphertext is decrypted with libolm's lenient unpadding. Every failure is
// BAD_MESSAGE_MAC; an empty ciphertext or one that is not a multiple of 16
// bytes is rejected without calling libolm (which would read out of bounds).
func CipherDecrypt(info, key, prefix, ciphertext []byte, mac [8]byte) ([]byte, error) {
	if len(ciphertext) == 0 || len(ciphertext)%16 != 0 {
		return nil, &Error{Name: errBadMessageMAC}
	}
	in := make([]byte, 0, len(prefix)+len(ciphertext)+8)
	in = append(append(append(in, prefix...), ciphertext...), mac[:]...)
	pt := make([]byte, len(ciphertext))
	n := C.newt_cipher_decrypt(ptr(info), sz(len(info)), ptr(key), sz(len(key)), u8(in),
		sz(len(in)), sz(len(prefix)), u8(pt))
	if n == C.olm_error() {
		clear(pt)
		return nil, &Error{Name: errBadMessageMAC}
	}
	return pt[:n], nil
}

// PickleEncrypt runs _olm_enc_output: the libolm pickle envelope
// b64(AES-CBC(raw) ‖ HMAC(ciphertext)[:8]) with keys from HKDF(key, 0,
// "Pickle", 80) (src/pickle_encoding.c).
func PickleEncrypt(key, raw []byte) string {
	return mustString(C.newt_pickle_encrypt(ptr(key), sz(len(key)), ptr(raw), sz(len(raw))))
}

// PickleDecrypt runs _olm_enc_input and returns the raw pickle. Errors:
// INVALID_BASE64 (length), BAD_ACCOUNT_KEY (MAC or padding). A MAC-valid
// envelope whose ciphertext is empty or not a multiple of 16 bytes would make
// libolm read out of bounds, so it is rejected with BAD_ACCOUNT_KEY first.
func PickleDecrypt(key []byte, pickle string) ([]byte, error) {
	n := C._olm_decode_base64_length(sz(len(pickle)))
	if n == C.olm_error() {
		return nil, &Error{Name: errInvalidBase64}
	}
	if ct := int(n) - 8; ct <= 0 || ct%16 != 0 {
		return nil, &Error{Name: errBadAccountKey}
	}
	return takeBytes(C.newt_pickle_decrypt(ptr(key), sz(len(key)), sptr(pickle),
		sz(len(pickle))))
}

// MegolmRatchet is libolm's Megolm ratchet state (include/olm/megolm.h):
// R0‖R1‖R2‖R3 and the counter i.
type MegolmRatchet struct {
	// Data holds R0‖R1‖R2‖R3.
	Data [128]byte
	// Counter is the ratchet index i.
	Counter uint32
}

func (m *MegolmRatchet) run(f func(c *C.newt_megolm)) {
	var c C.newt_megolm
	C.megolm_init(&c, u8(m.Data[:]), C.uint32_t(m.Counter))
	f(&c)
	C.memcpy(unsafe.Pointer(&m.Data[0]), unsafe.Pointer(&c.data[0][0]), 128)
	m.Counter = uint32(c.counter)
	C.memset(unsafe.Pointer(&c), 0, C.size_t(unsafe.Sizeof(c)))
}

// Advance runs megolm_advance: one step of the ratchet.
func (m *MegolmRatchet) Advance() {
	m.run(func(c *C.newt_megolm) { C.megolm_advance(c) })
}

// AdvanceTo runs megolm_advance_to(i), which handles wrap-around.
func (m *MegolmRatchet) AdvanceTo(i uint32) {
	m.run(func(c *C.newt_megolm) { C.megolm_advance_to(c, C.uint32_t(i)) })
}

// MessageFields is what libolm's olm::decode_message reports for an Olm
// normal message (src/message.cpp). Slices alias the input; a missing field
// is nil (HasCounter for the counter).
type MessageFields struct {
	// Version is the first byte, 0 if the body is empty.
	Version byte
	// HasCounter reports whether field 2 was present.
	HasCounter bool
	// Counter is the chain index (field 2), wrapping as libolm does.
	Counter uint32
	// RatchetKey is field 1.
	RatchetKey []byte
	// Ciphertext is field 4.
	Ciphertext []byte
}

// DecodeMessage runs libolm's lenient olm::decode_message on b, whose last
// macLen bytes are the MAC and are not parsed.
func DecodeMessage(b []byte, macLen int) MessageFields {
	if len(b) == 0 || macLen < 0 {
		return MessageFields{}
	}
	// Decode a C copy so that libolm's result pointers never point into Go
	// memory.
	c := C.CBytes(b)
	defer C.free(c)
	var r C.newt_msg_reader
	C._ZN3olm14decode_messageERNS_13MessageReaderEPKhmm(&r, (*C.uint8_t)(c), sz(len(b)),
		sz(macLen))
	return MessageFields{
		Version:    byte(r.version),
		HasCounter: r.has_counter != 0,
		Counter:    uint32(r.counter),
		RatchetKey: subslice(b, c, unsafe.Pointer(r.ratchet_key), int(r.ratchet_key_length)),
		Ciphertext: subslice(b, c, unsafe.Pointer(r.ciphertext), int(r.ciphertext_length)),
	}
}

// GroupMessageFields is what libolm's _olm_decode_group_message reports for a
// Megolm message (src/message.cpp). Slices alias the input; a missing
// ciphertext is nil.
type GroupMessageFields struct {
	// Version is the first byte, 0 if the body is empty.
	Version byte
	// HasIndex reports whether field 1 was present.
	HasIndex bool
	// Index is the message index (field 1).
	Index uint32
	// Ciphertext is field 2, nil if absent.
	Ciphertext []byte
}

// DecodeGroupMessage runs libolm's lenient _olm_decode_group_message on b,
// whose last macLen+sigLen bytes are the MAC and signature.
func DecodeGroupMessage(b []byte, macLen, sigLen int) GroupMessageFields {
	if len(b) == 0 || macLen < 0 || sigLen < 0 {
		return GroupMessageFields{}
	}
	c := C.CBytes(b)
	defer C.free(c)
	var r C.struct__OlmDecodeGroupMessageResults
	C._olm_decode_group_message((*C.uint8_t)(c), sz(len(b)), sz(macLen), sz(sigLen), &r)
	return GroupMessageFields{
		Version:    byte(r.version),
		HasIndex:   r.has_message_index != 0,
		Index:      uint32(r.message_index),
		Ciphertext: subslice(b, c, unsafe.Pointer(r.ciphertext), int(r.ciphertext_length)),
	}
}

// subslice maps a pointer p into the C copy base of b back to the matching
// subslice of b (nil for NULL).
func subslice(b []byte, base, p unsafe.Pointer, n int) []byte {
	if p == nil {
		return nil
	}
	off := int(uintptr(p) - uintptr(base))
	if off < 0 || n < 0 || off+n > len(b) {
		panic("libolm: internal error: decoder result outside its input")
	}
	return b[off : off+n : off+n]
}
