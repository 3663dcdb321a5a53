// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package bench

import (
	"bytes"
	"fmt"
	"slices"
	"testing"
)

// Interoperability of every pair of implementations (each with itself
// too), so the adapters are proven right before they are timed: Megolm
// messages and inbound-session pickles, Olm sessions in both directions with
// an irregular send pattern and session pickles, account pickles.

// eachPair runs f for every ordered pair of implementations.
func eachPair(t *testing.T, f func(t *testing.T, x, y impl)) {
	for _, x := range impls {
		for _, y := range impls {
			t.Run(x.name()+"->"+y.name(), func(t *testing.T) { f(t, x, y) })
		}
	}
}

func TestInteropMegolm(t *testing.T) {
	eachPair(t, func(t *testing.T, x, y impl) {
		g, err := x.newGroupSession()
		must(t, err)
		defer g.close()
		// Start past index 0, so the key's index is carried over.
		_, err = g.encrypt([]byte("skipped"))
		must(t, err)
		in, err := y.newInboundGroupSession(g.sessionKey().full())
		must(t, err)
		defer in.close()
		if in.firstKnownIndex() != 1 {
			t.Fatalf("first known index %d, want 1", in.firstKnownIndex())
		}
		var msgs []text
		var pts [][]byte
		for _, n := range []int{1, 15, 16, 256, 4096, 300} {
			pt := plaintext(n)
			m, err := g.encrypt(pt)
			must(t, err)
			msgs, pts = append(msgs, m.full()), append(pts, pt)
		}
		// Out of order: the last first, then all in order.
		order := append([]int{len(msgs) - 1}, slices.Collect(func(yield func(int) bool) {
			for i := range msgs {
				if !yield(i) {
					return
				}
			}
		})...)
		for _, i := range order {
			got, idx, err := in.decrypt(msgs[i])
			must(t, err)
			if idx != uint32(i+1) || !bytes.Equal(got, pts[i]) {
				t.Fatalf("message %d: index %d, plaintext %d bytes (want %d)", i, idx, len(got), len(pts[i]))
			}
		}
		// A tampered message fails.
		bad := []byte(msgs[0].str())
		bad[10] ^= 1
		if bad[10] == '+' || bad[10] == '/' {
			bad[10] = 'A'
		}
		if _, _, err := in.decrypt(textOf(string(bad))); err == nil {
			t.Fatal("tampered message decrypted")
		}
		// y's pickle loads in every implementation, which re-pickles it to
		// the same bytes and keeps decrypting x's messages.
		p, err := in.pickle(pickleKey)
		must(t, err)
		next := plaintext(77)
		m, err := g.encrypt(next)
		must(t, err)
		for _, z := range impls {
			s, err := z.inboundGroupSessionFromPickle(p.full(), pickleKey)
			must(t, err)
			p2, err := s.pickle(pickleKey)
			must(t, err)
			if p2.str() != p.str() {
				t.Errorf("%s re-pickles %s's inbound session differently", z.name(), y.name())
			}
			got, idx, err := s.decrypt(m.full())
			must(t, err)
			if idx != 7 || !bytes.Equal(got, next) {
				t.Errorf("%s: after unpickling: index %d", z.name(), idx)
			}
			if _, err := z.inboundGroupSessionFromPickle(p.full(), []byte("wrong key")); err == nil {
				t.Errorf("%s loads a pickle with the wrong key", z.name())
			}
			s.close()
		}
	})
}

// olmConversation runs an irregular conversation between alice (x) and bob
// (y) and returns both sessions.
func olmConversation(t *testing.T, x, y impl) (alice, bob session) {
	ax, err := x.newAccount()
	must(t, err)
	defer ax.close()
	by, err := y.newAccount()
	must(t, err)
	defer by.close()
	must(t, by.generateOneTimeKeys(5))
	otks, err := by.oneTimeKeys()
	must(t, err)
	if len(otks) != 5 {
		t.Fatalf("%d one-time keys, want 5", len(otks))
	}
	by.markKeysAsPublished()
	if k, err := by.oneTimeKeys(); err != nil || len(k) != 0 {
		t.Fatalf("after publishing: %d keys, %v", len(k), err)
	}
	alice, err = ax.newOutboundSession(textOf(by.identityKey()), textOf(otks[2]))
	must(t, err)

	n := 0
	next := func() []byte { n++; return []byte(fmt.Sprintf("message %d %s", n, plaintext(n*37))) }
	type msg struct {
		t  int
		m  text
		pt []byte
	}
	sendN := func(from session, k int, wantType int) []msg {
		var out []msg
		for range k {
			pt := next()
			mt, m, err := from.encrypt(pt)
			must(t, err)
			if mt != wantType {
				t.Fatalf("message type %d, want %d", mt, wantType)
			}
			out = append(out, msg{mt, m.full(), pt})
		}
		return out
	}
	recv := func(to session, ms []msg, order ...int) {
		t.Helper()
		for _, i := range order {
			got, err := to.decrypt(ms[i].t, ms[i].m)
			must(t, err)
			if !bytes.Equal(got, ms[i].pt) {
				t.Fatalf("message %d decrypted wrong", i)
			}
		}
	}

	a1 := sendN(alice, 3, 0)
	bob, got, err := by.newInboundSession(a1[0].m)
	must(t, err)
	if !bytes.Equal(got, a1[0].pt) {
		t.Fatal("pre-key message decrypted wrong")
	}
	recv(bob, a1, 2, 1)
	b1 := sendN(bob, 4, 1)
	recv(alice, b1, 1, 3, 0) // b1[2] is never delivered
	a2 := sendN(alice, 2, 1)
	recv(bob, a2, 1, 0)
	b2 := sendN(bob, 1, 1)
	a3 := sendN(alice, 5, 1) // crosses b2 in flight
	recv(alice, b2, 0)
	recv(bob, a3, 0, 4, 2)
	b3 := sendN(bob, 2, 1)
	recv(alice, b3, 1, 0)
	recv(bob, a3, 1, 3)
	return alice, bob
}

