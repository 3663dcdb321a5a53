// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package vzpickle

// Reviewer's note: the layout is vodozemac's dehydrated_device::Pickle
// (src/olm/account/mod.rs) in matrix-pickle's encoding, and the envelope
// is Account::to_dehydrated_device's; the device data object is what
// matrix-sdk-crypto 0.19 sends (docs/vodozemac-formats.md, "Dehydrated
// devices").

import (
	"encoding/binary"

	"golang.org/x/crypto/chacha20poly1305"

	"github.com/newt-e2ee/newt/internal/b64"
)

// Dehydrated device constants.
const (
	// DehydratedVersion is the version of the binary device pickle that
	// vodozemac 0.11 reads and writes.
	DehydratedVersion = 1
	// DehydratedAlgorithm is the device_data algorithm matrix-sdk-crypto
	// 0.19 writes for a vodozemac device pickle.
	DehydratedAlgorithm = "org.matrix.msc3814.v2"
	// DehydratedNonceSize is the ChaCha20-Poly1305 nonce size.
	DehydratedNonceSize = chacha20poly1305.NonceSize
	// MaxDehydratedOneTimeKeys bounds the one-time keys a device pickle
	// may hold (vodozemac's account keeps at most this many).
	MaxDehydratedOneTimeKeys = MaxStoredOneTimeKeys
)

// Dehydrated is the plaintext of a dehydrated device: the account's secret
// keys only. Public keys are derived from them; one-time key i gets ID i.
type Dehydrated struct {
	Curve25519  [32]byte // identity secret key
	Ed25519Seed [32]byte // signing key seed (not expanded)
	OneTimeKeys [][32]byte
	HasFallback bool
	Fallback    [32]byte
}

// Clear overwrites the secrets (best effort).
func (d *Dehydrated) Clear() {
	clear(d.Curve25519[:])
	clear(d.Ed25519Seed[:])
	for i := range d.OneTimeKeys {
		clear(d.OneTimeKeys[i][:])
	}
	clear(d.Fallback[:])
}

// AppendBinary appends the device pickle: u32 version 1 ‖ Curve25519 secret
// ‖ Ed25519 seed ‖ u32 n ‖ n one-time key secrets ‖ u8 has-fallback ‖
// [fallback secret], integers big-endian.
func (d *Dehydrated) AppendBinary(dst []byte) []byte {
	dst = binary.BigEndian.AppendUint32(dst, DehydratedVersion)
	dst = append(dst, d.Curve25519[:]...)
	dst = append(dst, d.Ed25519Seed[:]...)
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(d.OneTimeKeys)))
	for i := range d.OneTimeKeys {
		dst = append(dst, d.OneTimeKeys[i][:]...)
	}
	if !d.HasFallback {
		return append(dst, 0)
	}
	dst = append(dst, 1)
	return append(dst, d.Fallback[:]...)
}

// ParseDehydrated decodes a device pickle. It fails with ErrVersion for
// another format version and ErrDevice for a malformed pickle.
func ParseDehydrated(b []byte) (*Dehydrated, error) {
	if len(b) < 4 {
		return nil, &Error{Kind: ErrDevice, Detail: "device pickle without a version"}
	}
	if v := binary.BigEndian.Uint32(b); v != DehydratedVersion {
		return nil, &Error{Kind: ErrVersion, Detail: "device pickle version is not 1"}
	}
	b = b[4:]
	if len(b) < 32+32+4 {
		return nil, &Error{Kind: ErrDevice, Detail: "truncated device pickle"}
	}
	d := new(Dehydrated)
	copy(d.Curve25519[:], b[0:32])
	copy(d.Ed25519Seed[:], b[32:64])
	n := binary.BigEndian.Uint32(b[64:68])
	b = b[68:]
	if n > MaxDehydratedOneTimeKeys || uint64(n)*32 > uint64(len(b)) {
		d.Clear()
		return nil, &Error{Kind: ErrDevice, Detail: "one-time key count exceeds the pickle"}
	}
	d.OneTimeKeys = make([][32]byte, n)
	for i := range d.OneTimeKeys {
		copy(d.OneTimeKeys[i][:], b[32*i:])
	}
	b = b[32*n:]
	switch {
	case len(b) == 1 && b[0] == 0:
	case len(b) == 33 && b[0] == 1:
		d.HasFallback = true
		copy(d.Fallback[:], b[1:])
	default:
		d.Clear()
		return nil, &Error{Kind: ErrDevice, Detail: "malformed fallback key or trailing data"}
	}
	return d, nil
}

