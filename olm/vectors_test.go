// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package olm

import (
	"bytes"
	"errors"
	"testing"

	"github.com/newt-e2ee/newt/testvectors"
)

// badMACClass reports whether err is one of the errors libolm reports as
// BAD_MESSAGE_MAC.
func badMACClass(err error) bool {
	var gap *MessageGapError
	return errors.Is(err, ErrBadMAC) || errors.Is(err, ErrMissingMessageKey) ||
		errors.Is(err, ErrUnknownChain) || errors.As(err, &gap)
}

func TestVectorsAccounts(t *testing.T) {
	v := testvectors.Load[testvectors.OlmVectors](t, "olm.json")
	for _, c := range v.Accounts {
		t.Run(c.Comment, func(t *testing.T) {
			a := newAccount((*[64]byte)(c.Random))
			checkString(t, "identity keys", string(a.IdentityKeysJSON()), c.IdentityKeys)
			checkString(t, "signature", a.Sign(c.SignMessage).String(), c.Signature)
			a.generateOneTimeKeys(c.OneTimeKeyCount, c.OneTimeKeyRandom)
			checkString(t, "one-time keys", string(a.OneTimeKeysJSON()), c.OneTimeKeys)
			if len(c.FallbackRandom) > 0 {
				a.generateFallbackKey((*[32]byte)(c.FallbackRandom))
			}
			checkString(t, "fallback key", string(a.UnpublishedFallbackKeyJSON()), c.FallbackKey)
			checkString(t, "pickle", string(a.Pickle(c.PickleKey)), c.Pickle)
			if n := a.MarkKeysAsPublished(); n != c.PublishedCount {
				t.Errorf("MarkKeysAsPublished = %d, want %d", n, c.PublishedCount)
			}
			checkString(t, "published pickle", string(a.Pickle(c.PickleKey)), c.PublishedPickle)
			checkString(t, "published one-time keys", string(a.OneTimeKeysJSON()), c.PublishedKeys)
			checkString(t, "published fallback key", string(a.FallbackKeyJSON()), c.PublishedFallback)
			b, err := AccountFromPickle(c.PublishedPickle, c.PickleKey)
			if err != nil {
				t.Fatal(err)
			}
			checkString(t, "re-pickle", string(b.Pickle(c.PickleKey)), c.PublishedPickle)
		})
	}
}

func TestVectorsConversations(t *testing.T) {
	v := testvectors.Load[testvectors.OlmVectors](t, "olm.json")
	for _, c := range v.Conversations {
		t.Run(c.Comment, func(t *testing.T) {
			alice := newAccount((*[64]byte)(c.AliceRandom))
			bob := newAccount((*[64]byte)(c.BobRandom))
			var key OneTimeKey
			if c.BobUsesFallback {
				key = bob.generateFallbackKey((*[32]byte)(c.BobKeyRandom))
			} else {
				key = bob.generateOneTimeKeys(1, c.BobKeyRandom).Created[0]
			}
			as, err := alice.newOutboundSession(bob.IdentityKeys().Curve25519, key.Key, (*[64]byte)(c.SessionRandom))
			if err != nil {
				t.Fatal(err)
			}
			checkString(t, "session ID", as.ID(), c.SessionID)
			var bs *Session
			for _, st := range c.Steps {
				s := as
				if st.Party == "bob" {
					s = bs
				}
				switch st.Action {
				case "encrypt":
					var random []byte
					if len(st.Random) > 0 {
						random = st.Random
					}
					if s.ratchet.NeedsRandom() != (random != nil) {
						t.Fatalf("%s: NeedsRandom disagrees with libolm", st.Comment)
					}
					m, err := s.encrypt(st.Plaintext, random)
					if err != nil {
						t.Fatalf("%s: %v", st.Comment, err)
					}
					if int(m.Type()) != st.Type {
						t.Fatalf("%s: type %d, want %d", st.Comment, m.Type(), st.Type)
					}
					checkString(t, st.Comment, m.Base64(), st.Message)
				case "decrypt":
					msg, err := ParseEncryptedMessage(MessageType(st.Type), st.Message)
					if err != nil {
						t.Fatalf("%s: %v", st.Comment, err)
					}
					var pt []byte
					if s == nil { // Bob's first message
						before := bob.Pickle(c.PickleKey)
						bs, pt, err = bob.NewInboundSession(msg.(*PreKeyMessage))
						s = bs
						if err != nil && before != bob.Pickle(c.PickleKey) {
							t.Fatalf("%s: failed inbound session changed the account", st.Comment)
						}
					} else {
						before := s.Pickle(c.PickleKey)
						pt, err = s.Decrypt(msg)
						if err != nil && before != s.Pickle(c.PickleKey) {
							t.Fatalf("%s: failed decrypt changed the session", st.Comment)
						}
					}
					switch {
					case st.Expect == testvectors.ExpectSuccess:
						if err != nil || !bytes.Equal(pt, st.Plaintext) {
							t.Fatalf("%s: %q, %v", st.Comment, pt, err)
						}
					case st.Expect == "BAD_MESSAGE_MAC":
						if !badMACClass(err) {
							t.Fatalf("%s: error %v, libolm BAD_MESSAGE_MAC", st.Comment, err)
						}
					default:
						t.Fatalf("%s: unknown expectation %q", st.Comment, st.Expect)
					}
				default:
					t.Fatalf("unknown action %q", st.Action)
				}
				if st.Pickle != "" {
					checkString(t, st.Comment+": pickle", string(s.Pickle(c.PickleKey)), st.Pickle)
					checkString(t, st.Comment+": describe", s.Describe(), st.Describe)
				}
			}
			checkString(t, "Bob's account", string(bob.Pickle(c.PickleKey)), c.BobAccountPickle)
			checkString(t, "Alice's session", string(as.Pickle(c.PickleKey)), c.AliceSessionPickle)
			checkString(t, "Bob's session", string(bs.Pickle(c.PickleKey)), c.BobSessionPickle)
			checkString(t, "Alice describe", as.Describe(), c.AliceDescribe)
			checkString(t, "Bob describe", bs.Describe(), c.BobDescribe)
		})
	}
}
