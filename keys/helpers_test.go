// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package keys

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/megolm"
	"github.com/newt-e2ee/newt/pk"
)

// testSession returns a fresh outbound Megolm session and an exported
// session for it at index, with plausible metadata.
func testSession(t testing.TB, room string, index uint32) (*megolm.GroupSession, *ExportedSession) {
	t.Helper()
	g := megolm.GenerateGroupSession()
	for range index {
		g.Encrypt([]byte("x"))
	}
	in, err := megolm.NewInboundGroupSession(g.SessionKey())
	if err != nil {
		t.Fatal(err)
	}
	ek, err := in.Export(index)
	if err != nil {
		t.Fatal(err)
	}
	sender := pk.GenerateDecryption().PublicKey()
	return g, NewExportedSession(ek, room, sender, newt.Ed25519PublicKeyFromArray([32]byte{1, 2, 3}))
}

// testSessions returns n exported sessions in rooms !r0 … !r(rooms-1).
func testSessions(t testing.TB, n, rooms int) []*ExportedSession {
	t.Helper()
	out := make([]*ExportedSession, n)
	for i := range out {
		_, out[i] = testSession(t, "!r"+strconv.Itoa(i%rooms)+":example.org", uint32(i%3))
	}
	return out
}

// sameSession fails unless a and b describe the same session.
func sameSession(t testing.TB, a, b *ExportedSession) {
	t.Helper()
	if a.RoomID != b.RoomID || a.SessionID() != b.SessionID() || a.SenderKey != b.SenderKey ||
		a.SharedHistory != b.SharedHistory || a.FirstKnownIndex() != b.FirstKnownIndex() ||
		!bytes.Equal(a.SessionKey().Bytes(), b.SessionKey().Bytes()) {
		t.Fatalf("sessions differ:\n%v\n%v", a, b)
	}
	if len(a.SenderClaimedKeys) != len(b.SenderClaimedKeys) {
		t.Fatalf("claimed keys differ: %q vs %q", a.SenderClaimedKeys, b.SenderClaimedKeys)
	}
	for k, v := range a.SenderClaimedKeys {
		if b.SenderClaimedKeys[k] != v {
			t.Fatalf("claimed keys differ: %q vs %q", a.SenderClaimedKeys, b.SenderClaimedKeys)
		}
	}
	if strings.Join(a.ForwardingCurve25519KeyChain, ",") != strings.Join(b.ForwardingCurve25519KeyChain, ",") {
		t.Fatalf("chains differ: %q vs %q", a.ForwardingCurve25519KeyChain, b.ForwardingCurve25519KeyChain)
	}
}

// readAll reads every session of r, failing on anything but io.EOF at the
// end; per-session errors are returned.
func readAll(t testing.TB, r *SessionReader) ([]*ExportedSession, []*SessionError) {
	t.Helper()
	var ss []*ExportedSession
	var bad []*SessionError
	for {
		s, err := r.Next()
		if err == io.EOF {
			return ss, bad
		}
		var se *SessionError
		if errors.As(err, &se) {
			bad = append(bad, se)
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		ss = append(ss, s)
	}
}

// sealBody builds an export body by hand from its parts: version, salt, IV,
// rounds and plaintext, encrypted with a full 128-bit counter unless ctr64,
// MACed with the right keys. It is an independent implementation of the
// spec's layout for tests (not newt's writer).
func sealBody(t testing.TB, version byte, salt, iv []byte, rounds uint32, passphrase string, plaintext []byte, ctr64 bool) []byte {
	t.Helper()
	k := stdPBKDF2(passphrase, salt, rounds, 64)
	body := []byte{version}
	body = append(body, salt...)
	body = append(body, iv...)
	body = binary.BigEndian.AppendUint32(body, rounds)
	block, _ := aes.NewCipher(k[:32])
	ct := make([]byte, len(plaintext))
	if ctr64 {
		ctr64XOR(block, iv, ct, plaintext)
	} else {
		cipher.NewCTR(block, iv).XORKeyStream(ct, plaintext)
	}
	body = append(body, ct...)
	m := hmac.New(sha256.New, k[32:])
	m.Write(body)
	return m.Sum(body)
}

// ctr64XOR is AES-CTR whose counter is only the low 64 bits of the block,
// as WebCrypto's AES-CTR with length 64 (Element Web, matrix-js-sdk).
func ctr64XOR(block cipher.Block, iv, dst, src []byte) {
	var ctr, ks [16]byte
	copy(ctr[:], iv)
	for i := 0; i < len(src); i += 16 {
		block.Encrypt(ks[:], ctr[:])
		for j := i; j < len(src) && j < i+16; j++ {
			dst[j] = src[j] ^ ks[j-i]
		}
		binary.BigEndian.PutUint64(ctr[8:], binary.BigEndian.Uint64(ctr[8:])+1)
	}
}

// armor wraps body in Element Web's layout (lines of 128 characters).
func armor(body []byte) string {
	enc := base64.StdEncoding.EncodeToString(body)
	var b strings.Builder
	b.WriteString(armorBegin + "\n")
	for len(enc) > 128 {
		b.WriteString(enc[:128] + "\n")
		enc = enc[128:]
	}
	b.WriteString(enc + "\n" + armorEnd + "\n")
	return b.String()
}

// mustErr fails unless err matches target.
func mustErr(t testing.TB, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("got error %v, want %v", err, target)
	}
}

func hmacSHA256(key, data []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(data)
	return m.Sum(nil)
}

// stdPBKDF2 is PBKDF2-HMAC-SHA-512 from crypto/pbkdf2, independent of
// newt's deriveKey.
func stdPBKDF2(passphrase string, salt []byte, rounds uint32, n int) []byte {
	k, err := pbkdf2.Key(sha512.New, passphrase, salt, int(rounds), n)
	if err != nil {
		panic(err)
	}
	return k
}
