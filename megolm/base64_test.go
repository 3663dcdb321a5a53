// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package megolm_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/newt-e2ee/newt/megolm"
)

// sameResult fails unless two decryptions returned the same plaintext, index
// and error (same message, same sentinel causes).
func sameResult(t *testing.T, what string, pt1 []byte, i1 uint32, err1 error, pt2 []byte, i2 uint32, err2 error) {
	t.Helper()
	if !bytes.Equal(pt1, pt2) || i1 != i2 || (err1 == nil) != (err2 == nil) {
		t.Fatalf("%s: struct API (%q, %d, %v), base64 API (%q, %d, %v)", what, pt1, i1, err1, pt2, i2, err2)
	}
	if err1 == nil {
		return
	}
	if err1.Error() != err2.Error() {
		t.Fatalf("%s: error %q, base64 API %q", what, err1, err2)
	}
	for _, target := range []error{megolm.ErrBadMAC, megolm.ErrBadSignature, megolm.ErrUnknownMessageIndex,
		megolm.ErrBadVersion, megolm.ErrBadMessageFormat, megolm.ErrInvalidSigningKey} {
		if errors.Is(err1, target) != errors.Is(err2, target) {
			t.Fatalf("%s: errors.Is(%v) differs: %v vs %v", what, target, err1, err2)
		}
	}
}

// decryptBothWays decrypts s with ParseMessage and Decrypt on in1 and with
// DecryptBase64 on in2, requires the same result of both (sameResult), and
// returns it.
func decryptBothWays(t *testing.T, what string, in1, in2 *megolm.InboundGroupSession, s string) ([]byte, uint32, error) {
	t.Helper()
	var pt1 []byte
	var i1 uint32
	m, err1 := megolm.ParseMessage(s)
	if err1 == nil {
		pt1, i1, err1 = in1.Decrypt(m)
	}
	pt2, i2, err2 := in2.DecryptBase64(s)
	sameResult(t, what, pt1, i1, err1, pt2, i2, err2)
	return pt1, i1, err1
}

// TestEncryptBase64MatchesEncrypt: Megolm encryption is deterministic, so
// two copies of one outbound session must produce the same base64 through
// the struct API and through EncryptBase64 and AppendEncryptBase64.
func TestEncryptBase64MatchesEncrypt(t *testing.T) {
	g1, _ := newPair(t)
	g2, err := megolm.GroupSessionFromPickle(g1.Pickle(pickleKey), pickleKey)
	if err != nil {
		t.Fatal(err)
	}
	g3, err := megolm.GroupSessionFromPickle(g1.Pickle(pickleKey), pickleKey)
	if err != nil {
		t.Fatal(err)
	}
	dst := []byte("prefix:")
	for i, n := range []int{0, 1, 15, 16, 17, 255, 256, 1000, 4096, 70000} {
		pt := bytes.Repeat([]byte{byte(i)}, n)
		want := g1.Encrypt(pt).Base64()
		if got := g2.EncryptBase64(pt); got != want {
			t.Fatalf("%d bytes: EncryptBase64 differs from Encrypt().Base64()", n)
		}
		out := g3.AppendEncryptBase64(dst, pt)
		if string(out) != "prefix:"+want {
			t.Fatalf("%d bytes: AppendEncryptBase64 differs", n)
		}
		if max := 4 * ((megolm.EncryptedMessageLen(n) + 2) / 3); len(want) > max {
			t.Fatalf("%d bytes: %d characters, documented bound %d", n, len(want), max)
		}
	}
}

// TestDecryptBase64MatchesDecrypt feeds the same inputs, good and bad, to two
// copies of an inbound session: one through ParseMessage + Decrypt, one
// through DecryptBase64 (and AppendDecryptBase64). Results, errors and
// state changes must be identical.
func TestDecryptBase64MatchesDecrypt(t *testing.T) {
	out := megolm.GenerateGroupSession()
	skipped := out.Encrypt([]byte("before the session key")).Base64()
	in1, err := megolm.NewInboundGroupSession(out.SessionKey()) // from index 1
	if err != nil {
		t.Fatal(err)
	}
	// The second copy comes from a pickle, so it also decodes its signing
	// key lazily.
	in2, err := megolm.InboundGroupSessionFromPickle(in1.Pickle(pickleKey), pickleKey)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := newPair(t)

	var inputs []string
	for i := range 20 {
		m := out.Encrypt(bytes.Repeat([]byte{'a' + byte(i)}, 10*i)).Base64()
		inputs = append(inputs, m)
		if i%5 == 0 {
			inputs = append(inputs, m) // replays decrypt again
		}
	}
	good := inputs[3]
	raw, err := base64.RawStdEncoding.DecodeString(good)
	if err != nil {
		t.Fatal(err)
	}
	// Every single-byte change of a good message: version, format, MAC,
	// signature failures.
	for i := range raw {
		b := bytes.Clone(raw)
		b[i] ^= 0x40
		inputs = append(inputs, base64.RawStdEncoding.EncodeToString(b))
	}
	inputs = append(inputs,
		"", "A", "AA", "AAAA", "====", good+"=", good[:len(good)-1], good[:len(good)-2],
		" "+good, good[:10]+"\n"+good[10:], strings.Repeat("A", 1000),
		other.Encrypt([]byte("wrong session")).Base64(),
		base64.RawStdEncoding.EncodeToString(raw[:len(raw)-1]),
		base64.RawStdEncoding.EncodeToString(append(bytes.Clone(raw), 0)),
	)
	// An index before the first known one.
	inputs = append(inputs, skipped)

	dst := make([]byte, 0, 1024)
	for i, s := range inputs {
		pt1, i1, err1 := decryptBothWays(t, "input "+strconv.Itoa(i), in1, in2, s)

		got, i3, err3 := in2.AppendDecryptBase64(dst[:3], s)
		if err3 == nil {
			got = got[3:]
		}
		sameResult(t, "append input "+strconv.Itoa(i), pt1, i1, err1, got, i3, err3)
		if in1.Pickle(pickleKey) != in2.Pickle(pickleKey) {
			t.Fatalf("input %d: the sessions' states differ", i)
		}
	}
}

