// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package aessha2

// Reviewer's note: names and layout follow libolm's _olm_cipher_aes_sha_256
// (src/cipher.cpp) so the code can be reviewed side by side. CBC is done on
// scratch buffers inside the pooled state: that avoids the
// cipher.NewCBC{En,De}crypter allocation and keeps caller slices away from
// the cipher.Block interface (which would make them escape). Measured with Go
// 1.26 on amd64, cipher.NewCBCDecrypter is no faster than this: its
// CryptBlocks is a per-block loop there too (only s390x and ppc64 have CBC
// assembly), and it costs an allocation and a copy of the key schedule.

import (
	"crypto/aes"
	"crypto/hmac"
	"crypto/subtle"
	"errors"
	"slices"
)

// HKDF info labels used by the protocols (libolm src/session.cpp,
// src/megolm.c, src/pickle_encoding.c, src/pk.cpp).
const (
	// InfoOlmKeys derives the keys of one Olm message from its message key.
	InfoOlmKeys = "OLM_KEYS"
	// InfoMegolmKeys derives the keys of one Megolm message from the ratchet.
	InfoMegolmKeys = "MEGOLM_KEYS"
	// InfoPickle derives the pickle encryption keys from the pickle key.
	InfoPickle = "Pickle"
	// InfoPK derives the m.megolm_backup.v1.curve25519-aes-sha2 keys from
	// the X25519 shared secret. It is the empty string.
	InfoPK = ""
)

// MAC sizes.
const (
	// TruncatedMACSize is the MAC length of Olm v3 and Megolm v3 messages,
	// pickles and pk: the first 8 bytes of the HMAC-SHA-256 tag.
	TruncatedMACSize = 8
	// MACSize is the length of a full HMAC-SHA-256 tag.
	MACSize = 32
)

// Key and block sizes.
const (
	// AESKeySize is the AES-256 key length.
	AESKeySize = 32
	// MACKeySize is the HMAC-SHA-256 key length produced by [DeriveKeys].
	MACKeySize = 32
	// IVSize is the AES-CBC IV length (one AES block).
	IVSize = aes.BlockSize

	keysSize = AESKeySize + MACKeySize + IVSize // 80
)

// Errors returned by decryption. Callers that must not reveal which check
// failed (every protocol in newt) map all of them to their own "bad MAC"
// error.
var (
	// ErrBadMAC means the MAC did not match or had the wrong length.
	ErrBadMAC = errors.New("aessha2: bad MAC")
	// ErrBadPadding means the decrypted PKCS#7 padding was invalid.
	ErrBadPadding = errors.New("aessha2: bad padding")
	// ErrBadLength means the ciphertext was empty or not a multiple of the
	// AES block size.
	ErrBadLength = errors.New("aessha2: bad ciphertext length")
)

// Keys holds the output of HKDF(ikm, 0³², info, 80): the AES-256 key, the
// HMAC-SHA-256 key and the CBC IV, in that order (libolm src/cipher.cpp,
// derive_keys). Its methods other than Clear only read it, so one Keys may be
// used by several goroutines at once as long as none of them changes it.
type Keys struct {
	// AESKey is bytes 0..32 of the HKDF output.
	AESKey [AESKeySize]byte
	// MACKey is bytes 32..64 of the HKDF output.
	MACKey [MACKeySize]byte
	// IV is bytes 64..80 of the HKDF output.
	IV [IVSize]byte
}

// DeriveKeys sets k to HKDF-SHA-256(ikm, zero salt, info) split into the AES
// key, the MAC key and the IV (libolm src/cipher.cpp, derive_keys). It does
// not allocate.
func DeriveKeys(k *Keys, ikm []byte, info string) {
	st := getState()
	st.hkdf(st.okm[:], ikm, nil, info)
	copy(k.AESKey[:], st.okm[0:32])
	copy(k.MACKey[:], st.okm[32:64])
	copy(k.IV[:], st.okm[64:80])
	putState(st)
}

// Clear overwrites k with zeros (best effort; see the package doc).
func (k *Keys) Clear() {
	clear(k.AESKey[:])
	clear(k.MACKey[:])
	clear(k.IV[:])
}

// EncryptedLen returns the length of the AES-CBC/PKCS#7 ciphertext of an
// n-byte plaintext: PKCS#7 always adds 1 to 16 bytes.
func EncryptedLen(n int) int {
	return n + aes.BlockSize - n%aes.BlockSize
}

// AppendEncrypt appends AES-256-CBC(AESKey, IV, PKCS#7(plaintext)) to dst and
// returns the extended slice (libolm src/cipher.cpp,
// aes_sha_256_cipher_encrypt). It allocates only the AES key schedule and, if
// dst lacks capacity, the grown output. The output may overlap plaintext only
// if it starts at the same address (in-place).
func (k *Keys) AppendEncrypt(dst, plaintext []byte) []byte {
	n := EncryptedLen(len(plaintext))
	ret, out := sliceForAppend(dst, n)

	block, err := aes.NewCipher(k.AESKey[:])
	if err != nil {
		panic("aessha2: internal error: " + err.Error()) // unreachable: the key is 32 bytes
	}
	// CBC encryption is a chain: each block waits for the previous one.
	// Chunks of whole blocks are encrypted in a scratch buffer, each block
	// XORed into place and encrypted where it lies (16-byte stores and
	// loads, which the CPU forwards), then copied out. No caller slice
	// reaches the cipher.Block interface.
	st := getState()
	buf := st.buf[:]
	prev := k.IV[:]
	full := len(plaintext) &^ (aes.BlockSize - 1)
	used := min(full, chunkSize)
	for off := 0; off < full; {
		m := min(full-off, chunkSize)
		for i := 0; i < m; i += aes.BlockSize {
			c := buf[i : i+aes.BlockSize]
			subtle.XORBytes(c, plaintext[off+i:off+i+aes.BlockSize], prev)
			block.Encrypt(c, c)
			prev = c
		}
		copy(out[off:off+m], buf[:m])
		// The last block of the chunk chains into the next one; keep it
		// where the next chunk will not overwrite it before it is read.
		copy(st.blk[:], prev)
		prev = st.blk[:]
		off += m
	}
	clear(buf[:used])
	// Final block: the tail of the plaintext plus 1..16 padding bytes.
	blk := st.blk[:]
	copy(blk, prev)
	rest := len(plaintext) - full
	pad := byte(aes.BlockSize - rest)
	for j := 0; j < aes.BlockSize; j++ {
		if j < rest {
			blk[j] ^= plaintext[full+j]
		} else {
			blk[j] ^= pad
		}
	}
	block.Encrypt(blk, blk)
	copy(out[full:], blk)
	putState(st)
	return ret
}

