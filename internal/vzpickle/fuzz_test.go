// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package vzpickle_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/newt-e2ee/newt/internal/vzpickle"
)

var kinds = []error{
	vzpickle.ErrSyntax, vzpickle.ErrUnknownField, vzpickle.ErrDuplicateField, vzpickle.ErrMissingField,
	vzpickle.ErrUnknownVariant, vzpickle.ErrLength, vzpickle.ErrRange, vzpickle.ErrTooMany,
}

// FuzzParse feeds any bytes to the four pickle parsers (chosen by typ). A
// failure must be a *vzpickle.Error of a known kind; a success must write
// JSON that parses again to the same JSON (a fixed point after one round).
func FuzzParse(f *testing.F) {
	types := []string{"account", "session", "group_session", "inbound_group_session"}
	s := samples(f)
	for i, typ := range types {
		f.Add(uint8(i), []byte(s[typ]))
	}
	f.Add(uint8(1), []byte(`{"session_keys":{}}`))
	f.Fuzz(func(t *testing.T, typ uint8, data []byte) {
		parse := parsers[types[int(typ)%len(types)]]
		out, err := parse(data)
		if err != nil {
			var e *vzpickle.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T %v is not a *vzpickle.Error", err, err)
			}
			known := false
			for _, k := range kinds {
				known = known || errors.Is(err, k)
			}
			if !known {
				t.Fatalf("error of unknown kind: %v", err)
			}
			return
		}
		again, err := parse(out)
		if err != nil {
			t.Fatalf("own output does not parse: %v", err)
		}
		if !bytes.Equal(again, out) {
			t.Fatal("serialisation is not stable")
		}
	})
}

// FuzzRecord: a record that parses writes back byte for byte when its input
// was compact, and its members parse again.
func FuzzRecord(f *testing.F) {
	f.Add([]byte(`{"pickle":{"a":[1,2,3]},"created_using_fallback_key":false,"t":"x\u00e9\"","n":-1.5e3}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := vzpickle.ParseRecord(data)
		if err != nil {
			return
		}
		out := r.AppendJSON(nil)
		r2, err := vzpickle.ParseRecord(out)
		if err != nil {
			t.Fatalf("own output does not parse: %v", err)
		}
		if !bytes.Equal(r2.AppendJSON(nil), out) {
			t.Fatal("not stable")
		}
	})
}

// FuzzDecrypt: any text under a fixed key fails with a known error or
// authenticates; a tampered valid pickle never decrypts.
func FuzzDecrypt(f *testing.F) {
	key := []byte("0123456789abcdef0123456789ABCDEF")
	valid, _ := vzpickle.Encrypt(key, []byte(`{"signing_key_verified":true}`))
	f.Add(valid)
	f.Add([]byte("AAAA"))
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := vzpickle.Decrypt(key, data)
		if err != nil {
			if !errors.Is(err, vzpickle.ErrBadKey) && !errors.Is(err, vzpickle.ErrBase64) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if re, _ := vzpickle.Encrypt(key, out); !bytes.Equal(re, data) {
			t.Fatal("a different text decrypted (the pickle cipher is deterministic)")
		}
	})
}
