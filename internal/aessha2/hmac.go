// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package aessha2

// Reviewer's note: the goal of this file is HMAC-SHA-256 and HKDF-SHA-256
// that are byte-identical to RFC 2104 / RFC 5869 (and libolm) and allocate
// nothing in steady state. crypto/hmac and crypto/hkdf allocate about 20
// objects per derivation, and passing caller slices to a hash.Hash interface
// method makes them escape, so a caller's stack buffer would be moved to the
// heap. Here every Write goes through a scratch buffer inside a pooled state,
// so no caller slice ever reaches an interface method.

import (
	"crypto/sha256"
	"encoding"
	"hash"
	"sync"
)

const (
	blockSize = sha256.BlockSize // 64
	sumSize   = sha256.Size      // 32

	// chunkSize is the size of the copy buffer used to feed caller data to
	// the hash. memmove is an order of magnitude faster than SHA-256, so the
	// extra copy costs a few percent at most.
	chunkSize = 512

	// MaxHKDFSize is the largest output of HKDF as specified by RFC 5869
	// (255 blocks). See [HKDF] for what happens beyond it.
	MaxHKDFSize = 255 * sumSize
)

// marshalableHash is a hash whose state can be saved and restored without
// allocating. crypto/sha256's digest is one; HKDF uses it to key the PRK
// once instead of once per output block (as crypto/hmac does internally).
type marshalableHash interface {
	hash.Hash
	encoding.BinaryAppender
	encoding.BinaryUnmarshaler
}

// savedStateSize bounds the marshaled SHA-256 state (108 bytes today).
const savedStateSize = 128

// state is the pooled scratch state of one HMAC or HKDF computation.
type state struct {
	inner, outer hash.Hash
	// innerM and outerM are inner and outer as marshalableHash, or nil.
	innerM, outerM         marshalableHash
	innerSaved, outerSaved []byte // keyed states, backed by the arrays below
	innerArr, outerArr     [savedStateSize]byte
	pad                    [blockSize]byte
	isum                   [sumSize]byte
	osum                   [sumSize]byte
	prk                    [sumSize]byte
	okm                    [keysSize]byte
	blk                    [16]byte
	buf                    [chunkSize]byte
	// cbcIn is the previous ciphertext block followed by up to chunkSize
	// bytes of ciphertext, copied in by Decrypt; buf receives their block
	// decryptions.
	cbcIn [16 + chunkSize]byte
}

var statePool = sync.Pool{New: func() any {
	st := &state{inner: sha256.New(), outer: sha256.New()}
	im, ok1 := st.inner.(marshalableHash)
	om, ok2 := st.outer.(marshalableHash)
	if ok1 && ok2 {
		st.innerM, st.outerM = im, om
	}
	return st
}}

func getState() *state { return statePool.Get().(*state) }

// putState clears the secret scratch and returns st to the pool.
func putState(st *state) {
	clear(st.pad[:])
	clear(st.isum[:])
	clear(st.osum[:])
	clear(st.prk[:])
	clear(st.okm[:])
	clear(st.blk[:])
	clear(st.innerArr[:])
	clear(st.outerArr[:])
	st.innerSaved, st.outerSaved = nil, nil
	st.inner.Reset() // drop keyed chaining values
	st.outer.Reset()
	statePool.Put(st)
}

// writeBytes feeds b to h through the scratch buffer, so that b itself is
// never passed to an interface method and does not escape.
func (st *state) writeBytes(h hash.Hash, b []byte) {
	used := min(len(b), len(st.buf))
	for len(b) > 0 {
		n := copy(st.buf[:], b)
		h.Write(st.buf[:n])
		b = b[n:]
	}
	clear(st.buf[:used])
}

// writeString is writeBytes for a string.
func (st *state) writeString(h hash.Hash, s string) {
	for len(s) > 0 {
		n := copy(st.buf[:], s)
		h.Write(st.buf[:n])
		s = s[n:]
	}
}

