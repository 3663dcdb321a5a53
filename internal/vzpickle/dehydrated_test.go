// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package vzpickle_test

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"testing"

	"github.com/newt-e2ee/newt/internal/vzpickle"
	"github.com/newt-e2ee/newt/testvectors"
)

func TestDehydratedVectors(t *testing.T) {
	v := testvectors.Load[testvectors.VodozemacDehydrated](t, "vodozemac_dehydrated.json")
	for _, c := range v.Devices {
		dd, err := vzpickle.ParseDeviceData([]byte(c.DeviceData))
		if err != nil {
			t.Fatal(err)
		}
		if string(dd.AppendJSON(nil)) != c.DeviceData {
			t.Error("device_data does not write back byte for byte")
		}
		if dd.Algorithm != vzpickle.DehydratedAlgorithm {
			t.Errorf("matrix-sdk-crypto wrote algorithm %q", dd.Algorithm)
		}
		pt, err := vzpickle.OpenDehydrated(c.Key, dd.Nonce, dd.DevicePickle)
		if err != nil || !bytes.Equal(pt, c.PicklePlaintext) {
			t.Fatalf("open: %v", err)
		}
		d, err := vzpickle.ParseDehydrated(pt)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(d.AppendBinary(nil), pt) {
			t.Error("device pickle does not write back byte for byte")
		}
		if got := x25519Public(t, d.Curve25519); got != c.Curve25519 {
			t.Errorf("curve25519 %s, want %s", got, c.Curve25519)
		}
		if got := b64.EncodeToString(ed25519.NewKeyFromSeed(d.Ed25519Seed[:]).Public().(ed25519.PublicKey)); got != c.Ed25519 {
			t.Errorf("ed25519 %s, want %s", got, c.Ed25519)
		}
		// The uploaded one-time keys are the pickle's keys with IDs 0..n-1.
		if len(d.OneTimeKeys) != len(c.OneTimeKeys) {
			t.Errorf("%d one-time keys, %d uploaded", len(d.OneTimeKeys), len(c.OneTimeKeys))
		}
		for i, k := range d.OneTimeKeys {
			if want := c.OneTimeKeys[keyID(uint64(i))]; x25519Public(t, k) != want {
				t.Errorf("one-time key %d differs from the uploaded one", i)
			}
		}
		if !d.HasFallback || x25519Public(t, d.Fallback) != c.FallbackKeys[keyID(0)] {
			t.Error("fallback key differs from the uploaded one")
		}
		sealed, err := vzpickle.SealDehydrated(c.Key, (*[12]byte)(dd.Nonce), pt)
		if err != nil || !bytes.Equal(sealed, dd.DevicePickle) {
			t.Errorf("sealing again with the same nonce differs: %v", err)
		}
	}
	for _, c := range v.Invalid {
		dd, err := vzpickle.ParseDeviceData([]byte(c.DeviceData))
		if err == nil {
			_, err = vzpickle.OpenDehydrated(c.Key, dd.Nonce, dd.DevicePickle)
		}
		if !errors.Is(err, vzpickle.ErrBadKey) && !errors.Is(err, vzpickle.ErrDevice) {
			t.Errorf("%s: %v", c.Comment, err)
		}
	}
}

func TestDehydratedBad(t *testing.T) {
	d := &vzpickle.Dehydrated{OneTimeKeys: make([][32]byte, 3), HasFallback: true}
	good := d.AppendBinary(nil)
	if _, err := vzpickle.ParseDehydrated(good); err != nil {
		t.Fatal(err)
	}
	for n := 0; n < len(good); n++ {
		if _, err := vzpickle.ParseDehydrated(good[:n]); err == nil {
			t.Fatalf("prefix %d parsed", n)
		}
	}
	for _, c := range []struct {
		name string
		b    []byte
		want error
	}{
		{"version 2", append([]byte{0, 0, 0, 2}, good[4:]...), vzpickle.ErrVersion},
		{"trailing byte", append(bytes.Clone(good), 0), vzpickle.ErrDevice},
		{"fallback flag 2", append(bytes.Clone(good[:len(good)-33]), append([]byte{2}, good[len(good)-32:]...)...), vzpickle.ErrDevice},
		{"huge count", append(append(bytes.Clone(good[:68]), 0xff, 0xff, 0xff, 0xff), 0), vzpickle.ErrDevice},
	} {
		if _, err := vzpickle.ParseDehydrated(c.b); !errors.Is(err, c.want) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	for _, in := range []string{`{"algorithm":"x","device_pickle":"AA","nonce":"AA","extra":1}`,
		`{"algorithm":"x","device_pickle":"A","nonce":"AA"}`, `{"algorithm":"x","nonce":"AA"}`, `{"algorithm":"x","device_pickle":"AA=","nonce":"AA"}`} {
		if _, err := vzpickle.ParseDeviceData([]byte(in)); err == nil {
			t.Errorf("%s accepted", in)
		}
	}
	if _, err := vzpickle.OpenDehydrated(make([]byte, 31), make([]byte, 12), nil); !errors.Is(err, vzpickle.ErrKeySize) {
		t.Error(err)
	}
}

// FuzzDehydrated: any device pickle that parses writes back byte for byte.
func FuzzDehydrated(f *testing.F) {
	v, err := testvectors.Decode[testvectors.VodozemacDehydrated]("vodozemac_dehydrated.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(v.Devices[0].PicklePlaintext))
	f.Add([]byte{0, 0, 0, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := vzpickle.ParseDehydrated(b)
		if err != nil {
			if !errors.Is(err, vzpickle.ErrDevice) && !errors.Is(err, vzpickle.ErrVersion) {
				t.Fatal(err)
			}
			return
		}
		if !bytes.Equal(d.AppendBinary(nil), b) {
			t.Fatal("round trip")
		}
	})
}

// FuzzDeviceData: device_data that parses writes back canonically.
func FuzzDeviceData(f *testing.F) {
	v, err := testvectors.Decode[testvectors.VodozemacDehydrated]("vodozemac_dehydrated.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(v.Devices[0].DeviceData))
	f.Fuzz(func(t *testing.T, b []byte) {
		dd, err := vzpickle.ParseDeviceData(b)
		if err != nil {
			return
		}
		out := dd.AppendJSON(nil)
		dd2, err := vzpickle.ParseDeviceData(out)
		if err != nil || !bytes.Equal(dd2.AppendJSON(nil), out) {
			t.Fatal("not stable", err)
		}
	})
}
