// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package megolm_test

// The rows of the security checklist (SECURITY.md) that package megolm
// answers, each named after its row: "go test -run TestC08 ./..." runs a
// row in every package. Each asserts the row's expected behaviour: a typed
// error (errors.Is on the package's sentinels), no panic, the session
// unchanged (its pickle before and after, and the next honest message
// still decrypts), and no allocation proportional to a forged length.
// Where newt deliberately differs from libolm, a comment says "DIVERGENCE".

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"filippo.io/edwards25519"

	"github.com/newt-e2ee/newt/internal/ed25519x"
	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/internal/wire"
	"github.com/newt-e2ee/newt/megolm"
	"github.com/newt-e2ee/newt/testvectors"
)

// TestC01_EmptyAndTruncatedInput: every prefix of a valid Megolm message,
// session key and exported key, as bytes and as base64, and of every
// pickle (as text, and as plaintext inside a valid envelope) gives a typed
// error and a nil result, never a panic, and leaves the session unchanged.
// Also: TestParseMessageErrors, TestBadLengths and the decoder fuzz
// targets.
func TestC01_EmptyAndTruncatedInput(t *testing.T) {
	mf := newMegolmFixture(t)
	group := mf.out.Encrypt([]byte("group message")).Bytes()
	skey := mf.out.SessionKey().Bytes()
	export := newttest.Must(t, mf.in.Export, 0).Bytes()
	before := newttest.Snapshot(mf.in)
	newttest.CheckPrefixes(t, "NewMessage", group, megolm.NewMessage, megolm.ErrBadMessageFormat)
	newttest.CheckBase64Prefixes(t, "ParseMessage", group, megolm.ParseMessage, megolm.ErrBadMessageFormat)
	newttest.CheckPrefixes(t, "NewSessionKey", skey, megolm.NewSessionKey, megolm.ErrBadSessionKey)
	newttest.CheckPrefixes(t, "NewExportedSessionKey", export, megolm.NewExportedSessionKey, megolm.ErrBadSessionKey)
	for _, b := range [][]byte{skey, export} {
		newttest.CheckBase64Prefixes(t, "ParseSessionKey", b, megolm.ParseSessionKey, megolm.ErrBadSessionKey)
		newttest.CheckBase64Prefixes(t, "ParseExportedSessionKey", b, megolm.ParseExportedSessionKey, megolm.ErrBadSessionKey)
	}
	newttest.RequireUnchanged(t, "parsing", before, mf.in)
	if _, _, err := mf.in.Decrypt(newttest.Must(t, megolm.NewMessage, group)); err != nil {
		t.Fatal(err)
	}
	newttest.CheckTruncatedPickle(t, pickleCases(t)...)
}

// TestC02_OversizedMessages: a MiB-scale plaintext round-trips with memory
// linear in the input (newt has no size cap: the application bounds what
// it accepts), a forged MiB-scale message with a bad MAC fails without
// allocating its plaintext. That decryption time is linear in the size is
// shown by BenchmarkDecrypt at 256 B, 4 KiB and 1 MiB (a benchmark, not a
// timed assertion). Also: BenchmarkEncrypt.
func TestC02_OversizedMessages(t *testing.T) {
	big := newttest.RandBytes(newttest.OversizedPlaintext)
	mf := newMegolmFixture(t)
	m := mf.out.Encrypt(big)
	newttest.CheckLinearDecrypt(t, big, func() ([]byte, error) { pt, _, err := mf.in.Decrypt(m); return pt, err })
	forged := newttest.Must(t, megolm.NewMessage, mf.forge(t, 1, make([]byte, len(big)), false))
	before := newttest.Snapshot(mf.in)
	newttest.CheckBoundedFailure(t, "forged 4 MiB message", func() error { _, _, err := mf.in.Decrypt(forged); return err }, megolm.ErrBadMAC)
	newttest.RequireUnchanged(t, "forged big message", before, mf.in)
}

// megolmBody returns a Megolm message with the given index field bytes, a
// 16-byte ciphertext and a zero MAC and signature.
func megolmBody(indexField ...byte) []byte {
	b := append([]byte{wire.MegolmVersion}, indexField...)
	b = append(b, 0x12, 16)
	b = append(b, make([]byte, 16)...)
	return append(b, make([]byte, megolm.MACSize+megolm.SignatureSize)...)
}

// TestC03_BadVarints: indexes that overflow 32 bits, varints longer than
// 10 bytes or 64 bits, unterminated varints and non-minimal encodings are
// all rejected with the format error. DIVERGENCE: libolm truncates wide
// varints to the field width and accepts non-minimal ones; newt rejects
// both (pinned by message.json's "malformed" vectors too). Also: wire
// TestVarint, TestMegolmDecodingPolicy and the wire fuzz targets.
func TestC03_BadVarints(t *testing.T) {
	for name, v := range newttest.BadVarints {
		g := megolmBody(append([]byte{0x08}, v...)...)
		if m, err := megolm.NewMessage(g); m != nil || !errors.Is(err, megolm.ErrBadMessageFormat) {
			t.Errorf("megolm index %s: %v", name, err)
		}
	}
	// An unterminated varint: the last field runs into the MAC.
	g := append([]byte{wire.MegolmVersion, 0x08, 0xff}, make([]byte, 72)...)
	if _, err := megolm.NewMessage(g); !errors.Is(err, megolm.ErrBadMessageFormat) {
		t.Errorf("megolm unterminated varint: %v", err)
	}
	// The largest valid value is accepted.
	if m, err := megolm.NewMessage(megolmBody(0x08, 0xff, 0xff, 0xff, 0xff, 0x0f)); err != nil || m.Index() != 0xffffffff {
		t.Errorf("megolm index 2^32-1: %v", err)
	}
	checkMessageVectors(t, testvectors.ExpectMalformed)
}

// checkMessageVectors requires that NewMessage rejects every Megolm case
// of message.json with the given expectation.
func checkMessageVectors(t *testing.T, expect string) {
	t.Helper()
	v := testvectors.Load[testvectors.Messages](t, "message.json")
	newttest.CheckRejected(t, "megolm", v.MegolmEncodings(expect, megolm.MACSize, megolm.SignatureSize), megolm.NewMessage, megolm.ErrBadMessageFormat)
}