// setKey keys the inner and outer digests with key (RFC 2104: keys longer
// than the block size are first hashed, shorter ones are zero-padded).
func (st *state) setKey(key []byte) {
	clear(st.pad[:])
	if len(key) > blockSize {
		st.inner.Reset()
		st.writeBytes(st.inner, key)
		st.inner.Sum(st.pad[:0])
	} else {
		copy(st.pad[:], key)
	}
	for i := range st.pad {
		st.pad[i] ^= 0x36
	}
	st.inner.Reset()
	st.inner.Write(st.pad[:])
	for i := range st.pad {
		st.pad[i] ^= 0x36 ^ 0x5c
	}
	st.outer.Reset()
	st.outer.Write(st.pad[:])
	clear(st.pad[:])
}

// saveKeyed records the keyed inner and outer states so that restoreKeyed
// can reuse them, saving two compressions per HMAC. It reports success.
func (st *state) saveKeyed() bool {
	if st.innerM == nil {
		return false
	}
	var err1, err2 error
	st.innerSaved, err1 = st.innerM.AppendBinary(st.innerArr[:0])
	st.outerSaved, err2 = st.outerM.AppendBinary(st.outerArr[:0])
	return err1 == nil && err2 == nil && len(st.innerSaved) <= savedStateSize && len(st.outerSaved) <= savedStateSize
}

// restoreKeyed resets inner and outer to the states saved by saveKeyed.
func (st *state) restoreKeyed() bool {
	return st.innerM.UnmarshalBinary(st.innerSaved) == nil && st.outerM.UnmarshalBinary(st.outerSaved) == nil
}

// finish completes the HMAC whose inner digest has absorbed the message and
// leaves the tag in st.osum.
func (st *state) finish() {
	st.inner.Sum(st.isum[:0])
	st.outer.Write(st.isum[:])
	st.outer.Sum(st.osum[:0])
}

// HMAC sets out to HMAC-SHA-256(key, msg) (RFC 2104). Keys longer than 64
// bytes are hashed first, as libolm does for the 256-byte SAS long_kdf key.
// It does not allocate.
func HMAC(out *[32]byte, key, msg []byte) {
	st := getState()
	st.setKey(key)
	st.writeBytes(st.inner, msg)
	st.finish()
	*out = st.osum
	putState(st)
}

// HKDF fills out with HKDF-SHA-256(ikm, salt, info) (RFC 5869), the argument
// order libolm's _olm_crypto_hkdf_sha256 really uses. A nil or empty salt
// means 32 zero bytes. It does not allocate.
//
// RFC 5869 limits the output to [MaxHKDFSize] bytes. libolm keeps the block
// counter in a uint8 and lets it wrap; HKDF does the same rather than fail,
// so longer outputs are byte-identical to libolm's (and no longer RFC 5869).
// No protocol in newt asks for more than 80 bytes except SAS GenerateBytes,
// whose length comes from the caller.
func HKDF(out, ikm, salt []byte, info string) {
	st := getState()
	st.hkdf(out, ikm, salt, info)
	putState(st)
}

func (st *state) hkdf(out, ikm, salt []byte, info string) {
	// Extract: PRK = HMAC(salt, IKM). An empty key is zero-padded to the
	// block size, exactly like 32 zero bytes, so nil salt needs no case.
	st.setKey(salt)
	st.writeBytes(st.inner, ikm)
	st.finish()
	st.prk = st.osum

	// Expand: T(i) = HMAC(PRK, T(i-1) ‖ info ‖ i), T(0) = "".
	saved := false
	if len(out) > sumSize {
		st.setKey(st.prk[:])
		saved = st.saveKeyed()
	}
	counter := byte(1)
	for i := 0; i < len(out); i += sumSize {
		if !saved || !st.restoreKeyed() {
			st.setKey(st.prk[:])
		}
		if i > 0 {
			st.inner.Write(st.osum[:])
		}
		st.writeString(st.inner, info)
		st.buf[0] = counter
		st.inner.Write(st.buf[:1])
		st.finish()
		copy(out[i:], st.osum[:])
		counter++ // wraps after 255 blocks, like libolm
	}
	clear(st.osum[:])
}
