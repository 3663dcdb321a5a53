// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package megolm_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/newt-e2ee/newt/internal/b64"
	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/internal/pickle"
	"github.com/newt-e2ee/newt/megolm"
)

// newPair returns a fresh outbound session and an inbound session built
// from its session key.
func newPair(t testing.TB) (*megolm.GroupSession, *megolm.InboundGroupSession) {
	t.Helper()
	out := megolm.GenerateGroupSession()
	return out, newttest.Must(t, megolm.NewInboundGroupSession, out.SessionKey())
}

// forgeOutbound returns an outbound session with out's signing key but the
// given ratchet bytes and counter, built by editing out's pickle. Its
// messages carry valid signatures but MACs no inbound session of out accepts.
func forgeOutbound(t testing.TB, out *megolm.GroupSession, ratchet []byte, counter uint32) *megolm.GroupSession {
	t.Helper()
	key := []byte("forge")
	plain, err := pickle.Decrypt(key, []byte(out.Pickle(key)))
	if err != nil {
		t.Fatal(err)
	}
	copy(plain[4:4+megolm.RatchetSize], ratchet)
	binary.BigEndian.PutUint32(plain[4+megolm.RatchetSize:], counter)
	forged, err := megolm.GroupSessionFromPickle(newttest.SealPickle(key, plain), key)
	if err != nil {
		t.Fatal(err)
	}
	return forged
}

func TestRoundTrip(t *testing.T) {
	out, in := newPair(t)
	if in.ID() != out.ID() || in.SigningKey() != out.SigningKey() {
		t.Fatal("inbound and outbound IDs differ")
	}
	if !in.IsVerified() || in.FirstKnownIndex() != 0 {
		t.Fatal("fresh inbound session state")
	}
	var msgs []*megolm.Message
	for i := range 10 {
		m := out.Encrypt(fmt.Appendf(nil, "message %d", i))
		if m.Index() != uint32(i) {
			t.Fatalf("index %d, want %d", m.Index(), i)
		}
		msgs = append(msgs, m)
	}
	if out.MessageIndex() != 10 {
		t.Fatal("MessageIndex")
	}
	// Out of order, with gaps and replays.
	for _, i := range []int{3, 1, 9, 0, 9, 4, 2, 8, 5, 7, 6, 3} {
		pt, index, err := in.Decrypt(msgs[i])
		if err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		if want := fmt.Sprintf("message %d", i); string(pt) != want || index != uint32(i) {
			t.Fatalf("got %q %d, want %q", pt, index, want)
		}
	}
	// A session key taken later starts at the current index.
	late, err := megolm.NewInboundGroupSession(out.SessionKey())
	if err != nil {
		t.Fatal(err)
	}
	if late.FirstKnownIndex() != 10 {
		t.Fatal("late session first known index")
	}
	var uerr *megolm.UnknownMessageIndexError
	if _, _, err := late.Decrypt(msgs[9]); !errors.As(err, &uerr) || uerr.FirstKnown != 10 || uerr.Got != 9 {
		t.Fatalf("err = %v", err)
	}
	m := out.Encrypt(nil) // empty plaintext: one block of padding
	if pt, _, err := late.Decrypt(m); err != nil || len(pt) != 0 {
		t.Fatalf("empty plaintext: %q %v", pt, err)
	}
}

// TestReplayIsIdempotent checks security C12: decrypting a message again
// gives the same result and does not change the session.
func TestReplayIsIdempotent(t *testing.T) {
	out, in := newPair(t)
	m := out.Encrypt([]byte("hello"))
	pt1, i1, err := in.Decrypt(m)
	if err != nil {
		t.Fatal(err)
	}
	before := in.Pickle(pickleKey)
	pt2, i2, err := in.Decrypt(m)
	if err != nil || !bytes.Equal(pt1, pt2) || i1 != i2 {
		t.Fatal("replay differs")
	}
	if before != in.Pickle(pickleKey) {
		t.Fatal("replay changed the session")
	}
}

func TestAppendDecrypt(t *testing.T) {
	out, in := newPair(t)
	m := out.Encrypt([]byte("payload"))
	dst := []byte("pre:")
	got, index, err := in.AppendDecrypt(dst, m)
	if err != nil || string(got) != "pre:payload" || index != 0 {
		t.Fatalf("AppendDecrypt = %q, %d, %v", got, index, err)
	}
}

