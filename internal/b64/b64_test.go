// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package b64_test

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/newt-e2ee/newt/internal/b64"
	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/testvectors"
)

// TestKnownAnswers checks encodings of libolm's tests/test_base64.cpp, key
// IDs, and RFC 4648 §10 (with the padding removed).
func TestKnownAnswers(t *testing.T) {
	ans := testvectors.LoadAnswers(t)
	u32 := func(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }
	tests := []struct {
		name string
		raw  []byte
		enc  string
	}{
		{"libolm test_base64 Hello World", []byte("Hello World"), "SGVsbG8gV29ybGQ"},
		{"RFC7748 alice pub (32 bytes)", newttest.Hex(t, ans.Get("rfc7748/alice_public_hex")), ans.Get("rfc7748/alice_public_base64")},
		{"RFC7748 bob pub (32 bytes, has '+')", newttest.Hex(t, ans.Get("rfc7748/bob_public_hex")), ans.Get("rfc7748/bob_public_base64")},
		{"key id 1", u32(1), "AAAAAQ"},
		{"key id 2", u32(2), "AAAAAg"},
		{"key id 255", u32(255), "AAAA/w"},
		{"key id 256", u32(256), "AAABAA"},
		{"key id max", u32(0xFFFFFFFF), "/////w"},
		{"RFC4648 empty", nil, ""},
		{"RFC4648 f", []byte("f"), "Zg"},
		{"RFC4648 fo", []byte("fo"), "Zm8"},
		{"RFC4648 foo", []byte("foo"), "Zm9v"},
		{"RFC4648 foob", []byte("foob"), "Zm9vYg"},
		{"RFC4648 fooba", []byte("fooba"), "Zm9vYmE"},
		{"RFC4648 foobar", []byte("foobar"), "Zm9vYmFy"},
		{"all 0xff (every lane '/')", bytes.Repeat([]byte{0xff}, 12), "////////////////"},
		{"all zero", make([]byte, 9), "AAAAAAAAAAAA"},
	}
	// libolm's olm_sha256 answers: b64(SHA-256(x)), from primitives.json.
	for i, c := range testvectors.Load[testvectors.Primitives](t, "primitives.json").SHA256 {
		tests = append(tests, struct {
			name string
			raw  []byte
			enc  string
		}{fmt.Sprintf("olm_sha256 case %d", i), c.Digest, c.OlmSHA256})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := b64.EncodeToString(tt.raw); got != tt.enc {
				t.Errorf("EncodeToString = %q, want %q", got, tt.enc)
			}
			if got := b64.EncodedLen(len(tt.raw)); got != len(tt.enc) {
				t.Errorf("EncodedLen(%d) = %d, want %d", len(tt.raw), got, len(tt.enc))
			}
			if got := string(b64.AppendEncode([]byte("prefix"), tt.raw)); got != "prefix"+tt.enc {
				t.Errorf("AppendEncode = %q", got)
			}
			got, err := b64.DecodeString(tt.enc)
			if err != nil || !bytes.Equal(got, tt.raw) {
				t.Errorf("DecodeString = %x, %v; want %x", got, err, tt.raw)
			}
			n, err := b64.DecodedLen(len(tt.enc))
			if err != nil || n != len(tt.raw) {
				t.Errorf("DecodedLen(%d) = %d, %v; want %d", len(tt.enc), n, err, len(tt.raw))
			}
			dst := make([]byte, n+3)
			n, err = b64.Decode(dst, []byte(tt.enc))
			if err != nil || !bytes.Equal(dst[:n], tt.raw) {
				t.Errorf("Decode = %x, %v", dst[:n], err)
			}
			app, err := b64.AppendDecode([]byte("xy"), []byte(tt.enc))
			if err != nil || string(app) != "xy"+string(tt.raw) {
				t.Errorf("AppendDecode = %q, %v", app, err)
			}
		})
	}
}

// TestLengths checks the length formulas of libolm's src/base64.cpp
// (olm::encode_base64_length, olm::decode_base64_length).
func TestLengths(t *testing.T) {
	for raw, enc := range map[int]int{0: 0, 1: 2, 2: 3, 3: 4, 8: 11, 11: 15, 32: 43, 64: 86, 165: 220, 229: 306} {
		if got := b64.EncodedLen(raw); got != enc {
			t.Errorf("EncodedLen(%d) = %d, want %d", raw, got, enc)
		}
		if got, err := b64.DecodedLen(enc); err != nil || got != raw {
			t.Errorf("DecodedLen(%d) = %d, %v, want %d", enc, got, err, raw)
		}
	}
	for _, n := range []int{1, 5, 17, 81, -1, -4} {
		_, err := b64.DecodedLen(n)
		if !errors.Is(err, b64.ErrLength) {
			t.Errorf("DecodedLen(%d) error = %v, want ErrLength", n, err)
		}
	}
}

