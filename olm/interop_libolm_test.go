// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

//go:build libolm

package olm

// Differential tests against libolm 3.2 through internal/libolm (cgo). Each
// party of a conversation runs newt and libolm side by side, fed the same
// random bytes, so their states must stay byte-identical: after every step
// the newt and libolm pickles of every account and session are compared.
// Every message one implementation encrypts must equal the other's, and is
// decrypted by both implementations of the receiving party. At random
// points objects are moved between the implementations through their
// pickles (libolm loads newt's pickles and vice versa).

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/internal/libolm"
)

// twin is one party: its account and session in both implementations.
type twin struct {
	name  string
	acct  *Account
	lacct *libolm.Account
	sess  *Session
	lsess *libolm.Session
}

// inFlight is a message on its way to a party.
type inFlight struct {
	typ   MessageType
	body  string
	pt    []byte
	chain int // the sender's chain number, to respect MaxReceiverChains
}

type conversation struct {
	t       *testing.T
	rng     *rand.Rand
	key     []byte
	a, b    *twin
	queue   map[*twin][]inFlight // messages to each party
	done    map[*twin][]inFlight // delivered messages, for replays
	chains  map[*twin]int        // the sender's chain counter
	lastKey map[*twin]newt.Curve25519PublicKey
	sent    int
	arrived int
	stats   *interopStats
}

// interopStats counts what the conversations exercised.
type interopStats struct {
	messages, outOfOrder, swaps, attacks, accountOps int
}

func (c *conversation) random(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(c.rng.Uint32())
	}
	return b
}

func (c *conversation) fatalf(format string, args ...any) {
	c.t.Helper()
	c.t.Fatalf(format, args...)
}

// check compares every observable of both implementations of p.
func (c *conversation) check(p *twin, what string) {
	c.t.Helper()
	if got, want := string(p.acct.Pickle(c.key)), p.lacct.Pickle(c.key); got != want {
		c.fatalf("%s: %s: account pickles differ\nnewt   %s\nlibolm %s", p.name, what, got, want)
	}
	if p.sess == nil {
		return
	}
	if got, want := string(p.sess.Pickle(c.key)), p.lsess.Pickle(c.key); got != want {
		c.fatalf("%s: %s: session pickles differ\nnewt   %s\nlibolm %s", p.name, what, got, want)
	}
	if got, want := p.sess.Describe(), p.lsess.Describe(); got != want {
		c.fatalf("%s: %s: Describe differs\nnewt   %s\nlibolm %s", p.name, what, got, want)
	}
	if p.sess.ID() != p.lsess.ID() || p.sess.HasReceivedMessage() != p.lsess.HasReceivedMessage() ||
		int(p.sess.MessageType()) != p.lsess.EncryptMessageType() {
		c.fatalf("%s: %s: session ID, received flag or message type differ", p.name, what)
	}
}

func (c *conversation) checkAccountOutputs(p *twin) {
	c.t.Helper()
	if got, want := string(p.acct.IdentityKeysJSON()), p.lacct.IdentityKeys(); got != want {
		c.fatalf("%s: identity keys %s, libolm %s", p.name, got, want)
	}
	msg := c.random(c.rng.IntN(64))
	if got, want := p.acct.Sign(msg).String(), p.lacct.Sign(msg); got != want {
		c.fatalf("%s: signature %s, libolm %s", p.name, got, want)
	}
	if got, want := string(p.acct.OneTimeKeysJSON()), p.lacct.OneTimeKeys(); got != want {
		c.fatalf("%s: one-time keys %s, libolm %s", p.name, got, want)
	}
	if got, want := string(p.acct.FallbackKeyJSON()), p.lacct.FallbackKey(); got != want {
		c.fatalf("%s: fallback key %s, libolm %s", p.name, got, want)
	}
	if got, want := string(p.acct.UnpublishedFallbackKeyJSON()), p.lacct.UnpublishedFallbackKey(); got != want {
		c.fatalf("%s: unpublished fallback key %s, libolm %s", p.name, got, want)
	}
	c.checkSignedKeys(p)
}

