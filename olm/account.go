// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package olm

// Reviewer's note: the account follows libolm's olm::Account
// (src/account.cpp, include/olm/account.hh) field by field, including the
// quirks that show up in pickles (the fallback slots are kept even when
// unused, mark-as-published also marks an empty fallback slot), so that every
// pickle is byte-identical to libolm's.

import (
	"crypto/rand"
	"fmt"
	"sync"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/internal/b64"
	"github.com/newt-e2ee/newt/internal/ed25519x"
	"github.com/newt-e2ee/newt/internal/redact"
	"github.com/newt-e2ee/newt/internal/x25519"
)

// Account limits and sizes.
const (
	// MaxOneTimeKeys is the number of one-time keys an account stores, as
	// in libolm (olm_account_max_number_of_one_time_keys). Generating more
	// evicts the oldest. Publish at most half of them at a time so that
	// keys the server still hands out are not evicted before use.
	MaxOneTimeKeys = 100
	// AccountRandomSize is the randomness a new account takes: an Ed25519
	// seed and a Curve25519 private key.
	AccountRandomSize = 64
	// IdentityKeysJSONSize is the length of [Account.IdentityKeysJSON].
	IdentityKeysJSONSize = 116
)

// IdentityKeys are an account's long-term public keys.
type IdentityKeys struct {
	// Curve25519 is the identity key used in the Olm handshake
	// ("sender_key" in Matrix).
	Curve25519 newt.Curve25519PublicKey
	// Ed25519 is the fingerprint key that signs the device's keys.
	Ed25519 newt.Ed25519PublicKey
}

// OneTimeKey is the public half of a one-time or fallback key and its ID.
type OneTimeKey struct {
	// ID is the key's ID, unique within the account.
	ID newt.KeyID
	// Key is the Curve25519 public key.
	Key newt.Curve25519PublicKey
}

// OneTimeKeyGeneration reports what [Account.GenerateOneTimeKeys] did.
type OneTimeKeyGeneration struct {
	// Created lists the new keys, newest first.
	Created []OneTimeKey
	// Removed lists the older keys evicted to make room, newest first.
	// If any of them was published, the server may still hand it out, and
	// sessions started with it will fail with [ErrMissingOneTimeKey].
	Removed []OneTimeKey
}

// oneTimeKey is libolm's OneTimeKey record: a one-time or fallback key.
type oneTimeKey struct {
	id        uint32
	published bool
	pub       [32]byte
	priv      x25519.PrivateKey
}

// public returns the key's public half; wide selects vodozemac's form of
// the ID (see Account.wideKeyIDs).
func (k *oneTimeKey) public(wide bool) OneTimeKey {
	return OneTimeKey{ID: keyID(k.id, wide), Key: newt.Curve25519PublicKeyFromArray(k.pub)}
}

// keyID returns id in libolm's form, or vodozemac's when wide.
func keyID(id uint32, wide bool) newt.KeyID {
	if wide {
		return newt.NewWideKeyID(uint64(id))
	}
	return newt.NewKeyID(id)
}

func (k *oneTimeKey) clear() {
	clear(k.priv[:])
	*k = oneTimeKey{}
}

// Account is a device's Olm identity: its Ed25519 fingerprint key, its
// Curve25519 identity key, its one-time keys and its fallback keys. It is
// safe for concurrent use. The zero value is not usable: create accounts
// with [GenerateAccount] or [AccountFromPickle].
type Account struct {
	mu sync.Mutex

	signing     *ed25519x.PrivateKey // expanded key and stored public key
	identityPub [32]byte

	// keys holds the private keys, in a Box: no position of an Account, not
	// even an unexported field that fmt prints by reflection, prints them
	// (internal/redact).
	keys redact.Box[accountKeys]

	numFallback uint8 // 0, 1 or 2

	nextKeyID uint32 // the last key ID handed out

	// wideKeyIDs: the account came from vodozemac, which writes key IDs in
	// 64 bits (11 base64 characters); its keys keep being published in
	// that form. libolm pickles cannot record it.
	wideKeyIDs bool

	// pendingPubs: one-time keys read from vodozemac's JSON, which stores
	// only secret keys, have public keys still to derive (fillPublicKeys,
	// vodozemac.go).
	pendingPubs bool
}

// accountKeys is the secret part of an Account.
type accountKeys struct {
	identityPriv x25519.PrivateKey
	oneTimeKeys  []oneTimeKey // newest first, at most MaxOneTimeKeys
	fallback     oneTimeKey
	prevFallback oneTimeKey
}

// k returns the account's keys.
func (a *Account) k() *accountKeys { return a.keys.Get() }

// newAccountStruct returns an Account with an empty key Box.
func newAccountStruct() *Account {
	return redact.NewOwner(func(a *Account) *redact.Box[accountKeys] { return &a.keys })
}

