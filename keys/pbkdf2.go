// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package keys

import (
	"crypto/hmac"
	"crypto/sha512"
	"encoding/binary"
	"math"
)

// Iteration counts for PBKDF2-HMAC-SHA-512, the passphrase hash of key
// export files and of passphrase-derived secret storage keys.
const (
	// DefaultIterations is the count newt writes by default: 500,000, the
	// count Element, matrix-js-sdk and matrix-rust-sdk use for new files
	// and passphrases. The spec asks for at least 100,000.
	DefaultIterations = 500_000

	// DefaultMaxIterations is the largest count newt accepts from input
	// unless the caller sets another limit: 10,000,000, twenty times what
	// any known writer uses, about 7 seconds on one core of a 2020s server.
	// The count comes from the file or from the account data, so without a
	// bound a hostile file (2^32-1 iterations) would keep a reader busy
	// for hours; no other implementation bounds it.
	DefaultMaxIterations = 10_000_000
)

// Options bound the work and memory that untrusted input can demand. The
// zero value (and a nil *Options) means the defaults.
type Options struct {
	// MaxIterations is the largest PBKDF2 iteration count accepted from a
	// key export file or a secret storage key description; 0 means
	// [DefaultMaxIterations]. A count of 0 in the input is always refused.
	MaxIterations uint32

	// MaxExportSize is the largest decoded body of a key export file, in
	// bytes; 0 means [DefaultMaxExportSize]. The body is held in memory
	// once while it is authenticated and decrypted.
	MaxExportSize int64
}

// DefaultMaxExportSize is the default bound on the decoded body of a key
// export file: 1 GiB, about 1.5 million sessions.
const DefaultMaxExportSize = 1 << 30

func (o *Options) maxIterations() uint32 {
	if o == nil || o.MaxIterations == 0 {
		return DefaultMaxIterations
	}
	// crypto/pbkdf2 counts in int, which has 32 bits on some platforms.
	return min(o.MaxIterations, math.MaxInt32)
}

func (o *Options) maxExportSize() int64 {
	if o == nil || o.MaxExportSize <= 0 {
		return DefaultMaxExportSize
	}
	return o.MaxExportSize
}

// checkIterations returns an [*IterationsError] unless 1 <= n <= limit.
func checkIterations(n uint64, limit uint32) error {
	if n == 0 || n > uint64(limit) {
		return &IterationsError{Iterations: n, Max: limit}
	}
	return nil
}

// deriveKey returns PBKDF2-HMAC-SHA-512(passphrase, salt, iterations, size)
// (RFC 8018, section 5.2), over the bytes of the passphrase as given: its
// UTF-8, with no Unicode normalisation, as in every Matrix client. The
// caller has checked iterations. It is written here, rather than taken from
// crypto/pbkdf2, because that package takes the password as a string, which
// cannot be cleared; the work per iteration is the same (one HMAC-SHA-512 of
// 64 bytes, with the keyed state reused).
func deriveKey(passphrase, salt []byte, iterations uint32, size int) []byte {
	prf := hmac.New(sha512.New, passphrase)
	out := make([]byte, 0, (size+sha512.Size-1)/sha512.Size*sha512.Size)
	var u, t [sha512.Size]byte
	var ctr [4]byte
	for block := uint32(1); len(out) < size; block++ {
		// U_1 = PRF(P, S ‖ INT(i)); T_i = U_1 ⊕ U_2 ⊕ … ⊕ U_c.
		binary.BigEndian.PutUint32(ctr[:], block)
		prf.Reset()
		prf.Write(salt)
		prf.Write(ctr[:])
		prf.Sum(u[:0])
		t = u
		for range iterations - 1 {
			prf.Reset()
			prf.Write(u[:])
			prf.Sum(u[:0])
			for j := range t {
				t[j] ^= u[j]
			}
		}
		out = append(out, t[:]...)
	}
	clear(u[:])
	clear(t[:])
	return out[:size]
}
