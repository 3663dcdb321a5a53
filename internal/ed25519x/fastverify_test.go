// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package ed25519x

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha512"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"maps"
	"math/big"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"unsafe"

	"filippo.io/edwards25519"
	"filippo.io/edwards25519/field"
	"github.com/newt-e2ee/newt/internal/newttest"
)

// fastLong enlarges the differential test (about 10x the signatures).
var fastLong = flag.Bool("fastlong", false, "run the long FastVerifier differential tests")

// fastTestP is 2^255 − 19.
var fastTestP = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 255), big.NewInt(19))

// fastTestL is the group order 2^252 + 27742317777372353535851937790883648493.
var fastTestL, _ = new(big.Int).SetString("7237005577332262213973186563042994240857116359379907606001950938285454250989", 10)

func fastTestRand(t testing.TB, seed uint64) *rand.Rand {
	t.Helper()
	return rand.New(rand.NewPCG(seed, 0x6e657774))
}

func fastTestBytes(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// fastTestLE returns the 32-byte little-endian encoding of x < 2^256.
func fastTestLE(x *big.Int) []byte {
	be := x.FillBytes(make([]byte, 32))
	for i, j := 0, 31; i < j; i, j = i+1, j-1 {
		be[i], be[j] = be[j], be[i]
	}
	return be
}

// fastTestInt decodes a little-endian integer.
func fastTestInt(le []byte) *big.Int {
	be := make([]byte, len(le))
	for i := range le {
		be[len(le)-1-i] = le[i]
	}
	return new(big.Int).SetBytes(be)
}

// fastTestScalar returns a uniformly random scalar.
func fastTestScalar(r *rand.Rand) *edwards25519.Scalar {
	s, err := new(edwards25519.Scalar).SetUniformBytes(fastTestBytes(r, 64))
	if err != nil {
		panic(err)
	}
	return s
}

// fastTestSign returns R ‖ (r + k·a) with k = H(R ‖ A ‖ msg): a signature
// with an arbitrary R whose nonce part r is known.
func fastTestSign(a, r *edwards25519.Scalar, R, A, msg []byte) []byte {
	k := newttest.Ed25519Challenge(R, A, msg)
	S := new(edwards25519.Scalar).MultiplyAdd(k, a, r)
	return append(append([]byte{}, R...), S.Bytes()...)
}

// fastTestSmallOrderEncodings returns all 14 encodings (canonical and not) of
// the 8 small-order points: y mod p in {0, 1, −1, ±y8} and both sign bits,
// with y < 2^255, filtered to those edwards25519 decodes.
func fastTestSmallOrderEncodings(t testing.TB, torsion []*edwards25519.Point) [][]byte {
	t.Helper()
	var ys []*big.Int
	for _, T := range torsion {
		enc := T.Bytes()
		enc[31] &= 0x7f
		y := fastTestInt(enc)
		ys = append(ys, y)
		if yp := new(big.Int).Add(y, fastTestP); yp.BitLen() <= 255 {
			ys = append(ys, yp)
		}
	}
	seen := map[string]bool{}
	var out [][]byte
	for _, y := range ys {
		for _, sign := range []byte{0, 0x80} {
			enc := fastTestLE(y)
			enc[31] |= sign
			if seen[string(enc)] {
				continue
			}
			seen[string(enc)] = true
			if _, err := new(edwards25519.Point).SetBytes(enc); err != nil {
				continue
			}
			out = append(out, enc)
		}
	}
	return out
}

// fastTestIsSmallOrderR decides independently whether R decodes to a point of
// small order (canonical or not).
func fastTestIsSmallOrderR(R []byte) bool {
	P, err := new(edwards25519.Point).SetBytes(R)
	if err != nil {
		return false
	}
	return new(edwards25519.Point).MultByCofactor(P).Equal(edwards25519.NewIdentityPoint()) == 1
}

// fastStats counts decisions per case kind.
type fastStats struct {
	mu     sync.Mutex
	accept map[string]int
	reject map[string]int
	stdAcc map[string]int
}

func newFastStats() *fastStats {
	return &fastStats{accept: map[string]int{}, reject: map[string]int{}, stdAcc: map[string]int{}}
}

func (s *fastStats) add(kind string, ours, std bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ours {
		s.accept[kind]++
	} else {
		s.reject[kind]++
	}
	if std {
		s.stdAcc[kind]++
	}
}

func (s *fastStats) total() int {
	n := 0
	for _, v := range s.accept {
		n += v
	}
	for _, v := range s.reject {
		n += v
	}
	return n
}

func (s *fastStats) log(t *testing.T) {
	t.Helper()
	set := map[string]bool{}
	for k := range s.accept {
		set[k] = true
	}
	for k := range s.reject {
		set[k] = true
	}
	kinds := slices.Sorted(maps.Keys(set))
	for _, k := range kinds {
		t.Logf("%-28s accept %6d  reject %6d  (crypto/ed25519 accepts %d)", k, s.accept[k], s.reject[k], s.stdAcc[k])
	}
	t.Logf("total %d cases", s.total())
}

// fastCheck runs one case through every verifier and asserts the
// expected-difference rule: ours == crypto/ed25519 unless A is rejected at
// construction or R is of small order; ours == the strict Verify and
// PublicKey.Verify always. fv may be nil (the key is then built here).
// It returns our decision.
func fastCheck(t testing.TB, st *fastStats, kind string, fv *FastVerifier, pub, msg, sig []byte) bool {
	t.Helper()
	var ferr error
	if fv == nil {
		fv, ferr = NewFastVerifier(pub)
	}
	pk, perr := NewPublicKey(pub)
	if (ferr == nil) != (perr == nil) {
		t.Fatalf("%s: NewFastVerifier err=%v, NewPublicKey err=%v for key %x", kind, ferr, perr, pub)
	}
	if ferr != nil && !errors.Is(ferr, ErrInvalidPublicKey) {
		t.Fatalf("%s: NewFastVerifier error %v is not ErrInvalidPublicKey", kind, ferr)
	}
	std := len(pub) == ed25519.PublicKeySize && ed25519.Verify(pub, msg, sig)
	got := false
	if ferr == nil {
		got = fv.Verify(msg, sig)
	}
	keyOK := ferr == nil
	smallR := len(sig) == 64 && fastTestIsSmallOrderR(sig[:32])
	want := std && keyOK && !smallR
	if got != want {
		t.Fatalf("%s: FastVerifier=%v, want %v (stdlib=%v keyOK=%v smallR=%v)\nkey %x\nmsg %x\nsig %x",
			kind, got, want, std, keyOK, smallR, pub, msg, sig)
	}
	if strict := Verify(pub, msg, sig); strict != got {
		t.Fatalf("%s: FastVerifier=%v but Verify=%v\nkey %x\nmsg %x\nsig %x", kind, got, strict, pub, msg, sig)
	}
	if perr == nil {
		if pv := pk.Verify(msg, sig); pv != got {
			t.Fatalf("%s: FastVerifier=%v but PublicKey.Verify=%v", kind, got, pv)
		}
	}
	if st != nil {
		st.add(kind, got, std)
	}
	return got
}

func fastFlip(b []byte, bit int) []byte {
	c := append([]byte{}, b...)
	c[bit/8] ^= 1 << (bit % 8)
	return c
}

// fastSizes returns the number of keys and messages per key.
func fastSizes() (keys, msgs int) {
	switch {
	case *fastLong:
		return 500, 40
	case testing.Short():
		return 10, 10
	default:
		return 40, 15
	}
}

// TestFastVerifyDifferential compares FastVerifier with crypto/ed25519.Verify
// and the strict Verify on valid signatures of random messages from many
// keys and on their one-bit corruptions and S+nL variants.
func TestFastVerifyDifferential(t *testing.T) {
	nKeys, nMsgs := fastSizes()
	r := fastTestRand(t, 1)
	st := newFastStats()
	for range nKeys {
		priv := ed25519.NewKeyFromSeed(fastTestBytes(r, 32))
		pub := []byte(priv.Public().(ed25519.PublicKey))
		fv, err := NewFastVerifier(pub)
		if err != nil {
			t.Fatalf("NewFastVerifier(valid key %x): %v", pub, err)
		}
		if b := fv.Bytes(); !bytes.Equal(b[:], pub) {
			t.Fatalf("Bytes() = %x, want %x", b, pub)
		}
		for i := range nMsgs {
			msg := fastTestBytes(r, r.IntN(601))
			sig := ed25519.Sign(priv, msg)
			if !fastCheck(t, st, "valid", fv, pub, msg, sig) {
				t.Fatal("valid signature rejected")
			}
			if fastCheck(t, st, "flip bit in R", fv, pub, msg, fastFlip(sig, r.IntN(256))) {
				t.Fatal("R with a flipped bit accepted")
			}
			if fastCheck(t, st, "flip bit in S", fv, pub, msg, fastFlip(sig, 256+r.IntN(256))) {
				t.Fatal("S with a flipped bit accepted")
			}
			if len(msg) > 0 {
				if fastCheck(t, st, "flip bit in message", fv, pub, fastFlip(msg, r.IntN(8*len(msg))), sig) {
					t.Fatal("message with a flipped bit accepted")
				}
			}
			if i < 2 {
				S := fastTestInt(sig[32:])
				for _, n := range []int64{1, 2} {
					big := new(big.Int).Add(S, new(big.Int).Mul(big.NewInt(n), fastTestL))
					bad := append(sig[:32:32], fastTestLE(big)...)
					if fastCheck(t, st, "S+nL", fv, pub, msg, bad) {
						t.Fatal("S+nL accepted")
					}
				}
				bad := append(sig[:32:32], fastTestLE(fastTestL)...)
				if fastCheck(t, st, "S=L", fv, pub, msg, bad) {
					t.Fatal("S=L accepted")
				}
				// Wrong signature lengths.
				for _, n := range []int{0, 63, 65} {
					s := make([]byte, n)
					copy(s, sig)
					if fastCheck(t, st, "bad length", fv, pub, msg, s) {
						t.Fatal("bad signature length accepted")
					}
				}
			}
		}
	}
	st.log(t)
	if !testing.Short() && st.total() < 2000 {
		t.Fatalf("only %d cases", st.total())
	}
}

// TestFastVerifyIdentityR signs with R = identity and S = k·a from a known
// secret a: crypto/ed25519 accepts, the strict verifiers must reject. The
// non-canonical encodings of the identity are rejected by everyone.
func TestFastVerifyIdentityR(t *testing.T) {
	r := fastTestRand(t, 2)
	torsion := newttest.Torsion(t)
	encs := fastTestSmallOrderEncodings(t, torsion)
	idEnc := edwards25519.NewIdentityPoint().Bytes()
	var idEncs [][]byte
	for _, e := range encs {
		P, _ := new(edwards25519.Point).SetBytes(e)
		if P.Equal(edwards25519.NewIdentityPoint()) == 1 {
			idEncs = append(idEncs, e)
		}
	}
	if len(idEncs) != 4 { // 01..00, 01..80, ee..7f, ee..ff
		t.Fatalf("found %d identity encodings, want 4", len(idEncs))
	}
	st := newFastStats()
	zero := edwards25519.NewScalar()
	for range 40 {
		a := fastTestScalar(r)
		A := new(edwards25519.Point).ScalarBaseMult(a).Bytes()
		fv, err := NewFastVerifier(A)
		if err != nil {
			t.Fatal(err)
		}
		msg := fastTestBytes(r, r.IntN(100))
		for _, R := range idEncs {
			sig := fastTestSign(a, zero, R, A, msg)
			std := ed25519.Verify(A, msg, sig)
			if canonical := bytes.Equal(R, idEnc); std != canonical {
				t.Fatalf("crypto/ed25519 accepts identity R %x: %v; test construction broken", R, std)
			}
			if fastCheck(t, st, "identity R", fv, A, msg, sig) {
				t.Fatal("identity R accepted")
			}
		}
	}
	st.log(t)
	if st.stdAcc["identity R"] != 40 {
		t.Fatalf("crypto/ed25519 accepted %d identity-R signatures, want 40", st.stdAcc["identity R"])
	}
}

// TestFastVerifyMixedOrderKeys uses keys A' = a·B + T with T a non-trivial
// torsion point (accepted by every verifier) and signatures with
// R = r·B + T_R for all 8 torsion points T_R, and with small-order R in every
// encoding (r = 0).
func TestFastVerifyMixedOrderKeys(t *testing.T) {
	r := fastTestRand(t, 3)
	torsion := newttest.Torsion(t)
	encs := fastTestSmallOrderEncodings(t, torsion)
	st := newFastStats()
	rounds := 8
	if *fastLong {
		rounds = 50
	}
	for i := range rounds {
		a := fastTestScalar(r)
		T := torsion[1+i%7]
		Ap := new(edwards25519.Point).ScalarBaseMult(a)
		Ap.Add(Ap, T)
		A := Ap.Bytes()
		fv, err := NewFastVerifier(A)
		if err != nil {
			t.Fatalf("mixed-order key rejected: %v", err)
		}
		for range 4 {
			msg := fastTestBytes(r, r.IntN(200))
			nonce := fastTestScalar(r)
			for _, TR := range torsion {
				Rp := new(edwards25519.Point).ScalarBaseMult(nonce)
				Rp.Add(Rp, TR)
				fastCheck(t, st, "mixed A, R=rB+T", fv, A, msg, fastTestSign(a, nonce, Rp.Bytes(), A, msg))
			}
		}
		msg := fastTestBytes(r, 32)
		for _, R := range encs {
			sig := fastTestSign(a, edwards25519.NewScalar(), R, A, msg)
			if fastCheck(t, st, "mixed A, small-order R", fv, A, msg, sig) {
				t.Fatal("small-order R accepted")
			}
			// S = 0 too: accepted by crypto/ed25519 when k·A' = −R.
			sig0 := append(append([]byte{}, R...), make([]byte, 32)...)
			fastCheck(t, st, "mixed A, small-order R", fv, A, msg, sig0)
		}
	}
	st.log(t)
	if st.accept["mixed A, R=rB+T"] == 0 || st.reject["mixed A, R=rB+T"] == 0 {
		t.Fatal("mixed-order cases did not exercise both outcomes")
	}
	if st.stdAcc["mixed A, small-order R"] == 0 {
		t.Fatal("no small-order R accepted by crypto/ed25519: the difference is not exercised")
	}
}

// TestFastVerifySmallOrderKeys checks that all 14 encodings of the 8
// small-order points are rejected by NewFastVerifier, and runs forged
// signatures (which crypto/ed25519 partly accepts) through the rule.
func TestFastVerifySmallOrderKeys(t *testing.T) {
	torsion := newttest.Torsion(t)
	encs := fastTestSmallOrderEncodings(t, torsion)
	if len(encs) != 14 {
		t.Fatalf("found %d small-order encodings, want 14", len(encs))
	}
	r := fastTestRand(t, 4)
	st := newFastStats()
	for _, A := range encs {
		if _, err := NewFastVerifier(A); !errors.Is(err, ErrInvalidPublicKey) {
			t.Fatalf("NewFastVerifier(small-order %x) err = %v", A, err)
		}
		for range 4 {
			msg := fastTestBytes(r, r.IntN(64))
			for _, R := range encs {
				for _, S := range [][]byte{make([]byte, 32), fastTestScalar(r).Bytes()} {
					sig := append(append([]byte{}, R...), S...)
					if fastCheck(t, st, "small-order A", nil, A, msg, sig) {
						t.Fatal("small-order key accepted")
					}
				}
			}
		}
	}
	st.log(t)
	if st.stdAcc["small-order A"] == 0 {
		t.Fatal("crypto/ed25519 accepted no forgery: the difference is not exercised")
	}
}

// TestFastVerifyNonCanonicalKeys checks every on-curve encoding with y >= p
// (y = p … p+18 with either sign bit: 24 of them) and off-curve and
// wrong-length keys.
func TestFastVerifyNonCanonicalKeys(t *testing.T) {
	st := newFastStats()
	r := fastTestRand(t, 5)
	onCurve := 0
	for i := range 19 {
		y := new(big.Int).Add(fastTestP, big.NewInt(int64(i)))
		for _, sign := range []byte{0, 0x80} {
			A := fastTestLE(y)
			A[31] |= sign
			if _, err := new(edwards25519.Point).SetBytes(A); err != nil {
				continue
			}
			onCurve++
			if _, err := NewFastVerifier(A); !errors.Is(err, ErrInvalidPublicKey) {
				t.Fatalf("NewFastVerifier(non-canonical %x) err = %v", A, err)
			}
			msg := fastTestBytes(r, 20)
			fastCheck(t, st, "non-canonical A", nil, A, msg, fastTestBytes(r, 64))
		}
	}
	if onCurve != 24 {
		t.Fatalf("%d on-curve encodings with y >= p, want 24", onCurve)
	}
	// x = 0 with the sign bit set, y canonical: the identity and (0, −1).
	negZero := [][]byte{make([]byte, 32), make([]byte, 32)}
	negZero[0][0], negZero[0][31] = 1, 0x80 // identity
	for i := range negZero[1] {
		negZero[1][i] = 0xff // (0, −1): y = p − 1 = 0x7fff…ffec
	}
	negZero[1][0] = 0xec
	for _, A := range negZero {
		if _, err := new(edwards25519.Point).SetBytes(A); err != nil {
			t.Fatalf("edwards25519 rejects %x; test construction broken", A)
		}
		if _, err := NewFastVerifier(A); !errors.Is(err, ErrInvalidPublicKey) {
			t.Fatalf("NewFastVerifier(negative zero %x) err = %v", A, err)
		}
	}
	// Off-curve encodings and wrong lengths.
	off := 0
	for off < 20 {
		A := fastTestBytes(r, 32)
		if _, err := new(edwards25519.Point).SetBytes(A); err == nil {
			continue
		}
		off++
		if _, err := NewFastVerifier(A); !errors.Is(err, ErrInvalidPublicKey) {
			t.Fatalf("NewFastVerifier(off-curve %x) err = %v", A, err)
		}
		fastCheck(t, st, "off-curve A", nil, A, []byte("m"), fastTestBytes(r, 64))
	}
	for _, n := range []int{0, 31, 33, 64} {
		if _, err := NewFastVerifier(make([]byte, n)); !errors.Is(err, ErrInvalidPublicKey) {
			t.Fatalf("NewFastVerifier(len %d) err = %v", n, err)
		}
	}
	st.log(t)
}

// TestFastBelowL checks fastBelowL against big.Int comparison with L on
// values around L and its multiples and random values.
func TestFastBelowL(t *testing.T) {
	r := fastTestRand(t, 15)
	var vals []*big.Int
	for _, base := range []*big.Int{fastTestL, new(big.Int).Lsh(fastTestL, 1), new(big.Int).Lsh(big.NewInt(1), 252), big.NewInt(0)} {
		for d := int64(-3); d <= 3; d++ {
			if v := new(big.Int).Add(base, big.NewInt(d)); v.Sign() >= 0 {
				vals = append(vals, v)
			}
		}
	}
	for range 2000 {
		b := fastTestBytes(r, 32)
		b[31] &= byte(0xff >> r.IntN(8))
		vals = append(vals, fastTestInt(b))
	}
	for _, v := range vals {
		var s [32]byte
		copy(s[:], fastTestLE(v))
		_, err := new(edwards25519.Scalar).SetCanonicalBytes(s[:])
		if got, want := fastBelowL(&s), v.Cmp(fastTestL) < 0; got != want || got != (err == nil) {
			t.Fatalf("fastBelowL(%v) = %v, want %v (SetCanonicalBytes err %v)", v, got, want, err)
		}
	}
}

// TestFastSignedDigits checks the signed radix-2^w recoding for w = 4..8:
// digits in range and recombining them gives the scalar.
func TestFastSignedDigits(t *testing.T) {
	r := fastTestRand(t, 6)
	limit := new(big.Int).Lsh(big.NewInt(1), 253)
	edge := []*big.Int{
		big.NewInt(0), big.NewInt(1), new(big.Int).Sub(fastTestL, big.NewInt(1)),
		new(big.Int).Sub(limit, big.NewInt(1)),
	}
	for w := uint(4); w <= 8; w++ {
		n := fastDigitCount(w)
		half := int64(1) << (w - 1)
		top := int64(1) << (253 - w*uint(n-1)) // bound of the last digit
		for i := range 2000 {
			var x *big.Int
			if i < len(edge) {
				x = edge[i]
			} else {
				b := fastTestBytes(r, 32)
				b[31] &= 0x1f
				if i%3 == 0 {
					b[31] |= 0x10 // top bit 252 set
				}
				x = fastTestInt(b)
			}
			var s [32]byte
			copy(s[:], fastTestLE(x))
			out := make([]int8, n+3)
			for j := range out {
				out[j] = 99
			}
			fastRecode(out, &s, w)
			sum := new(big.Int)
			for j := len(out) - 1; j >= 0; j-- {
				d := int64(out[j])
				if j >= n && d != 0 {
					t.Fatalf("w=%d: padding digit %d = %d", w, j, d)
				}
				if d < -half || d > half || (d == half && j != n-1) || (j == n-1 && (d < 0 || d > top)) {
					t.Fatalf("w=%d x=%v: digit %d = %d out of range", w, x, j, d)
				}
				sum.Lsh(sum, w)
				sum.Add(sum, big.NewInt(d))
			}
			if sum.Cmp(x) != 0 {
				t.Fatalf("w=%d: digits of %v recombine to %v", w, x, sum)
			}
		}
	}
}

// fastTestNiels returns q in niels form via fastNormalise.
func fastTestNiels(q *edwards25519.Point) *fastNiels {
	var e fastExt
	e.setPoint(q)
	out := []fastNiels{{YplusX: e.X, YminusX: e.Y, XY2d: e.Z}}
	fastNormalise(out, make([]field.Element, 1))
	return &out[0]
}

func fastTestEnc(p *fastExt) []byte {
	var b [32]byte
	p.encode(&b)
	return b[:]
}

// TestFastPointFormulas checks addNiels, loadNiels, addCached and double
// against the public edwards25519 Point operations.
func TestFastPointFormulas(t *testing.T) {
	r := fastTestRand(t, 7)
	torsion := newttest.Torsion(t)
	for i := range 200 {
		P := new(edwards25519.Point).ScalarBaseMult(fastTestScalar(r))
		Q := new(edwards25519.Point).ScalarBaseMult(fastTestScalar(r))
		if i%4 == 1 {
			P.Add(P, torsion[i%8]) // mixed-order points too
		}
		if i%5 == 2 {
			Q.Set(torsion[i%8])
		}
		if i == 3 {
			Q.Set(P) // doubling through the addition formulas
		}
		nq := fastTestNiels(Q)
		sum := new(edwards25519.Point).Add(P, Q)
		diff := new(edwards25519.Point).Subtract(P, Q)

		var e fastExt
		e.setPoint(P)
		e.addNiels(nq, false)
		if got := fastTestEnc(&e); !bytes.Equal(got, sum.Bytes()) {
			t.Fatalf("addNiels: %x, want %x", got, sum.Bytes())
		}
		e.setPoint(P)
		e.addNiels(nq, true)
		if got := fastTestEnc(&e); !bytes.Equal(got, diff.Bytes()) {
			t.Fatalf("addNiels neg: %x, want %x", got, diff.Bytes())
		}
		var c fastCached
		var qe fastExt
		qe.setPoint(Q)
		c.setCached(&qe)
		e.setPoint(P)
		e.addCached(&c)
		if got := fastTestEnc(&e); !bytes.Equal(got, sum.Bytes()) {
			t.Fatalf("addCached: %x, want %x", got, sum.Bytes())
		}
		// loadNiels, then an addition (which reads T), then a doubling.
		for _, neg := range []bool{false, true} {
			e.loadNiels(nq, neg)
			wantQ := new(edwards25519.Point).Set(Q)
			if neg {
				wantQ.Negate(Q)
			}
			if got := fastTestEnc(&e); !bytes.Equal(got, wantQ.Bytes()) {
				t.Fatalf("loadNiels(neg=%v): %x, want %x", neg, got, wantQ.Bytes())
			}
			e.addNiels(fastTestNiels(P), false)
			want := new(edwards25519.Point).Add(wantQ, P)
			if got := fastTestEnc(&e); !bytes.Equal(got, want.Bytes()) {
				t.Fatalf("loadNiels+addNiels: %x, want %x", got, want.Bytes())
			}
		}
		// double: without T then with T, then an addition that reads T.
		e.setPoint(P)
		e.double(false)
		e.double(true)
		e.addNiels(nq, false)
		want := new(edwards25519.Point).Add(P, P)
		want.Add(want, want)
		want.Add(want, Q)
		if got := fastTestEnc(&e); !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("double: %x, want %x", got, want.Bytes())
		}
	}
	// The identity encodes canonically.
	var id fastExt
	id.setIdentity()
	if got := fastTestEnc(&id); !bytes.Equal(got, edwards25519.NewIdentityPoint().Bytes()) {
		t.Fatalf("identity encodes as %x", got)
	}
	// Constants: d = −121665/121666, d·(1/d) = 1.
	var num, den, d, one field.Element
	num.Negate(new(field.Element).Mult32(new(field.Element).One(), 121665))
	den.Invert(new(field.Element).Mult32(new(field.Element).One(), 121666))
	d.Multiply(&num, &den)
	if d.Equal(fastD) != 1 {
		t.Fatal("fastD is not −121665/121666")
	}
	if one.Multiply(fastD, fastDInv).Equal(new(field.Element).One()) != 1 {
		t.Fatal("fastDInv is not 1/d")
	}
}