// GenerateAccount returns a new account with fresh identity keys read from
// crypto/rand and no one-time or fallback keys.
func GenerateAccount() *Account {
	var random [AccountRandomSize]byte
	rand.Read(random[:]) // never fails since Go 1.24
	a := newAccount(&random)
	clear(random[:])
	return a
}

// newAccount implements olm_create_account on fixed randomness: random[0:32]
// is the Ed25519 seed, random[32:64] the Curve25519 identity private key
// (libolm src/account.cpp, olm::Account::new_account).
func newAccount(random *[AccountRandomSize]byte) *Account {
	a := newAccountStruct()
	seed := (*[32]byte)(random[0:32])
	a.signing = ed25519x.NewKeyFromSeed(seed)
	copy(a.k().identityPriv[:], random[32:64])
	a.identityPub = x25519.PublicKey(&a.k().identityPriv)
	return a
}

// IdentityKeys returns the account's public identity keys.
func (a *Account) IdentityKeys() IdentityKeys {
	a.mu.Lock()
	defer a.mu.Unlock()
	return IdentityKeys{
		Curve25519: newt.Curve25519PublicKeyFromArray(a.identityPub),
		Ed25519:    newt.Ed25519PublicKeyFromArray(a.signing.Public()),
	}
}

// IdentityKeysJSON returns the identity keys exactly as libolm's
// olm_account_identity_keys writes them:
// {"curve25519":"<43 chars>","ed25519":"<43 chars>"}, always
// [IdentityKeysJSONSize] bytes.
func (a *Account) IdentityKeysJSON() []byte {
	a.mu.Lock()
	defer a.mu.Unlock()
	pub := a.signing.Public()
	b := make([]byte, 0, IdentityKeysJSONSize)
	b = append(b, `{"curve25519":"`...)
	b = b64.AppendEncode(b, a.identityPub[:])
	b = append(b, `","ed25519":"`...)
	b = b64.AppendEncode(b, pub[:])
	b = append(b, `"}`...)
	return b
}

// Sign signs message with the account's Ed25519 fingerprint key, exactly as
// libolm's olm_account_sign does (expanded key, stored public key).
func (a *Account) Sign(message []byte) newt.Ed25519Signature {
	a.mu.Lock()
	defer a.mu.Unlock()
	return newt.Ed25519SignatureFromArray(a.signing.Sign(message))
}

// String returns the account's public identity keys; it holds no secret.
func (a *Account) String() string {
	return "olm.Account" + string(a.IdentityKeysJSON())
}

// GenerateOneTimeKeys creates n one-time keys from crypto/rand. It implements
// olm_account_generate_one_time_keys (libolm src/account.cpp,
// olm::Account::generate_one_time_keys): each key gets the next key ID (IDs
// start at 1 and are shared with fallback keys) and is inserted at the front;
// past [MaxOneTimeKeys] the oldest keys are dropped. n == 0 does nothing.
// n < 0 is an error, and so is n > MaxOneTimeKeys ([ErrTooManyOneTimeKeys]):
// the account could not keep the keys, and such a count is usually an
// underflow (uint32(50) - 51) that would wrap the key ID counter and
// re-issue the IDs of published keys. libolm accepts it. On error the
// account is unchanged.
func (a *Account) GenerateOneTimeKeys(n int) (OneTimeKeyGeneration, error) {
	if n < 0 {
		return OneTimeKeyGeneration{}, errNegativeCount
	}
	if n > MaxOneTimeKeys {
		return OneTimeKeyGeneration{}, fmt.Errorf("%w: %d, at most %d at once", ErrTooManyOneTimeKeys, n, MaxOneTimeKeys)
	}
	random := make([]byte, 32*n)
	rand.Read(random)
	a.mu.Lock()
	defer a.mu.Unlock()
	res := a.generateOneTimeKeys(n, random)
	clear(random)
	return res, nil
}

