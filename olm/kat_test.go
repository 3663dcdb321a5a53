// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package olm

// Known-answer tests on the deterministic cores. Every expected value comes
// from libolm 3.2.13 (libolm spec §11.5–§11.7), never from newt.

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"testing"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/internal/pickle"
)

var pickleKey = []byte("secret_key")

// §11.5 Olm script.
const (
	katAliceIdentity = `{"curve25519":"NYBy1jZYgNGu6jKa35EhODhR7SGijjt16WXQ0s0WYlQ","ed25519":"A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg"}`
	katAliceSig      = "SNSg4H46VEmd/gKnB1M3F+iDTPC35WPtGHeEIcSiT33KrpsrmYSDDG1JnRf+H3R36JSQGHMGUO/yxFiH5JuJBQ"
	katBobIdentity   = `{"curve25519":"Z13VdO13iTELPS52gfN5C0ZsdzsVIf7PNld5WDcepS8","ed25519":"JUO5L/EJVRFHatyDadtt3JM2ZaEZeN2hQE7hBmypVZ0"}`
	katBobOTKs       = `{"curve25519":{"AAAAAQ":"ST6C/HRGSlkmiBdiPSBTxeuOLMSpiLT+4XnsawENUx0"}}`
	katSessionID     = "5YJ2sIpPkHgSxneh4xbU5XxwG7ZNd6y4ZQasWHyiAoc"
	katM1            = "AwogST6C/HRGSlkmiBdiPSBTxeuOLMSpiLT+4XnsawENUx0SIGBacl0qSt/usaKeF+3WIcG3WT7ozbxErGxKtuL4BdI8GiA1gHLWNliA0a7qMprfkSE4OFHtIaKOO3XpZdDSzRZiVCI/Awog3CzKMejkO72R3/fkdcyjNH60eBB9W9dlq6SuSjDDXUQQACIQ+gQa4iZK58CFi3Q6S95kWEENNfaXV94d"
	katM1b           = "AwogST6C/HRGSlkmiBdiPSBTxeuOLMSpiLT+4XnsawENUx0SIGBacl0qSt/usaKeF+3WIcG3WT7ozbxErGxKtuL4BdI8GiA1gHLWNliA0a7qMprfkSE4OFHtIaKOO3XpZdDSzRZiVCI/Awog3CzKMejkO72R3/fkdcyjNH60eBB9W9dlq6SuSjDDXUQQASIQ1U1uhtWJf/nb2djm4Eh/jsffPMAURaNO"
	katM2            = "Awogc2hF1U6H3gnWuxFKpwQsUKSgFb2ZAdGgAm9ZVlM6FRkQACIQjVocXnT//r56v0Sy+aG4xG8Y0cFP56MV"
	katM3            = "Awoge06Qm75//kTEZaIgA31gjuNYl9Me+XLwf3SJLLD3PxMQACIQ/7Mssz04sf/NVfNy6OSWsLmXs04NQ8uZ"

	katAlicePickleAfterM1b = "va/9L8f5+7sjK3fS50j+h93jFdCjX5eOowR5U90q7EME4MdjCqqrwGZgrqVJz5PvJiNz5W2/VE8b9wY26XiwgM6PzcDwSNEgFLsfjH36xIUQJKOgtucSiKjP06lB12hKQ3Dp96F+PZZWcAhhEUxL5ZIgSqYMV3GJQfSemwXxV6OoQ0WVWlcf0Eta+um2VC+A+ypI54nd/jkjKkiF7AQpdlPw1+RAKBOZYxRC/9veqI0OL71zB0PM0ljxnp0Xux7rSfOeG5g7KNXP7XbPFl/B8HVzCn/7f6j2Wku8p95Sa7bv+l8md4CeayNIKXERCI+ZsF82LA0jF9fLLwhZXZTNJ0HwV9Pt2DFl"
	katBobPickleBefore     = "va/9L8f5+7sjK3fS50j+h93jFdCjX5eOowR5U90q7EME4MdjCqqrwGZgrqVJz5PvJiNz5W2/VE8b9wY26XiwgM6PzcDwSNEgFLsfjH36xIUQJKOgtucSiKjP06lB12hKQ3Dp96F+PZZWcAhhEUxL5ZIgSqYMV3GJQfSemwXxV6ORVgLINDC7Kv6QUk3Cq8YsjfoCMPm2+UuFK7eLiavZMy1gwr8mHsdnxIbDLbuz+GWi6Zjv+at6hJ1yqhTw75xA+jzfG1A2aASLYb8hx6LxRXB10pOuPwxUOmiK/ezyhlEPRCwmhujbWQ"
	katBobPickleAfterM2    = "dTV/hUfgsyqRPTwdGDRlLdCKXPZdiNgxvBpIpVIeYu4BY+O92kkYXv3Ad+6Zdwe4skY2AJy4AQ1B+HnhnLo7y6kljdqTj5DDqDf53F8ucReR4btTy8XZ92gMN0WYIAOpb8nDItfeIWHGeMPIl/Wyxxvco/UshmFe/hxfnkE7eQ0e1e+vAosAn0ViyD+NG9Msu08qwyuhYDTgj13KtQxBISBycN6VU6MCxopGowRsvx/iXEXAK1I+D6TxnkmUqrkrN2vdjV4x1E2ubaaff+N+9ZQ+aQv2/nJfXUyizJMXSjehBOagmiXL4nOvd5HlaPrQD5jg8e+2vWXDPM2OGstk1IMzW7u3wsnjVoDlJVzEF0b+yco3Qtxjf3ShSA+RoGU+DLfZoEg8Z4F1GwopQ/N4/rQrIdHUtmT5pT0QcdIHrGve7dikBJVGsA"
	katAliceFinalPickle    = "dTV/hUfgsyqRPTwdGDRlLdCKXPZdiNgxvBpIpVIeYu4BY+O92kkYXv3Ad+6Zdwe4skY2AJy4AQ1B+HnhnLo7y6kljdqTj5DDqDf53F8ucReR4btTy8XZ92gMN0WYIAOplJ06wuM4yJ3IvTJep45/2GOfY+r7ATsP3jYWJ7+XyzXsrLuDK6vSdv6PGC2nubmsG5KJbhpxVeXnLl0gY2hvDwvstlaX6pwmvlmRZII/J3j7ZtbJXlau0cOt00QRCJJsCj2F5NFIOcwsxwyHY473HQOJXTd2RyebSqKEP3Z/DpnkFhHNnqQbC7l/Mm4zAW+gUjV/75XEmXgpouEzbqQoRaSslftExyW/pstcWVO2ywKoMLByHEeRpFNMf0tVnputbmxsGNyG5EcOsJ6mO1s5uZOVyphAJQHJc7Fre2qiXkc7saXKY9UHng"
	katBobFinalPickle      = "dTV/hUfgsyqRPTwdGDRlLdCKXPZdiNgxvBpIpVIeYu4BY+O92kkYXv3Ad+6Zdwe4skY2AJy4AQ1B+HnhnLo7y6kljdqTj5DDqDf53F8ucReR4btTy8XZ92gMN0WYIAOplJ06wuM4yJ3IvTJep45/2GOfY+r7ATsP3jYWJ7+XyzVg1Ii0fAPjetmLQwlUF9ygBXR9mXBqW96ne+l3OoHsjSzWK1JDd8T+xUQ/dFOLU+cnGwhc6HKGfFxb+cL8ULfBSfw2DIP7cRiIyhTRlZuYpG3Zdj+NMggqv7vReqxZbzHUlS0gP7U6cYZCSy66U2BFcGmdm/xBS6jjvHvAULtqBz3/1N4wjmk/j9at0kaJi8e1DE3U8JyQWoGuUg99WU5VIE/ONhfBjxw"
)

