// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package canonicaljson_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/newt-e2ee/newt/internal/canonicaljson"
)

// specAppendix holds the canonical JSON examples of the Matrix spec appendix
// "Canonical JSON" (content/appendices.md of matrix-org/matrix-spec).
var specAppendix = []struct{ in, want string }{
	{`{}`, `{}`},
	{"{\n    \"one\": 1,\n    \"two\": \"Two\"\n}", `{"one":1,"two":"Two"}`},
	{"{\n    \"b\": \"2\",\n    \"a\": \"1\"\n}", `{"a":"1","b":"2"}`},
	{`{"b":"2","a":"1"}`, `{"a":"1","b":"2"}`},
	{`{
    "auth": {
        "success": true,
        "mxid": "@john.doe:example.com",
        "profile": {
            "display_name": "John Doe",
            "three_pids": [
                {
                    "medium": "email",
                    "address": "john.doe@example.org"
                },
                {
                    "medium": "msisdn",
                    "address": "123456789"
                }
            ]
        }
    }
}`, `{"auth":{"mxid":"@john.doe:example.com","profile":{"display_name":"John Doe","three_pids":[{"address":"john.doe@example.org","medium":"email"},{"address":"123456789","medium":"msisdn"}]},"success":true}}`},
	{"{\n    \"a\": \"日本語\"\n}", `{"a":"日本語"}`},
	{"{\n    \"本\": 2,\n    \"日\": 1\n}", `{"日":1,"本":2}`},
	{"{\n    \"a\": \"\\u65E5\"\n}", `{"a":"日"}`},
	{"{\n    \"a\": null\n}", `{"a":null}`},
	{"{\n    \"a\": -0,\n    \"b\": 1e10\n}", `{"a":0,"b":10000000000}`},
}