// TestFastTables checks table entries against scalar multiplications: the
// shared base table (rows 0, 1, 31 fully, others sampled) and a per-key
// table.
func TestFastTables(t *testing.T) {
	base := fastBase()
	if fastBase() != base {
		t.Fatal("fastBase rebuilt")
	}
	r := fastTestRand(t, 9)
	check := func(name string, e *fastNiels, want *edwards25519.Point) {
		t.Helper()
		var p fastExt
		p.loadNiels(e, false)
		if got := fastTestEnc(&p); !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("%s: %x, want %x", name, got, want.Bytes())
		}
	}
	for j := range fastBaseDigits {
		for m := 1; m <= fastBaseCols && j*fastBaseCols+m-1 < fastBaseEntries; m++ {
			if j != 0 && j != 1 && j != fastBaseDigits-1 && r.IntN(16) != 0 {
				continue
			}
			k := new(big.Int).Lsh(big.NewInt(int64(m)), uint(8*j))
			k.Mod(k, fastTestL)
			s, _ := new(edwards25519.Scalar).SetCanonicalBytes(fastTestLE(k))
			check(fmt.Sprintf("base[%d][%d]", j, m), &base[j*fastBaseCols+m-1], new(edwards25519.Point).ScalarBaseMult(s))
		}
	}
	a := fastTestScalar(r)
	A := new(edwards25519.Point).ScalarBaseMult(a)
	fv, err := NewFastVerifier(A.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if fv.base != base {
		t.Fatal("verifier does not use the shared base table")
	}
	for j := range fastKeyRows {
		for m := 1; m <= fastKeyCols && j*fastKeyCols+m-1 < fastKeyEntries; m++ {
			k := new(big.Int).Lsh(big.NewInt(int64(m)), uint(fastW*fastS*j))
			k.Mod(k, fastTestL)
			s, _ := new(edwards25519.Scalar).SetCanonicalBytes(fastTestLE(k))
			check(fmt.Sprintf("key[%d][%d]", j, m), &fv.table[j*fastKeyCols+m-1], new(edwards25519.Point).ScalarMult(s, A))
		}
	}
	// w5,s2: 51 digits, 26 rows; the last row serves only digit 50 <= 8.
	if fastKeyDigits != 51 || fastKeyRows != 26 || fastKeyEntries != 25*16+8 {
		t.Fatalf("key table: %d digits, %d rows, %d entries", fastKeyDigits, fastKeyRows, fastKeyEntries)
	}
	// w8: 32 digits; the last row serves digit 31 <= 32.
	if fastBaseDigits != 32 || fastBaseEntries != 31*128+32 || fastBaseTableSize != 480000 {
		t.Fatalf("base table: %d digits, %d entries, %d B", fastBaseDigits, fastBaseEntries, fastBaseTableSize)
	}
	if sz := unsafe.Sizeof(FastVerifier{}); sz > FastVerifierSize || FastVerifierSize != 48*1024 {
		t.Fatalf("FastVerifier is %d B, FastVerifierSize %d", sz, FastVerifierSize)
	}
}

