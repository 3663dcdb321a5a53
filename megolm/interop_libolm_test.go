// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

//go:build libolm

package megolm

// Interop tests against the real libolm 3.2.x through internal/libolm (cgo).
// They are in-package so that sessions can be moved to high indexes with
// advanceTo instead of millions of encryptions.

import (
	"bytes"
	"encoding/hex"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/newt-e2ee/newt/internal/libolm"
	"github.com/newt-e2ee/newt/testvectors"
)

var interopPickleKey = []byte("interop pickle key")

// interopRand returns a seeded generator, so failures reproduce.
func interopRand(t testing.TB) *rand.Rand {
	t.Helper()
	return rand.New(rand.NewPCG(0x6d65676f6c6d, uint64(len(t.Name()))))
}

func randomBytes(rng *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

// interopIndexes returns increasing message indexes with small steps and
// jumps of 2^16 and 2^24 and into the last 2^24 values of the u32 range.
func interopIndexes(rng *rand.Rand) []uint32 {
	idx := []uint32{0, 1, 2, 255, 256, 257, 300}
	next := func(d uint32) { idx = append(idx, idx[len(idx)-1]+d) }
	next(1 << 16)
	next(1)
	next(1 << 24)
	next(3)
	for range 5 {
		next(1 + rng.Uint32N(1<<20))
	}
	next(1<<24 + rng.Uint32N(1<<16))
	idx = append(idx, 0x7ffffff0, 0x80000005, 0xfffffff0, 0xffffffff)
	return idx
}

// TestLibolmRatchet compares advance and advanceTo with libolm's
// megolm_advance and megolm_advance_to, including wrap-around.
func TestLibolmRatchet(t *testing.T) {
	rng := interopRand(t)
	for range 100 {
		var data [RatchetSize]byte
		copy(data[:], randomBytes(rng, RatchetSize))
		start := rng.Uint32()
		if rng.IntN(4) == 0 {
			start = 0xffffffff - rng.Uint32N(300)
		}
		var target uint32
		switch rng.IntN(4) {
		case 0:
			target = start + rng.Uint32N(1000)
		case 1:
			target = start + 1<<16 + rng.Uint32N(1<<16)
		case 2:
			target = start + 1<<24 + rng.Uint32N(1<<24)
		default:
			target = rng.Uint32() // may wrap through 2^32
		}
		ours := hashRatchet{data: data, counter: start}
		theirs := libolm.MegolmRatchet{Data: data, Counter: start}
		ours.advanceTo(target)
		theirs.AdvanceTo(target)
		if ours.data != theirs.Data || ours.counter != theirs.Counter {
			t.Fatalf("advanceTo %#x → %#x differs from libolm", start, target)
		}
		ours.advance()
		theirs.Advance()
		if ours.data != theirs.Data || ours.counter != theirs.Counter {
			t.Fatalf("advance from %#x differs from libolm", target)
		}
	}
}

// TestLibolmSameRandomness checks that newt and libolm outbound sessions
// made from the same 160 random bytes have the same ID, session keys and
// pickles and produce byte-identical messages (and so signatures), at small
// and at high indexes.
func TestLibolmSameRandomness(t *testing.T) {
	rng := interopRand(t)
	for range 5 {
		random := [groupSessionRandomSize]byte(randomBytes(rng, groupSessionRandomSize))
		ours := newGroupSessionFromRandom(&random)
		theirs, err := libolm.NewOutboundGroupSession(random[:])
		if err != nil {
			t.Fatal(err)
		}
		defer theirs.Free()
		if ours.ID() != theirs.ID() {
			t.Fatal("session IDs differ")
		}
		for i := range 20 {
			if ours.SessionKey().Base64() != theirs.SessionKey() {
				t.Fatalf("session keys differ at %d", i)
			}
			if string(ours.Pickle(interopPickleKey)) != theirs.Pickle(interopPickleKey) {
				t.Fatalf("pickles differ at %d", i)
			}
			pt := randomBytes(rng, rng.IntN(600))
			want, err := theirs.Encrypt(pt)
			if err != nil {
				t.Fatal(err)
			}
			if got := ours.Encrypt(pt).Base64(); got != want {
				t.Fatalf("messages differ at index %d", i)
			}
		}
		// High indexes: move newt's session there, hand it to libolm as a
		// pickle, and both must keep producing the same messages.
		for _, index := range interopIndexes(rng)[7:] {
			ours.r.advanceTo(index)
			theirs.Free()
			theirs, err = libolm.OutboundGroupSessionFromPickle(interopPickleKey, string(ours.Pickle(interopPickleKey)))
			if err != nil {
				t.Fatal(err)
			}
			if theirs.MessageIndex() != index || theirs.SessionKey() != ours.SessionKey().Base64() {
				t.Fatalf("state differs at %#x", index)
			}
			pt := randomBytes(rng, 1+rng.IntN(100))
			want, _ := theirs.Encrypt(pt)
			if got := ours.Encrypt(pt).Base64(); got != want {
				t.Fatalf("messages differ at index %#x", index)
			}
		}
	}
}

// TestLibolmOutboundToNewtInbound sends from libolm to newt at increasing
// indexes with jumps of 2^16 and 2^24, then replays some out of order.
func TestLibolmOutboundToNewtInbound(t *testing.T) {
	rng := interopRand(t)
	random := randomBytes(rng, groupSessionRandomSize)
	sender, err := libolm.NewOutboundGroupSession(random)
	if err != nil {
		t.Fatal(err)
	}
	defer sender.Free()
	key, err := ParseSessionKey(sender.SessionKey())
	if err != nil {
		t.Fatal(err)
	}
	in, err := NewInboundGroupSession(key)
	if err != nil {
		t.Fatal(err)
	}
	// libolm has no advance; a newt twin made from the same randomness is
	// moved with advanceTo and handed to libolm as a pickle.
	twin := newGroupSessionFromRandom((*[groupSessionRandomSize]byte)(random))
	type sent struct {
		msg   string
		pt    []byte
		index uint32
	}
	var all []sent
	for _, index := range interopIndexes(rng) {
		if index >= 0x80000000 {
			break // beyond the 2^31 window of a session at 0
		}
		if sender.MessageIndex() != index {
			twin.r.advanceTo(index)
			sender.Free()
			sender, err = libolm.OutboundGroupSessionFromPickle(interopPickleKey, string(twin.Pickle(interopPickleKey)))
			if err != nil {
				t.Fatal(err)
			}
		}
		pt := randomBytes(rng, rng.IntN(300))
		msg, err := sender.Encrypt(pt)
		if err != nil {
			t.Fatal(err)
		}
		m, err := ParseMessage(msg)
		if err != nil {
			t.Fatal(err)
		}
		got, gotIndex, err := in.Decrypt(m)
		if err != nil || !bytes.Equal(got, pt) || gotIndex != index {
			t.Fatalf("index %#x: Decrypt = %d, %v", index, gotIndex, err)
		}
		all = append(all, sent{msg, pt, index})
	}
	rng.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
	for _, s := range all[:8] {
		m, _ := ParseMessage(s.msg)
		if got, _, err := in.Decrypt(m); err != nil || !bytes.Equal(got, s.pt) {
			t.Fatalf("replay of %#x: %v", s.index, err)
		}
	}
	// A session from a session key taken at a high index.
	late, err := ParseSessionKey(sender.SessionKey())
	if err != nil {
		t.Fatal(err)
	}
	lateIn, err := NewInboundGroupSession(late)
	if err != nil {
		t.Fatal(err)
	}
	msg, _ := sender.Encrypt([]byte("late"))
	m, _ := ParseMessage(msg)
	if pt, _, err := lateIn.Decrypt(m); err != nil || string(pt) != "late" {
		t.Fatalf("late session: %v", err)
	}
	old, _ := ParseMessage(all[0].msg)
	if _, _, err := lateIn.Decrypt(old); !errors.Is(err, ErrUnknownMessageIndex) {
		t.Fatalf("old message on late session: %v", err)
	}
}

// TestNewtOutboundToLibolmInbound sends from newt to libolm at increasing
// indexes with jumps of 2^16 and 2^24, and to a libolm session made from a
// session key taken at a high index.
func TestNewtOutboundToLibolmInbound(t *testing.T) {
	rng := interopRand(t)
	out := GenerateGroupSession()
	in, err := libolm.NewInboundGroupSession(out.SessionKey().Base64())
	if err != nil {
		t.Fatal(err)
	}
	defer in.Free()
	for _, index := range interopIndexes(rng) {
		if index >= 0x80000000 {
			break
		}
		out.r.advanceTo(index)
		pt := randomBytes(rng, rng.IntN(300))
		m := out.Encrypt(pt)
		got, gotIndex, err := in.Decrypt(m.Base64())
		if err != nil || !bytes.Equal(got, pt) || gotIndex != index {
			t.Fatalf("index %#x: libolm Decrypt = %d, %v", index, gotIndex, err)
		}
	}
	late, err := libolm.NewInboundGroupSession(out.SessionKey().Base64())
	if err != nil {
		t.Fatal(err)
	}
	defer late.Free()
	if late.FirstKnownIndex() != out.MessageIndex() {
		t.Fatal("first known index")
	}
	for range 3 {
		out.r.advanceTo(out.r.counter + rng.Uint32N(1<<24))
		m := out.Encrypt([]byte("jump"))
		if pt, idx, err := late.Decrypt(m.Base64()); err != nil || string(pt) != "jump" || idx != m.Index() {
			t.Fatalf("late libolm session: %v", err)
		}
	}
	// Tampering is rejected by both.
	m := out.Encrypt([]byte("tamper")).Bytes()
	m[len(m)-1] ^= 1
	tampered, _ := NewMessage(m)
	if _, _, err := late.Decrypt(tampered.Base64()); err == nil {
		t.Fatal("libolm accepted a tampered message")
	}
}

// TestLibolmExports exports at random indexes in both directions: each
// side imports the other's export and re-exports it identically, and both
// export the same bytes from the same state.
func TestLibolmExports(t *testing.T) {
	rng := interopRand(t)
	out := GenerateGroupSession()
	out.r.advanceTo(rng.Uint32N(1000))
	sk := out.SessionKey()
	ours, err := NewInboundGroupSession(sk)
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := libolm.NewInboundGroupSession(sk.Base64())
	if err != nil {
		t.Fatal(err)
	}
	defer theirs.Free()
	first := sk.Index()
	for range 20 {
		var index uint32
		switch rng.IntN(3) {
		case 0:
			index = first + rng.Uint32N(300)
		case 1:
			index = first + rng.Uint32N(1<<24)
		default:
			index = first + rng.Uint32N(1<<31)
		}
		e, err := ours.Export(index)
		if err != nil {
			t.Fatal(err)
		}
		want, err := theirs.Export(index)
		if err != nil {
			t.Fatal(err)
		}
		if e.Base64() != want {
			t.Fatalf("exports at %#x differ", index)
		}
		// newt → libolm → export again.
		l, err := libolm.ImportInboundGroupSession(e.Base64())
		if err != nil {
			t.Fatal(err)
		}
		if l.FirstKnownIndex() != index || l.IsVerified() {
			t.Fatal("libolm import state")
		}
		again, err := l.Export(index)
		l.Free()
		if err != nil || again != want {
			t.Fatal("libolm re-export differs")
		}
		// libolm → newt → export again.
		k, err := ParseExportedSessionKey(want)
		if err != nil {
			t.Fatal(err)
		}
		n, err := ImportInboundGroupSession(k)
		if err != nil {
			t.Fatal(err)
		}
		if e2, err := n.Export(index); err != nil || e2.Base64() != want {
			t.Fatal("newt re-export differs")
		}
	}
	// Both refuse an index before the first known one.
	if first > 0 {
		if _, err := ours.Export(first - 1); !errors.Is(err, ErrUnknownMessageIndex) {
			t.Fatal(err)
		}
		if _, err := theirs.Export(first - 1); err == nil {
			t.Fatal("libolm exported below its first known index")
		}
	}
}

// TestLibolmPickles moves pickles of both session types both ways: each
// library loads the other's pickle and re-pickles it byte for byte, for
// fresh, advanced, imported (unverified) and out-of-order states.
func TestLibolmPickles(t *testing.T) {
	rng := interopRand(t)
	out := GenerateGroupSession()
	sk0 := out.SessionKey()
	var msgs []*Message
	for range 4 {
		msgs = append(msgs, out.Encrypt(randomBytes(rng, 40)))
	}
	out.r.advanceTo(out.r.counter + 1<<16 + rng.Uint32N(1<<24))

	// Outbound, newt → libolm → newt.
	p := string(out.Pickle(interopPickleKey))
	lo, err := libolm.OutboundGroupSessionFromPickle(interopPickleKey, p)
	if err != nil {
		t.Fatal(err)
	}
	defer lo.Free()
	if lo.Pickle(interopPickleKey) != p {
		t.Fatal("libolm re-pickle of a newt outbound pickle differs")
	}
	lm, _ := lo.Encrypt([]byte("x"))
	back, err := GroupSessionFromPickle(lo.Pickle(interopPickleKey), interopPickleKey)
	if err != nil {
		t.Fatal(err)
	}
	if string(back.Pickle(interopPickleKey)) != lo.Pickle(interopPickleKey) {
		t.Fatal("newt re-pickle of a libolm outbound pickle differs")
	}
	if out.Encrypt([]byte("x")).Base64() != lm {
		t.Fatal("newt and libolm diverge after the pickle round trip")
	}

	// Inbound states: fresh from a session key; after out-of-order
	// decryptions; imported from an export (unverified).
	sk := out.SessionKey().Base64()
	fresh, _ := ParseSessionKey(sk)
	in, err := NewInboundGroupSession(fresh)
	if err != nil {
		t.Fatal(err)
	}
	early, err := NewInboundGroupSession(sk0)
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{2, 0, 3} {
		if _, _, err := early.Decrypt(msgs[i]); err != nil {
			t.Fatal(err)
		}
	}
	e, _ := early.Export(1)
	imported, _ := ImportInboundGroupSession(e)
	for name, s := range map[string]*InboundGroupSession{"fresh": in, "decrypted": early, "imported": imported} {
		p := string(s.Pickle(interopPickleKey))
		li, err := libolm.InboundGroupSessionFromPickle(interopPickleKey, p)
		if err != nil {
			t.Fatal(name, err)
		}
		if li.Pickle(interopPickleKey) != p {
			t.Fatalf("%s: libolm re-pickle of a newt inbound pickle differs", name)
		}
		if li.IsVerified() != s.IsVerified() || li.FirstKnownIndex() != s.FirstKnownIndex() || li.ID() != s.ID() {
			t.Fatalf("%s: libolm sees a different state", name)
		}
		// libolm decrypts (moving its latest ratchet), then newt loads
		// libolm's pickle and re-pickles it identically.
		if _, _, err := li.Decrypt(msgs[3].Base64()); err != nil && s.FirstKnownIndex() <= 3 {
			t.Fatal(name, err)
		}
		lp := li.Pickle(interopPickleKey)
		li.Free()
		n, err := InboundGroupSessionFromPickle(lp, interopPickleKey)
		if err != nil {
			t.Fatal(name, err)
		}
		if string(n.Pickle(interopPickleKey)) != lp {
			t.Fatalf("%s: newt re-pickle of a libolm inbound pickle differs", name)
		}
		// And the same decryption on newt's side gives the same pickle.
		if _, _, err := s.Decrypt(msgs[3]); err == nil && string(s.Pickle(interopPickleKey)) != lp {
			t.Fatalf("%s: state after the same decryption differs from libolm's", name)
		}
	}
}

// TestLibolmVectors re-checks every answer of testvectors/megolm.json
// against the installed libolm, so the file never holds newt's own output.
func TestLibolmVectors(t *testing.T) {
	vf := testvectors.Load[testvectors.MegolmVectors](t, "megolm.json")
	for _, c := range vf.Inbound {
		var s *libolm.InboundGroupSession
		var err error
		if c.ExportedSessionKey != "" {
			s, err = libolm.ImportInboundGroupSession(c.ExportedSessionKey)
		} else {
			s, err = libolm.NewInboundGroupSession(c.SessionKey)
		}
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		if (c.SessionID != "" && s.ID() != c.SessionID) || s.FirstKnownIndex() != c.FirstKnownIndex {
			t.Fatalf("%s: libolm session state differs", c.Name)
		}
		pt, index, err := s.Decrypt(c.Message)
		s.Free()
		var lerr *libolm.Error
		switch c.Expect {
		case "success":
			if err != nil || string(pt) != c.Plaintext || index != c.Index {
				t.Fatalf("%s: libolm Decrypt = %q %d %v", c.Name, pt, index, err)
			}
		case "bad signature":
			if !errors.As(err, &lerr) || lerr.Name != "BAD_SIGNATURE" {
				t.Fatalf("%s: libolm error %v", c.Name, err)
			}
		case "invalid":
			if !errors.As(err, &lerr) || lerr.Name != "INVALID_BASE64" {
				t.Fatalf("%s: libolm error %v", c.Name, err)
			}
		default:
			t.Fatalf("%s: unknown expect %q", c.Name, c.Expect)
		}
	}

	v := vf.Outbound
	random, err := hex.DecodeString(v.RandomHex)
	if err != nil {
		t.Fatal(err)
	}
	key := []byte(v.PickleKey)
	out, err := libolm.NewOutboundGroupSession(random)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Free()
	check := func(what, got, want string) {
		t.Helper()
		if got != want {
			t.Fatalf("%s: libolm gives %s, file has %s", what, got, want)
		}
	}
	check("session id", out.ID(), v.SessionID)
	check("session key @0", out.SessionKey(), v.SessionKey0)
	check("pickle @0", out.Pickle(key), v.OutboundPickle0)
	in, err := libolm.NewInboundGroupSession(v.SessionKey0)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Free()
	check("inbound pickle", in.Pickle(key), v.InboundPickleFresh)
	for i, pt := range v.Plaintexts {
		m, err := out.Encrypt([]byte(pt))
		if err != nil {
			t.Fatal(err)
		}
		check("message", m, v.Messages[i])
	}
	check("session key @2", out.SessionKey(), v.SessionKey2)
	check("pickle @2", out.Pickle(key), v.OutboundPickle2)
	// Exports before the decryptions: libolm's export at 1 moves its latest
	// ratchet to 1, which the decryption of index 1 would do anyway.
	e0, _ := in.Export(0)
	e1, _ := in.Export(1)
	check("export @0", e0, v.Export0)
	check("export @1", e1, v.Export1)
	for _, i := range []int{1, 0} {
		if _, _, err := in.Decrypt(v.Messages[i]); err != nil {
			t.Fatal(err)
		}
	}
	check("inbound pickle after 1, 0", in.Pickle(key), v.InboundPickleAfter1_0)
	imp, err := libolm.ImportInboundGroupSession(v.Export1)
	if err != nil {
		t.Fatal(err)
	}
	defer imp.Free()
	if _, _, err := imp.Decrypt(v.Messages[0]); err == nil {
		t.Fatal("libolm decrypted index 0 from an export at 1")
	}
}
