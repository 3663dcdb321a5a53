// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package olm

// Reviewer's note: dehydrated devices (MSC3814) as vodozemac and
// matrix-sdk-crypto 0.19 make them: docs/vodozemac-formats.md, "Dehydrated
// devices"; the codec is internal/vzpickle.

import (
	"cmp"
	"crypto/rand"
	"errors"
	"slices"

	"github.com/newt-e2ee/newt/internal/ed25519x"
	"github.com/newt-e2ee/newt/internal/vzpickle"
	"github.com/newt-e2ee/newt/internal/x25519"
)

// DehydratedDeviceAlgorithm is the device_data algorithm of the dehydrated
// devices this package reads and writes (matrix-sdk-crypto 0.19's; the
// device pickle inside is vodozemac's format version 1).
const DehydratedDeviceAlgorithm = vzpickle.DehydratedAlgorithm

// DehydratedDeviceKeySize is the size of a dehydrated device key.
const DehydratedDeviceKeySize = vzpickle.KeySize

var (
	// ErrNoSeed means the account's Ed25519 key has no seed, which a
	// dehydrated device stores: the account was loaded from a libolm
	// pickle (or a vodozemac one migrated from libolm), which keeps only
	// the expanded key. vodozemac refuses such accounts too.
	ErrNoSeed = errors.New("olm: account has no Ed25519 seed (loaded from a libolm pickle) and cannot be dehydrated")
	// ErrBadDehydratedDevice means device data that does not open: a wrong
	// key or modified data (also [ErrBadPickleKey]), a malformed object or
	// device pickle, an unknown format version, or an algorithm other than
	// [DehydratedDeviceAlgorithm].
	ErrBadDehydratedDevice = errors.New("olm: bad dehydrated device")
)

// DehydratedDeviceJSON returns the account as a dehydrated device: the
// device_data object of MSC3814 as matrix-sdk-crypto sends it,
// {"algorithm":"org.matrix.msc3814.v2","device_pickle":…,"nonce":…}. The
// device pickle holds the identity keys, every one-time key and the
// current fallback key (not the previous one), sealed with
// ChaCha20-Poly1305 under key (32 bytes) and a random nonce. The account is
// not changed. It fails with [ErrPickleKeySize] and [ErrNoSeed].
//
// The rehydrated account numbers the one-time keys 0, 1, … in the order of
// their IDs and marks every key published, so upload the account's keys
// before dehydrating it (vodozemac's rule).
func (a *Account) DehydratedDeviceJSON(key []byte) ([]byte, error) {
	var nonce [vzpickle.DehydratedNonceSize]byte
	rand.Read(nonce[:]) // never fails since Go 1.24
	return a.dehydrate(key, &nonce)
}

// dehydrate is DehydratedDeviceJSON with a given nonce.
func (a *Account) dehydrate(key []byte, nonce *[vzpickle.DehydratedNonceSize]byte) ([]byte, error) {
	if len(key) != DehydratedDeviceKeySize {
		return nil, ErrPickleKeySize
	}
	a.mu.Lock()
	d, err := a.dehydratedPickle()
	a.mu.Unlock()
	if err != nil {
		return nil, err
	}
	defer d.Clear()
	pt := d.AppendBinary(make([]byte, 0, 4+64+4+32*len(d.OneTimeKeys)+33))
	defer clear(pt)
	ct, err := vzpickle.SealDehydrated(key, nonce, pt)
	if err != nil {
		return nil, ErrPickleKeySize
	}
	dd := vzpickle.DeviceData{Algorithm: DehydratedDeviceAlgorithm, DevicePickle: ct, Nonce: nonce[:]}
	return dd.AppendJSON(nil), nil
}

