// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package bench

import (
	"fmt"
	"testing"

	"github.com/newt-e2ee/newt/internal/b64"
	"github.com/newt-e2ee/newt/megolm"
	"github.com/newt-e2ee/newt/olm"
)

// The workloads of README.md. Every benchmark has the sub-benchmarks
// impl=newt, impl=goolm, impl=libolm (with -tags libolm), impl=floor and
// impl=floor-fast (see floor.go); a few also have impl=newt-append, newt's
// append API with reused buffers. cmd/report turns the
// output into a table.

// Package-level sinks keep results alive.
var (
	sinkText  text
	sinkBytes []byte
	sinkBool  bool
)

// forImpls runs f as the sub-benchmark impl=<name> of every implementation.
func forImpls(b *testing.B, f func(b *bt, im impl)) {
	for _, im := range impls {
		runImpl(b, "impl="+im.name(), func(b *bt) { f(b, im) })
	}
}

// floors runs the floor workload op as impl=floor and impl=floor-fast, with
// a floor prepared for the base64 input b64.
func floors(b *testing.B, b64 string, signed bool, op func(f *floor)) {
	for _, fast := range []bool{false, true} {
		name := "impl=floor"
		if fast {
			name = "impl=floor-fast"
		}
		runImpl(b, name, func(b *bt) {
			f := newFloor(fast, b64, signed)
			b.ResetTimer()
			for range b.N {
				op(f)
			}
		})
	}
}

func BenchmarkMegolmEncrypt(b *testing.B) {
	for _, size := range megolmSizes {
		b.Run(fmt.Sprintf("size=%d", size), func(b *testing.B) {
			st := getStream(b, size)
			forImpls(b, func(b *bt, im impl) {
				g, err := im.newGroupSession()
				must(b, err)
				defer g.close()
				b.SetBytes(int64(size))
				b.ResetTimer()
				for range b.N {
					m, err := g.encrypt(st.pt)
					if err != nil {
						b.Fatal(err)
					}
					sinkText = m
				}
			})
			floors(b, st.msgs[0].s, true, func(f *floor) { f.megolmEncrypt(size) })
			runImpl(b, "impl=newt-append", func(b *bt) {
				g := megolm.GenerateGroupSession()
				out := make([]byte, 0, b64.EncodedLen(megolm.EncryptedMessageLen(size)))
				b.SetBytes(int64(size))
				b.ResetTimer()
				for range b.N {
					out = g.AppendEncryptBase64(out[:0], st.pt)
				}
				sinkBytes = out
			})
		})
	}
}

func BenchmarkMegolmDecrypt(b *testing.B) {
	for _, size := range megolmSizes {
		b.Run(fmt.Sprintf("size=%d", size), func(b *testing.B) {
			st := getStream(b, size)
			forImpls(b, func(b *bt, im impl) {
				var s inboundGroupSession
				b.SetBytes(int64(size))
				b.ResetTimer()
				for i := range b.N {
					j := i % streamLen
					if j == 0 {
						b.StopTimer()
						if s != nil {
							s.close()
						}
						var err error
						s, err = im.newInboundGroupSession(st.key)
						must(b, err)
						b.StartTimer()
					}
					pt, idx, err := s.decrypt(st.msgs[j])
					if err != nil || idx != uint32(j) {
						b.Fatalf("message %d: index %d, %v", j, idx, err)
					}
					sinkBytes = pt
				}
				b.StopTimer()
				s.close()
			})
			floors(b, st.msgs[0].s, true, func(f *floor) { sinkBool = f.megolmDecrypt(encLen(size), 1) })
			runImpl(b, "impl=newt-append", func(b *bt) {
				key, err := megolm.ParseSessionKey(st.key.s)
				must(b, err)
				var s *megolm.InboundGroupSession
				dst := make([]byte, 0, encLen(size))
				b.SetBytes(int64(size))
				b.ResetTimer()
				for i := range b.N {
					j := i % streamLen
					if j == 0 {
						b.StopTimer()
						s, err = megolm.NewInboundGroupSession(key)
						must(b, err)
						b.StartTimer()
					}
					if dst, _, err = s.AppendDecryptBase64(dst[:0], st.msgs[j].s); err != nil {
						b.Fatal(err)
					}
				}
				sinkBytes = dst
			})
		})
	}
}

