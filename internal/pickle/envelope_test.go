// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package pickle_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"errors"
	"strings"
	"testing"

	"github.com/newt-e2ee/newt/internal/aessha2"
	"github.com/newt-e2ee/newt/internal/b64"
	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/internal/pickle"
	"github.com/newt-e2ee/newt/testvectors"
)

var secretKey = []byte("secret_key")

// expanded returns libolm's expanded Ed25519 private key for seed (libolm
// src/crypto.cpp, _olm_crypto_ed25519_generate_key): SHA-512(seed) with the
// first half clamped.
func expanded(seed []byte) []byte {
	h := sha512.Sum512(seed)
	h[0] &= 248
	h[31] &= 63
	h[31] |= 64
	return h[:]
}

// otk writes one OTK record: u32 id ‖ bool published ‖ pub32 ‖ priv32.
func otk(w *pickle.Writer, id uint32, published bool, pub, priv []byte) {
	w.U32(id)
	w.Bool(published)
	w.Bytes(pub)
	w.Bytes(priv)
}

// accountHeader writes the Alice account of fixed.json (olm/account; random
// 00..3f) up to the OTK list: version 4, the Ed25519 pair, the Curve25519
// pair.
func accountHeader(t testing.TB, w *pickle.Writer) {
	ans := testvectors.LoadAnswers(t)
	w.U32(4)
	w.Bytes(newttest.Base64(t, ans.Get("olm/script/alice_ed25519_base64"))) // identity ed25519
	w.Bytes(expanded(newttest.Seq(0x00, 0x20)))
	w.Bytes(newttest.Base64(t, ans.Get("olm/script/alice_curve25519_base64"))) // identity curve25519
	w.Bytes(newttest.Seq(0x20, 0x20))
}

// TestKnownPickles builds plaintexts from libolm's pickle layouts
// (olm::pickle in src/account.cpp, src/session.cpp, src/ratchet.cpp) and the
// public values of fixed.json, and checks that sealing gives libolm's pickle
// and Decrypt gives the plaintext back.
func TestKnownPickles(t *testing.T) {
	ans := testvectors.LoadAnswers(t)
	vecAccount := ans.Get("olm/account/pickle")
	vecAccountNoKey := ans.Get("olm/account/pickle_empty_key")
	vecAccountOTK := ans.Get("olm/account/pickle_with_keys")
	vecAccountPublished := ans.Get("olm/account/pickle_published")
	vecPk := ans.Get("pk/pickle")
	freshAccount := func(t *testing.T) []byte {
		w := &pickle.Writer{Buf: make([]byte, 0, 173)}
		accountHeader(t, w)
		w.U32(0) // no one-time keys
		w.U8(0)  // no fallback key
		w.U32(0) // next_one_time_key_id
		return w.Buf
	}
	accountWithKeys := func(published bool) func(t *testing.T) []byte {
		return func(t *testing.T) []byte {
			w := &pickle.Writer{Buf: make([]byte, 0, 380)}
			accountHeader(t, w)
			w.U32(2) // newest first: id 2 (random 60..7f), id 1 (40..5f)
			otk(w, 2, published, newttest.Base64(t, "Z13VdO13iTELPS52gfN5C0ZsdzsVIf7PNld5WDcepS8"), newttest.Seq(0x60, 0x20))
			otk(w, 1, published, newttest.Base64(t, "eaYx7t4b+cmPEgMs3q3Q56B5OY/HhriMyEbsia+FpRo"), newttest.Seq(0x40, 0x20))
			w.U8(1) // one fallback key, id 3 (random 80..9f)
			otk(w, 3, published, newttest.Base64(t, ans.Get("olm/script/bob_one_time_key_base64")), newttest.Seq(0x80, 0x20))
			w.U32(3)
			if len(w.Buf) != 380 {
				t.Fatalf("plaintext is %d bytes, libolm's layout gives 380", len(w.Buf))
			}
			return w.Buf
		}
	}
	mv := testvectors.Load[testvectors.MegolmVectors](t, "megolm.json")
	// libolm's deterministic outbound group session (random 00..9f) at
	// index 0, and the inbound session made from its session key.
	vecOutbound, vecInbound := mv.Outbound.OutboundPickle0, mv.Outbound.InboundPickleFresh
	groupPub := mv.Outbound.SessionID // session id = signing key
	outbound := func(t *testing.T) []byte {
		w := &pickle.Writer{Buf: make([]byte, 0, 232)}
		w.U32(1)
		w.Bytes(newttest.Seq(0x00, 0x80)) // R0..R3 = random[0:128]
		w.U32(0)
		w.Bytes(newttest.Base64(t, groupPub))
		w.Bytes(expanded(newttest.Seq(0x80, 0x20))) // signing seed = random[128:160]
		return w.Buf
	}
	inbound := func(t *testing.T) []byte {
		w := &pickle.Writer{Buf: make([]byte, 0, 301)}
		w.U32(2)
		for range 2 { // initial and latest ratchet
			w.Bytes(newttest.Seq(0x00, 0x80))
			w.U32(0)
		}
		w.Bytes(newttest.Base64(t, groupPub))
		w.Bool(true) // made from a signed session key
		return w.Buf
	}
	pk := func(t *testing.T) []byte {
		w := &pickle.Writer{Buf: make([]byte, 0, 68)}
		w.U32(1)
		w.Bytes(newttest.Hex(t, ans.Get("rfc7748/alice_public_hex")))
		w.Bytes(newttest.Hex(t, ans.Get("rfc7748/alice_private_hex")))
		return w.Buf
	}
	for _, tc := range []struct {
		name      string
		key       []byte
		pickle    string
		plaintext func(*testing.T) []byte
	}{
		{"fresh account", secretKey, vecAccount, freshAccount},
		{"fresh account, empty key", nil, vecAccountNoKey, freshAccount},
		{"account with 2 OTKs and a fallback key", secretKey, vecAccountOTK, accountWithKeys(false)},
		{"same after mark_keys_as_published", secretKey, vecAccountPublished, accountWithKeys(true)},
		{"outbound group session", secretKey, vecOutbound, outbound},
		{"inbound group session", secretKey, vecInbound, inbound},
		{"pk decryption", secretKey, vecPk, pk},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := tc.plaintext(t)
			if got := newttest.SealPickle(tc.key, want); got != tc.pickle {
				t.Errorf("Encrypt = %s\nwant      %s", got, tc.pickle)
			}
			if n := pickle.EncryptedLen(len(want)); n != len(tc.pickle) {
				t.Errorf("EncryptedLen(%d) = %d, pickle has %d", len(want), n, len(tc.pickle))
			}
			got, err := pickle.Decrypt(tc.key, []byte(tc.pickle))
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("Decrypt = %x, %v\nwant      %x", got, err, want)
			}
		})
	}
}

