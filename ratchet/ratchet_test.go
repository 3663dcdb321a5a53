// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package ratchet

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/internal/x25519"
)

// pair returns a connected Alice (initiator) and Bob from a fixed secret.
func pair(t testing.TB) (alice, bob *Ratchet) {
	t.Helper()
	secret := newttest.Seq(1, 96)
	alice, err := NewOutbound(secret, newttest.Seq(0x50, 32))
	if err != nil {
		t.Fatal(err)
	}
	return alice, NewInbound(secret, pubOf(newttest.Seq(0x50, 32)))
}

func mustEncrypt(t testing.TB, r *Ratchet, pt string) []byte {
	t.Helper()
	m, err := r.Encrypt([]byte(pt))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func mustDecrypt(t testing.TB, r *Ratchet, m []byte, want string) {
	t.Helper()
	pt, err := r.Decrypt(m)
	if err != nil {
		t.Fatalf("decrypt %q: %v", want, err)
	}
	if string(pt) != want {
		t.Fatalf("decrypt = %q, want %q", pt, want)
	}
}

// errGap stands for any *MessageGapError in failUnchanged.
var errGap = errors.New("any message gap error")

// failUnchanged decrypts m, expects an error matching target (nil: any
// error; errGap: a *MessageGapError), and checks that the ratchet did not
// change.
func failUnchanged(t testing.TB, r *Ratchet, m []byte, target error) {
	t.Helper()
	before := *r.st()
	pt, err := r.Decrypt(m)
	var gap *MessageGapError
	switch {
	case err == nil:
		t.Fatal("decrypt succeeded")
	case target == nil:
	case target == errGap:
		if !errors.As(err, &gap) {
			t.Fatalf("decrypt error = %v, want a *MessageGapError", err)
		}
	case !errors.Is(err, target):
		t.Fatalf("decrypt error = %v, want %v", err, target)
	}
	if pt != nil {
		t.Fatal("plaintext returned with an error")
	}
	if *r.st() != before {
		t.Fatal("failed decrypt changed the ratchet")
	}
}

func TestRoundTripAndTurns(t *testing.T) {
	alice, bob := pair(t)
	for turn := range 20 {
		for i := range turn % 4 {
			msg := fmt.Sprintf("a%d.%d", turn, i)
			mustDecrypt(t, bob, mustEncrypt(t, alice, msg), msg)
		}
		msg := fmt.Sprintf("b%d", turn)
		mustDecrypt(t, alice, mustEncrypt(t, bob, msg), msg)
		alice, bob = bob, alice
	}
}

func TestEmptyAndLargePlaintext(t *testing.T) {
	alice, bob := pair(t)
	for _, n := range []int{0, 1, 15, 16, 17, 127, 128, 4096, 100000} {
		pt := bytes.Repeat([]byte{byte(n)}, n)
		m, err := alice.Encrypt(pt)
		if err != nil {
			t.Fatal(err)
		}
		got, err := bob.Decrypt(m)
		if err != nil || !bytes.Equal(got, pt) {
			t.Fatalf("n=%d: %v", n, err)
		}
	}
}

func TestEncryptedLen(t *testing.T) {
	alice, bob := pair(t)
	for _, n := range []int{0, 5, 16, 200, 5000} {
		want := alice.EncryptedLen(n)
		m := mustEncrypt(t, alice, strings.Repeat("x", n))
		if len(m) != want {
			t.Errorf("n=%d: len %d, EncryptedLen %d", n, len(m), want)
		}
		mustDecrypt(t, bob, m, strings.Repeat("x", n))
	}
	// A new sender chain starts at index 0.
	want := bob.EncryptedLen(3)
	if m := mustEncrypt(t, bob, "abc"); len(m) != want {
		t.Errorf("new chain: len %d, EncryptedLen %d", len(m), want)
	}
}

// TestMessageGap checks libolm's MAX_MESSAGE_GAP (src/ratchet.cpp,
// verify_mac_and_decrypt_for_new_chain): counter 2001 on a fresh chain fails,
// and 2001 from index 1 (a gap of exactly 2000) succeeds.
func TestMessageGap(t *testing.T) {
	alice, bob := pair(t)
	mustDecrypt(t, alice, mustEncrypt(t, bob, "x"), "x") // Alice's next chain is new for Bob
	var msgs [][]byte
	for i := 0; i <= 2001; i++ {
		msgs = append(msgs, mustEncrypt(t, alice, fmt.Sprint(i)))
	}
	failUnchanged(t, bob, msgs[2001], errGap)
	var gap *MessageGapError
	_, err := bob.Decrypt(msgs[2001])
	if !errors.As(err, &gap) || gap.Gap != 2001 || gap.Max != MaxMessageGap {
		t.Fatalf("gap error = %v", err)
	}
	mustDecrypt(t, bob, msgs[0], "0")
	mustDecrypt(t, bob, msgs[2001], "2001")
	// The 40 newest skipped keys are kept: 2000..1961.
	mustDecrypt(t, bob, msgs[1961], "1961")
	failUnchanged(t, bob, msgs[1960], ErrMissingMessageKey)

	// The same on an existing chain: from index 2002, 4003 is a gap of 2001.
	var more [][]byte
	for i := 2002; i <= 4003; i++ {
		more = append(more, mustEncrypt(t, alice, fmt.Sprint(i)))
	}
	failUnchanged(t, bob, more[len(more)-1], errGap)
	mustDecrypt(t, bob, more[len(more)-2], "4002")
}

// TestReceiverChainLimit checks libolm's MAX_RECEIVER_CHAINS
// (include/olm/ratchet.hh): after 8 ratchet turns Alice keeps 5 receiver
// chains and messages on the 3 oldest fail.
func TestReceiverChainLimit(t *testing.T) {
	alice, bob := pair(t)
	mustDecrypt(t, bob, mustEncrypt(t, alice, "hi"), "hi")
	var late [][]byte
	for turn := range 8 {
		late = append(late, mustEncrypt(t, bob, fmt.Sprint("late", turn)))
		mustDecrypt(t, alice, mustEncrypt(t, bob, "b"), "b")
		mustDecrypt(t, bob, mustEncrypt(t, alice, "a"), "a")
	}
	if alice.st().numReceivers != MaxReceiverChains {
		t.Fatalf("Alice has %d receiver chains", alice.st().numReceivers)
	}
	for turn := range 3 {
		failUnchanged(t, alice, late[turn], ErrBadMAC)
	}
	for turn := 3; turn < 8; turn++ {
		mustDecrypt(t, alice, late[turn], fmt.Sprint("late", turn))
	}
}

// TestSkippedKeys44 checks libolm's MAX_SKIPPED_MESSAGE_KEYS
// (include/olm/ratchet.hh): receiving message 44 first keeps the skipped keys
// of indices 43..4.
func TestSkippedKeys44(t *testing.T) {
	alice, bob := pair(t)
	var msgs [][]byte
	for i := range 45 {
		msgs = append(msgs, mustEncrypt(t, alice, fmt.Sprint(i)))
	}
	mustDecrypt(t, bob, msgs[44], "44")
	var want strings.Builder
	want.WriteString("sender chain index: 0 receiver chain indices: 45 skipped message keys:")
	for i := 43; i >= 4; i-- {
		fmt.Fprintf(&want, " %d", i)
	}
	if got := bob.Describe(); got != want.String() {
		t.Fatalf("Describe = %q\nwant      %q", got, want.String())
	}
	failUnchanged(t, bob, msgs[3], ErrMissingMessageKey)
	mustDecrypt(t, bob, msgs[4], "4")
	mustDecrypt(t, bob, msgs[20], "20")
	failUnchanged(t, bob, msgs[20], ErrMissingMessageKey) // replay of a skipped key
	if bob.st().numSkipped != 38 {
		t.Fatalf("%d skipped keys, want 38", bob.st().numSkipped)
	}
}

// TestSkippedKeyEviction checks that the 41st skipped key pushes out the
// oldest, across chains (libolm keeps one list).
func TestSkippedKeyEviction(t *testing.T) {
	alice, bob := pair(t)
	var first [][]byte
	for i := range 41 {
		first = append(first, mustEncrypt(t, alice, fmt.Sprint(i)))
	}
	mustDecrypt(t, bob, first[40], "40") // skips 0..39: the list is full
	if bob.st().numSkipped != 40 {
		t.Fatalf("%d skipped keys", bob.st().numSkipped)
	}
	mustDecrypt(t, alice, mustEncrypt(t, bob, "r"), "r")
	m0 := mustEncrypt(t, alice, "n0")
	m1 := mustEncrypt(t, alice, "n1")
	mustDecrypt(t, bob, m1, "n1") // skips n0: evicts index 0 of the first chain
	if bob.st().numSkipped != 40 || bob.st().skipped[0].index != 0 || bob.st().skipped[39].index != 1 {
		t.Fatalf("skipped list: %s", bob.Describe())
	}
	failUnchanged(t, bob, first[0], ErrMissingMessageKey)
	mustDecrypt(t, bob, first[1], "1")
	mustDecrypt(t, bob, m0, "n0")
}

func TestReplay(t *testing.T) {
	alice, bob := pair(t)
	m := mustEncrypt(t, alice, "once")
	mustDecrypt(t, bob, m, "once")
	failUnchanged(t, bob, m, ErrMissingMessageKey)
	r := mustEncrypt(t, bob, "reply")
	mustDecrypt(t, alice, r, "reply")
	failUnchanged(t, alice, r, ErrMissingMessageKey)
}

func TestFailuresLeaveStateUnchanged(t *testing.T) {
	alice, bob := pair(t)
	mustDecrypt(t, bob, mustEncrypt(t, alice, "0"), "0")
	mustDecrypt(t, alice, mustEncrypt(t, bob, "1"), "1")
	good := mustEncrypt(t, alice, "good") // a new chain for Bob

	// Every bit flip fails and changes nothing.
	for i := range len(good) * 8 {
		bad := bytes.Clone(good)
		bad[i/8] ^= 1 << (i % 8)
		before := *bob.st()
		if _, err := bob.Decrypt(bad); err == nil {
			t.Fatalf("bit %d: flipped message decrypted", i)
		}
		if *bob.st() != before {
			t.Fatalf("bit %d: state changed", i)
		}
	}
	// Every truncation and extension fails.
	for n := range len(good) {
		failUnchanged(t, bob, good[:n], nil)
	}
	failUnchanged(t, bob, append(bytes.Clone(good), 0), nil)

	bad := bytes.Clone(good)
	bad[0] = 2
	failUnchanged(t, bob, bad, ErrBadVersion)
	failUnchanged(t, bob, []byte{3, 1, 2, 3, 4, 5, 6, 7, 8}, ErrBadMessageFormat)

	stranger, err := NewOutbound(newttest.Seq(9, 96), newttest.Seq(0x77, 32))
	if err != nil {
		t.Fatal(err)
	}
	unknown := mustEncrypt(t, stranger, "?")
	// Bob has a sender chain now (he replied): a new chain with a bad MAC.
	failUnchanged(t, bob, unknown, ErrBadMAC)
	mustDecrypt(t, bob, good, "good")
	// Now Bob's sender chain is gone: an unknown chain.
	failUnchanged(t, bob, unknown, ErrUnknownChain)
}

// TestLowOrderRatchetKey checks that both ratchet steps refuse a low-order
// peer ratchet key, changing nothing.
func TestLowOrderRatchetKey(t *testing.T) {
	for i, low := range newttest.LowOrderKeys(t) {
		// Encrypt: Bob's first reply ratchets against Alice's T_0.
		bob := NewInbound(newttest.Seq(1, 96), low)
		before := *bob.st()
		if _, err := bob.Encrypt([]byte("x")); !errors.Is(err, ErrNonContributory) || !errors.Is(err, x25519.ErrNonContributory) {
			t.Fatalf("point %d: Encrypt error %v", i, err)
		}
		if *bob.st() != before {
			t.Fatalf("point %d: failed Encrypt changed the ratchet", i)
		}

		// Decrypt: a message on a new chain with a low-order ratchet key.
		alice, bob2 := pair(t)
		mustDecrypt(t, bob2, mustEncrypt(t, alice, "a"), "a")
		mustDecrypt(t, alice, mustEncrypt(t, bob2, "b"), "b")
		forged := mustEncrypt(t, alice, "c")
		k := low.Array()
		forged[0], forged[1], forged[2] = Version, 0x0A, KeySize
		copy(forged[3:], k[:])
		failUnchanged(t, bob2, forged, ErrNonContributory)
	}
}

func TestNoChain(t *testing.T) {
	var r Ratchet
	if _, err := r.Encrypt([]byte("x")); !errors.Is(err, ErrNoChain) {
		t.Fatalf("zero ratchet Encrypt: %v", err)
	}
	if _, err := NewOutbound(nil, make([]byte, 31)); !errors.Is(err, ErrRandomSize) {
		t.Fatalf("short ratchet key: %v", err)
	}
	_, bob := pair(t)
	if _, err := bob.AppendEncrypt(nil, nil, make([]byte, 5)); !errors.Is(err, ErrRandomSize) {
		t.Fatalf("short randomness: %v", err)
	}
}

func TestStringHasNoSecrets(t *testing.T) {
	alice, _ := pair(t)
	s := alice.String()
	for _, secret := range [][]byte{alice.st().rootKey[:], alice.st().sender.ratchetPriv[:], alice.st().sender.chain.key[:]} {
		if strings.Contains(s, hex.EncodeToString(secret)) || strings.Contains(s, fmt.Sprint(secret)) {
			t.Fatal("String leaks a secret")
		}
	}
	if s != "ratchet: sender chain index: 0 receiver chain indices: skipped message keys:" {
		t.Fatalf("String = %q", s)
	}
}

func TestClear(t *testing.T) {
	alice, _ := pair(t)
	alice.Clear()
	if *alice.st() != (state{}) {
		t.Fatal("Clear left state behind")
	}
}

func TestLibolmEncoding(t *testing.T) {
	alice, bob := pair(t)
	for i := range 50 {
		mustDecrypt(t, bob, mustEncrypt(t, alice, "a"), "a")
		if i%3 == 0 {
			mustEncrypt(t, alice, "lost") // leaves a skipped key behind
		}
		if i%7 == 0 {
			mustDecrypt(t, alice, mustEncrypt(t, bob, "b"), "b")
		}
	}
	for _, r := range []*Ratchet{alice, bob} {
		enc := r.AppendLibolm([]byte("prefix"))[6:]
		if len(enc) != r.LibolmLen() {
			t.Fatalf("LibolmLen %d, encoding %d", r.LibolmLen(), len(enc))
		}
		var back Ratchet
		n, err := back.UnmarshalLibolm(append(bytes.Clone(enc), "suffix"...))
		if err != nil || n != len(enc) || *back.st() != *r.st() {
			t.Fatalf("round trip: n=%d, %v", n, err)
		}
		// Every truncation fails and leaves the target unchanged.
		for k := range len(enc) {
			target := r.Clone()
			if _, err := target.UnmarshalLibolm(enc[:k]); !errors.Is(err, ErrCorruptedPickle) || *target.st() != *r.st() {
				t.Fatalf("truncation to %d: %v", k, err)
			}
		}
	}
	// Counts beyond the capacities are rejected before reading on.
	for _, c := range []struct {
		off  int
		list string
	}{{32, "sender"}, {32 + 4, "receiver"}, {32 + 8, "skipped"}} {
		var empty Ratchet
		enc := empty.AppendLibolm(nil)
		enc[c.off] = 0xFF
		var r Ratchet
		if _, err := r.UnmarshalLibolm(enc); !errors.Is(err, ErrCorruptedPickle) {
			t.Errorf("huge %s count: %v", c.list, err)
		}
	}
}

// TestConstantSizes pins the exported constants to libolm's (src/ratchet.cpp,
// include/olm/ratchet.hh, include/olm/crypto.h).
func TestConstantSizes(t *testing.T) {
	for _, c := range []struct {
		name      string
		got, want int
	}{
		{"Version", Version, 3}, {"MACSize", MACSize, 8}, {"KeySize", KeySize, 32},
		{"RandomSize", RandomSize, 32}, {"MaxReceiverChains", MaxReceiverChains, 5},
		{"MaxSkippedMessageKeys", MaxSkippedMessageKeys, 40}, {"MaxMessageGap", MaxMessageGap, 2000},
		{"RandomSize = x25519.PrivateKeySize", RandomSize, x25519.PrivateKeySize},
	} {
		if c.got != c.want {
			t.Errorf("%s = %d, want %d", c.name, c.got, c.want)
		}
	}
}
