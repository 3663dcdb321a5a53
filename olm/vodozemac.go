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
	"slices"
	"strings"

	"github.com/newt-e2ee/newt/internal/ed25519x"
	"github.com/newt-e2ee/newt/internal/vzpickle"
	"github.com/newt-e2ee/newt/internal/x25519"
)

// VodozemacPickleKeySize is the size of the key of vodozemac's encrypted
// pickles (*Pickle::encrypt takes exactly 32 bytes).
const VodozemacPickleKeySize = vzpickle.KeySize

var (
	// ErrPickleKeySize means a key for a vodozemac pickle is not 32 bytes.
	ErrPickleKeySize = errors.New("olm: vodozemac pickle key must be 32 bytes")
	// ErrUnsupportedConfig means a vodozemac session pickle with the Olm v2
	// configuration (untruncated MAC), which this package does not
	// implement.
	ErrUnsupportedConfig = errors.New("olm: session config version 2 is not supported")
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
func (a *Account) PickleJSON() []byte {
	a.mu.Lock()
	p := a.vodozemacPickle()
	a.mu.Unlock()
	out := p.AppendJSON(make([]byte, 0, p.JSONLen()))
	p.Clear()
	return out
}

// vodozemacPickle converts the account; the caller holds a.mu.
func (a *Account) vodozemacPickle() *vzpickle.Account {
	p := new(vzpickle.Account)
	if seed, ok := a.signing.Seed(); ok {
		p.SigningKey.Seed = seed
		clear(seed[:])
	} else {
		p.SigningKey.Expanded = true
		p.SigningKey.ExpandedKey = a.signing.Expanded()
	}
	p.DiffieHellmanKey = a.identityPriv
	p.NextKeyID = uint64(a.nextKeyID) + 1
	p.PrivateKeys = make([]vzpickle.KeyEntry, 0, len(a.oneTimeKeys))
	for i := len(a.oneTimeKeys) - 1; i >= 0; i-- { // newest first → ascending IDs
		k := &a.oneTimeKeys[i]
		p.PrivateKeys = append(p.PrivateKeys, vzpickle.KeyEntry{ID: uint64(k.id), Key: k.priv})
		if !k.published {
			p.PublicKeys = append(p.PublicKeys, vzpickle.KeyEntry{ID: uint64(k.id), Key: k.pub})
		}
	}
	sortKeys(p.PrivateKeys)
	sortKeys(p.PublicKeys)
	if a.numFallback >= 1 {
		p.FallbackKey = &vzpickle.FallbackKey{KeyID: uint64(a.fallback.id), Key: a.fallback.priv, Published: a.fallback.published}
		// vodozemac: the fallback counter is the current key's ID + 1,
		// computed in 32 bits.
		p.FallbackKeyID = uint64(a.fallback.id + 1)
	}
	if a.numFallback >= 2 {
		p.PreviousFallbackKey = &vzpickle.FallbackKey{KeyID: uint64(a.prevFallback.id), Key: a.prevFallback.priv, Published: a.prevFallback.published}
	}
	return p
}

// sortKeys sorts by ascending ID (newt's IDs are unique, but a libolm
// pickle's order is not guaranteed).
func sortKeys(k []vzpickle.KeyEntry) {
	slices.SortStableFunc(k, func(x, y vzpickle.KeyEntry) int {
		switch {
		case x.ID < y.ID:
			return -1
		case x.ID > y.ID:
			return 1
		}
		return 0
	})
}

// AccountFromPickleJSON reads vodozemac's AccountPickle JSON (as
// matrix-sdk-crypto stores it in its PickledAccount record, member
// "pickle"). Malformed JSON, unknown members or variants and wrong lengths
// give an error matching [ErrCorruptedPickle]; state newt cannot hold gives
// [ErrNotRepresentable]. The identity and one-time public keys are derived
// from the secret keys; a stored unpublished public key that does not match
// its secret key is [ErrCorruptedPickle].
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
	a := new(Account)
	if p.SigningKey.Expanded {
		a.signing = ed25519x.NewKeyFromExpandedSecret(&p.SigningKey.ExpandedKey)
	} else {
		a.signing = ed25519x.NewKeyFromSeed(&p.SigningKey.Seed)
	}
	a.identityPriv = p.DiffieHellmanKey
	a.identityPub = x25519.PublicKey(&a.identityPriv)
	if p.NextKeyID > 0 {
		a.nextKeyID = uint32(p.NextKeyID - 1)
	}
	unpublished := make(map[uint64][32]byte, len(p.PublicKeys))
	for _, k := range p.PublicKeys {
		unpublished[k.ID] = k.Key
	}
	a.oneTimeKeys = make([]oneTimeKey, len(p.PrivateKeys))
	for i, k := range p.PrivateKeys { // ascending IDs → newest first
		if k.ID > math.MaxUint32 {
			a.clear()
			return nil, notRepresentable("one-time key ID above 2^32-1")
		}
		o := &a.oneTimeKeys[len(p.PrivateKeys)-1-i]
		o.id = uint32(k.ID)
		o.priv = k.Key
		o.pub = x25519.PublicKey(&o.priv)
		if pub, ok := unpublished[k.ID]; ok {
			if pub != o.pub {
				a.clear()
				return nil, &pickleError{msg: "olm: corrupted pickle: one-time public key does not match its secret key", kind: ErrCorruptedPickle}
			}
			delete(unpublished, k.ID)
		} else {
			o.published = true
		}
	}
	if len(unpublished) != 0 {
		a.clear()
		return nil, &pickleError{msg: "olm: corrupted pickle: unpublished public key without a secret key", kind: ErrCorruptedPickle}
	}
	for _, f := range []struct {
		src *vzpickle.FallbackKey
		dst *oneTimeKey
	}{{p.FallbackKey, &a.fallback}, {p.PreviousFallbackKey, &a.prevFallback}} {
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

// VodozemacPickle returns the account in vodozemac's encrypted pickle form
// (AccountPickle::encrypt): [Account.PickleJSON] under libolm's pickle
// cipher with a 32-byte key. It fails only with [ErrPickleKeySize].
func (a *Account) VodozemacPickle(key []byte) (string, error) {
	if len(key) != VodozemacPickleKeySize {
		return "", ErrPickleKeySize
	}
	j := a.PickleJSON()
	defer clear(j)
	p, err := vzpickle.Encrypt(key, j)
	if err != nil {
		return "", ErrPickleKeySize
	}
	return string(p), nil
}

// AccountFromVodozemacPickle decrypts and reads vodozemac's encrypted
// pickle form. A wrong key or a modified pickle gives [ErrBadPickleKey];
// the other errors are those of [AccountFromPickleJSON].
func AccountFromVodozemacPickle(p string, key []byte) (*Account, error) {
	j, err := openVodozemac(p, key)
	if err != nil {
		return nil, err
	}
	defer clear(j)
	return AccountFromPickleJSON(j)
}

func openVodozemac(p string, key []byte) ([]byte, error) {
	if len(key) != VodozemacPickleKeySize {
		return nil, ErrPickleKeySize
	}
	j, err := vzpickle.Decrypt(key, []byte(p))
	switch {
	case err == nil:
		return j, nil
	case errors.Is(err, vzpickle.ErrBase64):
		return nil, &pickleError{msg: "olm: corrupted pickle: invalid base64", kind: ErrCorruptedPickle}
	}
	return nil, ErrBadPickleKey
}
