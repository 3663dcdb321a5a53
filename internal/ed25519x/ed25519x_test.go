// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package ed25519x_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha512"
	"errors"
	"math/rand/v2"
	"testing"

	"filippo.io/edwards25519"

	"github.com/newt-e2ee/newt/internal/ed25519x"
	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/testvectors"
)

// TestLibolmKnownAnswers checks libolm's PK signing answer, with the
// tampered message of libolm's tests/test_pk.cpp. The other libolm answers
// run in TestVectors.
func TestLibolmKnownAnswers(t *testing.T) {
	ans := testvectors.LoadAnswers(t)
	t.Run("alice seed", func(t *testing.T) {
		seed := [32]byte(newttest.Hex(t, ans.Get("rfc7748/alice_private_hex")))
		k := ed25519x.NewKeyFromSeed(&seed)
		pub := k.Public()
		if want := newttest.Base64(t, ans.Get("pk/signing/public_base64")); !bytes.Equal(pub[:], want) {
			t.Fatalf("pub %x", pub)
		}
		msg := []byte(ans.Get("pk/signing/message"))
		want := newttest.Base64(t, ans.Get("pk/signing/signature_base64"))
		if sig := k.Sign(msg); !bytes.Equal(sig[:], want) {
			t.Fatalf("sig %x", sig)
		}
		msg[4] = 'm' // libolm's test_pk.cpp tamper
		if ed25519x.Verify(pub[:], msg, want) {
			t.Fatal("tampered message verified")
		}
	})
}