// TestDifferentialExhaustive compares every 0-, 1- and 2-byte input, and
// patterned inputs of every length up to 100, with encoding/base64.
func TestDifferentialExhaustive(t *testing.T) {
	std := base64.RawStdEncoding.Strict()
	check := func(raw []byte) {
		t.Helper()
		want := std.EncodeToString(raw)
		got := b64.EncodeToString(raw)
		if got != want {
			t.Fatalf("Encode(%x) = %q, want %q", raw, got, want)
		}
		dec, err := b64.DecodeString(got)
		if err != nil || !bytes.Equal(dec, raw) {
			t.Fatalf("Decode(%q) = %x, %v; want %x", got, dec, err, raw)
		}
	}
	check(nil)
	for i := range 256 {
		check([]byte{byte(i)})
		for j := range 256 {
			check([]byte{byte(i), byte(j)})
		}
	}
	for n := range 101 {
		raw := make([]byte, n)
		for i := range raw {
			raw[i] = byte(i*151 + n*7)
		}
		check(raw)
	}
}

// TestEveryByteValue decodes every byte value at every position of a
// 15-character input (8-character block plus a 7-character tail whose last
// character has two unused bits): exactly the 64 alphabet characters must be
// accepted, with the value encoding/base64 gives them.
func TestEveryByteValue(t *testing.T) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	std := base64.RawStdEncoding.Strict()
	for c := range 256 {
		val := strings.IndexByte(alphabet, byte(c))
		for pos := range 15 {
			in := []byte("AAAAAAAAAAAAAAA")
			in[pos] = byte(c)
			out, err := b64.DecodeString(string(in))
			var de *b64.DecodeError
			switch {
			case val < 0:
				if !errors.As(err, &de) || de.Err != b64.ErrCharacter || de.Offset != pos || out != nil {
					t.Fatalf("byte %#x at %d: got %x, %v; want ErrCharacter at %d", c, pos, out, err, pos)
				}
			case pos == 14 && val&3 != 0:
				if !errors.As(err, &de) || de.Err != b64.ErrTrailingBits || de.Offset != 14 || out != nil {
					t.Fatalf("byte %q at %d: got %x, %v; want ErrTrailingBits", c, pos, out, err)
				}
			default:
				want, serr := std.DecodeString(string(in))
				if err != nil || serr != nil || !bytes.Equal(out, want) {
					t.Fatalf("byte %q at %d: got %x, %v; encoding/base64 %x, %v", c, pos, out, err, want, serr)
				}
			}
		}
	}
}

// TestRejections pins every rejection class with its sentinel and offset.
func TestRejections(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		err    error
		offset int
	}{
		// Length: len%4 == 1 never encodes anything (libolm test_base64).
		{"one char", "A", b64.ErrLength, -1},
		{"five chars", "AAAAA", b64.ErrLength, -1},
		{"libolm Hello World + 2", "SGVsbG8gV29ybGQab", b64.ErrLength, -1},
		{"81 chars (android test19)", strings.Repeat("A", 81), b64.ErrLength, -1},
		// Characters libolm accepts as garbage (src/base64.cpp,
		// olm::decode_base64).
		{"libolm '*'", "*AAA", b64.ErrCharacter, 0},
		{"url-safe '-'", "A-A_", b64.ErrCharacter, 1},
		{"url-safe '_'", "AAA_", b64.ErrCharacter, 3},
		{"newline", "A\nAA", b64.ErrCharacter, 1},
		{"carriage return", "AAAAAAAA\rAAA", b64.ErrCharacter, 8},
		{"CRLF in block", "AA\r\nAAAA", b64.ErrCharacter, 2},
		{"space", "AAAA AAA", b64.ErrCharacter, 4},
		{"trailing space (vodozemac key)", "hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTm ", b64.ErrCharacter, 42},
		{"padding '='", "AA==", b64.ErrCharacter, 2},
		{"padded key (44 chars)", "hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo=", b64.ErrCharacter, 43},
		{"padding 3", "AAA=", b64.ErrCharacter, 3},
		{"NUL", "AAAAAA\x00A", b64.ErrCharacter, 6},
		{"DEL", "\x7fAAA", b64.ErrCharacter, 0},
		{"0x80", "AAA\x80", b64.ErrCharacter, 3},
		{"0xff", "AAAAAAAAAA\xff", b64.ErrCharacter, 10},
		{"non-ASCII UTF-8 é", "AA\xc3\xa9AAAA", b64.ErrCharacter, 2},
		{"A with high bit (0xC1)", "AA\xc1A", b64.ErrCharacter, 2},
		{"first of several", "AAAAAAAAAAAA.AA-AA_", b64.ErrCharacter, 12},
		{"char beats trailing bits", "A=AB", b64.ErrCharacter, 1},
		// Non-canonical trailing bits (libolm accepts "AB" as 00).
		{"AB", "AB", b64.ErrTrailingBits, 1},
		{"AAB", "AAB", b64.ErrTrailingBits, 2},
		{"Hello Worle", "SGVsbG8gV29ybGR", b64.ErrTrailingBits, 14},
		{"key ending Z (vodozemac InvalidLastSymbol)", strings.Repeat("A", 42) + "Z", b64.ErrTrailingBits, 42},
		{"8+2 chars", "AAAAAAAAAP", b64.ErrTrailingBits, 9},
		{"8+3 chars", "AAAAAAAAAAB", b64.ErrTrailingBits, 10},
		{"8+6 chars", "AAAAAAAAAAAAAP", b64.ErrTrailingBits, 13},
		{"8+7 chars", "AAAAAAAAAAAAAAB", b64.ErrTrailingBits, 14},
		{"6 chars", "AAAAAP", b64.ErrTrailingBits, 5},
		{"7 chars", "AAAAAAB", b64.ErrTrailingBits, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			check := func(what string, err error) {
				t.Helper()
				var de *b64.DecodeError
				if !errors.As(err, &de) {
					t.Fatalf("%s: error %v is not a *DecodeError", what, err)
				}
				if !errors.Is(err, tt.err) || de.Offset != tt.offset {
					t.Fatalf("%s: got %v (offset %d), want %v at %d", what, err, de.Offset, tt.err, tt.offset)
				}
				if !strings.HasPrefix(err.Error(), "b64: ") {
					t.Errorf("%s: message %q lacks prefix", what, err)
				}
			}
			out, err := b64.DecodeString(tt.in)
			check("DecodeString", err)
			if out != nil {
				t.Errorf("DecodeString returned %x on error", out)
			}
			app, err := b64.AppendDecode([]byte("keep"), []byte(tt.in))
			check("AppendDecode", err)
			if app != nil {
				t.Errorf("AppendDecode returned %q on error", app)
			}
			dst := bytes.Repeat([]byte{0xAA}, len(tt.in))
			n, err := b64.Decode(dst, []byte(tt.in))
			check("Decode", err)
			if n != 0 {
				t.Errorf("Decode returned n=%d on error", n)
			}
			// Partial output is discarded (SECURITY.md row C22).
			if want, lerr := b64.DecodedLen(len(tt.in)); lerr == nil {
				if !bytes.Equal(dst[:want], make([]byte, want)) {
					t.Errorf("Decode left partial output %x", dst[:want])
				}
			}
			// encoding/base64 agrees, except that it skips '\r' and '\n'.
			_, serr := base64.RawStdEncoding.Strict().DecodeString(tt.in)
			if serr == nil && !strings.ContainsAny(tt.in, "\r\n") {
				t.Errorf("encoding/base64 Strict accepts %q; the vector is not a rejection", tt.in)
			}
		})
	}
}