func TestInteropOlm(t *testing.T) {
	eachPair(t, func(t *testing.T, x, y impl) {
		alice, bob := olmConversation(t, x, y)
		defer alice.close()
		defer bob.close()
		// Both session pickles load in every implementation, re-pickle to
		// the same bytes and carry on the conversation.
		pa, err := alice.pickle(pickleKey)
		must(t, err)
		pb, err := bob.pickle(pickleKey)
		must(t, err)
		for _, z := range impls {
			// z's copies talk to fresh copies in x and y.
			a2, err := z.sessionFromPickle(pa.full(), pickleKey)
			must(t, err)
			b2, err := z.sessionFromPickle(pb.full(), pickleKey)
			must(t, err)
			for _, c := range []struct {
				s session
				p text
			}{{a2, pa}, {b2, pb}} {
				p2, err := c.s.pickle(pickleKey)
				must(t, err)
				if p2.str() != c.p.str() {
					t.Errorf("%s re-pickles an Olm session differently", z.name())
				}
			}
			ax, err := x.sessionFromPickle(pa.full(), pickleKey)
			must(t, err)
			by, err := y.sessionFromPickle(pb.full(), pickleKey)
			must(t, err)
			pt := []byte("after unpickling")
			must(t, send(a2, by, pt))
			must(t, send(b2, ax, pt))
			must(t, send(by, a2, pt))
			for _, s := range []session{a2, b2, ax, by} {
				s.close()
			}
		}
	})
}

func TestInteropAccountPickle(t *testing.T) {
	eachPair(t, func(t *testing.T, x, y impl) {
		a, err := x.newAccount()
		must(t, err)
		defer a.close()
		must(t, a.generateOneTimeKeys(50))
		_, err = a.generateFallbackKey()
		must(t, err)
		p, err := a.pickle(pickleKey)
		must(t, err)
		b, err := y.accountFromPickle(p.full(), pickleKey)
		must(t, err)
		defer b.close()
		p2, err := b.pickle(pickleKey)
		must(t, err)
		if p2.str() != p.str() {
			t.Errorf("re-pickled account differs")
		}
		if a.identityKey() != b.identityKey() {
			t.Errorf("identity keys differ")
		}
		ka, err := a.oneTimeKeys()
		must(t, err)
		kb, err := b.oneTimeKeys()
		must(t, err)
		if len(ka) != 50 || !slices.Equal(ka, kb) {
			t.Errorf("one-time keys differ (%d vs %d)", len(ka), len(kb))
		}
		if _, err := y.accountFromPickle(p.full(), []byte("wrong key")); err == nil {
			t.Error("account pickle loads with the wrong key")
		}
	})
}

// TestCanon checks that every implementation handles the canonical inputs
// the benchmarks feed it, whoever made them.
func TestCanon(t *testing.T) {
	c := getOlm(t)
	for _, im := range impls {
		t.Run(im.name(), func(t *testing.T) {
			// Inbound sessions from the pre-key message to bob's fallback
			// key, twice: a fallback key is not used up.
			bob, err := im.accountFromPickle(c.bobPickle, pickleKey)
			must(t, err)
			defer bob.close()
			for range 2 {
				s, pt, err := bob.newInboundSession(c.preKey)
				must(t, err)
				if !bytes.Equal(pt, plaintext(olmPlaintextSize)) {
					t.Fatal("pre-key message decrypted wrong")
				}
				s.close()
			}
			s, err := im.sessionFromPickle(c.bob, pickleKey)
			must(t, err)
			pt, err := s.decrypt(1, c.gap)
			must(t, err)
			if !bytes.Equal(pt, plaintext(olmPlaintextSize)) {
				t.Fatal("gap message decrypted wrong")
			}
			s.close()
			for _, index := range []uint32{1000, 1 << 24, 1<<24 - 1} {
				mk := getCold(t, index)
				st := mk.make(t)
				in, err := im.newInboundGroupSession(st.key)
				must(t, err)
				pt, idx, err := in.decrypt(st.msgs[0])
				must(t, err)
				if idx != index || !bytes.Equal(pt, st.pt) {
					t.Fatalf("index %d: got index %d", index, idx)
				}
				in.close()
			}
		})
	}
}
