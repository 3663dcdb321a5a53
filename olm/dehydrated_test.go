// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package olm

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/internal/vzpickle"
	"github.com/newt-e2ee/newt/testvectors"
)

// TestRehydrateVodozemacDevice: the device matrix-sdk-crypto dehydrated
// opens with its key, has the keys it uploaded, decrypts the pre-key
// messages sent to it while it was offline, and dehydrates again to the
// same bytes (with the same nonce).
func TestRehydrateVodozemacDevice(t *testing.T) {
	v := testvectors.Load[testvectors.VodozemacDehydrated](t, "vodozemac_dehydrated.json")
	for _, c := range v.Devices {
		a, err := AccountFromDehydratedDeviceJSON([]byte(c.DeviceData), c.Key)
		if err != nil {
			t.Fatal(err)
		}
		keys := a.IdentityKeys()
		if keys.Curve25519.String() != c.Curve25519 || keys.Ed25519.String() != c.Ed25519 {
			t.Fatal("identity keys differ from the uploaded ones")
		}
		// Every uploaded one-time key is there, under the same ID value.
		a.mu.Lock()
		have := map[uint64]string{}
		for _, k := range a.k().oneTimeKeys {
			have[uint64(k.id)] = newt.Curve25519PublicKeyFromArray(k.pub).String()
		}
		a.mu.Unlock()
		for id, key := range c.OneTimeKeys {
			kid, err := newt.ParseKeyID(id)
			if err != nil || have[kid.Uint64()] != key {
				t.Errorf("one-time key %s missing", id)
			}
		}
		if fb, ok := a.FallbackKey(); !ok || fb.Key.String() != c.FallbackKeys["AAAAAAAAAAA"] {
			t.Error("fallback key differs")
		}
		// Dehydrating again with the same nonce gives the same device data.
		var dd struct{ Nonce string }
		if err := json.Unmarshal([]byte(c.DeviceData), &dd); err != nil {
			t.Fatal(err)
		}
		nonce, err := newt.DecodeSecret(dd.Nonce)
		if err != nil || len(nonce) != 12 {
			t.Fatal("nonce", err)
		}
		again, err := a.dehydrate(c.Key, (*[12]byte)(nonce))
		if err != nil || string(again) != c.DeviceData {
			t.Errorf("dehydrating again differs: %v", err)
		}
		// The offline messages.
		for _, m := range c.Messages {
			if m.Type != int(MessageTypePreKey) {
				t.Fatalf("%s: type %d", m.Comment, m.Type)
			}
			msg, err := ParsePreKeyMessage(m.Body)
			if err != nil {
				t.Fatal(err)
			}
			sender, err := newt.ParseCurve25519PublicKey(m.SenderKey)
			if err != nil {
				t.Fatal(err)
			}
			var pt []byte
			if s := findSession(a, msg); s != nil {
				pt, err = s.Decrypt(msg)
			} else {
				var s *Session
				s, pt, err = a.NewInboundSessionFrom(sender, msg)
				if err == nil {
					rehydratedSessions[a] = append(rehydratedSessions[a], s)
				}
			}
			if err != nil {
				t.Fatalf("%s: %v", m.Comment, err)
			}
			var ev struct{ Content json.RawMessage }
			if json.Unmarshal(pt, &ev) != nil || !jsonEqual(ev.Content, []byte(m.Content)) {
				t.Errorf("%s: content %s", m.Comment, ev.Content)
			}
		}
	}
	for _, c := range v.Invalid {
		if _, err := AccountFromDehydratedDeviceJSON([]byte(c.DeviceData), c.Key); !errors.Is(err, ErrBadDehydratedDevice) {
			t.Errorf("%s: %v", c.Comment, err)
		}
	}
}

var rehydratedSessions = map[*Account][]*Session{}

// findSession is a tiny session store for the test: the second message of
// the same sender belongs to the first one's session.
func findSession(a *Account, m *PreKeyMessage) *Session {
	for _, s := range rehydratedSessions[a] {
		if s.Matches(m) {
			return s
		}
	}
	return nil
}

func jsonEqual(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	p, _ := json.Marshal(x)
	q, _ := json.Marshal(y)
	return bytes.Equal(p, q)
}

