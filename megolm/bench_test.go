// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package megolm_test

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/newt-e2ee/newt/internal/ed25519x"
	"github.com/newt-e2ee/newt/megolm"
)

var (
	sinkBytes   []byte
	sinkSession *megolm.InboundGroupSession
	sinkOut     *megolm.GroupSession
)

// benchSizes are the plaintext sizes of the encrypt and decrypt benchmarks;
// 1 MiB shows that the time per byte stays flat (C02).
var benchSizes = []int{256, 4096, 1 << 20}

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
// each message is at the next index. Before the timer starts the session
// decrypts enough messages for its signing key's verification table to be
// built: this is the steady state of a busy session.
func BenchmarkDecrypt(b *testing.B) { benchmarkDecrypt(b, true) }

// BenchmarkDecryptPlainVerify is [BenchmarkDecrypt] with the table turned
// off: every signature takes the plain strict verification, as the first
// messages of a session, or those of a session whose table was evicted, do.
func BenchmarkDecryptPlainVerify(b *testing.B) { benchmarkDecrypt(b, false) }

func benchmarkDecrypt(b *testing.B, fast bool) {
	for _, n := range benchSizes {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			megolm.SetFastVerifyForTest(b, fast)
			out, in := newPair(b)
			pt := make([]byte, n)
			buf := make([]byte, 0, n+16)
			warmUp(b, out, in)
			msgs := make([]*megolm.Message, b.N)
			for i := range msgs {
				msgs[i] = out.Encrypt(pt)
			}
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

// warmUp decrypts enough messages of out on in for the signing key's
// verification table to be built (when the fast verifier is on).
func warmUp(b *testing.B, out *megolm.GroupSession, in *megolm.InboundGroupSession) {
	b.Helper()
	for range ed25519x.DefaultBuildAfter + 1 {
		if _, _, err := in.Decrypt(out.Encrypt(nil)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecryptRoundRobin decrypts 256-byte messages of many sessions in
// turn, one message per session per round, after a warm-up: tables that do
// not stay in the CPU caches (64 sessions: 3 MiB of tables), and more
// sessions than the verifier cache keeps tables for (512 sessions).
func BenchmarkDecryptRoundRobin(b *testing.B) {
	for _, sessions := range []int{64, 512} {
		b.Run(fmt.Sprintf("sessions=%d", sessions), func(b *testing.B) {
			c := ed25519x.NewVerifierCache(megolm.VerifierCacheBytes)
			megolm.SetVerifierCacheForTest(b, c)
			pt := make([]byte, 256)
			outs := make([]*megolm.GroupSession, sessions)
			ins := make([]*megolm.InboundGroupSession, sessions)
			for i := range outs {
				outs[i], ins[i] = newPair(b)
			}
			for range ed25519x.DefaultBuildAfter + 1 {
				for i := range outs {
					if _, _, err := ins[i].Decrypt(outs[i].Encrypt(nil)); err != nil {
						b.Fatal(err)
					}
				}
			}
			msgs := make([]*megolm.Message, b.N)
			for i := range msgs {
				msgs[i] = outs[i%sessions].Encrypt(pt)
			}
			buf := make([]byte, 0, 256+16)
			b.ReportAllocs()
			b.SetBytes(int64(len(pt)))
			b.ResetTimer()
			for i := range b.N {
				var err error
				buf, _, err = ins[i%sessions].AppendDecrypt(buf[:0], msgs[i])
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
	warmUp(b, out, in)
	pt := make([]byte, 256)
	msgs := make([]string, b.N)
	for i := range msgs {
		msgs[i] = out.Encrypt(pt).Base64()
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		m, err := megolm.ParseMessage(msgs[i])
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

func BenchmarkGenerateGroupSession(b *testing.B) {
	b.ReportAllocs()
	for range b.N {
		sinkOut = megolm.GenerateGroupSession()
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
		sinkBytes = []byte(in.Pickle(pickleKey))
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

var sinkString string

// BenchmarkEncryptBase64 is the base64 entry point: plaintext in, the
// ciphertext field of an m.room.encrypted event out.
func BenchmarkEncryptBase64(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			out, _ := newPair(b)
			pt := make([]byte, n)
			b.ReportAllocs()
			b.SetBytes(int64(n))
			for b.Loop() {
				sinkString = out.EncryptBase64(pt)
			}
		})
	}
}

// BenchmarkDecryptBase64 decrypts pre-generated base64 messages in order on
// one warmed-up session, as BenchmarkDecrypt does, through DecryptBase64.
func BenchmarkDecryptBase64(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			out, in := newPair(b)
			pt := make([]byte, n)
			warmUp(b, out, in)
			msgs := make([]string, b.N)
			for i := range msgs {
				msgs[i] = out.EncryptBase64(pt)
			}
			b.ReportAllocs()
			b.SetBytes(int64(n))
			b.ResetTimer()
			for i := range b.N {
				pt, _, err := in.DecryptBase64(msgs[i])
				if err != nil {
					b.Fatal(err)
				}
				sinkBytes = pt
			}
		})
	}
}
