// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package newt_test

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"testing"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/testvectors"
)

// FuzzParseKeys checks the Parse functions of the public key types on
// arbitrary text: an accepted string is the canonical unpadded base64 of
// exactly the right number of bytes (so it re-encodes to itself and agrees
// with encoding/base64's strict decoder), and a rejected one is
// ErrInvalidBase64 or ErrInvalidKey. Seeds: the X25519 and
// Ed25519 keys and signatures of primitives.json.
func FuzzParseKeys(f *testing.F) {
	p := testvectors.Load[testvectors.Primitives](f, "primitives.json")
	enc := base64.RawStdEncoding.EncodeToString
	for _, c := range p.X25519 {
		f.Add(enc(c.Public))
		f.Add(enc(c.PeerPublic))
	}
	for _, c := range p.Ed25519 {
		f.Add(enc(c.Public))
		f.Add(enc(c.Signature))
	}
	f.Add("AAAAAQ")
	f.Add("AAAAAR")
	f.Add("AAAAAAAAAAE")
	f.Add("AAAAAAAAAAF")
	f.Fuzz(func(t *testing.T, s string) {
		strict := base64.RawStdEncoding.Strict()
		want, stdErr := strict.DecodeString(s)
		check := func(name string, size int, str string, b []byte, err error) {
			t.Helper()
			if err != nil {
				if !errors.Is(err, newt.ErrInvalidBase64) && !errors.Is(err, newt.ErrInvalidKey) {
					t.Fatalf("%s: untyped error %v", name, err)
				}
				if stdErr == nil && len(want) == size && !bytes.ContainsAny([]byte(s), "\r\n") {
					t.Fatalf("%s rejected %q, which strict encoding/base64 decodes to %d bytes", name, s, size)
				}
				return
			}
			if str != s || stdErr != nil || !bytes.Equal(b, want) || len(b) != size {
				t.Fatalf("%s accepted %q: re-encodes to %q", name, s, str)
			}
		}
		k, err := newt.ParseCurve25519PublicKey(s)
		check("Curve25519", 32, k.String(), k.Bytes(), err)
		e, err := newt.ParseEd25519PublicKey(s)
		check("Ed25519", 32, e.String(), e.Bytes(), err)
		sig, err := newt.ParseEd25519Signature(s)
		check("signature", 64, sig.String(), sig.Bytes(), err)
		id, err := newt.ParseKeyID(s)
		size := newt.KeyIDSize
		if id.IsWide() || len(s) == 11 {
			size = newt.WideKeyIDSize
		}
		idb := binary.BigEndian.AppendUint64(nil, id.Uint64())[8-size:]
		check("KeyID", size, id.String(), idb, err)
	})
}
