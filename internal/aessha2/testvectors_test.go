// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package aessha2_test

import (
	"bytes"
	"testing"

	"github.com/newt-e2ee/newt/internal/aessha2"
	"github.com/newt-e2ee/newt/testvectors"
)

// Known answers generated from libolm (testvectors/primitives.json), so a
// plain go test without libolm still checks byte compatibility.

func TestVectorsHKDF(t *testing.T) {
	p := testvectors.Load[testvectors.Primitives](t, "primitives.json")
	for i, c := range p.HKDF {
		out := make([]byte, c.Length)
		aessha2.HKDF(out, c.IKM, c.Salt, string(c.Info))
		if !bytes.Equal(out, c.Out) {
			t.Errorf("hkdf[%d] (%s):\n got %x\nwant %x", i, c.Comment, out, c.Out)
		}
		if len(c.Info) == 0 || c.Length != 80 || len(c.Salt) != 0 {
			continue
		}
		var k aessha2.Keys
		aessha2.DeriveKeys(&k, c.IKM, string(c.Info))
		if !bytes.Equal(bytes.Join([][]byte{k.AESKey[:], k.MACKey[:], k.IV[:]}, nil), c.Out) {
			t.Errorf("hkdf[%d] (%s): DeriveKeys differs", i, c.Comment)
		}
	}
}

func TestVectorsHMAC(t *testing.T) {
	p := testvectors.Load[testvectors.Primitives](t, "primitives.json")
	for i, c := range p.HMAC {
		var out [32]byte
		aessha2.HMAC(&out, c.Key, c.Msg)
		if !bytes.Equal(out[:], c.MAC) {
			t.Errorf("hmac[%d] (%s): got %x", i, c.Comment, out)
		}
	}
}

func TestVectorsAESCBC(t *testing.T) {
	p := testvectors.Load[testvectors.Primitives](t, "primitives.json")
	for i, c := range p.AESCBC {
		var k aessha2.Keys
		copy(k.AESKey[:], c.Key)
		copy(k.IV[:], c.IV)
		if ct := k.AppendEncrypt(nil, c.Plaintext); !bytes.Equal(ct, c.Ciphertext) {
			t.Errorf("aes_cbc[%d] (%s): got %x", i, c.Comment, ct)
		}
		if len(c.Ciphertext) != aessha2.EncryptedLen(len(c.Plaintext)) {
			t.Errorf("aes_cbc[%d]: EncryptedLen(%d) = %d", i, len(c.Plaintext), aessha2.EncryptedLen(len(c.Plaintext)))
		}
		pt, err := k.Decrypt(nil, c.Ciphertext)
		if err != nil || !bytes.Equal(pt, c.Plaintext) {
			t.Errorf("aes_cbc[%d] (%s): decrypt %x, %v", i, c.Comment, pt, err)
		}
	}
}

func TestVectorsAESSHA2(t *testing.T) {
	p := testvectors.Load[testvectors.Primitives](t, "primitives.json")
	for i, c := range p.AESSHA2 {
		var k aessha2.Keys
		aessha2.DeriveKeys(&k, c.IKM, c.Info)
		if !bytes.Equal(k.AESKey[:], c.AESKey) || !bytes.Equal(k.MACKey[:], c.MACKey) || !bytes.Equal(k.IV[:], c.IV) {
			t.Errorf("aes_sha2[%d] (%s): derived keys differ", i, c.Comment)
			continue
		}
		// Encrypt: prefix ‖ ciphertext, then the truncated MAC.
		msg := k.AppendEncrypt(bytes.Clone(c.Prefix), c.Plaintext)
		if !bytes.Equal(msg[len(c.Prefix):], c.Ciphertext) {
			t.Errorf("aes_sha2[%d] (%s): ciphertext differs", i, c.Comment)
		}
		macIn := msg
		if !c.MACOverCiphertext {
			macIn = nil
		}
		if mac := k.AppendMAC(nil, macIn, aessha2.TruncatedMACSize); !bytes.Equal(mac, c.MAC) {
			t.Errorf("aes_sha2[%d] (%s): MAC %x, want %x", i, c.Comment, mac, c.MAC)
		}
		// Decrypt direction: verify libolm's MAC, then decrypt.
		if !k.VerifyMAC(macIn, c.MAC, aessha2.TruncatedMACSize) {
			t.Errorf("aes_sha2[%d] (%s): VerifyMAC rejects libolm's MAC", i, c.Comment)
		}
		if pt, err := k.Decrypt(nil, c.Ciphertext); err != nil || !bytes.Equal(pt, c.Plaintext) {
			t.Errorf("aes_sha2[%d] (%s): decrypt %x, %v", i, c.Comment, pt, err)
		}
		// One-shot forms (pickles and pk have no prefix).
		if len(c.Prefix) == 0 {
			ct, mac := aessha2.Seal(c.IKM, c.Info, c.Plaintext, c.MACOverCiphertext)
			if !bytes.Equal(ct, c.Ciphertext) || !bytes.Equal(mac[:], c.MAC) {
				t.Errorf("aes_sha2[%d] (%s): Seal differs", i, c.Comment)
			}
			pt, err := aessha2.Open(c.IKM, c.Info, c.Ciphertext, c.MAC, c.MACOverCiphertext)
			if err != nil || !bytes.Equal(pt, c.Plaintext) {
				t.Errorf("aes_sha2[%d] (%s): Open %x, %v", i, c.Comment, pt, err)
			}
		}
	}
}
