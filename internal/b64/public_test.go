// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package b64_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/newt-e2ee/newt/internal/b64"
	"github.com/newt-e2ee/newt/testvectors"
)

// checkPublicMatches asserts that the three public entry points give exactly
// the results of the constant-time ones on s: same bytes, same error type,
// sentinel, offset and message, nil/0 on error, zeroed output on error.
func checkPublicMatches(t testing.TB, s string) {
	t.Helper()
	want, werr := b64.DecodeString(s)
	got, gerr := b64.DecodeStringPublic(s)
	sameErr := func(what string, err error) {
		t.Helper()
		if (err == nil) != (werr == nil) {
			t.Fatalf("%s(%q): error %v, Decode %v", what, s, err, werr)
		}
		if err == nil {
			return
		}
		var de, dw *b64.DecodeError
		if !errors.As(err, &de) || !errors.As(werr, &dw) {
			t.Fatalf("%s(%q): error %T %v is not a *DecodeError", what, s, err, err)
		}
		if de.Err != dw.Err || de.Offset != dw.Offset || err.Error() != werr.Error() {
			t.Fatalf("%s(%q): error %v (offset %d), Decode %v (offset %d)", what, s, err, de.Offset, werr, dw.Offset)
		}
	}
	sameErr("DecodeStringPublic", gerr)
	if !bytes.Equal(got, want) || (gerr != nil && got != nil) {
		t.Fatalf("DecodeStringPublic(%q) = %x, Decode %x", s, got, want)
	}

	// Decode into a dirty buffer with spare room.
	dst := bytes.Repeat([]byte{0xAA}, len(s)+8)
	n, err := b64.DecodePublic(dst, []byte(s))
	sameErr("DecodePublic", err)
	if !bytes.Equal(dst[:n], want) {
		t.Fatalf("DecodePublic(%q) = %x, Decode %x", s, dst[:n], want)
	}
	if err != nil {
		if n != 0 {
			t.Fatalf("DecodePublic(%q) returned n=%d on error", s, n)
		}
		if m, lerr := b64.DecodedLen(len(s)); lerr == nil && !bytes.Equal(dst[:m], make([]byte, m)) {
			t.Fatalf("DecodePublic(%q) left partial output %x", s, dst[:m])
		}
	} else if !bytes.Equal(dst[n:], bytes.Repeat([]byte{0xAA}, len(dst)-n)) {
		t.Fatalf("DecodePublic(%q) wrote past its output: %x", s, dst[n:])
	}

	// Append after a prefix, with and without spare capacity.
	for _, capacity := range []int{2, len(s) + 2} {
		prefix := make([]byte, 2, capacity)
		prefix[0], prefix[1] = 'x', 'y'
		app, err := b64.AppendDecodePublic(prefix, []byte(s))
		sameErr("AppendDecodePublic", err)
		if err != nil {
			if app != nil || string(prefix) != "xy" {
				t.Fatalf("AppendDecodePublic(%q) = %q on error, prefix %q", s, app, prefix)
			}
			if spare := prefix[2:cap(prefix)]; !bytes.Equal(spare, make([]byte, len(spare))) {
				t.Fatalf("AppendDecodePublic(%q) left spare capacity %x", s, spare)
			}
		} else if string(app) != "xy"+string(want) {
			t.Fatalf("AppendDecodePublic(%q) = %q, want xy%q", s, app, want)
		}
	}
}

// TestPublicMatchesDecode compares the public decoder with Decode on every
// input of up to 2 bytes, every byte value at every position of a random
// valid string of every length up to 36 (with every alphabet character in
// the last position, this covers every trailing-bits case), and random strings of every length up to 200 with and without
// errors.
func TestPublicMatchesDecode(t *testing.T) {
	checkPublicMatches(t, "")
	for i := range 256 {
		checkPublicMatches(t, string([]byte{byte(i)}))
		for j := range 256 {
			checkPublicMatches(t, string([]byte{byte(i), byte(j)}))
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	randomValid := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = alphabet[rng.IntN(64)]
		}
		return b
	}
	for n := range 37 {
		base := randomValid(n)
		for pos := range n {
			for c := range 256 {
				in := bytes.Clone(base)
				in[pos] = byte(c)
				checkPublicMatches(t, string(in))
			}
		}
	}
	for n := range 201 {
		for range 20 {
			in := randomValid(n)
			checkPublicMatches(t, string(in))
			if n > 0 {
				// Clear the trailing bits so that valid strings occur too.
				in[n-1] = alphabet[strings.IndexByte(alphabet, in[n-1])&^15]
				checkPublicMatches(t, string(in))
				// Two errors: the first one must be reported.
				in[rng.IntN(n)] = byte(rng.IntN(256))
				in[rng.IntN(n)] = byte(rng.IntN(256))
				checkPublicMatches(t, string(in))
			}
		}
	}
}

// TestPublicKnownAnswers decodes the RFC 4648 §10 vectors and 32-byte keys
// with the public decoder, against encoding/base64.
func TestPublicKnownAnswers(t *testing.T) {
	ans := testvectors.LoadAnswers(t)
	for _, s := range []string{
		"", "Zg", "Zm8", "Zm9v", "Zm9vYg", "Zm9vYmE", "Zm9vYmFy", "SGVsbG8gV29ybGQ",
		ans.Get("rfc7748/alice_public_base64"), ans.Get("rfc7748/bob_public_base64"),
		"////////////////", "AAAAAAAAAAAA", "/////w",
	} {
		want, err := base64.RawStdEncoding.Strict().DecodeString(s)
		if err != nil {
			t.Fatal(err)
		}
		got, err := b64.DecodeStringPublic(s)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("DecodeStringPublic(%q) = %x, %v; want %x", s, got, err, want)
		}
	}
}

func TestPublicShortDstPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("DecodePublic with a short dst did not panic")
		}
	}()
	_, _ = b64.DecodePublic(make([]byte, 2), []byte("Zm9v"))
}

func TestPublicNoAllocs(t *testing.T) {
	src := bytes.Repeat([]byte{0x5a, 0xa5, 0x3c}, 1000)
	enc := []byte(b64.EncodeToString(src))
	dec := make([]byte, len(src))
	buf := make([]byte, 0, len(src))
	if n := testing.AllocsPerRun(100, func() {
		_, _ = b64.DecodePublic(dec, enc)
		buf, _ = b64.AppendDecodePublic(buf[:0], enc)
	}); n != 0 {
		t.Errorf("DecodePublic+AppendDecodePublic allocate %v times", n)
	}
	if !bytes.Equal(dec, src) || !bytes.Equal(buf, src) {
		t.Fatal("round trip failed")
	}
}

// FuzzDecodePublic asserts that the public decoder returns exactly what
// Decode returns (bytes, error type, sentinel, offset) on every input.
func FuzzDecodePublic(f *testing.F) {
	for _, s := range append(fuzzSeeds(f), strings.Repeat("Zm9vYmFy", 9)+"AB", strings.Repeat("Zm9vYmFy", 9)+"A=") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkPublicMatches(t, s)
	})
}