func TestAppendDecodeKeepsPrefix(t *testing.T) {
	prefix := make([]byte, 3, 64)
	copy(prefix, "abc")
	out, err := b64.AppendDecode(prefix, []byte("Zm9vYmFy"))
	if err != nil || string(out) != "abcfoobar" {
		t.Fatalf("AppendDecode = %q, %v", out, err)
	}
	// On error the prefix must be untouched and the spare capacity zeroed.
	out, err = b64.AppendDecode(prefix, []byte("Zm9vYmF="))
	if err == nil || out != nil || string(prefix) != "abc" {
		t.Fatalf("AppendDecode on error = %q, %v (prefix %q)", out, err, prefix)
	}
	if spare := prefix[3:9]; !bytes.Equal(spare, make([]byte, 6)) {
		t.Fatalf("spare capacity after error = %x", spare)
	}
}

func TestShortDstPanics(t *testing.T) {
	for name, f := range map[string]func(){
		"Encode": func() { b64.Encode(make([]byte, 3), []byte("foo!")) },
		"Decode": func() { _, _ = b64.Decode(make([]byte, 2), []byte("Zm9v")) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s with a short dst did not panic", name)
				}
			}()
			f()
		}()
	}
}

func TestNoAllocs(t *testing.T) {
	src := bytes.Repeat([]byte{0x5a, 0xa5, 0x3c}, 100)
	enc := make([]byte, b64.EncodedLen(len(src)))
	dec := make([]byte, len(src))
	if n := testing.AllocsPerRun(100, func() {
		b64.Encode(enc, src)
		_, _ = b64.Decode(dec, enc)
	}); n != 0 {
		t.Errorf("Encode+Decode allocate %v times", n)
	}
	if !bytes.Equal(dec, src) {
		t.Fatal("round trip failed")
	}
}

func TestDecodeStringPadded(t *testing.T) {
	good := map[string]string{
		"":         "",
		"QQ":       "A",
		"QQ==":     "A",
		"QUI":      "AB",
		"QUI=":     "AB",
		"QUJD":     "ABC",
		"QUJDRA":   "ABCD",
		"QUJDRA==": "ABCD",
	}
	for in, want := range good {
		got, err := b64.DecodeStringPadded(in)
		if err != nil || string(got) != want {
			t.Errorf("DecodeStringPadded(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"=", "==", "Q===", "QUJD====", "QUJD=", "QUI==", "QQ=", "QR==", "QUJ=", "Q=Q=", "QQ=A", "===="} {
		if got, err := b64.DecodeStringPadded(in); err == nil {
			t.Errorf("DecodeStringPadded(%q) = %q, want an error", in, got)
		} else if !errors.Is(err, b64.ErrCharacter) && !errors.Is(err, b64.ErrLength) && !errors.Is(err, b64.ErrTrailingBits) {
			t.Errorf("DecodeStringPadded(%q): untyped error %v", in, err)
		}
	}
}
