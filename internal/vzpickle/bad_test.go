// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package vzpickle_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/newt-e2ee/newt/internal/vzpickle"
	"github.com/newt-e2ee/newt/testvectors"
)

// parsers maps a pickle type to its parser, returning the re-serialised
// JSON.
var parsers = map[string]func([]byte) ([]byte, error){
	"account": func(b []byte) ([]byte, error) {
		a, err := vzpickle.ParseAccount(b)
		if err != nil {
			return nil, err
		}
		return a.AppendJSON(nil), nil
	},
	"session": func(b []byte) ([]byte, error) {
		s, err := vzpickle.ParseSession(b)
		if err != nil {
			return nil, err
		}
		return s.AppendJSON(nil), nil
	},
	"group_session": func(b []byte) ([]byte, error) {
		s, err := vzpickle.ParseGroupSession(b)
		if err != nil {
			return nil, err
		}
		return s.AppendJSON(nil), nil
	},
	"inbound_group_session": func(b []byte) ([]byte, error) {
		s, err := vzpickle.ParseInboundGroupSession(b)
		if err != nil {
			return nil, err
		}
		return s.AppendJSON(nil), nil
	},
}

// samples returns one real pickle of each type, with an account and a
// session that have every optional part (fallback keys, skipped keys).
func samples(t testing.TB) map[string]string {
	v, err := testvectors.Decode[testvectors.VodozemacPickles]("vodozemac_pickles.json")
	if err != nil {
		t.Fatal(err)
	}
	return map[string]string{
		"account":               v.Accounts[2].Pickle,
		"session":               v.Sessions[1].Pickle,
		"group_session":         v.GroupSessions[0].Pickle,
		"inbound_group_session": v.InboundGroupSessions[0].Pickle,
	}
}

func TestBadInput(t *testing.T) {
	s := samples(t)
	cases := []struct {
		name, typ string
		edit      func(string) string
		want      error
	}{
		{"unknown signing key variant", "account", rep(`"Normal"`, `"Compact"`), vzpickle.ErrUnknownVariant},
		{"two signing key variants", "account", rep(`{"Normal":`, `{"Expanded":[`+strings.Repeat("0,", 63)+`0],"Normal":`), vzpickle.ErrSyntax},
		{"identity key of 31 bytes", "account", rep(`"diffie_hellman_key":[`, `"diffie_hellman_key":[`+"\x00"), vzpickle.ErrSyntax},
		{"identity key of 33 bytes", "account", rep(`"diffie_hellman_key":[`, `"diffie_hellman_key":[1,`), vzpickle.ErrLength},
		{"byte 256", "account", rep(`"diffie_hellman_key":[`, `"diffie_hellman_key":[256,`), vzpickle.ErrRange},
		{"negative byte", "account", rep(`"diffie_hellman_key":[`, `"diffie_hellman_key":[-1,`), vzpickle.ErrSyntax},
		{"byte with a leading zero", "account", rep(`"diffie_hellman_key":[`, `"diffie_hellman_key":[01,`), vzpickle.ErrSyntax},
		{"fractional byte", "account", rep(`"diffie_hellman_key":[`, `"diffie_hellman_key":[1.0,`), vzpickle.ErrSyntax},
		{"key ID beyond u64", "account", rep(`"next_key_id":`, `"next_key_id":18446744073709551616`), vzpickle.ErrRange},
		{"map key not a number", "account", rep(`"private_keys":{"`, `"private_keys":{"x`), vzpickle.ErrSyntax},
		{"map key with a leading zero", "account", rep(`"private_keys":{"`, `"private_keys":{"0`), vzpickle.ErrSyntax},
		{"unknown member", "account", rep(`{"signing_key"`, `{"colour":1,"signing_key"`), vzpickle.ErrUnknownField},
		{"duplicate member", "account", rep(`{"signing_key"`, `{"diffie_hellman_key":[`+strings.Repeat("0,", 31)+`0],"signing_key"`), vzpickle.ErrDuplicateField},
		{"missing member", "account", rep(`"fallback_keys":{"key_id"`, `"fallback_keys":{"key_idx"`), vzpickle.ErrUnknownField},
		{"trailing data", "account", func(p string) string { return p + "{}" }, vzpickle.ErrSyntax},
		{"unknown ratchet type", "session", rep(`"type":"inactive"`, `"type":"dormant"`), vzpickle.ErrUnknownVariant},
		{"no ratchet type", "session", rep(`"type":"inactive",`, ``), vzpickle.ErrMissingField},
		{"active member in an inactive ratchet", "session", rep(`"type":"inactive",`, `"type":"inactive","parent_ratchet_key":null,`), vzpickle.ErrUnknownField},
		{"unknown config version", "session", rep(`"V1"`, `"V3"`), vzpickle.ErrUnknownVariant},
		{"unknown ratchet count variant", "session", rep(`{"Known":0}`, `{"Guess":0}`), vzpickle.ErrUnknownVariant},
		{"unknown ratchet count with a value", "session", rep(`{"Known":0}`, `{"Unknown":0}`), vzpickle.ErrSyntax},
		{"six receiving chains", "session", sixChains, vzpickle.ErrTooMany},
		{"megolm counter beyond u32", "group_session", rep(`"counter":3`, `"counter":4294967296`), vzpickle.ErrRange},
		{"megolm ratchet of 127 bytes", "inbound_group_session", rep(`"inner":[`, `"inner":[`+"0]}"+`,"x":[`), vzpickle.ErrLength},
		{"verified flag not a boolean", "inbound_group_session", rep(`"signing_key_verified":true`, `"signing_key_verified":1`), vzpickle.ErrSyntax},
		{"not an object", "inbound_group_session", func(string) string { return "[]" }, vzpickle.ErrSyntax},
		{"empty", "session", func(string) string { return "" }, vzpickle.ErrSyntax},
	}
	for _, c := range cases {
		in := c.edit(s[c.typ])
		if in == s[c.typ] {
			t.Fatalf("%s: the edit changed nothing", c.name)
		}
		_, err := parsers[c.typ]([]byte(in))
		if !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
		}
		var e *vzpickle.Error
		if err != nil && !errors.As(err, &e) {
			t.Errorf("%s: error %T is not a *vzpickle.Error", c.name, err)
		}
		if err != nil && strings.ContainsAny(err.Error(), "[0123456789") && !strings.Contains(err.Error(), "bytes") && !strings.Contains(err.Error(), "than") {
			t.Errorf("%s: error text may hold data: %q", c.name, err)
		}
	}
}

