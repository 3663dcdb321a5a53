// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package vzpickle_test

import (
	"bytes"
	"crypto/ecdh"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"testing"

	"github.com/newt-e2ee/newt/internal/vzpickle"
	"github.com/newt-e2ee/newt/testvectors"
)

var b64 = base64.RawStdEncoding

func x25519Public(t *testing.T, priv [32]byte) string {
	t.Helper()
	k, err := ecdh.X25519().NewPrivateKey(priv[:])
	if err != nil {
		t.Fatal(err)
	}
	return b64.EncodeToString(k.PublicKey().Bytes())
}

// keyID is vodozemac's KeyId::to_base64: unpadded base64 of the u64, big
// endian.
func keyID(id uint64) string {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], id)
	return b64.EncodeToString(b[:])
}

// roundTrip checks that a parsed pickle writes back byte for byte.
func roundTrip(t *testing.T, name string, in []byte, appendJSON func([]byte) []byte) {
	t.Helper()
	if out := appendJSON(nil); !bytes.Equal(out, in) {
		t.Errorf("%s: serialisation differs from serde's\n got %.200s\nwant %.200s", name, out, in)
	}
}

// recordPickle parses a matrix-sdk-crypto record, checks that it writes
// back byte for byte and that its "pickle" member is the case's pickle.
func recordPickle(t *testing.T, name, stored, pickle string) *vzpickle.Record {
	t.Helper()
	r, err := vzpickle.ParseRecord([]byte(stored))
	if err != nil {
		t.Fatalf("%s: record: %v", name, err)
	}
	if out := r.AppendJSON(nil); string(out) != stored {
		t.Errorf("%s: record does not write back byte for byte", name)
	}
	if raw, ok := r.Get("pickle"); !ok || string(raw) != pickle {
		t.Errorf("%s: record's pickle member differs from the case's", name)
	}
	return r
}

func TestAccountVectors(t *testing.T) {
	v := testvectors.Load[testvectors.VodozemacPickles](t, "vodozemac_pickles.json")
	for _, c := range v.Accounts {
		t.Run(c.Name, func(t *testing.T) {
			recordPickle(t, c.Name, c.Stored, c.Pickle)
			a, err := vzpickle.ParseAccount([]byte(c.Pickle))
			if err != nil {
				t.Fatal(err)
			}
			roundTrip(t, c.Name, []byte(c.Pickle), a.AppendJSON)
			if a.SigningKey.Expanded {
				t.Fatal("an OlmMachine account has an expanded signing key")
			}
			pub := ed25519.NewKeyFromSeed(a.SigningKey.Seed[:]).Public().(ed25519.PublicKey)
			if got := b64.EncodeToString(pub); got != c.Ed25519 {
				t.Errorf("ed25519 = %s, want %s", got, c.Ed25519)
			}
			if got := x25519Public(t, a.DiffieHellmanKey); got != c.Curve25519 {
				t.Errorf("curve25519 = %s, want %s", got, c.Curve25519)
			}
			// The unpublished keys: every public key is derived from the
			// private key of the same ID, and the IDs and keys are those
			// the machine uploads.
			priv := map[uint64][32]byte{}
			for _, k := range a.PrivateKeys {
				priv[k.ID] = k.Key
				if k.ID >= a.NextKeyID {
					t.Errorf("one-time key %d at or past next_key_id %d", k.ID, a.NextKeyID)
				}
			}
			got := map[string]string{}
			for _, k := range a.PublicKeys {
				p, ok := priv[k.ID]
				if !ok {
					t.Fatalf("public key %d without a private key", k.ID)
				}
				if x25519Public(t, p) != b64.EncodeToString(k.Key[:]) {
					t.Errorf("public key %d does not match its private key", k.ID)
				}
				got[keyID(k.ID)] = b64.EncodeToString(k.Key[:])
			}
			if len(got) != len(c.UnpublishedOneTimeKeys) {
				t.Errorf("%d unpublished keys, the machine uploads %d", len(got), len(c.UnpublishedOneTimeKeys))
			}
			for id, k := range c.UnpublishedOneTimeKeys {
				if len(id) != 11 || got[id] != k {
					t.Errorf("unpublished key %s: got %q, want %q", id, got[id], k)
				}
			}
			fb := map[string]string{}
			if a.FallbackKey != nil {
				if a.FallbackKey.KeyID >= a.FallbackKeyID {
					t.Errorf("fallback key ID %d at or past the counter %d", a.FallbackKey.KeyID, a.FallbackKeyID)
				}
				fb[keyID(a.FallbackKey.KeyID)] = x25519Public(t, a.FallbackKey.Key)
			}
			want := c.PublishedFallbackKey
			if len(c.UnpublishedFallbackKey) > 0 {
				want = c.UnpublishedFallbackKey
				if a.FallbackKey == nil || a.FallbackKey.Published {
					t.Error("fallback key should be unpublished")
				}
			}
			for id, k := range want {
				if fb[id] != k {
					t.Errorf("fallback key %s: got %q, want %q", id, fb[id], k)
				}
			}
			if c.Name == "fallback-rotated" && a.PreviousFallbackKey == nil {
				t.Error("rotated account has no previous fallback key")
			}
		})
	}
}