func BenchmarkMegolmInboundCreate(b *testing.B) {
	st := getStream(b, 256)
	forImpls(b, func(b *bt, im impl) {
		for range b.N {
			s, err := im.newInboundGroupSession(st.key)
			if err != nil {
				b.Fatal(err)
			}
			s.close()
		}
	})
	floors(b, st.key.s, true, func(f *floor) { sinkBool = f.megolmInboundCreate() })
}

// benchDecryptCold times decrypting one message at mk.index on a fresh
// inbound session at index 0, made with the timer stopped from a session
// (signing key) no implementation has seen before.
func benchDecryptCold(b *bt, im impl, mk *coldMaker) {
	var s inboundGroupSession
	for range b.N {
		b.StopTimer()
		if s != nil {
			s.close()
		}
		st := mk.make(b)
		var err error
		s, err = im.newInboundGroupSession(st.key)
		must(b, err)
		b.StartTimer()
		pt, idx, err := s.decrypt(st.msgs[0])
		if err != nil || idx != mk.index {
			b.Fatalf("index %d (want %d): %v", idx, mk.index, err)
		}
		sinkBytes = pt
	}
	b.StopTimer()
	s.close()
}

func BenchmarkMegolmDecryptAt1000(b *testing.B) {
	mk := getCold(b, 1000)
	forImpls(b, func(b *bt, im impl) { benchDecryptCold(b, im, mk) })
	// 236 ratchet HMACs from index 0 to 1000 (R2: 3+1, R3: 232).
	floors(b, mk.make(b).msgs[0].s, true, func(f *floor) { sinkBool = f.megolmDecrypt(encLen(256), 236) })
}

func BenchmarkOlmAccountCreate(b *testing.B) {
	forImpls(b, func(b *bt, im impl) {
		for range b.N {
			a, err := im.newAccount()
			if err != nil {
				b.Fatal(err)
			}
			a.close()
		}
	})
	floors(b, "", false, func(f *floor) { f.accountCreate() })
}

func BenchmarkOlmGenOTK50(b *testing.B) {
	forImpls(b, func(b *bt, im impl) {
		a, err := im.newAccount()
		must(b, err)
		defer a.close()
		// Start from a full account, the steady state (the oldest keys are
		// evicted), as a client that replenishes its keys sees it.
		must(b, a.generateOneTimeKeys(olm.MaxOneTimeKeys))
		b.ResetTimer()
		for range b.N {
			if err := a.generateOneTimeKeys(50); err != nil {
				b.Fatal(err)
			}
		}
	})
	floors(b, "", false, func(f *floor) { f.oneTimeKeys(50) })
}

func BenchmarkOlmOutboundCreate(b *testing.B) {
	c := getOlm(b)
	forImpls(b, func(b *bt, im impl) {
		a, err := im.newAccount()
		must(b, err)
		defer a.close()
		b.ResetTimer()
		for range b.N {
			s, err := a.newOutboundSession(c.bobIdentity, c.bobFallback)
			if err != nil {
				b.Fatal(err)
			}
			s.close()
		}
	})
	floors(b, "", false, func(f *floor) { f.olmOutboundCreate(c.bobIdentity.b, c.bobFallback.b) })
}

func BenchmarkOlmInboundCreate(b *testing.B) {
	c := getOlm(b)
	forImpls(b, func(b *bt, im impl) {
		a, err := im.accountFromPickle(c.bobPickle, pickleKey)
		must(b, err)
		defer a.close()
		b.ResetTimer()
		for range b.N {
			s, pt, err := a.newInboundSession(c.preKey)
			if err != nil {
				b.Fatal(err)
			}
			sinkBytes = pt
			s.close()
		}
	})
	pk, err := olm.ParsePreKeyMessage(c.preKey.s)
	must(b, err)
	inner := len(pk.Message().Bytes())
	floors(b, c.preKey.s, false, func(f *floor) { f.olmInboundCreate(encLen(olmPlaintextSize), inner) })
}

