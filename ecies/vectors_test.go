// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package ecies

import (
	"bytes"
	"errors"
	"testing"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/testvectors"
)

// TestTranscripts replays the channels recorded against vodozemac: newt
// takes the peer's role with its fixed secret key, must reproduce every
// message the peer sent (vodozemac accepted them) and decrypt every message
// vodozemac sent.
func TestTranscripts(t *testing.T) {
	v := testvectors.Load[testvectors.VodozemacECIES](t, "vodozemac_ecies.json")
	if len(v.Transcripts) < 2 {
		t.Fatal("no transcripts")
	}
	for _, c := range v.Transcripts {
		t.Run(c.VodozemacRole, func(t *testing.T) {
			e := newEcies((*[32]byte)(c.PeerSecretKey), c.Info)
			if e.PublicKey().String() != c.PeerPublicKey {
				t.Fatal("peer public key differs")
			}
			var ch *Channel
			switch c.VodozemacRole {
			case "initiator":
				m, err := ParseInitialMessage(c.InitialMessage)
				if err != nil {
					t.Fatal(err)
				}
				if m.PublicKey().String() != c.VodozemacPublicKey {
					t.Error("initial message carries another key")
				}
				var pt []byte
				ch, pt, err = e.EstablishInbound(m)
				if err != nil || string(pt) != c.InitialPlaintext {
					t.Fatalf("inbound: %q, %v", pt, err)
				}
			case "recipient":
				their, err := newt.ParseCurve25519PublicKey(c.VodozemacPublicKey)
				if err != nil {
					t.Fatal(err)
				}
				var m *InitialMessage
				ch, m, err = e.EstablishOutbound(their, []byte(c.InitialPlaintext))
				if err != nil {
					t.Fatal(err)
				}
				if m.String() != c.InitialMessage {
					t.Errorf("initial message differs from the one vodozemac accepted:\n got %s\nwant %s", m, c.InitialMessage)
				}
			default:
				t.Fatalf("role %q", c.VodozemacRole)
			}
			code := ch.CheckCode().Bytes()
			if !bytes.Equal(code[:], c.CheckCode) || ch.CheckCode().Digits() != c.CheckCodeDigits {
				t.Errorf("check code %x (%d), vodozemac %x (%d)", code, ch.CheckCode().Digits(), []byte(c.CheckCode), c.CheckCodeDigits)
			}
			for _, m := range c.Messages {
				switch m.From {
				case "vodozemac":
					msg, err := ParseMessage(m.Message)
					if err != nil {
						t.Fatal(err)
					}
					pt, err := ch.Decrypt(msg)
					if err != nil || string(pt) != m.Plaintext {
						t.Errorf("%s: %q, %v", m.Comment, pt, err)
					}
				case "peer":
					if got := ch.Encrypt([]byte(m.Plaintext)).String(); got != m.Message {
						t.Errorf("%s: got %s, vodozemac decrypted %s", m.Comment, got, m.Message)
					}
				default:
					t.Fatalf("from %q", m.From)
				}
			}
		})
	}
}

func TestInitialMessageCodec(t *testing.T) {
	v := testvectors.Load[testvectors.VodozemacECIES](t, "vodozemac_ecies.json")
	for _, c := range v.InitialMessages {
		m, err := ParseInitialMessage(c.Text)
		switch c.Expect {
		case testvectors.ExpectSuccess:
			if err != nil || m.String() != c.Text || m.PublicKey().String() != c.PublicKey {
				t.Errorf("%s: %v", c.Comment, err)
			}
		case testvectors.ExpectInvalid:
			if !errors.Is(err, ErrBadMessageFormat) {
				t.Errorf("%s: %v", c.Comment, err)
			}
		default:
			t.Fatalf("expect %q", c.Expect)
		}
	}
}