func sessionID(s *vzpickle.Session) string {
	h := sha256.New()
	h.Write(s.IdentityKey[:])
	h.Write(s.BaseKey[:])
	h.Write(s.OneTimeKey[:])
	return b64.EncodeToString(h.Sum(nil))
}

func TestSessionVectors(t *testing.T) {
	v := testvectors.Load[testvectors.VodozemacPickles](t, "vodozemac_pickles.json")
	active, inactive, skipped, fallback := 0, 0, 0, 0
	for _, c := range v.Sessions {
		t.Run(c.Name, func(t *testing.T) {
			r := recordPickle(t, c.Name, c.Stored, c.Pickle)
			s, err := vzpickle.ParseSession([]byte(c.Pickle))
			if err != nil {
				t.Fatal(err)
			}
			roundTrip(t, c.Name, []byte(c.Pickle), s.AppendJSON)
			if got := sessionID(s); got != c.SessionID {
				t.Errorf("session id %s, want %s", got, c.SessionID)
			}
			if s.Version != vzpickle.Version1 {
				t.Errorf("config version %d", s.Version)
			}
			if s.Sending.Active {
				active++
			} else {
				inactive++
				// An inactive ratchet holds the newest receiving chain's
				// ratchet key.
				if n := len(s.Chains); n == 0 || s.Chains[n-1].RatchetKey != s.Sending.RatchetKey {
					t.Error("inactive ratchet key is not the newest chain's")
				}
			}
			for _, ch := range s.Chains {
				skipped += len(ch.Skipped)
			}
			if fb, ok := r.Bool("created_using_fallback_key"); !ok {
				t.Error("record without created_using_fallback_key")
			} else if fb {
				fallback++
			}
		})
	}
	if active == 0 || inactive == 0 || skipped == 0 || fallback == 0 {
		t.Errorf("vectors do not cover every state: %d active, %d inactive, %d skipped keys, %d fallback", active, inactive, skipped, fallback)
	}
}

func TestGroupSessionVectors(t *testing.T) {
	v := testvectors.Load[testvectors.VodozemacPickles](t, "vodozemac_pickles.json")
	for _, c := range v.GroupSessions {
		recordPickle(t, c.Name, c.Stored, c.Pickle)
		s, err := vzpickle.ParseGroupSession([]byte(c.Pickle))
		if err != nil {
			t.Fatal(err)
		}
		roundTrip(t, c.Name, []byte(c.Pickle), s.AppendJSON)
		pub := ed25519.NewKeyFromSeed(s.SigningKey.Seed[:]).Public().(ed25519.PublicKey)
		if got := b64.EncodeToString(pub); got != c.SessionID {
			t.Errorf("%s: session id %s, want %s", c.Name, got, c.SessionID)
		}
		if s.Ratchet.Counter != c.MessageIndex {
			t.Errorf("%s: counter %d, want %d", c.Name, s.Ratchet.Counter, c.MessageIndex)
		}
	}
}