// TestRFC8032 checks RFC 8032 §7.1 tests 1-3.
func TestRFC8032(t *testing.T) {
	for _, v := range []struct{ seed, pub, msg, sig string }{
		{"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
			"d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
			"e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
		{"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
			"3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
			"92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
		{"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
			"fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
			"6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
	} {
		seed := [32]byte(newttest.Hex(t, v.seed))
		k := ed25519x.NewKeyFromSeed(&seed)
		pub, msg, want := newttest.Hex(t, v.pub), newttest.Hex(t, v.msg), newttest.Hex(t, v.sig)
		if got := k.Public(); !bytes.Equal(got[:], pub) {
			t.Errorf("seed %s: pub %x", v.seed, got)
		}
		if got := k.Sign(msg); !bytes.Equal(got[:], want) {
			t.Errorf("seed %s: sig %x", v.seed, got)
		}
		pk, err := ed25519x.NewPublicKey(pub)
		if err != nil || !pk.Verify(msg, want) || !ed25519x.Verify(pub, msg, want) {
			t.Errorf("seed %s: does not verify (%v)", v.seed, err)
		}
		if b := pk.Bytes(); !bytes.Equal(b[:], pub) {
			t.Errorf("Bytes() = %x", b)
		}
	}
}

// TestExpandedKeyFormat checks sk64 = clamp(SHA-512(seed)) and that the
// stored public key, not a recomputed one, is hashed.
func TestExpandedKeyFormat(t *testing.T) {
	seed := [32]byte{1, 2, 3}
	k := ed25519x.NewKeyFromSeed(&seed)
	h := sha512.Sum512(seed[:])
	h[0] &= 248
	h[31] &= 63
	h[31] |= 64
	if k.Expanded() != h {
		t.Fatal("expanded key is not clamped SHA-512(seed)")
	}
	msg := []byte("stored pub")
	good := k.Sign(msg)

	pub, sk := k.Public(), k.Expanded()
	wrong := pub
	wrong[0] ^= 1
	k2 := ed25519x.NewKeyFromExpanded(&wrong, &sk)
	if k2.Public() != wrong {
		t.Fatal("NewKeyFromExpanded did not keep the stored public key")
	}
	bad := k2.Sign(msg)
	// r depends on sk64[32:] and M only, so R is the same; S hashes the
	// stored (wrong) public key and differs.
	if !bytes.Equal(bad[:32], good[:32]) || bytes.Equal(bad[32:], good[32:]) {
		t.Fatal("signature does not hash the stored public key")
	}
	if ed25519x.Verify(pub[:], msg, bad[:]) {
		t.Fatal("signature made with a mismatched pub verified")
	}
}

// TestDifferential compares with crypto/ed25519 on random keys and
// messages: signatures must be identical and every verify decision equal.
func TestDifferential(t *testing.T) {
	r := rand.New(rand.NewChaCha8([32]byte{42}))
	n := 2000
	if testing.Short() {
		n = 200
	}
	for i := range n {
		var seed [32]byte
		copy(seed[:], newttest.RandFrom(r, len(seed[:])))
		msg := make([]byte, r.IntN(600))
		copy(msg, newttest.RandFrom(r, len(msg)))

		k := ed25519x.NewKeyFromSeed(&seed)
		std := ed25519.NewKeyFromSeed(seed[:])
		pub := k.Public()
		if !bytes.Equal(pub[:], std.Public().(ed25519.PublicKey)) {
			t.Fatalf("case %d: public key differs", i)
		}
		sig := k.Sign(msg)
		if want := ed25519.Sign(std, msg); !bytes.Equal(sig[:], want) {
			t.Fatalf("case %d: signature differs", i)
		}
		pk, err := ed25519x.NewPublicKey(pub[:])
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		check := func(what string, m, s []byte) {
			t.Helper()
			want := ed25519.Verify(pub[:], m, s)
			if got := pk.Verify(m, s); got != want {
				t.Fatalf("case %d %s: PublicKey.Verify %v, stdlib %v", i, what, got, want)
			}
			if got := ed25519x.Verify(pub[:], m, s); got != want {
				t.Fatalf("case %d %s: Verify %v, stdlib %v", i, what, got, want)
			}
		}
		check("valid", msg, sig[:])
		bit := r.IntN(256)
		s := sig
		s[bit/8] ^= 1 << (bit % 8)
		check("flipped R", msg, s[:])
		s = sig
		s[32+bit/8] ^= 1 << (bit % 8)
		check("flipped S", msg, s[:])
		if len(msg) > 0 {
			m := bytes.Clone(msg)
			b := r.IntN(len(m) * 8)
			m[b/8] ^= 1 << (b % 8)
			check("flipped msg", m, sig[:])
		}
	}
}

// scalarFromInt returns the scalar with the given small value.
func scalarFromInt(t testing.TB, v byte) *edwards25519.Scalar {
	var b [32]byte
	b[0] = v
	s, err := new(edwards25519.Scalar).SetCanonicalBytes(b[:])
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// edgeCase is one vector of TestEdgeCases.
type edgeCase struct {
	name     string
	pub, sig []byte
	msg      []byte
	flags    []string
}

// flagsShouldPass gives the decision required for every property a vector
// can have; a vector passes only if all its flags pass. An unlisted flag
// fails the test, so every new kind of vector needs an explicit decision.
var flagsShouldPass = map[string]bool{
	"Valid": true,
	// A = aB + T with T of order 8, and k·T = 0: the cofactorless equation
	// holds. Accepted, as by ed25519-dalek verify_strict and crypto/ed25519.
	"MixedOrderA": true,
	// S >= L: libolm accepts S+L (CVE-2024-45193); strict verifiers reject.
	"SPlusL":    false,
	"SEqualsL":  false,
	"SHighBits": false,
	// Small-order public keys admit universal forgeries (the identity key
	// with R = identity, S = 0 verifies any message under crypto/ed25519).
	"SmallOrderA": false,
	// y >= p, or x = 0 with the sign bit set.
	"NonCanonicalA": false,
	// Small-order R: crypto/ed25519 accepts R = identity from the key
	// holder; verify_strict rejects it.
	"SmallOrderR":   false,
	"NonCanonicalR": false,
	"FlippedR":      false,
	"FlippedS":      false,
	"FlippedMsg":    false,
	"BadSigLength":  false,
	"BadKeyLength":  false,
	"NotOnCurve":    false,
}

// deliberateDifferences are the flags on which our decision may differ from
// crypto/ed25519.Verify.
var deliberateDifferences = map[string]bool{"SmallOrderA": true, "NonCanonicalA": true, "SmallOrderR": true}

func edgeCases(t *testing.T) []edgeCase {
	seed := [32]byte([]byte("edge cases edge cases edge cases"))
	key := ed25519x.NewKeyFromSeed(&seed)
	pub := key.Public()
	exp := key.Expanded()
	a, _ := new(edwards25519.Scalar).SetBytesWithClamping(exp[:32])
	msg := []byte("Megolm message body")
	sig := key.Sign(msg)
	var cases []edgeCase
	add := func(name string, pub, msg, sig []byte, flags ...string) {
		cases = append(cases, edgeCase{name: name, pub: bytes.Clone(pub), msg: bytes.Clone(msg), sig: bytes.Clone(sig), flags: flags})
	}
	add("valid", pub[:], msg, sig[:], "Valid")
	add("valid empty message", pub[:], nil, func() []byte { s := key.Sign(nil); return s[:] }(), "Valid")

	// S + L, S = L, high bits of S.
	L := newttest.Hex(t, "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010")
	sPlusL := addLE(sig[32:], L)
	add("S+L", pub[:], msg, append(bytes.Clone(sig[:32]), sPlusL...), "SPlusL")
	add("S+2L", pub[:], msg, append(bytes.Clone(sig[:32]), addLE(sPlusL, L)...), "SPlusL")
	add("S=L", pub[:], msg, append(bytes.Clone(sig[:32]), L...), "SEqualsL")
	for _, hb := range []byte{0x20, 0x40, 0x80} {
		s := sig
		s[63] |= hb
		add("S high bit", pub[:], msg, s[:], "SHighBits")
	}

	// Flipped bits.
	for _, bit := range []int{0, 7, 100, 255} {
		s := sig
		s[bit/8] ^= 1 << (bit % 8)
		add("flipped R bit", pub[:], msg, s[:], "FlippedR")
		s = sig
		s[32+bit/8] ^= 1 << (bit % 8)
		add("flipped S bit", pub[:], msg, s[:], "FlippedS")
	}
	m := bytes.Clone(msg)
	m[3] ^= 0x10
	add("flipped message bit", pub[:], m, sig[:], "FlippedMsg")

	// Lengths (crypto/ed25519 panics on a bad key length; not compared).
	add("short sig", pub[:], msg, sig[:63], "BadSigLength")
	add("long sig", pub[:], msg, append(bytes.Clone(sig[:]), 0), "BadSigLength")
	add("short key", pub[:31], msg, sig[:], "BadKeyLength")
	add("long key", append(bytes.Clone(pub[:]), 0), msg, sig[:], "BadKeyLength")

	// A key that is not a curve point (y = 2 is not on the curve).
	add("not on curve", append([]byte{2}, make([]byte, 31)...), msg, sig[:], "NotOnCurve")

	torsion := newttest.Torsion(t)
	identity := torsion[0].Bytes()

	// Universal forgery under the identity key: R = identity, S = 0.
	zeroS := make([]byte, 32)
	for _, mm := range [][]byte{msg, nil, []byte("anything at all")} {
		add("identity key, R=identity, S=0", identity, mm, append(bytes.Clone(identity), zeroS...), "SmallOrderA", "SmallOrderR")
	}
	// Every small-order key, with every small-order R and S = 0: the forgery
	// S·B − k·T = R holds whenever R = −k·T.
	for _, T := range torsion {
		for _, R := range torsion {
			add("small-order key forgery", T.Bytes(), msg, append(R.Bytes(), zeroS...), "SmallOrderA", "SmallOrderR")
		}
	}

	// Non-canonical encodings of points: y = p + y0 for y0 < 19, with and
	// without the sign bit, and x = 0 with the sign bit set.
	p := newttest.Hex(t, "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")
	var nonCanonical [][]byte
	for y0 := byte(0); y0 < 19; y0++ {
		for _, sign := range []byte{0, 0x80} {
			enc := bytes.Clone(p)
			enc[0] += y0
			enc[31] |= sign
			if _, err := new(edwards25519.Point).SetBytes(enc); err == nil {
				nonCanonical = append(nonCanonical, enc)
			}
		}
	}
	negZero := func(b []byte) []byte { b = bytes.Clone(b); b[31] |= 0x80; return b }
	nonCanonical = append(nonCanonical, negZero(torsion[0].Bytes()), negZero(newttest.Hex(t, "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")))
	if len(nonCanonical) < 4 {
		t.Fatalf("only %d non-canonical encodings found", len(nonCanonical))
	}
	for _, enc := range nonCanonical {
		// R = identity and S = 0 is a universal forgery under the
		// non-canonical identity encodings.
		add("non-canonical key", enc, msg, append(bytes.Clone(identity), zeroS...), "NonCanonicalA", "SmallOrderR")
		add("non-canonical key, real sig", enc, msg, sig[:], "NonCanonicalA")
	}

	// R = identity from the key holder: r = 0, S = k·a.
	for _, mm := range [][]byte{msg, nil, []byte("another")} {
		k := newttest.Ed25519Challenge(identity, pub[:], mm)
		S := new(edwards25519.Scalar).Multiply(k, a)
		add("R=identity by key holder", pub[:], mm, append(bytes.Clone(identity), S.Bytes()...), "SmallOrderR")
	}
	// Non-canonical encodings of R = identity, S = k·a: the encoded result
	// never matches them.
	for _, R := range [][]byte{newttest.Hex(t, "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"), negZero(identity)} {
		k := newttest.Ed25519Challenge(R, pub[:], msg)
		S := new(edwards25519.Scalar).Multiply(k, a)
		add("non-canonical R", pub[:], msg, append(bytes.Clone(R), S.Bytes()...), "NonCanonicalR")
	}

	// Mixed-order key A' = aB + T8. With R = rB, S = r + k·a the equation
	// gives R − k·T8, which equals R exactly when k·T8 = 0.
	T8 := torsion[1]
	A := new(edwards25519.Point).ScalarBaseMult(a)
	A.Add(A, T8)
	mixed := A.Bytes()
	found := 0
	for i := 0; found < 3 && i < 200; i++ {
		mm := append(bytes.Clone(msg), byte(i))
		r := scalarFromInt(t, byte(i+1))
		R := new(edwards25519.Point).ScalarBaseMult(r).Bytes()
		k := newttest.Ed25519Challenge(R, mixed, mm)
		if new(edwards25519.Point).ScalarMult(k, T8).Equal(edwards25519.NewIdentityPoint()) != 1 {
			continue
		}
		S := new(edwards25519.Scalar).MultiplyAdd(k, a, r)
		add("mixed-order key", mixed, mm, append(R, S.Bytes()...), "MixedOrderA")
		found++
	}
	if found == 0 {
		t.Fatal("no mixed-order vector found")
	}
	// Mixed-order key with small-order R = −k·T8 and S = k·a: accepted by
	// crypto/ed25519 when the guess is right, rejected here.
	for i := range 64 {
		mm := append(bytes.Clone(msg), byte(i), 0xff)
		for _, Rp := range torsion {
			R := Rp.Bytes()
			k := newttest.Ed25519Challenge(R, mixed, mm)
			want := new(edwards25519.Point).ScalarMult(k, T8)
			want.Negate(want)
			if want.Equal(Rp) != 1 {
				continue
			}
			S := new(edwards25519.Scalar).Multiply(k, a)
			add("mixed-order key, small-order R", mixed, mm, append(R, S.Bytes()...), "SmallOrderR")
		}
	}
	return cases
}

// addLE returns a + b for 32-byte little-endian integers (no overflow in
// our uses).
func addLE(a, b []byte) []byte {
	out := make([]byte, 32)
	carry := 0
	for i := range 32 {
		v := int(a[i]) + int(b[i]) + carry
		out[i] = byte(v)
		carry = v >> 8
	}
	return out
}

func TestEdgeCases(t *testing.T) {
	cases := edgeCases(t)
	stdAcceptedDifferent := map[string]int{}
	for _, c := range cases {
		want := true
		for _, f := range c.flags {
			pass, ok := flagsShouldPass[f]
			if !ok {
				t.Fatalf("%s: flag %q has no decision in flagsShouldPass", c.name, f)
			}
			want = want && pass
		}
		got := ed25519x.Verify(c.pub, c.msg, c.sig)
		if got != want {
			t.Errorf("%s (%v): Verify = %v, want %v\npub %x\nsig %x", c.name, c.flags, got, want, c.pub, c.sig)
		}
		pk, err := ed25519x.NewPublicKey(c.pub)
		if err == nil {
			if got2 := pk.Verify(c.msg, c.sig); got2 != got {
				t.Errorf("%s: PublicKey.Verify = %v, Verify = %v", c.name, got2, got)
			}
		} else if !errors.Is(err, ed25519x.ErrInvalidPublicKey) || pk != nil {
			t.Errorf("%s: NewPublicKey error %v", c.name, err)
		}
		if len(c.pub) != ed25519.PublicKeySize {
			continue
		}
		std := ed25519.Verify(c.pub, c.msg, c.sig)
		if std == got {
			continue
		}
		allowed := false
		for _, f := range c.flags {
			allowed = allowed || deliberateDifferences[f]
		}
		if !allowed || got {
			t.Errorf("%s (%v): ours %v, crypto/ed25519 %v: not a deliberate difference", c.name, c.flags, got, std)
		}
		stdAcceptedDifferent[c.name]++
	}
	// The deliberate differences are real: crypto/ed25519 accepts these.
	for _, name := range []string{"identity key, R=identity, S=0", "small-order key forgery", "non-canonical key", "R=identity by key holder", "mixed-order key, small-order R"} {
		if stdAcceptedDifferent[name] == 0 {
			t.Errorf("expected crypto/ed25519 to accept some %q vectors", name)
		}
	}
	t.Logf("%d vectors; accepted by crypto/ed25519 but rejected here: %v", len(cases), stdAcceptedDifferent)
}

// TestNewPublicKey checks the key checks directly.
func TestNewPublicKey(t *testing.T) {
	torsion := newttest.Torsion(t)
	for i, T := range torsion {
		if _, err := ed25519x.NewPublicKey(T.Bytes()); !errors.Is(err, ed25519x.ErrInvalidPublicKey) {
			t.Errorf("small-order point %d accepted", i)
		}
	}
	p := newttest.Hex(t, "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")
	for y0 := byte(0); y0 < 19; y0++ {
		enc := bytes.Clone(p)
		enc[0] += y0
		if _, err := ed25519x.NewPublicKey(enc); err == nil {
			t.Errorf("y = p + %d accepted", y0)
		}
	}
	for range 50 {
		k := ed25519x.GenerateKey()
		pub := k.Public()
		pk, err := ed25519x.NewPublicKey(pub[:])
		if err != nil || pk.Bytes() != pub {
			t.Fatal("valid key rejected")
		}
	}
	if _, err := ed25519x.NewPublicKey(nil); err == nil {
		t.Error("nil key accepted")
	}
}

func TestAllocations(t *testing.T) {
	if testing.CoverMode() != "" || raceEnabled {
		t.Skip("coverage instrumentation and the race detector allocate")
	}
	k := ed25519x.GenerateKey()
	pub := k.Public()
	pk, _ := ed25519x.NewPublicKey(pub[:])
	var msg [300]byte
	sig := k.Sign(msg[:])
	for _, c := range []struct {
		name string
		f    func()
	}{
		{"Sign", func() { var m [300]byte; k.Sign(m[:]) }},
		{"PublicKey.Verify", func() { var m [300]byte; pk.Verify(m[:], sig[:]) }},
		{"Verify", func() { var m [300]byte; p := pub; ed25519x.Verify(p[:], m[:], sig[:]) }},
	} {
		if n := testing.AllocsPerRun(20, c.f); n != 0 {
			t.Errorf("%s: %v allocations", c.name, n)
		}
	}
}

// FuzzVerify compares with crypto/ed25519.Verify on arbitrary input. The
// only allowed differences: we reject keys NewPublicKey rejects and
// small-order R; we never accept what the standard library rejects.
func FuzzVerify(f *testing.F) {
	seed := [32]byte{9}
	k := ed25519x.NewKeyFromSeed(&seed)
	pub := k.Public()
	msg := []byte("fuzz")
	sig := k.Sign(msg)
	f.Add(pub[:], msg, sig[:])
	ident := append([]byte{1}, make([]byte, 31)...)
	f.Add(ident, msg, append(bytes.Clone(ident), make([]byte, 32)...))
	f.Add(pub[:], msg, append(bytes.Clone(ident), make([]byte, 32)...))
	f.Fuzz(func(t *testing.T, pub, msg, sig []byte) {
		got := ed25519x.Verify(pub, msg, sig)
		if len(pub) != ed25519.PublicKeySize {
			if got {
				t.Fatal("accepted a key of the wrong length")
			}
			return
		}
		pk, err := ed25519x.NewPublicKey(pub)
		if err == nil && pk.Verify(msg, sig) != got {
			t.Fatal("PublicKey.Verify disagrees with Verify")
		}
		std := ed25519.Verify(pub, msg, sig)
		if got == std {
			return
		}
		if got {
			t.Fatalf("accepted a signature crypto/ed25519 rejects: pub %x sig %x", pub, sig)
		}
		if err != nil {
			return // key rejected by the strict checks
		}
		if len(sig) == 64 {
			if R, err := new(edwards25519.Point).SetBytes(sig[:32]); err == nil &&
				new(edwards25519.Point).MultByCofactor(R).Equal(edwards25519.NewIdentityPoint()) == 1 {
				return // small-order R
			}
		}
		t.Fatalf("rejected a signature crypto/ed25519 accepts: pub %x msg %x sig %x", pub, msg, sig)
	})
}

var sinkSig [64]byte
var sinkBool bool

func BenchmarkSign(b *testing.B) {
	seed := [32]byte{1}
	msg := make([]byte, 300)
	b.Run("size=300/impl=newt", func(b *testing.B) {
		k := ed25519x.NewKeyFromSeed(&seed)
		b.ReportAllocs()
		b.SetBytes(int64(len(msg)))
		for b.Loop() {
			sinkSig = k.Sign(msg)
		}
	})
	b.Run("size=300/impl=stdlib", func(b *testing.B) {
		k := ed25519.NewKeyFromSeed(seed[:])
		b.ReportAllocs()
		b.SetBytes(int64(len(msg)))
		for b.Loop() {
			copy(sinkSig[:], ed25519.Sign(k, msg))
		}
	})
}

func BenchmarkVerify(b *testing.B) {
	seed := [32]byte{1}
	msg := make([]byte, 300)
	k := ed25519x.NewKeyFromSeed(&seed)
	pub := k.Public()
	sig := k.Sign(msg)
	b.Run("size=300/impl=newt", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(msg)))
		for b.Loop() {
			sinkBool = ed25519x.Verify(pub[:], msg, sig[:])
		}
	})
	b.Run("size=300/impl=newt-prevalidated", func(b *testing.B) {
		pk, _ := ed25519x.NewPublicKey(pub[:])
		b.ReportAllocs()
		b.SetBytes(int64(len(msg)))
		for b.Loop() {
			sinkBool = pk.Verify(msg, sig[:])
		}
	})
	b.Run("size=300/impl=stdlib", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(msg)))
		for b.Loop() {
			sinkBool = ed25519.Verify(pub[:], msg, sig[:])
		}
	})
}