// TestC04_HugeDeclaredLengths: a field that declares a length near 2^31 or
// 2^32 fails with the format error and allocates less than
// newttest.MaxForgedAlloc.
func TestC04_HugeDeclaredLengths(t *testing.T) {
	huge := []byte{0x80, 0x80, 0x80, 0x80, 0x08} // 2^31
	grp := append([]byte{wire.MegolmVersion, 0x08, 0x00, 0x12}, huge...)
	grp = append(grp, make([]byte, 80)...)
	newttest.CheckBoundedFailure(t, "megolm ciphertext of 2^31 bytes", func() error { _, err := megolm.NewMessage(grp); return err }, megolm.ErrBadMessageFormat)
	unk := append([]byte{wire.MegolmVersion, 0x08, 0x00, 0x3a}, 0xff, 0xff, 0xff, 0xff, 0x0f)
	unk = append(unk, make([]byte, 80)...)
	newttest.CheckBoundedFailure(t, "megolm unknown field of 2^32-1 bytes", func() error { _, err := megolm.NewMessage(unk); return err }, megolm.ErrBadMessageFormat)
}

// TestC05_WrongVersionByte: every version byte other than the one defined
// is rejected, for messages (3, ErrBadVersion), session keys (2) and
// exports (1, both ErrBadSessionKey), and every unknown pickle version
// with ErrUnknownPickleVersion. Version 4 (megolm.SessionConfigV2's, with
// a 32-byte MAC) on an 8-byte-MAC message is ErrBadMessageFormat. Also:
// TestParseMessageErrors, TestSessionKeyErrors,
// TestC26_SessionConfigDowngrade.
func TestC05_WrongVersionByte(t *testing.T) {
	mf := newMegolmFixture(t)
	group := mf.out.Encrypt([]byte("v")).Bytes()
	skey := mf.out.SessionKey().Bytes()
	export := newttest.Must(t, mf.in.Export, 0).Bytes()
	// Version 4 is that of megolm.SessionConfigV2 messages, whose MAC is 32
	// bytes: this message's body is then too short to parse.
	v2 := map[byte]error{4: megolm.ErrBadMessageFormat}
	newttest.CheckVersionBytes(t, "megolm", group, 0, 3, megolm.NewMessage, megolm.ErrBadVersion, v2)
	newttest.CheckVersionBytes(t, "session key", skey, 0, 2, megolm.NewSessionKey, megolm.ErrBadSessionKey, nil)
	newttest.CheckVersionBytes(t, "export", export, 0, 1, megolm.NewExportedSessionKey, megolm.ErrBadSessionKey, nil)
	newttest.CheckPickleVersions(t, pickleCases(t)...)
}

// TestC06_MissingDuplicateUnknownFields: missing fields, duplicate fields
// and unknown wire types are rejected; unknown fields of wire type 0 and 2
// are skipped, as libolm skips them; an empty ciphertext parses but never
// decrypts. DIVERGENCE: libolm keeps the last of duplicate fields and
// stops silently at unknown wire types; newt rejects both (wire package
// doc). Also: wire TestMegolmDecodingPolicy.
func TestC06_MissingDuplicateUnknownFields(t *testing.T) {
	checkMessageVectors(t, testvectors.ExpectMissingFields)
	key := func(n int) []byte { return bytes.Repeat([]byte{9}, n) }
	field := newttest.BytesField
	grp := func(fields ...[]byte) []byte {
		b := []byte{wire.MegolmVersion}
		for _, f := range fields {
			b = append(b, f...)
		}
		return append(b, make([]byte, megolm.MACSize+megolm.SignatureSize)...)
	}
	idx, gct := []byte{0x08, 7}, field(0x12, key(16))
	// An empty ciphertext parses (as in libolm) but never decrypts.
	if m, err := megolm.NewMessage(grp(idx, field(0x12, nil))); err == nil {
		mf := newMegolmFixture(t)
		before := newttest.Snapshot(mf.in)
		if _, _, err := mf.in.Decrypt(m); err == nil {
			t.Error("empty ciphertext decrypted")
		}
		newttest.RequireUnchanged(t, "empty ciphertext", before, mf.in)
	} else if !errors.Is(err, megolm.ErrBadMessageFormat) {
		t.Errorf("megolm empty ciphertext: %v", err)
	}
	for name, b := range map[string][]byte{
		"no index":             grp(gct),
		"no ciphertext":        grp(idx),
		"duplicate index":      grp(idx, idx, gct),
		"duplicate ciphertext": grp(idx, gct, gct),
		"wire type 1":          grp(idx, gct, []byte{0x19, 1, 2, 3, 4, 5, 6, 7, 8}),
		"index as bytes":       grp(field(0x0a, key(1)), gct),
	} {
		if m, err := megolm.NewMessage(b); m != nil || !errors.Is(err, megolm.ErrBadMessageFormat) {
			t.Errorf("megolm %s: %v", name, err)
		}
	}
	if m, err := megolm.NewMessage(grp(idx, []byte{0x18, 1}, gct, field(0x22, key(2)))); err != nil || m.Index() != 7 {
		t.Errorf("megolm unknown fields must be skipped: %v", err)
	}
}

// TestC07_EncodingRoundTrip: a parsed message re-encodes to its input byte
// for byte, and the MAC and signature authenticate the received bytes, not
// a re-encoding: an unknown field added to an authentic message is
// accepted by the parser but fails authentication, and one added by the
// key holder before MACing and signing is accepted and kept. (vodozemac
// authenticates a canonical re-encoding instead.) Also: FuzzMessage,
// FuzzInboundDecrypt and the wire fuzz targets.
func TestC07_EncodingRoundTrip(t *testing.T) {
	mf := newMegolmFixture(t)
	g := mf.out.Encrypt([]byte("group")).Bytes()
	gm := newttest.Must(t, megolm.NewMessage, g)
	if !bytes.Equal(gm.Bytes(), g) {
		t.Fatal("megolm round trip")
	}
	tail := megolm.MACSize + megolm.SignatureSize
	reframed := append(append(bytes.Clone(g[:len(g)-tail]), 0x18, 0x01), g[len(g)-tail:]...)
	rm := newttest.Must(t, megolm.NewMessage, reframed)
	before := newttest.Snapshot(mf.in)
	if _, _, err := mf.in.Decrypt(rm); !errors.Is(err, megolm.ErrBadSignature) {
		t.Fatalf("re-framed megolm message: %v", err)
	}
	newttest.RequireUnchanged(t, "re-framed message", before, mf.in)
	// The key holder MACs and signs bytes with an unknown field: accepted.
	k := mf.keysAt(t, 1)
	ct := k.AppendEncrypt(nil, []byte("with extension"))
	bb := append(wire.AppendMegolmMessageHeader(nil, wire.MegolmVersion, 1, len(ct)), ct...)
	bb = mf.signed(k, append(bb, 0x18, 0x2a), true)
	xm := newttest.Must(t, megolm.NewMessage, bb)
	if pt, idx, err := mf.in.Decrypt(xm); err != nil || string(pt) != "with extension" || idx != 1 || !bytes.Equal(xm.Bytes(), bb) {
		t.Fatalf("authentic message with an unknown field: %q, %v", pt, err)
	}
}

