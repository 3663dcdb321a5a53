// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package wire_test

import (
	"testing"

	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/internal/wire"
)

var (
	sinkOlm    wire.OlmMessage
	sinkPreKey wire.PreKeyMessage
	sinkMegolm wire.MegolmMessage
	sinkBytes  []byte
)

func BenchmarkDecodeOlmMessage(b *testing.B) {
	km := knownMessages(b)
	vecM2 := km["vecM2"]
	raw := newttest.Base64(b, vecM2)
	b.ReportAllocs()
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		sinkOlm, _ = wire.DecodeOlmMessage(raw, 8)
	}
}

func BenchmarkDecodePreKeyMessage(b *testing.B) {
	km := knownMessages(b)
	vecM1 := km["vecM1"]
	raw := newttest.Base64(b, vecM1)
	b.ReportAllocs()
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		sinkPreKey, _ = wire.DecodePreKeyMessage(raw)
	}
}

func BenchmarkDecodeMegolmMessage(b *testing.B) {
	km := knownMessages(b)
	vecGroup13 := km["vecGroup13"]
	raw := newttest.Base64(b, vecGroup13)
	b.ReportAllocs()
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		sinkMegolm, _ = wire.DecodeMegolmMessage(raw, 8, 64)
	}
}

func BenchmarkAppendOlmMessageBody(b *testing.B) {
	key := make([]byte, 32)
	ciphertext := make([]byte, 144)
	buf := make([]byte, 0, wire.OlmMessageBodyLen(32, 300, 144))
	b.ReportAllocs()
	for b.Loop() {
		sinkBytes = wire.AppendOlmMessageBody(buf[:0], wire.OlmVersion, key, 300, ciphertext)
	}
}

func BenchmarkAppendMegolmMessageBody(b *testing.B) {
	ciphertext := make([]byte, 144)
	buf := make([]byte, 0, wire.MegolmMessageBodyLen(300, 144))
	b.ReportAllocs()
	for b.Loop() {
		sinkBytes = wire.AppendMegolmMessageBody(buf[:0], wire.MegolmVersion, 300, ciphertext)
	}
}