// TestDecryptReencrypt decrypts libolm pickles whose plaintext cannot be
// rebuilt from public values, checks what libolm's layouts say about them,
// and checks that re-encrypting the plaintext gives the same string.
func TestDecryptReencrypt(t *testing.T) {
	ans := testvectors.LoadAnswers(t)
	vecSessionV1 := ans.Get("olm/libolm_tests/session_v1_pickle")
	vecSessionV2 := ans.Get("olm/libolm_tests/session_v2_pickle")
	vecAliceSession := ans.Get("olm/script/alice_pickle_after_m1b")
	vecBobSession := ans.Get("olm/script/bob_pickle_before_decrypt")
	vecAccountV3 := ans.Get("olm/libolm_tests/account_v3_pickle")
	vecAccountV1 := ans.Get("olm/libolm_tests/account_v1_pickle")
	vecVodozemacIGS := ans.Get("vodozemac/megolm_decryption/pickle")
	vodozemacKey := []byte(ans.Get("vodozemac/megolm_decryption/pickle_key"))
	for _, tc := range []struct {
		name   string
		key    []byte
		pickle string
		check  func(t *testing.T, pt []byte)
	}{
		{"account v3", nil, vecAccountV3, func(t *testing.T, pt []byte) {
			// Version 3, 0 OTKs, current = (id 1, published), prev = zeros, next id 1.
			r := pickle.NewReader(pt)
			var skip [160]byte
			if v := r.U32(); v != 3 {
				t.Errorf("version %d, want 3", v)
			}
			r.Read(skip[:])
			if n := r.Count(100); n != 0 {
				t.Errorf("%d one-time keys", n)
			}
			var pub, priv [32]byte
			if id, published := r.U32(), r.Bool(); id != 1 || !published {
				t.Errorf("current fallback id %d published %v", id, published)
			}
			r.Read(pub[:])
			r.Read(priv[:])
			if !bytes.Equal(pub[:], newttest.Base64(t, ans.Get("olm/libolm_tests/account_v3_fallback_key_base64"))) {
				t.Errorf("fallback key %x", pub)
			}
			var prev [69]byte
			r.Read(prev[:])
			if prev != [69]byte{} {
				t.Errorf("previous fallback key %x, want zeros", prev)
			}
			if id := r.U32(); id != 1 {
				t.Errorf("next id %d", id)
			}
			if err := r.Finish(); err != nil {
				t.Error(err)
			}
		}},
		{"account v1 (rejected later by the account layout)", nil, vecAccountV1, func(t *testing.T, pt []byte) {
			if v := pickle.NewReader(pt).U32(); v != 1 {
				t.Errorf("version %d, want 1", v)
			}
		}},
		{"session V1", secretKey, vecSessionV1, func(t *testing.T, pt []byte) {
			checkSession(t, pt, sessionV1, 1)
		}},
		{"session V2", secretKey, vecSessionV2, func(t *testing.T, pt []byte) {
			checkSession(t, pt, sessionV1, 0x80000001)
		}},
		{"Alice after m1, m1b", secretKey, vecAliceSession, func(t *testing.T, pt []byte) {
			checkSession(t, pt, aliceSession(t), 1)
		}},
		{"Bob before decrypting m1", secretKey, vecBobSession, func(t *testing.T, pt []byte) {
			checkSession(t, pt, bobSession(t), 1)
		}},
		{"vodozemac JSON pickle", vodozemacKey, vecVodozemacIGS, func(t *testing.T, pt []byte) {
			s := string(pt)
			if !strings.HasPrefix(s, "{") || !strings.Contains(s, `"initial_ratchet"`) || !strings.Contains(s, `"signing_key_verified":true`) {
				t.Errorf("plaintext %q is not the expected JSON", s)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pt, err := pickle.Decrypt(tc.key, []byte(tc.pickle))
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, pt)
			if again := newttest.SealPickle(tc.key, pt); again != tc.pickle {
				t.Errorf("re-encrypted = %s\nwant           %s", again, tc.pickle)
			}
		})
	}
}