func rep(old, new string) func(string) string {
	return func(s string) string { return strings.Replace(s, old, new, 1) }
}

// sixChains duplicates the session's only receiving chain six times.
func sixChains(p string) string {
	start := strings.Index(p, `"inner":[{`) + len(`"inner":[`)
	end := strings.Index(p, `]},"config"`)
	chain := p[start:end]
	return p[:start] + strings.Repeat(chain+",", 5) + chain + p[end:]
}

// TestEveryPrefixFails: no proper prefix of a valid pickle parses, and none
// panics.
func TestEveryPrefixFails(t *testing.T) {
	for typ, p := range samples(t) {
		for n := 0; n < len(p); n++ {
			if _, err := parsers[typ]([]byte(p[:n])); err == nil {
				t.Fatalf("%s: prefix of %d bytes parsed", typ, n)
			}
		}
	}
}

// TestWhitespaceAndOrder: serde accepts whitespace and any member order;
// so does the reader, and writing gives the compact canonical form back.
func TestWhitespaceAndOrder(t *testing.T) {
	for typ, p := range samples(t) {
		var buf bytes.Buffer
		if err := json.Indent(&buf, []byte(p), "", "\t"); err != nil {
			t.Fatal(err)
		}
		out, err := parsers[typ](buf.Bytes())
		if err != nil || string(out) != p {
			t.Errorf("%s: indented pickle: %v", typ, err)
		}
	}
	// Members reordered: "config" first.
	p := samples(t)["inbound_group_session"]
	i := strings.Index(p, `,"config"`)
	reordered := `{"config":` + p[i+len(`,"config":`):len(p)-1] + `,` + p[1:i] + `}`
	out, err := parsers["inbound_group_session"]([]byte(reordered))
	if err != nil || string(out) != p {
		t.Errorf("reordered pickle: %v\n%s", err, reordered[:80])
	}
}

func TestDefaults(t *testing.T) {
	// Without config, ratchet_count and parent_ratchet_key, as older
	// vodozemac versions wrote sessions.
	p := samples(t)["session"]
	old := strings.Replace(p, `,"config":{"version":"V1"}`, "", 1)
	old = strings.ReplaceAll(old, `,"ratchet_count":{"Known":0}`, "")
	s, err := vzpickle.ParseSession([]byte(old))
	if err != nil {
		t.Fatal(err)
	}
	if s.Version != vzpickle.Version1 || s.Sending.RatchetCount.Known || s.Chains[0].RatchetCount.Known {
		t.Error("defaults differ from vodozemac's")
	}
	// "key_id" is an alias of "next_key_id".
	a := samples(t)["account"]
	if _, err := vzpickle.ParseAccount([]byte(strings.Replace(a, `"next_key_id"`, `"key_id"`, 1))); err != nil {
		t.Error(err)
	}
}

