// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package pk_test

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math/big"
	"slices"
	"strings"
	"testing"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/pk"
	"github.com/newt-e2ee/newt/testvectors"
)

// Matrix spec appendix "Cryptographic Test Vectors" (content/appendices.md of
// matrix-org/matrix-spec, appendix "Signing JSON"). The seed is
// given as unpadded base64 whose last character has non-zero trailing bits,
// so it is decoded with the lenient standard decoder.
const (
	specSeedB64   = "YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1"
	specPublicKey = "XGX0JRS2Af3be3knz2fBiRbApjm2Dh61gXDJA8kcJNI"
	specSigEmpty  = "K8280/U9SSy9IVtjBuVeLr+HpOB4BQFWbg+UZaADMtTdGYI7Geitb76LTrr5QV/7Xg4ahLwYGYZzuHGZKM5ZAQ"
	specSigOneTwo = "KqmLSbO39/Bzb0QIYE82zqLwsA+PDzYIpIRA2sRQ4sL53+sN6/fpNSoqE7BP7vBZhG6kYdD13EIMJpvhJI+6Bw"
)

// matrix-js-sdk spec/test-utils/crypto-test-data SIGNED_TEST_DEVICE_DATA
// (matrix-js-sdk test data, SIGNED_TEST_DEVICE_DATA).
const (
	jsSeed        = "deadbeefdeadbeefdeadbeefdeadbeef"
	jsPublicKey   = "YI/7vbGVLpGdYtuceQR8MSsKB/QjgfMXM1xqnn+0NWU"
	jsSignedBytes = `{"algorithms":["m.olm.v1.curve25519-aes-sha2","m.megolm.v1.aes-sha2"],"device_id":"test_device","keys":{"curve25519:test_device":"F4uCNNlcbRvc7CfBz95ZGWBvY1ALniG1J8+6rhVoKS0","ed25519:test_device":"YI/7vbGVLpGdYtuceQR8MSsKB/QjgfMXM1xqnn+0NWU"},"user_id":"@alice:localhost"}`
	jsSignature   = "LmQC/yAUZJmkxZ+3L0nEwvtVWOzjqQqADWBhk+C47SPaFYHeV+E291mgXaSCJVeGltX+HC49Aw7nb6ga7sw0Aw"
)

// The entities and key IDs the vectors above sign under.
const (
	specEntity    = "domain"
	specKeyID     = "ed25519:1"
	jsDeviceKeyID = "ed25519:test_device"
)

func specSigning(t *testing.T) *pk.Signing {
	t.Helper()
	seed, err := base64.RawStdEncoding.DecodeString(specSeedB64)
	if err != nil {
		t.Fatal(err)
	}
	s, err := pk.NewSigning(seed)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.PublicKey().String(); got != specPublicKey {
		t.Fatalf("public key = %s, want %s", got, specPublicKey)
	}
	return s
}

func TestSignJSONSpecVectors(t *testing.T) {
	s := specSigning(t)
	for _, tc := range []struct {
		name string
		v    any
		want string
	}{
		{"{} bytes", []byte(`{}`), specSigEmpty},
		{"{} raw", json.RawMessage(" { } "), specSigEmpty},
		{"{} map", map[string]any{}, specSigEmpty},
		{"{} struct", struct{}{}, specSigEmpty},
		{"one two bytes", []byte("{\n    \"one\": 1,\n    \"two\": \"Two\"\n}"), specSigOneTwo},
		{"one two map", map[string]any{"two": "Two", "one": 1}, specSigOneTwo},
		{"one two struct", struct {
			Two string `json:"two"`
			One int    `json:"one"`
		}{"Two", 1}, specSigOneTwo},
		{"one two float", map[string]any{"one": 1.0, "two": "Two"}, specSigOneTwo},
		{"already signed", []byte(`{"one":1,"signatures":{"domain":{"ed25519:1":"x"}},"two":"Two","unsigned":{"age_ts":1}}`), specSigOneTwo},
	} {
		sig, err := s.SignJSON(tc.v)
		if err != nil || sig.String() != tc.want {
			t.Errorf("%s: SignJSON = %s, %v; want %s", tc.name, sig, err, tc.want)
			continue
		}
		if err := pk.VerifyJSON(tc.v, s.PublicKey(), sig); err != nil {
			t.Errorf("%s: VerifyJSON: %v", tc.name, err)
		}
	}
}

