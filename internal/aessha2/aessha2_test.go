// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package aessha2_test

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/newt-e2ee/newt/internal/aessha2"
	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/internal/x25519"
	"github.com/newt-e2ee/newt/testvectors"
)

// TestHKDFNullSalt checks that a nil, an empty and an all-zero 32-byte salt
// give the same output, as libolm's NULL salt does. The value itself is
// primitives.json's (TestVectorsHKDF).
func TestHKDFNullSalt(t *testing.T) {
	ikm := bytes.Repeat([]byte{0x0b}, 22)
	info := string(newttest.Hex(t, "f0f1f2f3f4f5f6f7f8f9"))
	want := make([]byte, 42)
	aessha2.HKDF(want, ikm, nil, info)
	for _, salt := range [][]byte{{}, make([]byte, 32)} {
		got := make([]byte, 42)
		aessha2.HKDF(got, ikm, salt, info)
		if !bytes.Equal(got, want) {
			t.Fatalf("salt %x: got %x, NULL salt gives %x", salt, got, want)
		}
	}
}

// TestPKEncryptionVector reproduces libolm's "Encryption Test Case 1"
// (tests/test_pk.cpp): the PK MAC covers nothing, the HKDF info is empty.
func TestPKEncryptionVector(t *testing.T) {
	ans := testvectors.LoadAnswers(t)
	alicePriv := ans.Get("rfc7748/alice_private_hex")
	bobPriv := ans.Get("rfc7748/bob_private_hex")
	var eph x25519.PrivateKey
	copy(eph[:], newttest.Hex(t, bobPriv))
	var recipient x25519.PrivateKey
	copy(recipient[:], newttest.Hex(t, alicePriv))
	recipientPub := x25519.PublicKey(&recipient)
	secret, err := x25519.DH(&eph, &recipientPub)
	if err != nil {
		t.Fatal(err)
	}

	ct, mac := aessha2.Seal(secret[:], aessha2.InfoPK, []byte(ans.Get("pk/plaintext")), false)
	if want := newttest.Base64(t, ans.Get("pk/ciphertext_base64")); !bytes.Equal(ct, want) {
		t.Errorf("ciphertext %x, want %x", ct, want)
	}
	if want := newttest.Base64(t, ans.Get("pk/mac_base64")); !bytes.Equal(mac[:], want) {
		t.Errorf("mac %x, want %x", mac, want)
	}
	// The MAC libolm would have produced had it covered the ciphertext.
	_, mac2 := aessha2.Seal(secret[:], aessha2.InfoPK, []byte(ans.Get("pk/plaintext")), true)
	if want := newttest.Base64(t, ans.Get("pk/mac_over_ciphertext_base64")); !bytes.Equal(mac2[:], want) {
		t.Errorf("mac over ciphertext %x, want %x", mac2, want)
	}

	pt, err := aessha2.Open(secret[:], aessha2.InfoPK, ct, mac[:], false)
	if err != nil || string(pt) != ans.Get("pk/plaintext") {
		t.Fatalf("Open = %q, %v", pt, err)
	}
}

// TestPicklePKVector opens libolm's PkDecryption pickle from
// tests/test_pk.cpp and re-seals it byte for byte.
func TestPicklePKVector(t *testing.T) {
	ans := testvectors.LoadAnswers(t)
	alicePriv := ans.Get("rfc7748/alice_private_hex")
	raw := newttest.Base64(t, ans.Get("pk/pickle"))
	ct, mac := raw[:len(raw)-8], raw[len(raw)-8:]
	key := []byte("secret_key")
	pt, err := aessha2.Open(key, aessha2.InfoPickle, ct, mac, true)
	if err != nil {
		t.Fatal(err)
	}
	want := append(newttest.Hex(t, "00000001"), newttest.Hex(t, ans.Get("rfc7748/alice_public_hex"))...)
	want = append(want, newttest.Hex(t, alicePriv)...)
	if !bytes.Equal(pt, want) {
		t.Fatalf("plaintext %x, want %x", pt, want)
	}
	ct2, mac2 := aessha2.Seal(key, aessha2.InfoPickle, pt, true)
	if !bytes.Equal(ct2, ct) || !bytes.Equal(mac2[:], mac) {
		t.Fatal("re-sealed pickle differs from libolm's")
	}
	if _, err := aessha2.Open([]byte("secret_kez"), aessha2.InfoPickle, ct, mac, true); !errors.Is(err, aessha2.ErrBadMAC) {
		t.Fatalf("wrong key: %v", err)
	}
}