// checkSignedKeys checks the /keys/upload objects of p's account against
// libolm: each signature must be libolm's olm_account_sign of the object's
// canonical JSON without "signatures", written out here by hand, and the
// keys must be libolm's unpublished keys.
func (c *conversation) checkSignedKeys(p *twin) {
	c.t.Helper()
	const user, device = "@alice:example.org", "DEVICE"
	type keyObject struct {
		Fallback   bool                         `json:"fallback"`
		Key        string                       `json:"key"`
		Signatures map[string]map[string]string `json:"signatures"`
	}
	for _, fallback := range []bool{false, true} {
		var libolmKeys struct {
			Curve25519 map[string]string `json:"curve25519"`
		}
		var text []byte
		var err error
		if fallback {
			text, err = p.acct.SignedFallbackKeyJSON(user, device)
			err = errors.Join(err, json.Unmarshal([]byte(p.lacct.UnpublishedFallbackKey()), &libolmKeys))
		} else {
			text, err = p.acct.SignedOneTimeKeysJSON(user, device)
			err = errors.Join(err, json.Unmarshal([]byte(p.lacct.OneTimeKeys()), &libolmKeys))
		}
		var objs map[string]keyObject
		if err := errors.Join(err, json.Unmarshal(text, &objs)); err != nil {
			c.fatalf("%s: signed keys: %v", p.name, err)
		}
		if len(objs) != len(libolmKeys.Curve25519) {
			c.fatalf("%s: %d signed keys, libolm has %d unpublished", p.name, len(objs), len(libolmKeys.Curve25519))
		}
		for id, key := range libolmKeys.Curve25519 {
			obj, ok := objs["signed_curve25519:"+id]
			if !ok || obj.Key != key || obj.Fallback != fallback {
				c.fatalf("%s: signed key %s = %+v, libolm %s", p.name, id, obj, key)
			}
			signed := `{"key":"` + key + `"}`
			if fallback {
				signed = `{"fallback":true,"key":"` + key + `"}`
			}
			if got, want := obj.Signatures[user]["ed25519:"+device], p.lacct.Sign([]byte(signed)); got != want {
				c.fatalf("%s: signature of key %s is %s, libolm signs %s", p.name, id, got, want)
			}
		}
	}
	var ids struct{ Curve25519, Ed25519 string }
	if err := json.Unmarshal([]byte(p.lacct.IdentityKeys()), &ids); err != nil {
		c.fatalf("%s: libolm identity keys: %v", p.name, err)
	}
	unsigned := `{"algorithms":["m.olm.v1.curve25519-aes-sha2","m.megolm.v1.aes-sha2"],"device_id":"DEVICE",` +
		`"keys":{"curve25519:DEVICE":"` + ids.Curve25519 + `","ed25519:DEVICE":"` + ids.Ed25519 + `"},"user_id":"@alice:example.org"}`
	want := unsigned[:len(unsigned)-len(`"user_id":"@alice:example.org"}`)] +
		`"signatures":{"@alice:example.org":{"ed25519:DEVICE":"` + p.lacct.Sign([]byte(unsigned)) + `"}},"user_id":"@alice:example.org"}`
	got, err := p.acct.DeviceKeysJSON(user, device)
	if err != nil || string(got) != want {
		c.fatalf("%s: device keys %s, %v; want %s", p.name, got, err, want)
	}
}

func (c *conversation) newTwin(name string) *twin {
	random := c.random(64)
	la, err := libolm.NewAccount(random)
	if err != nil {
		c.fatalf("libolm.NewAccount: %v", err)
	}
	p := &twin{name: name, acct: newAccount((*[64]byte)(random)), lacct: la}
	c.checkAccountOutputs(p)
	c.check(p, "new account")
	return p
}

