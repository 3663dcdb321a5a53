// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package difftest

import (
	"crypto/rand"
	"io"
	mathrand "math/rand/v2"
	"sync"
)

// feed is a crypto/rand.Reader that hands out exactly the bytes it was given
// and records whether anyone asked for more. crypto/rand.Read crashes the
// process on a read error, so a read past the end is answered with zeros
// and reported by WithRandom instead.
type feed struct {
	b    []byte
	used int
	over bool
}

func (f *feed) Read(p []byte) (int, error) {
	n := copy(p, f.b)
	f.b = f.b[n:]
	f.used += n
	if n < len(p) {
		clear(p[n:])
		f.over = true
	}
	return len(p), nil
}

var feedMu sync.Mutex

// WithRandom runs f with crypto/rand reading from random, and reports how
// many of its bytes f read and whether f asked for more. (crypto/rand.Read
// reads through crypto/rand.Reader whenever it is not the system reader,
// since Go 1.24; a library that calls crypto/ed25519.GenerateKey(nil) needs
// the GODEBUG setting cryptocustomrand=1 for that call to read it too.)
//
// Only one WithRandom runs at a time, and nothing else in the process may
// read crypto/rand meanwhile.
func WithRandom(random []byte, f func()) (used int, over bool) {
	feedMu.Lock()
	defer feedMu.Unlock()
	r := &feed{b: random}
	saved := rand.Reader
	rand.Reader = r
	defer func() { rand.Reader = saved }()
	f()
	return r.used, r.over
}

// program reads the operation sequence: decisions come from the input bytes
// (so the fuzzer steers them), random key material from a generator seeded
// by the input's first 8 bytes (so the fuzzer need not invent keys).
type program struct {
	in   []byte
	pos  int
	done bool
	rng  *mathrand.ChaCha8
}

func newProgram(in []byte) *program {
	var seed [32]byte
	n := copy(seed[:8], in)
	return &program{in: in[n:], rng: mathrand.NewChaCha8(seed)}
}

// byte returns the next decision byte; after the end of the input it
// returns 0 and sets done.
func (p *program) byte() byte {
	if p.pos >= len(p.in) {
		p.done = true
		return 0
	}
	b := p.in[p.pos]
	p.pos++
	return b
}

// intn returns a decision in [0, n), n > 0, from one byte (two if n > 256).
func (p *program) intn(n int) int {
	if n <= 1 {
		return 0
	}
	v := int(p.byte())
	if n > 256 {
		v = v<<8 | int(p.byte())
	}
	return v % n
}

// chance reports true with probability about 1/n.
func (p *program) chance(n int) bool { return p.intn(n) == 0 }

// random returns n bytes of key material.
func (p *program) random(n int) []byte {
	b := make([]byte, n)
	_, _ = io.ReadFull(p.rng, b)
	return b
}