func randBytes(r *rand.ChaCha8, n int) []byte {
	b := make([]byte, n)
	r.Read(b)
	return b
}

func TestHMACMatchesStdlib(t *testing.T) {
	r := rand.NewChaCha8([32]byte{1})
	rr := rand.New(r)
	keyLens := []int{0, 1, 31, 32, 33, 63, 64, 65, 128, 256, 300}
	msgLens := []int{0, 1, 55, 56, 63, 64, 65, 511, 512, 513, 1024, 4096, 5000}
	for _, kl := range keyLens {
		for _, ml := range msgLens {
			key, msg := randBytes(r, kl), randBytes(r, ml)
			var got [32]byte
			aessha2.HMAC(&got, key, msg)
			h := hmac.New(sha256.New, key)
			h.Write(msg)
			if want := h.Sum(nil); !bytes.Equal(got[:], want) {
				t.Fatalf("key %d msg %d: got %x want %x", kl, ml, got, want)
			}
		}
	}
	for range 500 {
		key, msg := randBytes(r, rr.IntN(300)), randBytes(r, rr.IntN(2000))
		var got [32]byte
		aessha2.HMAC(&got, key, msg)
		h := hmac.New(sha256.New, key)
		h.Write(msg)
		if want := h.Sum(nil); !bytes.Equal(got[:], want) {
			t.Fatalf("key %x msg %x: got %x want %x", key, msg, got, want)
		}
	}
}

func TestHKDFMatchesStdlib(t *testing.T) {
	r := rand.NewChaCha8([32]byte{2})
	rr := rand.New(r)
	for i := range 500 {
		ikm := randBytes(r, rr.IntN(200))
		var salt []byte
		if i%3 != 0 {
			salt = randBytes(r, rr.IntN(100))
		}
		info := string(randBytes(r, rr.IntN(700)))
		n := rr.IntN(300)
		if i%50 == 0 {
			n = aessha2.MaxHKDFSize
		}
		got := make([]byte, n)
		aessha2.HKDF(got, ikm, salt, info)
		want, err := hkdf.Key(sha256.New, ikm, salt, info, n)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("case %d (ikm %d salt %d info %d out %d): mismatch", i, len(ikm), len(salt), len(info), n)
		}
	}
}

// TestHKDFCounterWrap locks in the documented behaviour past RFC 5869's
// limit: the uint8 block counter wraps like libolm's, so block 256 uses
// counter 0 and block 257 counter 1.
func TestHKDFCounterWrap(t *testing.T) {
	ikm, salt, info := []byte("ikm"), []byte("salt"), "info"
	n := aessha2.MaxHKDFSize + 2*32 + 5
	got := make([]byte, n)
	aessha2.HKDF(got, ikm, salt, info)

	want, err := hkdf.Key(sha256.New, ikm, salt, info, aessha2.MaxHKDFSize)
	if err != nil {
		t.Fatal(err)
	}
	prk, err := hkdf.Extract(sha256.New, ikm, salt)
	if err != nil {
		t.Fatal(err)
	}
	prev := want[len(want)-32:]
	for _, ctr := range []byte{0, 1, 2} {
		h := hmac.New(sha256.New, prk)
		h.Write(prev)
		h.Write([]byte(info))
		h.Write([]byte{ctr})
		prev = h.Sum(nil)
		want = append(want, prev...)
	}
	if !bytes.Equal(got, want[:n]) {
		t.Fatal("output past 255 blocks does not follow the wrapped counter")
	}
}

func TestDeriveKeys(t *testing.T) {
	for _, info := range []string{aessha2.InfoOlmKeys, aessha2.InfoMegolmKeys, aessha2.InfoPickle, aessha2.InfoPK} {
		ikm := []byte("some key material for " + info)
		var k aessha2.Keys
		aessha2.DeriveKeys(&k, ikm, info)
		want, err := hkdf.Key(sha256.New, ikm, nil, info, 80)
		if err != nil {
			t.Fatal(err)
		}
		got := append(append(k.AESKey[:], k.MACKey[:]...), k.IV[:]...)
		if !bytes.Equal(got, want) {
			t.Fatalf("info %q: got %x want %x", info, got, want)
		}
		k.Clear()
		if k != (aessha2.Keys{}) {
			t.Fatal("Clear left key material")
		}
	}
}

