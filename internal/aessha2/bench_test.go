// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package aessha2_test

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"strconv"
	"testing"

	"github.com/newt-e2ee/newt/internal/aessha2"
)

var (
	sinkBytes []byte
	sinkSum   [32]byte
)

// header stands in for the Megolm message header the MAC also covers.
var header = []byte{3, 8, 0xc8, 0x01, 0x12}

// BenchmarkEncrypt is one Megolm message as the protocol does it: derive the
// keys from the 128-byte ratchet, encrypt, MAC header ‖ ciphertext.
func BenchmarkEncrypt(b *testing.B) {
	for _, size := range []int{256, 4096} {
		pt := make([]byte, size)
		ratchet := make([]byte, 128)
		b.Run("size="+strconv.Itoa(size)+"/impl=newt", func(b *testing.B) {
			buf := make([]byte, 0, len(header)+aessha2.EncryptedLen(size)+aessha2.TruncatedMACSize)
			b.ReportAllocs()
			b.SetBytes(int64(size))
			for b.Loop() {
				var k aessha2.Keys
				aessha2.DeriveKeys(&k, ratchet, aessha2.InfoMegolmKeys)
				msg := append(buf[:0], header...)
				msg = k.AppendEncrypt(msg, pt)
				msg = k.AppendMAC(msg, msg, aessha2.TruncatedMACSize)
				sinkBytes = msg
			}
		})
		b.Run("size="+strconv.Itoa(size)+"/impl=stdlib", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(size))
			for b.Loop() {
				okm, _ := hkdf.Key(sha256.New, ratchet, nil, aessha2.InfoMegolmKeys, 80)
				n := size + 16 - size%16
				msg := make([]byte, len(header)+n, len(header)+n+8)
				copy(msg, header)
				copy(msg[len(header):], pt)
				for i := len(header) + size; i < len(msg); i++ {
					msg[i] = byte(16 - size%16)
				}
				blk, _ := aes.NewCipher(okm[:32])
				cipher.NewCBCEncrypter(blk, okm[64:80]).CryptBlocks(msg[len(header):], msg[len(header):])
				h := hmac.New(sha256.New, okm[32:64])
				h.Write(msg)
				msg = append(msg, h.Sum(nil)[:8]...)
				sinkBytes = msg
			}
		})
	}
}

// BenchmarkDecrypt is the reverse: derive, verify the MAC, decrypt.
func BenchmarkDecrypt(b *testing.B) {
	for _, size := range []int{256, 4096} {
		pt := make([]byte, size)
		ratchet := make([]byte, 128)
		var k aessha2.Keys
		aessha2.DeriveKeys(&k, ratchet, aessha2.InfoMegolmKeys)
		msg := k.AppendEncrypt(append([]byte(nil), header...), pt)
		msg = k.AppendMAC(msg, msg, aessha2.TruncatedMACSize)
		body, mac := msg[:len(msg)-8], msg[len(msg)-8:]
		ct := body[len(header):]
		b.Run("size="+strconv.Itoa(size)+"/impl=newt", func(b *testing.B) {
			dst := make([]byte, 0, len(ct))
			b.ReportAllocs()
			b.SetBytes(int64(size))
			for b.Loop() {
				var k aessha2.Keys
				aessha2.DeriveKeys(&k, ratchet, aessha2.InfoMegolmKeys)
				if !k.VerifyMAC(body, mac, aessha2.TruncatedMACSize) {
					b.Fatal("bad MAC")
				}
				out, err := k.Decrypt(dst, ct)
				if err != nil {
					b.Fatal(err)
				}
				sinkBytes = out
			}
		})
		b.Run("size="+strconv.Itoa(size)+"/impl=stdlib", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(size))
			for b.Loop() {
				okm, _ := hkdf.Key(sha256.New, ratchet, nil, aessha2.InfoMegolmKeys, 80)
				h := hmac.New(sha256.New, okm[32:64])
				h.Write(body)
				if !hmac.Equal(h.Sum(nil)[:8], mac) {
					b.Fatal("bad MAC")
				}
				out := make([]byte, len(ct))
				blk, _ := aes.NewCipher(okm[:32])
				cipher.NewCBCDecrypter(blk, okm[64:80]).CryptBlocks(out, ct)
				sinkBytes = out[:len(out)-int(out[len(out)-1])]
			}
		})
	}
}

