// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package newt_test

// Helpers of checklist_test.go: fixtures built through the public API, and
// "forgers" that use the internal primitives with keys taken from pickles,
// so that a test can build messages that pass the MAC (or the signature) and
// exercise the checks behind it.

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"runtime"
	"testing"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/internal/aessha2"
	"github.com/newt-e2ee/newt/internal/ed25519x"
	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/internal/pickle"
	"github.com/newt-e2ee/newt/internal/wire"
	"github.com/newt-e2ee/newt/internal/x25519"
	"github.com/newt-e2ee/newt/megolm"
	"github.com/newt-e2ee/newt/olm"
	"github.com/newt-e2ee/newt/pk"
	"github.com/newt-e2ee/newt/ratchet"
)

// ck is the pickle key of every checklist fixture.
var ck = []byte("checklist pickle key")

// maxForgedAlloc is the allocation budget of an operation on an input that
// declares a huge length or count: it must fail without allocating anything
// proportional to the declared size.
const maxForgedAlloc = 64 << 10

// mustNotPanic runs f and fails the test if it panics.
func mustNotPanic(t testing.TB, what string, f func()) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("%s panicked: %v", what, r)
		}
	}()
	f()
}

// isOneOf reports whether err matches one of targets with errors.Is.
func isOneOf(err error, targets ...error) bool {
	for _, e := range targets {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// allocated returns the number of heap bytes f allocates (the smallest of
// three runs, to discount allocations by the runtime itself).
func allocated(f func()) uint64 {
	best := ^uint64(0)
	for range 3 {
		var a, b runtime.MemStats
		runtime.ReadMemStats(&a)
		f()
		runtime.ReadMemStats(&b)
		best = min(best, b.TotalAlloc-a.TotalAlloc)
	}
	return best
}

func randBytes(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return b
}

// flipBit returns a copy of b with bit i flipped.
func flipBit(b []byte, i int) []byte {
	c := bytes.Clone(b)
	c[i/8] ^= 1 << (i % 8)
	return c
}

// pickler is every object with a libolm pickle.
type pickler interface{ Pickle(key []byte) string }

// snapshot is the state of an object: its pickle, which is deterministic.
func snapshot(p pickler) string { return p.Pickle(ck) }

// requireUnchanged fails if p's pickle differs from before.
func requireUnchanged(t testing.TB, what string, before string, p pickler) {
	t.Helper()
	if before != snapshot(p) {
		t.Fatalf("%s changed the object", what)
	}
}

// plainOf returns the plaintext inside pickle p.
func plainOf(t testing.TB, p string) []byte {
	t.Helper()
	b, err := pickle.Decrypt(ck, []byte(p))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// ---- Olm ----

// olmConv is an established Olm conversation: Alice started it, Bob
// answered, Alice received the answer, so both send normal messages.
type olmConv struct {
	alice, bob *olm.Account
	a, b       *olm.Session
}

func newOlmConv(t testing.TB) *olmConv {
	t.Helper()
	c := &olmConv{alice: olm.GenerateAccount(), bob: olm.GenerateAccount()}
	if _, err := c.bob.GenerateOneTimeKeys(2); err != nil {
		t.Fatal(err)
	}
	otk := c.bob.OneTimeKeys()[0].Key
	c.bob.MarkKeysAsPublished()
	var err error
	c.a, err = c.alice.NewOutboundSession(c.bob.IdentityKeys().Curve25519, otk)
	if err != nil {
		t.Fatal(err)
	}
	m := olmEncrypt(t, c.a, []byte("hello Bob"))
	var pt []byte
	c.b, pt, err = c.bob.NewInboundSession(m.(*olm.PreKeyMessage))
	if err != nil || string(pt) != "hello Bob" {
		t.Fatalf("NewInboundSession: %q, %v", pt, err)
	}
	c.send(t, c.b, c.a, []byte("hello Alice"))
	return c
}

func olmEncrypt(t testing.TB, s *olm.Session, pt []byte) olm.EncryptedMessage {
	t.Helper()
	m, err := s.Encrypt(pt)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// send encrypts pt with from and requires that to decrypts it.
func (c *olmConv) send(t testing.TB, from, to *olm.Session, pt []byte) {
	t.Helper()
	m := olmEncrypt(t, from, pt)
	got, err := to.Decrypt(m)
	if err != nil || !bytes.Equal(got, pt) {
		t.Fatalf("honest message: %q, %v", got, err)
	}
}

// olmForger owns a Bob-side olm.Session built from a hand-made pickle whose
// only receiver chain is on a ratchet key the forger holds, so it can make
// messages with a valid MAC around any ciphertext.
type olmForger struct {
	s          *olm.Session
	ratchetPub [32]byte
	chain0     [32]byte // C_0,0
}

func newOlmForger(t testing.TB) *olmForger {
	t.Helper()
	secret := randBytes(96)
	_, pub := x25519.GenerateKey()
	r := ratchet.NewInbound(secret, newt.Curve25519PublicKeyFromArray(pub))
	var w pickle.Writer
	w.U32(olm.SessionPickleVersion)
	w.Bool(true) // received_message: the session sends normal messages
	for range 3 {
		_, k := x25519.GenerateKey() // I_A, E_A, E_B: not used by Decrypt
		w.Bytes(k[:])
	}
	w.Buf = r.AppendLibolm(w.Buf)
	s, err := olm.SessionFromPickle(newttest.SealPickle(ck, w.Buf), ck)
	if err != nil {
		t.Fatal(err)
	}
	f := &olmForger{s: s, ratchetPub: pub}
	var rc [64]byte
	aessha2.HKDF(rc[:], secret, nil, "OLM_ROOT")
	copy(f.chain0[:], rc[32:])
	return f
}

// keys returns the message keys of counter n of the forger's chain.
func (f *olmForger) keys(n uint32) *aessha2.Keys {
	c := f.chain0
	for range n {
		aessha2.HMAC(&c, c[:], []byte{2})
	}
	var mk [32]byte
	aessha2.HMAC(&mk, c[:], []byte{1})
	var k aessha2.Keys
	aessha2.DeriveKeys(&k, mk[:], aessha2.InfoOlmKeys)
	return &k
}

// message returns the encoded Olm message at counter n around ct, with a
// valid MAC.
func (f *olmForger) message(n uint32, ct []byte) []byte {
	k := f.keys(n)
	body := append(wire.AppendOlmMessageHeader(nil, olm.Version, f.ratchetPub[:], n, len(ct)), ct...)
	return k.AppendMAC(body, body, aessha2.TruncatedMACSize)
}

// cbcRaw encrypts data (a multiple of 16 bytes) with k's key and IV and no
// padding, so that a test can choose the padding bytes.
func cbcRaw(k *aessha2.Keys, data []byte) []byte {
	b, err := aes.NewCipher(k.AESKey[:])
	if err != nil {
		panic(err)
	}
	out := make([]byte, len(data))
	cipher.NewCBCEncrypter(b, k.IV[:]).CryptBlocks(out, data)
	return out
}

// ---- Megolm ----

// megolmFixture is an outbound session, an inbound session made from its
// session key at index 0, and the outbound signing key taken from its
// pickle, so that tests can sign messages of their own.
type megolmFixture struct {
	out  *megolm.GroupSession
	in   *megolm.InboundGroupSession
	sign *ed25519x.PrivateKey
	pub  [32]byte
}

func newMegolmFixture(t testing.TB) *megolmFixture {
	t.Helper()
	out := megolm.GenerateGroupSession()
	in, err := megolm.NewInboundGroupSession(out.SessionKey())
	if err != nil {
		t.Fatal(err)
	}
	plain := plainOf(t, out.Pickle(ck))
	if len(plain) != 232 {
		t.Fatalf("outbound pickle plaintext is %d bytes", len(plain))
	}
	f := &megolmFixture{out: out, in: in}
	copy(f.pub[:], plain[136:168])
	f.sign = ed25519x.NewKeyFromExpanded(&f.pub, (*[64]byte)(plain[168:232]))
	return f
}

// ratchetAt returns the 128-byte Megolm ratchet at index i, from an export
// of the inbound session (which Export does not change).
func (f *megolmFixture) ratchetAt(t testing.TB, i uint32) []byte {
	t.Helper()
	e, err := f.in.Export(i)
	if err != nil {
		t.Fatal(err)
	}
	return e.Bytes()[5:133]
}

// keysAt returns the message keys of index i.
func (f *megolmFixture) keysAt(t testing.TB, i uint32) *aessha2.Keys {
	t.Helper()
	var k aessha2.Keys
	aessha2.DeriveKeys(&k, f.ratchetAt(t, i), aessha2.InfoMegolmKeys)
	return &k
}

// forge returns the Megolm message at index i around ct with a valid MAC
// (if macOK) and a valid signature.
func (f *megolmFixture) forge(t testing.TB, i uint32, ct []byte, macOK bool) []byte {
	t.Helper()
	k := f.keysAt(t, i)
	b := append(wire.AppendMegolmMessageHeader(nil, wire.MegolmVersion, i, len(ct)), ct...)
	b = k.AppendMAC(b, b, aessha2.TruncatedMACSize)
	if !macOK {
		b[len(b)-1] ^= 1
	}
	sig := f.sign.Sign(b)
	return append(b, sig[:]...)
}

// outboundAt returns an outbound session with the fixture's signing key
// whose ratchet is r at index i, from a hand-made pickle (libolm spec §6.3).
func (f *megolmFixture) outboundAt(t testing.TB, r []byte, i uint32) *megolm.GroupSession {
	t.Helper()
	var w pickle.Writer
	w.U32(1)
	w.Bytes(r)
	w.U32(i)
	w.Bytes(f.pub[:])
	exp := f.sign.Expanded()
	w.Bytes(exp[:])
	s, err := megolm.GroupSessionFromPickle(newttest.SealPickle(ck, w.Buf), ck)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// parseMegolm parses b and fails the test on error.
func parseMegolm(t testing.TB, b []byte) *megolm.Message {
	t.Helper()
	m, err := megolm.NewMessage(b)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// ---- pk ----

// pkForge returns a pk message to d around ct with a valid MAC (pk's MAC
// covers nothing; see package pk), and the keys used.
func pkForge(t testing.TB, d *pk.Decryption, ct []byte) (*pk.Message, *aessha2.Keys) {
	t.Helper()
	e, ePub := x25519.GenerateKey()
	recipient := d.PublicKey().Array()
	shared, err := x25519.DH(&e, &recipient)
	if err != nil {
		t.Fatal(err)
	}
	var k aessha2.Keys
	aessha2.DeriveKeys(&k, shared[:], aessha2.InfoPK)
	m := &pk.Message{
		Ciphertext:   ct,
		MAC:          k.AppendMAC(nil, nil, aessha2.TruncatedMACSize),
		EphemeralKey: newt.Curve25519PublicKeyFromArray(ePub),
	}
	return m, &k
}

// ---- byte helpers ----

// setU32 returns a copy of b with the big-endian u32 at off set to v.
func setU32(b []byte, off int, v uint32) []byte {
	c := bytes.Clone(b)
	binary.BigEndian.PutUint32(c[off:], v)
	return c
}

// lowOrderU lists u-coordinates of low-order Curve25519 points (RFC 7748
// §7, libsodium's blocklist; Wycheproof x25519_test.json has the rest),
// each of which makes the X25519 result all zeros.
var lowOrderU = [][32]byte{
	{},  // 0
	{1}, // 1
	{0xe0, 0xeb, 0x7a, 0x7c, 0x3b, 0x41, 0xb8, 0xae, 0x16, 0x56, 0xe3, 0xfa, 0xf1, 0x9f, 0xc4, 0x6a, 0xda, 0x09, 0x8d, 0xeb, 0x9c, 0x32, 0xb1, 0xfd, 0x86, 0x62, 0x05, 0x16, 0x5f, 0x49, 0xb8, 0x00},
	{0x5f, 0x9c, 0x95, 0xbc, 0xa3, 0x50, 0x8c, 0x24, 0xb1, 0xd0, 0xb1, 0x55, 0x9c, 0x83, 0xef, 0x5b, 0x04, 0x44, 0x5c, 0xc4, 0x58, 0x1c, 0x8e, 0x86, 0xd8, 0x22, 0x4e, 0xdd, 0xd0, 0x9f, 0x11, 0x57},
	pMinus(1), // p-1 (order 2)
	pMinus(0), // p, non-canonical 0
	pPlus(1),  // p+1, non-canonical 1
}

// pMinus returns the little-endian encoding of p - d, p = 2^255 - 19.
func pMinus(d byte) [32]byte {
	var b [32]byte
	for i := range b {
		b[i] = 0xff
	}
	b[31] = 0x7f
	b[0] = 0xed - d
	return b
}

// pPlus returns p + d for d < 19.
func pPlus(d byte) [32]byte {
	b := pMinus(0)
	b[0] += d
	return b
}