func TestSpecAppendix(t *testing.T) {
	for _, tc := range specAppendix {
		got, err := canonicaljson.Canonicalize([]byte(tc.in))
		if err != nil {
			t.Errorf("Canonicalize(%q): %v", tc.in, err)
			continue
		}
		if string(got) != tc.want {
			t.Errorf("Canonicalize(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

// TestEdgeCases pins the rules of the Matrix spec appendix "Canonical JSON".
func TestEdgeCases(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		// Key order is by code point (UTF-8 bytes), not UTF-16 units:
		// U+FF61 sorts before U+1F600 although its UTF-16 unit is larger
		// than the high surrogate 0xD83D.
		{"code point order", `{"😀":1,"｡":2,"a":3,"B":4}`, `{"B":4,"a":3,"｡":2,"😀":1}`},
		{"escaped keys sort unescaped", `{"\u0062":1,"a":2}`, `{"a":2,"b":1}`},
		{"short escapes", `"\b\t\n\f\r"`, `"\b\t\n\f\r"`},
		{"other C0 lowercase hex", `"\u000B\u001f\u0000\u0001"`, `"\u000b\u001f\u0000\u0001"`},
		{"quote and backslash", `"\"\\"`, `"\"\\"`},
		{"solidus unescaped", `"\/a/b"`, `"/a/b"`},
		{"DEL raw", "\"\\u007f\x7f\"", "\"\x7f\x7f\""},
		{"html raw", `"\u003c\u003e\u0026<>&"`, `"<>&<>&"`},
		{"line separators raw", `"\u2028\u2029"`, "\"\u2028\u2029\""},
		{"non-ASCII raw", `"\u00e9\u65e5"`, `"é日"`},
		{"surrogate pair", `"\ud83d\ude00\uD83D\uDE00"`, `"😀😀"`},
		{"U+FFFD stays", "\"\uFFFD\"", "\"\uFFFD\""},
		{"whitespace", " \t\r\n[ 1 , { \"a\" : [ ] } ]\n", `[1,{"a":[]}]`},
		{"literals", `[true,false,null]`, `[true,false,null]`},
		{"array order kept", `[3,1,2]`, `[3,1,2]`},
		{"empty string key", `{"":1,"a":{}}`, `{"":1,"a":{}}`},
		{"nested unsorted", `{"b":{"d":1,"c":2},"a":[{"f":1,"e":2}]}`, `{"a":[{"e":2,"f":1}],"b":{"c":2,"d":1}}`},
		{"nested signatures kept", `{"x":{"unsigned":1,"signatures":2}}`, `{"x":{"signatures":2,"unsigned":1}}`},

		{"zero", `0`, `0`},
		{"minus zero", `-0`, `0`},
		{"minus zero float", `-0.0e-7`, `0`},
		{"zero big exponent", `0e99999999999999999999`, `0`},
		{"1e10", `1e10`, `10000000000`},
		{"1E+2", `1E+2`, `100`},
		{"1.0", `1.0`, `1`},
		{"100e-2", `100e-2`, `1`},
		{"1.50e1", `1.50e1`, `15`},
		{"negative", `-42`, `-42`},
		{"max safe", `9007199254740991`, `9007199254740991`},
		{"min safe", `-9007199254740991`, `-9007199254740991`},
		{"max safe as float", `9.007199254740991e15`, `9007199254740991`},
		{"max safe with fraction zeros", `90071992547409910e-1`, `9007199254740991`},
	} {
		got, err := canonicaljson.Canonicalize([]byte(tc.in))
		if err != nil {
			t.Errorf("%s: Canonicalize(%q): %v", tc.name, tc.in, err)
			continue
		}
		if string(got) != tc.want {
			t.Errorf("%s: Canonicalize(%q) = %q, want %q", tc.name, tc.in, got, tc.want)
		}
	}
}

func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     error
		offset   int // -1: not checked
	}{
		{"empty", ``, canonicaljson.ErrSyntax, 0},
		{"space only", ` `, canonicaljson.ErrSyntax, 1},
		{"unterminated object", `{`, canonicaljson.ErrSyntax, 1},
		{"member without value", `{"a"}`, canonicaljson.ErrSyntax, 4},
		{"trailing comma array", `[1,]`, canonicaljson.ErrSyntax, 3},
		{"trailing comma object", `{"a":1,}`, canonicaljson.ErrSyntax, 7},
		{"unquoted key", `{a:1}`, canonicaljson.ErrSyntax, 1},
		{"single quotes", `'a'`, canonicaljson.ErrSyntax, 0},
		{"leading zero", `01`, canonicaljson.ErrSyntax, 1},
		{"plus sign", `+1`, canonicaljson.ErrSyntax, 0},
		{"bare fraction", `.5`, canonicaljson.ErrSyntax, 0},
		{"dangling point", `1.`, canonicaljson.ErrSyntax, 2},
		{"dangling exponent", `1e`, canonicaljson.ErrSyntax, 2},
		{"minus alone", `-`, canonicaljson.ErrSyntax, 1},
		{"NaN", `NaN`, canonicaljson.ErrSyntax, 0},
		{"Infinity", `-Infinity`, canonicaljson.ErrSyntax, 1},
		{"truncated literal", `tru`, canonicaljson.ErrSyntax, 0},
		{"wrong literal", `nul1`, canonicaljson.ErrSyntax, 0},
		{"trailing data", `{} x`, canonicaljson.ErrSyntax, 3},
		{"two values", `1 2`, canonicaljson.ErrSyntax, 2},
		{"raw control char", "\"a\x01\"", canonicaljson.ErrSyntax, 2},
		{"raw newline", "\"a\n\"", canonicaljson.ErrSyntax, 2},
		{"bad escape", `"\x"`, canonicaljson.ErrSyntax, 1},
		{"short unicode escape", `"\u12"`, canonicaljson.ErrSyntax, 1},
		{"unterminated string", `"abc`, canonicaljson.ErrSyntax, 4},
		{"BOM", "\uFEFF{}", canonicaljson.ErrSyntax, 0},

		{"invalid UTF-8", "\"\xff\"", canonicaljson.ErrInvalidUTF8, 1},
		{"overlong UTF-8", "\"\xc0\xaf\"", canonicaljson.ErrInvalidUTF8, 1},
		{"UTF-8 surrogate", "\"\xed\xa0\x80\"", canonicaljson.ErrInvalidUTF8, 1},
		{"invalid UTF-8 key", "{\"\xfe\":1}", canonicaljson.ErrInvalidUTF8, 2},
		{"lone high surrogate", `"\ud800"`, canonicaljson.ErrInvalidUTF8, 1},
		{"lone low surrogate", `"\udc00"`, canonicaljson.ErrInvalidUTF8, 1},
		{"high then letter", `"\ud800\u0041"`, canonicaljson.ErrInvalidUTF8, 1},
		{"high then text", `"\ud800x"`, canonicaljson.ErrInvalidUTF8, 1},
		{"two highs", `"\ud800\ud800"`, canonicaljson.ErrInvalidUTF8, 1},

		{"fraction", `1.5`, canonicaljson.ErrNumber, 0},
		{"small fraction", `{"a":1e-1}`, canonicaljson.ErrNumber, 5},
		{"2^53", `9007199254740992`, canonicaljson.ErrNumber, 0},
		{"-2^53", `-9007199254740992`, canonicaljson.ErrNumber, 0},
		{"2^53 as float", `9.007199254740992e15`, canonicaljson.ErrNumber, 0},
		{"huge", `1e400`, canonicaljson.ErrNumber, 0},
		{"huge exponent digits", `1e99999999999999999999999`, canonicaljson.ErrNumber, 0},
		{"tiny", `1e-99999999999999999999999`, canonicaljson.ErrNumber, 0},
		{"many digits", `12345678901234567890`, canonicaljson.ErrNumber, 0},

		{"duplicate", `{"a":1,"a":2}`, canonicaljson.ErrDuplicateKey, 7},
		{"duplicate unsorted", `{"b":1,"a":2,"b":3}`, canonicaljson.ErrDuplicateKey, 13},
		{"duplicate via escape", `{"a":1,"\u0061":2}`, canonicaljson.ErrDuplicateKey, 7},
		{"nested duplicate", `[{"x":{"k":1,"k":1}}]`, canonicaljson.ErrDuplicateKey, 13},

		{"too deep arrays", strings.Repeat("[", canonicaljson.MaxDepth+1) + strings.Repeat("]", canonicaljson.MaxDepth+1), canonicaljson.ErrTooDeep, canonicaljson.MaxDepth},
		{"too deep objects", strings.Repeat(`{"a":`, canonicaljson.MaxDepth+1) + "1" + strings.Repeat("}", canonicaljson.MaxDepth+1), canonicaljson.ErrTooDeep, -1},
	} {
		got, err := canonicaljson.Canonicalize([]byte(tc.in))
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: Canonicalize(%q) error = %v, want %v", tc.name, tc.in, err, tc.want)
			continue
		}
		if got != nil {
			t.Errorf("%s: output %q returned with an error", tc.name, got)
		}
		var e *canonicaljson.Error
		if !errors.As(err, &e) {
			t.Errorf("%s: error %v is not an *Error", tc.name, err)
			continue
		}
		if tc.offset >= 0 && e.Offset != tc.offset {
			t.Errorf("%s: error offset = %d, want %d", tc.name, e.Offset, tc.offset)
		}
		if !strings.HasPrefix(err.Error(), "canonicaljson: ") {
			t.Errorf("%s: error %q lacks the package prefix", tc.name, err)
		}
	}
}

