// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package bench

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"sync"
	"testing"

	"github.com/newt-e2ee/newt/internal/ed25519x"
	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/internal/pickle"
	"github.com/newt-e2ee/newt/megolm"
	"github.com/newt-e2ee/newt/olm"
)

// Canonical inputs, made once per process by goolm (the reference every
// implementation already interoperates with; see interop_test.go) and fed
// to every implementation, so that all of them decrypt the same ciphertexts
// and load the same pickles.

// streamLen is the number of messages in a canonical Megolm stream; a
// decrypt benchmark starts a fresh inbound session every streamLen messages.
const streamLen = 1024

// olmPlaintextSize is the plaintext size of every Olm message.
const olmPlaintextSize = 256

// megolmSizes are the Megolm plaintext sizes.
var megolmSizes = []int{256, 4096}

// pickleKey is the pickle key of every canonical pickle (32 bytes, as
// mautrix and most clients use).
var pickleKey = []byte("0123456789abcdef0123456789abcdef")

// plaintext returns n deterministic non-zero bytes.
func plaintext(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('a' + i%26)
	}
	return b
}

// megolmStream is a canonical Megolm session: its session key at index 0
// and streamLen messages, message i at index i.
type megolmStream struct {
	key  text
	msgs []text
	pt   []byte
}

// olmCanon holds the canonical Olm inputs.
type olmCanon struct {
	// bob has a fallback key (and no one-time keys); alice started a
	// session with it and sent preKey, 256 B, to it.
	bobPickle, bobIdentity, bobFallback, preKey text
	// alice and bob are an established session pair (both have received):
	// alice's next message does a DH ratchet step.
	alice, bob text
	// normal is a type-1 message from alice to bob (a floor input).
	normal text
	// gap is the message alice sends with counter 2000 on her next chain:
	// bob decrypting it skips 2000 message keys.
	gap text
	// account50 is an account with exactly 50 one-time keys.
	account50 text
	// igs is an inbound group session that has decrypted a few messages.
	igs text
}

var (
	canonMu      sync.Mutex
	canonStreams = map[int]*megolmStream{}
	canonOlm     *olmCanon
	canonCold    = map[uint32]*coldMaker{}
)

// reference is the implementation that makes the canonical inputs.
var reference impl = goolmImpl{}

// must fails tb on err.
func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}

// getStream returns the canonical stream of size-byte messages.
func getStream(tb testing.TB, size int) *megolmStream {
	canonMu.Lock()
	defer canonMu.Unlock()
	if s := canonStreams[size]; s != nil {
		return s
	}
	g, err := reference.newGroupSession()
	must(tb, err)
	s := &megolmStream{key: g.sessionKey().full(), pt: plaintext(size)}
	for range streamLen {
		m, err := g.encrypt(s.pt)
		must(tb, err)
		s.msgs = append(s.msgs, m.full())
	}
	canonStreams[size] = s
	return s
}

// coldMaker makes Megolm sessions that no implementation has seen: each has
// a new signing key, a session key at index 0 and one 256-byte message at
// index. newt keeps signature tables per signing key in a process-wide
// cache once a key has been seen a few times, so a workload "on a fresh
// session" must not reuse a key. The messages are made without encrypting
// index messages: the outbound session is rebuilt from a pickle holding the
// ratchet an inbound session exports at index, and the new key.
type coldMaker struct {
	index   uint32
	at0     []byte // outbound pickle plaintext at index 0
	atIndex []byte // the same at index
	pt      []byte
}

// Offsets in an outbound group session pickle (libolm
// src/outbound_group_session.c, olm_pickle_outbound_group_session): u32
// version ‖ R (128) ‖ u32 counter ‖ public key (32) ‖ expanded key (64).
const (
	opRatchet  = 4
	opCounter  = opRatchet + 128
	opPublic   = opCounter + 4
	opExpanded = opPublic + 32
)

// getCold returns the coldMaker for index.
func getCold(tb testing.TB, index uint32) *coldMaker {
	canonMu.Lock()
	defer canonMu.Unlock()
	if m := canonCold[index]; m != nil {
		return m
	}
	g := megolm.GenerateGroupSession()
	in, err := megolm.NewInboundGroupSession(g.SessionKey())
	must(tb, err)
	exp, err := in.Export(index)
	must(tb, err)
	e := exp.Bytes() // 0x01 ‖ u32 index ‖ R (128) ‖ public key (32)
	m := &coldMaker{index: index, pt: plaintext(256)}
	m.at0, err = pickle.Decrypt(pickleKey, []byte(g.Pickle(pickleKey)))
	must(tb, err)
	m.atIndex = bytes.Clone(m.at0)
	copy(m.atIndex[opRatchet:opCounter], e[5:133])
	binary.BigEndian.PutUint32(m.atIndex[opCounter:opPublic], index)
	canonCold[index] = m
	return m
}