// SealDehydrated encrypts a device pickle as vodozemac's
// Account::to_dehydrated_device does: ChaCha20-Poly1305 under the 32-byte
// key used directly, with nonce and no associated data. It returns the
// ciphertext with its tag.
func SealDehydrated(key []byte, nonce *[DehydratedNonceSize]byte, plaintext []byte) ([]byte, error) {
	if len(key) != KeySize {
		return nil, ErrKeySize
	}
	aead, err := chacha20poly1305.New(key)
	if err != nil {
		return nil, ErrKeySize
	}
	return aead.Seal(nil, nonce[:], plaintext, nil), nil
}

// OpenDehydrated decrypts a sealed device pickle. It fails with ErrKeySize,
// ErrDevice (a nonce that is not 12 bytes) or ErrBadKey (a wrong key or a
// modified ciphertext).
func OpenDehydrated(key, nonce, ciphertext []byte) ([]byte, error) {
	if len(key) != KeySize {
		return nil, ErrKeySize
	}
	if len(nonce) != DehydratedNonceSize {
		return nil, &Error{Kind: ErrDevice, Detail: "nonce is not 12 bytes"}
	}
	aead, err := chacha20poly1305.New(key)
	if err != nil {
		return nil, ErrKeySize
	}
	pt, err := aead.Open(nil, nonce, ciphertext, nil)
	if err != nil {
		return nil, ErrBadKey
	}
	return pt, nil
}

// DeviceData is the device_data object of a dehydrated device:
// {"algorithm":…,"device_pickle":b64(ciphertext),"nonce":b64(nonce)}.
type DeviceData struct {
	Algorithm    string
	DevicePickle []byte // sealed device pickle
	Nonce        []byte
}

// ParseDeviceData decodes device_data. The members must be exactly
// algorithm, device_pickle and nonce (in any order), the binary ones strict
// unpadded base64; otherwise it returns an error matching ErrDevice (or a
// JSON error kind). The algorithm is returned as given: callers check it.
func ParseDeviceData(b []byte) (*DeviceData, error) {
	d := &decoder{b: b}
	out := new(DeviceData)
	var pickle, nonce string
	d.members(
		req("algorithm", func() { out.Algorithm = d.str() }),
		req("device_pickle", func() { pickle = d.str() }),
		req("nonce", func() { nonce = d.str() }),
	)
	d.end()
	if d.err != nil {
		return nil, d.err
	}
	var err error
	if out.DevicePickle, err = b64.AppendDecodePublic(nil, []byte(pickle)); err != nil {
		return nil, &Error{Kind: ErrDevice, Path: "device_pickle", Detail: "invalid base64"}
	}
	if out.Nonce, err = b64.AppendDecodePublic(nil, []byte(nonce)); err != nil {
		return nil, &Error{Kind: ErrDevice, Path: "nonce", Detail: "invalid base64"}
	}
	return out, nil
}

// AppendJSON appends device_data as matrix-sdk-crypto writes it.
func (dd *DeviceData) AppendJSON(dst []byte) []byte {
	dst = append(dst, `{"algorithm":`...)
	dst = appendString(dst, dd.Algorithm)
	dst = append(dst, `,"device_pickle":"`...)
	dst = b64.AppendEncode(dst, dd.DevicePickle)
	dst = append(dst, `","nonce":"`...)
	dst = b64.AppendEncode(dst, dd.Nonce)
	return append(dst, `"}`...)
}