// TestFastVerifyKnownAnswer checks the RFC 8032 §7.1 TEST 1 and TEST 2
// vectors.
func TestFastVerifyKnownAnswer(t *testing.T) {
	for _, tc := range []struct{ pub, msg, sig string }{
		{
			"d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
			"e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
		},
		{
			"3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
			"92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
		},
	} {
		pub, _ := hex.DecodeString(tc.pub)
		msg, _ := hex.DecodeString(tc.msg)
		sig, _ := hex.DecodeString(tc.sig)
		fv, err := NewFastVerifier(pub)
		if err != nil {
			t.Fatal(err)
		}
		if !fv.Verify(msg, sig) {
			t.Fatalf("RFC 8032 vector rejected (key %s)", tc.pub)
		}
		if fv.Verify(append(msg, 0), sig) {
			t.Fatal("RFC 8032 vector accepted for another message")
		}
	}
}

// TestFastVerifySignedByPrivateKey checks signatures from this package's
// libolm-style PrivateKey.
func TestFastVerifySignedByPrivateKey(t *testing.T) {
	r := fastTestRand(t, 10)
	for range 10 {
		var seed [SeedSize]byte
		copy(seed[:], fastTestBytes(r, 32))
		k := NewKeyFromSeed(&seed)
		pub := k.Public()
		fv, err := NewFastVerifier(pub[:])
		if err != nil {
			t.Fatal(err)
		}
		msg := fastTestBytes(r, r.IntN(300))
		sig := k.Sign(msg)
		if !fastCheck(t, nil, "PrivateKey.Sign", fv, pub[:], msg, sig[:]) {
			t.Fatal("PrivateKey signature rejected")
		}
	}
}