// TestAppendEncryptFitsEncryptedMessageLen checks the promise of
// AppendEncrypt's doc: a dst with room for EncryptedMessageLen bytes (plus
// FullMACSize − MACSize with SessionConfigV2) is written in place, never
// reallocated, at a small index as at a large one.
func TestAppendEncryptFitsEncryptedMessageLen(t *testing.T) {
	for _, c := range []struct {
		cfg   megolm.SessionConfig
		extra int
	}{
		{megolm.SessionConfigV1(), 0},
		{megolm.SessionConfigV2(), megolm.FullMACSize - megolm.MACSize},
	} {
		out := megolm.GenerateGroupSessionWithConfig(c.cfg)
		for _, n := range []int{0, 1, 15, 16, 100, 1000} {
			room := megolm.EncryptedMessageLen(n) + c.extra
			dst := make([]byte, 0, room)
			got := out.AppendEncrypt(dst, make([]byte, n))
			if len(got) > room || &got[0] != &dst[:1][0] {
				t.Errorf("%v, %d-byte plaintext: AppendEncrypt reallocated a dst with room for %d bytes (wrote %d)", c.cfg, n, room, len(got))
			}
		}
	}
}

func TestMessageAccessors(t *testing.T) {
	out, _ := newPair(t)
	m := out.Encrypt([]byte("0123456789abcdef")) // 16 bytes → 32 bytes of ciphertext
	b := m.Bytes()
	if len(b) != 1+2+2+32+megolm.MACSize+megolm.SignatureSize {
		t.Fatalf("len = %d", len(b))
	}
	if b[0] != 3 || b[1] != 0x08 || b[2] != 0 || b[3] != 0x12 || b[4] != 32 {
		t.Fatalf("header % x", b[:5])
	}
	if !bytes.Equal(m.Ciphertext(), b[5:37]) || !bytes.Equal(m.MAC(), b[37:45]) ||
		!bytes.Equal(m.Signature().Bytes(), b[45:]) {
		t.Fatal("accessors do not match the encoding")
	}
	p, err := megolm.NewMessage(b)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(p.Bytes(), b) || p.Base64() != m.Base64() || p.Index() != 0 ||
		!bytes.Equal(p.Ciphertext(), m.Ciphertext()) {
		t.Fatal("ParseMessage round trip")
	}
	q, err := megolm.ParseMessage(m.Base64())
	if err != nil || !bytes.Equal(q.Bytes(), b) {
		t.Fatal("ParseMessage round trip")
	}
	// Accessors return copies.
	m.Ciphertext()[0] ^= 1
	m.Bytes()[0] ^= 1
	if !bytes.Equal(m.Bytes(), b) {
		t.Fatal("accessor aliases the message")
	}
	if len(out.AppendEncrypt(nil, nil)) > megolm.EncryptedMessageLen(0) {
		t.Fatal("EncryptedMessageLen too small")
	}
}

func TestParseMessageErrors(t *testing.T) {
	out, _ := newPair(t)
	good := out.Encrypt([]byte("hi")).Bytes()
	body := len(good) - megolm.MACSize - megolm.SignatureSize
	tail := good[body:]
	withBody := func(body ...byte) []byte { return append(body, tail...) }
	for _, tc := range []struct {
		name string
		b    []byte
		want error
	}{
		{"empty", nil, megolm.ErrBadMessageFormat},
		{"MAC and signature only", good[len(good)-72:], megolm.ErrBadMessageFormat},
		{"AwgA", []byte{3, 8, 0}, megolm.ErrBadMessageFormat},
		{"version 2", append([]byte{2}, good[1:]...), megolm.ErrBadVersion},
		{"version 4 (v2: 32-byte MAC) with an 8-byte MAC", append([]byte{4}, good[1:]...), megolm.ErrBadMessageFormat},
		{"version 5", append([]byte{5}, good[1:]...), megolm.ErrBadVersion},
		{"missing index", withBody(3, 0x12, 2, 0, 0), megolm.ErrBadMessageFormat},
		{"missing ciphertext", withBody(3, 0x08, 5), megolm.ErrBadMessageFormat},
		{"only version", withBody(3), megolm.ErrBadMessageFormat},
		{"truncated ciphertext", withBody(3, 0x08, 0, 0x12, 9, 1, 2), megolm.ErrBadMessageFormat},
		{"duplicate index", withBody(3, 0x08, 0, 0x08, 1, 0x12, 1, 0), megolm.ErrBadMessageFormat},
		{"index wider than 32 bits", withBody(3, 0x08, 0x80, 0x80, 0x80, 0x80, 0x10, 0x12, 1, 0), megolm.ErrBadMessageFormat},
		{"non-minimal varint", withBody(3, 0x08, 0x80, 0x00, 0x12, 1, 0), megolm.ErrBadMessageFormat},
		{"bad wire type", withBody(3, 0x0D, 0x08, 0, 0x12, 1, 0), megolm.ErrBadMessageFormat},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := megolm.NewMessage(tc.b)
			if !errors.Is(err, tc.want) || m != nil {
				t.Fatalf("ParseMessage = %v, %v; want %v", m, err, tc.want)
			}
			if !strings.HasPrefix(err.Error(), "megolm: ") {
				t.Fatalf("error %q lacks the package prefix", err)
			}
		})
	}
	// Fields in another order and unknown fields parse (as in libolm).
	m, err := megolm.NewMessage(withBody(3, 0x12, 1, 7, 0x18, 5, 0x08, 9))
	if err != nil || m.Index() != 9 || !bytes.Equal(m.Ciphertext(), []byte{7}) {
		t.Fatalf("reordered message: %v", err)
	}
	// Invalid base64.
	for _, s := range []string{"A", "AwgA=", "Awg\nAEhA", "Awg-AEhA"} {
		if _, err := megolm.ParseMessage(s); !errors.Is(err, megolm.ErrBadMessageFormat) {
			t.Fatalf("ParseMessage(%q) = %v", s, err)
		}
	}
}

