// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package ed25519x

// Reviewer's note: variable-time field inversion for the fast verifier, by
// the divstep method of Bernstein and Yang, "Fast constant-time gcd
// computation and modular inversion" (TCHES 2019), in batches of 62 divsteps
// on signed 62-bit limbs. It only ever sees public data (the Z coordinate of
// a verification result). The result is checked with one multiplication and
// Fermat inversion is used if the check fails, so a bug here could cost
// speed but never change a verification decision.
//
// Notation: f, g are integers with f odd; a divstep maps (δ, f, g) to
//   (1−δ, g, (g−f)/2)  if δ > 0 and g is odd,
//   (1+δ, f, (g+f)/2)  if g is odd,
//   (1+δ, f, g/2)      otherwise.
// Starting from (1, p, x), g reaches 0 and f reaches ±gcd(p, x) = ±1. Along
// the way f ≡ d·x and g ≡ e·x (mod p) with d = 0, e = 1 at the start, so at
// the end 1/x = ±d.

import (
	"encoding/binary"
	"math/bits"

	"filippo.io/edwards25519/field"
)

// fastS62 is a signed integer Σ l[i]·2^(62·i). Normalised: l[0..3] in
// [0, 2^62) and l[4] signed.
type fastS62 [5]int64

const fastM62 = 1<<62 - 1

// fastP62 is p = 2^255 − 19 in fastS62 form.
var fastP62 = fastS62{1<<62 - 19, fastM62, fastM62, fastM62, 127}

// fastPInv62 is p^−1 mod 2^62 (Newton's iteration: each step doubles the
// number of correct low bits, starting from 3 for any odd number).
var fastPInv62 = func() uint64 {
	p0 := uint64(fastP62[0])
	inv := p0
	for range 6 {
		inv *= 2 - p0*inv
	}
	return inv & fastM62
}()

// fastMatrix is the transition matrix of 62 divsteps:
// 2^62·(f', g') = (u·f + v·g, q·f + r·g).
type fastMatrix struct {
	u, v, q, r int64
}

// fastDivsteps62 performs 62 divsteps on the low 64 bits of f (odd) and g,
// starting from delta, and returns the new delta and the transition matrix.
// Runs of even g are skipped with a trailing-zero count. The matrix entries
// stay within ±2^62 (|u|+|v| <= 2^62 and |q|+|r| <= 2^62).
func fastDivsteps62(delta int64, f, g uint64) (int64, fastMatrix) {
	u, v, q, r := int64(1), int64(0), int64(0), int64(1)
	for i := 62; i > 0; {
		if g&1 == 0 {
			// g/2 steps: δ+1, (u, v) doubled so that the g row keeps scale.
			z := min(bits.TrailingZeros64(g), i)
			g >>= uint(z)
			u <<= uint(z)
			v <<= uint(z)
			delta += int64(z)
			i -= z
			continue
		}
		if delta > 0 {
			delta = 1 - delta
			f, g = g, (g-f)>>1
			u, v, q, r = q<<1, r<<1, q-u, r-v
		} else {
			delta = 1 + delta
			g = (g + f) >> 1
			q, r = q+u, r+v
			u, v = u<<1, v<<1
		}
		i--
	}
	return delta, fastMatrix{u, v, q, r}
}

// fastMulS returns the 128-bit signed product a·b as (hi, lo).
func fastMulS(a, b int64) (int64, uint64) {
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	h := int64(hi)
	if a < 0 {
		h -= b
	}
	if b < 0 {
		h -= a
	}
	return h, lo
}

// fastAcc is a signed 128-bit accumulator.
type fastAcc struct {
	hi int64
	lo uint64
}

func (a *fastAcc) addMul(x, y int64) {
	h, l := fastMulS(x, y)
	var c uint64
	a.lo, c = bits.Add64(a.lo, l, 0)
	a.hi += h + int64(c)
}

// shift62 returns the low 62 bits and shifts the accumulator right by 62
// (arithmetic shift).
func (a *fastAcc) shift62() int64 {
	low := int64(a.lo & fastM62)
	a.lo = a.lo>>62 | uint64(a.hi)<<2
	a.hi >>= 62
	return low
}

// fastUpdateFG sets (f, g) = (u·f + v·g, q·f + r·g) / 2^62. The divisions are
// exact by construction of the matrix.
func fastUpdateFG(f, g *fastS62, m *fastMatrix) {
	var cf, cg fastAcc
	cf.addMul(m.u, f[0])
	cf.addMul(m.v, g[0])
	cg.addMul(m.q, f[0])
	cg.addMul(m.r, g[0])
	cf.shift62()
	cg.shift62()
	for i := 1; i < 5; i++ {
		cf.addMul(m.u, f[i])
		cf.addMul(m.v, g[i])
		cg.addMul(m.q, f[i])
		cg.addMul(m.r, g[i])
		f[i-1] = cf.shift62()
		g[i-1] = cg.shift62()
	}
	f[4] = int64(cf.lo)
	g[4] = int64(cg.lo)
}

