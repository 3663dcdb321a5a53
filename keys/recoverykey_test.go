// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package keys

import (
	"bytes"
	"crypto/rand"
	"errors"
	"math/big"
	"strings"
	"testing"
)

const base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

// bigBase58 is an independent base58 encoder (math/big), for comparison.
func bigBase58(b []byte) string {
	n := new(big.Int).SetBytes(b)
	var out []byte
	for n.Sign() > 0 {
		m := new(big.Int)
		n.DivMod(n, big.NewInt(58), m)
		out = append([]byte{base58Alphabet[m.Int64()]}, out...)
	}
	for _, c := range b {
		if c != 0 {
			break
		}
		out = append([]byte{'1'}, out...)
	}
	return string(out)
}

func TestRecoveryKeyRoundTrip(t *testing.T) {
	keys := [][]byte{make([]byte, 32), bytes.Repeat([]byte{0xff}, 32)}
	for range 200 {
		k := make([]byte, 32)
		rand.Read(k)
		keys = append(keys, k)
	}
	for _, k := range keys {
		s, err := EncodeRecoveryKey(k)
		if err != nil {
			t.Fatal(err)
		}
		if len(s) != 59 || !strings.HasPrefix(s, "Es") || strings.Count(s, " ") != 11 {
			t.Fatalf("%q", s)
		}
		for i := 4; i < len(s); i += 5 {
			if s[i] != ' ' {
				t.Fatalf("no space at %d: %q", i, s)
			}
		}
		raw := append([]byte{0x8b, 0x01}, k...)
		var p byte
		for _, c := range raw {
			p ^= c
		}
		if want := bigBase58(append(raw, p)); strings.ReplaceAll(s, " ", "") != want {
			t.Fatalf("encoding %q, want %q", s, want)
		}
		got, err := DecodeRecoveryKey(s)
		if err != nil || !bytes.Equal(got, k) {
			t.Fatalf("decode: %v", err)
		}
	}
	if _, err := EncodeRecoveryKey(make([]byte, 31)); !errors.Is(err, ErrBadKey) {
		t.Fatal(err)
	}
}

// TestRecoveryKeyWhitespace: all white space is ignored, as matrix-rust-sdk
// does (matrix-js-sdk and mautrix-go remove only U+0020).
func TestRecoveryKeyWhitespace(t *testing.T) {
	k := bytes.Repeat([]byte{0x42}, 32)
	s, _ := EncodeRecoveryKey(k)
	bare := strings.ReplaceAll(s, " ", "")
	for _, v := range []string{
		bare,
		strings.ReplaceAll(s, " ", "\t"),
		strings.ReplaceAll(s, " ", "  "),
		" \n" + strings.ReplaceAll(s, " ", "\r\n") + "\n",
		strings.ReplaceAll(s, " ", "\u00a0"),
		bare[:10] + " " + bare[10:],
	} {
		got, err := DecodeRecoveryKey(v)
		if err != nil || !bytes.Equal(got, k) {
			t.Errorf("%q: %v", v, err)
		}
	}
}

func problem(err error) RecoveryKeyProblem {
	var re *RecoveryKeyError
	if errors.As(err, &re) && errors.Is(err, ErrRecoveryKey) {
		return re.Problem
	}
	return 0
}

func TestRecoveryKeyTypos(t *testing.T) {
	k := bytes.Repeat([]byte{0x42}, 32)
	s, _ := EncodeRecoveryKey(k)
	bare := strings.ReplaceAll(s, " ", "")

	// Characters outside the alphabet, with their position as typed.
	for _, tc := range []struct {
		in  string
		pos int
	}{
		{"0" + s[1:], 1},
		{s[:6] + "O" + s[7:], 7},
		{s[:20] + "I" + s[21:], 21},
		{s[:58] + "l", 59},
		{s[:30] + "é" + s[31:], 31},
		{s[:30] + "-" + s[31:], 31},
		{"", 0},
	} {
		_, err := DecodeRecoveryKey(tc.in)
		if tc.pos == 0 {
			if problem(err) != RecoveryKeyBadLength {
				t.Errorf("%q: %v", tc.in, err)
			}
			continue
		}
		var re *RecoveryKeyError
		if problem(err) != RecoveryKeyBadCharacter || !errors.As(err, &re) || re.Position != tc.pos {
			t.Errorf("%q: %v", tc.in, err)
		}
		if strings.Contains(err.Error(), bare[:8]) {
			t.Errorf("error quotes the key: %v", err)
		}
	}

	// Missing and extra characters.
	for _, tc := range []struct {
		in string
		n  int
	}{{bare[1:], 47}, {bare + "1", 49}, {bare[:24], 24}} {
		var re *RecoveryKeyError
		_, err := DecodeRecoveryKey(tc.in)
		if problem(err) != RecoveryKeyBadLength || !errors.As(err, &re) || re.Length != tc.n {
			t.Errorf("%d characters: %v", tc.n, err)
		}
	}
	// 48 characters that decode to more than 35 bytes.
	if _, err := DecodeRecoveryKey(strings.Repeat("z", 48)); problem(err) != RecoveryKeyBadLength {
		t.Errorf("zzz…: %v", err)
	}
	// Another key type's prefix: base58 of 35 bytes starting 0x8B 0x02.
	other := append([]byte{0x8b, 0x02}, k...)
	var p byte
	for _, c := range other {
		p ^= c
	}
	if _, err := DecodeRecoveryKey(bigBase58(append(other, p))); problem(err) != RecoveryKeyBadPrefix {
		t.Errorf("other prefix: %v", err)
	}

	// Every single-character substitution is refused, by the prefix or
	// the parity check, except for the rare ones the one-byte parity cannot
	// see: count them.
	accepted, total := 0, 0
	for i := range bare {
		for _, c := range base58Alphabet {
			if byte(c) == bare[i] {
				continue
			}
			typo := bare[:i] + string(c) + bare[i+1:]
			total++
			got, err := DecodeRecoveryKey(typo)
			switch problem(err) {
			case RecoveryKeyBadPrefix, RecoveryKeyBadParity, RecoveryKeyBadLength:
			case 0:
				if err != nil || bytes.Equal(got, k) {
					t.Fatalf("%q: %v", typo, err)
				}
				accepted++
			default:
				t.Fatalf("%q: %v", typo, err)
			}
		}
	}
	if accepted*100 > total {
		t.Fatalf("%d of %d single-character typos decode to another key", accepted, total)
	}
	t.Logf("%d of %d single-character typos pass the parity check", accepted, total)
}
