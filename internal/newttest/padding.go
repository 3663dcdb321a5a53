// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package newttest

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"

	"github.com/newt-e2ee/newt/internal/aessha2"
)

// BadPaddings are plaintext blocks (before encryption, no padding added)
// that an honest sender never produces: each fails the strict PKCS#7 check
// of checklist row C9. DIVERGENCE: libolm reads only the last padding byte,
// so it accepts the "inconsistent" cases; newt checks every padding byte.
var BadPaddings = map[string][]byte{
	"empty":                         {},
	"pad byte 0":                    append(make([]byte, 15), 0),
	"pad byte 17":                   append(make([]byte, 15), 17),
	"pad byte 0xff":                 append(make([]byte, 15), 0xff),
	"inconsistent 2 (libolm: ok)":   append(make([]byte, 14), 3, 2),
	"inconsistent 16 (libolm: ok)":  append(bytes.Repeat([]byte{16}, 15)[:14], 15, 16, 16)[:16],
	"two blocks, last pad byte 33":  append(make([]byte, 31), 33),
	"two blocks, inconsistent 0x10": append(append(make([]byte, 16), bytes.Repeat([]byte{16}, 14)...), 0, 16),
}

// BadCiphertextLengths are ciphertext lengths that are not a non-zero
// multiple of the AES block size (checklist row C9).
var BadCiphertextLengths = map[string]int{"15 bytes": 15, "17 bytes": 17, "1 byte": 1, "31 bytes": 31}

// CBCRaw encrypts data (a multiple of 16 bytes) with k's key and IV and no
// padding, so that a test can choose the padding bytes.
func CBCRaw(k *aessha2.Keys, data []byte) []byte {
	b, err := aes.NewCipher(k.AESKey[:])
	if err != nil {
		panic(err)
	}
	out := make([]byte, len(data))
	cipher.NewCBCEncrypter(b, k.IV[:]).CryptBlocks(out, data)
	return out
}