// TestVerifySignedJSONSpec verifies the appendix's signed outputs as
// received, against the public key only.
func TestVerifySignedJSONSpec(t *testing.T) {
	key, err := newt.ParseEd25519PublicKey(specPublicKey)
	if err != nil {
		t.Fatal(err)
	}
	for _, signed := range []string{
		`{"signatures":{"domain":{"ed25519:1":"` + specSigEmpty + `"}}}`,
		`{"one":1,"signatures":{"domain":{"ed25519:1":"` + specSigOneTwo + `"}},"two":"Two"}`,
		"{\n    \"one\": 1,\n    \"signatures\": {\n        \"domain\": {\n            \"ed25519:1\": \"" + specSigOneTwo + "\"\n        }\n    },\n    \"two\": \"Two\",\n    \"unsigned\": {\"age_ts\": 922834800000}\n}",
	} {
		if err := pk.VerifySignedJSON([]byte(signed), specEntity, specKeyID, key); err != nil {
			t.Errorf("VerifySignedJSON(%s): %v", signed, err)
		}
	}
	good := `{"one":1,"signatures":{"domain":{"ed25519:1":"` + specSigOneTwo + `"}},"two":"Two"}`
	for _, tc := range []struct{ name, json, entity, keyID string }{
		{"other entity", good, "other", specKeyID},
		{"other key ID", good, specEntity, "ed25519:2"},
		{"changed value", strings.Replace(good, `"one":1`, `"one":2`, 1), specEntity, specKeyID},
		{"added field", strings.Replace(good, `"one":1`, `"one":1,"three":3`, 1), specEntity, specKeyID},
		{"nested unsigned is signed", strings.Replace(good, `"one":1`, `"one":{"unsigned":1}`, 1), specEntity, specKeyID},
		{"no signatures", `{"one":1,"two":"Two"}`, specEntity, specKeyID},
		{"signatures not an object", `{"one":1,"signatures":"x","two":"Two"}`, specEntity, specKeyID},
		{"signature not a string", `{"one":1,"signatures":{"domain":{"ed25519:1":7}},"two":"Two"}`, specEntity, specKeyID},
		{"signature padded", strings.Replace(good, specSigOneTwo, specSigOneTwo+"==", 1), specEntity, specKeyID},
		{"signature truncated", strings.Replace(good, specSigOneTwo, specSigOneTwo[:85], 1), specEntity, specKeyID},
		{"case-folded signatures key", strings.Replace(good, `"signatures"`, `"Signatures"`, 1), specEntity, specKeyID},
	} {
		if err := pk.VerifySignedJSON([]byte(tc.json), tc.entity, tc.keyID, key); !errors.Is(err, pk.ErrBadSignature) {
			t.Errorf("%s: VerifySignedJSON = %v, want ErrBadSignature", tc.name, err)
		}
	}
	if err := pk.VerifySignedJSON([]byte(`{"a":1.5}`), specEntity, specKeyID, key); !errors.Is(err, pk.ErrJSONNumber) {
		t.Errorf("fractional number: %v", err)
	}
}

