// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package pickle_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"

	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/internal/pickle"
	"github.com/newt-e2ee/newt/testvectors"
)

// FuzzReader runs a random sequence of reads over random data and compares
// every result with a simple reference model. Nothing may panic, Count never
// returns more than its cap, and after the first error every read returns a
// zero value.
func FuzzReader(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 32, 5, 100}, []byte{0, 0, 0, 4, 1, 2, 0, 0, 0, 2})
	f.Add([]byte{4, 5, 4, 0}, []byte{0xff, 0xff, 0xff, 0xff})
	f.Add([]byte{3, 69, 3, 69, 6}, bytes.Repeat([]byte{0xA5}, 150))
	f.Fuzz(func(t *testing.T, ops, data []byte) {
		r := pickle.NewReader(data)
		rest := data // the model: unread bytes, and whether it failed
		failed := false
		take := func(n int) []byte {
			if failed || n > len(rest) {
				failed = true
				return nil
			}
			p := rest[:n]
			rest = rest[n:]
			return p
		}
		for i := 0; i < len(ops); i++ {
			arg := 0
			if i+1 < len(ops) {
				arg = int(ops[i+1])
			}
			switch ops[i] % 7 {
			case 0:
				var want uint32
				if p := take(4); p != nil {
					want = binary.BigEndian.Uint32(p)
				}
				if got := r.U32(); got != want {
					t.Fatalf("op %d: U32 = %d, want %d", i, got, want)
				}
			case 1:
				var want byte
				if p := take(1); p != nil {
					want = p[0]
				}
				if got := r.U8(); got != want {
					t.Fatalf("op %d: U8 = %d, want %d", i, got, want)
				}
			case 2:
				want := false
				if p := take(1); p != nil {
					want = p[0] != 0
				}
				if got := r.Bool(); got != want {
					t.Fatalf("op %d: Bool = %v, want %v", i, got, want)
				}
			case 3:
				i++
				dst := bytes.Repeat([]byte{0xEE}, arg%100)
				want := make([]byte, len(dst))
				if p := take(len(dst)); p != nil {
					copy(want, p)
				}
				r.Read(dst)
				if !bytes.Equal(dst, want) {
					t.Fatalf("op %d: Read = %x, want %x", i, dst, want)
				}
			case 4:
				i++
				limit := arg - 10 // includes negative caps
				want := 0
				if p := take(4); p != nil {
					n := binary.BigEndian.Uint32(p)
					if limit >= 0 && uint64(n) <= uint64(limit) {
						want = int(n)
					} else {
						failed = true
					}
				}
				got := r.Count(limit)
				if got != want || got < 0 || got > max(limit, 0) {
					t.Fatalf("op %d: Count(%d) = %d, want %d", i, limit, got, want)
				}
			case 5:
				if r.Remaining() != len(rest) {
					t.Fatalf("op %d: Remaining = %d, want %d", i, r.Remaining(), len(rest))
				}
			case 6:
				if (r.Err() != nil) != failed {
					t.Fatalf("op %d: Err = %v, model failed = %v", i, r.Err(), failed)
				}
			}
		}
		err := r.Finish()
		switch {
		case failed:
			if !errors.Is(err, pickle.ErrCorrupted) {
				t.Fatalf("Finish = %v, want ErrCorrupted", err)
			}
		case len(rest) > 0:
			if !errors.Is(err, pickle.ErrExtraData) {
				t.Fatalf("Finish = %v, want ErrExtraData", err)
			}
		case err != nil:
			t.Fatalf("Finish = %v, want nil", err)
		}
	})
}

// FuzzDecrypt feeds arbitrary strings and keys to Decrypt: nothing may panic,
// a failure returns nil and one of the package errors, and anything that
// decrypts re-encrypts to the identical string. It also checks that any
// input, taken as a plaintext, survives Encrypt then Decrypt.
func FuzzDecrypt(f *testing.F) {
	vecOutbound := testvectors.Load[testvectors.MegolmVectors](f, "megolm.json").Outbound.OutboundPickle0
	ans := testvectors.LoadAnswers(f)
	vecAccount := ans.Get("olm/account/pickle")
	vecAccountNoKey := ans.Get("olm/account/pickle_empty_key")
	vecSessionV1 := ans.Get("olm/libolm_tests/session_v1_pickle")
	vecPk := ans.Get("pk/pickle")
	vecAccountV1 := ans.Get("olm/libolm_tests/account_v1_pickle")
	for _, v := range []struct {
		key    []byte
		pickle string
	}{
		{secretKey, vecAccount},
		{nil, vecAccountNoKey},
		{secretKey, vecSessionV1},
		{secretKey, vecPk},
		{secretKey, vecOutbound},
		{nil, vecAccountV1},
		{secretKey, "AAAA"},
		{secretKey, "AA=="},
	} {
		f.Add(v.key, []byte(v.pickle))
	}
	f.Fuzz(func(t *testing.T, key, s []byte) {
		pt, err := pickle.Decrypt(key, s)
		if err != nil {
			if pt != nil {
				t.Fatalf("plaintext %x returned with error %v", pt, err)
			}
			if !errors.Is(err, pickle.ErrBadKey) && !errors.Is(err, pickle.ErrCorrupted) && !errors.Is(err, pickle.ErrInvalidBase64) {
				t.Fatalf("unexpected error %v", err)
			}
		} else if again := []byte(newttest.SealPickle(key, pt)); !bytes.Equal(again, s) {
			t.Fatalf("%s decrypts but re-encrypts to %s", s, again)
		}
		sealed := []byte(newttest.SealPickle(key, s))
		if len(sealed) != pickle.EncryptedLen(len(s)) {
			t.Fatalf("EncryptedLen(%d) = %d, got %d", len(s), pickle.EncryptedLen(len(s)), len(sealed))
		}
		back, err := pickle.Decrypt(key, sealed)
		if err != nil || !bytes.Equal(back, s) {
			t.Fatalf("round trip of %x: %x, %v", s, back, err)
		}
	})
}