// §11.6 account vectors (random 00..3f).
const (
	katAccountPickle         = "tHRzF4tE1ou4UaK3jCAp1ZKpWXfFSfDcIZONqfaJiZigMWsLQ+LkyWoVv3/k7G0pZPapFIRpVTbn4qF6sYkVGdKBftunCre6SFFWJ63JPRxAUSV/n+pR5BX3Ate23Xw/LbGu+hfqGyIsYsHsMY1OhCbqHhhKDKM8udMMRJx6z9F233rgc9gOHp7N3SsqwwnkBi8QlShf/qD1fRIvE+A1NkEL7B5NQn8alqKXSVfVYV6yjYWCGxeb3Q"
	katAccountPickleEmptyKey = "0cU9WW9yBDqJFhEnscz/4+0yPBSQ4XSfi6u31F4aJX48VLKTzdNeE7V/dvsxv4zAV2LzDhk5/9rhWWOKvKfcYOon/VBlmrhwAYqYE12gZi6l9kYnCxw3ok+6wfngUm3wdWebSLtNXqCPVU8mL6z2mghVTlw/dbU+UmfQhw/W466mvxCK/Qi3nM66yJxFhctg/kS0ZcB4lUcOevjpDULTW2BlrAy/0BPTnxRFHoe7+BqxoEKfPqYmMg"
	katTwoOTKs               = `{"curve25519":{"AAAAAg":"Z13VdO13iTELPS52gfN5C0ZsdzsVIf7PNld5WDcepS8","AAAAAQ":"eaYx7t4b+cmPEgMs3q3Q56B5OY/HhriMyEbsia+FpRo"}}`
	katFallbackJSON          = `{"curve25519":{"AAAAAw":"ST6C/HRGSlkmiBdiPSBTxeuOLMSpiLT+4XnsawENUx0"}}`
	katAccountPickleKeys     = "tHRzF4tE1ou4UaK3jCAp1ZKpWXfFSfDcIZONqfaJiZigMWsLQ+LkyWoVv3/k7G0pZPapFIRpVTbn4qF6sYkVGdKBftunCre6SFFWJ63JPRxAUSV/n+pR5BX3Ate23Xw/LbGu+hfqGyIsYsHsMY1OhCbqHhhKDKM8udMMRJx6z9F233rgc9gOHp7N3SsqwwnkBi8QlShf/qD1fRIvE+A1NrV/1blWJg4akZoKo8kl06SSgj5Q2mlR86oqMs2G39eZDkz9wy/ZjOmeC6FcN/miMDTVOGF+C4V0FXrN/CO6XrcDrSAEydggBMu0JsAE4fyDzCOtLfk4Shdz1f4lDmLCak+eQK3DmzGgKwhWgKlJKrxCZdKw5yaBPVo6YKloU3eqlWZWAkqqLiwsP87+zgyE+qXfewnLGRU5EHuGuG2bJEZ9WcidZbGJ5P+lf0Z6vnrNv7wHyqS/SFn92u0n0nPyrs/nd7voo1dn/+6OJy5ktmjEz/11ytQHPXg0jrgK0sRtYmXkK1JlvBo"
	katAccountPickleMarked   = "tHRzF4tE1ou4UaK3jCAp1ZKpWXfFSfDcIZONqfaJiZigMWsLQ+LkyWoVv3/k7G0pZPapFIRpVTbn4qF6sYkVGdKBftunCre6SFFWJ63JPRxAUSV/n+pR5BX3Ate23Xw/LbGu+hfqGyIsYsHsMY1OhCbqHhhKDKM8udMMRJx6z9F233rgc9gOHp7N3SsqwwnkBi8QlShf/qD1fRIvE+A1NsmnTBZehaLgpXJOg5+8KWwrPGEHmqZ2slnsDpmLSBVcAzR2K2kWPcJDuOE0ovstN9EMy0Y2BIq5HQbsyBo4RZx/8w4cEIoKsDeyzPUD2Djdu32AnoRNS9ax8KL9S/yftf8H7AdTd04dUVHvtcdpMkL4JHrX1MWSr9HSqwnvtk7HqyKgcA65Lo3UnJloePdVYnmHUXntRfypGoMO4jMBjmCNuckOUvDBJnMqKpxs2TyDj93125lD+8kBH9vZOP54ttNzhhPUi3juoces4agbwIhtP9z1PkXpLpiM88aHi39dwcH4R5uLw/4"
)