// TestBase64Allocs checks the allocation counts the base64 entry points
// document: two per operation (output and AES key schedule), one with a
// reused destination.
func TestBase64Allocs(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops buffers at random under the race detector")
	}
	out, in := newPair(t)
	pt := make([]byte, 256)
	msg := out.EncryptBase64(pt)
	// Warm up: the verifier cache builds the key's table after a few
	// messages, and the pools fill.
	for range 10 {
		if _, _, err := in.DecryptBase64(msg); err != nil {
			t.Fatal(err)
		}
		out.EncryptBase64(pt)
	}
	dst := make([]byte, 0, 4096)
	checks := []struct {
		name string
		max  float64
		f    func()
	}{
		{"EncryptBase64", 2, func() { out.EncryptBase64(pt) }},
		{"AppendEncryptBase64", 1, func() { dst = out.AppendEncryptBase64(dst[:0], pt) }},
		{"DecryptBase64", 2, func() {
			if _, _, err := in.DecryptBase64(msg); err != nil {
				t.Fatal(err)
			}
		}},
		{"AppendDecryptBase64", 1, func() {
			var err error
			if dst, _, err = in.AppendDecryptBase64(dst[:0], msg); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, c := range checks {
		if n := testing.AllocsPerRun(200, c.f); n > c.max {
			t.Errorf("%s: %.1f allocations, want <= %v", c.name, n, c.max)
		}
	}
}

// TestBase64Concurrent runs the base64 entry points from several goroutines
// on shared sessions (for the race detector and the pools).
func TestBase64Concurrent(t *testing.T) {
	out, in := newPair(t)
	var wg sync.WaitGroup
	msgs := make(chan string, 64)
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				msgs <- out.EncryptBase64(bytes.Repeat([]byte{byte(g)}, 100*i))
			}
		}()
	}
	go func() { wg.Wait(); close(msgs) }()
	var dec sync.WaitGroup
	for range 3 {
		dec.Add(1)
		go func() {
			defer dec.Done()
			var dst []byte
			for m := range msgs {
				var err error
				if dst, _, err = in.AppendDecryptBase64(dst[:0], m); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	dec.Wait()
}

// FuzzDecryptBase64 gives arbitrary strings to two copies of an inbound
// session: ParseMessage + Decrypt on one, DecryptBase64 on the other.
// Results, errors and states must be identical.
func FuzzDecryptBase64(f *testing.F) {
	// libolm's deterministic session of megolm.json: reproducible inputs.
	v := loadVectors(f).Outbound
	out := vectorOutbound(f, &v, v.OutboundPickle2)
	in := inboundFromKey(f, v.SessionKey2) // from index 2
	p := in.Pickle(pickleKey)
	for _, m := range v.Messages { // before the first known index
		f.Add(m)
	}
	for i := range 4 {
		f.Add(out.Encrypt(bytes.Repeat([]byte{'x'}, 20*i)).Base64())
	}
	f.Add("")
	f.Add("AwgA")
	f.Fuzz(func(t *testing.T, s string) {
		in1, err := megolm.InboundGroupSessionFromPickle(p, pickleKey)
		if err != nil {
			t.Fatal(err)
		}
		in2, err := megolm.InboundGroupSessionFromPickle(p, pickleKey)
		if err != nil {
			t.Fatal(err)
		}
		decryptBothWays(t, "fuzz input", in1, in2, s)
		if in1.Pickle(pickleKey) != in2.Pickle(pickleKey) {
			t.Fatal("the sessions' states differ")
		}
	})
}

// TestVectorsEncryptBase64: libolm's deterministic session of megolm.json
// gives, through EncryptBase64, exactly libolm's messages, and DecryptBase64
// reads them back.
func TestVectorsEncryptBase64(t *testing.T) {
	v := loadVectors(t).Outbound
	s := vectorOutbound(t, &v, v.OutboundPickle0)
	in := inboundFromKey(t, v.SessionKey0)
	for i, pt := range v.Plaintexts {
		var got string
		if i%2 == 0 {
			got = s.EncryptBase64([]byte(pt))
		} else {
			got = string(s.AppendEncryptBase64(nil, []byte(pt)))
		}
		if got != v.Messages[i] {
			t.Fatalf("message %d:\n got %s\nwant %s", i, got, v.Messages[i])
		}
		dec, index, err := in.DecryptBase64(got)
		if err != nil || string(dec) != pt || index != uint32(i) {
			t.Fatalf("message %d: %q, %d, %v", i, dec, index, err)
		}
	}
	if got := string(s.Pickle([]byte(v.PickleKey))); got != v.OutboundPickle2 {
		t.Fatalf("pickle @2:\n got %s\nwant %s", got, v.OutboundPickle2)
	}
}
