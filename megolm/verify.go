// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package megolm

// Reviewer's note: every message of a Megolm session is signed by the same
// Ed25519 key, so a receiver that decrypts many messages of one session can
// afford a per-key precomputed table (a comb of multiples of the key) that
// makes each strict verification about three times as fast. The table is a
// pure cache: it is derived from the 32-byte public key, is never pickled, and
// its decisions are exactly those of the plain strict verification
// (ed25519x's tests compare the two on every edge case; TestFastVerifyAgrees
// does so on decryptions).
//
// A session does not keep a pointer to its table: it asks the cache on every
// decryption (a map lookup under the lock of one of the cache's 16 shards,
// 30-50 ns against 20-30 µs for the verification), so that the cache sees every use for its LRU order, and an
// evicted table is really freed instead of living on in the sessions that
// used it.

import "github.com/newt-e2ee/newt/internal/ed25519x"

// verifierCacheBytes is the memory budget, in bytes, of the package-level
// cache of signature verification tables shared by all
// [InboundGroupSession]s: 16 MiB in 16 shards of 1 MiB, each holding the
// tables of up to 21 signing keys ([ed25519x.FastVerifierSize] = 48 KiB
// each, plus about 190 bytes per tracked key): about 320 keys in all, as
// keys spread unevenly over the shards. The charge is the heap the cache
// really holds, its maps included.
//
// The policy, per signing key (that is, per Megolm session ID, so that
// several InboundGroupSession objects of one session share a table):
//   - the first [ed25519x.DefaultBuildAfter] (3) signatures checked under a
//     key are verified with the plain strict verification;
//   - the next one builds the key's table (about 0.25 ms, about 3 plain
//     verifications; the first table of the process also builds a shared
//     469 KiB table of the base point, about 2 ms) and every later one uses
//     it, at about a third of the cost of a plain verification;
//   - when the tables exceed the budget, those of the least recently used
//     keys are dropped. Their sessions go back to the plain verification,
//     transparently, and rebuild the table after 3 more signatures.
//
// Sessions that receive a few messages each never build a table.
const verifierCacheBytes = 16 << 20

// verifierCache holds the comb tables of the busiest signing keys.
var verifierCache = ed25519x.NewVerifierCache(verifierCacheBytes)

// testOnlyDisableFastVerify makes verifySignature always use the plain
// strict verification. Tests set it and restore it with t.Cleanup.
var testOnlyDisableFastVerify bool

// verifySignature returns nil if sig is a valid strict Ed25519 signature of
// msg by the session's signing key, and [ErrBadSignature] otherwise (an
// error that also matches [ErrInvalidSigningKey] if the key itself is
// invalid). It uses the key's table from verifierCache when the cache has
// (or now builds) one, and the session's validated public key otherwise;
// both make the same decision.
//
// The cache comes first: a table exists only for a valid key, so a session
// loaded from a pickle whose key already has a table (a busy session that the
// application unpickles per message, say) never decodes its key. Otherwise
// the key is decoded and validated on first use; an invalid one (possible
// only in a pickle, see [InboundGroupSessionFromPickle]) never gets a table,
// so it fails every time with the same error.
func (s *InboundGroupSession) verifySignature(msg, sig []byte) error {
	if !testOnlyDisableFastVerify {
		if v := verifierCache.Get(s.pub); v != nil {
			if !v.Verify(msg, sig) {
				return ErrBadSignature
			}
			return nil
		}
	}
	key, err := s.publicKey()
	if err != nil {
		return err
	}
	if !key.Verify(msg, sig) {
		return ErrBadSignature
	}
	return nil
}