// §11.7 fixed pickles from libolm's own tests.
const (
	katV1AccountPickle = "x3h9er86ygvq56pM1yesdAxZou4ResPQC9Rszk/fhEL9JY/umtZ2N/foL/SUgVXSv0IxHHZTafYjDdzJU9xr8dQeBoOTGfV9E/lCqDGBnIlu7SZndqjEKXtzGyQr4sP4K/A/8TOu9iK2hDFszy6xETiousHnHgh2ZGbRUh4pQx+YMm8ZdNZeRnwFGLnrWyf9O5TmXua1FcU"
	katV3AccountPickle = "0mSqVn3duHffbhaTbFgW+4JPlcRoqT7z0x4mQ72N+g+eSAk5sgcWSoDzKpMazgcB46ItEpChthVHTGRA6PD3dly0dUs4ji7VtWTa+1tUv1UbxP92uYf1Ae3fomX0yAoHOjSrz1+RmuXr+At8jsmsf260sKvhB6LnI3qYsrw6AAtpgk5d5xZd66sLxvvYUuai+SmmcmT0bHosLTuDiiB9amBvPKkUKtKZmaEAl5ULrgnJygp1/FnwzVfSrw6PBSX6ZaUEZHZGX1iI6/WjbHqlTQeOQjtaSsPaL5XXpteS9dFsuaANAj+8ks7Ut2Hwg/JPIh/ERYBwiMh9Mt3zSAG0NkvgUkcdipKxoSNZ6t+TkqZrN6jG6VCbx+4YpJO24iJbShZy8n79aePIgIsxX94ycsTq1ic38sCRSkWGVbCSRkPloHW7ZssLHA"
	katV1SessionPickle = "wkEpwMgiAqD7B1/Lw2cKYYDcUZVOd9QHes7ZroWxr/Rp/nWEAySgRsIu/a54YhO67rwitrLpos7tFxxK9IZ7pKB1qrR1coVWIt78V9lp9WgmBAvxHBSY+tu1lkL/JjLi963/yFdPancZ+WHMVfaKlV3gWGpo7EfNK6qAOxI1Ea/eCsE2sYrsHEDvLLGlKAA9E56rmmoe2w6TKzsQjsZM2/XT2eJ82EgMO9pL02iLElXWmGNv72Ut7DouR0pQIT50HIEEKcFxYcoTb3WCfJD76CoesE4kx+TA6d45Xu1bwQNNkTGF+nCCu/GmKY+sECXbz9U6WhxG0YdF9Z4T8YkWYAgpKNS0FWRV"
	katV2SessionPickle = "m+DS/q34MXpw2xp50ZD0B7val1mlMpQXo0mx+VPje0weFYRRuuZQBdJgcFPEpi2MVSpA4cqgqHyj2/bU7/lz+BXkEBrCFVx0BJidxXfOLDW4TNtRhLS1YHJNGP8GvTg1+dCytBTLsCdm5f945Eq1U/pY3Cg96YTUufFP6EYrfRoDbAsRHc+h+wKKftQv+W44yUmRhcCemGHtpxk3UQAMCI7EBv9BvveyZMy3p9qZ3xvFK34Hef+R7gjtFycz7Nk/4UF46sT3cTmUlXz9iFW4uz2FrTI1Wjym+l0DadsbSpHSUjmp9zt4qRP2UjwfZ5QNLv+cdObIfqFsiThGu/PlKigdF4SLHrnG"
	katDecryptPickle   = "E0p44KO2y2pzp9FIjv0rud2wIvWDi2dx367kP4Fz/9JCMrH+aG369HGymkFtk0+PINTLB9lQRtohea5d7G/UXQx3r5y4IWuyh1xaRnojEZQ9a5HRZSNtvmZ9NY1f1gutYa4UtcZcbvczN8b/5Bqge16cPUH1v62JKLlhoAJwRkH1wU6fbyOudERg5gdXA971btR+Q2V8GKbVbO5fGKL5phmEPVXyMsrfjLdzQrgjOTxN8Pf6iuP+WFPvfnR9lDmNCFxJUVAdLIMnLuAdxf1TGcS+zzCzEE8btIZ99mHFdGvPXeH8qLeNZA"
)