func TestMaxDepthAccepted(t *testing.T) {
	in := strings.Repeat("[", canonicaljson.MaxDepth) + strings.Repeat("]", canonicaljson.MaxDepth)
	got, err := canonicaljson.Canonicalize([]byte(in))
	if err != nil || string(got) != in {
		t.Fatalf("depth %d: got %v", canonicaljson.MaxDepth, err)
	}
}

func TestSigningBytes(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{}`, `{}`},
		{`{"signatures":{"a":{"b":"c"}}}`, `{}`},
		{`{"unsigned":{"age":1},"b":1,"signatures":{},"a":2}`, `{"a":2,"b":1}`},
		{`{"a":1,"unsigned":2}`, `{"a":1}`},
		{`{"unsigned":2,"a":1}`, `{"a":1}`},
		{`{"z":{"signatures":1,"unsigned":2},"signatures":3}`, `{"z":{"signatures":1,"unsigned":2}}`},
		{` {"signature":1,"Unsigned":2} `, `{"Unsigned":2,"signature":1}`},
	} {
		got, err := canonicaljson.SigningBytes([]byte(tc.in))
		if err != nil || string(got) != tc.want {
			t.Errorf("SigningBytes(%s) = %s, %v; want %s", tc.in, got, err, tc.want)
		}
	}
	for _, in := range []string{`[]`, `"{}"`, `1`, ``, ` `, `null`} {
		if _, err := canonicaljson.SigningBytes([]byte(in)); !errors.Is(err, canonicaljson.ErrNotObject) {
			t.Errorf("SigningBytes(%q) error = %v, want ErrNotObject", in, err)
		}
	}
	// Integral numbers not written as plain integers: Canonicalize rewrites
	// them, SigningBytes refuses them, so one signature covers one text.
	for _, in := range []string{`{"n":1.0}`, `{"n":1e0}`, `{"n":100E-2}`, `{"n":-0}`, `{"n":0.0}`, `{"a":[{"b":-1.2e1}]}`} {
		if _, err := canonicaljson.Canonicalize([]byte(in)); err != nil {
			t.Errorf("Canonicalize(%s): %v", in, err)
		}
		if _, err := canonicaljson.SigningBytes([]byte(in)); !errors.Is(err, canonicaljson.ErrNumberForm) {
			t.Errorf("SigningBytes(%s) error = %v, want ErrNumberForm", in, err)
		}
	}
	for _, in := range []string{`{"n":0}`, `{"n":-1}`, `{"n":9007199254740991}`, `{"n":-9007199254740991}`} {
		if got, err := canonicaljson.SigningBytes([]byte(in)); err != nil || string(got) != in {
			t.Errorf("SigningBytes(%s) = %s, %v", in, got, err)
		}
	}
	// Duplicates of the dropped keys are still duplicates.
	if _, err := canonicaljson.SigningBytes([]byte(`{"unsigned":1,"unsigned":2}`)); !errors.Is(err, canonicaljson.ErrDuplicateKey) {
		t.Errorf("duplicate unsigned: error = %v", err)
	}
}

func TestAppendCanonical(t *testing.T) {
	dst := []byte("prefix:")
	got, err := canonicaljson.AppendCanonical(dst, []byte(`{"b":1,"a":2}`))
	if err != nil || string(got) != `prefix:{"a":2,"b":1}` {
		t.Fatalf("AppendCanonical = %q, %v", got, err)
	}
}

// TestAgreesWithEncodingJSON checks that the canonical form of maps marshalled
// by encoding/json (which sorts map keys by bytes and writes no whitespace)
// is that same text when it holds no characters encoding/json escapes
// differently (<, >, &, U+2028, U+2029).
func TestAgreesWithEncodingJSON(t *testing.T) {
	v := map[string]any{
		"algorithms": []string{"m.olm.v1.curve25519-aes-sha2", "m.megolm.v1.aes-sha2"},
		"device_id":  "DEV",
		"keys":       map[string]string{"ed25519:DEV": "key", "curve25519:DEV": "other"},
		"user_id":    "@alice:example.org",
		"n":          []int64{0, -1, 1 << 52},
		"ñ":          map[string]any{"z": nil, "y": true, "x": "tab\tquote\"back\\"},
	}
	m, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	got, err := canonicaljson.Canonicalize(m)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, m) {
		t.Errorf("Canonicalize(%s)\n = %s", m, got)
	}
}

func FuzzCanonicalJSON(f *testing.F) {
	for _, tc := range specAppendix {
		f.Add([]byte(tc.in))
	}
	for _, s := range []string{
		`{"b":[1,{"d":null,"c":"\u001f"}],"a":-0.0e3,"signatures":{},"unsigned":1}`,
		`"\ud83d\ude00\u2028<>&\/"`, `[1e10,-9007199254740991,1.5]`, `{"a":1,"a":2}`,
		"\"\xff\"", `{"😀":1,"｡":2}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := canonicaljson.Canonicalize(data)
		signing, serr := canonicaljson.SigningBytes(data)
		if err != nil {
			if out != nil {
				t.Fatal("output returned with an error")
			}
			var e *canonicaljson.Error
			if !errors.As(err, &e) || e.Offset < 0 || e.Offset > len(data) {
				t.Fatalf("bad error %v", err)
			}
			if serr == nil {
				t.Fatalf("SigningBytes accepted what Canonicalize rejected: %v", err)
			}
			return
		}
		if !json.Valid(out) {
			t.Fatalf("output is not valid JSON: %q", out)
		}
		again, err := canonicaljson.Canonicalize(out)
		if err != nil || !bytes.Equal(again, out) {
			t.Fatalf("not a fixed point: %q -> %q (%v)", out, again, err)
		}
		if serr == nil {
			again, err := canonicaljson.SigningBytes(signing)
			if err != nil || !bytes.Equal(again, signing) {
				t.Fatalf("signing bytes not a fixed point: %q -> %q (%v)", signing, again, err)
			}
		}
	})
}

func BenchmarkCanonicalize(b *testing.B) {
	in := []byte(`{"user_id":"@alice:localhost","device_id":"test_device","algorithms":["m.olm.v1.curve25519-aes-sha2","m.megolm.v1.aes-sha2"],"keys":{"curve25519:test_device":"F4uCNNlcbRvc7CfBz95ZGWBvY1ALniG1J8+6rhVoKS0","ed25519:test_device":"YI/7vbGVLpGdYtuceQR8MSsKB/QjgfMXM1xqnn+0NWU"},"unsigned":{"device_display_name":"x"}}`)
	b.ReportAllocs()
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		if _, err := canonicaljson.SigningBytes(in); err != nil {
			b.Fatal(err)
		}
	}
}