// TestJSSDKDevice checks the matrix-js-sdk signed device: the canonical bytes
// of the device object (as a client holds it, with unsigned data and its
// signature) and the signature over them.
func TestJSSDKDevice(t *testing.T) {
	s, err := pk.NewSigning([]byte(jsSeed))
	if err != nil {
		t.Fatal(err)
	}
	if got := s.PublicKey().String(); got != jsPublicKey {
		t.Fatalf("public key = %s, want %s", got, jsPublicKey)
	}
	device := map[string]any{
		"user_id":    "@alice:localhost",
		"device_id":  "test_device",
		"algorithms": []string{"m.olm.v1.curve25519-aes-sha2", "m.megolm.v1.aes-sha2"},
		"keys": map[string]string{
			"curve25519:test_device": "F4uCNNlcbRvc7CfBz95ZGWBvY1ALniG1J8+6rhVoKS0",
			"ed25519:test_device":    jsPublicKey,
		},
		"unsigned": map[string]any{"device_display_name": "Alice's <laptop> & phone"},
		"signatures": map[string]any{
			"@alice:localhost": map[string]string{jsDeviceKeyID: jsSignature},
		},
	}
	got, err := newt.CanonicalJSONForSigning(device)
	if err != nil || string(got) != jsSignedBytes {
		t.Fatalf("signed bytes = %s, %v\nwant %s", got, err, jsSignedBytes)
	}
	sig, err := s.SignJSON(device)
	if err != nil || sig.String() != jsSignature {
		t.Fatalf("SignJSON = %s, %v; want %s", sig, err, jsSignature)
	}
	if sig != s.Sign([]byte(jsSignedBytes)) {
		t.Error("SignJSON differs from Sign of the canonical bytes")
	}
	raw, _ := json.Marshal(device)
	if err := pk.VerifySignedJSON(raw, "@alice:localhost", jsDeviceKeyID, s.PublicKey()); err != nil {
		t.Errorf("VerifySignedJSON: %v", err)
	}
}

func TestSignLibolmVector(t *testing.T) {
	ans := testvectors.LoadAnswers(t)
	olmSeedHex := ans.Get("pk/signing/seed_hex")
	olmPublicKey := ans.Get("pk/signing/public_base64")
	olmMessage := ans.Get("pk/signing/message")
	olmSignature := ans.Get("pk/signing/signature_base64")
	seed, _ := hex.DecodeString(olmSeedHex)
	s, err := pk.NewSigning(seed)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.PublicKey().String(); got != olmPublicKey {
		t.Errorf("public key = %s, want %s", got, olmPublicKey)
	}
	sig := s.Sign([]byte(olmMessage))
	if sig.String() != olmSignature {
		t.Errorf("signature = %s, want %s", sig, olmSignature)
	}
	if err := pk.VerifySignature(s.PublicKey(), []byte(olmMessage), sig); err != nil {
		t.Errorf("VerifySignature: %v", err)
	}
	// libolm's test: changing the fifth character of the message fails.
	msg := []byte(olmMessage)
	msg[5] = 'm'
	if err := pk.VerifySignature(s.PublicKey(), msg, sig); !errors.Is(err, pk.ErrBadSignature) {
		t.Errorf("tampered message: %v", err)
	}
}

// TestVerifyStrict checks that a malleated signature (S+L, which libolm
// accepts: CVE-2024-45193) and other bad signatures fail.
func TestVerifyStrict(t *testing.T) {
	s := pk.GenerateSigning()
	msg := []byte("message")
	sig := s.Sign(msg)
	b := sig.Bytes()

	l, _ := new(big.Int).SetString("7237005577332262213973186563042994240857116359379907606001950938285454250989", 10)
	S := new(big.Int).SetBytes(reverse(b[32:]))
	S.Add(S, l)
	sl := make([]byte, 32)
	S.FillBytes(sl)
	malleated, _ := newt.NewEd25519Signature(append(bytes.Clone(b[:32]), reverse(sl)...))
	if err := pk.VerifySignature(s.PublicKey(), msg, malleated); !errors.Is(err, pk.ErrBadSignature) {
		t.Errorf("S+L signature: %v", err)
	}
	for i := range 64 * 8 {
		bad := bytes.Clone(b)
		bad[i/8] ^= 1 << (i % 8)
		sig, _ := newt.NewEd25519Signature(bad)
		if pk.VerifySignature(s.PublicKey(), msg, sig) == nil {
			t.Fatalf("signature with bit %d flipped verified", i)
		}
	}
	if err := pk.VerifySignature(newt.Ed25519PublicKey{}, msg, sig); !errors.Is(err, pk.ErrBadSignature) {
		t.Errorf("zero (small-order) key: %v", err)
	}
	if err := pk.VerifySignature(pk.GenerateSigning().PublicKey(), msg, sig); !errors.Is(err, pk.ErrBadSignature) {
		t.Errorf("other key: %v", err)
	}
}