func TestInfoConstants(t *testing.T) {
	if aessha2.InfoOlmKeys != "OLM_KEYS" || aessha2.InfoMegolmKeys != "MEGOLM_KEYS" ||
		aessha2.InfoPickle != "Pickle" || aessha2.InfoPK != "" {
		t.Fatal("info labels differ from libolm's")
	}
	if aessha2.TruncatedMACSize != 8 || aessha2.MACSize != 32 || aessha2.MaxHKDFSize != 8160 {
		t.Fatal("size constants wrong")
	}
}

// stdEncrypt is the reference: PKCS#7 then crypto/cipher CBC.
func stdEncrypt(k *aessha2.Keys, pt []byte) []byte {
	p := 16 - len(pt)%16
	padded := append(bytes.Clone(pt), bytes.Repeat([]byte{byte(p)}, p)...)
	b, _ := aes.NewCipher(k.AESKey[:])
	cipher.NewCBCEncrypter(b, k.IV[:]).CryptBlocks(padded, padded)
	return padded
}

// stdEncryptRaw CBC-encrypts already block-aligned bytes (for crafting bad
// padding behind a valid key).
func stdEncryptRaw(k *aessha2.Keys, blocks []byte) []byte {
	out := bytes.Clone(blocks)
	b, _ := aes.NewCipher(k.AESKey[:])
	cipher.NewCBCEncrypter(b, k.IV[:]).CryptBlocks(out, out)
	return out
}

func TestRoundTripEveryLength(t *testing.T) {
	r := rand.NewChaCha8([32]byte{3})
	for _, info := range []string{aessha2.InfoOlmKeys, aessha2.InfoMegolmKeys, aessha2.InfoPickle, aessha2.InfoPK} {
		var k aessha2.Keys
		aessha2.DeriveKeys(&k, []byte("ikm"), info)
		for n := 0; n <= 100; n++ {
			pt := randBytes(r, n)
			ct := k.AppendEncrypt(nil, pt)
			if len(ct) != aessha2.EncryptedLen(n) || len(ct)%16 != 0 || len(ct) <= n || len(ct) > n+16 {
				t.Fatalf("n=%d: len %d", n, len(ct))
			}
			if want := stdEncrypt(&k, pt); !bytes.Equal(ct, want) {
				t.Fatalf("n=%d: ciphertext differs from crypto/cipher CBC", n)
			}
			got, err := k.Decrypt(nil, ct)
			if err != nil || !bytes.Equal(got, pt) {
				t.Fatalf("n=%d: Decrypt = %x, %v", n, got, err)
			}
			// Append semantics keep the prefix.
			prefix := []byte("prefix")
			ct2 := k.AppendEncrypt(bytes.Clone(prefix), pt)
			if !bytes.Equal(ct2[:6], prefix) || !bytes.Equal(ct2[6:], ct) {
				t.Fatalf("n=%d: AppendEncrypt broke the prefix", n)
			}
			got2, err := k.Decrypt(bytes.Clone(prefix), ct)
			if err != nil || !bytes.Equal(got2[:6], prefix) || !bytes.Equal(got2[6:], pt) {
				t.Fatalf("n=%d: Decrypt with prefix = %x, %v", n, got2, err)
			}
		}
	}
}

func TestInPlace(t *testing.T) {
	var k aessha2.Keys
	aessha2.DeriveKeys(&k, []byte("in place"), aessha2.InfoOlmKeys)
	for n := 0; n <= 70; n++ {
		pt := bytes.Repeat([]byte{byte(n)}, n)
		buf := make([]byte, n, aessha2.EncryptedLen(n))
		copy(buf, pt)
		ct := k.AppendEncrypt(buf[:0], buf)
		if &ct[0] != &buf[:1][0] {
			t.Fatalf("n=%d: encrypt reallocated", n)
		}
		if !bytes.Equal(ct, stdEncrypt(&k, pt)) {
			t.Fatalf("n=%d: in-place encrypt wrong", n)
		}
		out, err := k.Decrypt(ct[:0], ct)
		if err != nil || !bytes.Equal(out, pt) {
			t.Fatalf("n=%d: in-place decrypt = %x, %v", n, out, err)
		}
	}
}

