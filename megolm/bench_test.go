// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package megolm_test

import (
	"strconv"
	"testing"

	"github.com/newt-e2ee/newt/megolm"
)

var (
	sinkBytes   []byte
	sinkSession *megolm.InboundGroupSession
	sinkOut     *megolm.GroupSession
)

var benchSizes = []int{256, 4096}

func BenchmarkEncrypt(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			out, _ := newPair(b)
			pt := make([]byte, n)
			buf := make([]byte, 0, megolm.EncryptedMessageLen(n))
			b.ReportAllocs()
			b.SetBytes(int64(n))
			b.ResetTimer()
			for range b.N {
				buf = out.AppendEncrypt(buf[:0], pt)
			}
			sinkBytes = buf
		})
	}
}

// BenchmarkEncryptMessage is Encrypt returning a *Message (allocates the
// message and its buffer).
func BenchmarkEncryptMessage(b *testing.B) {
	out, _ := newPair(b)
	pt := make([]byte, 256)
	b.ReportAllocs()
	b.SetBytes(int64(len(pt)))
	b.ResetTimer()
	for range b.N {
		sinkBytes = out.Encrypt(pt).Bytes()
	}
}

// BenchmarkDecrypt decrypts pre-generated messages in order on one session:
// each message is at the next index.
func BenchmarkDecrypt(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			out, in := newPair(b)
			pt := make([]byte, n)
			msgs := make([]*megolm.Message, b.N)
			for i := range msgs {
				msgs[i] = out.Encrypt(pt)
			}
			buf := make([]byte, 0, n+16)
			b.ReportAllocs()
			b.SetBytes(int64(n))
			b.ResetTimer()
			for i := range b.N {
				var err error
				buf, _, err = in.AppendDecrypt(buf[:0], msgs[i])
				if err != nil {
					b.Fatal(err)
				}
			}
			sinkBytes = buf
		})
	}
}

// BenchmarkParseAndDecrypt is the full receive path of a 256-byte message
// from its base64 form.
func BenchmarkParseAndDecrypt(b *testing.B) {
	out, in := newPair(b)
	pt := make([]byte, 256)
	msgs := make([]string, b.N)
	for i := range msgs {
		msgs[i] = out.Encrypt(pt).Base64()
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		m, err := megolm.ParseMessageBase64(msgs[i])
		if err != nil {
			b.Fatal(err)
		}
		sinkBytes, _, err = in.Decrypt(m)
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNewInboundGroupSession creates a session from a parsed session
// key (signing-key validation and signature verification).
func BenchmarkNewInboundGroupSession(b *testing.B) {
	out, _ := newPair(b)
	k := out.SessionKey()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		s, err := megolm.NewInboundGroupSession(k)
		if err != nil {
			b.Fatal(err)
		}
		sinkSession = s
	}
}

func BenchmarkNewGroupSession(b *testing.B) {
	b.ReportAllocs()
	for range b.N {
		sinkOut, _ = megolm.NewGroupSession()
	}
}

// BenchmarkDecryptAtIndex1000 decrypts the message at index 1000 with a
// fresh session at index 0: advanceTo(1000 = 0x3e8) costs 3 + 1 + 232 = 236
// HMACs instead of the 1000 of single steps.
func BenchmarkDecryptAtIndex1000(b *testing.B) {
	out, in := newPair(b)
	e, err := in.Export(0)
	if err != nil {
		b.Fatal(err)
	}
	for out.MessageIndex() < 1000 {
		out.AppendEncrypt(nil, nil)
	}
	m := out.Encrypt(make([]byte, 256))
	sessions := make([]*megolm.InboundGroupSession, b.N)
	for i := range sessions {
		sessions[i], _ = megolm.ImportInboundGroupSession(e)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		pt, index, err := sessions[i].Decrypt(m)
		if err != nil || index != 1000 {
			b.Fatal(err)
		}
		sinkBytes = pt
	}
}

func BenchmarkInboundPickle(b *testing.B) {
	_, in := newPair(b)
	b.ReportAllocs()
	for range b.N {
		sinkBytes = in.Pickle(pickleKey)
	}
}

func BenchmarkInboundUnpickle(b *testing.B) {
	_, in := newPair(b)
	p := in.Pickle(pickleKey)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		s, err := megolm.InboundGroupSessionFromPickle(p, pickleKey)
		if err != nil {
			b.Fatal(err)
		}
		sinkSession = s
	}
}
