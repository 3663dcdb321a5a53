// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package testvectors_test

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/ed25519"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"github.com/newt-e2ee/newt/testvectors"
)

// TestFilesHaveComments loads every embedded file generically and checks
// the package conventions: a top-level "comment", and a non-empty "comment"
// (and "expect", where present) on every case, i.e. every object that is an
// element of an array.
func TestFilesHaveComments(t *testing.T) {
	names, err := fs.Glob(testvectors.Files, "*.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(names) < 2 {
		t.Fatalf("only %d vector files embedded", len(names))
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			v := testvectors.Load[map[string]any](t, name)
			if c, _ := v["comment"].(string); strings.TrimSpace(c) == "" {
				t.Error("file has no top-level comment")
			}
			cases := 0
			walk(t, v, name, &cases)
			if cases == 0 {
				t.Error("file has no cases")
			}
		})
	}
}

func walk(t *testing.T, v any, path string, cases *int) {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			walk(t, e, path+"."+k, cases)
		}
	case []any:
		for i, e := range v {
			p := fmt.Sprintf("%s[%d]", path, i)
			if obj, ok := e.(map[string]any); ok {
				*cases++
				if c, _ := obj["comment"].(string); strings.TrimSpace(c) == "" {
					t.Errorf("%s: case without a comment", p)
				}
				if x, ok := obj["expect"]; ok {
					if s, _ := x.(string); s == "" {
						t.Errorf("%s: empty expect", p)
					}
				}
			}
			walk(t, e, p, cases)
		}
	}
}

func TestLoadRejectsUnknownKeys(t *testing.T) {
	var v struct {
		Comment string `json:"comment"`
	}
	if err := testvectors.Unmarshal([]byte(`{"comment":"x","other":1}`), &v); err == nil {
		t.Error("unknown key accepted")
	}
	if err := testvectors.Unmarshal([]byte(`{"comment":"x"} {}`), &v); err == nil {
		t.Error("trailing data accepted")
	}
	if err := testvectors.Unmarshal([]byte(`{"comment":"x"}`), &v); err != nil || v.Comment != "x" {
		t.Errorf("valid input: %v", err)
	}
	if _, err := testvectors.Decode[map[string]any]("missing.json"); err == nil {
		t.Error("missing file accepted")
	}
}

func TestHex(t *testing.T) {
	var h struct {
		B testvectors.Hex `json:"b"`
	}
	if err := json.Unmarshal([]byte(`{"b":"00FFa0"}`), &h); err != nil || !bytes.Equal(h.B, []byte{0, 0xff, 0xa0}) {
		t.Fatalf("decode: %x, %v", h.B, err)
	}
	out, err := json.Marshal(h)
	if err != nil || string(out) != `{"b":"00ffa0"}` {
		t.Fatalf("encode: %s, %v", out, err)
	}
	if err := json.Unmarshal([]byte(`{"b":"0"}`), &h); err == nil {
		t.Error("odd-length hex accepted")
	}
	if err := json.Unmarshal([]byte(`{"b":"zz"}`), &h); err == nil {
		t.Error("bad hex accepted")
	}
}

var expects = map[string]bool{
	testvectors.ExpectSuccess: true, testvectors.ExpectInvalid: true,
	testvectors.ExpectNonContributory: true, testvectors.ExpectMissingFields: true,
	testvectors.ExpectMalformed: true,
}

func checkExpect(t *testing.T, what, e string) {
	t.Helper()
	if !expects[e] {
		t.Errorf("%s: unknown expect %q", what, e)
	}
}

