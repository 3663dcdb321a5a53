// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package olm

import (
	"bytes"
	"encoding/base64"
	"errors"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/newt-e2ee/newt/internal/b64"
	"github.com/newt-e2ee/newt/internal/newttest"
)

// base64Impl is olmImpl through the base64 entry points: the encrypting
// core of EncryptBase64 (appendEncrypt, on the test's randomness) and
// DecryptBase64.
type base64Impl struct{ newtImpl }

func (n *base64Impl) encrypt(bob bool, pt, random []byte) (int, string) {
	s := n.as
	if bob {
		s = n.bs
	}
	t, raw, err := s.appendEncrypt([]byte("junk to overwrite"), pt, random)
	if err != nil {
		n.t.Fatal(err)
	}
	return int(t), b64.EncodeToString(raw[len("junk to overwrite"):])
}

func (n *base64Impl) decrypt(bob bool, typ int, body string) []byte {
	if bob && n.bs == nil {
		return n.newtImpl.decrypt(bob, typ, body) // a new session: the struct API
	}
	s := n.as
	if bob {
		s = n.bs
	}
	pt, err := s.DecryptBase64(MessageType(typ), body)
	if err != nil {
		n.t.Fatal(err)
	}
	return pt
}

// TestAccumulatedBase64 runs the 1000-message conversation of
// TestAccumulated through the base64 entry points: the digest of every body,
// plaintext and final pickle must still be libolm's.
func TestAccumulatedBase64(t *testing.T) {
	got := runAccumulated(t, &base64Impl{newtImpl{t: t}})
	if got != accumulatedDigest {
		t.Fatalf("digest %s, want libolm's %s", got, accumulatedDigest)
	}
}

// sameOutcome fails unless two decryptions gave the same plaintext and the
// same error.
func sameOutcome(t *testing.T, what string, pt1 []byte, err1 error, pt2 []byte, err2 error) {
	t.Helper()
	if !bytes.Equal(pt1, pt2) || (err1 == nil) != (err2 == nil) {
		t.Fatalf("%s: struct API (%q, %v), base64 API (%q, %v)", what, pt1, err1, pt2, err2)
	}
	if err1 == nil {
		return
	}
	if err1.Error() != err2.Error() {
		t.Fatalf("%s: error %q, base64 API %q", what, err1, err2)
	}
	for _, target := range []error{ErrBadMAC, ErrBadMessageFormat, ErrBadVersion, ErrMissingMessageKey,
		ErrUnknownChain, ErrNonContributory, ErrSessionMismatch, ErrSessionState} {
		if errors.Is(err1, target) != errors.Is(err2, target) {
			t.Fatalf("%s: errors.Is(%v) differs: %v vs %v", what, target, err1, err2)
		}
	}
	var g1, g2 *MessageGapError
	if errors.As(err1, &g1) != errors.As(err2, &g2) || (g1 != nil && *g1 != *g2) {
		t.Fatalf("%s: gap errors differ: %v vs %v", what, err1, err2)
	}
}

// twinSessions returns two independent copies of s (through its pickle).
func twinSessions(t *testing.T, s *Session) (*Session, *Session) {
	t.Helper()
	p := s.Pickle(pickleKey)
	s1, err := SessionFromPickle(p, pickleKey)
	if err != nil {
		t.Fatal(err)
	}
	s2, err := SessionFromPickle(p, pickleKey)
	if err != nil {
		t.Fatal(err)
	}
	return s1, s2
}