func BenchmarkNewKeyFromSeed(b *testing.B) {
	seed := [32]byte{1}
	b.Run("impl=newt", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			k := ed25519x.NewKeyFromSeed(&seed)
			sinkSig[0] = k.Public()[0]
		}
	})
	b.Run("impl=stdlib", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			k := ed25519.NewKeyFromSeed(seed[:])
			sinkSig[0] = k[0]
		}
	})
}

func BenchmarkNewPublicKey(b *testing.B) {
	k := ed25519x.GenerateKey()
	pub := k.Public()
	b.ReportAllocs()
	for b.Loop() {
		pk, _ := ed25519x.NewPublicKey(pub[:])
		sinkBool = pk != nil
	}
}

func BenchmarkCheckPublicKeyBytes(b *testing.B) {
	k := ed25519x.GenerateKey()
	pub := k.Public()
	b.ReportAllocs()
	for b.Loop() {
		sinkBool = ed25519x.CheckPublicKeyBytes(pub[:]) == nil
	}
}

func TestZeroPublicKey(t *testing.T) {
	k := ed25519x.GenerateKey()
	sig := k.Sign(nil)
	var zero ed25519x.PublicKey
	if zero.Verify(nil, sig[:]) {
		t.Fatal("zero PublicKey verified")
	}
	var nilKey *ed25519x.PublicKey
	if nilKey.Verify(nil, sig[:]) {
		t.Fatal("nil PublicKey verified")
	}
}

func TestClear(t *testing.T) {
	k := ed25519x.GenerateKey()
	pub := k.Public()
	k.Clear()
	if k.Expanded() != ([64]byte{}) || k.Public() != pub {
		t.Fatal("Clear did not zero the secret or changed the public key")
	}
}