// TestC08_MACFailure: flipping any bit of a Megolm message is a bad
// signature (the signature covers the MAC); a validly signed message with
// a bad MAC, a MAC under another index's key or a bad MAC over an
// impossible ciphertext is ErrBadMAC (the MAC is checked first); a wrong
// pickle key is ErrBadPickleKey; nothing changes and the honest message
// still decrypts. Also: TestFailedDecryptLeavesSessionUnchanged, aessha2
// TestTamper.
func TestC08_MACFailure(t *testing.T) {
	mf := newMegolmFixture(t)
	g := mf.out.Encrypt([]byte("flip me")).Bytes()
	before := newttest.Snapshot(mf.in)
	newttest.ForEachBitFlip(t, g, megolm.NewMessage, []error{megolm.ErrBadMessageFormat, megolm.ErrBadVersion}, func(i int, fm *megolm.Message) {
		// The signature covers the MAC: every flip is a bad signature.
		if pt, _, err := mf.in.Decrypt(fm); pt != nil || !errors.Is(err, megolm.ErrBadSignature) {
			t.Fatalf("bit %d: %v", i, err)
		}
	})
	newttest.RequireUnchanged(t, "bit flips", before, mf.in)
	// Validly signed, bad MAC: at the right index, and with the keys of
	// the next index.
	k := mf.keysAt(t, 0)
	if _, _, err := mf.in.Decrypt(newttest.Must(t, megolm.NewMessage, mf.forge(t, 0, k.AppendEncrypt(nil, []byte("x")), false))); !errors.Is(err, megolm.ErrBadMAC) {
		t.Fatalf("signed, bad MAC: %v", err)
	}
	k1 := mf.keysAt(t, 1)
	wct := k1.AppendEncrypt(nil, []byte("x"))
	wrong := append(wire.AppendMegolmMessageHeader(nil, wire.MegolmVersion, 0, len(wct)), wct...)
	if _, _, err := mf.in.Decrypt(newttest.Must(t, megolm.NewMessage, mf.signed(k1, wrong, true))); !errors.Is(err, megolm.ErrBadMAC) {
		t.Fatalf("MAC under the wrong key: %v", err)
	}
	// Bad MAC and an impossible ciphertext length: the MAC is reported.
	if _, _, err := mf.in.Decrypt(newttest.Must(t, megolm.NewMessage, mf.forge(t, 0, make([]byte, 15), false))); !errors.Is(err, megolm.ErrBadMAC) {
		t.Fatalf("bad MAC, 15-byte ciphertext: %v", err)
	}
	newttest.RequireUnchanged(t, "bad MACs", before, mf.in)
	if pt, _, err := mf.in.Decrypt(newttest.Must(t, megolm.NewMessage, g)); err != nil || string(pt) != "flip me" {
		t.Fatal(err)
	}
	newttest.CheckWrongPickleKeys(t, pickleCases(t)...)
}

// TestC09_BadPaddingBehindValidMAC: a ciphertext that is empty, not a
// multiple of 16 bytes or badly padded fails even when its MAC and
// signature are valid, which only the key holder can arrange, with no
// panic and no state change. Also: aessha2 TestDecryptBadLength/
// TestDecryptBadPadding.
func TestC09_BadPaddingBehindValidMAC(t *testing.T) {
	mf := newMegolmFixture(t)
	before := newttest.Snapshot(mf.in)
	try := func(name string, ct []byte) {
		m, err := megolm.NewMessage(mf.forge(t, 3, ct, true))
		if err != nil {
			if !errors.Is(err, megolm.ErrBadMessageFormat) {
				t.Errorf("%s: %v", name, err)
			}
			return
		}
		if pt, _, err := mf.in.Decrypt(m); pt != nil || !errors.Is(err, megolm.ErrBadMAC) {
			t.Errorf("%s: %v", name, err)
		}
		newttest.RequireUnchanged(t, name, before, mf.in)
	}
	for name, n := range newttest.BadCiphertextLengths {
		try(name, newttest.RandBytes(n))
	}
	for name, block := range newttest.BadPaddings {
		try(name, newttest.CBCRaw(mf.keysAt(t, 3), block))
	}
	if pt, idx, err := mf.in.Decrypt(newttest.Must(t, megolm.NewMessage, mf.forge(t, 3, mf.keysAt(t, 3).AppendEncrypt(nil, []byte("valid")), true))); err != nil || string(pt) != "valid" || idx != 3 {
		t.Fatalf("forged honest message: %q, %v", pt, err)
	}
}