// session is the content of an Olm session pickle (libolm src/session.cpp and
// src/ratchet.cpp, olm::pickle).
type session struct {
	received                   bool
	aliceID, aliceBase, bobOTK []byte
	root                       []byte
	senders                    []chain // ratchet pub ‖ priv ‖ chain key ‖ index
	receivers                  []chain // ratchet pub ‖ chain key ‖ index
}

type chain struct {
	pub, priv, key []byte
	index          uint32
}

var sessionV1 = session{ // libolm tests/test_session.cpp, "V1 session pickle"
	aliceID:   newttest.MustHex("7326b58623a3f7bd8da11a1bab51f432c02a7430241b326e9fc8916a21eb257e"),
	aliceBase: newttest.MustHex("0ab4b30bde20bd374ceccc72861660f0fd046f7516900796c3e5de41c598316c"),
	bobOTK:    newttest.MustHex("585dba930b10d90d81702c715f4085d07c42b0cd2d676010bb6086c86c4cc618"),
	root:      newttest.MustHex("49d640dc96b80176694af69fc4b8ca9fac49aecbd697d01fd8bee1ed2693b6c9"),
	senders: []chain{{
		pub:  newttest.MustHex("f77a03eaa9b301fa7d2a5aa6b50286906de12cc96044f526dbbcb12839ad7003"),
		priv: newttest.MustHex("d945c6ed4c7c277117adf11fb133a7936d287afe97c0b3ac989644b4490d4f31"),
		key:  newttest.MustHex("6ef9c136cb1379d047cac40ee8ffc31de390c1bc8bd5f2b1473240fa38b85a40"),
	}},
}

// advance returns C_i,j+1 = HMAC-SHA256(C_i,j, 0x02) (libolm src/ratchet.cpp,
// advance_chain_key).
func advance(c []byte) []byte {
	m := hmac.New(sha256.New, c)
	m.Write([]byte{0x02})
	return m.Sum(nil)
}