// TestBadLengths truncates and extends a message byte by byte: nothing
// panics, every truncation fails, and the session never changes.
func TestBadLengths(t *testing.T) {
	out, in := newPair(t)
	good := out.Encrypt([]byte("length sweep")).Bytes()
	before := in.Pickle(pickleKey)
	for n := 0; n < len(good); n++ {
		m, err := megolm.NewMessage(good[:n])
		if err == nil {
			if _, _, err = in.Decrypt(m); err == nil {
				t.Fatalf("truncation to %d bytes decrypted", n)
			}
		}
	}
	for _, extra := range [][]byte{{0}, {0x08, 1}, bytes.Repeat([]byte{0xff}, 40)} {
		m, err := megolm.NewMessage(append(append([]byte(nil), good...), extra...))
		if err == nil {
			if _, _, err = in.Decrypt(m); err == nil {
				t.Fatalf("extension by % x decrypted", extra)
			}
		}
	}
	if before != in.Pickle(pickleKey) {
		t.Fatal("failed decryptions changed the session")
	}
}

// TestFailedDecryptLeavesSessionUnchanged checks security C10 and the
// "nothing lost on failure" promise: after a bad signature, a bad MAC, an
// unknown index or a bad index window, the pickle is byte-identical, and a
// later good message still decrypts.
func TestFailedDecryptLeavesSessionUnchanged(t *testing.T) {
	out, in := newPair(t)
	for range 3 {
		if _, _, err := in.Decrypt(out.Encrypt([]byte("warm up"))); err != nil {
			t.Fatal(err)
		}
	}
	before := in.Pickle(pickleKey)
	check := func(name string, m *megolm.Message, want error) {
		t.Helper()
		pt, _, err := in.Decrypt(m)
		if !errors.Is(err, want) || pt != nil {
			t.Fatalf("%s: err = %v, want %v", name, err, want)
		}
		if before != in.Pickle(pickleKey) {
			t.Fatalf("%s: session changed", name)
		}
	}

	// Bad signature: flip one bit anywhere in the signed bytes or the
	// signature.
	good := out.Encrypt([]byte("target")).Bytes()
	for _, pos := range []int{0 + 5, len(good) - 70, len(good) - 1, len(good) - 33} {
		b := append([]byte(nil), good...)
		b[pos] ^= 0x04
		m, err := megolm.NewMessage(b)
		if err != nil {
			continue
		}
		check(fmt.Sprintf("bit flip at %d", pos), m, megolm.ErrBadSignature)
	}
	// Signature from another session.
	other, _ := newPair(t)
	check("foreign signature", other.Encrypt([]byte("x")), megolm.ErrBadSignature)

	// Valid signature, bad MAC, at an index ahead of the cache. libolm would
	// move latest_ratchet to 5 here (src/inbound_group_session.c, _decrypt);
	// newt does not.
	forged := forgeOutbound(t, out, bytes.Repeat([]byte{0x42}, megolm.RatchetSize), 5)
	check("bad MAC ahead", forged.Encrypt([]byte("forged")), megolm.ErrBadMAC)
	// ... and at an index behind it (from the initial ratchet).
	forged = forgeOutbound(t, out, bytes.Repeat([]byte{0x42}, megolm.RatchetSize), 1)
	check("bad MAC behind", forged.Encrypt([]byte("forged")), megolm.ErrBadMAC)
	// Index 0x7fffffff: within the window, the ratchet is advanced (on a
	// copy) and the MAC fails.
	forged = forgeOutbound(t, out, bytes.Repeat([]byte{0x42}, megolm.RatchetSize), 0x7fffffff)
	check("index 0x7fffffff", forged.Encrypt([]byte("forged")), megolm.ErrBadMAC)
	// Index 0x80000003: 2^31 past the cache (at 3) and the first known index
	// (0): unknown (as libolm's _get_megolm with latest 0 → 0x80000000).
	forged = forgeOutbound(t, out, bytes.Repeat([]byte{0x42}, megolm.RatchetSize), 0x80000003)
	var uerr *megolm.UnknownMessageIndexError
	m := forged.Encrypt([]byte("far"))
	check("index 2^31 ahead", m, megolm.ErrUnknownMessageIndex)
	if _, _, err := in.Decrypt(m); !errors.As(err, &uerr) || uerr.Got != 0x80000003 || uerr.FirstKnown != 0 {
		t.Fatalf("err = %v", err)
	}

	// Unknown index: a session starting at 4 and the message at 3.
	k := out.SessionKey()
	late, err := megolm.NewInboundGroupSession(k)
	if err != nil {
		t.Fatal(err)
	}
	lateBefore := late.Pickle(pickleKey)
	old, _ := megolm.ParseMessage(forgeOutbound(t, out, make([]byte, 128), 3).Encrypt(nil).Base64())
	if _, _, err := late.Decrypt(old); !errors.Is(err, megolm.ErrUnknownMessageIndex) {
		t.Fatalf("err = %v", err)
	}
	if lateBefore != late.Pickle(pickleKey) {
		t.Fatal("unknown index changed the session")
	}

	// Nil and zero messages.
	if _, _, err := in.Decrypt(nil); !errors.Is(err, megolm.ErrBadMessageFormat) {
		t.Fatalf("Decrypt(nil) = %v", err)
	}
	var zero megolm.Message
	if _, _, err := in.Decrypt(&zero); !errors.Is(err, megolm.ErrBadMessageFormat) {
		t.Fatalf("Decrypt(zero Message) = %v", err)
	}
	if zero.Index() != 0 || len(zero.Bytes()) != 0 || len(zero.MAC()) != 0 || len(zero.Ciphertext()) != 0 ||
		zero.Signature().Bytes() == nil || zero.Base64() != "" {
		t.Fatal("zero Message accessors")
	}
	// The session still works.
	if _, _, err := in.Decrypt(out.Encrypt([]byte("after"))); err != nil {
		t.Fatal(err)
	}
}

