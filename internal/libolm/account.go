// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

//go:build libolm

package libolm

// #include "shim.h"
import "C"

import "runtime"

// Account is an OlmAccount in C memory (include/olm/olm.h, src/account.cpp).
type Account struct {
	ptr     *C.OlmAccount
	cleanup runtime.Cleanup
}

func newAccount() *Account {
	a := &Account{ptr: C.newt_account_new()}
	a.cleanup = runtime.AddCleanup(a, func(p *C.OlmAccount) { C.newt_account_free(p) }, a.ptr)
	return a
}

// p returns the C object, panicking after Free.
func (a *Account) p() *C.OlmAccount {
	if a == nil || a.ptr == nil {
		freed("Account")
	}
	return a.ptr
}

// Free clears (zeroes) and releases the account. It is safe to call twice.
func (a *Account) Free() {
	if a == nil || a.ptr == nil {
		return
	}
	a.cleanup.Stop()
	C.newt_account_free(a.ptr)
	a.ptr = nil
}

// NewAccount runs olm_create_account with 64 random bytes: [0:32] is the
// Ed25519 identity seed and [32:64] the Curve25519 identity private key.
func NewAccount(random []byte) (*Account, error) {
	a := newAccount()
	if err := cerr(C.newt_account_create(a.ptr, ptr(random), sz(len(random)))); err != nil {
		a.Free()
		return nil, err
	}
	return a, nil
}

// AccountFromPickle runs olm_unpickle_account on a copy of pickle.
func AccountFromPickle(key []byte, pickle string) (*Account, error) {
	a := newAccount()
	if err := cerr(C.newt_account_unpickle(a.ptr, ptr(key), sz(len(key)), sptr(pickle),
		sz(len(pickle)))); err != nil {
		a.Free()
		return nil, err
	}
	return a, nil
}

// Pickle runs olm_pickle_account (deterministic for a given key and state).
func (a *Account) Pickle(key []byte) string {
	defer runtime.KeepAlive(a)
	return mustString(C.newt_account_pickle(a.p(), ptr(key), sz(len(key))))
}

// IdentityKeys returns the identity JSON
// {"curve25519":"<43>","ed25519":"<43>"} (116 bytes).
func (a *Account) IdentityKeys() string {
	defer runtime.KeepAlive(a)
	return mustString(C.newt_account_identity_keys(a.p()))
}

// Sign runs olm_account_sign: the b64 Ed25519 signature (86 characters).
func (a *Account) Sign(msg []byte) string {
	defer runtime.KeepAlive(a)
	return mustString(C.newt_account_sign(a.p(), ptr(msg), sz(len(msg))))
}

// OneTimeKeys returns the JSON of unpublished one-time keys, newest first.
func (a *Account) OneTimeKeys() string {
	defer runtime.KeepAlive(a)
	return mustString(C.newt_account_one_time_keys(a.p()))
}

// MarkKeysAsPublished runs olm_account_mark_keys_as_published and returns
// the number of one-time keys it marked.
func (a *Account) MarkKeysAsPublished() int {
	defer runtime.KeepAlive(a)
	return int(C.olm_account_mark_keys_as_published(a.p()))
}

// MaxNumberOfOneTimeKeys returns libolm's one-time key capacity (100).
func (a *Account) MaxNumberOfOneTimeKeys() int {
	defer runtime.KeepAlive(a)
	return int(C.olm_account_max_number_of_one_time_keys(a.p()))
}

// GenerateOneTimeKeys runs olm_account_generate_one_time_keys with 32*n
// random bytes; key k uses random[32k:32k+32].
func (a *Account) GenerateOneTimeKeys(n int, random []byte) error {
	defer runtime.KeepAlive(a)
	if n < 0 {
		return &Error{Name: "NOT_ENOUGH_RANDOM"}
	}
	return cerr(C.newt_account_generate_otks(a.p(), sz(n), ptr(random), sz(len(random))))
}

// GenerateFallbackKey runs olm_account_generate_fallback_key with 32 random
// bytes (the Curve25519 private key).
func (a *Account) GenerateFallbackKey(random []byte) error {
	defer runtime.KeepAlive(a)
	return cerr(C.newt_account_generate_fallback(a.p(), ptr(random), sz(len(random))))
}

// FallbackKey runs the deprecated olm_account_fallback_key: the current
// fallback key as JSON, published or not.
func (a *Account) FallbackKey() string {
	defer runtime.KeepAlive(a)
	return mustString(C.newt_account_fallback_key(a.p()))
}

// UnpublishedFallbackKey runs olm_account_unpublished_fallback_key: the
// current fallback key as JSON only while it is unpublished.
func (a *Account) UnpublishedFallbackKey() string {
	defer runtime.KeepAlive(a)
	return mustString(C.newt_account_unpublished_fallback_key(a.p()))
}

// ForgetOldFallbackKey runs olm_account_forget_old_fallback_key.
func (a *Account) ForgetOldFallbackKey() {
	defer runtime.KeepAlive(a)
	C.olm_account_forget_old_fallback_key(a.p())
}

// RemoveOneTimeKeys runs olm_remove_one_time_keys(a, s): it removes the
// one-time key s was created from (a fallback key is kept). The error,
// BAD_MESSAGE_KEY_ID, is set on the account (src/olm.cpp).
func (a *Account) RemoveOneTimeKeys(s *Session) error {
	defer runtime.KeepAlive(a)
	defer runtime.KeepAlive(s)
	return cerr(C.newt_remove_one_time_keys(a.p(), s.p()))
}