// make returns a new session: its session key and its message at m.index.
func (m *coldMaker) make(tb testing.TB) *megolmStream {
	k := ed25519x.GenerateKey()
	pub, sk := k.Public(), k.Expanded()
	load := func(plain []byte) *megolm.GroupSession {
		copy(plain[opPublic:opExpanded], pub[:])
		copy(plain[opExpanded:], sk[:])
		g, err := megolm.GroupSessionFromPickle(newttest.SealPickle(pickleKey, plain), pickleKey)
		must(tb, err)
		return g
	}
	key := load(m.at0).SessionKey()
	g := load(m.atIndex)
	if g.MessageIndex() != m.index {
		tb.Fatalf("crafted session at index %d, want %d", g.MessageIndex(), m.index)
	}
	return &megolmStream{key: textOf(key.Base64()), pt: m.pt, msgs: []text{textOf(g.Encrypt(m.pt).Base64())}}
}

// getOlm returns the canonical Olm inputs.
func getOlm(tb testing.TB) *olmCanon {
	canonMu.Lock()
	defer canonMu.Unlock()
	if canonOlm != nil {
		return canonOlm
	}
	c, err := makeOlmCanon(reference)
	must(tb, err)
	canonOlm = c
	return c
}

// makeOlmCanon builds the canonical Olm inputs with im.
func makeOlmCanon(im impl) (*olmCanon, error) {
	c := &olmCanon{}
	pt := plaintext(olmPlaintextSize)
	bob, err := im.newAccount()
	if err != nil {
		return nil, err
	}
	fb, err := bob.generateFallbackKey()
	if err != nil {
		return nil, err
	}
	c.bobIdentity, c.bobFallback = textOf(bob.identityKey()), textOf(fb)
	p, err := bob.pickle(pickleKey)
	if err != nil {
		return nil, err
	}
	c.bobPickle = p.full()
	alice, err := im.newAccount()
	if err != nil {
		return nil, err
	}
	as, err := alice.newOutboundSession(c.bobIdentity, c.bobFallback)
	if err != nil {
		return nil, err
	}
	t, m, err := as.encrypt(pt)
	if err != nil {
		return nil, err
	}
	if t != 0 {
		return nil, fmt.Errorf("first message has type %d", t)
	}
	c.preKey = m.full()
	bs, got, err := bob.newInboundSession(c.preKey)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(got, pt) {
		return nil, fmt.Errorf("pre-key message decrypted wrong")
	}
	// bob replies, so both have received and alice's next message starts a
	// new chain (a DH ratchet step).
	if err := send(bs, as, pt); err != nil {
		return nil, err
	}
	if p, err = as.pickle(pickleKey); err != nil {
		return nil, err
	}
	c.alice = p.full()
	if p, err = bs.pickle(pickleKey); err != nil {
		return nil, err
	}
	c.bob = p.full()
	// The gap message: alice's next chain, counter olm.MaxMessageGap.
	for i := 0; i <= olm.MaxMessageGap; i++ {
		t, m, err := as.encrypt(pt)
		if err != nil {
			return nil, err
		}
		if t != 1 {
			return nil, fmt.Errorf("message type %d after the handshake", t)
		}
		if i == 0 {
			c.normal = m.full()
		}
		c.gap = m.full()
	}
	a50, err := im.newAccount()
	if err != nil {
		return nil, err
	}
	if err := a50.generateOneTimeKeys(50); err != nil {
		return nil, err
	}
	if p, err = a50.pickle(pickleKey); err != nil {
		return nil, err
	}
	c.account50 = p.full()
	g, err := im.newGroupSession()
	if err != nil {
		return nil, err
	}
	in, err := im.newInboundGroupSession(g.sessionKey().full())
	if err != nil {
		return nil, err
	}
	for range 3 {
		m, err := g.encrypt(pt)
		if err != nil {
			return nil, err
		}
		if _, _, err := in.decrypt(m.full()); err != nil {
			return nil, err
		}
	}
	if p, err = in.pickle(pickleKey); err != nil {
		return nil, err
	}
	c.igs = p.full()
	return c, nil
}

// send encrypts pt in from and decrypts it in to, checking the result.
func send(from, to session, pt []byte) error {
	t, m, err := from.encrypt(pt)
	if err != nil {
		return err
	}
	got, err := to.decrypt(t, m.full())
	if err != nil {
		return err
	}
	if !bytes.Equal(got, pt) {
		return fmt.Errorf("bench: Olm message decrypted wrong")
	}
	return nil
}