// generateOneTimeKeys is the deterministic core of GenerateOneTimeKeys.
// random holds the private keys of the last min(n, MaxOneTimeKeys) keys, in
// generation order (libolm's random buffer without the keys that would be
// evicted at once).
func (a *Account) generateOneTimeKeys(n int, random []byte) OneTimeKeyGeneration {
	a.fillPublicKeys()
	keys := a.k()
	k := min(n, MaxOneTimeKeys)
	if n > k {
		a.nextKeyID += uint32(n - k) // libolm would hand these IDs out and evict the keys
	}
	var res OneTimeKeyGeneration
	if k == 0 {
		return res
	}
	// Keys that fall off the end.
	if evict := len(keys.oneTimeKeys) + k - MaxOneTimeKeys; evict > 0 {
		for i := len(keys.oneTimeKeys) - evict; i < len(keys.oneTimeKeys); i++ {
			res.Removed = append(res.Removed, keys.oneTimeKeys[i].public(a.wideKeyIDs))
		}
	}
	keep := min(len(keys.oneTimeKeys), MaxOneTimeKeys-k)
	next := make([]oneTimeKey, k+keep, MaxOneTimeKeys)
	copy(next[k:], keys.oneTimeKeys[:keep])
	for i := keep; i < len(keys.oneTimeKeys); i++ {
		keys.oneTimeKeys[i].clear()
	}
	for j := range k { // key j is generated j-th: it ends up at index k-1-j
		key := &next[k-1-j]
		a.nextKeyID++
		key.id = a.nextKeyID
		copy(key.priv[:], random[32*j:32*j+32])
		key.pub = x25519.PublicKey(&key.priv)
	}
	for i := range k {
		res.Created = append(res.Created, next[i].public(a.wideKeyIDs))
	}
	clear(keys.oneTimeKeys)
	keys.oneTimeKeys = next
	return res
}

// OneTimeKeys returns the unpublished one-time keys, newest first.
func (a *Account) OneTimeKeys() []OneTimeKey {
	a.mu.Lock()
	defer a.mu.Unlock()
	var keys []OneTimeKey
	for i := range a.k().oneTimeKeys {
		if !a.k().oneTimeKeys[i].published {
			keys = append(keys, a.k().oneTimeKeys[i].public(a.wideKeyIDs))
		}
	}
	return keys
}

// OneTimeKeysJSON returns the unpublished one-time keys exactly as libolm's
// olm_account_one_time_keys writes them, newest first:
// {"curve25519":{"AAAAAg":"<key>","AAAAAQ":"<key>"}}, or
// {"curve25519":{}} when there are none. An account loaded from one of
// vodozemac's formats writes its key IDs as vodozemac does, in eleven
// characters ("AAAAAAAAAAI"); see [newt.KeyID].
func (a *Account) OneTimeKeysJSON() []byte {
	a.mu.Lock()
	defer a.mu.Unlock()
	b := make([]byte, 0, 17+54*len(a.k().oneTimeKeys))
	b = append(b, `{"curve25519":{`...)
	first := true
	for i := range a.k().oneTimeKeys {
		if a.k().oneTimeKeys[i].published {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendKeyJSON(b, &a.k().oneTimeKeys[i], a.wideKeyIDs)
	}
	return append(b, `}}`...)
}

// appendKeyJSON appends "<id>":"<key>".
func appendKeyJSON(b []byte, k *oneTimeKey, wide bool) []byte {
	b = append(b, '"')
	b = append(b, keyID(k.id, wide).String()...)
	b = append(b, `":"`...)
	b = b64.AppendEncode(b, k.pub[:])
	return append(b, '"')
}

// MarkKeysAsPublished marks every one-time key and the current fallback key
// as published, so that they no longer appear in OneTimeKeys and
// UnpublishedFallbackKey. It returns the number of one-time keys that were
// unpublished (libolm's olm_account_mark_keys_as_published).
func (a *Account) MarkKeysAsPublished() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	n := 0
	for i := range a.k().oneTimeKeys {
		if !a.k().oneTimeKeys[i].published {
			a.k().oneTimeKeys[i].published = true
			n++
		}
	}
	a.k().fallback.published = true // even when there is no fallback key, as libolm does
	return n
}

// GenerateFallbackKey creates a new fallback key from crypto/rand and
// returns it. The current fallback key becomes the previous one (still
// usable for inbound sessions until [Account.ForgetOldFallbackKey]); an
// older previous key is dropped. The key takes the next key ID.
func (a *Account) GenerateFallbackKey() OneTimeKey {
	var random [32]byte
	rand.Read(random[:])
	a.mu.Lock()
	defer a.mu.Unlock()
	k := a.generateFallbackKey(&random)
	clear(random[:])
	return k
}

// generateFallbackKey implements olm_account_generate_fallback_key on fixed
// randomness (libolm src/account.cpp, olm::Account::generate_fallback_key).
func (a *Account) generateFallbackKey(random *[32]byte) OneTimeKey {
	keys := a.k()
	a.numFallback = min(a.numFallback+1, 2)
	keys.prevFallback.clear()
	keys.prevFallback = keys.fallback // copied even when there was none, as libolm does
	a.nextKeyID++
	keys.fallback = oneTimeKey{id: a.nextKeyID}
	copy(keys.fallback.priv[:], random[:])
	keys.fallback.pub = x25519.PublicKey(&keys.fallback.priv)
	return keys.fallback.public(a.wideKeyIDs)
}