func reverse(b []byte) []byte {
	r := bytes.Clone(b)
	slices.Reverse(r)
	return r
}

func TestSigningSeed(t *testing.T) {
	for _, n := range []int{0, 31, 33, 64} {
		if s, err := pk.NewSigning(make([]byte, n)); !errors.Is(err, pk.ErrInvalidKey) || s != nil {
			t.Errorf("%d-byte seed: %v, %v", n, s, err)
		}
	}
	s := pk.GenerateSigning()
	seed := s.Seed()
	s2, err := pk.NewSigning(seed)
	if err != nil || s2.PublicKey() != s.PublicKey() || s2.Sign([]byte("m")) != s.Sign([]byte("m")) {
		t.Fatalf("seed round trip: %v", err)
	}
	seed[0] ^= 1
	if bytes.Equal(s.Seed(), seed) {
		t.Error("Seed returned internal state")
	}
	if pk.GenerateSigning().PublicKey() == s.PublicKey() {
		t.Error("two random keys are equal")
	}
}

func TestVerifyJSON(t *testing.T) {
	s := pk.GenerateSigning()
	obj := []byte(`{"b":[1,2,{"y":true,"x":null}],"a":"é\u00e9","n":-9007199254740991}`)
	sig, err := s.SignJSON(obj)
	if err != nil {
		t.Fatal(err)
	}
	for _, same := range []string{
		`{"a":"éé","b":[1,2,{"x":null,"y":true}],"n":-9007199254740991}`,
		` { "n" : -9007199254740991 , "a" : "\u00e9é" , "b" : [ 1 , 2 , { "x" : null , "y" : true } ] } `,
		`{"a":"éé","b":[1,2,{"x":null,"y":true}],"n":-9007199254740991,"unsigned":{"z":1},"signatures":{}}`,
	} {
		if err := pk.VerifyJSON([]byte(same), s.PublicKey(), sig); err != nil {
			t.Errorf("VerifyJSON(%s): %v", same, err)
		}
	}
	// The same values with numbers not written as plain integers: refused
	// (TestC07_EncodingRoundTrip).
	for _, form := range []string{
		` { "n" : -9.007199254740991e15 , "a" : "\u00e9é" , "b" : [ 1 , 2.0 , { "x" : null , "y" : true } ] } `,
		`{"a":"éé","b":[1,2e0,{"x":null,"y":true}],"n":-9007199254740991}`,
	} {
		if err := pk.VerifyJSON([]byte(form), s.PublicKey(), sig); !errors.Is(err, pk.ErrJSONNumber) {
			t.Errorf("VerifyJSON(%s) = %v, want ErrJSONNumber", form, err)
		}
	}
	for _, other := range []string{
		`{"a":"éé","b":[2,1,{"x":null,"y":true}],"n":-9007199254740991}`,
		`{"a":"éé","b":[1,2,{"x":null,"y":true}],"n":-9007199254740990}`,
		`{"a":"éé","b":[1,2,{"x":null,"y":true,"unsigned":1}],"n":-9007199254740991}`,
	} {
		if err := pk.VerifyJSON([]byte(other), s.PublicKey(), sig); !errors.Is(err, pk.ErrBadSignature) {
			t.Errorf("VerifyJSON(%s) = %v, want ErrBadSignature", other, err)
		}
	}
}

