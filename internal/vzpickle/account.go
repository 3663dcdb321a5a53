// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package vzpickle

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/newt-e2ee/newt/internal/ed25519x"
)

// Limits of vodozemac's account (docs/vodozemac-formats.md).
const (
	// MaxStoredOneTimeKeys is the number of one-time keys vodozemac keeps
	// (OneTimeKeys::MAX_ONE_TIME_KEYS, 100 × 50).
	MaxStoredOneTimeKeys = 5000
)

// SigningKey is vodozemac's Ed25519 key pair pickle: a 32-byte seed
// ({"Normal":[...]}) or, for accounts migrated from libolm, libolm's 64-byte
// expanded secret key ({"Expanded":[...]}).
type SigningKey struct {
	Expanded    bool
	Seed        [32]byte // when !Expanded
	ExpandedKey [64]byte // when Expanded
}

// Set stores key pair k: its seed if it knows one ("Normal"), else libolm's
// expanded key ("Expanded"), as vodozemac writes a key migrated from libolm.
func (k *SigningKey) Set(priv *ed25519x.PrivateKey) {
	if seed, ok := priv.Seed(); ok {
		k.Seed = seed
		clear(seed[:])
		return
	}
	k.Expanded = true
	k.ExpandedKey = priv.Expanded()
}

// PrivateKey returns the key pair k holds.
func (k *SigningKey) PrivateKey() *ed25519x.PrivateKey {
	if k.Expanded {
		return ed25519x.NewKeyFromExpandedSecret(&k.ExpandedKey)
	}
	return ed25519x.NewKeyFromSeed(&k.Seed)
}

// KeyEntry is one entry of a one-time key map: a key ID and a 32-byte key
// (public or secret, by map).
type KeyEntry struct {
	ID  uint64
	Key [32]byte
}

// FallbackKey is vodozemac's FallbackKey: its ID, secret key and whether it
// was published.
type FallbackKey struct {
	KeyID     uint64
	Key       [32]byte
	Published bool
}

// Account is vodozemac's AccountPickle.
type Account struct {
	SigningKey       SigningKey
	DiffieHellmanKey [32]byte // the Curve25519 identity secret key
	// NextKeyID is the ID the next one-time key gets.
	NextKeyID uint64
	// PublicKeys are the unpublished one-time keys' public keys, by
	// ascending ID.
	PublicKeys []KeyEntry
	// PrivateKeys are all one-time keys' secret keys, by ascending ID.
	PrivateKeys []KeyEntry
	// FallbackKeyID is the ID the next fallback key gets.
	FallbackKeyID       uint64
	FallbackKey         *FallbackKey
	PreviousFallbackKey *FallbackKey
}

// Clear overwrites the account's secrets (best effort).
func (a *Account) Clear() {
	clear(a.SigningKey.Seed[:])
	clear(a.SigningKey.ExpandedKey[:])
	clear(a.DiffieHellmanKey[:])
	for i := range a.PrivateKeys {
		clear(a.PrivateKeys[i].Key[:])
	}
	if a.FallbackKey != nil {
		clear(a.FallbackKey.Key[:])
	}
	if a.PreviousFallbackKey != nil {
		clear(a.PreviousFallbackKey.Key[:])
	}
}

// ParseAccount decodes an AccountPickle. Members may come in any order;
// "key_id" is accepted for "next_key_id" as vodozemac accepts it.
func ParseAccount(b []byte) (*Account, error) {
	d := &decoder{b: b}
	a := new(Account)
	d.members(
		req("signing_key", func() { d.signingKey(&a.SigningKey) }),
		req("diffie_hellman_key", func() { d.bytes(a.DiffieHellmanKey[:]) }),
		req("one_time_keys", func() {
			d.members(
				member{name: "next_key_id", alias: "key_id", read: func() { a.NextKeyID = d.uint(1<<64 - 1) }},
				req("public_keys", func() { a.PublicKeys = d.keyMap() }),
				req("private_keys", func() { a.PrivateKeys = d.keyMap() }),
			)
		}),
		req("fallback_keys", func() {
			d.members(
				req("key_id", func() { a.FallbackKeyID = d.uint(1<<64 - 1) }),
				req("fallback_key", func() { a.FallbackKey = d.optFallbackKey() }),
				req("previous_fallback_key", func() { a.PreviousFallbackKey = d.optFallbackKey() }),
			)
		}),
	)
	return finish(d, a)
}

func (d *decoder) signingKey(k *SigningKey) {
	d.variant(func(name string) {
		switch name {
		case "Normal":
			d.bytes(k.Seed[:])
		case "Expanded":
			k.Expanded = true
			d.bytes(k.ExpandedKey[:])
		default:
			d.fail(ErrUnknownVariant, "unknown signing key variant")
		}
	})
}