// TestFastVerifyConcurrent uses one FastVerifier from 8 goroutines (run with
// -race).
func TestFastVerifyConcurrent(t *testing.T) {
	r := fastTestRand(t, 11)
	priv := ed25519.NewKeyFromSeed(fastTestBytes(r, 32))
	pub := priv.Public().(ed25519.PublicKey)
	fv, err := NewFastVerifier(pub)
	if err != nil {
		t.Fatal(err)
	}
	type tc struct {
		msg, sig []byte
	}
	var cases []tc
	for range 16 {
		msg := fastTestBytes(r, r.IntN(400))
		cases = append(cases, tc{msg, ed25519.Sign(priv, msg)})
	}
	newttest.CheckParallel(t, 8, func(g int) error {
		for i := range 3 * len(cases) {
			c := cases[(i+g)%len(cases)]
			if !fv.Verify(c.msg, c.sig) {
				return errors.New("valid signature rejected")
			}
			if fv.Verify(c.msg, fastFlip(c.sig, (i*7+g)%512)) {
				return errors.New("corrupted signature accepted")
			}
		}
		return nil
	})
}

// TestFastVerifyAllocs checks that Verify does not allocate, on accepted and
// rejected signatures (including S = L, which SetCanonicalBytes would reject
// with a freshly allocated error) and with a message on the stack.
func TestFastVerifyAllocs(t *testing.T) {
	if fastRaceEnabled {
		t.Skip("sync.Pool drops items at random under -race")
	}
	r := fastTestRand(t, 12)
	priv := ed25519.NewKeyFromSeed(fastTestBytes(r, 32))
	fv, err := NewFastVerifier(priv.Public().(ed25519.PublicKey))
	if err != nil {
		t.Fatal(err)
	}
	msg := fastTestBytes(r, 300)
	sig := ed25519.Sign(priv, msg)
	bad := fastFlip(sig, 3)
	fv.Verify(msg, sig)
	if n := testing.AllocsPerRun(100, func() {
		if !fv.Verify(msg, sig) {
			panic("rejected")
		}
	}); n != 0 {
		t.Fatalf("Verify(valid) allocates %v times", n)
	}
	if n := testing.AllocsPerRun(100, func() { fv.Verify(msg, bad) }); n != 0 {
		t.Fatalf("Verify(invalid) allocates %v times", n)
	}
	sl := append(sig[:32:32], fastTestLE(fastTestL)...) // S = L
	if n := testing.AllocsPerRun(100, func() { fv.Verify(msg, sl) }); n != 0 {
		t.Fatalf("Verify(S = L) allocates %v times", n)
	}
	// A message on the stack must not be forced to the heap.
	if n := testing.AllocsPerRun(100, func() {
		var m [64]byte
		binary.LittleEndian.PutUint64(m[:], 7)
		fv.Verify(m[:], sig)
	}); n != 0 {
		t.Fatalf("Verify(stack message) allocates %v times", n)
	}
}