// TestC10_MegolmSignatureFailure: a Megolm message whose signature is
// flipped, has S >= L, a small-order or non-canonical R, or comes from
// another key fails with ErrBadSignature before the ratchet is touched
// (the message's MAC is valid, so only the signature check can stop it),
// and the session, including its first known index and cached latest
// ratchet, is unchanged. Session keys with a small-order signing key,
// which admit universal forgeries, are refused. DIVERGENCE: libolm accepts
// S+L (CVE-2024-45193) and small-order keys and R; crypto/ed25519 accepts
// small-order keys and R, as asserted below. pk's row checks
// pk.VerifySignature on the same keys. Also: ed25519x TestEdgeCases,
// TestWycheproof, FuzzVerify, TestSessionKeyErrors.
func TestC10_MegolmSignatureFailure(t *testing.T) {
	mf := newMegolmFixture(t)
	k := mf.keysAt(t, 50)
	good := mf.forge(t, 50, k.AppendEncrypt(nil, []byte("signed")), true)
	sigOff := len(good) - megolm.SignatureSize
	signed := good[:sigOff]
	before := newttest.Snapshot(mf.in)
	fail := func(name string, b []byte) {
		t.Helper()
		m, err := megolm.NewMessage(b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if pt, _, err := mf.in.Decrypt(m); pt != nil || !errors.Is(err, megolm.ErrBadSignature) {
			t.Errorf("%s: %v, want ErrBadSignature", name, err)
		}
		newttest.RequireUnchanged(t, name, before, mf.in)
	}
	for i := range megolm.SignatureSize * 8 {
		fail(fmt.Sprintf("signature bit %d", i), newttest.FlipBit(good, sigOff*8+i))
	}
	S := good[sigOff+32:]
	fail("S+L", append(bytes.Clone(good[:sigOff+32]), newttest.AddL(S)...))
	fail("S=L", append(bytes.Clone(good[:sigOff+32]), newttest.L[:]...))
	hi := bytes.Clone(good)
	hi[len(hi)-1] |= 0xe0
	fail("S with high bits", hi)

	// R = identity from the key holder: S = k·a. crypto/ed25519 accepts
	// it; newt's strict verifier rejects small-order R.
	exp := mf.sign.Expanded()
	a, err := new(edwards25519.Scalar).SetBytesWithClamping(exp[:32])
	if err != nil {
		t.Fatal(err)
	}
	for _, R := range newttest.SmallOrderEd25519(t) {
		k := newttest.Ed25519Challenge(R, mf.pub[:], signed)
		sig := append(bytes.Clone(R), new(edwards25519.Scalar).Multiply(k, a).Bytes()...)
		if bytes.Equal(R, newttest.IdentityPoint[:]) && !ed25519.Verify(mf.pub[:], signed, sig) {
			t.Fatal("crypto/ed25519 rejects R = identity: the vector is wrong")
		}
		fail(fmt.Sprintf("small-order R %x", R[:4]), append(bytes.Clone(signed), sig...))
	}
	// Non-canonical R: identity encoded as y = p + 1.
	ncR := newttest.PPlus(1)
	fail("non-canonical R", append(append(bytes.Clone(signed), ncR[:]...), S...))
	// A valid signature by another key.
	other := ed25519x.GenerateKey()
	osig := other.Sign(signed)
	fail("foreign signature", append(bytes.Clone(signed), osig[:]...))
	// The genuine message moves the cached ratchet; nothing else did.
	if pt, idx, err := mf.in.Decrypt(newttest.Must(t, megolm.NewMessage, good)); err != nil || string(pt) != "signed" || idx != 50 {
		t.Fatalf("honest message: %v", err)
	}

	// Session keys with a small-order signing key: the "signature" R =
	// identity, S = 0 verifies every message under crypto/ed25519.
	skey := mf.out.SessionKey().Bytes()
	for _, A := range newttest.SmallOrderEd25519(t) {
		b := bytes.Clone(skey)
		copy(b[133:165], A)
		copy(b[165:197], newttest.IdentityPoint[:])
		clear(b[197:229])
		if ed25519.Verify(A, b[:165], b[165:]) != bytes.Equal(A, newttest.IdentityPoint[:]) && bytes.Equal(A, newttest.IdentityPoint[:]) {
			t.Fatal("crypto/ed25519 should accept the universal forgery")
		}
		sk, err := megolm.NewSessionKey(b)
		if err != nil {
			t.Fatal(err)
		}
		if s, err := megolm.NewInboundGroupSession(sk); s != nil || !errors.Is(err, megolm.ErrBadSessionKey) || !errors.Is(err, megolm.ErrInvalidSigningKey) {
			t.Errorf("small-order signing key %x: %v", A[:4], err)
		}
		e := append(append([]byte{1}, b[1:133]...), A...)
		ek, err := megolm.NewExportedSessionKey(e)
		if err != nil {
			t.Fatal(err)
		}
		if s, err := megolm.ImportInboundGroupSession(ek); s != nil || !errors.Is(err, megolm.ErrInvalidSigningKey) {
			t.Errorf("export with small-order signing key %x: %v", A[:4], err)
		}
	}
}

// TestC11_RoomKeyImport: a signed SessionKey (229 bytes) gives a verified
// session; an unsigned ExportedSessionKey (165 bytes) an unverified one;
// merging ORs the flags. A bad signature, trailing bytes, a missing byte or
// an invalid signing key are typed errors. Also: megolm TestSessionKeyErrors,
// TestCompareAndMerge, TestVectorsExportImportVerified, FuzzSessionKey,
// FuzzExportedSessionKey.
func TestC11_RoomKeyImport(t *testing.T) {
	mf := newMegolmFixture(t)
	for range 10 {
		mf.out.Encrypt([]byte("advance"))
	}
	sk := mf.out.SessionKey()
	if len(sk.Bytes()) != 229 {
		t.Fatal("session key size")
	}
	at10, err := megolm.NewInboundGroupSession(sk)
	if err != nil || !at10.IsVerified() || at10.FirstKnownIndex() != 10 {
		t.Fatal("signed session key", err)
	}
	exp, err := mf.in.Export(0)
	if err != nil || len(exp.Bytes()) != 165 {
		t.Fatal(err)
	}
	imported, err := megolm.ImportInboundGroupSession(exp)
	if err != nil || imported.IsVerified() || imported.FirstKnownIndex() != 0 {
		t.Fatal("export must import unverified", err)
	}
	merged, err := at10.Merge(imported)
	if err != nil || !merged.IsVerified() || merged.FirstKnownIndex() != 0 {
		t.Fatal("merge must be verified and start at 0", err)
	}
	if _, err := imported.Merge(newMegolmFixture(t).in); !errors.Is(err, megolm.ErrNotConnected) {
		t.Errorf("merging unrelated sessions: %v", err)
	}
	b := sk.Bytes()
	for i := 165 * 8; i < 229*8; i++ {
		k, err := megolm.NewSessionKey(newttest.FlipBit(b, i))
		if err != nil {
			t.Fatal(err)
		}
		if s, err := megolm.NewInboundGroupSession(k); s != nil || !errors.Is(err, megolm.ErrBadSignature) {
			t.Fatalf("signature bit %d: %v", i-165*8, err)
		}
	}
	// The signature covers the ratchet and index: flipping them is caught.
	for _, i := range []int{8, 5 * 8, 100 * 8} {
		k, _ := megolm.NewSessionKey(newttest.FlipBit(b, i))
		if _, err := megolm.NewInboundGroupSession(k); !errors.Is(err, megolm.ErrBadSignature) {
			t.Errorf("signed bit %d: %v", i, err)
		}
	}
	// S+L: DIVERGENCE, libolm accepts it.
	sl := append(bytes.Clone(b[:197]), newttest.AddL(b[197:])...)
	if k, _ := megolm.NewSessionKey(sl); k != nil {
		if _, err := megolm.NewInboundGroupSession(k); !errors.Is(err, megolm.ErrBadSignature) {
			t.Errorf("S+L: %v", err)
		}
	}
	e := exp.Bytes()
	for name, bad := range map[string][]byte{
		"session key + 1 byte": append(bytes.Clone(b), 0),
		"session key - 1 byte": b[:228],
		"export as key":        e,
		"key as export":        b[:165],
	} {
		if _, err := megolm.NewSessionKey(bad); len(bad) != 229 && !errors.Is(err, megolm.ErrBadSessionKey) {
			t.Errorf("%s: NewSessionKey %v", name, err)
		}
		if _, err := megolm.ParseSessionKey(base64.RawStdEncoding.EncodeToString(bad)); len(bad) != 229 && !errors.Is(err, megolm.ErrBadSessionKey) {
			t.Errorf("%s: ParseSessionKey %v", name, err)
		}
	}
	for name, bad := range map[string][]byte{"export + 1 byte": append(bytes.Clone(e), 0), "export - 1 byte": e[:164], "key as export": b} {
		if _, err := megolm.NewExportedSessionKey(bad); !errors.Is(err, megolm.ErrBadSessionKey) {
			t.Errorf("%s: %v", name, err)
		}
		if _, err := megolm.ParseExportedSessionKey(base64.RawStdEncoding.EncodeToString(bad)); !errors.Is(err, megolm.ErrBadSessionKey) {
			t.Errorf("%s (base64): %v", name, err)
		}
	}
	if _, err := megolm.ParseSessionKey(sk.Base64() + "A"); !errors.Is(err, megolm.ErrBadSessionKey) {
		t.Errorf("trailing base64: %v", err)
	}
	// Invalid signing keys: not on the curve, non-canonical, small order.
	for _, A := range append(newttest.NonCanonicalEd25519(t), newttest.Hex(t, "0200000000000000000000000000000000000000000000000000000000000000")) {
		k := bytes.Clone(e)
		copy(k[133:], A)
		ek, _ := megolm.NewExportedSessionKey(k)
		if s, err := megolm.ImportInboundGroupSession(ek); s != nil || !errors.Is(err, megolm.ErrBadSessionKey) || !errors.Is(err, megolm.ErrInvalidSigningKey) {
			t.Errorf("signing key %x: %v", A, err)
		}
	}
	// An imported session becomes verified once it decrypts a message
	// signed by its key, as in libolm (see InboundGroupSession.IsVerified).
	if _, _, err := imported.Decrypt(mf.out.Encrypt([]byte("x"))); err != nil || !imported.IsVerified() {
		t.Errorf("imported session after a signed message: verified=%v, %v", imported.IsVerified(), err)
	}
}

// TestC12_ReplayedMegolmIndex: decrypting the same Megolm message twice
// succeeds twice with the same plaintext and index, and the second decryption
// changes nothing (Megolm has no replay protection; the Megolm spec leaves it
// to the application, which gets the index to detect replays). Not
// applicable: an optional replay guard keyed on (session, index) → (event ID,
// timestamp) belongs to the Matrix client, which knows event IDs; newt
// returns the index for it. Also: megolm TestReplayIsIdempotent,
// TestRoundTrip.
func TestC12_ReplayedMegolmIndex(t *testing.T) {
	mf := newMegolmFixture(t)
	var msgs []*megolm.Message
	for i := range 5 {
		msgs = append(msgs, mf.out.Encrypt([]byte{byte(i)}))
	}
	for _, i := range []int{3, 3, 1, 4, 1, 3} {
		pt1, idx1, err := mf.in.Decrypt(msgs[i])
		if err != nil {
			t.Fatal(err)
		}
		before := newttest.Snapshot(mf.in)
		pt2, idx2, err := mf.in.Decrypt(msgs[i])
		if err != nil || !bytes.Equal(pt1, pt2) || idx1 != idx2 || idx1 != uint32(i) || pt1[0] != byte(i) {
			t.Fatalf("replay of %d: %v", i, err)
		}
		newttest.RequireUnchanged(t, "replay", before, mf.in)
	}
}

// TestC13_MegolmIndexBounds: an index below the first known one is
// ErrUnknownMessageIndex with the indexes in *UnknownMessageIndexError;
// earlier indexes at or after it still decrypt after later ones (the
// initial ratchet is kept); a jump of 2^31-1 costs a bounded number of
// hashes; indexes wrap modulo 2^32 with a 2^31 window, as libolm does
// (vodozemac compares plain integers: the two disagree near the boundary).
// Also: megolm TestDecryptLargeJumps, TestRatchetAdvanceToCost,
// TestRatchetVodozemacWrap, TestRatchetLibolmProperties.
func TestC13_MegolmIndexBounds(t *testing.T) {
	mf := newMegolmFixture(t)
	var msgs []*megolm.Message
	for i := range 12 {
		msgs = append(msgs, mf.out.Encrypt([]byte{byte(i)}))
	}
	r5, err := megolm.NewExportedSessionKey(newttest.Must(t, mf.in.Export, 5).Bytes())
	if err != nil {
		t.Fatal(err)
	}
	in5, err := megolm.ImportInboundGroupSession(r5)
	if err != nil {
		t.Fatal(err)
	}
	before := newttest.Snapshot(in5)
	for _, i := range []int{0, 3, 4} {
		_, idx, err := in5.Decrypt(msgs[i])
		var ue *megolm.UnknownMessageIndexError
		if !errors.Is(err, megolm.ErrUnknownMessageIndex) || !errors.As(err, &ue) || ue.FirstKnown != 5 || ue.Got != uint32(i) || idx != uint32(i) {
			t.Fatalf("index %d below 5: %v", i, err)
		}
		if _, err := in5.Export(uint32(i)); !errors.Is(err, megolm.ErrUnknownMessageIndex) {
			t.Fatalf("export at %d: %v", i, err)
		}
	}
	newttest.RequireUnchanged(t, "unknown index", before, in5)
	for _, i := range []int{9, 6, 11, 5, 7} {
		if pt, idx, err := in5.Decrypt(msgs[i]); err != nil || idx != uint32(i) || pt[0] != byte(i) {
			t.Fatalf("index %d: %v", i, err)
		}
	}
	if in5.FirstKnownIndex() != 5 {
		t.Fatal("first known index moved")
	}

	// A jump to 2^31 - 1 from index 0: at most ~1020 hash computations.
	const far = 1<<31 - 1
	out := mf.outboundAt(t, mf.ratchetAt(t, far), far)
	fm := out.Encrypt([]byte("far"))
	start := time.Now()
	if pt, idx, err := mf.in.Decrypt(fm); err != nil || idx != far || string(pt) != "far" {
		t.Fatalf("index 2^31-1: %v", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("advancing 2^31-1 took %v", d)
	}
	// 0xffffffff is more than 2^31 ahead of the first known index 0 and
	// exactly 2^31 ahead of the cached 2^31-1: unknown (libolm's window).
	top := mf.outboundAt(t, newttest.RandBytes(megolm.RatchetSize), 0xffffffff).Encrypt([]byte("x"))
	before = newttest.Snapshot(mf.in)
	if _, _, err := mf.in.Decrypt(top); !errors.Is(err, megolm.ErrUnknownMessageIndex) {
		t.Errorf("index 2^32-1 from first known 0: %v", err)
	}
	newttest.RequireUnchanged(t, "index 2^32-1", before, mf.in)

	// Wrap-around: a session whose counter passes 2^32 keeps working.
	wf := newMegolmFixture(t)
	wo := wf.outboundAt(t, newttest.RandBytes(megolm.RatchetSize), 0xfffffffe)
	win, err := megolm.NewInboundGroupSession(wo.SessionKey())
	if err != nil {
		t.Fatal(err)
	}
	var wm []*megolm.Message
	for range 4 {
		wm = append(wm, wo.Encrypt([]byte("wrap")))
	}
	if wo.MessageIndex() != 2 {
		t.Fatalf("outbound index after wrap: %d", wo.MessageIndex())
	}
	for i, want := range []uint32{0xfffffffe, 0xffffffff, 0, 1} {
		if _, idx, err := win.Decrypt(wm[i]); err != nil || idx != want {
			t.Fatalf("wrapped index %#x: %d, %v", want, idx, err)
		}
	}
}

// TestC15_FailedDecryptKeepsState is the property test of the row: forged
// or corrupted messages (bit flips, bad MACs, validly MAC'd random
// ciphertexts, truncations) before every delivery of 60 honest messages in
// random order. Every forgery fails and leaves the session's pickle
// byte-identical (except a random ciphertext that happens to be validly
// padded); every honest message decrypts. Also: FuzzInboundDecrypt,
// TestFailedDecryptLeavesSessionUnchanged.
func TestC15_FailedDecryptKeepsState(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 15))
	mf := newMegolmFixture(t)
	var gms []*megolm.Message
	for i := range 60 {
		gms = append(gms, mf.out.Encrypt([]byte{byte(i)}))
	}
	for _, i := range rng.Perm(len(gms)) {
		g := gms[i].Bytes()
		for range 3 {
			var f []byte
			switch rng.IntN(4) {
			case 0:
				f = newttest.FlipBit(g, rng.IntN(len(g)*8))
			case 1:
				f = mf.forge(t, uint32(rng.IntN(100)), newttest.RandBytes(16), false)
			case 2:
				f = mf.forge(t, uint32(rng.IntN(100)), newttest.RandBytes(16*(1+rng.IntN(3))), true)
			case 3:
				f = g[:rng.IntN(len(g))]
			}
			fm, err := megolm.NewMessage(f)
			if err != nil {
				continue
			}
			before := newttest.Snapshot(mf.in)
			if _, _, err := mf.in.Decrypt(fm); err == nil {
				// A validly MAC'd random ciphertext can have valid padding
				// by chance; only that may succeed.
				continue
			}
			newttest.RequireUnchanged(t, "megolm forgery", before, mf.in)
		}
		if pt, idx, err := mf.in.Decrypt(gms[i]); err != nil || idx != uint32(i) || pt[0] != byte(i) {
			t.Fatalf("megolm honest %d: %v", i, err)
		}
	}
}