// TestPrimitivesStdlib re-derives every answer of primitives.json with Go's
// standard library, an implementation independent of both libolm (which
// produced the file) and newt. Only libolm-specific behaviour (lenient
// base64 decoding, raw X25519 peers) is left to the libolm-tagged tests.
func TestPrimitivesStdlib(t *testing.T) {
	p := testvectors.Load[testvectors.Primitives](t, "primitives.json")
	if len(p.HKDF) == 0 || len(p.HMAC) == 0 || len(p.SHA256) == 0 || len(p.AESCBC) == 0 ||
		len(p.AESSHA2) == 0 || len(p.Base64) == 0 || len(p.Ed25519) == 0 || len(p.X25519) == 0 {
		t.Fatal("primitives.json has an empty section")
	}
	for i, c := range p.HKDF {
		checkExpect(t, "hkdf", c.Expect)
		if c.Length > 255*32 {
			continue // libolm's uint8 counter wraps; the stdlib refuses
		}
		salt := []byte(c.Salt)
		if len(salt) == 0 {
			salt = nil
		}
		out, err := hkdf.Key(sha256.New, c.IKM, salt, string(c.Info), c.Length)
		if err != nil || !bytes.Equal(out, c.Out) {
			t.Errorf("hkdf[%d] (%s): stdlib gives %x, %v", i, c.Comment, out, err)
		}
	}
	for i, c := range p.HMAC {
		checkExpect(t, "hmac", c.Expect)
		m := hmac.New(sha256.New, c.Key)
		m.Write(c.Msg)
		if got := m.Sum(nil); !bytes.Equal(got, c.MAC) {
			t.Errorf("hmac[%d] (%s): stdlib gives %x", i, c.Comment, got)
		}
	}
	for i, c := range p.SHA256 {
		checkExpect(t, "sha256", c.Expect)
		d := sha256.Sum256(c.Msg)
		if !bytes.Equal(d[:], c.Digest) || base64.RawStdEncoding.EncodeToString(d[:]) != c.OlmSHA256 {
			t.Errorf("sha256[%d] (%s): stdlib gives %x", i, c.Comment, d)
		}
	}
	for i, c := range p.AESCBC {
		checkExpect(t, "aes_cbc", c.Expect)
		if got := cbcEncrypt(t, c.Key, c.IV, c.Plaintext); !bytes.Equal(got, c.Ciphertext) {
			t.Errorf("aes_cbc[%d] (%s): stdlib gives %x", i, c.Comment, got)
		}
	}
	for i, c := range p.AESSHA2 {
		checkExpect(t, "aes_sha2", c.Expect)
		keys, err := hkdf.Key(sha256.New, c.IKM, nil, c.Info, 80)
		if err != nil || !bytes.Equal(keys, bytes.Join([][]byte{c.AESKey, c.MACKey, c.IV}, nil)) {
			t.Errorf("aes_sha2[%d] (%s): derived keys differ", i, c.Comment)
			continue
		}
		if got := cbcEncrypt(t, c.AESKey, c.IV, c.Plaintext); !bytes.Equal(got, c.Ciphertext) {
			t.Errorf("aes_sha2[%d] (%s): ciphertext differs", i, c.Comment)
		}
		m := hmac.New(sha256.New, c.MACKey)
		if c.MACOverCiphertext {
			m.Write(c.Prefix)
			m.Write(c.Ciphertext)
		} else if len(c.Prefix) != 0 {
			t.Errorf("aes_sha2[%d]: prefix without MAC over the ciphertext", i)
		}
		if got := m.Sum(nil)[:8]; !bytes.Equal(got, c.MAC) {
			t.Errorf("aes_sha2[%d] (%s): MAC differs", i, c.Comment)
		}
	}
	for i, c := range p.Base64 {
		checkExpect(t, "base64", c.Expect)
		switch c.Expect {
		case testvectors.ExpectSuccess:
			if got := base64.RawStdEncoding.EncodeToString(c.Decoded); got != c.Encoded {
				t.Errorf("base64[%d] (%s): stdlib encodes %q", i, c.Comment, got)
			}
			if !bytes.Equal(c.LibolmDecoded, c.Decoded) || c.LibolmError != "" {
				t.Errorf("base64[%d]: libolm disagrees on valid input", i)
			}
		case testvectors.ExpectInvalid:
			if len(c.Decoded) != 0 {
				t.Errorf("base64[%d]: invalid case with decoded bytes", i)
			}
			// encoding/base64 skips \r and \n even in strict mode.
			if strings.ContainsAny(c.Encoded, "\r\n") {
				continue
			}
			if b, err := base64.RawStdEncoding.Strict().DecodeString(c.Encoded); err == nil {
				t.Errorf("base64[%d] (%s): stdlib strict decoder accepts it as %x", i, c.Comment, b)
			}
		}
	}
	for i, c := range p.Ed25519 {
		checkExpect(t, "ed25519", c.Expect)
		// libolm's expanded-key signature equals standard Ed25519 from the
		// seed; the expanded key is the clamped SHA-512 of the seed.
		k := ed25519.NewKeyFromSeed(c.Seed)
		h := sha512.Sum512(c.Seed)
		h[0] &= 248
		h[31] &= 63
		h[31] |= 64
		if !bytes.Equal(k.Public().(ed25519.PublicKey), c.Public) || !bytes.Equal(h[:], c.Expanded) ||
			!bytes.Equal(ed25519.Sign(k, c.Message), c.Signature) {
			t.Errorf("ed25519[%d] (%s): stdlib differs", i, c.Comment)
		}
	}
	for i, c := range p.X25519 {
		checkExpect(t, "x25519", c.Expect)
		priv, err := ecdh.X25519().NewPrivateKey(c.Private)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(priv.PublicKey().Bytes(), c.Public) {
			t.Errorf("x25519[%d] (%s): public key differs", i, c.Comment)
		}
		peer, err := ecdh.X25519().NewPublicKey(c.PeerPublic)
		if err != nil {
			t.Fatal(err)
		}
		s, err := priv.ECDH(peer)
		switch c.Expect {
		case testvectors.ExpectNonContributory:
			if err == nil || !bytes.Equal(c.Shared, make([]byte, 32)) {
				t.Errorf("x25519[%d] (%s): stdlib accepts the peer or secret not zero", i, c.Comment)
			}
		default:
			if err != nil || !bytes.Equal(s, c.Shared) {
				t.Errorf("x25519[%d] (%s): stdlib gives %x, %v", i, c.Comment, s, err)
			}
		}
	}
}