// fastUpdateDE sets (d, e) = (u·d + v·e + md·p, q·d + r·e + me·p) / 2^62 with
// md, me in [−2^61, 2^61) chosen to make the divisions exact, so
// d' ≡ (u·d + v·e)/2^62 (mod p). Since |u|+|v| <= 2^62, each update adds
// less than p/2 to the bound on |d| and |e|.
func fastUpdateDE(d, e *fastS62, m *fastMatrix) {
	td := uint64(m.u)*uint64(d[0]) + uint64(m.v)*uint64(e[0])
	te := uint64(m.q)*uint64(d[0]) + uint64(m.r)*uint64(e[0])
	md := int64((-td * fastPInv62) & fastM62)
	me := int64((-te * fastPInv62) & fastM62)
	if md >= 1<<61 {
		md -= 1 << 62
	}
	if me >= 1<<61 {
		me -= 1 << 62
	}
	var cd, ce fastAcc
	for i := range 5 {
		cd.addMul(m.u, d[i])
		cd.addMul(m.v, e[i])
		cd.addMul(md, fastP62[i])
		ce.addMul(m.q, d[i])
		ce.addMul(m.r, e[i])
		ce.addMul(me, fastP62[i])
		if i == 0 {
			cd.shift62() // zero by the choice of md
			ce.shift62()
			continue
		}
		d[i-1] = cd.shift62()
		e[i-1] = ce.shift62()
	}
	d[4] = int64(cd.lo)
	e[4] = int64(ce.lo)
}

// isZero reports whether a normalised x is 0.
func (x *fastS62) isZero() bool {
	return x[0]|x[1]|x[2]|x[3]|x[4] == 0
}

// fastS62FromElement sets x to the canonical value of z.
func fastS62FromElement(x *fastS62, z *field.Element) {
	b := z.Bytes()
	w0 := binary.LittleEndian.Uint64(b[0:8])
	w1 := binary.LittleEndian.Uint64(b[8:16])
	w2 := binary.LittleEndian.Uint64(b[16:24])
	w3 := binary.LittleEndian.Uint64(b[24:32])
	x[0] = int64(w0 & fastM62)
	x[1] = int64((w0>>62 | w1<<2) & fastM62)
	x[2] = int64((w1>>60 | w2<<4) & fastM62)
	x[3] = int64((w2>>58 | w3<<6) & fastM62)
	x[4] = int64(w3 >> 56)
}

// fastElementFromS62 sets z to x mod p (negated first if neg) for
// |x| < 64·p.
func fastElementFromS62(z *field.Element, x *fastS62, neg bool) {
	var y fastS62
	var c fastAcc
	for i := range 5 {
		// y = ±x + 64·p, computed limb by limb with carries (64·p > |x|, so y > 0).
		v := x[i]
		if neg {
			v = -v
		}
		c.addMul(v, 1)
		c.addMul(fastP62[i], 64)
		if i < 4 {
			y[i] = c.shift62()
		} else {
			y[i] = int64(c.lo)
		}
	}
	// y < 128·p < 2^262: pack into 64-bit words, then fold bits 255 and up
	// with 2^255 ≡ 19 (mod p), twice.
	var w [5]uint64
	w[0] = uint64(y[0]) | uint64(y[1])<<62
	w[1] = uint64(y[1])>>2 | uint64(y[2])<<60
	w[2] = uint64(y[2])>>4 | uint64(y[3])<<58
	w[3] = uint64(y[3])>>6 | uint64(y[4])<<56
	w[4] = uint64(y[4]) >> 8
	for range 2 {
		hi := w[4]<<1 | w[3]>>63
		w[3] &= 1<<63 - 1
		w[4] = 0
		var carry uint64
		w[0], carry = bits.Add64(w[0], hi*19, 0)
		w[1], carry = bits.Add64(w[1], 0, carry)
		w[2], carry = bits.Add64(w[2], 0, carry)
		w[3], _ = bits.Add64(w[3], 0, carry)
	}
	var b [32]byte
	binary.LittleEndian.PutUint64(b[0:8], w[0])
	binary.LittleEndian.PutUint64(b[8:16], w[1])
	binary.LittleEndian.PutUint64(b[16:24], w[2])
	binary.LittleEndian.PutUint64(b[24:32], w[3])
	if _, err := z.SetBytes(b[:]); err != nil {
		panic("ed25519x: internal error: " + err.Error()) // unreachable: 32 bytes
	}
}

// fastMaxBatches bounds the batches of 62 divsteps. Bernstein and Yang bound
// the divsteps needed for 256-bit inputs by (49·256 + 57)/17 < 742, that is
// 12 batches; the variable-time loop stops as soon as g = 0.
const fastMaxBatches = 12

// fastInvertSafegcd sets out = 1/z and reports whether the divstep loop
// finished with f = ±1 within fastMaxBatches batches. It returns false for
// z = 0.
func fastInvertSafegcd(out, z *field.Element) bool {
	var f, g, d, e fastS62
	f = fastP62
	fastS62FromElement(&g, z)
	e[0] = 1
	delta := int64(1)
	for range fastMaxBatches {
		if g.isZero() {
			break
		}
		var m fastMatrix
		delta, m = fastDivsteps62(delta, uint64(f[0])|uint64(f[1])<<62, uint64(g[0])|uint64(g[1])<<62)
		fastUpdateFG(&f, &g, &m)
		fastUpdateDE(&d, &e, &m)
	}
	if !g.isZero() {
		return false
	}
	neg := f[4] < 0
	one := f[0] == 1 && f[1]|f[2]|f[3]|f[4] == 0
	minusOne := f[0] == fastM62 && f[1] == fastM62 && f[2] == fastM62 && f[3] == fastM62 && f[4] == -1
	if !one && !minusOne {
		return false
	}
	fastElementFromS62(out, &d, neg)
	return true
}

// fastInvert sets out = 1/z (0 for z = 0) in variable time: safegcd,
// checked with one multiplication, with Fermat inversion as the fallback.
func fastInvert(out, z *field.Element) {
	var inv, check field.Element
	if fastInvertSafegcd(&inv, z) && check.Multiply(&inv, z).Equal(fastOne) == 1 {
		out.Set(&inv)
		return
	}
	out.Invert(z)
}
