// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package megolm_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"testing"

	"github.com/newt-e2ee/newt/internal/b64"
	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/internal/pickle"
	"github.com/newt-e2ee/newt/megolm"
)

// FuzzInboundDecrypt feeds arbitrary bytes, raw and as base64, to
// ParseMessage and Decrypt of a fixed session: nothing panics, a parsed
// message re-encodes to its input, a failed decryption leaves the session
// unchanged, a failed parse returns nil, and decryption gives the same result
// with the comb-table signature verifier (which the session uses after its
// first few messages) as with the plain strict verification.
func FuzzInboundDecrypt(f *testing.F) {
	v := loadVectors(f)
	for _, m := range v.Outbound.Messages {
		f.Add([]byte(m))
		raw, _ := b64.DecodeString(m)
		f.Add(raw)
	}
	for _, c := range v.Inbound {
		f.Add([]byte(c.Message))
	}
	f.Add([]byte{3, 8, 0})
	// The libolm deterministic session of megolm.json, from its session key
	// at index 0.
	s := inboundFromKey(f, v.Outbound.SessionKey0)
	key := []byte("fuzz")
	f.Fuzz(func(t *testing.T, data []byte) {
		before := s.Pickle(key)
		try := func(m *megolm.Message, err error, input []byte, isBase64 bool) {
			if err != nil {
				if m != nil {
					t.Fatal("non-nil message with an error")
				}
				return
			}
			if isBase64 {
				if m.Base64() != string(input) {
					t.Fatal("base64 round trip differs")
				}
			} else if !bytes.Equal(m.Bytes(), input) {
				t.Fatal("byte round trip differs")
			}
			pt, _, err := s.Decrypt(m)
			ptPlain, _, errPlain := megolm.DecryptPlainVerify(s, m)
			if !bytes.Equal(pt, ptPlain) || fmt.Sprint(err) != fmt.Sprint(errPlain) {
				t.Fatalf("fast verifier: %q, %v; plain: %q, %v", pt, err, ptPlain, errPlain)
			}
			if err != nil {
				if pt != nil {
					t.Fatal("plaintext with an error")
				}
				if before != s.Pickle(key) {
					t.Fatal("failed decryption changed the session")
				}
			}
		}
		m, err := megolm.NewMessage(data)
		try(m, err, data, false)
		m, err = megolm.ParseMessage(string(data))
		try(m, err, data, true)
	})
}

// FuzzSessionKey checks NewSessionKey, ParseSessionKey and
// NewInboundGroupSession on arbitrary input: no panic, byte-identical
// re-encoding on success.
func FuzzSessionKey(f *testing.F) {
	v := loadVectors(f)
	for _, s := range []string{v.Outbound.SessionKey0, v.Outbound.SessionKey2, v.Inbound[0].SessionKey, v.Inbound[2].SessionKey} {
		f.Add([]byte(s))
		raw, _ := b64.DecodeString(s)
		f.Add(raw)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if k, err := megolm.NewSessionKey(data); err == nil {
			if !bytes.Equal(k.Bytes(), data) {
				t.Fatal("round trip differs")
			}
			if s, err := megolm.NewInboundGroupSession(k); err == nil {
				if s.FirstKnownIndex() != k.Index() || !s.IsVerified() {
					t.Fatal("session differs from key")
				}
			} else if s != nil {
				t.Fatal("non-nil session with an error")
			}
		} else if k != nil {
			t.Fatal("non-nil key with an error")
		}
		if k, err := megolm.ParseSessionKey(string(data)); err == nil {
			if k.Base64() != string(data) {
				t.Fatal("base64 round trip differs")
			}
		}
	})
}

