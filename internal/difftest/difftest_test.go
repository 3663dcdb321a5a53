// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package difftest

// Tests of the engine's own predicates: they decide which differences an
// input makes possible, so each is checked against the standard library.

import (
	"bytes"
	"crypto/ecdh"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

func TestLowOrderPoints(t *testing.T) {
	var scalar [32]byte
	scalar[0] = 0x58 // any scalar: a small-order point gives zero
	priv, err := ecdh.X25519().NewPrivateKey(scalar[:])
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range lowOrderCurve25519 {
		pub, err := ecdh.X25519().NewPublicKey(p[:])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := priv.ECDH(pub); err == nil {
			t.Errorf("%x: crypto/ecdh computed a shared secret", p)
		}
		if !isLowOrderCurve25519(base64.RawStdEncoding.EncodeToString(p[:])) {
			t.Errorf("%x not recognised", p)
		}
	}
	other := ecdh.X25519().NewPrivateKey
	k, _ := other(bytes.Repeat([]byte{7}, 32))
	if isLowOrderCurve25519(base64.RawStdEncoding.EncodeToString(k.PublicKey().Bytes())) {
		t.Error("an ordinary key counted as low order")
	}
}

func TestMalleatedSignature(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(nil)
	msg := []byte("message")
	sig := ed25519.Sign(priv, msg)
	if unreducedS(sig) {
		t.Fatal("a fresh signature has S >= L")
	}
	// S + L fits in 253 bits unless S >= 2^253 - L, which is rare; retry
	// with other messages until it fits.
	for i := 0; ; i++ {
		m, ok := addL(sig)
		if ok {
			if !unreducedS(m) {
				t.Fatal("S + L not recognised")
			}
			if ed25519.Verify(pub, msg, m) {
				t.Fatal("crypto/ed25519 accepts S + L")
			}
			return
		}
		msg = fmt.Appendf(nil, "message %d", i)
		sig = ed25519.Sign(priv, msg)
	}
}

func TestWeakSigningKey(t *testing.T) {
	pub, _, _ := ed25519.GenerateKey(nil)
	if weakSigningKey(pub) {
		t.Error("a fresh key counted as weak")
	}
	identity := make([]byte, 32)
	identity[0] = 1
	nonCanonical := append(bytes.Repeat([]byte{0xff}, 31), 0x7f)
	order2 := append([]byte{0xec}, append(bytes.Repeat([]byte{0xff}, 30), 0x7f)...)
	for _, k := range [][]byte{identity, nonCanonical, order2, pub[:31]} {
		if !weakSigningKey(k) {
			t.Errorf("%x not counted as weak", k)
		}
	}
}

func TestCanonicalBase64(t *testing.T) {
	for s, want := range map[string]bool{
		"":     true,
		"AAAA": true,
		"AQ":   true,
		"AR":   false, // unused bits set
		"AQ==": false,
		"AQ=":  false,
		"A Q":  false,
		"A":    false,
	} {
		if got := canonicalBase64(s); got != want {
			t.Errorf("canonicalBase64(%q) = %v", s, got)
		}
	}
}

func TestWithRandom(t *testing.T) {
	given := []byte("0123456789abcdef")
	var got []byte
	used, over := WithRandom(given, func() {
		got = make([]byte, 10)
		rand.Read(got)
	})
	if used != 10 || over || !bytes.Equal(got, given[:10]) {
		t.Fatalf("read %q, used %d, over %v", got, used, over)
	}
	used, over = WithRandom(given[:4], func() { rand.Read(make([]byte, 8)) })
	if used != 4 || !over {
		t.Fatalf("used %d, over %v for a short read", used, over)
	}
	// Afterwards crypto/rand is the system's again.
	a, b := make([]byte, 16), make([]byte, 16)
	rand.Read(a)
	rand.Read(b)
	if bytes.Equal(a, b) {
		t.Fatal("crypto/rand repeats itself")
	}
}

func TestReadCorpus(t *testing.T) {
	dir := t.TempDir()
	want := []byte("\x00op\xffs\"`")
	file := fmt.Appendf(nil, "go test fuzz v1\n[]byte(%q)\n", want)
	if err := os.WriteFile(filepath.Join(dir, "x"), file, 0o644); err != nil {
		t.Fatal(err)
	}
	got := ReadCorpus(t, dir)
	if len(got) != 1 || !bytes.Equal(got[0], want) {
		t.Fatalf("ReadCorpus = %q", got)
	}
	if ReadCorpus(t, filepath.Join(dir, "missing")) != nil {
		t.Fatal("a missing directory is not empty")
	}
}

func TestProgram(t *testing.T) {
	p := newProgram([]byte("12345678\x05\x01\x02"))
	if got := p.intn(3); got != 2 {
		t.Errorf("intn(3) = %d", got)
	}
	if got := p.intn(300); got != (1<<8|2)%300 {
		t.Errorf("intn(300) = %d", got)
	}
	if p.done {
		t.Error("done too early")
	}
	p.byte()
	if !p.done {
		t.Error("not done after the input")
	}
	q := newProgram([]byte("12345678"))
	if !bytes.Equal(p.random(8), q.random(8)) {
		t.Error("random bytes depend on more than the seed")
	}
}