// dehydratedPickle is vodozemac's dehydrated_device::Pickle of the account;
// the caller holds a.mu.
func (a *Account) dehydratedPickle() (*vzpickle.Dehydrated, error) {
	seed, ok := a.signing.Seed()
	if !ok {
		return nil, ErrNoSeed
	}
	d := &vzpickle.Dehydrated{Curve25519: a.k().identityPriv, Ed25519Seed: seed}
	clear(seed[:])
	keys := slices.Clone(a.k().oneTimeKeys)
	// By ID, as vodozemac's BTreeMap.
	slices.SortStableFunc(keys, func(x, y oneTimeKey) int { return cmp.Compare(x.id, y.id) })
	d.OneTimeKeys = make([][32]byte, len(keys))
	for i := range keys {
		d.OneTimeKeys[i] = keys[i].priv
		keys[i].clear()
	}
	if a.numFallback >= 1 {
		d.HasFallback = true
		d.Fallback = a.k().fallback.priv
	}
	return d, nil
}

// AccountFromDehydratedDeviceJSON opens a dehydrated device (the
// device_data object, for example from GET /dehydrated_device) with its
// 32-byte key and returns its account, as vodozemac's
// Account::from_dehydrated_device restores it: one-time keys with IDs 0, 1,
// …, all published; the fallback key with ID 0, published; no previous
// fallback key. The device then creates sessions from the pre-key messages
// sent to it while it was offline ([Account.NewInboundSessionFrom]).
//
// It fails with [ErrPickleKeySize], [ErrBadDehydratedDevice] (also
// [ErrBadPickleKey] for a wrong key or modified data) and
// [ErrNotRepresentable] for more one-time keys than [MaxOneTimeKeys].
func AccountFromDehydratedDeviceJSON(deviceData, key []byte) (*Account, error) {
	if len(key) != DehydratedDeviceKeySize {
		return nil, ErrPickleKeySize
	}
	dd, err := vzpickle.ParseDeviceData(deviceData)
	if err != nil {
		return nil, &pickleError{msg: "olm: bad dehydrated device: " + err.Error(), kind: ErrBadDehydratedDevice, more: err}
	}
	if dd.Algorithm != DehydratedDeviceAlgorithm {
		return nil, &pickleError{msg: "olm: bad dehydrated device: unsupported algorithm", kind: ErrBadDehydratedDevice}
	}
	pt, err := vzpickle.OpenDehydrated(key, dd.Nonce, dd.DevicePickle)
	if err != nil {
		if errors.Is(err, vzpickle.ErrBadKey) {
			return nil, &pickleError{msg: "olm: bad dehydrated device: wrong key or modified data", kind: ErrBadDehydratedDevice, more: ErrBadPickleKey}
		}
		return nil, &pickleError{msg: "olm: bad dehydrated device: " + err.Error(), kind: ErrBadDehydratedDevice}
	}
	defer clear(pt)
	d, err := vzpickle.ParseDehydrated(pt)
	if err != nil {
		return nil, &pickleError{msg: "olm: bad dehydrated device: " + err.Error(), kind: ErrBadDehydratedDevice}
	}
	defer d.Clear()
	if len(d.OneTimeKeys) > MaxOneTimeKeys {
		return nil, notRepresentable("a dehydrated device with more one-time keys than newt's account stores (100)")
	}
	a := newAccountStruct()
	a.signing, a.k().identityPriv, a.wideKeyIDs = ed25519x.NewKeyFromSeed(&d.Ed25519Seed), d.Curve25519, true
	a.identityPub = x25519.PublicKey(&a.k().identityPriv)
	n := len(d.OneTimeKeys)
	a.k().oneTimeKeys = make([]oneTimeKey, n)
	for i := range d.OneTimeKeys { // ID i; newest (highest ID) first
		k := &a.k().oneTimeKeys[n-1-i]
		k.id = uint32(i)
		k.published = true
		k.priv = d.OneTimeKeys[i]
		k.pub = x25519.PublicKey(&k.priv)
	}
	if n > 0 {
		a.nextKeyID = uint32(n - 1) // vodozemac's next ID is n
	}
	if d.HasFallback {
		a.numFallback = 1
		a.k().fallback = oneTimeKey{id: 0, published: true, priv: d.Fallback}
		a.k().fallback.pub = x25519.PublicKey(&a.k().fallback.priv)
	}
	return a, nil
}