// TestDehydrateRoundTrip: newt dehydrates, newt rehydrates, and the
// rehydrated device decrypts a pre-key message to one of its keys.
func TestDehydrateRoundTrip(t *testing.T) {
	key := bytes.Repeat([]byte{3}, 32)
	dev := GenerateAccount()
	if _, err := dev.GenerateOneTimeKeys(5); err != nil {
		t.Fatal(err)
	}
	dev.GenerateFallbackKey()
	otk := dev.OneTimeKeys()[2].Key
	fb, _ := dev.FallbackKey()
	dev.MarkKeysAsPublished()
	before := dev.Pickle(nil)
	data, err := dev.DehydratedDeviceJSON(key)
	if err != nil {
		t.Fatal(err)
	}
	if dev.Pickle(nil) != before {
		t.Fatal("dehydrating changed the account")
	}
	re, err := AccountFromDehydratedDeviceJSON(data, key)
	if err != nil {
		t.Fatal(err)
	}
	if re.IdentityKeys() != dev.IdentityKeys() {
		t.Fatal("identity keys differ")
	}
	for _, their := range []newt.Curve25519PublicKey{otk, fb.Key} {
		sender := GenerateAccount()
		out, err := sender.NewOutboundSession(dev.IdentityKeys().Curve25519, their)
		if err != nil {
			t.Fatal(err)
		}
		m, _ := out.Encrypt([]byte("while you were away"))
		_, pt, err := re.NewInboundSessionFrom(sender.IdentityKeys().Curve25519, m.(*PreKeyMessage))
		if err != nil || string(pt) != "while you were away" {
			t.Fatal(err)
		}
	}
	// Twice: a fresh nonce each time.
	data2, _ := dev.DehydratedDeviceJSON(key)
	if bytes.Equal(data, data2) {
		t.Error("two dehydrations share a nonce")
	}
	// Wrong key, tampering, wrong algorithm, no seed.
	bad := bytes.Clone(key)
	bad[0] ^= 1
	if _, err := AccountFromDehydratedDeviceJSON(data, bad); !errors.Is(err, ErrBadPickleKey) || !errors.Is(err, ErrBadDehydratedDevice) {
		t.Errorf("wrong key: %v", err)
	}
	if _, err := AccountFromDehydratedDeviceJSON(bytes.Replace(data, []byte("msc3814.v2"), []byte("msc3814.v9"), 1), key); !errors.Is(err, ErrBadDehydratedDevice) {
		t.Errorf("algorithm: %v", err)
	}
	if _, err := AccountFromDehydratedDeviceJSON(data, key[:31]); !errors.Is(err, ErrPickleKeySize) {
		t.Errorf("key size: %v", err)
	}
	libolm, err := AccountFromPickle(dev.Pickle(nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := libolm.DehydratedDeviceJSON(key); !errors.Is(err, ErrNoSeed) {
		t.Errorf("no seed: %v", err)
	}
}

// FuzzDehydratedDevice: device data never panics; what opens dehydrates
// again and opens to the same account.
func FuzzDehydratedDevice(f *testing.F) {
	v, err := testvectors.Decode[testvectors.VodozemacDehydrated]("vodozemac_dehydrated.json")
	if err != nil {
		f.Fatal(err)
	}
	key := v.Devices[0].Key
	f.Add([]byte(v.Devices[0].DeviceData))
	f.Add([]byte(`{"algorithm":"org.matrix.msc3814.v2","device_pickle":"","nonce":""}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := AccountFromDehydratedDeviceJSON(data, key)
		if err != nil {
			if !errors.Is(err, ErrBadDehydratedDevice) && !errors.Is(err, ErrNotRepresentable) {
				t.Fatal(err)
			}
			return
		}
		var nonce [vzpickle.DehydratedNonceSize]byte
		again, err := a.dehydrate(key, &nonce)
		if err != nil {
			t.Fatal(err)
		}
		b, err := AccountFromDehydratedDeviceJSON(again, key)
		if err != nil || b.Pickle(nil) != a.Pickle(nil) {
			t.Fatal("not stable", err)
		}
	})
}