// TestBase64MatchesStructAPI drives a random conversation in which each
// side is held twice: one copy uses the struct API (Encrypt + Base64,
// ParseEncryptedMessage + Decrypt), the other the base64 entry points. Every
// body, plaintext, error and pickle must be identical. Randomness is fixed
// where a new ratchet key is needed (the struct and base64 paths share
// their deterministic cores, called here); elsewhere the public entry points
// run. The receivers also get broken, replayed, misdirected and mistyped
// messages.
func TestBase64MatchesStructAPI(t *testing.T) {
	rng := rand.New(rand.NewChaCha8([32]byte{'b', '6', '4'}))
	random := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		return b
	}
	var base newtImpl
	base.t = t
	base.setup(random(64), random(64), random(32), random(64))
	// Bob's session from Alice's first message.
	first, err := base.as.encrypt([]byte("hello"), nil)
	if err != nil {
		t.Fatal(err)
	}
	bob, _, err := base.bob.NewInboundSession(first.(*PreKeyMessage))
	if err != nil {
		t.Fatal(err)
	}
	a1, a2 := twinSessions(t, base.as)
	b1, b2 := twinSessions(t, bob)
	stranger := newAccount((*[64]byte)(random(64)))
	otk := stranger.generateOneTimeKeys(1, random(32)).Created[0]
	other, err := base.alice.newOutboundSession(stranger.IdentityKeys().Curve25519, otk.Key, (*[64]byte)(random(64)))
	if err != nil {
		t.Fatal(err)
	}

	type sent struct {
		t    MessageType
		body string
	}
	outcomes := map[string]int{}
	var pending [2][]sent // to Alice, to Bob
	var delivered [2][]sent
	for step := range 400 {
		fromBob := rng.IntN(2) == 0
		s1, s2, to := a1, a2, 1
		if fromBob {
			s1, s2, to = b1, b2, 0
		}
		pt := random(rng.IntN(300))
		var m sent
		if s1.ratchet.NeedsRandom() {
			r := random(32)
			em, err := s1.encrypt(pt, r)
			if err != nil {
				t.Fatal(err)
			}
			typ, raw, err := s2.appendEncrypt(nil, pt, r)
			if err != nil {
				t.Fatal(err)
			}
			if typ != em.Type() || b64.EncodeToString(raw) != em.Base64() {
				t.Fatalf("step %d: appendEncrypt differs from encrypt", step)
			}
			m = sent{em.Type(), em.Base64()}
		} else {
			em, err := s1.Encrypt(pt)
			if err != nil {
				t.Fatal(err)
			}
			var typ MessageType
			var body string
			if rng.IntN(2) == 0 {
				typ, body, err = s2.EncryptBase64(pt)
			} else {
				var out []byte
				typ, out, err = s2.AppendEncryptBase64([]byte("x"), pt)
				body = string(out[1:])
			}
			if err != nil || typ != em.Type() || body != em.Base64() {
				t.Fatalf("step %d: EncryptBase64 differs from Encrypt: %v", step, err)
			}
			if max := 4 * ((len(pt) + 180 + 2) / 3); len(body) > max {
				t.Fatalf("step %d: body of %d characters, documented bound %d", step, len(body), max)
			}
			m = sent{em.Type(), em.Base64()}
		}
		pending[to] = append(pending[to], m)

		// Deliver a random pending message, or some junk, to a random side.
		side := rng.IntN(2)
		r1, r2 := a1, a2
		if side == 1 {
			r1, r2 = b1, b2
		}
		var in sent
		switch k := rng.IntN(10); {
		case len(pending[side]) > 0 && k < 6:
			i := rng.IntN(len(pending[side]))
			in = pending[side][i]
			pending[side] = append(pending[side][:i], pending[side][i+1:]...)
			delivered[side] = append(delivered[side], in)
		case len(delivered[side]) > 0 && k == 6:
			in = delivered[side][rng.IntN(len(delivered[side]))] // replay
		case len(delivered[side]) > 0 && k == 7:
			in = delivered[side][rng.IntN(len(delivered[side]))]
			raw, _ := base64.RawStdEncoding.DecodeString(in.body)
			raw[rng.IntN(len(raw))] ^= byte(1 + rng.IntN(255))
			in.body = base64.RawStdEncoding.EncodeToString(raw)
			if rng.IntN(3) == 0 {
				in.t = MessageType(rng.IntN(4) - 1)
			}
		case k == 8:
			em, err := other.Encrypt([]byte("not for you"))
			if err != nil {
				t.Fatal(err)
			}
			in = sent{em.Type(), em.Base64()}
		default:
			junk := []string{"", "A", "AA", "AAA", "AAAA", "AAAAA", "====", "not base64!", strings.Repeat("/", 200)}
			in = sent{MessageType(rng.IntN(2)), junk[rng.IntN(len(junk))]}
		}
		var pt1 []byte
		em, err1 := ParseEncryptedMessage(in.t, in.body)
		if err1 == nil {
			pt1, err1 = r1.Decrypt(em)
		}
		var pt2 []byte
		var err2 error
		if rng.IntN(2) == 0 {
			pt2, err2 = r2.DecryptBase64(in.t, in.body)
		} else {
			pt2, err2 = r2.AppendDecryptBase64([]byte("x"), in.t, in.body)
			if err2 == nil {
				pt2 = pt2[1:]
			}
		}
		sameOutcome(t, "step "+strconv.Itoa(step), pt1, err1, pt2, err2)
		outcomes[outcome(err1)]++
		if r1.Pickle(pickleKey) != r2.Pickle(pickleKey) {
			t.Fatalf("step %d: the copies' states differ", step)
		}
	}
	if a1.Pickle(pickleKey) != a2.Pickle(pickleKey) || b1.Pickle(pickleKey) != b2.Pickle(pickleKey) {
		t.Fatal("final states differ")
	}
	t.Logf("outcomes: %v", outcomes)
	for _, want := range []string{"ok", "bad MAC", "bad format", "bad version", "missing key", "mismatch"} {
		if outcomes[want] == 0 {
			t.Errorf("no decryption ended %q: %v", want, outcomes)
		}
	}
}