// accountOp runs a random key-management operation on both implementations.
func (c *conversation) accountOp(p *twin) {
	op := c.rng.IntN(4)
	if p == c.b && p.sess == nil && c.a != nil && c.a.sess != nil {
		op = 2 // do not drop the key Alice's session uses before Bob has it
	}
	c.stats.accountOps++
	switch op {
	case 0:
		n := c.rng.IntN(8)
		if c.rng.IntN(20) == 0 {
			n = 95 + c.rng.IntN(10) // around the capacity
		}
		random := c.random(32 * n)
		if err := p.lacct.GenerateOneTimeKeys(n, random); err != nil {
			c.fatalf("libolm GenerateOneTimeKeys: %v", err)
		}
		p.acct.mu.Lock()
		p.acct.generateOneTimeKeys(n, random[32*(n-min(n, MaxOneTimeKeys)):])
		p.acct.mu.Unlock()
	case 1:
		random := c.random(32)
		if err := p.lacct.GenerateFallbackKey(random); err != nil {
			c.fatalf("libolm GenerateFallbackKey: %v", err)
		}
		p.acct.mu.Lock()
		p.acct.generateFallbackKey((*[32]byte)(random))
		p.acct.mu.Unlock()
	case 2:
		if got, want := p.acct.MarkKeysAsPublished(), p.lacct.MarkKeysAsPublished(); got != want {
			c.fatalf("MarkKeysAsPublished = %d, libolm %d", got, want)
		}
	case 3:
		p.acct.ForgetOldFallbackKey()
		p.lacct.ForgetOldFallbackKey()
	}
	c.checkAccountOutputs(p)
	c.check(p, "account operation")
}

// swap moves one of p's objects from one implementation to the other
// through its pickle.
func (c *conversation) swap(p *twin) {
	c.stats.swaps++
	toLibolm := c.rng.IntN(2) == 0
	if p.sess == nil || c.rng.IntN(2) == 0 {
		if toLibolm {
			la, err := libolm.AccountFromPickle(c.key, string(p.acct.Pickle(c.key)))
			if err != nil {
				c.fatalf("libolm cannot load newt's account pickle: %v", err)
			}
			p.lacct.Free()
			p.lacct = la
		} else {
			a, err := AccountFromPickle(p.lacct.Pickle(c.key), c.key)
			if err != nil {
				c.fatalf("newt cannot load libolm's account pickle: %v", err)
			}
			p.acct = a
		}
	} else {
		if toLibolm {
			ls, err := libolm.SessionFromPickle(c.key, string(p.sess.Pickle(c.key)))
			if err != nil {
				c.fatalf("libolm cannot load newt's session pickle: %v", err)
			}
			p.lsess.Free()
			p.lsess = ls
		} else {
			s, err := SessionFromPickle(p.lsess.Pickle(c.key), c.key)
			if err != nil {
				c.fatalf("newt cannot load libolm's session pickle: %v", err)
			}
			p.sess = s
		}
	}
	c.check(p, "swap")
}

// send encrypts a random plaintext from p to q with both implementations.
func (c *conversation) send(p, q *twin) {
	pt := c.random(c.rng.IntN(120))
	var random []byte
	if n := p.lsess.EncryptRandomLength(); n > 0 {
		if !p.sess.ratchet.NeedsRandom() || n != 32 {
			c.fatalf("random length %d disagrees", n)
		}
		random = c.random(n)
	} else if p.sess.ratchet.NeedsRandom() {
		c.fatalf("newt wants randomness, libolm does not")
	}
	lt, lmsg, err := p.lsess.Encrypt(pt, random)
	if err != nil {
		c.fatalf("libolm Encrypt: %v", err)
	}
	p.sess.mu.Lock()
	m, err := p.sess.encrypt(pt, random)
	p.sess.mu.Unlock()
	if err != nil {
		c.fatalf("newt encrypt: %v", err)
	}
	if int(m.Type()) != lt || m.Base64() != lmsg {
		c.fatalf("%s: messages differ\nnewt   %d %s\nlibolm %d %s", p.name, m.Type(), m.Base64(), lt, lmsg)
	}
	var rk newt.Curve25519PublicKey
	switch m := m.(type) {
	case *Message:
		rk = m.RatchetKey()
	case *PreKeyMessage:
		rk = m.Message().RatchetKey()
	}
	if rk != c.lastKey[p] {
		c.chains[p]++
		c.lastKey[p] = rk
	}
	c.queue[q] = append(c.queue[q], inFlight{typ: m.Type(), body: m.Base64(), pt: pt, chain: c.chains[p]})
	c.sent++
	c.check(p, "encrypt")
}