// Decrypt decrypts an AES-256-CBC ciphertext under k, removes the PKCS#7
// padding, appends the plaintext to dst and returns the extended slice
// (libolm src/cipher.cpp, aes_sha_256_cipher_decrypt). Verify the MAC first.
//
// Unlike libolm, Decrypt rejects a ciphertext that is empty or not a multiple
// of 16 bytes ([ErrBadLength]) and padding that is not 1..16 copies of its
// length byte ([ErrBadPadding], checked in constant time). On error it returns
// nil and clears the bytes it wrote into dst's spare capacity. The output may
// overlap ciphertext only if it starts at the same address (in-place).
func (k *Keys) Decrypt(dst, ciphertext []byte) ([]byte, error) {
	n := len(ciphertext)
	if n == 0 || n%aes.BlockSize != 0 {
		return nil, ErrBadLength
	}
	ret, out := sliceForAppend(dst, n)

	block, err := aes.NewCipher(k.AESKey[:])
	if err != nil {
		panic("aessha2: internal error: " + err.Error()) // unreachable: the key is 32 bytes
	}
	// The block decryptions of CBC are independent of each other; only the
	// XOR with the previous ciphertext block chains them. Decrypting a chunk
	// of blocks from one scratch buffer into another lets the CPU overlap
	// the AES work of consecutive blocks (about twice as fast from 256 bytes
	// up as decrypting each block in place in one scratch block, which makes
	// every block wait for the previous one through memory). The chunk is
	// copied in before out is written, so in-place decryption works, and no
	// caller slice reaches the cipher.Block interface.
	st := getState()
	in, dec := st.cbcIn[:], st.buf[:]
	copy(in[:aes.BlockSize], k.IV[:])
	used := min(n, chunkSize)
	for off := 0; off < n; {
		m := min(n-off, chunkSize)
		copy(in[aes.BlockSize:aes.BlockSize+m], ciphertext[off:off+m])
		for i := 0; i < m; i += aes.BlockSize {
			block.Decrypt(dec[i:i+aes.BlockSize], in[aes.BlockSize+i:2*aes.BlockSize+i])
		}
		subtle.XORBytes(out[off:off+m], dec[:m], in[:m])
		copy(in[:aes.BlockSize], in[m:m+aes.BlockSize])
		off += m
	}
	clear(dec[:used])
	clear(in[:aes.BlockSize+used])
	putState(st)

	// Strict PKCS#7 in constant time: 1 <= p <= 16 and the last p bytes
	// all equal p.
	last := out[n-aes.BlockSize:]
	p := last[aes.BlockSize-1]
	good := subtle.ConstantTimeLessOrEq(1, int(p)) & subtle.ConstantTimeLessOrEq(int(p), aes.BlockSize)
	for j := 0; j < aes.BlockSize; j++ {
		inPad := subtle.ConstantTimeLessOrEq(aes.BlockSize-j, int(p)) // j >= 16-p
		eq := subtle.ConstantTimeByteEq(last[j], p)
		good &= subtle.ConstantTimeSelect(inPad, eq, 1)
	}
	if good != 1 {
		clear(out)
		return nil, ErrBadPadding
	}
	return ret[:len(ret)-int(p)], nil
}

// MAC sets out to the full HMAC-SHA-256(MACKey, data) (libolm src/cipher.cpp;
// callers keep the first 8 bytes). It does not allocate.
func (k *Keys) MAC(out *[32]byte, data []byte) {
	HMAC(out, k.MACKey[:], data)
}

// AppendMAC appends the first size bytes of HMAC-SHA-256(MACKey, data) to
// dst. size is [TruncatedMACSize] or [MACSize]; values outside 0..32 are
// clamped to that range.
func (k *Keys) AppendMAC(dst, data []byte, size int) []byte {
	size = min(max(size, 0), MACSize)
	var tag [MACSize]byte
	k.MAC(&tag, data)
	dst = append(dst, tag[:size]...)
	return dst
}

// VerifyMAC reports whether mac is exactly the first size bytes of
// HMAC-SHA-256(MACKey, data). The length is checked first (it is public),
// the bytes are compared in constant time. A size outside 1..32 never
// verifies.
func (k *Keys) VerifyMAC(data, mac []byte, size int) bool {
	if size < 1 || size > MACSize || len(mac) != size {
		return false
	}
	var tag [MACSize]byte
	k.MAC(&tag, data)
	ok := hmac.Equal(tag[:size], mac)
	clear(tag[:])
	return ok
}

// sliceForAppend extends in by n bytes, growing it at most once, and returns
// the whole slice and the new tail.
func sliceForAppend(in []byte, n int) (head, tail []byte) {
	head = slices.Grow(in, n)[:len(in)+n]
	tail = head[len(in):]
	return head, tail
}