// FuzzFastVerify asserts, for arbitrary key, message and signature bytes,
// the expected-difference rule against crypto/ed25519.Verify and equality
// with the strict Verify.
func FuzzFastVerify(f *testing.F) {
	r := rand.New(rand.NewPCG(13, 13))
	priv := ed25519.NewKeyFromSeed(fastTestBytes(r, 32))
	pub := priv.Public().(ed25519.PublicKey)
	msg := []byte("fuzz seed message")
	sig := ed25519.Sign(priv, msg)
	f.Add([]byte(pub), msg, sig)
	f.Add([]byte(pub), msg, fastFlip(sig, 300))
	f.Add([]byte(pub), []byte{}, ed25519.Sign(priv, nil))
	// Identity key with the universal signature R = identity, S = 0.
	id := edwards25519.NewIdentityPoint().Bytes()
	f.Add(id, msg, append(append([]byte{}, id...), make([]byte, 32)...))
	// Identity R with S = k·a.
	a := fastTestScalar(r)
	A := new(edwards25519.Point).ScalarBaseMult(a).Bytes()
	f.Add(A, msg, fastTestSign(a, edwards25519.NewScalar(), id, A, msg))
	// S + L.
	S := new(big.Int).Add(fastTestInt(sig[32:]), fastTestL)
	f.Add([]byte(pub), msg, append(sig[:32:32], fastTestLE(S)...))
	f.Fuzz(func(t *testing.T, key, msg, sig []byte) {
		// The inputs as given: mostly invalid keys or signatures.
		fastCheck(t, nil, "fuzz", nil, key, msg, sig)
		// Near-valid inputs: a key derived from the key bytes, a valid
		// signature of msg, and that signature with sig XORed into it.
		seed := sha512.Sum512(key)
		priv := ed25519.NewKeyFromSeed(seed[:32])
		pub := priv.Public().(ed25519.PublicKey)
		good := ed25519.Sign(priv, msg)
		fv, err := NewFastVerifier(pub)
		if err != nil {
			t.Fatalf("NewFastVerifier(%x): %v", pub, err)
		}
		if !fastCheck(t, nil, "fuzz valid", fv, pub, msg, good) {
			t.Fatal("valid signature rejected")
		}
		bad := append([]byte{}, good...)
		for i := range min(len(sig), len(bad)) {
			bad[i] ^= sig[i]
		}
		fastCheck(t, nil, "fuzz mutated", fv, pub, msg, bad)
	})
}