// keyMap reads {"<u64>":[32 bytes],...} and returns it by ascending ID.
func (d *decoder) keyMap() []KeyEntry {
	var out []KeyEntry
	if d.peek() == '{' && d.i+1 < len(d.b) && d.b[d.i+1] != '}' {
		out = make([]KeyEntry, 0, 64) // most accounts hold 50 or 100 keys
	}
	sorted := true
	d.object(func(key string) {
		if len(out) == MaxStoredOneTimeKeys {
			d.fail(ErrTooMany, "more than "+strconv.Itoa(MaxStoredOneTimeKeys)+" keys")
			return
		}
		id, ok := parseKeyID(key)
		if !ok {
			d.fail(ErrSyntax, "map key is not an unsigned integer")
			return
		}
		out = appendSecret(out, KeyEntry{ID: id})
		d.bytes(out[len(out)-1].Key[:])
		if n := len(out); n > 1 && out[n-2].ID >= id {
			sorted = false
		}
	})
	if d.err == nil && !sorted {
		SortKeys(out)
		for i := 1; i < len(out); i++ {
			if out[i].ID == out[i-1].ID {
				d.fail(ErrDuplicateField, "key ID given twice")
				break
			}
		}
	}
	if d.err != nil {
		for i := range out {
			clear(out[i].Key[:])
		}
		return nil
	}
	return out
}

// appendSecret is append for a slice of secrets: if s has to move to a
// larger array, the old one is cleared.
func appendSecret[T any](s []T, v T) []T {
	if len(s) == cap(s) {
		grown := slices.Grow(s, 1)
		clear(s)
		s = grown
	}
	return append(s, v)
}

// SortKeys sorts entries by ascending ID, the order of vodozemac's BTreeMap
// (and of appendKeyMap's output); entries with the same ID keep their order.
func SortKeys(entries []KeyEntry) {
	slices.SortStableFunc(entries, func(x, y KeyEntry) int { return cmp.Compare(x.ID, y.ID) })
}

// parseKeyID parses the decimal text of a u64 map key, canonical form only.
func parseKeyID(s string) (uint64, bool) {
	if s == "" || len(s) > 1 && s[0] == '0' {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	v, err := strconv.ParseUint(s, 10, 64)
	return v, err == nil
}

func (d *decoder) optFallbackKey() *FallbackKey {
	if d.null() {
		return nil
	}
	k := new(FallbackKey)
	d.members(
		req("key_id", func() { k.KeyID = d.uint(1<<64 - 1) }),
		req("key", func() { d.bytes(k.Key[:]) }),
		req("published", func() { k.Published = d.boolean() }),
	)
	return k
}

// AppendJSON appends the account's AccountPickle JSON, exactly as serde_json
// writes it, to dst.
func (a *Account) AppendJSON(dst []byte) []byte {
	dst = append(dst, `{"signing_key":`...)
	dst = a.SigningKey.appendJSON(dst)
	dst = append(dst, `,"diffie_hellman_key":`...)
	dst = appendBytes(dst, a.DiffieHellmanKey[:])
	dst = append(dst, `,"one_time_keys":{"next_key_id":`...)
	dst = appendUint(dst, a.NextKeyID)
	dst = append(dst, `,"public_keys":`...)
	dst = appendKeyMap(dst, a.PublicKeys)
	dst = append(dst, `,"private_keys":`...)
	dst = appendKeyMap(dst, a.PrivateKeys)
	dst = append(dst, `},"fallback_keys":{"key_id":`...)
	dst = appendUint(dst, a.FallbackKeyID)
	dst = append(dst, `,"fallback_key":`...)
	dst = appendFallbackKey(dst, a.FallbackKey)
	dst = append(dst, `,"previous_fallback_key":`...)
	dst = appendFallbackKey(dst, a.PreviousFallbackKey)
	return append(dst, "}}"...)
}

// JSONLen returns a size hint for AppendJSON's output.
func (a *Account) JSONLen() int {
	return 600 + (len(a.PublicKeys)+len(a.PrivateKeys))*155
}

func (k *SigningKey) appendJSON(dst []byte) []byte {
	if k.Expanded {
		dst = append(dst, `{"Expanded":`...)
		dst = appendBytes(dst, k.ExpandedKey[:])
	} else {
		dst = append(dst, `{"Normal":`...)
		dst = appendBytes(dst, k.Seed[:])
	}
	return append(dst, '}')
}

// appendKeyMap writes entries, which must be sorted by ascending ID (the
// order of vodozemac's BTreeMap).
func appendKeyMap(dst []byte, entries []KeyEntry) []byte {
	dst = append(dst, '{')
	for i := range entries {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, '"')
		dst = appendUint(dst, entries[i].ID)
		dst = append(dst, `":`...)
		dst = appendBytes(dst, entries[i].Key[:])
	}
	return append(dst, '}')
}

func appendFallbackKey(dst []byte, k *FallbackKey) []byte {
	if k == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, `{"key_id":`...)
	dst = appendUint(dst, k.KeyID)
	dst = append(dst, `,"key":`...)
	dst = appendBytes(dst, k.Key[:])
	dst = append(dst, `,"published":`...)
	dst = appendBool(dst, k.Published)
	return append(dst, '}')
}