// TestChunkBoundaries checks encryption and decryption against
// crypto/cipher's CBC around the 512-byte chunks the implementation works
// in, appending after a prefix and in place, and that a bad padding on a
// multi-chunk ciphertext still fails and clears the output.
func TestChunkBoundaries(t *testing.T) {
	r := rand.NewChaCha8([32]byte{9})
	var k aessha2.Keys
	aessha2.DeriveKeys(&k, []byte("chunks"), aessha2.InfoMegolmKeys)
	for _, n := range []int{479, 480, 495, 496, 497, 511, 512, 513, 527, 528, 1007, 1008, 1023, 1024, 1025, 1535, 1536, 4095, 4096, 4097, 10000} {
		pt := randBytes(r, n)
		ct := k.AppendEncrypt(nil, pt)
		if want := stdEncrypt(&k, pt); !bytes.Equal(ct, want) {
			t.Fatalf("n=%d: ciphertext differs from crypto/cipher CBC", n)
		}
		got, err := k.Decrypt([]byte("prefix"), ct)
		if err != nil || string(got[:6]) != "prefix" || !bytes.Equal(got[6:], pt) {
			t.Fatalf("n=%d: Decrypt with prefix failed: %v", n, err)
		}
		buf := make([]byte, n, aessha2.EncryptedLen(n))
		copy(buf, pt)
		ict := k.AppendEncrypt(buf[:0], buf)
		if &ict[0] != &buf[:1][0] || !bytes.Equal(ict, ct) {
			t.Fatalf("n=%d: in-place encrypt wrong", n)
		}
		out, err := k.Decrypt(ict[:0], ict)
		if err != nil || &out[0] != &ict[0] || !bytes.Equal(out, pt) {
			t.Fatalf("n=%d: in-place decrypt failed: %v", n, err)
		}
		// Flip a bit of the last ciphertext block's predecessor so the
		// padding breaks: a multi-chunk failure clears everything.
		bad := bytes.Clone(ct)
		bad[len(bad)-17] ^= 0x01
		dst := make([]byte, 0, len(bad))
		if got, err := k.Decrypt(dst, bad); err == nil {
			// The flip may leave valid padding (a 0x01 last byte becomes 0x00
			// only if the pad was 1); then the output must be right.
			want := make([]byte, len(bad))
			b, _ := aes.NewCipher(k.AESKey[:])
			cipher.NewCBCDecrypter(b, k.IV[:]).CryptBlocks(want, bad)
			if !bytes.Equal(got, want[:len(got)]) {
				t.Fatalf("n=%d: tampered ciphertext decrypted wrongly", n)
			}
		} else if !bytes.Equal(dst[:len(bad)], make([]byte, len(bad))) {
			t.Fatalf("n=%d: output not cleared after %v", n, err)
		}
	}
}

func TestDecryptBadLength(t *testing.T) {
	var k aessha2.Keys
	aessha2.DeriveKeys(&k, []byte("x"), aessha2.InfoMegolmKeys)
	for _, n := range []int{0, 1, 8, 15, 17, 31, 33, 47, 4095} {
		out, err := k.Decrypt(nil, make([]byte, n))
		if !errors.Is(err, aessha2.ErrBadLength) || out != nil {
			t.Errorf("len %d: %x, %v", n, out, err)
		}
	}
}

func TestDecryptBadPadding(t *testing.T) {
	var k aessha2.Keys
	aessha2.DeriveKeys(&k, []byte("padding"), aessha2.InfoPickle)
	block := func(last []byte) []byte { // 32 bytes: one data block then last
		b := append(bytes.Repeat([]byte{0xaa}, 16), last...)
		return stdEncryptRaw(&k, b)
	}
	// Valid padding 1..16 decrypts.
	for p := 1; p <= 16; p++ {
		last := append(bytes.Repeat([]byte{0x55}, 16-p), bytes.Repeat([]byte{byte(p)}, p)...)
		out, err := k.Decrypt(nil, block(last))
		if err != nil || len(out) != 32-p {
			t.Fatalf("pad %d: len %d, %v", p, len(out), err)
		}
	}
	// Bad last byte: 0 and > 16 (libolm accepts 0 and anything <= len).
	for _, p := range []int{0, 17, 31, 32, 0x80, 0xff} {
		last := bytes.Repeat([]byte{byte(p)}, 16)
		if _, err := k.Decrypt(nil, block(last)); !errors.Is(err, aessha2.ErrBadPadding) {
			t.Errorf("pad byte %d: %v", p, err)
		}
	}
	// A wrong byte at each position inside the padding (libolm ignores them).
	for p := 2; p <= 16; p++ {
		for j := 16 - p; j < 15; j++ {
			last := append(bytes.Repeat([]byte{0x55}, 16-p), bytes.Repeat([]byte{byte(p)}, p)...)
			last[j] ^= 0x01
			dst := make([]byte, 0, 64)
			out, err := k.Decrypt(dst, block(last))
			if !errors.Is(err, aessha2.ErrBadPadding) || out != nil {
				t.Fatalf("pad %d, bad byte %d: %v", p, j, err)
			}
			if !bytes.Equal(dst[:cap(dst)], make([]byte, 64)) {
				t.Fatalf("pad %d: unauthenticated plaintext left in dst", p)
			}
		}
	}
}

