// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package ecies

import (
	"errors"
	"testing"
)

// FuzzParseInitialMessage: a text that decodes encodes back to itself.
func FuzzParseInitialMessage(f *testing.F) {
	f.Add("3On7QFJyLQMAErua9K/yIOcJALvuMYax1AW0iWgf64AwtSMZXwAA012Q|9yA/CX8pJKF02Prd75ZyBQHg3fGTVVGDNl86q1z17Us")
	f.Add("|")
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseInitialMessage(s)
		if err != nil {
			if !errors.Is(err, ErrBadMessageFormat) {
				t.Fatal(err)
			}
			return
		}
		if m.String() != s {
			t.Fatalf("round trip: %q", m.String())
		}
	})
}

// FuzzDecrypt: random messages never decrypt on an established channel and
// never move its counter: a genuine message still decrypts afterwards.
func FuzzDecrypt(f *testing.F) {
	f.Add([]byte("ZmtSLdzMcyjC5eV6L8xBI6amsq7gDNbCjz1W5OjX4Z8W"))
	f.Fuzz(func(t *testing.T, data []byte) {
		a := newEcies(&[32]byte{1}, DefaultInfo)
		b := newEcies(&[32]byte{2}, DefaultInfo)
		alice, m, err := a.EstablishOutbound(b.PublicKey(), nil)
		if err != nil {
			t.Fatal(err)
		}
		bob, _, err := b.EstablishInbound(m)
		if err != nil {
			t.Fatal(err)
		}
		genuine := alice.Encrypt([]byte("genuine"))
		if msg, err := ParseMessage(string(data)); err == nil && msg.String() != genuine.String() {
			if _, err := bob.Decrypt(msg); err == nil {
				t.Fatal("a forged message decrypted")
			}
		}
		if _, err := bob.Decrypt(NewMessage(data)); err == nil && string(data) != string(genuine.ct) {
			t.Fatal("a forged message decrypted")
		}
		if pt, err := bob.Decrypt(genuine); err != nil || string(pt) != "genuine" {
			t.Fatal("the counter moved")
		}
	})
}
