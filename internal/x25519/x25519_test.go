// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package x25519_test

import (
	"bytes"
	"crypto/ecdh"
	"crypto/rand"
	"errors"
	mrand "math/rand/v2"
	"testing"

	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/internal/x25519"
	"github.com/newt-e2ee/newt/testvectors"
)

// TestRFC7748 checks the vectors of RFC 7748 §5.2 and §6.1 (the latter are
// also libolm's alice/bob keys in tests/test_crypto.cpp).
func TestRFC7748(t *testing.T) {
	ans := testvectors.LoadAnswers(t)
	t.Run("5.2", func(t *testing.T) {
		for _, v := range []struct{ k, u, out string }{
			{"a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
				"e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
				"c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"},
			// The u-coordinate has its top bit set, which must be ignored.
			{"4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
				"e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
				"95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957"},
		} {
			k := x25519.PrivateKey(newttest.Hex32(t, v.k))
			u := newttest.Hex32(t, v.u)
			got, err := x25519.DH(&k, &u)
			if err != nil || got != newttest.Hex32(t, v.out) {
				t.Errorf("DH(%s, %s) = %x, %v", v.k, v.u, got, err)
			}
		}
	})
	t.Run("6.1", func(t *testing.T) {
		alice := x25519.PrivateKey(newttest.Hex32(t, ans.Get("rfc7748/alice_private_hex")))
		bob := x25519.PrivateKey(newttest.Hex32(t, ans.Get("rfc7748/bob_private_hex")))
		alicePub, bobPub := x25519.PublicKey(&alice), x25519.PublicKey(&bob)
		if alicePub != newttest.Hex32(t, ans.Get("rfc7748/alice_public_hex")) {
			t.Errorf("alice pub %x", alicePub)
		}
		if bobPub != newttest.Hex32(t, ans.Get("rfc7748/bob_public_hex")) {
			t.Errorf("bob pub %x", bobPub)
		}
		want := newttest.Hex32(t, ans.Get("rfc7748/shared_secret_hex"))
		s1, err1 := x25519.DH(&alice, &bobPub)
		s2, err2 := x25519.DH(&bob, &alicePub)
		if err1 != nil || err2 != nil || s1 != want || s2 != want {
			t.Errorf("shared %x / %x (%v, %v)", s1, s2, err1, err2)
		}
	})
}

// TestRFC7748Iterated runs the RFC 7748 §5.2 iteration k, u = X25519(k, u), k
// from k = u = 9. The private key is passed unclamped, as the RFC does.
func TestRFC7748Iterated(t *testing.T) {
	k := x25519.PrivateKey{9}
	u := [32]byte{9}
	want := map[int]string{
		1:    "422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079",
		1000: "684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51",
	}
	n := 1000
	if testing.Short() {
		n = 1
	}
	for i := 1; i <= n; i++ {
		out, err := x25519.DH(&k, &u)
		if err != nil {
			t.Fatal(err)
		}
		u = k
		k = x25519.PrivateKey(out)
		if w, ok := want[i]; ok && [32]byte(k) != newttest.Hex32(t, w) {
			t.Fatalf("after %d iterations: %x, want %s", i, k, w)
		}
	}
}

func TestLowOrderPoints(t *testing.T) {
	priv, _ := x25519.GenerateKey()
	// The points of order 1, 2, 4 and 8 on the curve and its twist,
	// canonical and not (libsodium's blocklist, which Wycheproof's
	// x25519_test.json "low order" cases use too).
	for _, low := range newttest.LowOrderCurve25519(t) {
		for _, top := range []byte{0, 0x80} { // the top bit is ignored
			u := low
			u[31] |= top
			out, err := x25519.DH(&priv, &u)
			if !errors.Is(err, x25519.ErrNonContributory) || out != ([32]byte{}) {
				t.Errorf("u=%x: %x, %v", u, out, err)
			}
			// crypto/ecdh agrees that these are low order.
			sk, _ := ecdh.X25519().NewPrivateKey(priv[:])
			pk, err := ecdh.X25519().NewPublicKey(u[:])
			if err != nil {
				t.Fatal(err)
			}
			if _, err := sk.ECDH(pk); err == nil {
				t.Errorf("u=%x: crypto/ecdh accepted it", u)
			}
		}
	}
}