// TestFastInvertSafegcd compares the variable-time inversion with Fermat
// inversion (field.Element.Invert) on edge cases and random inputs
// (20 000; 200 000 with -fastlong), and requires the safegcd path itself to
// succeed, so that the Fermat fallback cannot hide a bug.
func TestFastInvertSafegcd(t *testing.T) {
	if fastPInv62*uint64(fastP62[0])&fastM62 != 1 {
		t.Fatal("fastPInv62 is not p^-1 mod 2^62")
	}
	var p fastS62
	fastS62FromElement(&p, new(field.Element).One())
	if p != (fastS62{1}) {
		t.Fatalf("1 as fastS62: %v", p)
	}
	r := fastTestRand(t, 14)
	var inputs [][]byte
	for _, v := range []*big.Int{
		big.NewInt(1), big.NewInt(2), big.NewInt(3), big.NewInt(19), big.NewInt(121666),
		new(big.Int).Sub(fastTestP, big.NewInt(1)), new(big.Int).Sub(fastTestP, big.NewInt(2)),
		new(big.Int).Lsh(big.NewInt(1), 254), new(big.Int).Lsh(big.NewInt(1), 62),
		new(big.Int).Lsh(big.NewInt(1), 124), new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 248), big.NewInt(1)),
		new(big.Int).Rsh(fastTestP, 1),
	} {
		inputs = append(inputs, fastTestLE(v))
	}
	n := 20000
	if *fastLong {
		n = 200000
	}
	for i := range n {
		b := fastTestBytes(r, 32)
		switch i % 4 {
		case 1:
			b[31] &= 0x7f // maybe >= p: SetBytes accepts non-canonical values
		case 2:
			for j := range b[:16+r.IntN(16)] {
				b[j] = 0 // many trailing zeros
			}
		case 3:
			for j := range b[1+r.IntN(30):] {
				b[len(b)-1-j] = 0 // small values
			}
		}
		inputs = append(inputs, b)
	}
	for _, b := range inputs {
		z, err := new(field.Element).SetBytes(b)
		if err != nil {
			t.Fatal(err)
		}
		if z.Equal(new(field.Element).Zero()) == 1 {
			continue
		}
		var got, want, viaWrapper field.Element
		if !fastInvertSafegcd(&got, z) {
			t.Fatalf("safegcd failed for %x", b)
		}
		want.Invert(z)
		if got.Equal(&want) != 1 {
			t.Fatalf("safegcd(%x) = %x, want %x", b, got.Bytes(), want.Bytes())
		}
		fastInvert(&viaWrapper, z)
		if viaWrapper.Equal(&want) != 1 {
			t.Fatalf("fastInvert(%x) wrong", b)
		}
	}
	var zero, out field.Element
	if fastInvertSafegcd(&out, &zero) {
		t.Fatal("safegcd reports success for 0")
	}
	fastInvert(&out, &zero)
	if out.Equal(&zero) != 1 {
		t.Fatal("fastInvert(0) != 0")
	}
}