func TestSessionKeyFormats(t *testing.T) {
	out, _ := newPair(t)
	out.Encrypt([]byte("advance"))
	k := out.SessionKey()
	if k.Index() != 1 || k.SigningKey() != out.SigningKey() {
		t.Fatal("session key accessors")
	}
	b := k.Bytes()
	if len(b) != megolm.SessionKeySize || b[0] != 2 {
		t.Fatal("session key layout")
	}
	k2, err := megolm.NewSessionKey(b)
	if err != nil || k2.Base64() != k.Base64() {
		t.Fatal("NewSessionKey round trip")
	}
	k3, err := megolm.ParseSessionKey(k.Base64())
	if err != nil || !bytes.Equal(k3.Bytes(), b) || len(k.Base64()) != 306 {
		t.Fatal("ParseSessionKey round trip")
	}
	in, err := megolm.NewInboundGroupSession(k3)
	if err != nil {
		t.Fatal(err)
	}
	e, err := in.Export(1)
	if err != nil {
		t.Fatal(err)
	}
	eb := e.Bytes()
	if len(eb) != megolm.ExportedSessionKeySize || eb[0] != 1 || !bytes.Equal(eb[1:165], b[1:165]) {
		t.Fatal("export at the session key's index differs from its first 165 bytes")
	}
	e2, err := megolm.ParseExportedSessionKey(e.Base64())
	if err != nil || !bytes.Equal(e2.Bytes(), eb) || len(e.Base64()) != 220 {
		t.Fatal("ParseExportedSessionKey round trip")
	}
	if e3, err := megolm.NewExportedSessionKey(eb); err != nil || e3.Index() != 1 {
		t.Fatal("NewExportedSessionKey")
	}
}

