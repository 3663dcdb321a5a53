// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package backend_test

import (
	"bytes"
	"encoding/base64"
	"testing"

	molm "maunium.net/go/mautrix/crypto/olm"

	"github.com/newt-e2ee/newt/internal/cpuclock"
	"github.com/newt-e2ee/newt/mautrix/backend"
	"github.com/newt-e2ee/newt/megolm"
)

var sinkBytes []byte

// BenchmarkLayer measures what the backend layer adds to newt on the Megolm
// hot path: the same encryption or decryption through the backend (as
// mautrix's crypto/olm interface, impl=newt) and with newt's megolm package
// called directly (impl=floor: the calls the backend makes, the work the
// layer cannot avoid), so that the ratio newt/floor is the layer's cost:
// the atomic load of the session, the interface call, the input checks and,
// for decryption, the copy of the []byte message into a string. Plaintexts
// are 256 bytes;
// decryption reads a stream of 1024 messages of one session, with a new
// inbound session (untimed) for every pass over the stream.
func BenchmarkLayer(b *testing.B) {
	pt := bytes.Repeat([]byte("p"), 256)
	direct := megolm.GenerateGroupSession()
	wrapped, err := backend.OutboundGroupSessionFromPickle([]byte(direct.Pickle(testKey)), testKey)
	if err != nil {
		b.Fatal(err)
	}
	sessionKey := direct.SessionKey()
	stream := make([]string, 1024)
	for i := range stream {
		stream[i] = direct.EncryptBase64(pt)
	}
	streamBytes := make([][]byte, len(stream))
	for i, m := range stream {
		streamBytes[i] = []byte(m)
	}

	b.Run("op=megolm-encrypt", func(b *testing.B) {
		n := base64.RawStdEncoding.EncodedLen(megolm.EncryptedMessageLen(len(pt)))
		cpuclock.Run(b, "impl=floor", func(b *cpuclock.B) {
			for range b.N {
				sinkBytes = direct.AppendEncryptBase64(make([]byte, 0, n), pt)
			}
		})
		var s molm.OutboundGroupSession = wrapped
		cpuclock.Run(b, "impl=newt", func(b *cpuclock.B) {
			for range b.N {
				sinkBytes, _ = s.Encrypt(pt)
			}
		})
	})

	b.Run("op=megolm-decrypt", func(b *testing.B) {
		cpuclock.Run(b, "impl=floor", func(b *cpuclock.B) {
			var in *megolm.InboundGroupSession
			for i := range b.N {
				if i%len(stream) == 0 {
					b.StopTimer()
					in, _ = megolm.NewInboundGroupSession(sessionKey)
					b.StartTimer()
				}
				var err error
				if sinkBytes, _, err = in.DecryptBase64(stream[i%len(stream)]); err != nil {
					b.Fatal(err)
				}
			}
		})
		cpuclock.Run(b, "impl=newt", func(b *cpuclock.B) {
			var in molm.InboundGroupSession
			for i := range b.N {
				if i%len(stream) == 0 {
					b.StopTimer()
					in, _ = backend.NewInboundGroupSession([]byte(sessionKey.Base64()))
					b.StartTimer()
				}
				var err error
				if sinkBytes, _, err = in.Decrypt(streamBytes[i%len(stream)]); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}