// aliceSession is Alice's state after sending m1 and m1b (fixed.json,
// olm/script): root R0, sender chain T0 = random c0..df at index 2 (C0,0
// advanced twice). Her base key E_A (random a0..bf) is public only inside m1.
func aliceSession(t *testing.T) session {
	ans := testvectors.LoadAnswers(t)
	c00 := newttest.Hex(t, ans.Get("ratchet/script/chain_key_0_0_hex"))
	m1 := newttest.Base64(t, ans.Get("olm/script/m1"))
	// Fixed libolm layout: 03 0a 20 otk(32) 12 20 base(32) 1a 20 id(32) 22 3f, then the inner 03 0a 20 T0(32) ...
	return session{
		aliceID:   newttest.Base64(t, ans.Get("olm/script/alice_curve25519_base64")),
		aliceBase: m1[37:69],
		bobOTK:    newttest.Base64(t, ans.Get("olm/script/bob_one_time_key_base64")),
		root:      newttest.Hex(t, ans.Get("ratchet/script/root_key_0_hex")),
		senders:   []chain{{pub: m1[108:140], priv: newttest.Seq(0xc0, 0x20), key: advance(advance(c00)), index: 2}},
	}
}

// bobSession is Bob's inbound session before decrypting m1: one receiver
// chain (T0, C0,0, index 0), no sender chain.
func bobSession(t *testing.T) session {
	ans := testvectors.LoadAnswers(t)
	s := aliceSession(t)
	s.receivers = []chain{{pub: s.senders[0].pub, key: newttest.Hex(t, ans.Get("ratchet/script/chain_key_0_0_hex"))}}
	s.senders = nil
	return s
}

// checkSession reads an Olm session pickle with the Reader, the way the olm
// package will, and compares it with want.
func checkSession(t *testing.T, pt []byte, want session, version uint32) {
	t.Helper()
	r := pickle.NewReader(pt)
	if v := r.U32(); v != version {
		t.Errorf("version %#x, want %#x", v, version)
	}
	if r.Bool() != want.received {
		t.Errorf("received_message != %v", want.received)
	}
	read32 := func() []byte {
		b := make([]byte, 32)
		r.Read(b)
		return b
	}
	for _, f := range []struct {
		name string
		want []byte
	}{
		{"alice identity key", want.aliceID},
		{"alice base key", want.aliceBase},
		{"bob one-time key", want.bobOTK},
		{"root key", want.root},
	} {
		if got := read32(); !bytes.Equal(got, f.want) {
			t.Errorf("%s = %x, want %x", f.name, got, f.want)
		}
	}
	n := r.Count(1)
	if n != len(want.senders) {
		t.Fatalf("%d sender chains, want %d (%v)", n, len(want.senders), r.Err())
	}
	for i := range n {
		got := chain{pub: read32(), priv: read32(), key: read32(), index: r.U32()}
		if w := want.senders[i]; !bytes.Equal(got.pub, w.pub) || !bytes.Equal(got.priv, w.priv) ||
			!bytes.Equal(got.key, w.key) || got.index != w.index {
			t.Errorf("sender chain %d = %x, want %x", i, got, w)
		}
	}
	n = r.Count(5)
	if n != len(want.receivers) {
		t.Fatalf("%d receiver chains, want %d (%v)", n, len(want.receivers), r.Err())
	}
	for i := range n {
		got := chain{pub: read32(), key: read32(), index: r.U32()}
		if w := want.receivers[i]; !bytes.Equal(got.pub, w.pub) || !bytes.Equal(got.key, w.key) || got.index != w.index {
			t.Errorf("receiver chain %d = %x, want %x", i, got, w)
		}
	}
	if n := r.Count(40); n != 0 {
		t.Errorf("%d skipped keys", n)
	}
	if version == 0x80000001 {
		r.U32() // ignored chain index
	}
	if err := r.Finish(); err != nil {
		t.Error(err)
	}
}