// TestSessionKeyErrors checks security C11: every malformed, unsigned or
// badly signed key gets a typed error.
func TestSessionKeyErrors(t *testing.T) {
	out, _ := newPair(t)
	good := out.SessionKey().Bytes()
	set := func(pos int, v byte) []byte {
		b := append([]byte(nil), good...)
		b[pos] = v
		return b
	}
	for _, tc := range []struct {
		name string
		b    []byte
	}{
		{"empty", nil},
		{"short", good[:228]},
		{"trailing byte", append(append([]byte(nil), good...), 0)},
		{"export length", good[:165]},
		{"version 1", set(0, 1)},
		{"version 3", set(0, 3)},
	} {
		if _, err := megolm.NewSessionKey(tc.b); !errors.Is(err, megolm.ErrBadSessionKey) {
			t.Errorf("%s: NewSessionKey err = %v", tc.name, err)
		}
		if _, err := megolm.ParseSessionKey(b64.EncodeToString(tc.b)); !errors.Is(err, megolm.ErrBadSessionKey) {
			t.Errorf("%s: ParseSessionKey err = %v", tc.name, err)
		}
	}
	s := b64.EncodeToString(good)
	for _, bad := range []string{s[:305] + "=", s[:304] + "\n" + s[305:], s + "A", "", strings.Repeat("A", 307)} {
		if _, err := megolm.ParseSessionKey(bad); !errors.Is(err, megolm.ErrBadSessionKey) {
			t.Errorf("ParseSessionKey(bad base64) err = %v", err)
		}
	}

	// Bad signatures: flip a bit of the ratchet, the index, the signature.
	for _, pos := range []int{1, 4, 50, 200, 228} {
		k, err := megolm.NewSessionKey(set(pos, good[pos]^0x10))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := megolm.NewInboundGroupSession(k); !errors.Is(err, megolm.ErrBadSignature) {
			t.Errorf("flip at %d: err = %v, want ErrBadSignature", pos, err)
		}
	}
	// S + L (libolm accepts it, CVE-2024-45193): rejected strictly.
	sPlusL := append([]byte(nil), good...)
	copy(sPlusL[165+32:], newttest.AddL(sPlusL[165+32:]))
	if k, err := megolm.NewSessionKey(sPlusL); err != nil {
		t.Fatal(err)
	} else if _, err := megolm.NewInboundGroupSession(k); !errors.Is(err, megolm.ErrBadSignature) {
		t.Errorf("S+L: err = %v, want ErrBadSignature", err)
	}

	// Invalid signing keys: the identity point (small order) with the
	// universal signature R = identity, S = 0 that libolm accepts, and a
	// non-canonical encoding (y = p).
	identity := append([]byte(nil), good...)
	copy(identity[133:165], append([]byte{1}, make([]byte, 31)...))
	copy(identity[165:229], append(append([]byte{1}, make([]byte, 31)...), make([]byte, 32)...))
	nonCanonical := append([]byte(nil), good...)
	copy(nonCanonical[133:165], []byte{
		0xed, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f})
	for name, b := range map[string][]byte{"identity key": identity, "non-canonical key": nonCanonical} {
		k, err := megolm.NewSessionKey(b)
		if err != nil {
			t.Fatal(err)
		}
		_, err = megolm.NewInboundGroupSession(k)
		if !errors.Is(err, megolm.ErrBadSessionKey) || !errors.Is(err, megolm.ErrInvalidSigningKey) {
			t.Errorf("%s: err = %v", name, err)
		}
		e, _ := megolm.NewExportedSessionKey(append([]byte{1}, b[1:165]...))
		_, err = megolm.ImportInboundGroupSession(e)
		if !errors.Is(err, megolm.ErrBadSessionKey) || !errors.Is(err, megolm.ErrInvalidSigningKey) {
			t.Errorf("%s (export): err = %v", name, err)
		}
	}

	// Exported keys.
	exp := append([]byte{1}, good[1:165]...)
	for _, b := range [][]byte{nil, exp[:164], append(append([]byte(nil), exp...), 0), good, append([]byte{2}, exp[1:]...)} {
		if _, err := megolm.NewExportedSessionKey(b); !errors.Is(err, megolm.ErrBadSessionKey) {
			t.Errorf("NewExportedSessionKey(%d bytes) err = %v", len(b), err)
		}
		if _, err := megolm.ParseExportedSessionKey(b64.EncodeToString(b)); !errors.Is(err, megolm.ErrBadSessionKey) {
			t.Errorf("ParseExportedSessionKey(%d bytes) err = %v", len(b), err)
		}
	}
	// Nil and zero values.
	if _, err := megolm.NewInboundGroupSession(nil); !errors.Is(err, megolm.ErrBadSessionKey) {
		t.Error("nil session key")
	}
	if _, err := megolm.NewInboundGroupSession(new(megolm.SessionKey)); !errors.Is(err, megolm.ErrBadSessionKey) {
		t.Error("zero session key")
	}
	if _, err := megolm.ImportInboundGroupSession(new(megolm.ExportedSessionKey)); !errors.Is(err, megolm.ErrBadSessionKey) {
		t.Error("zero exported session key")
	}
}