func TestInboundGroupSessionVectors(t *testing.T) {
	v := testvectors.Load[testvectors.VodozemacPickles](t, "vodozemac_pickles.json")
	for _, c := range v.InboundGroupSessions {
		recordPickle(t, c.Name, c.Stored, c.Pickle)
		s, err := vzpickle.ParseInboundGroupSession([]byte(c.Pickle))
		if err != nil {
			t.Fatal(err)
		}
		roundTrip(t, c.Name, []byte(c.Pickle), s.AppendJSON)
		if got := b64.EncodeToString(s.SigningKey[:]); got != c.SessionID {
			t.Errorf("%s: session id %s, want %s", c.Name, got, c.SessionID)
		}
		if s.InitialRatchet.Counter != c.FirstKnownIndex || s.SigningKeyVerified != c.SigningKeyVerified {
			t.Errorf("%s: counter %d verified %v, want %d %v", c.Name, s.InitialRatchet.Counter, s.SigningKeyVerified, c.FirstKnownIndex, c.SigningKeyVerified)
		}
	}
}

func TestEncryptedVectors(t *testing.T) {
	v := testvectors.Load[testvectors.VodozemacPickles](t, "vodozemac_pickles.json")
	for _, c := range v.Encrypted {
		got, err := vzpickle.Decrypt(c.Key, []byte(c.Encrypted))
		if err != nil || string(got) != c.JSON {
			t.Errorf("%s: decrypt: %v", c.Comment, err)
			continue
		}
		enc, err := vzpickle.Encrypt(c.Key, []byte(c.JSON))
		if err != nil || string(enc) != c.Encrypted {
			t.Errorf("%s: encrypt differs: %v", c.Comment, err)
		}
		var appendJSON func([]byte) []byte
		switch c.Type {
		case "account":
			a, err := vzpickle.ParseAccount(got)
			if err != nil {
				t.Fatal(err)
			}
			appendJSON = a.AppendJSON
		case "session":
			s, err := vzpickle.ParseSession(got)
			if err != nil {
				t.Fatal(err)
			}
			appendJSON = s.AppendJSON
		case "group_session":
			s, err := vzpickle.ParseGroupSession(got)
			if err != nil {
				t.Fatal(err)
			}
			appendJSON = s.AppendJSON
		case "inbound_group_session":
			s, err := vzpickle.ParseInboundGroupSession(got)
			if err != nil {
				t.Fatal(err)
			}
			appendJSON = s.AppendJSON
			if c.SessionID != "" && b64.EncodeToString(s.SigningKey[:]) != c.SessionID {
				t.Errorf("%s: session id differs", c.Comment)
			}
		default:
			t.Fatalf("unknown type %q", c.Type)
		}
		if c.Type != "account" && !bytes.Contains(got, []byte(`"config"`)) {
			// A pickle of an older vodozemac without "config" (version 1):
			// serde writes the member now.
			got = append(got[:len(got)-1:len(got)-1], `,"config":{"version":"V1"}}`...)
		}
		roundTrip(t, c.Comment, got, appendJSON)
	}
}

func TestMigrationVectorsParse(t *testing.T) {
	v := testvectors.Load[testvectors.VodozemacMigration](t, "vodozemac_migration.json")
	for _, c := range v.Accounts {
		recordPickle(t, c.Comment, c.Stored, c.Pickle)
		a, err := vzpickle.ParseAccount([]byte(c.Pickle))
		if err != nil {
			t.Fatal(err)
		}
		if !a.SigningKey.Expanded {
			t.Error("a migrated account keeps libolm's expanded signing key")
		}
		roundTrip(t, c.Comment, []byte(c.Pickle), a.AppendJSON)
	}
	for _, c := range v.Sessions {
		recordPickle(t, c.Comment, c.Stored, c.Pickle)
		s, err := vzpickle.ParseSession([]byte(c.Pickle))
		if err != nil {
			t.Fatal(err)
		}
		roundTrip(t, c.Comment, []byte(c.Pickle), s.AppendJSON)
		if sessionID(s) != c.SessionID {
			t.Errorf("%s: session id differs", c.Comment)
		}
	}
	for _, c := range v.InboundGroupSessions {
		recordPickle(t, c.Comment, c.Stored, c.Pickle)
		s, err := vzpickle.ParseInboundGroupSession([]byte(c.Pickle))
		if err != nil {
			t.Fatal(err)
		}
		roundTrip(t, c.Comment, []byte(c.Pickle), s.AppendJSON)
	}
}
