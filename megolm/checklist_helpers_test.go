// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package megolm_test

// Fixtures of the checklist rows of package megolm (checklist_test.go): a
// session pair whose signing key the test holds, so that it can sign
// messages of its own and reach the checks behind the signature.

import (
	"testing"

	"github.com/newt-e2ee/newt/internal/aessha2"
	"github.com/newt-e2ee/newt/internal/ed25519x"
	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/internal/pickle"
	"github.com/newt-e2ee/newt/internal/wire"
	"github.com/newt-e2ee/newt/megolm"
)

// signerOf returns the signing key stored in an outbound session pickle
// (libolm's layout, src/outbound_group_session.c: version, the ratchet and
// its counter, then the Ed25519 public key and expanded private key).
func signerOf(t testing.TB, p string, key []byte) *ed25519x.PrivateKey {
	t.Helper()
	plain, err := pickle.Decrypt(key, []byte(p))
	if err != nil {
		t.Fatal(err)
	}
	if len(plain) != 232 {
		t.Fatalf("outbound pickle plaintext is %d bytes", len(plain))
	}
	return ed25519x.NewKeyFromExpanded((*[32]byte)(plain[136:168]), (*[64]byte)(plain[168:232]))
}

// megolmFixture is an outbound session, an inbound session made from its
// session key at index 0, and the outbound signing key.
type megolmFixture struct {
	out  *megolm.GroupSession
	in   *megolm.InboundGroupSession
	sign *ed25519x.PrivateKey
	pub  [32]byte
}

func newMegolmFixture(t testing.TB) *megolmFixture {
	t.Helper()
	f := &megolmFixture{}
	f.out, f.in = newPair(t)
	f.sign = signerOf(t, newttest.Snapshot(f.out), newttest.PickleKey)
	f.pub = f.sign.Public()
	return f
}

// ratchetAt returns the 128-byte Megolm ratchet at index i, from an export
// of the inbound session (which Export does not change).
func (f *megolmFixture) ratchetAt(t testing.TB, i uint32) []byte {
	t.Helper()
	return newttest.Must(t, f.in.Export, i).Bytes()[5:133]
}

// keysAt returns the message keys of index i.
func (f *megolmFixture) keysAt(t testing.TB, i uint32) *aessha2.Keys {
	t.Helper()
	var k aessha2.Keys
	aessha2.DeriveKeys(&k, f.ratchetAt(t, i), aessha2.InfoMegolmKeys)
	return &k
}

// signed returns body ‖ MAC ‖ signature, with the MAC of k over body
// (broken unless macOK) and the fixture's signature over both.
func (f *megolmFixture) signed(k *aessha2.Keys, body []byte, macOK bool) []byte {
	b := k.AppendMAC(body, body, aessha2.TruncatedMACSize)
	if !macOK {
		b[len(b)-1] ^= 1
	}
	sig := f.sign.Sign(b)
	return append(b, sig[:]...)
}

// forge returns the Megolm message at index i around ct with a valid MAC
// (if macOK) and a valid signature.
func (f *megolmFixture) forge(t testing.TB, i uint32, ct []byte, macOK bool) []byte {
	t.Helper()
	body := append(wire.AppendMegolmMessageHeader(nil, wire.MegolmVersion, i, len(ct)), ct...)
	return f.signed(f.keysAt(t, i), body, macOK)
}

// outboundAt returns an outbound session with the fixture's signing key
// whose ratchet is r at index i.
func (f *megolmFixture) outboundAt(t testing.TB, r []byte, i uint32) *megolm.GroupSession {
	t.Helper()
	return forgeOutbound(t, f.out, r, i)
}

// pickleCases returns a pickle of each type of package megolm, of a
// session that has moved on.
func pickleCases(t testing.TB) []newttest.PickleCase {
	t.Helper()
	mf := newMegolmFixture(t)
	mf.out.Encrypt([]byte("advance"))
	return []newttest.PickleCase{
		{Name: "outbound group session", Pickle: newttest.Snapshot(mf.out), Versions: []uint32{1},
			BadKey: megolm.ErrBadPickleKey, Corrupted: megolm.ErrCorruptedPickle, UnknownVersion: megolm.ErrUnknownPickleVersion,
			Load: func(p string, key []byte) error {
				s, err := megolm.GroupSessionFromPickle(p, key)
				return newttest.NilIfOK(s, err)
			}},
		{Name: "inbound group session", Pickle: newttest.Snapshot(mf.in), Versions: []uint32{1, 2},
			BadKey: megolm.ErrBadPickleKey, Corrupted: megolm.ErrCorruptedPickle, UnknownVersion: megolm.ErrUnknownPickleVersion,
			Load: func(p string, key []byte) error {
				s, err := megolm.InboundGroupSessionFromPickle(p, key)
				return newttest.NilIfOK(s, err)
			}},
	}
}