func TestJSONErrors(t *testing.T) {
	s := pk.GenerateSigning()
	for _, tc := range []struct {
		name   string
		v      any
		want   error
		offset int
	}{
		{"fraction", []byte(`{"a":1.5}`), pk.ErrJSONNumber, 5},
		{"too big", []byte(`{"a":9007199254740992}`), pk.ErrJSONNumber, 5},
		{"float value", map[string]any{"a": 0.5}, pk.ErrJSONNumber, 5},
		{"big uint64", map[string]uint64{"a": 1 << 60}, pk.ErrJSONNumber, 5},
		{"duplicate", []byte(`{"a":1,"a":1}`), pk.ErrJSONDuplicateKey, 7},
		{"array", []byte(`[]`), pk.ErrJSONNotObject, 0},
		{"string value", "{}", pk.ErrJSONNotObject, 0},
		{"nil", nil, pk.ErrJSONNotObject, 0},
		{"syntax", []byte(`{"a":}`), pk.ErrInvalidJSON, 5},
		{"invalid UTF-8", []byte("{\"a\":\"\xff\"}"), pk.ErrInvalidJSON, 6},
		{"lone surrogate", []byte(`{"a":"\ud800"}`), pk.ErrInvalidJSON, 6},
		{"too deep", []byte(strings.Repeat(`{"a":`, newt.MaxJSONDepth+1)), pk.ErrInvalidJSON, -2},
		{"unmarshallable", map[string]any{"c": make(chan int)}, pk.ErrInvalidJSON, -1},
	} {
		_, err := s.SignJSON(tc.v)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: SignJSON error = %v, want %v", tc.name, err, tc.want)
			continue
		}
		var je *pk.JSONError
		if !errors.As(err, &je) {
			t.Errorf("%s: %T is not a *JSONError", tc.name, err)
			continue
		}
		if tc.offset != -2 && je.Offset != tc.offset {
			t.Errorf("%s: offset %d, want %d", tc.name, je.Offset, tc.offset)
		}
		if !strings.HasPrefix(err.Error(), "newt: ") {
			t.Errorf("%s: message %q lacks the prefix of package newt, which owns the JSON errors", tc.name, err)
		}
		if err := pk.VerifyJSON(tc.v, s.PublicKey(), newt.Ed25519Signature{}); !errors.Is(err, tc.want) {
			t.Errorf("%s: VerifyJSON error = %v", tc.name, err)
		}
	}
	if _, err := newt.CanonicalJSON([]byte(`[1.25]`)); !errors.Is(err, pk.ErrJSONNumber) {
		t.Errorf("CanonicalJSON: %v", err)
	}
}

// TestCanonicalJSON spot-checks the exported wrapper; the full rules are
// tested in internal/canonicaljson.
func TestCanonicalJSON(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"{\n    \"a\": -0,\n    \"b\": 1e10\n}", `{"a":0,"b":10000000000}`},
		{`{"b":"2","a":"1"}`, `{"a":"1","b":"2"}`},
		{`["\u0000\u001F\u007f\u2028</script>"]`, "[\"\\u0000\\u001f\x7f\u2028</script>\"]"},
		{`{"😀":1,"｡":2}`, `{"｡":2,"😀":1}`},
		{`{"signatures":1,"unsigned":2}`, `{"signatures":1,"unsigned":2}`},
	} {
		got, err := newt.CanonicalJSON([]byte(tc.in))
		if err != nil || string(got) != tc.want {
			t.Errorf("CanonicalJSON(%s) = %s, %v; want %s", tc.in, got, err, tc.want)
		}
	}
}

// TestGoValueEscapes checks that encoding/json's HTML escaping (\u003c,
// \u003e, \u0026) and its \u2028 escapes do not survive canonicalisation.
func TestGoValueEscapes(t *testing.T) {
	got, err := newt.CanonicalJSONForSigning(map[string]string{"a": "<b> & \u2028"})
	if want := "{\"a\":\"<b> & \u2028\"}"; err != nil || string(got) != want {
		t.Errorf("CanonicalJSONForSigning = %q, %v; want %q", got, err, want)
	}
}

func BenchmarkSignJSON(b *testing.B) {
	s := pk.GenerateSigning()
	device := []byte(`{"user_id":"@alice:localhost","device_id":"test_device","algorithms":["m.olm.v1.curve25519-aes-sha2","m.megolm.v1.aes-sha2"],"keys":{"curve25519:test_device":"F4uCNNlcbRvc7CfBz95ZGWBvY1ALniG1J8+6rhVoKS0","ed25519:test_device":"YI/7vbGVLpGdYtuceQR8MSsKB/QjgfMXM1xqnn+0NWU"}}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.SignJSON(device); err != nil {
			b.Fatal(err)
		}
	}
}
