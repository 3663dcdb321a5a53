// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

//go:build libolm

package libolm

import (
	"bytes"
	"encoding/hex"
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/testvectors"
)

// Known answers of testvectors/fixed.json, checked through the binding: some
// come from libolm's own test suite (tests/), the others were generated on
// libolm 3.2.13 from fixed inputs.

func eqHex(t testing.TB, what string, got []byte, want string) {
	t.Helper()
	if h := hex.EncodeToString(got); h != want {
		t.Errorf("%s:\n got %s\nwant %s", what, h, want)
	}
}

func eqStr(t testing.TB, what, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("%s:\n got %q\nwant %q", what, got, want)
	}
}

func noErr(t testing.TB, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// wantErr checks that err is a *Error with the given libolm name.
func wantErr(t testing.TB, what string, err error, name string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Name != name {
		t.Errorf("%s: got error %v, want libolm: %s", what, err, name)
	}
}

var pickleKey = []byte("secret_key")

func TestVersion(t *testing.T) {
	major, minor, _ := Version()
	if major != 3 || minor != 2 {
		t.Fatalf("libolm version %d.%d, want 3.2.x", major, minor)
	}
}

func TestError(t *testing.T) {
	err := error(&Error{Name: "BAD_MESSAGE_MAC"})
	eqStr(t, "Error()", err.Error(), "libolm: BAD_MESSAGE_MAC")
}

// TestPrimitives checks the binding's primitives on the answers of
// primitives.json and on libolm's documented quirks (lenient base64 and
// unpadding, no low-order check, S+L accepted).
func TestPrimitives(t *testing.T) {
	p := testvectors.Load[testvectors.Primitives](t, "primitives.json")
	t.Run("HKDF", func(t *testing.T) {
		for i, c := range p.HKDF {
			if got := HKDF(c.IKM, c.Salt, c.Info, c.Length); !bytes.Equal(got, c.Out) {
				t.Errorf("hkdf[%d] (%s): %x", i, c.Comment, got)
			}
		}
		ikm, info := bytes.Repeat([]byte{0x0b}, 22), newttest.Seq(0xf0, 10)
		if !bytes.Equal(HKDF(ikm, nil, info, 42), HKDF(ikm, make([]byte, 32), info, 42)) {
			t.Error("NULL salt differs from 32 zero bytes")
		}
		if len(HKDF(ikm, nil, nil, 0)) != 0 {
			t.Error("HKDF with n=0 returned bytes")
		}
	})
	t.Run("HMAC", func(t *testing.T) {
		for i, c := range p.HMAC {
			if m := HMACSHA256(c.Key, c.Msg); !bytes.Equal(m[:], c.MAC) {
				t.Errorf("hmac[%d] (%s): %x", i, c.Comment, m)
			}
		}
	})
	t.Run("SHA256", func(t *testing.T) {
		for i, c := range p.SHA256 {
			if d := SHA256Raw(c.Msg); !bytes.Equal(d[:], c.Digest) || SHA256(c.Msg) != c.OlmSHA256 {
				t.Errorf("sha256[%d] (%s): %x", i, c.Comment, d)
			}
		}
	})
	t.Run("AES", func(t *testing.T) {
		for i, c := range p.AESCBC {
			key, iv := [32]byte(c.Key), [16]byte(c.IV)
			ct := AESEncryptCBC(&key, &iv, c.Plaintext)
			pt, err := AESDecryptCBC(&key, &iv, ct)
			if !bytes.Equal(ct, c.Ciphertext) || err != nil || !bytes.Equal(pt, c.Plaintext) {
				t.Errorf("aes_cbc[%d] (%s): %x, %v", i, c.Comment, ct, err)
			}
		}
		var key [32]byte
		var iv [16]byte
		ct := AESEncryptCBC(&key, &iv, make([]byte, 16))
		_, err := AESDecryptCBC(&key, &iv, ct[:15])
		wantErr(t, "AESDecryptCBC(15 bytes)", err, "BAD_MESSAGE_MAC")
		_, err = AESDecryptCBC(&key, &iv, nil)
		wantErr(t, "AESDecryptCBC(empty)", err, "BAD_MESSAGE_MAC")
		// Lenient unpadding: a last byte of 0 strips nothing, 17 fails.
		for _, tc := range []struct {
			last byte
			n    int
		}{{0, 16}, {1, 15}, {16, 0}, {17, -1}} {
			block := make([]byte, 16)
			block[15] = tc.last
			c := AESEncryptCBC(&key, &iv, block)[:16] // first block = CBC of block
			p, err := AESDecryptCBC(&key, &iv, c)
			if tc.n < 0 {
				wantErr(t, "padding 17", err, "BAD_MESSAGE_MAC")
				continue
			}
			noErr(t, "lenient unpad", err)
			if len(p) != tc.n {
				t.Errorf("last byte %d: got %d bytes, want %d", tc.last, len(p), tc.n)
			}
		}
	})
	t.Run("X25519", func(t *testing.T) {
		for i, c := range p.X25519 {
			priv, peer := [32]byte(c.Private), [32]byte(c.PeerPublic)
			pub := Curve25519PublicKey(priv)
			s := Curve25519SharedSecret(priv, peer)
			if !bytes.Equal(pub[:], c.Public) || !bytes.Equal(s[:], c.Shared) {
				t.Errorf("x25519[%d] (%s): %x, %x", i, c.Comment, pub, s)
			}
		}
		// No low-order check: peer keys 0 and 1 give all-zero secrets.
		a := [32]byte(newttest.Seq(0x20, 32))
		for _, low := range [][32]byte{{}, {1}} {
			z := Curve25519SharedSecret(a, low)
			eqHex(t, "low-order DH", z[:], strings.Repeat("00", 32))
		}
	})
	t.Run("Ed25519", func(t *testing.T) {
		for i, c := range p.Ed25519 {
			pub, sk := Ed25519KeyFromSeed([32]byte(c.Seed))
			sig := Ed25519Sign(pub, sk, c.Message)
			if !bytes.Equal(pub[:], c.Public) || !bytes.Equal(sk[:], c.Expanded) || !bytes.Equal(sig[:], c.Signature) {
				t.Errorf("ed25519[%d] (%s): %x, %x", i, c.Comment, pub, sig)
			}
		}
		c := p.Ed25519[0]
		pub, sig := [32]byte(c.Public), [64]byte(c.Signature)
		if !Ed25519VerifyRaw(pub, c.Message, sig) {
			t.Error("Ed25519VerifyRaw rejected a valid signature")
		}
		noErr(t, "olm_ed25519_verify", Ed25519Verify(Base64Encode(pub[:]), c.Message, Base64Encode(sig[:])))
		bad := sig
		bad[5] ^= 1
		if Ed25519VerifyRaw(pub, c.Message, bad) {
			t.Error("Ed25519VerifyRaw accepted a corrupted signature")
		}
		wantErr(t, "olm_ed25519_verify(bad)", Ed25519Verify(Base64Encode(pub[:]), c.Message,
			Base64Encode(bad[:])), "BAD_MESSAGE_MAC")
		wantErr(t, "olm_ed25519_verify(44-char key)", Ed25519Verify(Base64Encode(pub[:])+"A",
			c.Message, Base64Encode(sig[:])), "INVALID_BASE64")
		// S+L is accepted by libolm (CVE-2024-45193).
		if !Ed25519VerifyRaw(pub, c.Message, addL(sig)) {
			t.Error("libolm rejected S+L")
		}
	})
	t.Run("Base64", func(t *testing.T) {
		for i, c := range p.Base64 {
			if c.Expect == testvectors.ExpectSuccess && Base64Encode(c.Decoded) != c.Encoded {
				t.Errorf("base64[%d] (%s): encode", i, c.Comment)
			}
			b, err := Base64Decode(c.Encoded)
			if c.LibolmError != "" {
				wantErr(t, c.Comment, err, c.LibolmError)
			} else if err != nil || !bytes.Equal(b, c.LibolmDecoded) {
				t.Errorf("base64[%d] (%s): libolm decodes %x, %v", i, c.Comment, b, err)
			}
		}
		for n, want := range map[int]int{32: 43, 64: 86, 8: 11, 229: 306, 165: 220, 0: 0} {
			if got := len(Base64Encode(make([]byte, n))); got != want {
				t.Errorf("encoded length of %d bytes = %d, want %d", n, got, want)
			}
		}
	})
}

// addL returns sig with L added to S (little endian), a malleated signature.
func addL(sig [64]byte) [64]byte {
	l := [32]byte{0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9,
		0xde, 0x14, 31: 0x10}
	var carry int
	for i := 0; i < 32; i++ {
		v := int(sig[32+i]) + int(l[i]) + carry
		sig[32+i] = byte(v)
		carry = v >> 8
	}
	return sig
}

// TestCipher checks the aes_sha_256 cipher and the pickle envelope against
// the PK known answer (tests/test_pk.cpp) and the account pickle (fixed.json,
// olm/account/pickle).
func TestCipher(t *testing.T) {
	ans := testvectors.LoadAnswers(t)
	aliceBob := ans.Get("rfc7748/shared_secret_hex")
	freshAccountPickle := ans.Get("olm/account/pickle")
	secret := newttest.Hex(t, aliceBob)
	ct, mac := CipherEncryptDetached(nil, secret, []byte(ans.Get("pk/plaintext")))
	eqStr(t, "PK ciphertext", Base64Encode(ct), ans.Get("pk/ciphertext_base64"))
	eqStr(t, "PK mac", Base64Encode(mac[:]), ans.Get("pk/mac_base64"))
	ct2, mac2 := CipherEncrypt(nil, secret, nil, []byte(ans.Get("pk/plaintext")))
	if !bytes.Equal(ct, ct2) {
		t.Error("attached and detached ciphertexts differ")
	}
	eqStr(t, "MAC over ciphertext", Base64Encode(mac2[:]), ans.Get("pk/mac_over_ciphertext_base64"))
	pt, err := CipherDecrypt(nil, secret, nil, ct2, mac2)
	noErr(t, "CipherDecrypt", err)
	eqStr(t, "CipherDecrypt", string(pt), ans.Get("pk/plaintext"))
	mac2[0] ^= 1
	_, err = CipherDecrypt(nil, secret, nil, ct2, mac2)
	wantErr(t, "CipherDecrypt(bad mac)", err, "BAD_MESSAGE_MAC")
	// With a prefix, the MAC covers prefix ‖ ciphertext.
	prefix := []byte{3, 8, 0, 0x12, 0x10}
	ct3, mac3 := CipherEncrypt([]byte("MEGOLM_KEYS"), secret, prefix, []byte("Message"))
	keys := HKDF(secret, nil, []byte("MEGOLM_KEYS"), 80)
	full := HMACSHA256(keys[32:64], append(append([]byte{}, prefix...), ct3...))
	eqHex(t, "prefixed MAC", mac3[:], hex.EncodeToString(full[:8]))
	_, err = CipherDecrypt([]byte("MEGOLM_KEYS"), secret, prefix[1:], ct3, mac3)
	wantErr(t, "CipherDecrypt(wrong prefix)", err, "BAD_MESSAGE_MAC")

	// Pickle envelope: decrypting the fresh account pickle gives the 168-byte
	// v4 layout with the identity keys of random 00..3f.
	raw, err := PickleDecrypt(pickleKey, freshAccountPickle)
	noErr(t, "PickleDecrypt", err)
	if len(raw) != 4+96+64+4+1+4 {
		t.Fatalf("raw account pickle is %d bytes", len(raw))
	}
	eqHex(t, "version", raw[:4], "00000004")
	eqHex(t, "curve priv", raw[4+96+32:4+96+64], hex.EncodeToString(newttest.Seq(0x20, 32)))
	eqStr(t, "PickleEncrypt", PickleEncrypt(pickleKey, raw), freshAccountPickle)
	_, err = PickleDecrypt([]byte("wrong"), freshAccountPickle)
	wantErr(t, "PickleDecrypt(wrong key)", err, "BAD_ACCOUNT_KEY")
	bad := freshAccountPickle + strings.Repeat("A", 5-len(freshAccountPickle)%4)
	if len(bad)%4 != 1 {
		t.Fatal("bad test")
	}
	_, err = PickleDecrypt(pickleKey, bad)
	wantErr(t, "PickleDecrypt(bad length)", err, "INVALID_BASE64")
}

// TestMegolmRatchet checks libolm's Megolm ratchet (src/megolm.c) against the
// answers of tests/test_megolm.cpp and vodozemac's wrap-around answer.
func TestMegolmRatchet(t *testing.T) {
	ans := testvectors.LoadAnswers(t)
	var m MegolmRatchet
	copy(m.Data[:], strings.Repeat("0123456789ABCDEF", 8))
	m.Advance()
	if m.Counter != 1 {
		t.Fatalf("counter %d", m.Counter)
	}
	eqHex(t, "advance", m.Data[:], ans.Get("megolm/ratchet/advance_hex"))
	m.AdvanceTo(0x1000000)
	eqHex(t, "advance_to(0x1000000)", m.Data[:], ans.Get("megolm/ratchet/advance_to_1000000_hex"))
	m.AdvanceTo(0x1041506)
	eqHex(t, "advance_to(0x1041506)", m.Data[:], ans.Get("megolm/ratchet/advance_to_1041506_hex"))
	if m.Counter != 0x1041506 {
		t.Errorf("counter %#x", m.Counter)
	}

	a, b := MegolmRatchet{Counter: 700}, MegolmRatchet{}
	for b.Counter != 700 {
		b.Advance()
	}
	a.Counter = 0
	a.AdvanceTo(700)
	if a != b {
		t.Error("700 advances differ from advance_to(700)")
	}
	// Wrap-around: zero ratchet, advance, advance_to(0).
	var w MegolmRatchet
	w.Advance()
	w.AdvanceTo(0)
	eqHex(t, "wrap", w.Data[:], ans.Get("megolm/ratchet/wrap_hex"))
}

// TestMessageCodec checks the vectors of tests/test_message.cpp through
// libolm's decoders.
func TestMessageCodec(t *testing.T) {
	msg := []byte("\x03\x10\x01\x0a\x0aratchetkey\x22\x0aciphertexthmacsha2")
	f := DecodeMessage(msg, 8)
	if f.Version != 3 || !f.HasCounter || f.Counter != 1 || string(f.RatchetKey) != "ratchetkey" ||
		string(f.Ciphertext) != "ciphertext" {
		t.Errorf("DecodeMessage: %+v", f)
	}
	g := DecodeGroupMessage([]byte("\x03\x08\xc8\x01\x12\x0aciphertexthmacsha2ed25519signature"), 8, 16)
	if g.Version != 3 || !g.HasIndex || g.Index != 200 || string(g.Ciphertext) != "ciphertext" {
		t.Errorf("DecodeGroupMessage: %+v", g)
	}
	if f := DecodeMessage([]byte{3, 0, 0, 0, 0, 0, 0, 0, 0}, 8); f.Version != 3 || f.HasCounter ||
		f.RatchetKey != nil || f.Ciphertext != nil {
		t.Errorf("DecodeMessage(short): %+v", f)
	}
}

// TestGroupSessionVectors checks the fixed Megolm vectors of megolm.json
// (from libolm's tests) through the binding.
func TestGroupSessionVectors(t *testing.T) {
	mv := testvectors.Load[testvectors.MegolmVectors](t, "megolm.json")
	t.Run("test_group_session.cpp", func(t *testing.T) {
		key := mv.InboundCase(t, "test_group_session export/import").SessionKey
		msg := mv.InboundCase(t, "test_group_session export/import").Message
		in, err := NewInboundGroupSession(key)
		noErr(t, "init", err)
		defer in.Free()
		eqStr(t, "id", in.ID(), mv.InboundCase(t, "test_group_session export/import").SessionID)
		exp, err := in.Export(0)
		noErr(t, "export", err)
		pt, idx, err := in.Decrypt(msg)
		noErr(t, "decrypt", err)
		if string(pt) != "Message" || idx != 0 {
			t.Errorf("decrypt: %q at %d", pt, idx)
		}
		imp, err := ImportInboundGroupSession(exp)
		noErr(t, "import", err)
		defer imp.Free()
		if imp.IsVerified() {
			t.Error("imported session is verified before a decrypt")
		}
		if _, _, err := imp.Decrypt(msg); err != nil {
			t.Fatal(err)
		}
		if !imp.IsVerified() {
			t.Error("imported session not verified after a decrypt")
		}
	})
	t.Run("invalid signature", func(t *testing.T) {
		key := mv.InboundCase(t, "invalid signature group message, valid").SessionKey
		msg := mv.InboundCase(t, "invalid signature group message, valid").Message
		in, err := NewInboundGroupSession(key)
		noErr(t, "init", err)
		defer in.Free()
		pt, idx, err := in.Decrypt(msg)
		noErr(t, "decrypt", err)
		if string(pt) != "Message" || idx != 0 {
			t.Errorf("decrypt: %q at %d", pt, idx)
		}
		_, _, err = in.Decrypt(msg[:len(msg)-1] + "E")
		wantErr(t, "tampered signature", err, "BAD_SIGNATURE")
	})
	t.Run("android test18/19", func(t *testing.T) {
		key := mv.InboundCase(t, "android test18").SessionKey
		msg := mv.InboundCase(t, "android test18").Message
		in, err := NewInboundGroupSession(key)
		noErr(t, "init", err)
		defer in.Free()
		if in.FirstKnownIndex() != 12 {
			t.Errorf("first known index %d", in.FirstKnownIndex())
		}
		eqStr(t, "id", in.ID(), mv.InboundCase(t, "android test18").SessionID)
		pt, idx, err := in.Decrypt(msg)
		noErr(t, "decrypt", err)
		eqStr(t, "plaintext", string(pt), mv.InboundCase(t, "android test18").Plaintext)
		if idx != 13 {
			t.Errorf("index %d", idx)
		}
		_, _, err = in.Decrypt(mv.InboundCase(t, "android test19").Message)
		wantErr(t, "test19", err, "INVALID_BASE64")
	})
}

// TestGroupSessionDeterministic checks the deterministic outbound session of
// megolm.json (random = 00..9f) through the binding.
func TestGroupSessionDeterministic(t *testing.T) {
	mv := testvectors.Load[testvectors.MegolmVectors](t, "megolm.json")
	out, err := NewOutboundGroupSession(newttest.Seq(0, 160))
	noErr(t, "init", err)
	defer out.Free()
	eqStr(t, "session id", out.ID(), mv.Outbound.SessionID)
	key0 := out.SessionKey()
	eqStr(t, "session key @0", key0, mv.Outbound.SessionKey0)
	eqStr(t, "pickle @0", out.Pickle(pickleKey), mv.Outbound.OutboundPickle0)
	m0, err := out.Encrypt([]byte("Message"))
	noErr(t, "encrypt 0", err)
	eqStr(t, "message 0", m0, mv.Outbound.Messages[0])
	m1, err := out.Encrypt([]byte("Second message"))
	noErr(t, "encrypt 1", err)
	eqStr(t, "message 1", m1, mv.Outbound.Messages[1])
	if out.MessageIndex() != 2 {
		t.Errorf("message index %d", out.MessageIndex())
	}
	eqStr(t, "session key @2", out.SessionKey(), mv.Outbound.SessionKey2)
	p2 := out.Pickle(pickleKey)
	eqStr(t, "pickle @2", p2, mv.Outbound.OutboundPickle2)
	re, err := OutboundGroupSessionFromPickle(pickleKey, p2)
	noErr(t, "unpickle", err)
	eqStr(t, "re-pickle", re.Pickle(pickleKey), p2)
	re.Free()
	re.Free() // double Free is harmless

	in, err := NewInboundGroupSession(key0)
	noErr(t, "inbound", err)
	defer in.Free()
	eqStr(t, "inbound pickle", in.Pickle(pickleKey), mv.Outbound.InboundPickleFresh)
	e0, err := in.Export(0)
	noErr(t, "export 0", err)
	eqStr(t, "export @0", e0, mv.Outbound.Export0)
	for _, c := range []struct {
		msg  string
		pt   string
		want uint32
	}{{m1, "Second message", 1}, {m0, "Message", 0}} {
		pt, idx, err := in.Decrypt(c.msg)
		noErr(t, "group decrypt", err)
		if string(pt) != c.pt || idx != c.want {
			t.Errorf("decrypt: %q at %d", pt, idx)
		}
	}
	eqStr(t, "inbound pickle after 1, 0", in.Pickle(pickleKey), mv.Outbound.InboundPickleAfter1_0)
	e1, err := in.Export(1)
	noErr(t, "export 1", err)
	eqStr(t, "export @1", e1, mv.Outbound.Export1)
	imp, err := ImportInboundGroupSession(e1)
	noErr(t, "import @1", err)
	defer imp.Free()
	if imp.FirstKnownIndex() != 1 {
		t.Errorf("first known index %d", imp.FirstKnownIndex())
	}
	_, idx, err := imp.Decrypt(m0)
	wantErr(t, "decrypt index 0", err, "UNKNOWN_MESSAGE_INDEX")
	if idx != 0 {
		t.Errorf("index out-param %d", idx)
	}
	_, err = imp.Export(0)
	wantErr(t, "export 0", err, "UNKNOWN_MESSAGE_INDEX")
	_, err = NewInboundGroupSession(e0)
	wantErr(t, "init with export", err, "BAD_SESSION_KEY")
	_, err = ImportInboundGroupSession(key0)
	wantErr(t, "import session key", err, "BAD_SESSION_KEY")
	_, err = InboundGroupSessionFromPickle([]byte("wrong"), in.Pickle(pickleKey))
	wantErr(t, "unpickle wrong key", err, "BAD_ACCOUNT_KEY")
}

// TestAccount checks the account answers of fixed.json (olm/account).
func TestAccount(t *testing.T) {
	ans := testvectors.LoadAnswers(t)
	freshAccountPickle := ans.Get("olm/account/pickle")
	a, err := NewAccount(newttest.Seq(0, 64))
	noErr(t, "create", err)
	defer a.Free()
	eqStr(t, "fresh pickle", a.Pickle(pickleKey), freshAccountPickle)
	eqStr(t, "fresh pickle, key \"\"", a.Pickle(nil), ans.Get("olm/account/pickle_empty_key"))
	eqStr(t, "empty OTKs", a.OneTimeKeys(), `{"curve25519":{}}`)
	if a.MaxNumberOfOneTimeKeys() != 100 {
		t.Errorf("max OTKs %d", a.MaxNumberOfOneTimeKeys())
	}
	noErr(t, "otks", a.GenerateOneTimeKeys(2, newttest.Seq(0x40, 64)))
	eqStr(t, "2 OTKs", a.OneTimeKeys(), ans.Get("olm/account/one_time_keys"))
	noErr(t, "fallback", a.GenerateFallbackKey(newttest.Seq(0x80, 32)))
	fb := ans.Get("olm/account/fallback_key")
	eqStr(t, "fallback JSON", a.UnpublishedFallbackKey(), fb)
	eqStr(t, "pickle 2 OTKs + fallback", a.Pickle(pickleKey), ans.Get("olm/account/pickle_with_keys"))
	if n := a.MarkKeysAsPublished(); n != 2 {
		t.Errorf("mark_keys_as_published = %d", n)
	}
	p := a.Pickle(pickleKey)
	eqStr(t, "pickle after publish", p, ans.Get("olm/account/pickle_published"))
	eqStr(t, "OTKs after publish", a.OneTimeKeys(), `{"curve25519":{}}`)
	eqStr(t, "unpublished fallback", a.UnpublishedFallbackKey(), `{"curve25519":{}}`)
	eqStr(t, "fallback (deprecated)", a.FallbackKey(), fb)
	raw, err := PickleDecrypt(pickleKey, p)
	noErr(t, "decrypt pickle", err)
	if len(raw) != 380 {
		t.Errorf("raw pickle %d bytes, want 380", len(raw))
	}
	b, err := AccountFromPickle(pickleKey, p)
	noErr(t, "unpickle", err)
	eqStr(t, "re-pickle", b.Pickle(pickleKey), p)
	b.Free()
	_, err = AccountFromPickle([]byte("wrong"), p)
	wantErr(t, "wrong key", err, "BAD_ACCOUNT_KEY")
	_, err = NewAccount(newttest.Seq(0, 63))
	wantErr(t, "63 random bytes", err, "NOT_ENOUGH_RANDOM")

	c, err := NewAccount(newttest.Seq(0, 64))
	noErr(t, "create", err)
	defer c.Free()
	noErr(t, "101 OTKs", c.GenerateOneTimeKeys(101, make([]byte, 32*101)))
	j := c.OneTimeKeys()
	if len(j) != 5516 || strings.Count(j, `":"`) != 100 || !strings.HasPrefix(j, `{"curve25519":{"AAAAZQ":`) ||
		!strings.Contains(j, `"AAAAAg":`) || strings.Contains(j, `"AAAAAQ":`) {
		t.Errorf("101 OTKs: length %d, JSON %.60s...", len(j), j)
	}
}

// TestFixedPickles checks the pickles of libolm's own tests
// (tests/test_session.cpp, tests/test_olm.cpp, tests/test_pk.cpp).
func TestFixedPickles(t *testing.T) {
	ans := testvectors.LoadAnswers(t)
	alicePriv := ans.Get("rfc7748/alice_private_hex")
	alicePubB64 := ans.Get("rfc7748/alice_public_base64")
	_, err := AccountFromPickle(nil, ans.Get("olm/libolm_tests/account_v1_pickle"))
	wantErr(t, "v1 account", err, "BAD_LEGACY_ACCOUNT_PICKLE")

	v3, err := AccountFromPickle(nil, ans.Get("olm/libolm_tests/account_v3_pickle"))
	noErr(t, "v3 account", err)
	eqStr(t, "v3 fallback", v3.FallbackKey(), ans.Get("olm/libolm_tests/account_v3_fallback_key"))
	eqStr(t, "v3 unpublished fallback", v3.UnpublishedFallbackKey(), `{"curve25519":{}}`)
	raw, err := PickleDecrypt(nil, v3.Pickle(nil))
	noErr(t, "v3 re-pickle", err)
	eqHex(t, "re-pickled version", raw[:4], "00000004")
	v3.Free()

	v1 := ans.Get("olm/libolm_tests/session_v1_pickle")
	v2 := ans.Get("olm/libolm_tests/session_v2_pickle")
	var repickled []string
	for _, p := range []string{v1, v2} {
		s, err := SessionFromPickle(pickleKey, p)
		noErr(t, "session pickle", err)
		eqStr(t, "session id", s.ID(), ans.Get("olm/libolm_tests/session_v1_id"))
		if s.HasReceivedMessage() {
			t.Error("received_message set")
		}
		raw, err := PickleDecrypt(pickleKey, p)
		noErr(t, "decrypt session pickle", err)
		eqHex(t, "root key", raw[4+1+96:4+1+96+32], ans.Get("olm/libolm_tests/session_v1/root_key_hex"))
		repickled = append(repickled, s.Pickle(pickleKey))
		s.Free()
	}
	eqStr(t, "V2 re-pickled as V1", repickled[1], repickled[0])

	s, err := SessionFromPickle(nil, ans.Get("olm/libolm_tests/decrypt_pickle"))
	noErr(t, "olm_decrypt session", err)
	defer s.Free()
	if !s.HasReceivedMessage() {
		t.Error("received_message not set")
	}
	for _, h := range []string{"41776f", ans.Get("olm/libolm_tests/decrypt_regression_hex/7fff6f0101346d671201"),
		ans.Get("olm/libolm_tests/decrypt_regression_hex/ee776f41496f674177804177778041776f6716670a677d6f670a67c2677d"),
		ans.Get("olm/libolm_tests/decrypt_regression_hex/e9e9c9c1e9e9c9e9c9c1e9e9c9c1")} {
		_, err := s.Decrypt(0, string(newttest.Hex(t, h)))
		wantErr(t, "fuzz regression "+h, err, "BAD_MESSAGE_FORMAT")
	}

	d, err := PkDecryptionFromPickle(pickleKey, ans.Get("pk/pickle"))
	noErr(t, "pk pickle", err)
	defer d.Free()
	eqStr(t, "pk public", d.PublicKey(), alicePubB64)
	eqHex(t, "pk private", d.PrivateKey(), alicePriv)
}

// TestOlm checks the Alice/Bob script of fixed.json (olm/script).
func TestOlm(t *testing.T) {
	ans := testvectors.LoadAnswers(t)
	alice, err := NewAccount(newttest.Seq(0, 64))
	noErr(t, "alice", err)
	defer alice.Free()
	bob, err := NewAccount(newttest.Seq(0x40, 64))
	noErr(t, "bob", err)
	defer bob.Free()
	eqStr(t, "alice identity", alice.IdentityKeys(), ans.Get("olm/script/alice_identity_keys"))
	sig := alice.Sign([]byte("Hello, World"))
	eqStr(t, "alice sign", sig, ans.Get("olm/script/alice_signature"))
	noErr(t, "verify alice sig", Ed25519Verify(ans.Get("olm/script/alice_ed25519_base64"), []byte("Hello, World"), sig))
	eqStr(t, "bob identity", bob.IdentityKeys(), ans.Get("olm/script/bob_identity_keys"))
	noErr(t, "bob otk", bob.GenerateOneTimeKeys(1, newttest.Seq(0x80, 32)))
	eqStr(t, "bob otk JSON", bob.OneTimeKeys(), ans.Get("olm/script/bob_one_time_keys"))

	// The 3DH secret and first chain, recomputed from the primitives.
	priv := func(start int) [32]byte { return [32]byte(newttest.Seq(byte(start), 32)) }
	pub := Curve25519PublicKey
	ia, ea, ib, eb := priv(0x20), priv(0xa0), priv(0x60), priv(0x80)
	d1 := Curve25519SharedSecret(ia, pub(eb))
	d2 := Curve25519SharedSecret(ea, pub(ib))
	d3 := Curve25519SharedSecret(ea, pub(eb))
	s := append(append(d1[:], d2[:]...), d3[:]...)
	eqHex(t, "3DH S", s, ans.Get("ratchet/script/shared_secret_hex"))
	rc := HKDF(s, nil, []byte("OLM_ROOT"), 64)
	eqHex(t, "R0", rc[:32], ans.Get("ratchet/script/root_key_0_hex"))
	eqHex(t, "C0,0", rc[32:], ans.Get("ratchet/script/chain_key_0_0_hex"))
	m00 := HMACSHA256(rc[32:], []byte{1})
	eqHex(t, "M0,0", m00[:], ans.Get("ratchet/script/message_key_0_0_hex"))
	dh := Curve25519SharedSecret(priv(0xe0), pub(priv(0xc0)))
	r1 := HKDF(dh[:], rc[:32], []byte("OLM_RATCHET"), 64)
	eqHex(t, "R1", r1[:32], ans.Get("ratchet/script/root_key_1_hex"))
	eqHex(t, "C1,0", r1[32:], ans.Get("ratchet/script/chain_key_1_0_hex"))
	dh = Curve25519SharedSecret([32]byte(bytes.Repeat([]byte{0x11}, 32)), pub(priv(0xe0)))
	r2 := HKDF(dh[:], r1[:32], []byte("OLM_RATCHET"), 64)
	eqHex(t, "R2", r2[:32], ans.Get("ratchet/script/root_key_2_hex"))

	as, err := NewOutboundSession(alice, "Z13VdO13iTELPS52gfN5C0ZsdzsVIf7PNld5WDcepS8",
		ans.Get("olm/script/bob_one_time_key_base64"), newttest.Seq(0xa0, 64))
	noErr(t, "outbound", err)
	defer as.Free()
	sid := ans.Get("olm/script/session_id")
	eqStr(t, "alice session id", as.ID(), sid)
	if as.EncryptMessageType() != 0 || as.EncryptRandomLength() != 0 {
		t.Errorf("first message: type %d, random %d", as.EncryptMessageType(), as.EncryptRandomLength())
	}
	typ, m1, err := as.Encrypt([]byte("Hello, Bob"), nil)
	noErr(t, "m1", err)
	m1Want := ans.Get("olm/script/m1")
	eqStr(t, "m1", m1, m1Want)
	if typ != 0 {
		t.Errorf("m1 type %d", typ)
	}
	raw, err := Base64Decode(m1)
	noErr(t, "decode m1", err)
	if len(raw) != 168 || !strings.HasPrefix(hex.EncodeToString(raw), "030a20493e82") ||
		!strings.HasSuffix(hex.EncodeToString(raw), "10002210fa041ae2264ae7c0858b743a4bde6458410d35f69757de1d") {
		t.Errorf("m1 raw %x", raw)
	}
	_, m1b, err := as.Encrypt([]byte("Hello again"), nil)
	noErr(t, "m1b", err)
	eqStr(t, "m1b", m1b, ans.Get("olm/script/m1b"))
	eqStr(t, "alice pickle after m1, m1b", as.Pickle(pickleKey), ans.Get("olm/script/alice_pickle_after_m1b"))

	bs, err := NewInboundSession(bob, m1)
	noErr(t, "inbound", err)
	defer bs.Free()
	eqStr(t, "bob session id", bs.ID(), sid)
	eqStr(t, "bob pickle before decrypt", bs.Pickle(pickleKey), ans.Get("olm/script/bob_pickle_before_decrypt"))
	for _, c := range []struct{ m, pt string }{{m1, "Hello, Bob"}, {m1b, "Hello again"}} {
		ok, err := bs.Matches(c.m)
		noErr(t, "matches", err)
		okFrom, err := bs.MatchesFrom(ans.Get("olm/script/alice_curve25519_base64"), c.m)
		noErr(t, "matches_from", err)
		if !ok || !okFrom {
			t.Errorf("matches = %v, matches_from = %v", ok, okFrom)
		}
		pt, err := bs.Decrypt(0, c.m)
		noErr(t, "bob decrypt", err)
		eqStr(t, "bob plaintext", string(pt), c.pt)
	}
	_, err = bs.Decrypt(0, m1)
	wantErr(t, "replay m1", err, "BAD_MESSAGE_MAC")
	noErr(t, "remove otk", bob.RemoveOneTimeKeys(bs))
	wantErr(t, "remove otk twice", bob.RemoveOneTimeKeys(bs), "BAD_MESSAGE_KEY_ID")
	eqStr(t, "bob otks after removal", bob.OneTimeKeys(), `{"curve25519":{}}`)
	_, err = NewInboundSession(bob, m1)
	wantErr(t, "inbound after removal", err, "BAD_MESSAGE_KEY_ID")

	if bs.EncryptMessageType() != 1 || bs.EncryptRandomLength() != 32 {
		t.Errorf("bob reply: type %d, random %d", bs.EncryptMessageType(), bs.EncryptRandomLength())
	}
	typ, m2, err := bs.Encrypt([]byte("Hello, Alice"), newttest.Seq(0xe0, 32))
	noErr(t, "m2", err)
	eqStr(t, "m2", m2, ans.Get("olm/script/m2"))
	if typ != 1 {
		t.Errorf("m2 type %d", typ)
	}
	eqStr(t, "bob pickle after m2", bs.Pickle(pickleKey), ans.Get("olm/script/bob_pickle_after_m2"))
	pt, err := as.Decrypt(1, m2)
	noErr(t, "alice decrypt m2", err)
	eqStr(t, "m2 plaintext", string(pt), "Hello, Alice")
	if !as.HasReceivedMessage() || as.EncryptMessageType() != 1 {
		t.Error("alice has not switched to normal messages")
	}
	typ, m3, err := as.Encrypt([]byte("Third"), bytes.Repeat([]byte{0x11}, 32))
	noErr(t, "m3", err)
	eqStr(t, "m3", m3, ans.Get("olm/script/m3"))
	if typ != 1 {
		t.Errorf("m3 type %d", typ)
	}
	pt, err = bs.Decrypt(1, m3)
	noErr(t, "bob decrypt m3", err)
	eqStr(t, "m3 plaintext", string(pt), "Third")
	eqStr(t, "alice final pickle", as.Pickle(pickleKey), ans.Get("olm/script/alice_pickle_final"))
	eqStr(t, "bob final pickle", bs.Pickle(pickleKey), ans.Get("olm/script/bob_pickle_final"))
	if d := bs.Describe(); !strings.HasPrefix(d, "sender chain index: ") {
		t.Errorf("describe: %q", d)
	}
	re, err := SessionFromPickle(pickleKey, as.Pickle(pickleKey))
	noErr(t, "unpickle alice", err)
	eqStr(t, "unpickled id", re.ID(), sid)
	re.Free()
	_, _, err = bs.Encrypt([]byte("x"), nil)
	wantErr(t, "encrypt without random", err, "NOT_ENOUGH_RANDOM")
	_, err = NewOutboundSession(alice, "Z13VdO13iTELPS52gfN5C0ZsdzsVIf7PNld5WDcepS8=",
		ans.Get("olm/script/bob_one_time_key_base64"), newttest.Seq(0xa0, 64))
	wantErr(t, "44-character identity key", err, "INVALID_BASE64")
}

// TestPK checks the pk answers (tests/test_pk.cpp; fixed.json, pk/...).
func TestPK(t *testing.T) {
	ans := testvectors.LoadAnswers(t)
	alicePriv := ans.Get("rfc7748/alice_private_hex")
	bobPriv := ans.Get("rfc7748/bob_private_hex")
	alicePubB64 := ans.Get("rfc7748/alice_public_base64")
	bobPubB64 := ans.Get("rfc7748/bob_public_base64")
	e, err := NewPkEncryption(alicePubB64)
	noErr(t, "set recipient", err)
	defer e.Free()
	ct, mac, eph, err := e.Encrypt([]byte(ans.Get("pk/plaintext")), newttest.Hex(t, bobPriv))
	noErr(t, "encrypt", err)
	eqStr(t, "ciphertext", ct, ans.Get("pk/ciphertext_base64"))
	eqStr(t, "mac", mac, ans.Get("pk/mac_base64"))
	eqStr(t, "ephemeral", eph, bobPubB64)
	d, err := PkDecryptionFromPrivate(newttest.Hex(t, alicePriv))
	noErr(t, "from private", err)
	defer d.Free()
	eqStr(t, "public", d.PublicKey(), alicePubB64)
	pt, err := d.Decrypt(eph, mac, ct)
	noErr(t, "decrypt", err)
	eqStr(t, "plaintext", string(pt), ans.Get("pk/plaintext"))
	_, err = d.Decrypt(eph, ans.Get("pk/mac_over_ciphertext_base64"), ct)
	wantErr(t, "wrong mac", err, "BAD_MESSAGE_MAC")
	eqStr(t, "pickle", d.Pickle(pickleKey), ans.Get("pk/pickle"))
	_, err = NewPkEncryption("short")
	wantErr(t, "short recipient", err, "OLM_INPUT_BUFFER_TOO_SMALL")

	s, err := PkSigningFromSeed(newttest.Hex(t, alicePriv))
	noErr(t, "signing", err)
	defer s.Free()
	eqStr(t, "signing public", s.PublicKey(), ans.Get("pk/signing/public_base64"))
	msg := []byte(ans.Get("pk/signing/message"))
	sig := s.Sign(msg)
	eqStr(t, "signature", sig, ans.Get("pk/signing/signature_base64"))
	noErr(t, "verify", Ed25519Verify(s.PublicKey(), msg, sig))
	bad := sig[:5] + "m" + sig[6:]
	wantErr(t, "verify changed", Ed25519Verify(s.PublicKey(), msg, bad), "BAD_MESSAGE_MAC")
}

// TestSAS checks the SAS answers (tests/test_sas.cpp,
// python/tests/sas_test.py; fixed.json, sas/...).
func TestSAS(t *testing.T) {
	ans := testvectors.LoadAnswers(t)
	alicePriv := ans.Get("rfc7748/alice_private_hex")
	bobPriv := ans.Get("rfc7748/bob_private_hex")
	alicePubB64 := ans.Get("rfc7748/alice_public_base64")
	alice, err := NewSAS(newttest.Hex(t, alicePriv))
	noErr(t, "alice", err)
	defer alice.Free()
	bob, err := NewSAS(newttest.Hex(t, bobPriv))
	noErr(t, "bob", err)
	defer bob.Free()
	eqStr(t, "alice pub", alice.PublicKey(), alicePubB64)
	_, err = alice.GenerateBytes([]byte("SAS"), 6)
	wantErr(t, "before key", err, "OLM_SAS_THEIR_KEY_NOT_SET")
	noErr(t, "alice set", alice.SetTheirKey(bob.PublicKey()))
	noErr(t, "bob set", bob.SetTheirKey(alice.PublicKey()+"="))
	for _, s := range []*SAS{alice, bob} {
		b, err := s.GenerateBytes([]byte("SAS"), 6)
		noErr(t, "generate bytes", err)
		eqHex(t, "SAS bytes", b, ans.Get("sas/generate_bytes_sas_6_hex"))
	}
	in, info := []byte("Hello world!"), []byte("MAC")
	m, err := alice.CalculateMAC(in, info)
	noErr(t, "mac", err)
	eqStr(t, "calculate_mac", m, ans.Get("sas/mac_broken_base64"))
	m, err = alice.CalculateMACFixedBase64(in, info)
	noErr(t, "mac fixed", err)
	eqStr(t, "calculate_mac_fixed_base64", m, ans.Get("sas/mac_fixed_base64"))
	m, err = alice.CalculateMACLongKDF(in, info)
	noErr(t, "mac long", err)
	eqStr(t, "calculate_mac_long_kdf", m, ans.Get("sas/mac_long_kdf_base64"))
	wantErr(t, "short key", alice.SetTheirKey("short"), "OLM_INPUT_BUFFER_TOO_SMALL")
}

// TestInputsNotModified checks that the binding never writes to callers'
// buffers although libolm destroys its inputs.
func TestInputsNotModified(t *testing.T) {
	ans := testvectors.LoadAnswers(t)
	freshAccountPickle := ans.Get("olm/account/pickle")
	random := newttest.Seq(0, 64)
	a, err := NewAccount(random)
	noErr(t, "create", err)
	defer a.Free()
	if !bytes.Equal(random, newttest.Seq(0, 64)) {
		t.Error("NewAccount modified its random input")
	}
	sas := newttest.Seq(0, 32)
	s, err := NewSAS(sas)
	noErr(t, "sas", err)
	s.Free()
	if !bytes.Equal(sas, newttest.Seq(0, 32)) {
		t.Error("NewSAS modified its random input")
	}
	pk := []byte(freshAccountPickle)
	b, err := AccountFromPickle(pickleKey, string(pk))
	noErr(t, "unpickle", err)
	b.Free()
	if string(pk) != freshAccountPickle {
		t.Error("AccountFromPickle modified its input")
	}
}

func TestUseAfterFree(t *testing.T) {
	a, err := NewAccount(newttest.Seq(0, 64))
	noErr(t, "create", err)
	a.Free()
	defer func() {
		if recover() == nil {
			t.Error("no panic on use after Free")
		}
	}()
	a.IdentityKeys()
}

// TestCleanup drops objects without Free: the runtime cleanups must free
// them without crashing (and Free after a cleanup-free path stays safe).
func TestCleanup(t *testing.T) {
	for range 50 {
		a, err := NewAccount(newttest.Seq(0, 64))
		noErr(t, "create", err)
		_ = a.IdentityKeys()
		o, err := NewOutboundGroupSession(newttest.Seq(0, 160))
		noErr(t, "outbound", err)
		_ = o.ID()
		s, err := NewSAS(newttest.Seq(0, 32))
		noErr(t, "sas", err)
		_ = s.PublicKey()
	}
	runtime.GC()
	runtime.GC()
	a, err := NewAccount(newttest.Seq(0, 64))
	noErr(t, "create after GC", err)
	a.Free()
}