// FuzzExportedSessionKey checks NewExportedSessionKey,
// ParseExportedSessionKey and ImportInboundGroupSession on arbitrary input.
func FuzzExportedSessionKey(f *testing.F) {
	v := loadVectors(f)
	for _, s := range []string{v.Outbound.Export0, v.Outbound.Export1, v.Inbound[len(v.Inbound)-1].ExportedSessionKey} {
		f.Add([]byte(s))
		raw, _ := b64.DecodeString(s)
		f.Add(raw)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if k, err := megolm.NewExportedSessionKey(data); err == nil {
			if !bytes.Equal(k.Bytes(), data) {
				t.Fatal("round trip differs")
			}
			if s, err := megolm.ImportInboundGroupSession(k); err == nil {
				e, err := s.Export(k.Index())
				if err != nil || !bytes.Equal(e.Bytes(), data) {
					t.Fatal("export at the import index differs from the import")
				}
			}
		} else if k != nil {
			t.Fatal("non-nil key with an error")
		}
		if k, err := megolm.ParseExportedSessionKey(string(data)); err == nil && k.Base64() != string(data) {
			t.Fatal("base64 round trip differs")
		}
	})
}

// pickleFuzzKey is the pickle key of the pickle fuzz targets.
var pickleFuzzKey = []byte("secret_key")

// FuzzInboundPickle fuzzes the inbound pickle parser: the input is the
// plaintext inside the envelope (the fuzzer cannot forge the envelope MAC),
// and the raw input is also tried as a whole pickle. On success the session
// re-pickles to the input, normalised as libolm does (version 1 upgraded to
// 2, any non-zero bool written as 1).
func FuzzInboundPickle(f *testing.F) {
	v := loadVectors(f)
	for _, p := range []string{v.Outbound.InboundPickleFresh, v.Outbound.InboundPickleAfter1_0} {
		plain, err := pickle.Decrypt(pickleFuzzKey, []byte(p))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(plain)
		v1 := append([]byte(nil), plain[:len(plain)-1]...)
		binary.BigEndian.PutUint32(v1, 1)
		f.Add(v1)
	}
	f.Fuzz(func(t *testing.T, plain []byte) {
		if s, err := megolm.InboundGroupSessionFromPickle(string(plain), pickleFuzzKey); err == nil || s != nil {
			t.Fatal("raw bytes accepted as a pickle")
		}
		s, err := megolm.InboundGroupSessionFromPickle(newttest.SealPickle(pickleFuzzKey, plain), pickleFuzzKey)
		if err != nil {
			if s != nil {
				t.Fatal("non-nil session with an error")
			}
			return
		}
		want := append([]byte(nil), plain...)
		if binary.BigEndian.Uint32(want) == 1 {
			binary.BigEndian.PutUint32(want, 2)
			want = append(want, 1)
		}
		if want[len(want)-1] != 0 {
			want[len(want)-1] = 1
		}
		got, err := pickle.Decrypt(pickleFuzzKey, []byte(s.Pickle(pickleFuzzKey)))
		if err != nil || !bytes.Equal(got, want) {
			t.Fatal("re-pickle differs")
		}
	})
}

// FuzzOutboundPickle fuzzes the outbound pickle parser as FuzzInboundPickle
// does; on success the session re-pickles to the input byte for byte.
func FuzzOutboundPickle(f *testing.F) {
	v := loadVectors(f)
	for _, p := range []string{v.Outbound.OutboundPickle0, v.Outbound.OutboundPickle2} {
		plain, err := pickle.Decrypt(pickleFuzzKey, []byte(p))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(plain)
	}
	f.Fuzz(func(t *testing.T, plain []byte) {
		if s, err := megolm.GroupSessionFromPickle(string(plain), pickleFuzzKey); err == nil || s != nil {
			t.Fatal("raw bytes accepted as a pickle")
		}
		p := []byte(newttest.SealPickle(pickleFuzzKey, plain))
		s, err := megolm.GroupSessionFromPickle(string(p), pickleFuzzKey)
		if err != nil {
			if s != nil {
				t.Fatal("non-nil session with an error")
			}
			return
		}
		if !bytes.Equal([]byte(s.Pickle(pickleFuzzKey)), p) {
			t.Fatal("re-pickle differs")
		}
		s.Encrypt([]byte("no panic"))
	})
}