// TestTamper flips every bit of a sealed message and of its MAC, as the
// protocols use them (MAC over the message, checked before decryption).
func TestTamper(t *testing.T) {
	var k aessha2.Keys
	aessha2.DeriveKeys(&k, []byte("tamper"), aessha2.InfoMegolmKeys)
	body := k.AppendEncrypt([]byte{3, 8, 1, 0x12, 0x20}, []byte("attack at dawn, bring snacks"))
	for _, size := range []int{aessha2.TruncatedMACSize, aessha2.MACSize} {
		mac := k.AppendMAC(nil, body, size)
		if len(mac) != size || !k.VerifyMAC(body, mac, size) {
			t.Fatalf("size %d: valid MAC rejected", size)
		}
		var full [32]byte
		k.MAC(&full, body)
		if !bytes.Equal(mac, full[:size]) {
			t.Fatal("AppendMAC is not a prefix of MAC")
		}
		for i := range len(body) * 8 {
			b := bytes.Clone(body)
			b[i/8] ^= 1 << (i % 8)
			if k.VerifyMAC(b, mac, size) {
				t.Fatalf("size %d: flipped body bit %d accepted", size, i)
			}
		}
		for i := range len(mac) * 8 {
			m := bytes.Clone(mac)
			m[i/8] ^= 1 << (i % 8)
			if k.VerifyMAC(body, m, size) {
				t.Fatalf("size %d: flipped MAC bit %d accepted", size, i)
			}
		}
	}
	// Exact-length check: a longer or shorter tag never verifies, even when
	// it is a correct prefix of the full HMAC.
	var full [32]byte
	k.MAC(&full, body)
	for _, l := range []int{0, 1, 7, 9, 16, 31, 32} {
		if k.VerifyMAC(body, full[:l], aessha2.TruncatedMACSize) {
			t.Errorf("MAC of length %d accepted for size 8", l)
		}
	}
	for _, size := range []int{-1, 0, 33} {
		if k.VerifyMAC(body, full[:], size) {
			t.Errorf("size %d accepted", size)
		}
	}
	// Wrong key.
	var k2 aessha2.Keys
	aessha2.DeriveKeys(&k2, []byte("tamper"), aessha2.InfoOlmKeys)
	if k2.VerifyMAC(body, full[:8], 8) {
		t.Fatal("MAC verified under a key with another info label")
	}
}

func TestOpenErrors(t *testing.T) {
	ikm := []byte("pickle key")
	ct, mac := aessha2.Seal(ikm, aessha2.InfoPickle, []byte("hello"), true)
	if _, err := aessha2.Open(ikm, aessha2.InfoPickle, ct, mac[:7], true); !errors.Is(err, aessha2.ErrBadMAC) {
		t.Errorf("short MAC: %v", err)
	}
	if _, err := aessha2.Open(ikm, aessha2.InfoPickle, ct[:15], mac[:], true); !errors.Is(err, aessha2.ErrBadMAC) {
		t.Errorf("truncated ct: %v", err)
	}
	// With the pk convention the MAC covers nothing, so a bad length behind
	// a valid MAC reaches the length check.
	ct, mac = aessha2.Seal(ikm, aessha2.InfoPK, []byte("hello"), false)
	if _, err := aessha2.Open(ikm, aessha2.InfoPK, ct[:15], mac[:], false); !errors.Is(err, aessha2.ErrBadLength) {
		t.Errorf("pk truncated ct: %v", err)
	}
	if _, err := aessha2.Open(ikm, aessha2.InfoPK, nil, mac[:], false); !errors.Is(err, aessha2.ErrBadLength) {
		t.Errorf("pk empty ct: %v", err)
	}
}