// TestC20_PickleTampering: flipping any bit of an outbound or inbound
// session pickle, or using the wrong key, is ErrBadPickleKey (the MAC is
// checked before decryption); an envelope of impossible length is a typed
// error; trailing plaintext is ErrCorruptedPickle (libolm's
// OLM_PICKLE_EXTRA_DATA). libolm's own pickles from megolm.json re-pickle
// byte for byte. Also: TestPickleErrors, TestVectorsInboundPickles, the
// pickle fuzz targets.
func TestC20_PickleTampering(t *testing.T) {
	newttest.CheckPickleTampering(t, pickleCases(t)...)
	mv := testvectors.Load[testvectors.MegolmVectors](t, "megolm.json")
	key := []byte(mv.Outbound.PickleKey)
	for _, p := range []string{mv.Outbound.OutboundPickle0, mv.Outbound.OutboundPickle2} {
		s, err := megolm.GroupSessionFromPickle(p, key)
		if err != nil || s.Pickle(key) != p {
			t.Errorf("outbound pickle does not round-trip: %v", err)
		}
	}
	for _, p := range []string{mv.Outbound.InboundPickleFresh, mv.Outbound.InboundPickleAfter1_0} {
		s, err := megolm.InboundGroupSessionFromPickle(p, key)
		if err != nil || s.Pickle(key) != p {
			t.Errorf("inbound pickle does not round-trip: %v", err)
		}
	}
}