// deliver hands a pending message to q, out of order but within the
// limits: never more than 4 sender chains apart from an older pending one.
func (c *conversation) deliver(q *twin) {
	pending := c.queue[q]
	i := c.rng.IntN(len(pending))
	for j := range pending {
		if pending[i].chain-pending[j].chain >= 4 {
			i = j
			break
		}
	}
	m := pending[i]
	if i != 0 {
		c.stats.outOfOrder++
	}
	c.queue[q] = append(pending[:i:i], pending[i+1:]...)

	if q.sess == nil {
		if m.typ != MessageTypePreKey {
			c.fatalf("first message to %s is not a pre-key message", q.name)
		}
		ls, err := libolm.NewInboundSession(q.lacct, m.body)
		if err != nil {
			c.fatalf("libolm NewInboundSession: %v", err)
		}
		lpt, err := ls.Decrypt(int(m.typ), m.body)
		if err != nil {
			c.fatalf("libolm first decrypt: %v", err)
		}
		if err := q.lacct.RemoveOneTimeKeys(ls); err != nil {
			c.fatalf("libolm RemoveOneTimeKeys: %v", err)
		}
		pre, err := ParsePreKeyMessage(m.body)
		if err != nil {
			c.fatalf("parse: %v", err)
		}
		var s *Session
		var pt []byte
		if c.rng.IntN(2) == 0 {
			s, pt, err = q.acct.NewInboundSessionFrom(pre.IdentityKey(), pre)
		} else {
			s, pt, err = q.acct.NewInboundSession(pre)
		}
		if err != nil {
			c.fatalf("newt NewInboundSession: %v", err)
		}
		if !bytes.Equal(pt, m.pt) || !bytes.Equal(lpt, m.pt) {
			c.fatalf("first plaintext differs")
		}
		q.sess, q.lsess = s, ls
	} else {
		c.decryptBoth(q, m, true)
	}
	c.done[q] = append(c.done[q], m)
	c.arrived++
	c.check(q, "deliver")
}

// decryptBoth decrypts m in both implementations of q; they must agree,
// and a failure must leave both unchanged.
func (c *conversation) decryptBoth(q *twin, m inFlight, mustSucceed bool) {
	c.t.Helper()
	before := q.lsess.Pickle(c.key)
	lpt, lerr := q.lsess.Decrypt(int(m.typ), m.body)
	var pt []byte
	msg, err := ParseEncryptedMessage(m.typ, m.body)
	if err == nil {
		pt, err = q.sess.Decrypt(msg)
	}
	switch {
	case (err == nil) != (lerr == nil):
		c.fatalf("%s: newt error %v, libolm error %v", q.name, err, lerr)
	case err != nil:
		if mustSucceed {
			c.fatalf("%s: decrypt failed: %v / %v", q.name, err, lerr)
		}
		if q.lsess.Pickle(c.key) != before {
			c.fatalf("libolm changed on failure")
		}
	case !bytes.Equal(pt, lpt) || (m.pt != nil && !bytes.Equal(pt, m.pt)):
		c.fatalf("%s: plaintexts differ", q.name)
	}
}

