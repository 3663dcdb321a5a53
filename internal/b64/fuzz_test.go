// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package b64_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/newt-e2ee/newt/internal/b64"
	"github.com/newt-e2ee/newt/testvectors"
)

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

// fuzzSeeds returns the seed inputs the decoder fuzz targets share: short
// strings of every length mod 4, two keys of fixed.json, '=' padding, the
// URL-safe alphabet, line breaks, a bad character and non-ASCII.
func fuzzSeeds(f *testing.F) []string {
	ans := testvectors.LoadAnswers(f)
	return []string{
		"", "A", "AB", "AA", "AAA", "AAAA", "SGVsbG8gV29ybGQ", "SGVsbG8gV29ybGQab",
		ans.Get("rfc7748/alice_public_base64"), ans.Get("rfc7748/bob_public_base64"),
		"AA==", "A-A_", "A\nAA", "*AAA", "AAAA\r\nAAAA", "AA\xc3\xa9", "/////w",
	}
}

// FuzzDecode is a differential test against encoding/base64's strict raw
// decoder, which differs from ours only by skipping '\r' and '\n'.
func FuzzDecode(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	std := base64.RawStdEncoding.Strict()
	f.Fuzz(func(t *testing.T, s string) {
		got, err := b64.DecodeString(s)
		want, werr := std.DecodeString(s)
		crlf := strings.ContainsAny(s, "\r\n")
		switch {
		case err == nil && werr != nil:
			t.Fatalf("we accept %q (%x), encoding/base64 rejects it: %v", s, got, werr)
		case err == nil && !bytes.Equal(got, want):
			t.Fatalf("decode %q: got %x, encoding/base64 %x", s, got, want)
		case err != nil && werr == nil && !crlf:
			t.Fatalf("we reject %q (%v), encoding/base64 accepts it", s, err)
		}
		if err != nil {
			checkError(t, s, got, err)
		} else if enc := b64.EncodeToString(got); enc != s {
			// Strictness means there is exactly one encoding.
			t.Fatalf("re-encoding %q gives %q", s, enc)
		}
		// The []byte entry points agree with the string one.
		dst := make([]byte, len(s))
		n, derr := b64.Decode(dst, []byte(s))
		if (derr == nil) != (err == nil) || !bytes.Equal(dst[:n], got) || (derr != nil && derr.Error() != err.Error()) {
			t.Fatalf("Decode(%q) = %x, %v; DecodeString = %x, %v", s, dst[:n], derr, got, err)
		}
		app, aerr := b64.AppendDecode([]byte{1, 2}, []byte(s))
		if (aerr == nil) != (err == nil) || (aerr == nil && !bytes.Equal(app, append([]byte{1, 2}, got...))) {
			t.Fatalf("AppendDecode(%q) = %x, %v", s, app, aerr)
		}
	})
}

// checkError verifies the error type and that its offset is right.
func checkError(t *testing.T, s string, out []byte, err error) {
	t.Helper()
	var de *b64.DecodeError
	if !errors.As(err, &de) {
		t.Fatalf("error %T %v is not a *DecodeError", err, err)
	}
	if out != nil {
		t.Fatalf("output %x on error", out)
	}
	firstBad := strings.IndexFunc(s, func(r rune) bool { return !strings.ContainsRune(alphabet, r) })
	if firstBad >= 0 {
		// IndexFunc decodes UTF-8; find the byte offset of the first bad byte.
		for i := 0; i < len(s); i++ {
			if strings.IndexByte(alphabet, s[i]) < 0 {
				firstBad = i
				break
			}
		}
	}
	switch {
	case len(s)%4 == 1:
		if de.Err != b64.ErrLength || de.Offset != -1 {
			t.Fatalf("%q: got %v, want ErrLength", s, err)
		}
	case firstBad >= 0:
		if de.Err != b64.ErrCharacter || de.Offset != firstBad {
			t.Fatalf("%q: got %v, want ErrCharacter at %d", s, err, firstBad)
		}
	default:
		if de.Err != b64.ErrTrailingBits || de.Offset != len(s)-1 {
			t.Fatalf("%q: got %v, want ErrTrailingBits at %d", s, err, len(s)-1)
		}
	}
}

// FuzzRoundTrip checks encode against encoding/base64 and decode(encode(x)) == x.
func FuzzRoundTrip(f *testing.F) {
	for _, s := range []string{"", "f", "fo", "foo", "foob", "fooba", "foobar", "Hello World", "\xff\xff\xff\xff\xff\xff\xff"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		enc := b64.EncodeToString(raw)
		if want := base64.RawStdEncoding.EncodeToString(raw); enc != want {
			t.Fatalf("Encode(%x) = %q, want %q", raw, enc, want)
		}
		if len(enc) != b64.EncodedLen(len(raw)) {
			t.Fatalf("EncodedLen(%d) = %d, encoding has %d", len(raw), b64.EncodedLen(len(raw)), len(enc))
		}
		dec, err := b64.DecodeString(enc)
		if err != nil || !bytes.Equal(dec, raw) {
			t.Fatalf("Decode(Encode(%x)) = %x, %v", raw, dec, err)
		}
	})
}

// FuzzDecodeStringPadded checks DecodeStringPadded against encoding/base64:
// it accepts exactly what the strict unpadded or the strict padded standard
// decoder accepts, with the same bytes, and its errors are typed.
func FuzzDecodeStringPadded(f *testing.F) {
	for _, s := range []string{"", "QQ", "QQ==", "QUI=", "QUJDRA==", "QR==", "Q===", "QUJD=", "YWJj"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := b64.DecodeStringPadded(s)
		raw, rawErr := base64.RawStdEncoding.Strict().DecodeString(s)
		pad, padErr := base64.StdEncoding.Strict().DecodeString(s)
		var want []byte
		switch {
		case rawErr == nil && !strings.ContainsAny(s, "\r\n"):
			want = raw
		case padErr == nil && !strings.ContainsAny(s, "\r\n"):
			want = pad
		default:
			if err == nil {
				t.Fatalf("accepted %q, which neither strict decoder accepts", s)
			}
			var de *b64.DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("DecodeStringPadded(%q) = %x, %v; want %x", s, got, err, want)
		}
	})
}
