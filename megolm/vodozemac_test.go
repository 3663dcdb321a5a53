// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package megolm_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/megolm"
	"github.com/newt-e2ee/newt/testvectors"
)

func vzInbound(t *testing.T, v testvectors.VodozemacPickles, name string) *megolm.InboundGroupSession {
	t.Helper()
	for _, c := range v.InboundGroupSessions {
		if c.Name == name {
			s, err := megolm.InboundGroupSessionFromPickleJSON([]byte(c.Pickle))
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
	}
	t.Fatalf("no inbound session %q", name)
	return nil
}

// TestVodozemacInboundGroupSessions loads every inbound session vodozemac
// pickled, checks what is derived from it, decrypts the messages it must
// decrypt, and writes the pickle back byte for byte.
func TestVodozemacInboundGroupSessions(t *testing.T) {
	v := testvectors.Load[testvectors.VodozemacPickles](t, "vodozemac_pickles.json")
	for _, c := range v.InboundGroupSessions {
		t.Run(c.Name, func(t *testing.T) {
			s, err := megolm.InboundGroupSessionFromPickleJSON([]byte(c.Pickle))
			if err != nil {
				t.Fatal(err)
			}
			if s.ID() != c.SessionID || s.FirstKnownIndex() != c.FirstKnownIndex || s.IsVerified() != c.SigningKeyVerified {
				t.Errorf("id %s first %d verified %v", s.ID(), s.FirstKnownIndex(), s.IsVerified())
			}
			if got := s.PickleJSON(); string(got) != c.Pickle {
				t.Error("PickleJSON differs from vodozemac's pickle")
			}
			for _, m := range c.Pending {
				pt, index, err := s.DecryptBase64(m.Body)
				if m.Index < c.FirstKnownIndex {
					var e *megolm.UnknownMessageIndexError
					if !errors.As(err, &e) {
						t.Errorf("%s: %v", m.Comment, err)
					}
					continue
				}
				if err != nil || index != m.Index || !newttest.SameContent(t, pt, m.Content) {
					t.Errorf("%s: index %d, %v", m.Comment, index, err)
				}
			}
			// Decrypting moved only the cache, which is not pickled, and (as
			// in libolm, unlike vodozemac) marked an imported session
			// verified.
			want := c.Pickle
			if !c.SigningKeyVerified {
				want = strings.Replace(want, `"signing_key_verified":false`, `"signing_key_verified":true`, 1)
			}
			if got := s.PickleJSON(); string(got) != want {
				t.Error("PickleJSON changed after decrypting")
			}
		})
	}
}

// TestVodozemacGroupSessions: the outbound session loads, writes back byte
// for byte, and encrypts exactly the message vodozemac encrypted next.
func TestVodozemacGroupSessions(t *testing.T) {
	v := testvectors.Load[testvectors.VodozemacPickles](t, "vodozemac_pickles.json")
	for _, c := range v.GroupSessions {
		s, err := megolm.GroupSessionFromPickleJSON([]byte(c.Pickle))
		if err != nil {
			t.Fatal(err)
		}
		if s.ID() != c.SessionID || s.MessageIndex() != c.MessageIndex {
			t.Errorf("%s: id %s index %d", c.Name, s.ID(), s.MessageIndex())
		}
		if string(s.PickleJSON()) != c.Pickle {
			t.Errorf("%s: PickleJSON differs from vodozemac's pickle", c.Name)
		}
		peer := vzInbound(t, v, c.Peer)
		pt, index, err := peer.DecryptBase64(c.Next.Body)
		if err != nil || index != c.Next.Index || !newttest.SameContent(t, pt, c.Next.Content) {
			t.Fatalf("%s: peer decrypt: %v", c.Name, err)
		}
		if got := s.EncryptBase64(pt); got != c.Next.Body {
			t.Errorf("%s: next message differs from vodozemac's", c.Name)
		}
	}
}

func TestVodozemacEncryptedGroupPickles(t *testing.T) {
	v := testvectors.Load[testvectors.VodozemacPickles](t, "vodozemac_pickles.json")
	n := 0
	for _, c := range v.Encrypted {
		switch c.Type {
		case "group_session":
			s, err := megolm.GroupSessionFromVodozemacPickle(c.Encrypted, c.Key)
			if err != nil || string(s.PickleJSON()) != c.JSON {
				t.Fatalf("%s: %v", c.Comment, err)
			}
			if p, err := s.VodozemacPickle(c.Key); err != nil || p != c.Encrypted {
				t.Errorf("%s: VodozemacPickle differs: %v", c.Comment, err)
			}
		case "inbound_group_session":
			s, err := megolm.InboundGroupSessionFromVodozemacPickle(c.Encrypted, c.Key)
			if err != nil {
				t.Fatalf("%s: %v", c.Comment, err)
			}
			if c.SessionID != "" && s.ID() != c.SessionID {
				t.Errorf("%s: id %s", c.Comment, s.ID())
			}
			if bytes.Contains([]byte(c.JSON), []byte(`"config"`)) {
				if p, err := s.VodozemacPickle(c.Key); err != nil || p != c.Encrypted {
					t.Errorf("%s: VodozemacPickle differs: %v", c.Comment, err)
				}
			}
		default:
			continue
		}
		n++
	}
	if n < 3 {
		t.Fatal("too few encrypted group pickles")
	}
}

// TestVodozemacAFLMessage: vodozemac's own encrypted pickle from its fuzzing
// corpus decrypts the corpus's message at index 1.
func TestVodozemacAFLMessage(t *testing.T) {
	s, err := megolm.InboundGroupSessionFromVodozemacPickle(vzAFLPickle, []byte("Default pickle key 1234567891012"))
	if err != nil {
		t.Fatal(err)
	}
	pt, index, err := s.DecryptBase64("AwgBEiDxy5WH94xltZRzriTPf3vO04diEhePb7fbb830RxuDkivQ6m6RHcc2dchkHKrcHTAASll+V+O6g0klv7kYljrlQInGAWcIDSoVcgnJo8lELTpc6GCloP7NwWQmPh9fq4AWG1VeOvqXDg")
	if err != nil || index != 1 || string(pt) != "It's a secret to everybody" {
		t.Fatalf("%q %d %v", pt, index, err)
	}
}

// vzAFLPickle is vodozemac's afl/megolm-decryption pickle (also in
// vodozemac_pickles.json).
var vzAFLPickle = func() string {
	v, err := testvectors.Decode[testvectors.VodozemacPickles]("vodozemac_pickles.json")
	if err != nil {
		panic(err)
	}
	return v.Encrypted[0].Encrypted
}()

func TestVodozemacPickleErrors(t *testing.T) {
	v := testvectors.Load[testvectors.VodozemacPickles](t, "vodozemac_pickles.json")
	c := v.InboundGroupSessions[0]
	for _, bad := range []string{"", "{}", c.Pickle[:len(c.Pickle)-1], c.Pickle + " x",
		string(bytes.Replace([]byte(c.Pickle), []byte(`"signing_key_verified"`), []byte(`"verified"`), 1))} {
		if _, err := megolm.InboundGroupSessionFromPickleJSON([]byte(bad)); !errors.Is(err, megolm.ErrCorruptedPickle) {
			t.Errorf("%.30q: %v", bad, err)
		}
	}
	v2 := bytes.Replace([]byte(c.Pickle), []byte(`"V1"`), []byte(`"V2"`), 1)
	if s, err := megolm.InboundGroupSessionFromPickleJSON(v2); err != nil || s.Config() != megolm.SessionConfigV2() || !bytes.Equal(s.PickleJSON(), v2) {
		t.Errorf("v2 config does not survive the JSON form: %v", err)
	}
	g := v.GroupSessions[0].Pickle
	if _, err := megolm.GroupSessionFromPickleJSON([]byte(g[:100])); !errors.Is(err, megolm.ErrCorruptedPickle) {
		t.Errorf("truncated group session: %v", err)
	}
	key := bytes.Repeat([]byte{7}, 32)
	s := vzInbound(t, v, c.Name)
	p, err := s.VodozemacPickle(key)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.VodozemacPickle(key[:31]); !errors.Is(err, megolm.ErrPickleKeySize) {
		t.Error(err)
	}
	key[0] ^= 1
	if _, err := megolm.InboundGroupSessionFromVodozemacPickle(p, key); !errors.Is(err, megolm.ErrBadPickleKey) {
		t.Errorf("wrong key: %v", err)
	}
	if _, err := megolm.InboundGroupSessionFromVodozemacPickle(p+"=", key); !errors.Is(err, megolm.ErrCorruptedPickle) {
		t.Errorf("bad base64: %v", err)
	}
}

// TestVodozemacMigratedInbound: newt's reading of a libolm pickle, written
// as vodozemac JSON, is byte for byte what vodozemac's own libolm migration
// wrote; and the migrated pickle decrypts what the libolm session had to.
func TestVodozemacMigratedInbound(t *testing.T) {
	v := testvectors.Load[testvectors.VodozemacMigration](t, "vodozemac_migration.json")
	for _, c := range v.InboundGroupSessions {
		lo, err := libolmInbound(c.LibolmPickle, v.PickleKey)
		if err != nil {
			t.Fatal(err)
		}
		if got := lo.PickleJSON(); string(got) != c.Pickle {
			t.Errorf("%s: newt's conversion differs from vodozemac's:\n got %.120s\nwant %.120s", c.Comment, got, c.Pickle)
		}
		s, err := megolm.InboundGroupSessionFromPickleJSON([]byte(c.Pickle))
		if err != nil {
			t.Fatal(err)
		}
		if s.ID() != c.SessionID || s.FirstKnownIndex() != c.FirstKnownIndex || s.IsVerified() != c.Verified {
			t.Errorf("%s: id, index or flag differ", c.Comment)
		}
		for _, m := range c.Pending {
			pt, index, err := s.DecryptBase64(m.Body)
			if err != nil || index != m.Index || string(pt) != m.Plaintext {
				t.Errorf("%s: %s: %q %v", c.Comment, m.Comment, pt, err)
			}
		}
	}
	// The outbound session: matrix-sdk-crypto has no migration for it, so
	// the check is that the JSON form keeps libolm's next message exact.
	o := v.LibolmOutbound
	g, err := libolmOutbound(o.LibolmPickle, v.PickleKey)
	if err != nil {
		t.Fatal(err)
	}
	j := g.PickleJSON()
	if !bytes.Contains(j, []byte(`{"Expanded":[`)) {
		t.Error("a libolm outbound session has no seed: its key must be written expanded")
	}
	g2, err := megolm.GroupSessionFromPickleJSON(j)
	if err != nil {
		t.Fatal(err)
	}
	if got := g2.EncryptBase64([]byte(o.NextPlaintext)); got != o.Next {
		t.Error("the JSON round trip changed libolm's next message")
	}
}

// TestVodozemacNativeRoundTrip: newt's own sessions survive the JSON form.
func TestVodozemacNativeRoundTrip(t *testing.T) {
	out := newGroupSession(t)
	out.EncryptBase64([]byte("first"))
	j := out.PickleJSON()
	if !bytes.Contains(j, []byte(`{"Normal":[`)) {
		t.Error("a new session knows its seed and writes it")
	}
	out2, err := megolm.GroupSessionFromPickleJSON(j)
	if err != nil || out2.ID() != out.ID() || out2.MessageIndex() != 1 || !bytes.Equal(out2.PickleJSON(), j) {
		t.Fatal("outbound round trip", err)
	}
	in, err := megolm.NewInboundGroupSession(out.SessionKey())
	if err != nil {
		t.Fatal(err)
	}
	in2, err := megolm.InboundGroupSessionFromPickleJSON(in.PickleJSON())
	if err != nil {
		t.Fatal(err)
	}
	msg := out2.EncryptBase64([]byte("second"))
	if pt, _, err := in2.DecryptBase64(msg); err != nil || string(pt) != "second" {
		t.Fatal("inbound after round trip", err)
	}
	if !bytes.Equal(out.PickleJSON(), j) {
		t.Error("the original changed")
	}
}

// FuzzVodozemacPickleJSON: any input either fails with ErrCorruptedPickle
// or loads a session whose JSON form loads again
// to the same JSON.
func FuzzVodozemacPickleJSON(f *testing.F) {
	v, err := testvectors.Decode[testvectors.VodozemacPickles]("vodozemac_pickles.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(false, []byte(v.InboundGroupSessions[0].Pickle))
	f.Add(true, []byte(v.GroupSessions[0].Pickle))
	f.Fuzz(func(t *testing.T, outbound bool, b []byte) {
		check := func(err error) bool {
			if err != nil && !errors.Is(err, megolm.ErrCorruptedPickle) {
				t.Fatalf("unexpected error %v", err)
			}
			return err == nil
		}
		if outbound {
			s, err := megolm.GroupSessionFromPickleJSON(b)
			if !check(err) {
				return
			}
			j := s.PickleJSON()
			s2, err := megolm.GroupSessionFromPickleJSON(j)
			if err != nil || !bytes.Equal(s2.PickleJSON(), j) {
				t.Fatal("unstable", err)
			}
			return
		}
		s, err := megolm.InboundGroupSessionFromPickleJSON(b)
		if !check(err) {
			return
		}
		j := s.PickleJSON()
		s2, err := megolm.InboundGroupSessionFromPickleJSON(j)
		if err != nil || !bytes.Equal(s2.PickleJSON(), j) {
			t.Fatal("unstable", err)
		}
	})
}
