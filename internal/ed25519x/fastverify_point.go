// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package ed25519x

// Reviewer's note: the point formulas of the fast verifier. Curve: −x² + y² =
// 1 + d·x²·y² (twisted Edwards, a = −1). Formulas are those of Hisil, Wong,
// Carter, Dawson, "Twisted Edwards curves revisited" (ASIACRYPT 2008, IACR
// ePrint 2008/522), sections 3.1-3.3 with a = −1 and k = 2d, as named in the
// Explicit-Formulas Database: "madd-2008-hwcd-3" (mixed addition),
// "add-2008-hwcd-3" (addition with a cached point) and "dbl-2008-hwcd"
// (doubling). Everything here runs on public data only and may branch on it.

import (
	"encoding/binary"

	"filippo.io/edwards25519"
	"filippo.io/edwards25519/field"
)

// fastExt is a point in extended coordinates (X:Y:Z:T), x = X/Z, y = Y/Z,
// x·y = T/Z.
type fastExt struct {
	X, Y, Z, T field.Element
}

// fastNiels is an affine point in "niels" form (y+x, y−x, 2d·x·y): what a
// mixed addition needs. 120 bytes.
type fastNiels struct {
	YplusX, YminusX, XY2d field.Element
}

// fastCached is a projective point in the form (Y+X, Y−X, Z, 2d·T) used to add
// a non-normalised point repeatedly while building tables.
type fastCached struct {
	YplusX, YminusX, Z, T2d field.Element
}

// fastFE decodes a little-endian field constant; it panics on a wrong length,
// which only a programming error can cause.
func fastFE(b []byte) *field.Element {
	e, err := new(field.Element).SetBytes(b)
	if err != nil {
		panic("ed25519x: internal error: bad field constant")
	}
	return e
}

var (
	// fastD is the curve constant d = −121665/121666 mod p.
	fastD = fastFE([]byte{
		0xa3, 0x78, 0x59, 0x13, 0xca, 0x4d, 0xeb, 0x75,
		0xab, 0xd8, 0x41, 0x41, 0x4d, 0x0a, 0x70, 0x00,
		0x98, 0xe8, 0x79, 0x77, 0x79, 0x40, 0xc7, 0x8c,
		0x73, 0xfe, 0x6f, 0x2b, 0xee, 0x6c, 0x03, 0x52})
	// fastD2 is 2·d.
	fastD2 = new(field.Element).Add(fastD, fastD)
	// fastDInv is 1/d, used to recover 2·x·y from a niels entry.
	fastDInv = new(field.Element).Invert(fastD)
	// fastOne is 1.
	fastOne = new(field.Element).One()
)

// setPoint sets p to the extended coordinates of q.
func (p *fastExt) setPoint(q *edwards25519.Point) *fastExt {
	X, Y, Z, T := q.ExtendedCoordinates()
	p.X.Set(X)
	p.Y.Set(Y)
	p.Z.Set(Z)
	p.T.Set(T)
	return p
}

// setIdentity sets p to the neutral element (0:1:1:0).
func (p *fastExt) setIdentity() *fastExt {
	p.X.Zero()
	p.Y.One()
	p.Z.One()
	p.T.Zero()
	return p
}

// loadNiels sets p to q (neg == false) or −q (neg == true). With
// X = (y+x) − (y−x) = 2x, Y = 2y and Z = 2, T = X·Y/Z = 2xy = (2d·x·y)/d:
// one multiplication, against seven for adding q to the identity.
func (p *fastExt) loadNiels(q *fastNiels, neg bool) {
	ypx, ymx := &q.YplusX, &q.YminusX
	if neg {
		ypx, ymx = ymx, ypx
	}
	p.X.Subtract(ypx, ymx)
	p.Y.Add(ypx, ymx)
	p.Z.Add(fastOne, fastOne)
	p.T.Multiply(&q.XY2d, fastDInv)
	if neg {
		p.T.Negate(&p.T)
	}
}

// addNiels sets p = p + q (neg == false) or p = p − q (neg == true):
// madd-2008-hwcd-3, 7 multiplications. −q is q with y+x and y−x swapped and
// 2dxy negated; the negation is folded into F and G.
func (p *fastExt) addNiels(q *fastNiels, neg bool) {
	var a, b, c, d, e, f, g, h field.Element
	a.Subtract(&p.Y, &p.X)
	b.Add(&p.Y, &p.X)
	if neg {
		a.Multiply(&a, &q.YplusX)
		b.Multiply(&b, &q.YminusX)
	} else {
		a.Multiply(&a, &q.YminusX)
		b.Multiply(&b, &q.YplusX)
	}
	c.Multiply(&p.T, &q.XY2d)
	d.Add(&p.Z, &p.Z)
	e.Subtract(&b, &a)
	h.Add(&b, &a)
	if neg {
		f.Add(&d, &c)
		g.Subtract(&d, &c)
	} else {
		f.Subtract(&d, &c)
		g.Add(&d, &c)
	}
	p.X.Multiply(&e, &f)
	p.Y.Multiply(&g, &h)
	p.T.Multiply(&e, &h)
	p.Z.Multiply(&f, &g)
}

