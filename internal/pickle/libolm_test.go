// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

//go:build libolm

package pickle_test

import (
	"bytes"
	"testing"

	"github.com/newt-e2ee/newt/internal/libolm"
	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/internal/pickle"
)

// Differential tests of the envelope against libolm's _olm_enc_output and
// _olm_enc_input (build tag libolm).

// TestLibolmEnvelope: 1,000 random keys (0 to 99 bytes, longer than the
// HMAC block included) and plaintexts (0 to 599 bytes) give libolm's pickle,
// and each side opens the other's.
func TestLibolmEnvelope(t *testing.T) {
	r := newttest.Rand("pickle/envelope")
	for range 1000 {
		key := newttest.RandFrom(r, r.IntN(100))
		pt := newttest.RandFrom(r, r.IntN(600))
		want := libolm.PickleEncrypt(key, pt)
		got := []byte(newttest.SealPickle(key, pt))
		if string(got) != want {
			t.Fatalf("Encrypt(%x, %x) = %s, libolm %s", key, pt, got, want)
		}
		back, err := pickle.Decrypt(key, []byte(want))
		if err != nil || !bytes.Equal(back, pt) {
			t.Fatalf("Decrypt(libolm pickle) = %x, %v", back, err)
		}
		lback, err := libolm.PickleDecrypt(key, string(got))
		if err != nil || !bytes.Equal(lback, pt) {
			t.Fatalf("libolm decrypts our pickle to %x, %v", lback, err)
		}
		// A wrong key fails on both sides.
		wrong := append(bytes.Clone(key), 0)
		if _, err := pickle.Decrypt(wrong, got); err != pickle.ErrBadKey {
			t.Fatalf("wrong key: %v", err)
		}
	}
}

// TestLibolmAccountPickles opens pickles of real libolm accounts (0 to 100
// one-time keys, 0 to 2 fallback keys) and re-encrypts them identically.
func TestLibolmAccountPickles(t *testing.T) {
	r := newttest.Rand("pickle/accounts")
	for _, n := range []int{0, 1, 5, 100} {
		for nf := range 3 {
			a, err := libolm.NewAccount(newttest.RandFrom(r, 64))
			if err != nil {
				t.Fatal(err)
			}
			if n > 0 {
				if err := a.GenerateOneTimeKeys(n, newttest.RandFrom(r, 32*n)); err != nil {
					t.Fatal(err)
				}
			}
			for range nf {
				if err := a.GenerateFallbackKey(newttest.RandFrom(r, 32)); err != nil {
					t.Fatal(err)
				}
			}
			key := newttest.RandFrom(r, r.IntN(64))
			p := a.Pickle(key)
			a.Free()
			pt, err := pickle.Decrypt(key, []byte(p))
			if err != nil {
				t.Fatal(err)
			}
			// libolm src/account.cpp, olm::pickle: 4 + 96 + 64 + 4 + 69n + 1
			// + 69nf + 4.
			if want := 4 + 96 + 64 + 4 + 69*n + 1 + 69*nf + 4; len(pt) != want {
				t.Errorf("%d OTKs, %d fallback: plaintext %d bytes, want %d", n, nf, len(pt), want)
			}
			rd := pickle.NewReader(pt)
			var skip [160]byte
			if v := rd.U32(); v != 4 {
				t.Errorf("version %d", v)
			}
			rd.Read(skip[:])
			if c := rd.Count(100); c != n {
				t.Errorf("OTK count %d, want %d (%v)", c, n, rd.Err())
			}
			if newttest.SealPickle(key, pt) != p {
				t.Errorf("%d OTKs, %d fallback: re-encryption differs", n, nf)
			}
		}
	}
}