func TestExportNeverChangesSession(t *testing.T) {
	out, in := newPair(t)
	for range 5 {
		out.Encrypt(nil)
	}
	before := in.Pickle(pickleKey)
	for _, i := range []uint32{0, 3, 1000, 1 << 20, 0x7fffffff} {
		e, err := in.Export(i)
		if err != nil || e.Index() != i {
			t.Fatalf("Export(%d) = %v", i, err)
		}
	}
	if _, err := in.Export(0x80000000); !errors.Is(err, megolm.ErrUnknownMessageIndex) {
		t.Fatalf("Export(2^31) err = %v", err)
	}
	if before != in.Pickle(pickleKey) {
		t.Fatal("Export changed the session (libolm would have moved latest)")
	}
	// An export at 3 decrypts message 3 on.
	e, _ := in.Export(3)
	imp, err := megolm.ImportInboundGroupSession(e)
	if err != nil {
		t.Fatal(err)
	}
	m := out.Encrypt([]byte("five"))
	if pt, index, err := imp.Decrypt(m); err != nil || string(pt) != "five" || index != 5 {
		t.Fatalf("Decrypt = %q %d %v", pt, index, err)
	}
}

func TestCompareAndMerge(t *testing.T) {
	out, a := newPair(t) // verified, first known 0
	e, err := a.Export(10)
	if err != nil {
		t.Fatal(err)
	}
	b, err := megolm.ImportInboundGroupSession(e) // unverified, first known 10
	if err != nil {
		t.Fatal(err)
	}
	_, c := newPair(t) // unrelated
	if !a.Connected(b) || !b.Connected(a) || !a.Connected(a) {
		t.Fatal("Connected")
	}
	if a.Connected(c) || a.Connected(nil) {
		t.Fatal("unrelated sessions connected")
	}
	for _, tc := range []struct {
		x, y *megolm.InboundGroupSession
		want megolm.SessionOrdering
	}{
		{a, b, megolm.Better}, {b, a, megolm.Worse}, {a, a, megolm.Equal}, {b, b, megolm.Equal},
		{a, c, megolm.Unconnected}, {c, b, megolm.Unconnected},
	} {
		if got := tc.x.Compare(tc.y); got != tc.want {
			t.Errorf("Compare = %v, want %v", got, tc.want)
		}
	}

	// Same signing key, unrelated ratchet: not connected.
	eb := e.Bytes()
	eb[50] ^= 1
	fakeKey, _ := megolm.NewExportedSessionKey(eb)
	fake, err := megolm.ImportInboundGroupSession(fakeKey)
	if err != nil {
		t.Fatal(err)
	}
	if a.Connected(fake) || a.Compare(fake) != megolm.Unconnected {
		t.Fatal("session with a different ratchet is connected")
	}
	if _, err := a.Merge(fake); !errors.Is(err, megolm.ErrNotConnected) {
		t.Fatalf("Merge(unconnected) err = %v", err)
	}
	if _, err := a.Merge(c); !errors.Is(err, megolm.ErrNotConnected) {
		t.Fatalf("Merge(unrelated) err = %v", err)
	}

	// An unverified export at 0 merged with a verified key at 10 gives a
	// verified session at 0 (vodozemac's example, the other way round).
	late, err := megolm.NewInboundGroupSession(forwardKey(t, out, 10))
	if err != nil {
		t.Fatal(err)
	}
	e0, _ := a.Export(0)
	early, _ := megolm.ImportInboundGroupSession(e0)
	merged, err := late.Merge(early)
	if err != nil {
		t.Fatal(err)
	}
	if merged.FirstKnownIndex() != 0 || !merged.IsVerified() || merged.ID() != a.ID() {
		t.Fatalf("merged: first %d verified %v", merged.FirstKnownIndex(), merged.IsVerified())
	}
	if merged.Compare(a) != megolm.Equal || merged.Compare(late) != megolm.Better {
		t.Fatal("merged ordering")
	}
	if early.IsVerified() || late.FirstKnownIndex() != 10 {
		t.Fatal("Merge changed its inputs")
	}
	m := out.Encrypt([]byte("x"))
	if _, _, err := merged.Decrypt(m); err != nil {
		t.Fatal(err)
	}
}