// FallbackKey returns the current fallback key, published or not, and
// whether there is one (libolm's deprecated olm_account_fallback_key).
func (a *Account) FallbackKey() (OneTimeKey, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.numFallback < 1 {
		return OneTimeKey{}, false
	}
	return a.k().fallback.public(a.wideKeyIDs), true
}

// UnpublishedFallbackKey returns the current fallback key if it exists and
// has not been marked as published.
func (a *Account) UnpublishedFallbackKey() (OneTimeKey, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.numFallback < 1 || a.k().fallback.published {
		return OneTimeKey{}, false
	}
	return a.k().fallback.public(a.wideKeyIDs), true
}

// FallbackKeyJSON returns [Account.FallbackKey] in libolm's one-time key JSON
// shape: {"curve25519":{"<id>":"<key>"}} or {"curve25519":{}}.
func (a *Account) FallbackKeyJSON() []byte {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.fallbackJSON(a.numFallback >= 1)
}

// UnpublishedFallbackKeyJSON returns [Account.UnpublishedFallbackKey] in
// libolm's JSON shape (olm_account_unpublished_fallback_key).
func (a *Account) UnpublishedFallbackKeyJSON() []byte {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.fallbackJSON(a.numFallback >= 1 && !a.k().fallback.published)
}

func (a *Account) fallbackJSON(include bool) []byte {
	b := make([]byte, 0, 17+54)
	b = append(b, `{"curve25519":{`...)
	if include {
		b = appendKeyJSON(b, &a.k().fallback, a.wideKeyIDs)
	}
	return append(b, `}}`...)
}

// ForgetOldFallbackKey drops the previous fallback key, after which inbound
// sessions can no longer be started with it. It reports whether there was
// one (libolm's olm_account_forget_old_fallback_key).
func (a *Account) ForgetOldFallbackKey() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.numFallback < 2 {
		return false
	}
	a.numFallback = 1
	a.k().prevFallback.clear()
	return true
}

// RemoveOneTimeKeys removes the one-time key that session s was created with
// and returns its ID, as libolm's olm_remove_one_time_keys does (libolm
// src/olm.cpp and src/account.cpp, olm::Account::remove_key). If that key is
// the current or previous fallback key, it returns its ID and removes
// nothing. If the account holds no such key it returns
// [ErrMissingOneTimeKey].
//
// [Account.NewInboundSession] already removes the one-time key it used, so
// calling this afterwards is only needed for sessions from elsewhere (for
// example unpickled from libolm before their first message was decrypted).
func (a *Account) RemoveOneTimeKeys(s *Session) (newt.KeyID, error) {
	if s == nil {
		return newt.KeyID{}, ErrMissingOneTimeKey
	}
	s.mu.Lock()
	key := s.bobOneTimeKey
	s.mu.Unlock()
	a.mu.Lock()
	defer a.mu.Unlock()
	if id, ok := a.removeOneTimeKey(&key); ok {
		return keyID(id, a.wideKeyIDs), nil
	}
	return newt.KeyID{}, ErrMissingOneTimeKey
}

// removeOneTimeKey implements olm::Account::remove_key.
func (a *Account) removeOneTimeKey(pub *[32]byte) (uint32, bool) {
	a.fillPublicKeys()
	keys := a.k()
	for i := range keys.oneTimeKeys {
		if keys.oneTimeKeys[i].pub == *pub {
			id := keys.oneTimeKeys[i].id
			keys.oneTimeKeys[i].clear()
			copy(keys.oneTimeKeys[i:], keys.oneTimeKeys[i+1:])
			keys.oneTimeKeys[len(keys.oneTimeKeys)-1] = oneTimeKey{}
			keys.oneTimeKeys = keys.oneTimeKeys[:len(keys.oneTimeKeys)-1]
			return id, true
		}
	}
	if a.numFallback >= 1 && keys.fallback.pub == *pub {
		return keys.fallback.id, true
	}
	if a.numFallback >= 2 && keys.prevFallback.pub == *pub {
		return keys.prevFallback.id, true
	}
	return 0, false
}

// lookupKey implements olm::Account::lookup_key: the one-time keys, then the
// current fallback key, then the previous one. It returns the private key
// and whether the key is a one-time key (which must be removed once used).
func (a *Account) lookupKey(pub *[32]byte) (priv *x25519.PrivateKey, oneTime, ok bool) {
	a.fillPublicKeys()
	keys := a.k()
	for i := range keys.oneTimeKeys {
		if keys.oneTimeKeys[i].pub == *pub {
			return &keys.oneTimeKeys[i].priv, true, true
		}
	}
	if a.numFallback >= 1 && keys.fallback.pub == *pub {
		return &keys.fallback.priv, false, true
	}
	if a.numFallback >= 2 && keys.prevFallback.pub == *pub {
		return &keys.prevFallback.priv, false, true
	}
	return nil, false, false
}