// setCached sets c to the cached form of p: one multiplication.
func (c *fastCached) setCached(p *fastExt) {
	c.YplusX.Add(&p.Y, &p.X)
	c.YminusX.Subtract(&p.Y, &p.X)
	c.Z.Set(&p.Z)
	c.T2d.Multiply(&p.T, fastD2)
}

// addCached sets p = p + q: add-2008-hwcd-3, 8 multiplications.
func (p *fastExt) addCached(q *fastCached) {
	var a, b, c, d, e, f, g, h field.Element
	a.Subtract(&p.Y, &p.X)
	a.Multiply(&a, &q.YminusX)
	b.Add(&p.Y, &p.X)
	b.Multiply(&b, &q.YplusX)
	c.Multiply(&p.T, &q.T2d)
	d.Multiply(&p.Z, &q.Z)
	d.Add(&d, &d)
	e.Subtract(&b, &a)
	f.Subtract(&d, &c)
	g.Add(&d, &c)
	h.Add(&b, &a)
	p.X.Multiply(&e, &f)
	p.Y.Multiply(&g, &h)
	p.T.Multiply(&e, &h)
	p.Z.Multiply(&f, &g)
}

// double sets p = 2·p: dbl-2008-hwcd with a = −1, 4 squarings and 3
// multiplications, plus one more for T when withT is set. The input T is
// not read, so a chain of doublings only needs T at its end.
//
// With A = X², B = Y², C = 2Z², the formula's E, F, G, H are all negated
// here (H = A+B, E = H−(X+Y)², G = A−B, F = C+G); the products are
// unchanged.
func (p *fastExt) double(withT bool) {
	var a, b, c, e, f, g, h field.Element
	a.Square(&p.X)
	b.Square(&p.Y)
	c.Square(&p.Z)
	c.Add(&c, &c)
	h.Add(&a, &b)
	e.Add(&p.X, &p.Y)
	e.Square(&e)
	e.Subtract(&h, &e)
	g.Subtract(&a, &b)
	f.Add(&c, &g)
	p.X.Multiply(&e, &f)
	p.Y.Multiply(&g, &h)
	p.Z.Multiply(&f, &g)
	if withT {
		p.T.Multiply(&e, &h)
	}
}

// encode writes the canonical RFC 8032 encoding of p to out: one
// variable-time inversion (fastInvert; p is public).
func (p *fastExt) encode(out *[32]byte) {
	var zInv, x, y field.Element
	fastInvert(&zInv, &p.Z)
	x.Multiply(&p.X, &zInv)
	y.Multiply(&p.Y, &zInv)
	copy(out[:], y.Bytes())
	out[31] |= byte(x.IsNegative() << 7)
}

// fastDigitCount is the number of signed radix-2^w digits fastRecode needs for
// a scalar below 2^253: ceil(254/w), so that the top digit holds at most w−1
// bits of the scalar plus a carry and never overflows 2^(w−1).
func fastDigitCount(w uint) int { return int((254 + w - 1) / w) }

// fastRecode writes the signed radix-2^w digits of the little-endian scalar
// s < 2^253 to out, which must hold fastDigitCount(w) digits (extra
// entries are set to 0); 2 <= w <= 8. Afterwards s = Σ out[i]·2^(w·i), every
// digit but the last lies in [−2^(w−1), 2^(w−1)), and the last lies in
// [0, 2^(w−1)]. Variable time: s is public.
func fastRecode(out []int8, s *[32]byte, w uint) {
	var limbs [5]uint64 // one spare limb so a window may run past bit 255
	limbs[0] = binary.LittleEndian.Uint64(s[0:8])
	limbs[1] = binary.LittleEndian.Uint64(s[8:16])
	limbs[2] = binary.LittleEndian.Uint64(s[16:24])
	limbs[3] = binary.LittleEndian.Uint64(s[24:32])
	n := fastDigitCount(w)
	mask := uint64(1)<<w - 1
	half := uint64(1) << (w - 1)
	var carry uint64
	for i := range out {
		if i >= n {
			out[i] = 0
			continue
		}
		pos := uint(i) * w
		v := carry
		if pos < 256 {
			lo, sh := pos/64, pos%64
			win := limbs[lo] >> sh
			if sh+w > 64 {
				win |= limbs[lo+1] << (64 - sh)
			}
			v += win & mask
		}
		if v >= half && i != n-1 {
			out[i] = int8(int64(v) - int64(mask+1))
			carry = 1
		} else {
			out[i] = int8(v)
			carry = 0
		}
	}
}