// outcome names the class of a decryption's error, for coverage counts.
func outcome(err error) string {
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, ErrBadMAC):
		return "bad MAC"
	case errors.Is(err, ErrBadMessageFormat):
		return "bad format"
	case errors.Is(err, ErrBadVersion):
		return "bad version"
	case errors.Is(err, ErrMissingMessageKey):
		return "missing key"
	case errors.Is(err, ErrSessionMismatch):
		return "mismatch"
	}
	return err.Error()
}

// TestBase64Allocs checks the documented allocation counts in the steady
// state of a burst (no new ratchet key): two per operation (output and AES
// key schedule), one with a reused destination.
func TestBase64Allocs(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops buffers at random under the race detector")
	}
	var n newtImpl
	n.t = t
	n.setup(newttest.Seq(1, 64), newttest.Seq(2, 64), newttest.Seq(3, 32), newttest.Seq(4, 64))
	typ, body := n.encrypt(false, []byte("hi"), nil)
	n.decrypt(true, typ, body) // Bob's session
	typ, body = n.encrypt(true, []byte("hi"), newttest.Seq(5, 32))
	n.decrypt(false, typ, body) // Alice has received: normal messages from now on
	alice, bob := n.as, n.bs

	pt := make([]byte, 256)
	const runs = 200
	var bodies []string
	for range 2*runs + 10 {
		_, body, err := alice.EncryptBase64(pt)
		if err != nil {
			t.Fatal(err)
		}
		bodies = append(bodies, body)
	}
	next := 0
	dst := make([]byte, 0, 4096)
	for range 5 { // fill the pools
		if _, err := bob.DecryptBase64(MessageTypeNormal, bodies[next]); err != nil {
			t.Fatal(err)
		}
		next++
	}
	bobPickle := bob.Pickle(pickleKey)
	checks := []struct {
		name string
		max  float64
		f    func()
	}{
		{"EncryptBase64", 2, func() {
			if _, _, err := alice.EncryptBase64(pt); err != nil {
				t.Fatal(err)
			}
		}},
		{"AppendEncryptBase64", 1, func() {
			var err error
			if _, dst, err = alice.AppendEncryptBase64(dst[:0], pt); err != nil {
				t.Fatal(err)
			}
		}},
		{"DecryptBase64", 2, func() {
			if _, err := bob.DecryptBase64(MessageTypeNormal, bodies[next]); err != nil {
				t.Fatal(err)
			}
			next++
		}},
		{"SessionFromPickle", 3, func() { // a ratchet allocating its state apart would make 4
			if _, err := SessionFromPickle(bobPickle, pickleKey); err != nil {
				t.Fatal(err)
			}
		}},
		{"AppendDecryptBase64", 1, func() {
			var err error
			if dst, err = bob.AppendDecryptBase64(dst[:0], MessageTypeNormal, bodies[next]); err != nil {
				t.Fatal(err)
			}
			next++
		}},
	}
	for _, c := range checks {
		if got := testing.AllocsPerRun(runs-10, c.f); got > c.max {
			t.Errorf("%s: %.1f allocations, want <= %v", c.name, got, c.max)
		}
	}
}

// FuzzDecryptBase64 gives arbitrary (type, body) pairs to two copies of Bob's
// session of the Alice/Bob script (after m2): one through
// ParseEncryptedMessage + Decrypt, one through DecryptBase64. Plaintexts,
// errors and the resulting states must be identical.
func FuzzDecryptBase64(f *testing.F) {
	msgs, katBobPickleAfterM2 := scriptMessages(f)
	for _, s := range msgs {
		f.Add(int8(MessageTypeNormal), s)
		f.Add(int8(MessageTypePreKey), s)
	}
	f.Add(int8(2), msgs[0])
	f.Add(int8(1), "")
	f.Add(int8(1), "AAAA=")
	f.Fuzz(func(t *testing.T, typ int8, body string) {
		s1, err := SessionFromPickle(katBobPickleAfterM2, pickleKey)
		if err != nil {
			t.Fatal(err)
		}
		s2, err := SessionFromPickle(katBobPickleAfterM2, pickleKey)
		if err != nil {
			t.Fatal(err)
		}
		var pt1 []byte
		m, err1 := ParseEncryptedMessage(MessageType(typ), body)
		if err1 == nil {
			pt1, err1 = s1.Decrypt(m)
		}
		pt2, err2 := s2.DecryptBase64(MessageType(typ), body)
		sameOutcome(t, "fuzz input", pt1, err1, pt2, err2)
		if s1.Pickle(pickleKey) != s2.Pickle(pickleKey) {
			t.Fatal("the copies' states differ")
		}
	})
}
