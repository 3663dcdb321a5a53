// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package aessha2

// One-shot forms of the cipher that only the tests use; the library works
// with [Keys] directly.

// Seal is a one-shot form of the cipher as pickles and pk use it: it derives
// the keys from ikm and info, encrypts plaintext, and computes the truncated
// MAC over the ciphertext (macOverCiphertext, pickles) or over nothing at all
// (pk, whose MAC is HMAC(mac_key, "")[:8], libolm src/pk.cpp,
// olm_pk_encrypt).
func Seal(ikm []byte, info string, plaintext []byte, macOverCiphertext bool) (ct []byte, mac [TruncatedMACSize]byte) {
	var k Keys
	DeriveKeys(&k, ikm, info)
	ct = k.AppendEncrypt(nil, plaintext)
	var tag [MACSize]byte
	if macOverCiphertext {
		k.MAC(&tag, ct)
	} else {
		k.MAC(&tag, nil)
	}
	copy(mac[:], tag[:])
	k.Clear()
	return ct, mac
}

// Open reverses [Seal]: it derives the keys, checks that mac is the
// [TruncatedMACSize]-byte MAC (over ciphertext if macOverCiphertext, else
// over nothing) and only then decrypts. It returns [ErrBadMAC],
// [ErrBadLength] or [ErrBadPadding] on failure.
func Open(ikm []byte, info string, ciphertext, mac []byte, macOverCiphertext bool) ([]byte, error) {
	var k Keys
	DeriveKeys(&k, ikm, info)
	defer k.Clear()
	covered := ciphertext
	if !macOverCiphertext {
		covered = nil
	}
	if !k.VerifyMAC(covered, mac, TruncatedMACSize) {
		return nil, ErrBadMAC
	}
	return k.Decrypt(nil, ciphertext)
}
