// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package bench

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/ed25519"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"hash"

	"filippo.io/edwards25519"
)

// The primitive floor (bench/README.md, "What the floor counts"): the
// cryptographic primitives and base64 coding an operation cannot avoid,
// called directly with the real sizes and nothing else: no parsing, no
// serialisation, no state copies. Keys change per message in both protocols,
// so AES includes its key schedule and HMAC its keying.
//
// Two variants. "floor" calls the Go standard library as a protocol must
// (hmac.New per MAC, crypto/hkdf.Key, ecdh key generation). "floor-fast"
// keys HMAC and HKDF on one reused SHA-256 state (no allocation) and derives
// X25519 public keys through the Edwards fixed-base table of
// filippo.io/edwards25519 (the Montgomery u-coordinate of a·B), which is
// about 2.5 times cheaper than crypto/ecdh's ladder.

// HKDF info strings of the protocols.
var (
	infoMegolmKeys = []byte("MEGOLM_KEYS")
	infoOlmKeys    = []byte("OLM_KEYS")
	infoOlmRoot    = []byte("OLM_ROOT")
	infoOlmRatchet = []byte("OLM_RATCHET")
	infoPickle     = []byte("Pickle")
)

// prims runs the primitives; the zero value is unusable, see newPrims.
type prims struct {
	fast bool

	// fast HMAC/HKDF state, reused.
	h     hash.Hash
	pad   [sha256.BlockSize]byte
	inner [sha256.Size]byte
	prk   [sha256.Size]byte
	t     [sha256.Size]byte
	ctr   [1]byte
	zero  [sha256.Size]byte
	okm   [80]byte
	sc    edwards25519.Scalar
	pt    edwards25519.Point
}

func newPrims(fast bool) *prims { return &prims{fast: fast, h: sha256.New()} }

// hmac writes HMAC-SHA-256(key, a ‖ b ‖ c) to out. key must be at most 64
// bytes (true of every Olm/Megolm MAC key).
func (p *prims) hmac(out *[32]byte, key, a, b, c []byte) {
	if !p.fast {
		m := hmac.New(sha256.New, key)
		m.Write(a)
		m.Write(b)
		m.Write(c)
		m.Sum(out[:0])
		return
	}
	clear(p.pad[:])
	copy(p.pad[:], key)
	for i := range p.pad {
		p.pad[i] ^= 0x36
	}
	h := p.h
	h.Reset()
	h.Write(p.pad[:])
	h.Write(a)
	h.Write(b)
	h.Write(c)
	h.Sum(p.inner[:0])
	for i := range p.pad {
		p.pad[i] ^= 0x36 ^ 0x5c
	}
	h.Reset()
	h.Write(p.pad[:])
	h.Write(p.inner[:])
	h.Sum(out[:0])
}

// hkdf returns n (<= 80) bytes of HKDF-SHA-256(ikm, salt, info); a nil salt
// is 32 zero bytes.
func (p *prims) hkdf(n int, ikm, salt, info []byte) []byte {
	if !p.fast {
		k, _ := hkdf.Key(sha256.New, ikm, salt, string(info), n)
		return k
	}
	if salt == nil {
		salt = p.zero[:]
	}
	p.hmac(&p.prk, salt, ikm, nil, nil)
	var prev []byte
	for i := 0; i*32 < n; i++ {
		p.ctr[0] = byte(i + 1)
		p.hmac(&p.t, p.prk[:], prev, info, p.ctr[:])
		copy(p.okm[i*32:], p.t[:])
		prev = p.t[:]
	}
	return p.okm[:n]
}

// x25519KeyGen derives the public key of the 32-byte private key priv.
func (p *prims) x25519KeyGen(priv []byte) []byte {
	if !p.fast {
		k, _ := ecdh.X25519().NewPrivateKey(priv)
		return k.PublicKey().Bytes()
	}
	p.sc.SetBytesWithClamping(priv)
	return p.pt.ScalarBaseMult(&p.sc).BytesMontgomery()
}

// aesCBCEncrypt encrypts buf in place (its length a multiple of 16, padding
// already in place) under key and iv.
func aesCBCEncrypt(key, iv, buf []byte) {
	c, _ := aes.NewCipher(key)
	cipher.NewCBCEncrypter(c, iv).CryptBlocks(buf, buf)
}

// aesCBCDecrypt decrypts src into dst.
func aesCBCDecrypt(key, iv, dst, src []byte) {
	c, _ := aes.NewCipher(key)
	cipher.NewCBCDecrypter(c, iv).CryptBlocks(dst, src)
}

// encLen is the AES-CBC/PKCS#7 ciphertext length of an n-byte plaintext.
func encLen(n int) int { return n + 16 - n%16 }

// decodedLen is the length of the unpadded base64 text of length n decodes to.
func decodedLen(n int) int { return base64.RawStdEncoding.DecodedLen(n) }