func TestV2ConfigRoundTrip(t *testing.T) {
	for _, typ := range []string{"session", "group_session", "inbound_group_session"} {
		p := strings.Replace(samples(t)[typ], `"V1"`, `"V2"`, 1)
		out, err := parsers[typ]([]byte(p))
		if err != nil || string(out) != p {
			t.Errorf("%s with V2 config: %v", typ, err)
		}
	}
}

func TestDecryptErrors(t *testing.T) {
	key := []byte("0123456789abcdef0123456789ABCDEF")
	p, err := vzpickle.Encrypt(key, []byte(`{"a":1}`))
	if err != nil {
		t.Fatal(err)
	}
	wrong := bytes.Clone(key)
	wrong[0] ^= 1
	if _, err := vzpickle.Decrypt(wrong, p); !errors.Is(err, vzpickle.ErrBadKey) {
		t.Errorf("wrong key: %v", err)
	}
	for i := range p {
		q := bytes.Clone(p)
		q[i] ^= 0x02
		if _, err := vzpickle.Decrypt(key, q); err == nil {
			t.Fatalf("tampered byte %d accepted", i)
		}
	}
	if _, err := vzpickle.Decrypt(key, append(bytes.Clone(p), '=')); !errors.Is(err, vzpickle.ErrBase64) {
		t.Errorf("padding: %v", err)
	}
	if _, err := vzpickle.Decrypt(key[:31], p); !errors.Is(err, vzpickle.ErrKeySize) {
		t.Errorf("short key: %v", err)
	}
	if _, err := vzpickle.Encrypt(key[:31], p); !errors.Is(err, vzpickle.ErrKeySize) {
		t.Errorf("short key: %v", err)
	}
}

func TestRecordErrors(t *testing.T) {
	for _, in := range []string{``, `[]`, `{"a":1,"a":2}`, `{"a":}`, `{"a":1}x`, `{"a":tru}`, `{"a":"\x01"}`,
		strings.Repeat(`{"a":`, 100) + "1" + strings.Repeat("}", 100)} {
		if _, err := vzpickle.ParseRecord([]byte(in)); err == nil {
			t.Errorf("record %.40q accepted", in)
		}
	}
	r, err := vzpickle.ParseRecord([]byte(`{"pickle":{"x":[1,2]},"created_using_fallback_key":true,"s":"a\"b"}`))
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := r.Bool("created_using_fallback_key"); !v || !ok {
		t.Error("Bool")
	}
	r.Set("created_using_fallback_key", []byte("false"))
	if got := string(r.AppendJSON(nil)); got != `{"pickle":{"x":[1,2]},"created_using_fallback_key":false,"s":"a\"b"}` {
		t.Errorf("Set: %s", got)
	}
}

func samplesAll(t testing.TB) testvectors.VodozemacPickles {
	v, err := testvectors.Decode[testvectors.VodozemacPickles]("vodozemac_pickles.json")
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// shortHint is a pickle whose size hint is too small: its JSON, written a
// byte at a time, outgrows any array sized by the hint.
type shortHint struct{ cleared bool }

func (*shortHint) JSONLen() int { return 1 }
func (*shortHint) AppendJSON(dst []byte) []byte {
	for range 100 {
		dst = append(dst, 's')
	}
	return dst
}
func (p *shortHint) Clear() { p.cleared = true }

// TestShortHintCleared checks that when a pickle's JSON outgrows its size
// hint, the array it left behind is cleared: the JSON holds secrets.
func TestShortHintCleared(t *testing.T) {
	dst := make([]byte, 2, 8)
	copy(dst, "ab")
	p := new(shortHint)
	out := vzpickle.AppendAndClear(dst, p)
	if string(out) != "ab"+strings.Repeat("s", 100) || !p.cleared {
		t.Fatalf("AppendAndClear = %q (cleared %v)", out, p.cleared)
	}
	if old := dst[:cap(dst)]; string(old) != "ab\x00\x00\x00\x00\x00\x00" {
		t.Fatalf("the array left behind holds %q", old)
	}

	e := &vzpickle.Errors{KeySize: vzpickle.ErrKeySize, Base64: vzpickle.ErrBase64, BadKey: vzpickle.ErrBadKey}
	key := bytes.Repeat([]byte{7}, vzpickle.KeySize)
	text, err := e.Seal(key, new(shortHint))
	if err != nil {
		t.Fatal(err)
	}
	got, err := vzpickle.Decrypt(key, []byte(text))
	if err != nil || string(got) != strings.Repeat("s", 100) {
		t.Fatalf("Seal then Decrypt = %q, %v", got, err)
	}
}