// olmPair loads the canonical established session pair into im.
func olmPair(b testing.TB, im impl) (alice, bob session) {
	c := getOlm(b)
	alice, err := im.sessionFromPickle(c.alice, pickleKey)
	must(b, err)
	bob, err = im.sessionFromPickle(c.bob, pickleKey)
	must(b, err)
	return alice, bob
}

// exchange sends one message from -> to, untimed, failing b on error.
// forOlmPairs runs f on every implementation with a fresh Olm session
// pair (see olmPair), closed afterwards.
func forOlmPairs(b *testing.B, f func(b *bt, alice, bob session)) {
	forImpls(b, func(b *bt, im impl) {
		alice, bob := olmPair(b, im)
		defer alice.close()
		defer bob.close()
		f(b, alice, bob)
	})
}

func exchange(b testing.TB, from, to session, pt []byte) {
	t, m, err := from.encrypt(pt)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := to.decrypt(t, m); err != nil {
		b.Fatal(err)
	}
}

func BenchmarkOlmAlternating(b *testing.B) {
	c := getOlm(b)
	pt := plaintext(olmPlaintextSize)
	b.Run("op=encrypt", func(b *testing.B) {
		forOlmPairs(b, func(b *bt, alice, bob session) {
			b.ResetTimer()
			for range b.N {
				// alice has received since she last sent: a DH step.
				t, m, err := alice.encrypt(pt)
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				if _, err := bob.decrypt(t, m); err != nil {
					b.Fatal(err)
				}
				exchange(b, bob, alice, pt)
				b.StartTimer()
			}
		})
		floors(b, c.normal.s, false, func(f *floor) { f.olmAlternatingEncrypt(olmPlaintextSize) })
	})
	b.Run("op=decrypt", func(b *testing.B) {
		forOlmPairs(b, func(b *bt, alice, bob session) {
			b.ResetTimer()
			for i := range b.N {
				b.StopTimer()
				if i > 0 {
					exchange(b, bob, alice, pt)
				}
				t, m, err := alice.encrypt(pt)
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				// a new ratchet key from alice: a DH step.
				got, err := bob.decrypt(t, m)
				if err != nil {
					b.Fatal(err)
				}
				sinkBytes = got
			}
		})
		floors(b, c.normal.s, false, func(f *floor) { f.olmAlternatingDecrypt(encLen(olmPlaintextSize)) })
	})
}

// burstBatch is the number of Olm messages made (untimed) per batch for
// the burst decrypt benchmark.
const burstBatch = 256