// TestIsSmallOrder checks the table lookup against DH: true for every
// low-order point of primitives.json with either top bit, false for its
// neighbours and for random keys, whose DH is not zero.
func TestIsSmallOrder(t *testing.T) {
	priv, _ := x25519.GenerateKey()
	check := func(u [32]byte) {
		t.Helper()
		_, err := x25519.DH(&priv, &u)
		if got, want := x25519.IsSmallOrder(&u), err != nil; got != want {
			t.Errorf("IsSmallOrder(%x) = %v, DH error %v", u, got, err)
		}
	}
	n := 0
	for _, low := range newttest.LowOrderCurve25519(t) {
		for _, top := range []byte{0, 0x80} {
			u := low
			u[31] |= top
			if !x25519.IsSmallOrder(&u) {
				t.Errorf("IsSmallOrder(%x) = false", u)
			}
			n++
			check(u)
			u[0]++ // a neighbour
			check(u)
		}
	}
	r := mrand.New(mrand.NewChaCha8([32]byte{16}))
	for range 200 {
		var u [32]byte
		for i := range u {
			u[i] = byte(r.Uint32())
		}
		check(u)
	}
	if n != 14 {
		t.Fatalf("%d low-order encodings", n)
	}
}

func TestTopBitIgnored(t *testing.T) {
	r := mrand.New(mrand.NewChaCha8([32]byte{7}))
	for range 50 {
		var priv x25519.PrivateKey
		var u [32]byte
		copy(priv[:], newttest.RandFrom(r, len(priv[:])))
		copy(u[:], newttest.RandFrom(r, len(u[:])))
		u[31] &= 0x7f
		a, errA := x25519.DH(&priv, &u)
		u[31] |= 0x80
		b, errB := x25519.DH(&priv, &u)
		if a != b || errA != nil || errB != nil {
			t.Fatalf("top bit changed the result: %x vs %x", a, b)
		}
	}
}

// TestNonCanonical checks that u and u+p (for u < 19, the only values whose
// u+p fits in 255 bits) give the same result, as RFC 7748 requires.
func TestNonCanonical(t *testing.T) {
	priv, _ := x25519.GenerateKey()
	p := newttest.Hex32(t, "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")
	for u := byte(0); u < 19; u++ {
		canon := [32]byte{u}
		nonCanon := p
		nonCanon[0] += u
		a, errA := x25519.DH(&priv, &canon)
		b, errB := x25519.DH(&priv, &nonCanon)
		if a != b || (errA == nil) != (errB == nil) {
			t.Fatalf("u=%d: %x,%v vs %x,%v", u, a, errA, b, errB)
		}
		sk, _ := ecdh.X25519().NewPrivateKey(priv[:])
		pk, _ := ecdh.X25519().NewPublicKey(nonCanon[:])
		want, err := sk.ECDH(pk)
		if (err == nil) != (errB == nil) || (err == nil && !bytes.Equal(want, b[:])) {
			t.Fatalf("u=%d+p: ecdh %x,%v vs %x,%v", u, want, err, b, errB)
		}
	}
}

func clamp(k [32]byte) [32]byte {
	k[0] &= 248
	k[31] &= 127
	k[31] |= 64
	return k
}

// TestDifferentialECDH compares PublicKey and DH with crypto/ecdh on random
// private keys (passed clamped, or raw since ecdh clamps too) and random
// peer u-coordinates, including the top bit.
func TestDifferentialECDH(t *testing.T) {
	r := mrand.New(mrand.NewChaCha8([32]byte{8}))
	n := 2000
	if testing.Short() {
		n = 200
	}
	for i := range n {
		var priv x25519.PrivateKey
		var u [32]byte
		copy(priv[:], newttest.RandFrom(r, len(priv[:])))
		copy(u[:], newttest.RandFrom(r, len(u[:])))
		ecdhPrivBytes := [32]byte(priv)
		if i%2 == 0 {
			ecdhPrivBytes = clamp(ecdhPrivBytes)
		}
		sk, err := ecdh.X25519().NewPrivateKey(ecdhPrivBytes[:])
		if err != nil {
			t.Fatal(err)
		}
		if pub := x25519.PublicKey(&priv); !bytes.Equal(pub[:], sk.PublicKey().Bytes()) {
			t.Fatalf("PublicKey(%x) = %x, ecdh %x", priv, pub, sk.PublicKey().Bytes())
		}
		pk, err := ecdh.X25519().NewPublicKey(u[:])
		if err != nil {
			t.Fatal(err)
		}
		want, wantErr := sk.ECDH(pk)
		got, err := x25519.DH(&priv, &u)
		if (err != nil) != (wantErr != nil) || (err == nil && !bytes.Equal(got[:], want)) {
			t.Fatalf("DH(%x, %x) = %x,%v; ecdh %x,%v", priv, u, got, err, want, wantErr)
		}
	}
}

// TestAgreement checks that both sides of a random exchange agree.
func TestAgreement(t *testing.T) {
	for range 20 {
		a, aPub := x25519.GenerateKey()
		b, bPub := x25519.GenerateKey()
		s1, err1 := x25519.DH(&a, &bPub)
		s2, err2 := x25519.DH(&b, &aPub)
		if err1 != nil || err2 != nil || s1 != s2 {
			t.Fatal("shared secrets differ")
		}
	}
}

