// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package olm

// Reviewer's note: vodozemac's pickles of accounts, in both of its forms
// (serde JSON and the encrypted string). The formats and vodozemac's own
// conversion rules from libolm's state are in docs/vodozemac-formats.md;
// the codec is internal/vzpickle. newt's account is libolm's, so reading
// vodozemac's state applies those rules backwards and refuses what a libolm
// account cannot hold, and writing applies them as vodozemac's
// from_libolm_pickle does: newt's output for an account read from a libolm
// pickle is byte for byte what vodozemac's migration writes.

import (
	"errors"
	"math"
	"strings"

	"github.com/newt-e2ee/newt/internal/vzpickle"
	"github.com/newt-e2ee/newt/internal/x25519"
)

// VodozemacPickleKeySize is the size of the key of vodozemac's encrypted
// pickles (*Pickle::encrypt takes exactly 32 bytes).
const VodozemacPickleKeySize = vzpickle.KeySize

var (
	// ErrPickleKeySize means a key for a vodozemac pickle is not 32 bytes.
	ErrPickleKeySize = errors.New("olm: vodozemac pickle key must be 32 bytes")
	// ErrNotRepresentable means a vodozemac pickle holds state newt's
	// libolm-compatible objects cannot hold: a key ID or chain index above
	// 2³²−1, more one-time keys than [MaxOneTimeKeys], more skipped message
	// keys than libolm keeps, or a previous fallback key without a current
	// one. The error says which; nothing is truncated.
	ErrNotRepresentable = errors.New("olm: vodozemac state not representable")
)

func notRepresentable(what string) error {
	return &pickleError{msg: "olm: vodozemac state not representable: " + what, kind: ErrNotRepresentable}
}

// pickleError is an error of a kind with its own description.
type pickleError struct {
	msg  string
	kind error
	more error
}

func (e *pickleError) Error() string { return e.msg }
func (e *pickleError) Unwrap() []error {
	if e.more != nil {
		return []error{e.kind, e.more}
	}
	return []error{e.kind}
}

// vzErrors are the errors of the encrypted form, as this package reports
// them.
var vzErrors = vzpickle.Errors{
	KeySize: ErrPickleKeySize,
	Base64:  &pickleError{msg: "olm: corrupted pickle: invalid base64", kind: ErrCorruptedPickle},
	BadKey:  ErrBadPickleKey,
}

// vzError maps a JSON decoding error: it matches ErrCorruptedPickle and the
// codec's kind, and keeps its description (member path, no data).
func vzError(err error) error {
	return &pickleError{msg: "olm: corrupted pickle: " + strings.TrimPrefix(err.Error(), "vzpickle: "), kind: ErrCorruptedPickle, more: err}
}

// PickleJSON returns the account as vodozemac's AccountPickle JSON, byte for
// byte what serde_json writes (docs/vodozemac-formats.md). The one-time
// keys keep their IDs; next_key_id is newt's key counter + 1 and the
// fallback counter the current fallback key's ID + 1, as vodozemac converts
// a libolm account. The signing key is written as its seed when the account
// knows it (made by [GenerateAccount], read from vodozemac's JSON with a
// seed, or rehydrated), else as libolm's expanded key. The result holds the
// account's secrets.
func (a *Account) PickleJSON() []byte { return a.AppendPickleJSON(nil) }

// AppendPickleJSON is [Account.PickleJSON] appending to dst.
func (a *Account) AppendPickleJSON(dst []byte) []byte {
	a.mu.Lock()
	p := a.vodozemacPickle()
	a.mu.Unlock()
	return vzpickle.AppendAndClear(dst, p)
}

// vodozemacPickle converts the account; the caller holds a.mu.
func (a *Account) vodozemacPickle() *vzpickle.Account {
	p := new(vzpickle.Account)
	p.SigningKey.Set(a.signing)
	p.DiffieHellmanKey = a.k().identityPriv
	p.NextKeyID = uint64(a.nextKeyID) + 1
	p.PrivateKeys = make([]vzpickle.KeyEntry, 0, len(a.k().oneTimeKeys))
	for i := len(a.k().oneTimeKeys) - 1; i >= 0; i-- { // newest first → ascending IDs
		k := &a.k().oneTimeKeys[i]
		p.PrivateKeys = append(p.PrivateKeys, vzpickle.KeyEntry{ID: uint64(k.id), Key: k.priv})
		if !k.published {
			p.PublicKeys = append(p.PublicKeys, vzpickle.KeyEntry{ID: uint64(k.id), Key: k.pub})
		}
	}
	// newt's IDs are unique, but a libolm pickle's order is not guaranteed.
	vzpickle.SortKeys(p.PrivateKeys)
	vzpickle.SortKeys(p.PublicKeys)
	if a.numFallback >= 1 {
		p.FallbackKey = &vzpickle.FallbackKey{KeyID: uint64(a.k().fallback.id), Key: a.k().fallback.priv, Published: a.k().fallback.published}
		// vodozemac: the fallback counter is the current key's ID + 1,
		// computed in 32 bits.
		p.FallbackKeyID = uint64(a.k().fallback.id + 1)
	}
	if a.numFallback >= 2 {
		p.PreviousFallbackKey = &vzpickle.FallbackKey{KeyID: uint64(a.k().prevFallback.id), Key: a.k().prevFallback.priv, Published: a.k().prevFallback.published}
	}
	return p
}