// floor holds the inputs of the floor workloads: buffers of the real sizes
// and key objects made once. Its methods are the workloads.
type floor struct {
	p *prims

	buf     []byte // plaintext / ciphertext scratch
	raw     []byte // decoded message or pickle
	enc     []byte // base64 output
	b64     []byte // base64 input
	mac     [32]byte
	ratchet [128]byte
	key32   [32]byte
	rnd     []byte

	signer   ed25519.PrivateKey
	verifier ed25519.PublicKey
	sig      []byte // signature over raw[:len(raw)-64]
	dhPriv   *ecdh.PrivateKey
	dhPub    *ecdh.PublicKey
}

// newFloor prepares a floor for messages or pickles whose base64 form is
// b64. If signed, the last 64 bytes of the decoded form are a valid Ed25519
// signature of the rest, made here, so that verification succeeds.
func newFloor(fast bool, b64 string, signed bool) *floor {
	f := &floor{p: newPrims(fast), rnd: make([]byte, 50*32)}
	f.b64 = []byte(b64)
	f.raw = make([]byte, decodedLen(len(b64)))
	base64.RawStdEncoding.Decode(f.raw, f.b64)
	f.enc = make([]byte, len(b64))
	f.buf = make([]byte, len(f.raw)+16)
	rand.Read(f.ratchet[:])
	rand.Read(f.key32[:])
	_, f.signer, _ = ed25519.GenerateKey(rand.Reader)
	f.verifier = f.signer.Public().(ed25519.PublicKey)
	if signed && len(f.raw) >= 64 {
		f.sig = ed25519.Sign(f.signer, f.raw[:len(f.raw)-64])
		copy(f.raw[len(f.raw)-64:], f.sig)
		base64.RawStdEncoding.Encode(f.b64, f.raw)
	}
	f.dhPriv, _ = ecdh.X25519().GenerateKey(rand.Reader)
	other, _ := ecdh.X25519().GenerateKey(rand.Reader)
	f.dhPub = other.PublicKey()
	return f
}

// cbcEncrypt pads the first ptLen bytes of f.buf and encrypts them with
// keys derived by the caller (okm = aes key ‖ mac key ‖ iv).
func (f *floor) cbcEncrypt(okm []byte, ptLen int) []byte {
	n := encLen(ptLen)
	ct := f.buf[:n]
	for i := ptLen; i < n; i++ {
		ct[i] = byte(n - ptLen)
	}
	aesCBCEncrypt(okm[:32], okm[64:80], ct)
	return ct
}

// megolmEncrypt: HKDF(R, "MEGOLM_KEYS", 80) + AES-CBC + HMAC(body) +
// Ed25519 sign(body ‖ MAC) + one ratchet HMAC + base64 of the message.
func (f *floor) megolmEncrypt(ptLen int) {
	p := f.p
	okm := p.hkdf(80, f.ratchet[:], nil, infoMegolmKeys)
	f.cbcEncrypt(okm, ptLen)
	body := f.raw[:len(f.raw)-72]
	p.hmac(&f.mac, okm[32:64], body, nil, nil)
	sig := ed25519.Sign(f.signer, f.raw[:len(f.raw)-64])
	_ = sig
	p.hmac(&f.mac, f.ratchet[96:], f.ratchet[:1], nil, nil)
	base64.RawStdEncoding.Encode(f.enc, f.raw)
}

// megolmDecrypt: base64 + Ed25519 verify + steps ratchet HMACs + HKDF +
// HMAC(body) + AES-CBC decrypt.
func (f *floor) megolmDecrypt(ctLen, steps int) bool {
	p := f.p
	base64.RawStdEncoding.Decode(f.raw, f.b64)
	n := len(f.raw)
	ok := ed25519.Verify(f.verifier, f.raw[:n-64], f.raw[n-64:])
	for range steps {
		p.hmac(&f.mac, f.ratchet[96:], f.ratchet[:1], nil, nil)
	}
	okm := p.hkdf(80, f.ratchet[:], nil, infoMegolmKeys)
	p.hmac(&f.mac, okm[32:64], f.raw[:n-72], nil, nil)
	aesCBCDecrypt(okm[:32], okm[64:80], f.buf[:ctLen], f.raw[n-72-ctLen:n-72])
	return ok
}

// megolmInboundCreate: base64 + Ed25519 verify of the signed session key.
func (f *floor) megolmInboundCreate() bool {
	base64.RawStdEncoding.Decode(f.raw, f.b64)
	n := len(f.raw)
	return ed25519.Verify(f.verifier, f.raw[:n-64], f.raw[n-64:])
}

// accountCreate: 64 random bytes + Ed25519 and X25519 key generation.
func (f *floor) accountCreate() {
	r := f.rnd[:64]
	rand.Read(r)
	_ = ed25519.NewKeyFromSeed(r[:32])
	f.p.x25519KeyGen(r[32:])
}

// oneTimeKeys: 32·n random bytes + n X25519 key generations.
func (f *floor) oneTimeKeys(n int) {
	r := f.rnd[:32*n]
	rand.Read(r)
	for i := range n {
		f.p.x25519KeyGen(r[32*i : 32*i+32])
	}
}