// attack delivers a corrupted or replayed message to q: both
// implementations must fail and stay unchanged.
func (c *conversation) attack(q *twin) {
	if q.sess == nil {
		return
	}
	var pool []inFlight
	pool = append(pool, c.queue[q]...)
	pool = append(pool, c.done[q]...)
	if len(pool) == 0 {
		return
	}
	m := pool[c.rng.IntN(len(pool))]
	replay := false
	for _, d := range c.done[q] {
		if d.body == m.body {
			replay = true
		}
	}
	if !replay || c.rng.IntN(2) == 0 {
		raw, err := b64decode(m.body)
		if err != nil {
			c.fatalf("b64: %v", err)
		}
		// libolm ignores the pre-key wrapper on decrypt (newt checks it),
		// so corrupt only the (inner) message.
		start := 0
		if m.typ == MessageTypePreKey {
			p, _ := ParsePreKeyMessage(m.body)
			start = len(raw) - len(p.inner.raw)
		}
		bit := c.rng.IntN(8 * (len(raw) - start))
		raw[start+bit/8] ^= 1 << (bit % 8)
		m = inFlight{typ: m.typ, body: b64encode(raw)}
	}
	m.pt = nil
	c.stats.attacks++
	c.decryptBoth(q, m, false)
	c.check(q, "attack")
}

func runConversation(t *testing.T, seed uint64, stats *interopStats) {
	var s [32]byte
	binary.LittleEndian.PutUint64(s[:], seed)
	c := &conversation{
		t:       t,
		rng:     rand.New(rand.NewChaCha8(s)),
		queue:   map[*twin][]inFlight{},
		done:    map[*twin][]inFlight{},
		chains:  map[*twin]int{},
		lastKey: map[*twin]newt.Curve25519PublicKey{},
		stats:   stats,
	}
	c.key = c.random(c.rng.IntN(40))
	alice, bob := c.newTwin("Alice"), c.newTwin("Bob")
	c.a, c.b = alice, bob
	defer func() {
		for _, p := range []*twin{alice, bob} {
			p.lacct.Free()
			if p.lsess != nil {
				p.lsess.Free()
			}
		}
	}()

	// Bob publishes keys; Alice picks a one-time key or his fallback key.
	for range 1 + c.rng.IntN(3) {
		c.accountOp(bob)
	}
	if len(bob.acct.k().oneTimeKeys) == 0 && bob.acct.numFallback == 0 {
		random := c.random(32)
		bob.lacct.GenerateOneTimeKeys(1, random)
		bob.acct.generateOneTimeKeys(1, random)
		c.check(bob, "one key")
	}
	var target [32]byte
	switch {
	case bob.acct.numFallback > 0 && (len(bob.acct.k().oneTimeKeys) == 0 || c.rng.IntN(3) == 0):
		target = bob.acct.k().fallback.pub
		if bob.acct.numFallback == 2 && c.rng.IntN(2) == 0 {
			target = bob.acct.k().prevFallback.pub
		}
	default:
		target = bob.acct.k().oneTimeKeys[c.rng.IntN(len(bob.acct.k().oneTimeKeys))].pub
	}
	bobID := bob.acct.IdentityKeys().Curve25519
	otk := newt.Curve25519PublicKeyFromArray(target)
	random := c.random(64)
	ls, err := libolm.NewOutboundSession(alice.lacct, bobID.String(), otk.String(), random)
	if err != nil {
		t.Fatalf("libolm NewOutboundSession: %v", err)
	}
	as, err := alice.acct.newOutboundSession(bobID, otk, (*[64]byte)(random))
	if err != nil {
		t.Fatalf("NewOutboundSession: %v", err)
	}
	alice.sess, alice.lsess = as, ls
	c.check(alice, "outbound session")
	c.send(alice, bob)

	steps := 30 + c.rng.IntN(50)
	for range steps {
		p, q := alice, bob
		if c.rng.IntN(2) == 0 {
			p, q = bob, alice
		}
		switch r := c.rng.IntN(100); {
		case r < 40:
			if p.sess != nil && len(c.queue[q]) < 8 {
				c.send(p, q)
			}
		case r < 80:
			if len(c.queue[q]) > 0 {
				c.deliver(q)
			}
		case r < 88:
			c.swap(p)
		case r < 95:
			c.attack(q)
		default:
			c.accountOp(p)
		}
	}
	for _, q := range []*twin{alice, bob} {
		for len(c.queue[q]) > 0 {
			c.deliver(q)
		}
	}
	if c.arrived != c.sent {
		t.Fatalf("%d of %d messages arrived", c.arrived, c.sent)
	}
	stats.messages += c.sent
}