func TestAllocations(t *testing.T) {
	if testing.CoverMode() != "" || raceEnabled {
		t.Skip("coverage instrumentation and the race detector allocate")
	}
	var k aessha2.Keys
	aessha2.DeriveKeys(&k, []byte("warm up"), aessha2.InfoOlmKeys)
	// Stack arrays as inputs: if any escaped, the closures would allocate.
	cases := []struct {
		name string
		want float64
		f    func()
	}{
		{"HMAC", 0, func() {
			var out, key [32]byte
			msg := [1]byte{2}
			aessha2.HMAC(&out, key[:], msg[:])
		}},
		{"HMAC long key", 0, func() {
			var out [32]byte
			var key [256]byte
			var msg [100]byte
			aessha2.HMAC(&out, key[:], msg[:])
		}},
		{"HKDF", 0, func() {
			var out [64]byte
			var ikm [96]byte
			var salt [32]byte
			aessha2.HKDF(out[:], ikm[:], salt[:], "OLM_RATCHET")
		}},
		{"DeriveKeys", 0, func() {
			var kk aessha2.Keys
			var ikm [128]byte
			aessha2.DeriveKeys(&kk, ikm[:], aessha2.InfoMegolmKeys)
		}},
		{"VerifyMAC", 0, func() {
			var data [300]byte
			var mac [8]byte
			k.VerifyMAC(data[:], mac[:], 8)
		}},
		{"AppendMAC", 0, func() {
			var data [300]byte
			var dst [8]byte
			k.AppendMAC(dst[:0], data[:], 8)
		}},
		// One allocation is the AES key schedule from aes.NewCipher.
		{"AppendEncrypt", 1, func() {
			var pt [256]byte
			var dst [272]byte
			k.AppendEncrypt(dst[:0], pt[:])
		}},
		{"Decrypt", 1, func() {
			var ct [272]byte
			var dst [272]byte
			k.Decrypt(dst[:0], ct[:])
		}},
		{"AppendEncrypt 4 KiB", 1, func() {
			var pt [4096]byte
			var dst [4112]byte
			k.AppendEncrypt(dst[:0], pt[:])
		}},
		{"Decrypt 4 KiB", 1, func() {
			var ct [4112]byte
			var dst [4112]byte
			k.Decrypt(dst[:0], ct[:])
		}},
	}
	for _, c := range cases {
		if got := testing.AllocsPerRun(100, c.f); got != c.want {
			t.Errorf("%s: %v allocations, want %v", c.name, got, c.want)
		}
	}
}

// FuzzDecrypt feeds arbitrary ciphertexts to Decrypt: it must never panic,
// must fail with ErrBadLength exactly on bad lengths, and whatever it
// accepts must re-encrypt to the same bytes (strict padding means the
// plaintext ↔ ciphertext mapping is a bijection).
func FuzzDecrypt(f *testing.F) {
	var k aessha2.Keys
	aessha2.DeriveKeys(&k, []byte("fuzz"), aessha2.InfoOlmKeys)
	f.Add(k.AppendEncrypt(nil, []byte("hello")))
	f.Add([]byte{})
	f.Add(make([]byte, 15))
	f.Add(make([]byte, 32))
	f.Fuzz(func(t *testing.T, ct []byte) {
		pt, err := k.Decrypt(nil, ct)
		badLen := len(ct) == 0 || len(ct)%16 != 0
		if badLen != errors.Is(err, aessha2.ErrBadLength) {
			t.Fatalf("len %d: %v", len(ct), err)
		}
		if err != nil {
			if pt != nil {
				t.Fatal("output on error")
			}
			return
		}
		if again := k.AppendEncrypt(nil, pt); !bytes.Equal(again, ct) {
			t.Fatal("accepted ciphertext does not round-trip")
		}
	})
}

// TestConcurrent runs the pooled HMAC/HKDF state from many goroutines; run
// it with -race.
func TestConcurrent(t *testing.T) {
	want, _ := hkdf.Key(sha256.New, []byte("ikm"), nil, aessha2.InfoOlmKeys, 80)
	done := make(chan bool)
	for g := range 8 {
		go func() {
			ok := true
			for range 200 {
				var k aessha2.Keys
				aessha2.DeriveKeys(&k, []byte("ikm"), aessha2.InfoOlmKeys)
				got := append(append(k.AESKey[:], k.MACKey[:]...), k.IV[:]...)
				ok = ok && bytes.Equal(got, want)
				pt := []byte{byte(g)}
				back, err := k.Decrypt(nil, k.AppendEncrypt(nil, pt))
				ok = ok && err == nil && bytes.Equal(back, pt)
			}
			done <- ok
		}()
	}
	for range 8 {
		if !<-done {
			t.Fatal("concurrent use gave a wrong result")
		}
	}
}
