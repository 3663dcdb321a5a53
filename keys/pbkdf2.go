// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package keys

import (
	"crypto/pbkdf2"
	"crypto/sha512"
	"fmt"
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

// deriveKey returns PBKDF2-HMAC-SHA-512(passphrase, salt, iterations,
// size) (RFC 8018, section 5.2), over the UTF-8 bytes of the passphrase as
// given: no Unicode normalisation, as in every Matrix client. The caller
// has checked iterations.
func deriveKey(passphrase string, salt []byte, iterations uint32, size int) ([]byte, error) {
	k, err := pbkdf2.Key(sha512.New, passphrase, salt, int(iterations), size)
	if err != nil {
		// Only in FIPS 140-only mode, which refuses short salts.
		return nil, fmt.Errorf("keys: PBKDF2: %w", err)
	}
	return k, nil
}