// TestInteropConversations runs 200 randomized conversations (fixed seeds).
func TestInteropConversations(t *testing.T) {
	n := 200
	if testing.Short() {
		n = 20
	}
	var stats interopStats
	for seed := range uint64(n) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			runConversation(t, seed, &stats)
		})
	}
	t.Logf("%d conversations: %d messages (%d delivered out of order), all delivered and byte-identical; "+
		"%d pickle swaps, %d forged/replayed messages rejected by both, %d account operations",
		n, stats.messages, stats.outOfOrder, stats.swaps, stats.attacks, stats.accountOps)
}

func b64decode(s string) ([]byte, error) { return base64.RawStdEncoding.DecodeString(s) }

func b64encode(b []byte) string { return base64.RawStdEncoding.EncodeToString(b) }

// libolmImpl is olmImpl on libolm.
type libolmImpl struct {
	t          testing.TB
	alice, bob *libolm.Account
	as, bs     *libolm.Session
}

func (l *libolmImpl) must(err error) {
	l.t.Helper()
	if err != nil {
		l.t.Fatal(err)
	}
}

func (l *libolmImpl) setup(aliceRandom, bobRandom, otkRandom, sessionRandom []byte) {
	var err error
	l.alice, err = libolm.NewAccount(aliceRandom)
	l.must(err)
	l.bob, err = libolm.NewAccount(bobRandom)
	l.must(err)
	l.must(l.bob.GenerateOneTimeKeys(1, otkRandom))
	var otks struct{ Curve25519 map[string]string }
	var id struct{ Curve25519 string }
	l.must(json.Unmarshal([]byte(l.bob.IdentityKeys()), &id))
	l.must(json.Unmarshal([]byte(l.bob.OneTimeKeys()), &otks))
	var otk string
	for _, k := range otks.Curve25519 {
		otk = k
	}
	l.as, err = libolm.NewOutboundSession(l.alice, id.Curve25519, otk, sessionRandom)
	l.must(err)
}

func (l *libolmImpl) needsRandom(bob bool) bool {
	if bob {
		return l.bs.EncryptRandomLength() > 0
	}
	return l.as.EncryptRandomLength() > 0
}

func (l *libolmImpl) encrypt(bob bool, pt, random []byte) (int, string) {
	s := l.as
	if bob {
		s = l.bs
	}
	typ, body, err := s.Encrypt(pt, random)
	l.must(err)
	return typ, body
}

func (l *libolmImpl) decrypt(bob bool, typ int, body string) []byte {
	var err error
	if bob && l.bs == nil {
		l.bs, err = libolm.NewInboundSession(l.bob, body)
		l.must(err)
		defer func() { l.must(l.bob.RemoveOneTimeKeys(l.bs)) }()
	}
	s := l.as
	if bob {
		s = l.bs
	}
	pt, err := s.Decrypt(typ, body)
	l.must(err)
	return pt
}

func (l *libolmImpl) pickles(key []byte) (string, string) {
	return l.as.Pickle(key), l.bs.Pickle(key)
}

// TestAccumulatedLibolm runs the accumulated conversation on libolm and
// checks the digest that TestAccumulated expects from newt.
func TestAccumulatedLibolm(t *testing.T) {
	l := &libolmImpl{t: t}
	got := runAccumulated(t, l)
	for _, a := range []*libolm.Account{l.alice, l.bob} {
		a.Free()
	}
	l.as.Free()
	l.bs.Free()
	if got != accumulatedDigest {
		t.Fatalf("libolm's accumulated digest is %s, the constant says %s", got, accumulatedDigest)
	}
}