func BenchmarkDeriveKeys(b *testing.B) {
	for _, n := range []int{32, 128} {
		ikm := make([]byte, n)
		b.Run("ikm="+strconv.Itoa(n)+"/impl=newt", func(b *testing.B) {
			b.ReportAllocs()
			var k aessha2.Keys
			for b.Loop() {
				aessha2.DeriveKeys(&k, ikm, aessha2.InfoMegolmKeys)
			}
			sinkSum = k.MACKey
		})
		b.Run("ikm="+strconv.Itoa(n)+"/impl=stdlib", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				okm, _ := hkdf.Key(sha256.New, ikm, nil, aessha2.InfoMegolmKeys, 80)
				sinkBytes = okm
			}
		})
	}
}

func BenchmarkHMAC(b *testing.B) {
	key := make([]byte, 32)
	for _, size := range []int{1, 256, 4096} {
		msg := make([]byte, size)
		b.Run("size="+strconv.Itoa(size)+"/impl=newt", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(size))
			for b.Loop() {
				aessha2.HMAC(&sinkSum, key, msg)
			}
		})
		b.Run("size="+strconv.Itoa(size)+"/impl=stdlib", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(size))
			for b.Loop() {
				h := hmac.New(sha256.New, key)
				h.Write(msg)
				sinkBytes = h.Sum(nil)
			}
		})
	}
}

func BenchmarkHKDF(b *testing.B) {
	// The Olm ratchet step: 64 bytes from a 32-byte DH output, salted with
	// the root key.
	ikm, salt := make([]byte, 32), make([]byte, 32)
	out := make([]byte, 64)
	b.Run("impl=newt", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			aessha2.HKDF(out, ikm, salt, "OLM_RATCHET")
		}
	})
	b.Run("impl=stdlib", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkBytes, _ = hkdf.Key(sha256.New, ikm, salt, "OLM_RATCHET", 64)
		}
	})
}

// BenchmarkCBC times AES-256-CBC alone (key schedule included, no HKDF or
// MAC) at the sizes around the chunking of Decrypt and of typical messages
// and pickles, against crypto/cipher's CBC modes.
func BenchmarkCBC(b *testing.B) {
	var k aessha2.Keys
	aessha2.DeriveKeys(&k, []byte("bench"), aessha2.InfoMegolmKeys)
	for _, size := range []int{16, 64, 256, 512, 1024, 4096, 16384} {
		pt := make([]byte, size-16)
		ct := k.AppendEncrypt(nil, pt)
		dst := make([]byte, 0, size)
		b.Run("op=encrypt/size="+strconv.Itoa(size)+"/impl=newt", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(size))
			for b.Loop() {
				sinkBytes = k.AppendEncrypt(dst[:0], pt)
			}
		})
		b.Run("op=encrypt/size="+strconv.Itoa(size)+"/impl=stdlib", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(size))
			for b.Loop() {
				blk, _ := aes.NewCipher(k.AESKey[:])
				cipher.NewCBCEncrypter(blk, k.IV[:]).CryptBlocks(dst[:size], ct)
			}
		})
		b.Run("op=decrypt/size="+strconv.Itoa(size)+"/impl=newt", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(size))
			for b.Loop() {
				sinkBytes, _ = k.Decrypt(dst[:0], ct)
			}
		})
		b.Run("op=decrypt/size="+strconv.Itoa(size)+"/impl=stdlib", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(size))
			for b.Loop() {
				blk, _ := aes.NewCipher(k.AESKey[:])
				cipher.NewCBCDecrypter(blk, k.IV[:]).CryptBlocks(dst[:size], ct)
			}
		})
	}
}