// pair establishes a channel between two fresh Ecies.
func pair(t *testing.T) (alice, bob *Channel) {
	t.Helper()
	a, b := Generate(), Generate()
	alice, m, err := a.EstablishOutbound(b.PublicKey(), []byte("hello"))
	if err != nil {
		t.Fatal(err)
	}
	bob, pt, err := b.EstablishInbound(m)
	if err != nil || string(pt) != "hello" {
		t.Fatal(err)
	}
	return alice, bob
}

func TestFailureKeepsNonce(t *testing.T) {
	alice, bob := pair(t)
	m1 := alice.Encrypt([]byte("one"))
	bad := m1.Bytes()
	bad[0] ^= 1
	for _, forged := range []*Message{NewMessage(bad), NewMessage(nil), NewMessage(bad[:Overhead])} {
		if _, err := bob.Decrypt(forged); !errors.Is(err, ErrDecryption) {
			t.Fatalf("forged message: %v", err)
		}
	}
	m2 := alice.Encrypt([]byte("two"))
	if _, err := bob.Decrypt(m2); !errors.Is(err, ErrDecryption) {
		t.Fatal("message out of order decrypted")
	}
	for i, m := range []*Message{m1, m2} {
		if pt, err := bob.Decrypt(m); err != nil || string(pt) != []string{"one", "two"}[i] {
			t.Fatalf("message %d after failures: %q %v", i, pt, err)
		}
	}
	if _, err := bob.Decrypt(m1); !errors.Is(err, ErrDecryption) {
		t.Fatal("replay decrypted")
	}
	if pt, err := alice.Decrypt(bob.Encrypt([]byte("back"))); err != nil || string(pt) != "back" {
		t.Fatal("reply", err)
	}
	if alice.CheckCode() != bob.CheckCode() || alice.CheckCode().String() != bob.CheckCode().String() {
		t.Fatal("check codes differ")
	}
}

func TestEstablishFailures(t *testing.T) {
	a, b := Generate(), Generate()
	var zero newt.Curve25519PublicKey
	if _, _, err := a.EstablishOutbound(zero, nil); !errors.Is(err, ErrNonContributory) {
		t.Fatalf("low-order key: %v", err)
	}
	_, m, err := a.EstablishOutbound(b.PublicKey(), []byte("x"))
	if err != nil {
		t.Fatal("the failure used up the key pair:", err)
	}
	if _, _, err := a.EstablishOutbound(b.PublicKey(), nil); !errors.Is(err, ErrUsed) {
		t.Fatalf("second use: %v", err)
	}
	tampered := *m
	tampered.ct = append([]byte(nil), m.ct...)
	tampered.ct[0] ^= 1
	if _, _, err := b.EstablishInbound(&tampered); !errors.Is(err, ErrDecryption) {
		t.Fatalf("tampered initial message: %v", err)
	}
	if _, _, err := b.EstablishInbound(&InitialMessage{ct: m.ct}); !errors.Is(err, ErrNonContributory) {
		t.Fatalf("zero key in initial message: %v", err)
	}
	if _, pt, err := b.EstablishInbound(m); err != nil || string(pt) != "x" {
		t.Fatal("the failures used up the key pair:", err)
	}
	if _, _, err := b.EstablishInbound(nil); !errors.Is(err, ErrBadMessageFormat) {
		t.Fatal(err)
	}
}

func TestCheckCodeDigits(t *testing.T) {
	// vodozemac src/hpke/check_code.rs tests.
	for _, c := range []struct {
		b          [2]byte
		lead, none int
	}{{[2]byte{0, 0}, 0, 10}, {[2]byte{9, 9}, 99, 19}, {[2]byte{255, 255}, 55, 45}, {[2]byte{8, 9}, 89, 99}} {
		cc := CheckCode{b: c.b}
		if cc.Digits() != c.lead || cc.DigitsNoLeadingZero() != c.none {
			t.Errorf("%v: %d %d", c.b, cc.Digits(), cc.DigitsNoLeadingZero())
		}
	}
	if (CheckCode{b: [2]byte{0, 7}}).String() != "07" {
		t.Error("leading zero")
	}
}