func cbcEncrypt(t *testing.T, key, iv, pt []byte) []byte {
	t.Helper()
	b, err := aes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	pad := 16 - len(pt)%16
	buf := append(bytes.Clone(pt), bytes.Repeat([]byte{byte(pad)}, pad)...)
	cipher.NewCBCEncrypter(b, iv).CryptBlocks(buf, buf)
	return buf
}

// TestMessagesShape checks the structural claims of message.json that need
// no decoder: the MAC and signature are the trailing bytes, the version is
// the first byte and every expect value is known.
func TestMessagesShape(t *testing.T) {
	m := testvectors.Load[testvectors.Messages](t, "message.json")
	if len(m.Olm) == 0 || len(m.PreKey) == 0 || len(m.Megolm) == 0 {
		t.Fatal("message.json has an empty section")
	}
	for i, c := range m.Olm {
		checkExpect(t, "olm", c.Expect)
		if len(c.Encoded) < c.MACLength || !bytes.HasSuffix(c.Encoded, c.MAC) || len(c.MAC) != c.MACLength {
			t.Errorf("olm[%d]: MAC is not the trailing %d bytes", i, c.MACLength)
		}
		if len(c.Encoded) > c.MACLength && c.Version != int(c.Encoded[0]) {
			t.Errorf("olm[%d]: version %d, first byte %d", i, c.Version, c.Encoded[0])
		}
		if c.Expect == testvectors.ExpectSuccess && (c.RatchetKey == nil || c.Ciphertext == nil || !c.HasCounter) {
			t.Errorf("olm[%d]: success case with a missing field", i)
		}
	}
	for i, c := range m.PreKey {
		checkExpect(t, "pre_key", c.Expect)
		if c.Expect == testvectors.ExpectSuccess {
			id := sha256.Sum256(bytes.Join([][]byte{c.IdentityKey, c.BaseKey, c.OneTimeKey}, nil))
			if base64.RawStdEncoding.EncodeToString(id[:]) != c.SessionID {
				t.Errorf("pre_key[%d]: session id differs", i)
			}
			if !bytes.HasSuffix(c.Encoded, c.Message) || len(c.Message) == 0 {
				t.Errorf("pre_key[%d]: inner message is not the tail", i)
			}
		}
	}
	for i, c := range m.Megolm {
		checkExpect(t, "megolm", c.Expect)
		n := c.MACLength + c.SignatureLength
		if len(c.Encoded) < n {
			continue // too short to hold the trailer
		}
		if !bytes.Equal(c.Encoded[len(c.Encoded)-n:], bytes.Join([][]byte{c.MAC, c.Signature}, nil)) {
			t.Errorf("megolm[%d]: MAC and signature are not the trailer", i)
		}
		if c.Version != int(c.Encoded[0]) {
			t.Errorf("megolm[%d]: version %d", i, c.Version)
		}
	}
}