// forwardKey encrypts on out until its index is n and returns its session key.
func forwardKey(t testing.TB, out *megolm.GroupSession, n uint32) *megolm.SessionKey {
	t.Helper()
	for out.MessageIndex() < n {
		out.Encrypt(nil)
	}
	return out.SessionKey()
}

// TestConcurrentEncryptDecrypt checks security C21 (run with -race): N
// goroutines encrypting never get the same index, and concurrent decryptions
// of shuffled messages all succeed.
func TestConcurrentEncryptDecrypt(t *testing.T) {
	out, in := newPair(t)
	const workers, perWorker = 8, 25
	msgs := make([][]*megolm.Message, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perWorker {
				msgs[w] = append(msgs[w], out.Encrypt(fmt.Appendf(nil, "%d/%d", w, i)))
				_ = out.MessageIndex()
			}
		}()
	}
	wg.Wait()
	seen := make(map[uint32]string)
	var all []*megolm.Message
	for w := range msgs {
		for i, m := range msgs[w] {
			if prev, dup := seen[m.Index()]; dup {
				t.Fatalf("index %d used twice (%s and %d/%d)", m.Index(), prev, w, i)
			}
			seen[m.Index()] = fmt.Sprintf("%d/%d", w, i)
			all = append(all, m)
		}
	}
	if len(seen) != workers*perWorker || out.MessageIndex() != workers*perWorker {
		t.Fatal("indexes are not 0..N-1")
	}
	rand.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
	errs := make(chan error, len(all))
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(all); i += workers {
				pt, index, err := in.Decrypt(all[i])
				if err != nil {
					errs <- err
					continue
				}
				if string(pt) != seen[index] {
					errs <- fmt.Errorf("index %d: got %q want %q", index, pt, seen[index])
				}
				_ = in.Pickle(pickleKey)
				_, _ = in.Export(index)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

func TestPickleRoundTrip(t *testing.T) {
	out, in := newPair(t)
	out.Encrypt(nil)
	m := out.Encrypt([]byte("m1"))
	if _, _, err := in.Decrypt(m); err != nil {
		t.Fatal(err)
	}
	for _, key := range [][]byte{nil, []byte("k"), bytes.Repeat([]byte{7}, 100)} {
		p := out.Pickle(key)
		o2, err := megolm.GroupSessionFromPickle(p, key)
		if err != nil {
			t.Fatal(err)
		}
		if o2.Pickle(key) != p || o2.ID() != out.ID() || o2.MessageIndex() != 2 {
			t.Fatal("outbound pickle round trip")
		}
		ip := in.Pickle(key)
		i2, err := megolm.InboundGroupSessionFromPickle(ip, key)
		if err != nil {
			t.Fatal(err)
		}
		if i2.Pickle(key) != ip || i2.ID() != in.ID() || !i2.IsVerified() {
			t.Fatal("inbound pickle round trip")
		}
	}
	// Both sessions continue identically after unpickling.
	o2, _ := megolm.GroupSessionFromPickle(out.Pickle(pickleKey), pickleKey)
	if !bytes.Equal(o2.Encrypt([]byte("same")).Bytes(), out.Encrypt([]byte("same")).Bytes()) {
		t.Fatal("unpickled outbound session encrypts differently")
	}
}

func TestPickleErrors(t *testing.T) {
	out, in := newPair(t)
	op, ip := out.Pickle(pickleKey), in.Pickle(pickleKey)
	for name, f := range map[string]func(p, key []byte) error{
		"outbound": func(p, key []byte) error { _, err := megolm.GroupSessionFromPickle(string(p), key); return err },
		"inbound":  func(p, key []byte) error { _, err := megolm.InboundGroupSessionFromPickle(string(p), key); return err },
	} {
		p := op
		if name == "inbound" {
			p = ip
		}
		err := f([]byte(p), []byte("wrong key"))
		if !errors.Is(err, megolm.ErrBadPickleKey) || !errors.Is(err, pickle.ErrBadKey) {
			t.Errorf("%s: wrong key err = %v", name, err)
		}
		tampered := append([]byte(nil), p...)
		tampered[10] ^= 1
		if err := f(tampered, pickleKey); err == nil {
			t.Errorf("%s: tampered pickle accepted", name)
		}
		for _, bad := range [][]byte{nil, []byte("A"), []byte("!!!!"), []byte(p[:len(p)-1])} {
			if err := f(bad, pickleKey); err == nil {
				t.Errorf("%s: %q accepted", name, bad)
			}
		}
	}

	plainOut, _ := pickle.Decrypt(pickleKey, []byte(op))
	plainIn, _ := pickle.Decrypt(pickleKey, []byte(ip))
	reseal := func(b []byte) []byte { return []byte(newttest.SealPickle(pickleKey, b)) }
	withVersion := func(b []byte, v uint32) []byte {
		b = append([]byte(nil), b...)
		binary.BigEndian.PutUint32(b, v)
		return b
	}
	for _, v := range []uint32{0, 2, 3, 0x80000001} {
		if _, err := megolm.GroupSessionFromPickle(string(reseal(withVersion(plainOut, v))), pickleKey); !errors.Is(err, megolm.ErrUnknownPickleVersion) {
			t.Errorf("outbound version %d: err = %v", v, err)
		}
	}
	for _, v := range []uint32{0, 3} {
		if _, err := megolm.InboundGroupSessionFromPickle(string(reseal(withVersion(plainIn, v))), pickleKey); !errors.Is(err, megolm.ErrUnknownPickleVersion) {
			t.Errorf("inbound version %d: err = %v", v, err)
		}
	}
	for n := range plainOut {
		if _, err := megolm.GroupSessionFromPickle(string(reseal(plainOut[:n])), pickleKey); !errors.Is(err, megolm.ErrCorruptedPickle) && !errors.Is(err, megolm.ErrUnknownPickleVersion) {
			t.Fatalf("outbound truncated to %d: err = %v", n, err)
		}
	}
	for n := range plainIn {
		_, err := megolm.InboundGroupSessionFromPickle(string(reseal(plainIn[:n])), pickleKey)
		if n == len(plainIn)-1 {
			continue // a version-2 pickle without its bool: see the v1 case
		}
		if !errors.Is(err, megolm.ErrCorruptedPickle) && !errors.Is(err, megolm.ErrUnknownPickleVersion) {
			t.Fatalf("inbound truncated to %d: err = %v", n, err)
		}
	}
	if _, err := megolm.GroupSessionFromPickle(string(reseal(append(plainOut, 0))), pickleKey); !errors.Is(err, megolm.ErrCorruptedPickle) {
		t.Errorf("outbound trailing byte: err = %v", err)
	}
	if _, err := megolm.InboundGroupSessionFromPickle(string(reseal(append(plainIn, 0))), pickleKey); !errors.Is(err, megolm.ErrCorruptedPickle) {
		t.Errorf("inbound trailing byte: err = %v", err)
	}
	// Invalid signing key in an inbound pickle.
	bad := append([]byte(nil), plainIn...)
	copy(bad[4+2*132:], append([]byte{1}, make([]byte, 31)...))
	_, err := megolm.InboundGroupSessionFromPickle(string(reseal(bad)), pickleKey)
	if !errors.Is(err, megolm.ErrCorruptedPickle) || !errors.Is(err, megolm.ErrInvalidSigningKey) {
		t.Errorf("identity signing key: err = %v", err)
	}
}

// TestInboundPickleVersion1 loads a version-1 inbound pickle (no verified
// flag): it loads verified and is re-pickled as version 2 (libolm
// src/inbound_group_session.c, olm_unpickle_inbound_group_session).
func TestInboundPickleVersion1(t *testing.T) {
	out, _ := newPair(t)
	e0, _ := newttest.Must(t, megolm.NewInboundGroupSession, out.SessionKey()).Export(0)
	imp, _ := megolm.ImportInboundGroupSession(e0) // unverified
	plain, _ := pickle.Decrypt(pickleKey, []byte(imp.Pickle(pickleKey)))
	if plain[len(plain)-1] != 0 {
		t.Fatal("imported session pickled as verified")
	}
	v1 := append([]byte(nil), plain[:len(plain)-1]...)
	binary.BigEndian.PutUint32(v1, 1)
	s, err := megolm.InboundGroupSessionFromPickle(newttest.SealPickle(pickleKey, v1), pickleKey)
	if err != nil {
		t.Fatal(err)
	}
	if !s.IsVerified() {
		t.Fatal("version-1 pickle not loaded as verified")
	}
	want := append(append([]byte(nil), plain...), 0)[:len(plain)]
	binary.BigEndian.PutUint32(want, 2)
	want[len(want)-1] = 1
	got, _ := pickle.Decrypt(pickleKey, []byte(s.Pickle(pickleKey)))
	if !bytes.Equal(got, want) {
		t.Fatal("version-1 pickle not re-pickled as version 2")
	}
	// Any non-zero bool reads as true.
	plain[len(plain)-1] = 0x7f
	s, err = megolm.InboundGroupSessionFromPickle(newttest.SealPickle(pickleKey, plain), pickleKey)
	if err != nil || !s.IsVerified() {
		t.Fatalf("bool 0x7f: %v", err)
	}
}