// TestC21_ConcurrentUse: the session types are safe for concurrent use
// (run with -race): concurrent GroupSession.Encrypt calls never reuse a
// message index; InboundGroupSession.Decrypt, Export and Pickle run in
// parallel. Also: TestConcurrentEncryptDecrypt, ed25519x
// TestFastVerifyConcurrent/TestVerifierCacheConcurrent.
func TestC21_ConcurrentUse(t *testing.T) {
	const workers, per = 8, 50
	mf := newMegolmFixture(t)
	msgs := make([][]*megolm.Message, workers)
	newttest.Parallel(workers, func(w int) {
		for i := range per {
			msgs[w] = append(msgs[w], mf.out.Encrypt([]byte{byte(w), byte(i)}))
			if i%10 == 0 {
				mf.out.Pickle(newttest.PickleKey)
				mf.out.SessionKey()
			}
		}
	})
	seen := map[uint32]bool{}
	for _, ms := range msgs {
		for _, m := range ms {
			if seen[m.Index()] {
				t.Fatalf("index %d used twice", m.Index())
			}
			seen[m.Index()] = true
		}
	}
	if len(seen) != workers*per || mf.out.MessageIndex() != workers*per {
		t.Fatalf("%d distinct indexes", len(seen))
	}
	newttest.CheckParallel(t, workers, func(w int) error {
		for i := range per {
			m := msgs[(w+i)%workers][i]
			pt, idx, err := mf.in.Decrypt(m)
			if err != nil || idx != m.Index() || len(pt) != 2 {
				return fmt.Errorf("decrypt %d: %v", m.Index(), err)
			}
			if i%10 == 0 {
				mf.in.Pickle(newttest.PickleKey)
				if _, err := mf.in.Export(m.Index()); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// TestC22_Base64Input: the base64 entry points of package megolm
// (messages, session keys, exports, pickles) reject bad characters,
// non-ASCII UTF-8, embedded "\r\n" or spaces, the URL-safe alphabet, '='
// padding, a length ≡ 1 (mod 4) and non-canonical trailing bits with the
// package's typed error and no partial output. DIVERGENCE: libolm skips
// invalid characters and ignores trailing bits. Also: b64 TestRejections,
// TestDifferentialExhaustive, FuzzDecode.
func TestC22_Base64Input(t *testing.T) {
	mf := newMegolmFixture(t)
	newttest.CheckBase64Entry(t, "megolm message", mf.out.Encrypt([]byte("x")).Base64(), func(s string) error {
		m, err := megolm.ParseMessage(s)
		return newttest.WantError(m == nil, err, megolm.ErrBadMessageFormat)
	})
	newttest.CheckBase64Entry(t, "session key", mf.out.SessionKey().Base64(), func(s string) error {
		k, err := megolm.ParseSessionKey(s)
		return newttest.WantError(k == nil, err, megolm.ErrBadSessionKey)
	})
	newttest.CheckBase64Entry(t, "exported key", newttest.Must(t, mf.in.Export, 0).Base64(), func(s string) error {
		k, err := megolm.ParseExportedSessionKey(s)
		return newttest.WantError(k == nil, err, megolm.ErrBadSessionKey)
	})
	newttest.CheckBase64Entry(t, "group pickle", newttest.Snapshot(mf.in), func(s string) error {
		a, err := megolm.InboundGroupSessionFromPickle(s, newttest.PickleKey)
		return newttest.WantError(a == nil, err, megolm.ErrCorruptedPickle, megolm.ErrBadPickleKey)
	})
}

// TestC24_PlaintextContent: plaintexts are bytes: empty, NUL, invalid UTF-8
// and random bytes round-trip exactly, also when an Append function writes
// into the memory of its own input (AppendEncrypt(buf[:0], buf) and other
// overlaps of dst and the plaintext or the pickle key). Also: aessha2
// TestRoundTripEveryLength.
func TestC24_PlaintextContent(t *testing.T) {
	mf := newMegolmFixture(t)
	for _, pt := range newttest.Plaintexts() {
		got, _, err := mf.in.Decrypt(mf.out.Encrypt(pt))
		if err != nil || !bytes.Equal(got, pt) {
			t.Errorf("megolm %x: %x, %v", pt, got, err)
		}
	}
	pt := []byte("a plaintext long enough to span three AES blocks, in place")
	decrypts := func(parse func([]byte) (*megolm.Message, error)) func([]byte) error {
		return func(b []byte) error {
			m, err := parse(b)
			if err != nil {
				return err
			}
			got, _, err := mf.in.Decrypt(m)
			if err == nil && !bytes.Equal(got, pt) {
				err = fmt.Errorf("decrypts to %q", got)
			}
			return err
		}
	}
	newttest.CheckAppendAliased(t, "GroupSession.AppendEncrypt", pt,
		func(dst, in []byte) ([]byte, error) { return mf.out.AppendEncrypt(dst, in), nil }, decrypts(megolm.NewMessage))
	newttest.CheckAppendAliased(t, "GroupSession.AppendEncryptBase64", pt,
		func(dst, in []byte) ([]byte, error) { return mf.out.AppendEncryptBase64(dst, in), nil },
		decrypts(func(b []byte) (*megolm.Message, error) { return megolm.ParseMessage(string(b)) }))
	newttest.CheckAppendPickleAliased(t, mf.out, mf.in)
}

// ratchetParts splits the 128-byte ratchet at b[off:] into its four parts.
func ratchetParts(b []byte, off int) [][]byte {
	var out [][]byte
	for j := range 4 {
		out = append(out, bytes.Clone(b[off+32*j:off+32*j+32]))
	}
	return out
}

// TestC25_NoSecretsInFormatting formats every type of package megolm that
// holds secrets with every fmt verb, directly, as an exported field of a
// struct and in unexported fields, slices, maps and interfaces of a struct
// (where fmt cannot call the type's methods), and requires that no rendering
// of their secret bytes (hex, base64, decimal, Go syntax) appears; the
// package's other exported types hold public data only. The secrets come from
// the pickles and the keys' bytes. The error strings of failed operations are
// checked for the same secrets. Also: TestStringRedaction.
func TestC25_NoSecretsInFormatting(t *testing.T) {
	mf := newMegolmFixture(t)
	mf.out.Encrypt([]byte("x"))
	outPlain := newttest.PlainOf(t, newttest.Snapshot(mf.out))
	inPlain := newttest.PlainOf(t, newttest.Snapshot(mf.in))
	sk := mf.out.SessionKey()
	ek := newttest.Must(t, mf.in.Export, 0)
	outSecrets := append(ratchetParts(outPlain, 4), bytes.Clone(outPlain[168:200]), bytes.Clone(outPlain[200:232]))
	inSecrets := append(ratchetParts(inPlain, 4), ratchetParts(inPlain, 136)...)
	newttest.CheckFormatting(t, "megolm.GroupSession", mf.out, outSecrets...)
	newttest.CheckFormatting(t, "megolm.InboundGroupSession", mf.in, inSecrets...)
	newttest.CheckFormatting(t, "megolm.SessionKey", sk, ratchetParts(sk.Bytes(), 5)...)
	newttest.CheckFormatting(t, "megolm.ExportedSessionKey", ek, ratchetParts(ek.Bytes(), 5)...)
	newttest.CheckExportedTypes(t, ".", "GroupSession", "InboundGroupSession", "SessionKey", "ExportedSessionKey",
		"Message", "SessionConfig", "SessionOrdering", "UnknownMessageIndexError") // the last four: public

	var errs []error
	_, _, err := mf.in.Decrypt(newttest.Must(t, megolm.NewMessage, mf.forge(t, 2, newttest.RandBytes(16), false)))
	errs = append(errs, err)
	_, _, err = mf.in.Decrypt(newttest.Must(t, megolm.NewMessage, mf.forge(t, 2, newttest.RandBytes(15), true)))
	errs = append(errs, err)
	_, err = megolm.InboundGroupSessionFromPickle(newttest.SealPickle(newttest.PickleKey, inPlain[:200]), newttest.PickleKey)
	errs = append(errs, err)
	_, err = megolm.NewSessionKey(sk.Bytes()[:200])
	errs = append(errs, err)
	newttest.CheckErrorsHaveNoSecrets(t, errs, append(outSecrets, inSecrets...)...)
}

// TestC25_SupersededKeysCleared is the zeroing half of C25 (best effort:
// Go can move or copy memory): the cached latest ratchet of an inbound
// session moves forward and the old one is overwritten (the initial
// ratchet is kept by design).
func TestC25_SupersededKeysCleared(t *testing.T) {
	mf := newMegolmFixture(t)
	for range 3 {
		mf.out.Encrypt([]byte("x"))
	}
	if _, _, err := mf.in.Decrypt(mf.out.Encrypt([]byte("3"))); err != nil {
		t.Fatal(err)
	}
	latest3 := bytes.Clone(newttest.PlainOf(t, newttest.Snapshot(mf.in))[136:264])
	if _, _, err := mf.in.Decrypt(mf.out.Encrypt([]byte("4"))); err != nil {
		t.Fatal(err)
	}
	// R_i,3 changes at every step (the other parts change less often and
	// may legitimately equal the new value).
	if newttest.ContainsBytes(mf.in, latest3[96:128]) {
		t.Error("the superseded latest ratchet is still in memory")
	}
}

// TestC26_SessionConfigDowngrade: vodozemac's v2 session config (message
// version 4, 32-byte MAC) is opt-in in newt (megolm.SessionConfigV2) and
// never the default. A session of one config refuses the other's messages,
// unchanged, with ErrBadVersion and ErrConfigMismatch; a v1 message
// relabelled 4 does not parse. See also TestC05.
func TestC26_SessionConfigDowngrade(t *testing.T) {
	mf := newMegolmFixture(t)
	g := mf.out.Encrypt([]byte("v3")).Bytes()
	g[0] = 4
	if _, err := megolm.NewMessage(g); err == nil {
		t.Error("megolm version 4 with an 8-byte MAC parsed")
	}
	v2out := megolm.GenerateGroupSessionWithConfig(megolm.SessionConfigV2())
	v1in, err := megolm.NewInboundGroupSession(v2out.SessionKey())
	if err != nil {
		t.Fatal(err)
	}
	v1before := v1in.PickleJSON()
	if _, _, err := v1in.Decrypt(v2out.Encrypt([]byte("v4"))); !errors.Is(err, megolm.ErrBadVersion) || !errors.Is(err, megolm.ErrConfigMismatch) {
		t.Errorf("megolm version 4 message in a v1 session: %v", err)
	}
	if !bytes.Equal(v1in.PickleJSON(), v1before) {
		t.Error("a refused version 4 message changed the v1 session")
	}
	v2in, err := megolm.NewInboundGroupSessionWithConfig(mf.out.SessionKey(), megolm.SessionConfigV2())
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := v2in.Decrypt(mf.out.Encrypt([]byte("v3"))); !errors.Is(err, megolm.ErrConfigMismatch) {
		t.Errorf("megolm version 3 message in a v2 session: %v", err)
	}
}

// TestC28_CrashConsistency: Megolm decryption consumes nothing and can be
// repeated after a reload (the Olm half of the row is olm's).
func TestC28_CrashConsistency(t *testing.T) {
	mf := newMegolmFixture(t)
	g := mf.out.Encrypt([]byte("group"))
	if _, _, err := mf.in.Decrypt(g); err != nil {
		t.Fatal(err)
	}
	in2, err := megolm.InboundGroupSessionFromPickle(newttest.Snapshot(mf.in), newttest.PickleKey)
	if err != nil {
		t.Fatal(err)
	}
	if pt, _, err := in2.Decrypt(g); err != nil || string(pt) != "group" {
		t.Fatal(err)
	}
}

// TestC29_NoPanicFromAPI sends random bytes, random base64, nil arguments
// and zero values through every entry point of package megolm that takes
// input, and requires typed errors and no panic. Zero values of the
// session types are documented as unusable and may panic; that is a
// programming error, not input. Also: every fuzz target.
func TestC29_NoPanicFromAPI(t *testing.T) {
	mf := newMegolmFixture(t)
	newttest.ForRandomInputs(t, 29, 300, func(b []byte, str, b64 string) {
		if m, err := megolm.NewMessage(b); err == nil {
			mf.in.Decrypt(m)
		}
		megolm.ParseMessage(b64)
		megolm.ParseMessage(str)
		if k, err := megolm.NewSessionKey(b); err == nil {
			megolm.NewInboundGroupSession(k)
		}
		if k, err := megolm.NewExportedSessionKey(b); err == nil {
			megolm.ImportInboundGroupSession(k)
		}
		megolm.ParseSessionKey(str)
		megolm.ParseExportedSessionKey(str)
		megolm.GroupSessionFromPickle(newttest.SealPickle(newttest.PickleKey, b), newttest.PickleKey)
		megolm.InboundGroupSessionFromPickle(newttest.SealPickle(newttest.PickleKey, b), newttest.PickleKey)
		megolm.InboundGroupSessionFromPickle(str, newttest.PickleKey)
		mf.in.Export(uint32(len(b)) * 0x01000193)
	})
	newttest.MustNotPanic(t, "nil and zero values", func() {
		mf.in.Decrypt(nil)
		mf.in.Decrypt(&megolm.Message{})
		mf.in.Merge(nil)
		mf.in.Compare(nil)
		megolm.NewInboundGroupSession(nil)
		megolm.NewInboundGroupSession(&megolm.SessionKey{})
		megolm.ImportInboundGroupSession(nil)
		megolm.ImportInboundGroupSession(&megolm.ExportedSessionKey{})
	})
	for _, err := range []error{
		func() error { _, _, err := mf.in.Decrypt(nil); return err }(),
		func() error { _, err := megolm.NewInboundGroupSession(nil); return err }(),
	} {
		if err == nil {
			t.Error("nil argument accepted")
		}
	}
}
