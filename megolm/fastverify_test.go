// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package megolm_test

import (
	"bytes"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/newt-e2ee/newt/internal/ed25519x"
	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/megolm"
)

// decryptOutcome is everything a decryption returns, and the session's
// state after it.
type decryptOutcome struct {
	pt     []byte
	index  uint32
	err    string
	pickle []byte
}

// agreementMessages returns messages of out for TestFastVerifyAgrees, from
// its current index on: valid messages (in order, out of order, replayed),
// and many with a bad or edge-case signature.
func agreementMessages(t *testing.T, out *megolm.GroupSession) (names []string, msgs []*megolm.Message) {
	t.Helper()
	add := func(name string, b []byte) {
		m, err := megolm.NewMessage(b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		names, msgs = append(names, name), append(msgs, m)
	}
	var good [][]byte
	for i := range 6 {
		good = append(good, out.Encrypt(fmt.Appendf(nil, "agreement %d", i)).Bytes())
	}
	add("good 0", good[0])
	add("good 2 (gap)", good[2])
	add("good 1 (behind)", good[1])
	add("good 2 (replay)", good[2])

	target := good[3]
	sig := len(target) - megolm.SignatureSize
	edit := func(f func(b []byte)) []byte {
		b := append([]byte(nil), target...)
		f(b)
		return b
	}
	// One flipped bit in every byte of the signature, and in the ciphertext
	// and the MAC, which the signature covers.
	for i := range megolm.SignatureSize {
		add(fmt.Sprintf("signature byte %d", i), edit(func(b []byte) { b[sig+i] ^= 1 << (i % 8) }))
	}
	add("ciphertext bit", edit(func(b []byte) { b[6] ^= 0x20 }))
	add("MAC bit", edit(func(b []byte) { b[sig-1] ^= 0x01 }))
	// S + L: the same signature modulo L, rejected strictly.
	add("S+L", edit(func(b []byte) { copy(b[sig+32:], newttest.AddL(b[sig+32:])) }))
	// S with the top bits set, S = 0, S = L.
	add("S top bits", edit(func(b []byte) { b[len(b)-1] |= 0xe0 }))
	add("S = 0", edit(func(b []byte) { clear(b[sig+32:]) }))
	add("S = L", edit(func(b []byte) { copy(b[sig+32:], newttest.L[:]) }))
	// R of small order (identity, order 2, order 4) and non-canonical R
	// (y = p, y = p + 1).
	for name, R := range map[string][]byte{
		"R identity": append([]byte{1}, make([]byte, 31)...),
		"R order 2":  append([]byte{0xec}, append(bytes.Repeat([]byte{0xff}, 30), 0x7f)...),
		"R order 4":  make([]byte, 32),
		"R y = p":    append([]byte{0xed}, append(bytes.Repeat([]byte{0xff}, 30), 0x7f)...),
		"R y = p+1":  append([]byte{0xee}, append(bytes.Repeat([]byte{0xff}, 30), 0x7f)...),
	} {
		add(name, edit(func(b []byte) { copy(b[sig:], R) }))
	}
	add("all-zero signature", edit(func(b []byte) { clear(b[sig:]) }))
	add("all-ones signature", edit(func(b []byte) { copy(b[sig:], bytes.Repeat([]byte{0xff}, 64)) }))
	// Another session's valid signature on the same bytes.
	other, _ := newPair(t)
	o := other.Encrypt([]byte("x")).Bytes()
	add("foreign signature", edit(func(b []byte) { copy(b[sig:], o[len(o)-megolm.SignatureSize:]) }))
	// Valid signatures, bad MACs (a forged ratchet), ahead and behind.
	forged := forgeOutbound(t, out, bytes.Repeat([]byte{0x42}, megolm.RatchetSize), out.MessageIndex()+3)
	add("valid signature, bad MAC ahead", forged.Encrypt([]byte("forged")).Bytes())
	forged = forgeOutbound(t, out, bytes.Repeat([]byte{0x42}, megolm.RatchetSize), 1)
	add("valid signature, bad MAC behind", forged.Encrypt([]byte("forged")).Bytes())

	add("good 3", target)
	add("good 5", good[5])
	add("good 4", good[4])
	return names, msgs
}

// TestFastVerifyAgrees checks that decryption gives the same results with the
// comb-table verifier as with the plain strict verification: the same
// plaintexts, indexes, errors and session states, on valid messages and on
// every kind of bad signature.
func TestFastVerifyAgrees(t *testing.T) {
	out := megolm.GenerateGroupSession()
	key := out.SessionKey()
	warm := make([]*megolm.Message, ed25519x.DefaultBuildAfter+1)
	for i := range warm {
		warm[i] = out.Encrypt([]byte("warm up"))
	}
	names, msgs := agreementMessages(t, out)

	run := func(t *testing.T, fast bool) []decryptOutcome {
		c := ed25519x.NewVerifierCache(megolm.VerifierCacheBytes)
		megolm.SetVerifierCacheForTest(t, c)
		megolm.SetFastVerifyForTest(t, fast)
		in, err := megolm.NewInboundGroupSession(key)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range warm {
			if _, _, err := in.Decrypt(m); err != nil {
				t.Fatal(err)
			}
		}
		if hasTable := c.Bytes() >= ed25519x.FastVerifierSize; hasTable != fast {
			t.Fatalf("fast = %v, but the cache holds %d bytes", fast, c.Bytes())
		}
		var res []decryptOutcome
		for _, m := range msgs {
			pt, index, err := in.Decrypt(m)
			o := decryptOutcome{pt: pt, index: index, pickle: []byte(in.Pickle(pickleKey))}
			if err != nil {
				o.err = err.Error()
			}
			res = append(res, o)
		}
		return res
	}
	var fast, plain []decryptOutcome
	t.Run("fast", func(t *testing.T) { fast = run(t, true) })
	t.Run("plain", func(t *testing.T) { plain = run(t, false) })
	if len(fast) != len(msgs) || len(plain) != len(msgs) {
		t.Fatal("a run failed")
	}
	var accepted, badSig int
	for i := range msgs {
		f, p := fast[i], plain[i]
		if !bytes.Equal(f.pt, p.pt) || f.index != p.index || f.err != p.err || !bytes.Equal(f.pickle, p.pickle) {
			t.Errorf("%s: fast (%q, %d, %q) != plain (%q, %d, %q) or the states differ",
				names[i], f.pt, f.index, f.err, p.pt, p.index, p.err)
		}
		switch {
		case p.err == "":
			accepted++
		case p.err == megolm.ErrBadSignature.Error():
			badSig++
		}
	}
	// The expected decisions themselves: the 7 good messages decrypt, and
	// everything but the 2 forged-MAC messages fails the signature.
	if accepted != 7 || badSig != len(msgs)-7-2 {
		t.Errorf("accepted %d, bad signature %d of %d", accepted, badSig, len(msgs))
	}
}

// TestFastVerifySharedAndEvicted checks the cache policy: sessions of one
// Megolm session share one table, a cache too small to keep tables still
// decrypts correctly, and sessions whose table was evicted fall back to the
// plain verification.
func TestFastVerifySharedAndEvicted(t *testing.T) {
	const overhead = 1024 // generous bound of the per-key bookkeeping
	t.Run("shared", func(t *testing.T) {
		c := ed25519x.NewVerifierCache(megolm.VerifierCacheBytes)
		megolm.SetVerifierCacheForTest(t, c)
		out, a := newPair(t)
		b := newttest.Must(t, megolm.NewInboundGroupSession, out.SessionKey())
		e, _ := a.Export(0)
		imp, err := megolm.ImportInboundGroupSession(e)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 3 * (ed25519x.DefaultBuildAfter + 1) {
			m := out.Encrypt(fmt.Appendf(nil, "%d", i))
			for _, s := range []*megolm.InboundGroupSession{a, b, imp} {
				if pt, _, err := s.Decrypt(m); err != nil || string(pt) != fmt.Sprint(i) {
					t.Fatalf("message %d: %q %v", i, pt, err)
				}
			}
		}
		// The bookkeeping of one tracked key, measured on a fresh cache.
		one := ed25519x.NewVerifierCache(megolm.VerifierCacheBytes)
		one.Get(out.SigningKey().Array())
		if perKey := one.Bytes(); perKey <= 0 || perKey > overhead || c.Bytes() != ed25519x.FastVerifierSize+perKey {
			t.Fatalf("cache holds %d bytes; want one key with one table (%d + %d)", c.Bytes(), ed25519x.FastVerifierSize, perKey)
		}
	})
	for _, budget := range []int{0, ed25519x.FastVerifierSize + overhead} {
		t.Run(fmt.Sprintf("budget %d", budget), func(t *testing.T) {
			c := ed25519x.NewVerifierCache(budget)
			megolm.SetVerifierCacheForTest(t, c)
			type pair struct {
				out *megolm.GroupSession
				in  *megolm.InboundGroupSession
			}
			var pairs []pair
			for range 3 {
				out, in := newPair(t)
				pairs = append(pairs, pair{out, in})
			}
			// Round robin: with room for one table at most, tables are built,
			// evicted and rebuilt while decryption goes on.
			for i := range 4 * (ed25519x.DefaultBuildAfter + 1) {
				for j, p := range pairs {
					want := fmt.Sprintf("%d/%d", j, i)
					m := p.out.Encrypt([]byte(want))
					if pt, _, err := p.in.Decrypt(m); err != nil || string(pt) != want {
						t.Fatalf("%s: %q %v", want, pt, err)
					}
					bad := m.Bytes()
					bad[len(bad)-1] ^= 0x01
					bm, _ := megolm.NewMessage(bad)
					if _, _, err := p.in.Decrypt(bm); !errors.Is(err, megolm.ErrBadSignature) {
						t.Fatalf("%s with a bad signature: %v", want, err)
					}
				}
				if c.Bytes() > budget {
					t.Fatalf("cache holds %d bytes, budget %d", c.Bytes(), budget)
				}
			}
		})
	}
}

// TestFastVerifyConcurrent decrypts the messages of several sessions from
// several goroutines while their tables are built and evicted (run with
// -race).
func TestFastVerifyConcurrent(t *testing.T) {
	c := ed25519x.NewVerifierCache(2*ed25519x.FastVerifierSize + 4096)
	megolm.SetVerifierCacheForTest(t, c)
	const sessions, perSession, workers = 4, 12, 4
	type item struct {
		in   *megolm.InboundGroupSession
		m    *megolm.Message
		want string // "" for a bad signature
	}
	var items []item
	var ins []*megolm.InboundGroupSession
	for s := range sessions {
		out, in := newPair(t)
		ins = append(ins, in)
		for i := range perSession {
			want := fmt.Sprintf("%d/%d", s, i)
			m := out.Encrypt([]byte(want))
			items = append(items, item{in, m, want})
			if i%3 == 0 {
				bad := m.Bytes()
				bad[len(bad)-40] ^= 0x08
				bm, err := megolm.NewMessage(bad)
				if err != nil {
					t.Fatal(err)
				}
				items = append(items, item{in, bm, ""})
			}
		}
	}
	errs := make(chan error, len(items)*workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range items {
				it := items[(k*7+w*5)%len(items)]
				pt, _, err := it.in.Decrypt(it.m)
				switch {
				case it.want == "" && !errors.Is(err, megolm.ErrBadSignature):
					errs <- fmt.Errorf("bad signature accepted: %v", err)
				case it.want != "" && (err != nil || string(pt) != it.want):
					errs <- fmt.Errorf("%s: %q %v", it.want, pt, err)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for _, in := range ins {
		_ = in.Pickle(pickleKey)
	}
	if c.Bytes() > 2*ed25519x.FastVerifierSize+4096 {
		t.Fatalf("cache over budget: %d bytes", c.Bytes())
	}
}
