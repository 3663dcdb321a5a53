// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package megolm_test

import (
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/newt-e2ee/newt/internal/b64"
	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/internal/pickle"
	"github.com/newt-e2ee/newt/megolm"
)

// checkRedacted is newttest.CheckNoSecrets, and the %p verb, which fmt
// handles before it calls a Formatter.
func checkRedacted(t *testing.T, what string, v any, secrets ...[]byte) {
	t.Helper()
	newttest.CheckNoSecrets(t, what, v, secrets...)
	if form, ok := newttest.Shows(fmt.Sprintf("%p", v), secrets...); ok {
		t.Errorf("%s printed with %%p shows a secret (%q)", what, form)
	}
}

// TestStringRedaction checks security C25: no String, GoString or fmt verb
// prints a ratchet, a session key or a signing key, whether the value is a
// key, a pointer, or a field, slice or map element of another value; and
// String, %v, %s, %+v and %#v print the documented public description.
func TestStringRedaction(t *testing.T) {
	out, in := newPair(t)
	for range 3 {
		if _, _, err := in.Decrypt(out.Encrypt([]byte("move latest"))); err != nil {
			t.Fatal(err)
		}
	}
	sk := out.SessionKey() // index 3
	exp, err := in.Export(1)
	if err != nil {
		t.Fatal(err)
	}
	id := out.ID()

	// The secrets: the ratchets of the keys, of the outbound session and of
	// the inbound session (initial and latest), and the outbound signing
	// key, all read from the raw bytes and the pickles.
	outPlain, err := pickle.Decrypt(pickleKey, []byte(out.Pickle(pickleKey)))
	if err != nil {
		t.Fatal(err)
	}
	inPlain, err := pickle.Decrypt(pickleKey, []byte(in.Pickle(pickleKey)))
	if err != nil {
		t.Fatal(err)
	}
	skRatchet := sk.Bytes()[5:133]
	expRatchet := exp.Bytes()[5:133]
	outRatchet := outPlain[4:132]
	outSigning := outPlain[4+132+32 : 4+132+32+64]
	inInitial, inLatest := inPlain[4:132], inPlain[4+132:4+132+128]
	secrets := [][]byte{skRatchet, expRatchet, outRatchet, outSigning, inInitial, inLatest}

	// The descriptions.
	for _, tc := range []struct {
		what string
		v    any
		want string
	}{
		{"*SessionKey", sk, "megolm.SessionKey{session_id: " + id + ", index: 3}"},
		{"SessionKey", *sk, "megolm.SessionKey{session_id: " + id + ", index: 3}"},
		{"*ExportedSessionKey", exp, "megolm.ExportedSessionKey{session_id: " + id + ", index: 1}"},
		{"ExportedSessionKey", *exp, "megolm.ExportedSessionKey{session_id: " + id + ", index: 1}"},
		{"*GroupSession", out, "megolm.GroupSession{session_id: " + id + ", index: 3}"},
		{"*InboundGroupSession", in, "megolm.InboundGroupSession{session_id: " + id + ", first_known_index: 0}"},
	} {
		for _, verb := range []string{"%v", "%s", "%+v", "%#v"} {
			if got := fmt.Sprintf(verb, tc.v); got != tc.want {
				t.Errorf("%s with %s = %q, want %q", tc.what, verb, got, tc.want)
			}
		}
		if got := fmt.Sprintf("%q", tc.v); got != fmt.Sprintf("%q", tc.want) {
			t.Errorf("%s with %%q = %s", tc.what, got)
		}
		if got := fmt.Sprintf("%x", tc.v); got != hex.EncodeToString([]byte(tc.want)) {
			t.Errorf("%s with %%x = %s", tc.what, got)
		}
		if s, ok := tc.v.(fmt.Stringer); !ok || s.String() != tc.want {
			t.Errorf("%s: String() does not give the description", tc.what)
		}
		if s, ok := tc.v.(fmt.GoStringer); !ok || s.GoString() != tc.want {
			t.Errorf("%s: GoString() does not give the description", tc.what)
		}
		checkRedacted(t, tc.what, tc.v, secrets...)
	}
	// Base64 is the one way to get the encoded keys.
	if k, err := megolm.ParseSessionKey(sk.Base64()); err != nil || k.Base64() != sk.Base64() {
		t.Error("SessionKey.Base64 does not round-trip")
	}
	if k, err := megolm.ParseExportedSessionKey(exp.Base64()); err != nil || k.Base64() != exp.Base64() {
		t.Error("ExportedSessionKey.Base64 does not round-trip")
	}

	// Keys inside other values: fmt calls the methods of exported fields,
	// slice and map elements, and prints unexported fields by reflection,
	// following at most one pointer, which shows only addresses.
	type exported struct {
		K  megolm.SessionKey
		E  megolm.ExportedSessionKey
		PK *megolm.SessionKey
		S  []megolm.SessionKey
		M  map[string]megolm.ExportedSessionKey
	}
	type unexported struct {
		k  megolm.SessionKey
		e  megolm.ExportedSessionKey
		pk *megolm.SessionKey
		s  []megolm.SessionKey
		o  *megolm.GroupSession
		i  *megolm.InboundGroupSession
	}
	checkRedacted(t, "exported fields", exported{*sk, *exp, sk, []megolm.SessionKey{*sk}, map[string]megolm.ExportedSessionKey{"a": *exp}}, secrets...)
	checkRedacted(t, "*exported fields", &exported{*sk, *exp, sk, []megolm.SessionKey{*sk}, map[string]megolm.ExportedSessionKey{"a": *exp}}, secrets...)
	checkRedacted(t, "unexported fields", unexported{*sk, *exp, sk, []megolm.SessionKey{*sk}, out, in}, secrets...)
	checkRedacted(t, "*unexported fields", &unexported{*sk, *exp, sk, []megolm.SessionKey{*sk}, out, in}, secrets...)
	if got := fmt.Sprint(exported{K: *sk}); !strings.Contains(got, "megolm.SessionKey{session_id: "+id) {
		t.Errorf("exported field printed as %s", got)
	}

	// (GroupSession and InboundGroupSession values are not printed: they
	// hold a mutex and must not be copied, which go vet reports. Pointers to
	// them, the only form the API hands out, are checked above, on their
	// own and in unexported fields.)

	// Messages are public; they hold no secret either.
	checkRedacted(t, "*Message", out.Encrypt([]byte("public")), secrets...)

	// Nil pointers and zero values print without panicking.
	for _, v := range []any{(*megolm.SessionKey)(nil), (*megolm.ExportedSessionKey)(nil),
		(*megolm.GroupSession)(nil), (*megolm.InboundGroupSession)(nil)} {
		if got := fmt.Sprint(v); got != "<nil>" {
			t.Errorf("nil %T printed as %q", v, got)
		}
	}
	zeroID := strings.Repeat("A", 43)
	if got := fmt.Sprint(megolm.SessionKey{}); got != "megolm.SessionKey{session_id: "+zeroID+", index: 0}" {
		t.Errorf("zero SessionKey printed as %q", got)
	}
	if got := fmt.Sprint(new(megolm.ExportedSessionKey)); got != "megolm.ExportedSessionKey{session_id: "+zeroID+", index: 0}" {
		t.Errorf("zero ExportedSessionKey printed as %q", got)
	}
	if got := fmt.Sprint(new(megolm.GroupSession)); got != "megolm.GroupSession{session_id: , index: 0}" {
		t.Errorf("zero GroupSession printed as %q", got)
	}
	if got := fmt.Sprint(new(megolm.InboundGroupSession)); got != "megolm.InboundGroupSession{session_id: , first_known_index: 0}" {
		t.Errorf("zero InboundGroupSession printed as %q", got)
	}

	if megolm.Better.String() != "Better" || megolm.SessionOrdering(9).String() != "SessionOrdering(9)" {
		t.Error("SessionOrdering.String")
	}
	uerr := &megolm.UnknownMessageIndexError{FirstKnown: 4, Got: 2}
	if uerr.Error() != "megolm: unknown message index 2 (first known index 4)" {
		t.Errorf("Error() = %q", uerr.Error())
	}
}

// TestZeroKeys checks the zero SessionKey and ExportedSessionKey: all-zero
// bytes, and no session from them.
func TestZeroKeys(t *testing.T) {
	var k megolm.SessionKey
	var e megolm.ExportedSessionKey
	if len(k.Bytes()) != megolm.SessionKeySize || len(e.Bytes()) != megolm.ExportedSessionKeySize ||
		k.Index() != 0 || e.Index() != 0 || !k.SigningKey().IsZero() || !e.SigningKey().IsZero() ||
		k.Base64() != b64.EncodeToString(make([]byte, megolm.SessionKeySize)) {
		t.Fatal("zero key accessors")
	}
	k.Bytes()[0] = 2 // a copy: the shared zero bytes stay zero
	if k.Bytes()[0] != 0 {
		t.Fatal("Bytes aliases the zero key")
	}
}