func BenchmarkOlmBurst(b *testing.B) {
	c := getOlm(b)
	pt := plaintext(olmPlaintextSize)
	b.Run("op=encrypt", func(b *testing.B) {
		forOlmPairs(b, func(b *bt, alice, bob session) {
			// The first message starts a chain; the rest only advance it.
			if _, _, err := alice.encrypt(pt); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for range b.N {
				_, m, err := alice.encrypt(pt)
				if err != nil {
					b.Fatal(err)
				}
				sinkText = m
			}
		})
		floors(b, c.normal.s, false, func(f *floor) { f.olmEncrypt(olmPlaintextSize) })
		runImpl(b, "impl=newt-append", func(b *bt) {
			alice, err := olm.SessionFromPickle(c.alice.str(), pickleKey)
			must(b, err)
			if _, _, err := alice.EncryptBase64(pt); err != nil { // start the chain
				b.Fatal(err)
			}
			out := make([]byte, 0, 4*(olmPlaintextSize+180)/3+4)
			b.ResetTimer()
			for range b.N {
				if _, out, err = alice.AppendEncryptBase64(out[:0], pt); err != nil {
					b.Fatal(err)
				}
			}
			sinkBytes = out
		})
	})
	b.Run("op=decrypt", func(b *testing.B) {
		forOlmPairs(b, func(b *bt, alice, bob session) {
			exchange(b, alice, bob, pt) // start the chain
			types := make([]int, burstBatch)
			msgs := make([]text, burstBatch)
			b.ResetTimer()
			for i := range b.N {
				j := i % burstBatch
				if j == 0 {
					b.StopTimer()
					for k := range msgs {
						t, m, err := alice.encrypt(pt)
						if err != nil {
							b.Fatal(err)
						}
						types[k], msgs[k] = t, m.full()
					}
					b.StartTimer()
				}
				got, err := bob.decrypt(types[j], msgs[j])
				if err != nil {
					b.Fatal(err)
				}
				sinkBytes = got
			}
		})
		floors(b, c.normal.s, false, func(f *floor) { f.olmDecrypt(encLen(olmPlaintextSize)) })
		runImpl(b, "impl=newt-append", func(b *bt) {
			alice, err := olm.SessionFromPickle(c.alice.str(), pickleKey)
			must(b, err)
			bob, err := olm.SessionFromPickle(c.bob.str(), pickleKey)
			must(b, err)
			t, body, err := alice.EncryptBase64(pt) // start the chain
			must(b, err)
			_, err = bob.DecryptBase64(t, body)
			must(b, err)
			types := make([]olm.MessageType, burstBatch)
			msgs := make([]string, burstBatch)
			dst := make([]byte, 0, encLen(olmPlaintextSize))
			b.ResetTimer()
			for i := range b.N {
				j := i % burstBatch
				if j == 0 {
					b.StopTimer()
					for k := range msgs {
						types[k], msgs[k], err = alice.EncryptBase64(pt)
						must(b, err)
					}
					b.StartTimer()
				}
				if dst, err = bob.AppendDecryptBase64(dst[:0], types[j], msgs[j]); err != nil {
					b.Fatal(err)
				}
			}
			sinkBytes = dst
		})
	})
}

func BenchmarkPickleAccount(b *testing.B) {
	c := getOlm(b)
	benchPickle(b, c.account50, impl.accountFromPickle, olm.AccountFromPickle)
}

func BenchmarkPickleIGS(b *testing.B) {
	c := getOlm(b)
	benchPickle(b, c.igs, impl.inboundGroupSessionFromPickle, megolm.InboundGroupSessionFromPickle)
}

// pickled is what benchPickle needs of an adapter's object.
type pickled interface {
	pickle(key []byte) (text, error)
	close()
}

// benchPickle times pickling and unpickling the state in p on every
// implementation (fromPickle is the adapter's method expression), on the
// floors, and through newt's AppendPickle (newtFromPickle).
func benchPickle[T pickled, N interface{ AppendPickle(dst, key []byte) []byte }](b *testing.B, p text,
	fromPickle func(impl, text, []byte) (T, error), newtFromPickle func(string, []byte) (N, error)) {
	b.Run("op=pickle", func(b *testing.B) {
		forImpls(b, func(b *bt, im impl) {
			x, err := fromPickle(im, p, pickleKey)
			must(b, err)
			defer x.close()
			b.ResetTimer()
			for range b.N {
				out, err := x.pickle(pickleKey)
				if err != nil {
					b.Fatal(err)
				}
				sinkText = out
			}
		})
		floors(b, p.s, false, func(f *floor) { f.pickle() })
		runImpl(b, "impl=newt-append", func(b *bt) {
			x, err := newtFromPickle(p.str(), pickleKey)
			must(b, err)
			out := make([]byte, 0, len(p.s))
			b.ResetTimer()
			for range b.N {
				out = x.AppendPickle(out[:0], pickleKey)
			}
			sinkBytes = out
		})
	})
	b.Run("op=unpickle", func(b *testing.B) {
		forImpls(b, func(b *bt, im impl) {
			for range b.N {
				x, err := fromPickle(im, p, pickleKey)
				if err != nil {
					b.Fatal(err)
				}
				x.close()
			}
		})
		floors(b, p.s, false, func(f *floor) { f.unpickle() })
	})
}
