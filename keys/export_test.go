// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package keys

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/newt-e2ee/newt/megolm"
)

// Small iteration counts keep the tests fast; the count does not change the
// format.
const testRounds = 1000

func encryptToString(t testing.TB, pass string, ss []*ExportedSession) string {
	t.Helper()
	var buf bytes.Buffer
	if err := EncryptExport(&buf, []byte(pass), testRounds, ss); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestExportRoundTrip(t *testing.T) {
	ss := testSessions(t, 7, 3)
	ss[1].SharedHistory = true
	ss[2].ForwardingCurve25519KeyChain = []string{"a", "b\u2028<&>\"\\"}
	ss[3].SenderClaimedKeys["other"] = "x\x01y"
	ss[4].RoomID = "!\u65e5\u672c:example.org"
	text := encryptToString(t, "correct horse", ss)

	r, err := DecryptExport(strings.NewReader(text), []byte("correct horse"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got, bad := readAll(t, r)
	if len(bad) != 0 || len(got) != len(ss) {
		t.Fatalf("got %d sessions and %v, want %d", len(got), bad, len(ss))
	}
	for i := range ss {
		sameSession(t, ss[i], got[i])
	}

	// Every session imports and decrypts its room's messages.
	g, s := testSession(t, "!x:example.org", 2)
	text = encryptToString(t, "p", []*ExportedSession{s})
	msg := g.Encrypt([]byte("hello"))
	rep, err := ImportExport(strings.NewReader(text), []byte("p"), nil, func(e *ExportedSession, igs *megolm.InboundGroupSession) error {
		if igs.IsVerified() {
			t.Error("a session from a file is verified")
		}
		pt, idx, err := igs.Decrypt(msg)
		if err != nil || string(pt) != "hello" || idx != 2 {
			t.Errorf("imported session: %q %d %v", pt, idx, err)
		}
		return nil
	})
	if err != nil || rep.Imported != 1 || len(rep.Failed) != 0 {
		t.Fatalf("ImportExport: %+v, %v", rep, err)
	}
}

func TestExportEmpty(t *testing.T) {
	text := encryptToString(t, "p", nil)
	r, err := DecryptExport(strings.NewReader(text), []byte("p"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if s, err := r.Next(); err != io.EOF {
		t.Fatalf("Next on an empty export: %v, %v", s, err)
	}
}

// TestExportWriterLayout checks the armor newt writes: Element Web's layout,
// which Element, matrix-rust-sdk and mautrix-go all read (the first needs
// the END line, the last a final newline and padding).
func TestExportWriterLayout(t *testing.T) {
	text := encryptToString(t, "p", testSessions(t, 3, 1))
	if !strings.HasPrefix(text, armorBegin+"\n") || !strings.HasSuffix(text, "\n"+armorEnd+"\n") {
		t.Fatalf("armor lines:\n%s", text)
	}
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	body := lines[1 : len(lines)-1]
	for i, l := range body {
		if i < len(body)-1 && len(l) != 128 {
			t.Fatalf("line %d has %d characters", i, len(l))
		}
		if i < len(body)-1 && strings.Contains(l, "=") {
			t.Fatalf("padding inside the body on line %d", i)
		}
	}
	raw, err := base64.StdEncoding.Strict().DecodeString(strings.Join(body, ""))
	if err != nil {
		t.Fatalf("body is not padded standard base64: %v", err)
	}
	if raw[0] != 1 || binaryRounds(raw) != testRounds {
		t.Fatalf("header: version %d rounds %d", raw[0], binaryRounds(raw))
	}
}

func binaryRounds(body []byte) uint32 {
	return uint32(body[33])<<24 | uint32(body[34])<<16 | uint32(body[35])<<8 | uint32(body[36])
}

// TestExportIVBit63 checks that every IV newt writes has bit 63 clear, the
// top bit of the low half of the counter block (Element Web clears
// iv[8]&0x80; mautrix-go clears iv[7]&0x01 instead).
func TestExportIVBit63(t *testing.T) {
	var salt [16]byte
	for i := range 64 {
		var iv [16]byte
		for j := range iv {
			iv[j] = 0xff
		}
		iv[0] = byte(i)
		var buf bytes.Buffer
		w, err := newExportWriter(&buf, []byte("p"), 1, &salt, &iv)
		if err != nil {
			t.Fatal(err)
		}
		w.Close()
		body := decodeArmorForTest(t, buf.String())
		if body[17+8]&0x80 != 0 || body[17+7] != 0xff {
			t.Fatalf("IV written as %x", body[17:33])
		}
	}
	// And the random ones.
	for range 64 {
		body := decodeArmorForTest(t, encryptToString(t, "p", nil))
		if body[17+8]&0x80 != 0 {
			t.Fatalf("IV written as %x", body[17:33])
		}
	}
}

func decodeArmorForTest(t testing.TB, text string) []byte {
	t.Helper()
	body, err := readArmor(strings.NewReader(text), DefaultMaxExportSize, 0)
	if err != nil {
		t.Fatal(err)
	}
	return body
}

// TestExportCounterWidth: newt decrypts with a 128-bit counter, as
// matrix-rust-sdk does. Under an IV whose low half wraps inside the file
// (which no conforming writer produces; mautrix-go can, since it clears the
// wrong bit), only the 128-bit encryption reads back; under a conforming IV
// the two widths give the same file.
func TestExportCounterWidth(t *testing.T) {
	pt, _ := json.Marshal([]json.RawMessage{})
	pt = append(pt, bytes.Repeat([]byte(" "), 100)...) // several blocks
	salt := make([]byte, 16)
	wrapping := []byte{0, 1, 2, 3, 4, 5, 6, 7, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe}
	conforming := []byte{0, 1, 2, 3, 4, 5, 6, 7, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe}

	read := func(body []byte) error {
		r, err := DecryptExport(strings.NewReader(armor(body)), []byte("p"), nil)
		if err != nil {
			return err
		}
		_, err = r.Next()
		return err
	}
	if err := read(sealBody(t, 1, salt, wrapping, 10, "p", pt, false)); err != io.EOF {
		t.Fatalf("128-bit counter, wrapping IV: %v", err)
	}
	if err := read(sealBody(t, 1, salt, wrapping, 10, "p", pt, true)); !errors.Is(err, ErrBadExport) {
		t.Fatalf("64-bit counter, wrapping IV: %v, want ErrBadExport (garbage plaintext)", err)
	}
	a := sealBody(t, 1, salt, conforming, 10, "p", pt, false)
	b := sealBody(t, 1, salt, conforming, 10, "p", pt, true)
	if !bytes.Equal(a, b) {
		t.Fatal("the counter widths disagree under an IV with bit 63 clear")
	}
	if err := read(a); err != io.EOF {
		t.Fatal(err)
	}
}

// TestExportArmorVariants reads the layouts real writers produce and a few
// hand edits, and refuses text outside the armor.
func TestExportArmorVariants(t *testing.T) {
	body := sealBody(t, 1, make([]byte, 16), make([]byte, 16), 10, "p", []byte("[]"), false)
	b64 := base64.StdEncoding.EncodeToString(body)
	raw := base64.RawStdEncoding.EncodeToString(body)
	if b64 == raw {
		t.Fatal("test body needs padding")
	}
	wrap := func(s string, n int) string {
		var out []string
		for len(s) > n {
			out = append(out, s[:n])
			s = s[n:]
		}
		return strings.Join(append(out, s), "\n")
	}
	good := map[string]string{
		"element": armorBegin + "\n" + wrap(b64, 128) + "\n" + armorEnd + "\n",
		"rust: one line, unpadded, no final newline": armorBegin + "\n" + raw + "\n" + armorEnd,
		"mautrix: 76 columns":                        armorBegin + "\n" + wrap(b64, 76) + "\n" + armorEnd + "\n",
		"CRLF":                                       armorBegin + "\r\n" + wrap(b64, 64) + "\r\n" + armorEnd + "\r\n",
		"blank lines around":                         "\n\n  \n" + armorBegin + "\n\n" + wrap(b64, 10) + "\n\n" + armorEnd + "\n\n \t\n",
		"indented":                                   "  " + armorBegin + "\n    " + wrap(b64, 64) + "\n  " + armorEnd + "  \n",
		"spaces in the body":                         armorBegin + "\n" + strings.Join(strings.Split(b64, ""), " ") + "\n" + armorEnd + "\n",
		"unpadded and wrapped":                       armorBegin + "\n" + wrap(raw, 7) + "\n" + armorEnd + "\n",
	}
	for name, text := range good {
		r, err := DecryptExport(strings.NewReader(text), []byte("p"), nil)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if _, err := r.Next(); err != io.EOF {
			t.Errorf("%s: %v", name, err)
		}
	}

	bad := map[string]string{
		"empty":                 "",
		"only white space":      " \n\t\n",
		"no END":                armorBegin + "\n" + b64 + "\n",
		"no BEGIN":              b64 + "\n" + armorEnd + "\n",
		"BEGIN without body":    armorBegin,
		"text before":           "hello\n" + armorBegin + "\n" + b64 + "\n" + armorEnd + "\n",
		"text after":            armorBegin + "\n" + b64 + "\n" + armorEnd + "\nhello\n",
		"other marker":          strings.Replace(armorBegin, "MEGOLM", "PGP", 1) + "\n" + b64 + "\n" + armorEnd + "\n",
		"dash in body":          armorBegin + "\n" + b64[:10] + "-" + b64[10:] + "\n" + armorEnd + "\n",
		"dash line in body":     armorBegin + "\n" + b64[:10] + "\n-x\n" + b64[10:] + "\n" + armorEnd + "\n",
		"URL-safe alphabet":     armorBegin + "\n" + strings.NewReplacer("+", "-", "/", "_").Replace(b64+"+/") + "\n" + armorEnd + "\n",
		"padding in the middle": armorBegin + "\n" + b64 + b64 + "\n" + armorEnd + "\n",
		"length 1 mod 4":        armorBegin + "\n" + raw + strings.Repeat("A", 4-(len(raw)+3)%4) + "\n" + armorEnd + "\n",
		"non-ASCII":             armorBegin + "\n" + b64[:8] + "é" + b64[8:] + "\n" + armorEnd + "\n",
		"non-zero pad bits":     armorBegin + "\n" + b64[:len(raw)-1] + "/" + b64[len(raw):] + "\n" + armorEnd + "\n",
		"long line before":      strings.Repeat(" ", 5000) + "x\n" + armorBegin + "\n" + b64 + "\n" + armorEnd + "\n",
	}
	for name, text := range bad {
		_, err := DecryptExport(strings.NewReader(text), []byte("p"), nil)
		if !errors.Is(err, ErrBadArmor) {
			t.Errorf("%s: got %v, want ErrBadArmor", name, err)
		}
	}
}

// TestExportShortBodies tries every body length from 0 to past the header,
// with random content, with a valid header, and with a valid header and a
// valid MAC for the passphrase (the case that panics matrix-sdk-crypto
// 0.19.1 for lengths 37 to 68). None panics; each gets its typed error.
func TestExportShortBodies(t *testing.T) {
	opts := &Options{MaxIterations: 16}
	for n := 0; n <= MinExportSize+40; n++ {
		junk := bytes.Repeat([]byte{0xa5}, n)
		_, err := DecryptExport(strings.NewReader(armor(junk)), []byte("p"), opts)
		switch {
		case n == 0:
			mustErr(t, err, ErrBadExport)
		case n < MinExportSize:
			mustErr(t, err, ErrBadExport)
		default:
			mustErr(t, err, ErrBadExport) // version 0xa5
		}

		// A valid version and round count, then a MAC by the right key over
		// whatever precedes the last 32 bytes (or over nothing).
		body := make([]byte, n)
		if n > 0 {
			body[0] = 1
		}
		if n >= 37 {
			copy(body[33:], []byte{0, 0, 0, 2})
		}
		if n >= 32+1 && n >= 37 {
			k := stdPBKDF2("p", body[1:17], 2, 64)
			m := hmacSHA256(k[32:], body[:n-32])
			copy(body[n-32:], m)
		}
		r, err := DecryptExport(strings.NewReader(armor(body)), []byte("p"), opts)
		if n < MinExportSize {
			mustErr(t, err, ErrBadExport)
			continue
		}
		// n >= 69: the MAC is right; the plaintext (zeros XOR keystream,
		// or nothing) is not a JSON array.
		if err != nil {
			t.Fatalf("length %d: %v", n, err)
		}
		_, err = r.Next()
		mustErr(t, err, ErrBadExport)
	}
}

// TestExportTruncatedFile cuts a real file at every length; every prefix is
// refused with a typed error (most lose the END line).
func TestExportTruncatedFile(t *testing.T) {
	text := encryptToString(t, "p", testSessions(t, 1, 1))
	for n := range len(text) - 1 {
		_, err := DecryptExport(strings.NewReader(text[:n]), []byte("p"), nil)
		if !errors.Is(err, ErrBadArmor) && !errors.Is(err, ErrBadExport) && !errors.Is(err, ErrWrongPassphrase) {
			t.Fatalf("prefix of %d characters: %v", n, err)
		}
	}
	// Cutting inside the body but keeping the END line.
	lines := strings.Split(text, "\n")
	cut := lines[0] + "\n" + lines[1][:100] + "\n" + armorEnd + "\n"
	_, err := DecryptExport(strings.NewReader(cut), []byte("p"), nil)
	mustErr(t, err, ErrWrongPassphrase)
}

func TestExportWrongPassphraseAndTampering(t *testing.T) {
	text := encryptToString(t, "right", testSessions(t, 2, 1))
	_, err := DecryptExport(strings.NewReader(text), []byte("wrong"), nil)
	if err != ErrWrongPassphrase {
		t.Fatalf("wrong passphrase: %v", err)
	}
	_, err = DecryptExport(strings.NewReader(text), []byte("Right"), nil)
	mustErr(t, err, ErrWrongPassphrase)

	body := decodeArmorForTest(t, text)
	for _, i := range []int{1, 16, 17, 32, 36, 37, len(body) / 2, len(body) - 33, len(body) - 32, len(body) - 1} {
		tampered := bytes.Clone(body)
		tampered[i] ^= 0x01
		_, err := DecryptExport(strings.NewReader(armor(tampered)), []byte("right"), nil)
		if i == 36 { // the round count: 1001 rounds, another key
			mustErr(t, err, ErrWrongPassphrase)
			continue
		}
		if err != ErrWrongPassphrase {
			t.Fatalf("byte %d flipped: %v", i, err)
		}
	}
	// Version byte.
	tampered := bytes.Clone(body)
	tampered[0] = 2
	_, err = DecryptExport(strings.NewReader(armor(tampered)), []byte("right"), nil)
	mustErr(t, err, ErrBadExport)
}

// TestExportIterationBounds: the count comes from the file; 0 and counts
// above the limit are refused before any key derivation.
func TestExportIterationBounds(t *testing.T) {
	salt, iv := make([]byte, 16), make([]byte, 16)
	for _, tc := range []struct {
		rounds uint32
		limit  uint32
		ok     bool
	}{
		{0, 0, false},
		{1, 0, true},
		{DefaultMaxIterations + 1, 0, false},
		{math.MaxUint32, 0, false},
		{100, 100, true},
		{101, 100, false},
	} {
		var body []byte
		if tc.ok || tc.rounds == 0 {
			body = sealBody(t, 1, salt, iv, max(tc.rounds, 1), "p", []byte("[]"), false)
			body[33], body[34], body[35], body[36] = byte(tc.rounds>>24), byte(tc.rounds>>16), byte(tc.rounds>>8), byte(tc.rounds)
			if tc.ok {
				body = sealBody(t, 1, salt, iv, tc.rounds, "p", []byte("[]"), false)
			}
		} else {
			// Too many rounds to derive in a test: a header with a junk MAC.
			body = append([]byte{1}, make([]byte, 32)...)
			body = append(body, byte(tc.rounds>>24), byte(tc.rounds>>16), byte(tc.rounds>>8), byte(tc.rounds))
			body = append(body, make([]byte, 34)...)
		}
		_, err := DecryptExport(strings.NewReader(armor(body)), []byte("p"), &Options{MaxIterations: tc.limit})
		if tc.ok {
			if err != nil {
				t.Errorf("%d rounds, limit %d: %v", tc.rounds, tc.limit, err)
			}
			continue
		}
		var ie *IterationsError
		if !errors.As(err, &ie) || !errors.Is(err, ErrIterations) || ie.Iterations != uint64(tc.rounds) {
			t.Errorf("%d rounds, limit %d: %v", tc.rounds, tc.limit, err)
		}
	}
	if _, err := NewExportWriter(io.Discard, []byte("p"), 0); !errors.Is(err, ErrIterations) {
		t.Errorf("writer with 0 rounds: %v", err)
	}
}

func TestExportSizeLimit(t *testing.T) {
	text := encryptToString(t, "p", testSessions(t, 4, 1))
	body := decodeArmorForTest(t, text)
	_, err := DecryptExport(strings.NewReader(text), []byte("p"), &Options{MaxExportSize: int64(len(body)) - 1})
	mustErr(t, err, ErrExportTooLarge)
	if _, err := DecryptExport(strings.NewReader(text), []byte("p"), &Options{MaxExportSize: int64(len(body))}); err != nil {
		t.Fatal(err)
	}
}

// TestExportBadSessions: entries that cannot be used are reported with
// their position and IDs; the others are read and imported.
func TestExportBadSessions(t *testing.T) {
	ss := testSessions(t, 3, 1)
	good := make([]string, len(ss))
	for i, s := range ss {
		b, err := s.AppendJSON(nil)
		if err != nil {
			t.Fatal(err)
		}
		good[i] = string(b)
	}
	_, other := testSession(t, "!o:example.org", 0)
	swap := strings.Replace(good[0], ss[0].SessionID(), other.SessionID(), 1)
	entries := []string{
		good[0],
		`{"algorithm":"m.megolm.v2.aes-sha2"` + good[1][len(`{"algorithm":"m.megolm.v1.aes-sha2"`):],
		swap,
		`"not an object"`,
		`{"room_id":5}`,
		strings.Replace(good[1], `"session_key":"A`, `"session_key":"B`, 1),
		strings.Replace(good[1], `"sender_key":"`, `"sender_key":"x`, 1),
		good[1],
		`{}`,
		good[2],
	}
	plaintext := "[" + strings.Join(entries, ",\n") + "]"
	body := sealBody(t, 1, make([]byte, 16), make([]byte, 16), 10, "p", []byte(plaintext), false)

	var stored []string
	rep, err := ImportExport(strings.NewReader(armor(body)), []byte("p"), nil, func(s *ExportedSession, igs *megolm.InboundGroupSession) error {
		if igs.ID() != s.SessionID() {
			t.Errorf("imported %s as %s", s.SessionID(), igs.ID())
		}
		stored = append(stored, s.SessionID())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{ss[0].SessionID(), ss[1].SessionID(), ss[2].SessionID()}
	if fmt.Sprint(stored) != fmt.Sprint(want) || rep.Imported != 3 {
		t.Fatalf("stored %v, want %v", stored, want)
	}
	var idx []int
	for _, f := range rep.Failed {
		idx = append(idx, f.Index)
		if !errors.Is(f, ErrBadSession) {
			t.Errorf("entry %d: %v", f.Index, f)
		}
		if strings.Contains(f.Error(), ss[0].SessionKey().Base64()[:20]) {
			t.Errorf("error quotes a session key: %v", f)
		}
	}
	if fmt.Sprint(idx) != "[1 2 3 4 5 6 8]" {
		t.Fatalf("failed entries %v", idx)
	}
	if rep.Failed[1].SessionID != other.SessionID() || rep.Failed[1].RoomID != ss[0].RoomID {
		t.Fatalf("IDs of the swapped entry: %+v", rep.Failed[1])
	}

	// A store error stops the import.
	boom := errors.New("boom")
	rep, err = ImportExport(strings.NewReader(armor(body)), []byte("p"), nil, func(*ExportedSession, *megolm.InboundGroupSession) error { return boom })
	if err != boom || rep.Imported != 0 {
		t.Fatalf("store error: %+v %v", rep, err)
	}
}

// TestExportBadJSON: a payload that is not a JSON array of objects, or is
// cut, is a whole-file error.
func TestExportBadJSON(t *testing.T) {
	for _, pt := range []string{"", "{}", "[", `[{"a":1}`, `[{}] x`, `[{}][]`, "null", `[{},]`, "\xff"} {
		body := sealBody(t, 1, make([]byte, 16), make([]byte, 16), 10, "p", []byte(pt), false)
		r, err := DecryptExport(strings.NewReader(armor(body)), []byte("p"), nil)
		if err != nil {
			t.Fatal(err)
		}
		for err == nil || errors.As(err, new(*SessionError)) {
			_, err = r.Next()
		}
		if !errors.Is(err, ErrBadExport) {
			t.Errorf("payload %q: %v", pt, err)
		}
		// Sticky.
		if _, err2 := r.Next(); err2 != err {
			t.Errorf("payload %q: second error %v", pt, err2)
		}
	}
}

// TestExportSpellings reads the field spellings real writers use.
func TestExportSpellings(t *testing.T) {
	_, s := testSession(t, "!r:example.org", 0)
	b, _ := s.AppendJSON(nil)
	var m map[string]any
	json.Unmarshal(b, &m)
	delete(m, "shared_history")
	delete(m, "m.shared_history")

	for _, tc := range []struct {
		flags map[string]any
		want  bool
	}{
		{nil, false},
		{map[string]any{"shared_history": true}, true},
		{map[string]any{"m.shared_history": true}, true},
		{map[string]any{"org.matrix.msc3061.shared_history": true}, true},
		{map[string]any{"shared_history": true, "m.shared_history": true}, true},
		{map[string]any{"shared_history": true, "m.shared_history": false}, false},
		{map[string]any{"m.shared_history": false}, false},
	} {
		c := map[string]any{}
		for k, v := range m {
			c[k] = v
		}
		for k, v := range tc.flags {
			c[k] = v
		}
		data, _ := json.Marshal(c)
		got, err := ExportedSessionFromJSON(data)
		if err != nil || got.SharedHistory != tc.want {
			t.Errorf("%v: %v %v", tc.flags, got, err)
		}
	}

	// Missing optional fields take their defaults (matrix-rust-sdk).
	c := map[string]any{}
	for k, v := range m {
		c[k] = v
	}
	delete(c, "sender_claimed_keys")
	delete(c, "forwarding_curve25519_key_chain")
	data, _ := json.Marshal(c)
	got, err := ExportedSessionFromJSON(data)
	if err != nil || got.SenderClaimedKeys == nil || got.ForwardingCurve25519KeyChain == nil {
		t.Fatalf("defaults: %v %v", got, err)
	}

	// A padded sender_key, and "\/" escapes in the session key.
	padded := strings.Replace(string(b), `"sender_key":"`+s.SenderKey.String()+`"`, `"sender_key":"`+s.SenderKey.String()+`="`, 1)
	padded = strings.ReplaceAll(padded, `/`, `\/`)
	got, err = ExportedSessionFromJSON([]byte(padded))
	if err != nil {
		t.Fatal(err)
	}
	sameSession(t, s, got)
}

func TestExportedSessionFormatting(t *testing.T) {
	_, s := testSession(t, "!r:example.org", 5)
	secret := s.SessionKey().Base64()
	for _, f := range []string{"%v", "%+v", "%#v", "%s", "%x", "%q", "%d"} {
		if out := fmt.Sprintf(f, s); strings.Contains(out, secret[:16]) || strings.Contains(out, fmt.Sprintf("%x", s.SessionKey().Bytes()[:8])) {
			t.Errorf("%s prints the key: %s", f, out)
		}
		if out := fmt.Sprintf(f, *s); strings.Contains(out, secret[:16]) {
			t.Errorf("%s prints the key: %s", f, out)
		}
	}
	if !strings.Contains(s.String(), s.SessionID()) || !strings.Contains(s.String(), "first_known_index: 5") {
		t.Errorf("String: %s", s)
	}
}

// TestExportWriterStreams: the writer emits armored lines as sessions are
// written, not at Close.
func TestExportWriterStreams(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewExportWriter(&buf, []byte("p"), testRounds)
	if err != nil {
		t.Fatal(err)
	}
	ss := testSessions(t, 3, 1)
	for i := range 300 {
		if err := w.Write(ss[i%3]); err != nil {
			t.Fatal(err)
		}
	}
	// 300 sessions are about 200 kB of armor; at most one 64 kB buffer
	// of it may be pending.
	before := buf.Len()
	if err := w.Close(); err != nil || w.Count() != 300 {
		t.Fatal(err)
	}
	if pending := buf.Len() - before; before < 100_000 || pending > 64<<10 {
		t.Fatalf("%d bytes written before Close, %d at Close", before, pending)
	}
	if err := w.Write(testSessions(t, 1, 1)[0]); err == nil {
		t.Fatal("write after Close")
	}
	// A writer error sticks.
	fw := &failWriter{after: 50}
	w, _ = NewExportWriter(fw, []byte("p"), 1)
	var werr error
	for _, s := range testSessions(t, 3, 1) {
		if werr = w.Write(s); werr != nil {
			break
		}
	}
	if werr == nil {
		werr = w.Close()
	}
	if werr != errFail || w.Close() != errFail {
		t.Fatalf("writer error: %v", werr)
	}
}

var errFail = errors.New("fail")

type failWriter struct{ after int }

func (w *failWriter) Write(p []byte) (int, error) {
	if w.after -= len(p); w.after < 0 {
		return 0, errFail
	}
	return len(p), nil
}