// olmOutboundCreate: decode the two peer keys + 64 random bytes + base and
// ratchet key generation + 3 DH + HKDF(S, "OLM_ROOT", 64).
func (f *floor) olmOutboundCreate(identityKey, oneTimeKey []byte) {
	var k [64]byte
	base64.RawStdEncoding.Decode(k[:32], identityKey)
	base64.RawStdEncoding.Decode(k[32:], oneTimeKey)
	r := f.rnd[:64]
	rand.Read(r)
	f.p.x25519KeyGen(r[:32])
	f.p.x25519KeyGen(r[32:])
	var s [96]byte
	for i := range 3 {
		x, _ := f.dhPriv.ECDH(f.dhPub)
		copy(s[32*i:], x)
	}
	f.p.hkdf(64, s[:], nil, infoOlmRoot)
}

// olmInboundCreate: decode the pre-key message + 3 DH + HKDF(S,
// "OLM_ROOT", 64) + decrypting the inner message (newt decrypts it as part
// of creating the session, so every adapter does).
func (f *floor) olmInboundCreate(ctLen, innerLen int) {
	base64.RawStdEncoding.Decode(f.raw, f.b64)
	var s [96]byte
	for i := range 3 {
		x, _ := f.dhPriv.ECDH(f.dhPub)
		copy(s[32*i:], x)
	}
	f.p.hkdf(64, s[:], nil, infoOlmRoot)
	f.olmDecryptKeys(ctLen, innerLen)
}

// olmEncrypt: chain and message key HMACs + HKDF(M, "OLM_KEYS", 80) +
// AES-CBC + HMAC(body) + base64 of the message.
func (f *floor) olmEncrypt(ptLen int) {
	p := f.p
	p.hmac(&f.mac, f.key32[:], f.ratchet[:1], nil, nil)
	p.hmac(&f.mac, f.key32[:], f.ratchet[1:2], nil, nil)
	okm := p.hkdf(80, f.mac[:], nil, infoOlmKeys)
	f.cbcEncrypt(okm, ptLen)
	p.hmac(&f.mac, okm[32:64], f.raw[:len(f.raw)-8], nil, nil)
	base64.RawStdEncoding.Encode(f.enc, f.raw)
}

// olmDecrypt: base64 + the decryption of olmDecryptKeys.
func (f *floor) olmDecrypt(ctLen int) {
	base64.RawStdEncoding.Decode(f.raw, f.b64)
	f.olmDecryptKeys(ctLen, len(f.raw))
}

// olmDecryptKeys: chain and message key HMACs + HKDF + HMAC(body) +
// AES-CBC decrypt, for a message of msgLen bytes at the end of f.raw.
func (f *floor) olmDecryptKeys(ctLen, msgLen int) {
	p := f.p
	m := f.raw[len(f.raw)-msgLen:]
	p.hmac(&f.mac, f.key32[:], f.ratchet[:1], nil, nil)
	p.hmac(&f.mac, f.key32[:], f.ratchet[1:2], nil, nil)
	okm := p.hkdf(80, f.mac[:], nil, infoOlmKeys)
	p.hmac(&f.mac, okm[32:64], m[:len(m)-8], nil, nil)
	aesCBCDecrypt(okm[:32], okm[64:80], f.buf[:ctLen], m[len(m)-8-ctLen:len(m)-8])
}

// ratchetStep: DH with the peer's ratchet key + HKDF(DH, root, "OLM_RATCHET", 64).
func (f *floor) ratchetStep() {
	x, _ := f.dhPriv.ECDH(f.dhPub)
	f.p.hkdf(64, x, f.key32[:], infoOlmRatchet)
}

// olmAlternatingEncrypt: 32 random bytes + ratchet key generation + a
// ratchet step + olmEncrypt.
func (f *floor) olmAlternatingEncrypt(ptLen int) {
	r := f.rnd[:32]
	rand.Read(r)
	f.p.x25519KeyGen(r)
	f.ratchetStep()
	f.olmEncrypt(ptLen)
}

// olmAlternatingDecrypt: a ratchet step + olmDecrypt.
func (f *floor) olmAlternatingDecrypt(ctLen int) {
	f.ratchetStep()
	f.olmDecrypt(ctLen)
}

// pickle: HKDF(key, "Pickle", 80) + AES-CBC + HMAC(ciphertext) + base64.
func (f *floor) pickle() {
	p := f.p
	ct := len(f.raw) - 8
	okm := p.hkdf(80, f.key32[:], nil, infoPickle)
	c := f.buf[:ct]
	c[ct-1] = 1
	aesCBCEncrypt(okm[:32], okm[64:80], c)
	p.hmac(&f.mac, okm[32:64], c, nil, nil)
	base64.RawStdEncoding.Encode(f.enc, f.raw)
}

// unpickle: base64 + HKDF + HMAC(ciphertext) + AES-CBC decrypt.
func (f *floor) unpickle() {
	p := f.p
	base64.RawStdEncoding.Decode(f.raw, f.b64)
	ct := len(f.raw) - 8
	okm := p.hkdf(80, f.key32[:], nil, infoPickle)
	p.hmac(&f.mac, okm[32:64], f.raw[:ct], nil, nil)
	aesCBCDecrypt(okm[:32], okm[64:80], f.buf[:ct], f.raw[:ct])
}