// TestUnclampedStorage checks that the key is stored raw: every private key
// that differs only in clamped bits gives the same public key.
func TestUnclampedStorage(t *testing.T) {
	priv, pub := x25519.GenerateKey()
	for _, mod := range []func(*x25519.PrivateKey){
		func(k *x25519.PrivateKey) { k[0] ^= 7 },
		func(k *x25519.PrivateKey) { k[31] ^= 0x80 },
		func(k *x25519.PrivateKey) { k[31] ^= 0x40 },
	} {
		k := priv
		mod(&k)
		if x25519.PublicKey(&k) != pub {
			t.Fatal("clamped bits changed the public key")
		}
	}
}

func TestAllocations(t *testing.T) {
	if testing.CoverMode() != "" || raceEnabled {
		t.Skip("coverage instrumentation and the race detector allocate")
	}
	priv, _ := x25519.GenerateKey()
	_, peer := x25519.GenerateKey()
	if n := testing.AllocsPerRun(10, func() { x25519.DH(&priv, &peer) }); n != 0 {
		t.Errorf("DH: %v allocations", n)
	}
	if n := testing.AllocsPerRun(10, func() { x25519.PublicKey(&priv) }); n != 0 {
		t.Errorf("PublicKey: %v allocations", n)
	}
}

var sink [32]byte

func BenchmarkPublicKey(b *testing.B) {
	priv, _ := x25519.GenerateKey()
	b.Run("impl=newt", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sink = x25519.PublicKey(&priv)
		}
	})
	b.Run("impl=ecdh", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sk, _ := ecdh.X25519().NewPrivateKey(priv[:])
			copy(sink[:], sk.PublicKey().Bytes())
		}
	})
}

func BenchmarkDH(b *testing.B) {
	priv, _ := x25519.GenerateKey()
	_, peer := x25519.GenerateKey()
	b.Run("impl=newt", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sink, _ = x25519.DH(&priv, &peer)
		}
	})
	// What a DH costs through crypto/ecdh when the private key is stored as
	// bytes (libolm's form): NewPrivateKey computes the public key too.
	b.Run("impl=ecdh", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sk, _ := ecdh.X25519().NewPrivateKey(priv[:])
			pk, _ := ecdh.X25519().NewPublicKey(peer[:])
			s, _ := sk.ECDH(pk)
			copy(sink[:], s)
		}
	})
	// crypto/ecdh with a pre-parsed private key: the ladder alone.
	b.Run("impl=ecdh-parsed", func(b *testing.B) {
		sk, _ := ecdh.X25519().NewPrivateKey(priv[:])
		b.ReportAllocs()
		for b.Loop() {
			pk, _ := ecdh.X25519().NewPublicKey(peer[:])
			s, _ := sk.ECDH(pk)
			copy(sink[:], s)
		}
	})
}

func BenchmarkGenerateKey(b *testing.B) {
	b.Run("impl=newt", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, sink = x25519.GenerateKey()
		}
	})
	b.Run("impl=ecdh", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sk, _ := ecdh.X25519().GenerateKey(rand.Reader)
			copy(sink[:], sk.PublicKey().Bytes())
		}
	})
}

// FuzzDH compares DH with crypto/ecdh on arbitrary keys: same bytes, and
// ErrNonContributory exactly when ecdh reports a low-order point.
func FuzzDH(f *testing.F) {
	f.Add(make([]byte, 32), make([]byte, 32))
	f.Add(bytes.Repeat([]byte{0xff}, 32), bytes.Repeat([]byte{0xff}, 32))
	f.Fuzz(func(t *testing.T, privB, pubB []byte) {
		if len(privB) != 32 || len(pubB) != 32 {
			return
		}
		priv := x25519.PrivateKey(privB)
		pub := [32]byte(pubB)
		got, err := x25519.DH(&priv, &pub)
		sk, _ := ecdh.X25519().NewPrivateKey(privB)
		pk, _ := ecdh.X25519().NewPublicKey(pubB)
		want, wantErr := sk.ECDH(pk)
		if (err != nil) != (wantErr != nil) {
			t.Fatalf("error %v, ecdh %v", err, wantErr)
		}
		if err != nil {
			if !errors.Is(err, x25519.ErrNonContributory) || got != ([32]byte{}) {
				t.Fatalf("unexpected failure %x, %v", got, err)
			}
			return
		}
		if !bytes.Equal(got[:], want) {
			t.Fatalf("DH %x, ecdh %x", got, want)
		}
		if p := x25519.PublicKey(&priv); !bytes.Equal(p[:], sk.PublicKey().Bytes()) {
			t.Fatal("PublicKey differs from ecdh")
		}
	})
}