// seq returns n bytes start, start+1, ... (mod 256).
func seq(start byte, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = start + byte(i)
	}
	return b
}

func seq64(start byte) *[64]byte { return (*[64]byte)(seq(start, 64)) }

func seq32(start byte) *[32]byte { return (*[32]byte)(seq(start, 32)) }

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func checkString(t *testing.T, what, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("%s =\n  %s\nwant\n  %s", what, got, want)
	}
}

func mustParse(t *testing.T, typ MessageType, body string) EncryptedMessage {
	t.Helper()
	m, err := ParseEncryptedMessage(typ, body)
	if err != nil {
		t.Fatalf("parse %s: %v", body, err)
	}
	return m
}

// TestAliceBobKAT runs the whole libolm spec §11.5 script.
func TestAliceBobKAT(t *testing.T) {
	alice := newAccount(seq64(0x00))
	bob := newAccount(seq64(0x40))
	checkString(t, "Alice identity", string(alice.IdentityKeysJSON()), katAliceIdentity)
	checkString(t, "Bob identity", string(bob.IdentityKeysJSON()), katBobIdentity)
	checkString(t, "Alice sign", alice.Sign([]byte("Hello, World")).String(), katAliceSig)
	if len(alice.IdentityKeysJSON()) != IdentityKeysJSONSize {
		t.Error("identity JSON length")
	}

	gen := bob.generateOneTimeKeys(1, seq(0x80, 32))
	if len(gen.Created) != 1 || gen.Created[0].ID != newt.NewKeyID(1) || len(gen.Removed) != 0 {
		t.Fatalf("generation result %+v", gen)
	}
	checkString(t, "Bob OTKs", string(bob.OneTimeKeysJSON()), katBobOTKs)
	bobKeys := bob.IdentityKeys()
	otk := bob.OneTimeKeys()[0].Key

	aliceSession, err := alice.newOutboundSession(bobKeys.Curve25519, otk, seq64(0xa0))
	if err != nil {
		t.Fatal(err)
	}
	checkString(t, "session ID", aliceSession.ID(), katSessionID)
	if aliceSession.MessageType() != MessageTypePreKey || aliceSession.HasReceivedMessage() {
		t.Error("a new outbound session must send pre-key messages")
	}

	m1, err := aliceSession.encrypt([]byte("Hello, Bob"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if m1.Type() != MessageTypePreKey {
		t.Fatalf("m1 type %d", m1.Type())
	}
	checkString(t, "m1", m1.Base64(), katM1)
	if len(m1.Bytes()) != 168 {
		t.Errorf("m1 is %d bytes, want 168", len(m1.Bytes()))
	}
	m1b, err := aliceSession.encrypt([]byte("Hello again"), nil)
	if err != nil {
		t.Fatal(err)
	}
	checkString(t, "m1b", m1b.Base64(), katM1b)
	checkString(t, "Alice pickle after m1b", string(aliceSession.Pickle(pickleKey)), katAlicePickleAfterM1b)

	// Bob's session as libolm has it before the first decrypt.
	pre := mustParse(t, MessageTypePreKey, katM1).(*PreKeyMessage)
	if pre.SessionID() != katSessionID {
		t.Errorf("pre-key SessionID = %s", pre.SessionID())
	}
	bob.mu.Lock()
	bobBefore, oneTime, err := bob.newInboundSession(pre)
	bob.mu.Unlock()
	if err != nil || !oneTime {
		t.Fatalf("newInboundSession: %v, %v", oneTime, err)
	}
	checkString(t, "Bob pickle before decrypt", string(bobBefore.Pickle(pickleKey)), katBobPickleBefore)

	accountBefore := bob.Pickle(pickleKey)
	bobSession, pt, err := bob.NewInboundSession(pre)
	if err != nil || string(pt) != "Hello, Bob" {
		t.Fatalf("NewInboundSession = %q, %v", pt, err)
	}
	if (bob.Pickle(pickleKey) == accountBefore) || len(bob.OneTimeKeys()) != 0 {
		t.Error("the one-time key was not consumed")
	}
	checkString(t, "Bob session ID", bobSession.ID(), katSessionID)
	if !bobSession.Matches(pre) || !bobSession.MatchesFrom(alice.IdentityKeys().Curve25519, pre) {
		t.Error("Bob's session does not match m1")
	}
	if pt, err := bobSession.Decrypt(mustParse(t, MessageTypePreKey, katM1b)); err != nil || string(pt) != "Hello again" {
		t.Fatalf("Bob decrypt m1b = %q, %v", pt, err)
	}
	before := bobSession.Pickle(pickleKey)
	if _, err := bobSession.Decrypt(pre); !errors.Is(err, ErrMissingMessageKey) {
		t.Fatalf("replay of m1: %v, want ErrMissingMessageKey (libolm: BAD_MESSAGE_MAC)", err)
	}
	if before != bobSession.Pickle(pickleKey) {
		t.Fatal("replay changed the session")
	}

	m2, err := bobSession.encrypt([]byte("Hello, Alice"), seq(0xe0, 32))
	if err != nil {
		t.Fatal(err)
	}
	if m2.Type() != MessageTypeNormal {
		t.Fatal("Bob's reply should be a normal message")
	}
	checkString(t, "m2", m2.Base64(), katM2)
	checkString(t, "Bob pickle after m2", string(bobSession.Pickle(pickleKey)), katBobPickleAfterM2)

	if pt, err := aliceSession.Decrypt(mustParse(t, MessageTypeNormal, katM2)); err != nil || string(pt) != "Hello, Alice" {
		t.Fatalf("Alice decrypt m2 = %q, %v", pt, err)
	}
	if !aliceSession.HasReceivedMessage() || aliceSession.MessageType() != MessageTypeNormal {
		t.Fatal("Alice should send normal messages now")
	}
	m3, err := aliceSession.encrypt([]byte("Third"), bytes.Repeat([]byte{0x11}, 32))
	if err != nil {
		t.Fatal(err)
	}
	checkString(t, "m3", m3.Base64(), katM3)
	checkString(t, "Alice final pickle", string(aliceSession.Pickle(pickleKey)), katAliceFinalPickle)
	if pt, err := bobSession.Decrypt(m3); err != nil || string(pt) != "Third" {
		t.Fatalf("Bob decrypt m3 = %q, %v", pt, err)
	}
	checkString(t, "Bob final pickle", string(bobSession.Pickle(pickleKey)), katBobFinalPickle)

	// Every pickle loads and writes back byte for byte.
	for _, p := range []string{katAlicePickleAfterM1b, katBobPickleBefore, katBobPickleAfterM2, katAliceFinalPickle, katBobFinalPickle} {
		s, err := SessionFromPickle(p, pickleKey)
		if err != nil {
			t.Fatalf("SessionFromPickle: %v", err)
		}
		checkString(t, "re-pickle", string(s.Pickle(pickleKey)), p)
		checkString(t, "unpickled session ID", s.ID(), katSessionID)
	}
}

// TestAccountKAT checks the §11.6 account vectors.
func TestAccountKAT(t *testing.T) {
	a := newAccount(seq64(0x00))
	checkString(t, "fresh pickle", string(a.Pickle(pickleKey)), katAccountPickle)
	checkString(t, "fresh pickle, key \"\"", string(a.Pickle(nil)), katAccountPickleEmptyKey)
	checkString(t, "fresh pickle, key \"\" (empty slice)", string(a.Pickle([]byte{})), katAccountPickleEmptyKey)

	a.generateOneTimeKeys(2, seq(0x40, 64))
	checkString(t, "2 OTKs", string(a.OneTimeKeysJSON()), katTwoOTKs)
	a.generateFallbackKey(seq32(0x80))
	checkString(t, "fallback", string(a.UnpublishedFallbackKeyJSON()), katFallbackJSON)
	checkString(t, "fallback (deprecated API)", string(a.FallbackKeyJSON()), katFallbackJSON)
	p := a.Pickle(pickleKey)
	checkString(t, "pickle with keys", string(p), katAccountPickleKeys)

	raw, err := pickle.Decrypt(pickleKey, []byte(p))
	if err != nil {
		t.Fatal(err)
	}
	if len(raw) != 380 {
		t.Errorf("raw pickle is %d bytes, want 380", len(raw))
	}
	if binary.BigEndian.Uint32(raw) != 4 || !bytes.Equal(raw[132:164], seq(0x20, 32)) {
		t.Errorf("raw pickle head %x", raw[:200])
	}

	if n := a.MarkKeysAsPublished(); n != 2 {
		t.Errorf("MarkKeysAsPublished = %d, want 2", n)
	}
	checkString(t, "marked", string(a.Pickle(pickleKey)), katAccountPickleMarked)
	checkString(t, "OTKs after publishing", string(a.OneTimeKeysJSON()), `{"curve25519":{}}`)
	checkString(t, "unpublished fallback after publishing", string(a.UnpublishedFallbackKeyJSON()), `{"curve25519":{}}`)
	checkString(t, "fallback after publishing", string(a.FallbackKeyJSON()), katFallbackJSON)

	for _, v := range []struct {
		pickle string
		key    []byte
	}{{katAccountPickle, pickleKey}, {katAccountPickleEmptyKey, nil}, {katAccountPickleKeys, pickleKey}, {katAccountPickleMarked, pickleKey}} {
		b, err := AccountFromPickle(v.pickle, v.key)
		if err != nil {
			t.Fatal(err)
		}
		checkString(t, "account re-pickle", string(b.Pickle(v.key)), v.pickle)
	}
}

// TestOneTimeKeyCapacity checks §11.6: of 101 keys, 100 are kept, IDs
// AAAAZQ (101) down to AAAAAg (2), and the JSON is 5516 bytes.
func TestOneTimeKeyCapacity(t *testing.T) {
	a := newAccount(seq64(0))
	random := make([]byte, 32*101)
	for i := range random {
		random[i] = byte(i * 7)
	}
	// The deterministic core takes only the randomness of the keys kept.
	gen := a.generateOneTimeKeys(101, random[32:])
	if len(gen.Created) != 100 || len(gen.Removed) != 0 {
		t.Fatalf("created %d, removed %d", len(gen.Created), len(gen.Removed))
	}
	keys := a.OneTimeKeys()
	if len(keys) != MaxOneTimeKeys {
		t.Fatalf("%d keys kept", len(keys))
	}
	if keys[0].ID.String() != "AAAAZQ" || keys[99].ID.String() != "AAAAAg" {
		t.Errorf("IDs %s..%s", keys[0].ID, keys[99].ID)
	}
	if n := len(a.OneTimeKeysJSON()); n != 5516 {
		t.Errorf("JSON length %d, want 5516", n)
	}
	// One more key evicts the oldest (ID 2).
	gen = a.generateOneTimeKeys(1, random[:32])
	if len(gen.Removed) != 1 || gen.Removed[0].ID != newt.NewKeyID(2) || gen.Created[0].ID != newt.NewKeyID(102) {
		t.Errorf("generation result %+v", gen)
	}
	if MaxOneTimeKeys != 100 {
		t.Error("MaxOneTimeKeys is not libolm's 100")
	}
}

// TestOldPickles checks the §11.7 pickles from libolm's own tests.
func TestOldPickles(t *testing.T) {
	if _, err := AccountFromPickle(katV1AccountPickle, nil); !errors.Is(err, ErrLegacyAccountPickle) {
		t.Errorf("v1 account: %v, want ErrLegacyAccountPickle", err)
	}

	a, err := AccountFromPickle(katV3AccountPickle, nil)
	if err != nil {
		t.Fatalf("v3 account: %v", err)
	}
	checkString(t, "v3 fallback", string(a.FallbackKeyJSON()), `{"curve25519":{"AAAAAQ":"dr98y6VOWt6lJaQgFVZeWY2ky76mga9MEMbdItJTdng"}}`)
	checkString(t, "v3 unpublished fallback", string(a.UnpublishedFallbackKeyJSON()), `{"curve25519":{}}`)
	checkString(t, "v3 OTKs", string(a.OneTimeKeysJSON()), `{"curve25519":{}}`)
	raw, err := pickle.Decrypt(nil, []byte(a.Pickle(nil)))
	if err != nil {
		t.Fatal(err)
	}
	if binary.BigEndian.Uint32(raw) != 4 {
		t.Errorf("re-pickled version %d, want 4", binary.BigEndian.Uint32(raw))
	}
	// v4 layout: 0 OTKs, 1 fallback key (id 1, published), next id 1.
	tail := raw[4+96+64:]
	if binary.BigEndian.Uint32(tail) != 0 || tail[4] != 1 || binary.BigEndian.Uint32(tail[5:]) != 1 || tail[9] != 1 ||
		len(tail) != 4+1+69+4 || binary.BigEndian.Uint32(tail[len(tail)-4:]) != 1 {
		t.Errorf("re-pickled v3 account tail %x", tail)
	}

	// V1 session pickle and its expected fields.
	s1, err := SessionFromPickle(katV1SessionPickle, pickleKey)
	if err != nil {
		t.Fatalf("V1 session: %v", err)
	}
	checkString(t, "V1 session ID", s1.ID(), "EHHoF8Sal4esfrEiHZRjHX0uMTN04XTiolGxD0NLRFE")
	checkString(t, "V1 re-pickle", string(s1.Pickle(pickleKey)), katV1SessionPickle)
	raw, err = pickle.Decrypt(pickleKey, []byte(katV1SessionPickle))
	if err != nil {
		t.Fatal(err)
	}
	want := []byte{0, 0, 0, 1, 0}
	want = append(want, unhex(t, "7326b58623a3f7bd8da11a1bab51f432c02a7430241b326e9fc8916a21eb257e")...)
	want = append(want, unhex(t, "0ab4b30bde20bd374ceccc72861660f0fd046f7516900796c3e5de41c598316c")...)
	want = append(want, unhex(t, "585dba930b10d90d81702c715f4085d07c42b0cd2d676010bb6086c86c4cc618")...)
	want = append(want, unhex(t, "49d640dc96b80176694af69fc4b8ca9fac49aecbd697d01fd8bee1ed2693b6c9")...)
	want = append(want, 0, 0, 0, 1)
	want = append(want, unhex(t, "f77a03eaa9b301fa7d2a5aa6b50286906de12cc96044f526dbbcb12839ad7003")...)
	want = append(want, unhex(t, "d945c6ed4c7c277117adf11fb133a7936d287afe97c0b3ac989644b4490d4f31")...)
	want = append(want, unhex(t, "6ef9c136cb1379d047cac40ee8ffc31de390c1bc8bd5f2b1473240fa38b85a40")...)
	want = append(want, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
	if !bytes.Equal(raw, want) {
		t.Errorf("V1 session plaintext\n%x\nwant\n%x", raw, want)
	}
	if s1.HasReceivedMessage() || s1.MessageType() != MessageTypePreKey {
		t.Error("V1 session: received must be false")
	}
	if got := s1.Describe(); got != "sender chain index: 0 receiver chain indices: skipped message keys:" {
		t.Errorf("V1 session Describe = %q", got)
	}

	// V2 (0x80000001) is the same state plus an ignored u32; it is
	// re-pickled as version 1.
	s2, err := SessionFromPickle(katV2SessionPickle, pickleKey)
	if err != nil {
		t.Fatalf("V2 session: %v", err)
	}
	checkString(t, "V2 re-pickle", string(s2.Pickle(pickleKey)), katV1SessionPickle)
}

// TestOlmDecryptRegressions checks libolm's test_olm_decrypt.cpp cases: the
// test passes hex-decoded bytes as the base64 body; each must fail with
// BAD_MESSAGE_FORMAT and leave the session unchanged.
func TestOlmDecryptRegressions(t *testing.T) {
	s, err := SessionFromPickle(katDecryptPickle, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !s.HasReceivedMessage() {
		t.Error("received must be true")
	}
	before := s.Pickle(nil)
	for _, c := range []string{"41776f", "7fff6f0101346d671201", "ee776f41496f674177804177778041776f6716670a677d6f670a67c2677d", "e9e9c9c1e9e9c9e9c9c1e9e9c9c1"} {
		body := string(unhex(t, c))
		m, err := ParseEncryptedMessage(MessageTypePreKey, body)
		if err == nil {
			_, err = s.Decrypt(m)
		}
		if !errors.Is(err, ErrBadMessageFormat) {
			t.Errorf("case %s: %v, want ErrBadMessageFormat", c, err)
		}
		// The raw bytes as a message must fail too.
		if m, err := NewPreKeyMessage([]byte(body)); err == nil {
			if _, err := s.Decrypt(m); err == nil {
				t.Errorf("case %s decrypted", c)
			}
		}
	}
	if before != s.Pickle(nil) {
		t.Error("session changed")
	}
}

func TestKeyIDs(t *testing.T) {
	for id, want := range map[uint32]string{1: "AAAAAQ", 2: "AAAAAg", 255: "AAAA/w", 256: "AAABAA", 0xFFFFFFFF: "/////w"} {
		checkString(t, "key id", newt.NewKeyID(id).String(), want)
	}
}

// TestSessionFailureSemantics reaches the ratchet's checks through a
// session, bypassing the strict message decoder, and checks that each
// failure leaves the session pickle identical and the next genuine message
// still decrypts.
func TestSessionFailureSemantics(t *testing.T) {
	// Bob after decrypting m3: no sender chain, receiver chains for
	// Alice's ratchet keys.
	// Bob after m2 has a sender chain and has not seen m3.
	load := func(p string) *Session {
		s, err := SessionFromPickle(p, pickleKey)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	m3 := rawOf(t, katM3)
	forge := func(f func(b []byte) []byte) *Message {
		return &Message{raw: f(bytes.Clone(m3))}
	}
	low := make([]byte, 32) // the zero point, of low order
	cases := []struct {
		name   string
		pickle string
		msg    *Message
		target error
	}{
		{"bad MAC", katBobPickleAfterM2, forge(func(b []byte) []byte { b[len(b)-1] ^= 1; return b }), ErrBadMAC},
		{"bad version", katBobPickleAfterM2, forge(func(b []byte) []byte { b[0] = 4; return b }), ErrBadVersion},
		{"malformed", katBobPickleAfterM2, forge(func(b []byte) []byte { return b[:20] }), ErrBadMessageFormat},
		{"empty", katBobPickleAfterM2, &Message{raw: []byte{}}, ErrBadMessageFormat},
		{"replay", katBobFinalPickle, forge(func(b []byte) []byte { return b }), ErrMissingMessageKey},
		{"unknown chain", katBobFinalPickle, forge(func(b []byte) []byte { b[5] ^= 1; return b }), ErrUnknownChain},
	}
	for _, c := range cases {
		s := load(c.pickle)
		before := s.Pickle(pickleKey)
		if _, err := s.Decrypt(c.msg); !errors.Is(err, c.target) {
			t.Errorf("%s: %v, want %v", c.name, err, c.target)
		}
		if before != s.Pickle(pickleKey) {
			t.Errorf("%s: session changed", c.name)
		}
	}

	// Alice after m3 has a sender chain: a new chain with a low-order
	// ratchet key fails in the DH step; one with a huge counter fails the
	// gap check before any key is derived.
	alice, err := SessionFromPickle(katAliceFinalPickle, pickleKey)
	if err != nil {
		t.Fatal(err)
	}
	before := alice.Pickle(pickleKey)
	m2 := rawOf(t, katM2)
	lowMsg := bytes.Clone(m2)
	copy(lowMsg[3:35], low)
	if _, err := alice.Decrypt(&Message{raw: lowMsg}); !errors.Is(err, ErrNonContributory) {
		t.Errorf("low-order ratchet key: %v", err)
	}
	far := bytes.Clone(m2)
	copy(far[3:35], seq(0x55, 32))
	far = append(far[:35:35], append([]byte{0x10, 0xd1, 0x0f}, far[37:]...)...) // counter 2001
	var gap *MessageGapError
	if _, err := alice.Decrypt(&Message{raw: far}); !errors.As(err, &gap) || gap.Gap != 2001 {
		t.Errorf("counter 2001 on a new chain: %v", err)
	}
	if before != alice.Pickle(pickleKey) {
		t.Error("Alice's session changed")
	}
	// After all this, the genuine m3 still decrypts.
	bob := load(katBobPickleAfterM2)
	if pt, err := bob.Decrypt(mustParse(t, MessageTypeNormal, katM3)); err != nil || string(pt) != "Third" {
		t.Errorf("m3: %q, %v", pt, err)
	}
	checkString(t, "Bob after m3", string(bob.Pickle(pickleKey)), katBobFinalPickle)
}