// AccountFromPickleJSON reads vodozemac's AccountPickle JSON (as
// matrix-sdk-crypto stores it in its PickledAccount record, member
// "pickle"). Malformed JSON, unknown members or variants and wrong lengths
// give an error matching [ErrCorruptedPickle]; state newt cannot hold gives
// [ErrNotRepresentable]. The identity key is derived from its secret key;
// the stored public keys of unpublished one-time keys are taken as stored
// (as vodozemac takes them) and those of published keys, which vodozemac
// does not store, are derived when an operation first needs them.
//
// What changes: newt keeps one key counter for one-time and fallback keys
// (libolm's), set to next_key_id − 1, so new keys continue vodozemac's
// numbering; the fallback counter is not kept (it is written back as the
// current fallback key's ID + 1, which is what vodozemac holds in every
// state it creates).
func AccountFromPickleJSON(b []byte) (*Account, error) {
	p, err := vzpickle.ParseAccount(b)
	if err != nil {
		return nil, vzError(err)
	}
	defer p.Clear()
	return accountFromVodozemac(p)
}

func accountFromVodozemac(p *vzpickle.Account) (*Account, error) {
	if len(p.PrivateKeys) > MaxOneTimeKeys {
		return nil, notRepresentable("more one-time keys than newt's account stores (100)")
	}
	if p.NextKeyID > math.MaxUint32+1 {
		return nil, notRepresentable("one-time key counter above 2^32")
	}
	if p.FallbackKey == nil && p.PreviousFallbackKey != nil {
		return nil, notRepresentable("a previous fallback key without a current one")
	}
	a := newAccountStruct()
	a.wideKeyIDs = true
	a.signing = p.SigningKey.PrivateKey()
	a.k().identityPriv = p.DiffieHellmanKey
	a.identityPub = x25519.PublicKey(&a.k().identityPriv)
	if p.NextKeyID > 0 {
		a.nextKeyID = uint32(p.NextKeyID - 1)
	}
	unpublished := make(map[uint64][32]byte, len(p.PublicKeys))
	for _, k := range p.PublicKeys {
		unpublished[k.ID] = k.Key
	}
	a.k().oneTimeKeys = make([]oneTimeKey, len(p.PrivateKeys))
	for i, k := range p.PrivateKeys { // ascending IDs → newest first
		if k.ID > math.MaxUint32 {
			a.clear()
			return nil, notRepresentable("one-time key ID above 2^32-1")
		}
		o := &a.k().oneTimeKeys[len(p.PrivateKeys)-1-i]
		o.id = uint32(k.ID)
		o.priv = k.Key
		if pub, ok := unpublished[k.ID]; ok {
			// The unpublished keys' public keys are stored: taken as
			// stored, as vodozemac takes them.
			o.pub = pub
			delete(unpublished, k.ID)
		} else {
			// A published key's public key is derived when first needed.
			o.published = true
			a.pendingPubs = true
		}
	}
	if len(unpublished) != 0 {
		a.clear()
		return nil, &pickleError{msg: "olm: corrupted pickle: unpublished public key without a secret key", kind: ErrCorruptedPickle}
	}
	for _, f := range []struct {
		src *vzpickle.FallbackKey
		dst *oneTimeKey
	}{{p.FallbackKey, &a.k().fallback}, {p.PreviousFallbackKey, &a.k().prevFallback}} {
		if f.src == nil {
			continue
		}
		if f.src.KeyID > math.MaxUint32 {
			a.clear()
			return nil, notRepresentable("fallback key ID above 2^32-1")
		}
		*f.dst = oneTimeKey{id: uint32(f.src.KeyID), published: f.src.Published, priv: f.src.Key}
		f.dst.pub = x25519.PublicKey(&f.dst.priv)
		a.numFallback++
	}
	return a, nil
}

// fillPublicKeys derives the public keys of one-time keys read from
// vodozemac's JSON, which stores only the secret keys of published keys.
// Deriving them costs a scalar multiplication each (vodozemac pays it on
// every load); newt pays it once, when an operation first needs them. The
// caller holds a.mu.
func (a *Account) fillPublicKeys() {
	if !a.pendingPubs {
		return
	}
	for i := range a.k().oneTimeKeys {
		if k := &a.k().oneTimeKeys[i]; k.pub == [32]byte{} {
			k.pub = x25519.PublicKey(&k.priv)
		}
	}
	a.pendingPubs = false
}

// VodozemacPickle returns the account in vodozemac's encrypted pickle form
// (AccountPickle::encrypt): [Account.PickleJSON] under libolm's pickle
// cipher with a 32-byte key. It fails only with [ErrPickleKeySize].
func (a *Account) VodozemacPickle(key []byte) (string, error) {
	a.mu.Lock()
	p := a.vodozemacPickle()
	a.mu.Unlock()
	return vzErrors.Seal(key, p)
}

// AccountFromVodozemacPickle decrypts and reads vodozemac's encrypted
// pickle form. A wrong key or a modified pickle gives [ErrBadPickleKey];
// the other errors are those of [AccountFromPickleJSON].
func AccountFromVodozemacPickle(p string, key []byte) (*Account, error) {
	return vzpickle.Open(&vzErrors, key, p, AccountFromPickleJSON)
}