// TestDecryptErrors checks every failure class of Decrypt.
func TestDecryptErrors(t *testing.T) {
	ans := testvectors.LoadAnswers(t)
	vecAccount := ans.Get("olm/account/pickle")
	vecPk := ans.Get("pk/pickle")
	good := []byte(vecAccount)
	flip := func(i int) []byte {
		// Replace character i by another alphabet character: the bytes
		// change but the base64 stays valid and canonical.
		b := bytes.Clone(good)
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
		return b
	}
	raw := newttest.Base64(t, vecAccount)
	tests := []struct {
		name   string
		key    []byte
		pickle []byte
		err    error
	}{
		{"wrong key", []byte("secret_kez"), good, pickle.ErrBadKey},
		{"empty key instead", nil, good, pickle.ErrBadKey},
		{"flipped first ciphertext char", secretKey, flip(0), pickle.ErrBadKey},
		{"flipped middle char", secretKey, flip(100), pickle.ErrBadKey},
		// The last character holds MAC bits plus 2 zero trailing bits.
		{"flipped MAC char", secretKey, flip(len(good) - 2), pickle.ErrBadKey},
		{"MAC dropped", secretKey, []byte(b64.EncodeToString(raw[:len(raw)-8])), pickle.ErrCorrupted},
		{"one MAC byte dropped", secretKey, []byte(b64.EncodeToString(raw[:len(raw)-1])), pickle.ErrCorrupted},
		{"block dropped", secretKey, []byte(b64.EncodeToString(append(bytes.Clone(raw[:len(raw)-24]), raw[len(raw)-8:]...))), pickle.ErrBadKey},
		{"extra byte", secretKey, []byte(b64.EncodeToString(append(bytes.Clone(raw), 0))), pickle.ErrCorrupted},
		{"only a MAC and a partial block", secretKey, []byte(b64.EncodeToString(raw[:23])), pickle.ErrCorrupted},
		{"empty", secretKey, nil, pickle.ErrCorrupted},
		{"padded base64", secretKey, []byte(vecPk + "=="), pickle.ErrInvalidBase64},
		{"length 1 mod 4", secretKey, good[:len(good)-1], pickle.ErrInvalidBase64},
		{"newline", secretKey, append(bytes.Clone(good[:100]), append([]byte("\n"), good[100:]...)...), pickle.ErrInvalidBase64},
		{"non-canonical trailing bits", secretKey, append(bytes.Clone(good[:len(good)-1]), 'R'), pickle.ErrInvalidBase64},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pt, err := pickle.Decrypt(tt.key, tt.pickle)
			if !errors.Is(err, tt.err) || pt != nil {
				t.Fatalf("Decrypt = %x, %v; want nil, %v", pt, err, tt.err)
			}
			if strings.Contains(err.Error(), "secret") {
				t.Errorf("error %q mentions the key", err)
			}
		})
	}
	// The base64 error is wrapped.
	_, err := pickle.Decrypt(secretKey, []byte("AA=A"))
	var de *b64.DecodeError
	if !errors.As(err, &de) || de.Offset != 2 {
		t.Errorf("Decrypt(\"AA=A\") = %v, want a wrapped *b64.DecodeError at 2", err)
	}
}

// TestPaddingFailureIsBadKey forges pickles whose MAC is right (computed
// with the real keys) but whose decrypted padding is wrong: Decrypt must give
// ErrBadKey, the same error as a wrong MAC, and no plaintext.
func TestPaddingFailureIsBadKey(t *testing.T) {
	var k aessha2.Keys
	aessha2.DeriveKeys(&k, secretKey, aessha2.InfoPickle)
	for _, last := range [][]byte{
		bytes.Repeat([]byte{0}, 16),            // padding byte 0 (libolm strips nothing)
		bytes.Repeat([]byte{17}, 16),           // padding byte > 16
		append(bytes.Repeat([]byte{1}, 15), 3), // claims 3, only the last byte is 3
		append(bytes.Repeat([]byte{8}, 15), 9), // claims 9, the bytes before are 8
	} {
		// CBC: the first ciphertext block depends only on the IV and the
		// first plaintext block, so the first block of the encryption of
		// last is a one-block ciphertext whose plaintext is exactly last.
		ct := k.AppendEncrypt(nil, last)[:16]
		raw := k.AppendMAC(bytes.Clone(ct), ct, 8)
		pt, err := pickle.Decrypt(secretKey, []byte(b64.EncodeToString(raw)))
		if !errors.Is(err, pickle.ErrBadKey) || pt != nil {
			t.Errorf("padding block %x: %x, %v; want ErrBadKey", last, pt, err)
		}
	}
	// Control: the same construction with valid padding decrypts.
	good := append([]byte("hello world"), 5, 5, 5, 5, 5)
	ct := k.AppendEncrypt(nil, good)[:16]
	raw := k.AppendMAC(bytes.Clone(ct), ct, 8)
	if pt, err := pickle.Decrypt(secretKey, []byte(b64.EncodeToString(raw))); err != nil || string(pt) != "hello world" {
		t.Errorf("control: %q, %v", pt, err)
	}
}
