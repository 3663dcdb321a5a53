// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package newt_test

// The security checklist (SECURITY.md), one test per row C1–C29, named
// after the row. Each package runs its part of a row beside its own code
// (olm/checklist_test.go, megolm/checklist_test.go, ...), so that
// "go test ./megolm" runs megolm's rows and "go test -run TestC08 ./..."
// runs the whole row. This file holds the parts of the rows that cross
// packages: the root types, the source checks over all library code, and
// the confusion of Olm with Megolm messages.

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/internal/aessha2"
	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/megolm"
	"github.com/newt-e2ee/newt/olm"
	"github.com/newt-e2ee/newt/pk"
	"github.com/newt-e2ee/newt/sas"
)

// libraryFiles parses every non-test Go file of the library: the root
// package, the protocol packages and internal/*, except the cgo binding
// internal/libolm and the test helpers of internal/newttest.
func libraryFiles(t *testing.T) (*token.FileSet, map[string]*ast.File) {
	t.Helper()
	dirs := []string{".", "olm", "megolm", "pk", "sas", "ratchet", "keys", "ecies"}
	ents, err := os.ReadDir("internal")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		// libolm: the cgo test binding; newttest: test helpers; difftest:
		// the differential test engine.
		if e.IsDir() && e.Name() != "libolm" && e.Name() != "newttest" && e.Name() != "difftest" {
			dirs = append(dirs, filepath.Join("internal", e.Name()))
		}
	}
	fset := token.NewFileSet()
	files := map[string]*ast.File{}
	for _, dir := range dirs {
		names, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, name := range names {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			files[name] = f
		}
	}
	if len(files) < 20 {
		t.Fatalf("only %d library files", len(files))
	}
	return fset, files
}

// TestC17_NonCanonicalEd25519Keys: newt.Ed25519PublicKey stores any 32
// bytes and round-trips them, non-canonical encodings included: validation
// happens where a key verifies (pk's and ed25519x's rows, and Megolm's
// signing keys in megolm's C10 and C11).
func TestC17_NonCanonicalEd25519Keys(t *testing.T) {
	for _, enc := range newttest.NonCanonicalEd25519(t) {
		key := newt.Ed25519PublicKeyFromArray([32]byte(enc))
		p, err := newt.ParseEd25519PublicKey(key.String())
		if err != nil || p != key || !bytes.Equal(p.Bytes(), enc) {
			t.Errorf("%x does not round-trip as a value", enc)
		}
	}
}

// TestC22_Base64Input: the root types' text forms (Curve25519 and Ed25519
// keys, signatures, key IDs) reject bad characters, non-ASCII UTF-8,
// embedded "\r\n" or spaces, the URL-safe alphabet, '=' padding, a length
// ≡ 1 (mod 4) and non-canonical trailing bits. The Matrix spec says padding
// SHOULD be accepted; newt rejects it everywhere except SAS keys, where
// libolm accepts it too (sas's row). Also: TestParseRejects.
func TestC22_Base64Input(t *testing.T) {
	for _, e := range []struct {
		name, valid string
		parse       func(s string) error
	}{
		{"curve25519 key", pk.GenerateDecryption().PublicKey().String(), func(s string) error {
			_, err := newt.ParseCurve25519PublicKey(s)
			return newttest.WantError(true, err, newt.ErrInvalidBase64, newt.ErrInvalidKey)
		}},
		{"ed25519 key", pk.GenerateSigning().PublicKey().String(), func(s string) error {
			_, err := newt.ParseEd25519PublicKey(s)
			return newttest.WantError(true, err, newt.ErrInvalidBase64, newt.ErrInvalidKey)
		}},
		{"signature", pk.GenerateSigning().Sign(nil).String(), func(s string) error {
			_, err := newt.ParseEd25519Signature(s)
			return newttest.WantError(true, err, newt.ErrInvalidBase64, newt.ErrInvalidKey)
		}},
		{"key ID", newt.NewKeyID(0x01020304).String(), func(s string) error {
			_, err := newt.ParseKeyID(s)
			return newttest.WantError(true, err, newt.ErrInvalidBase64, newt.ErrInvalidKey)
		}},
	} {
		newttest.CheckBase64Entry(t, e.name, e.valid, e.parse)
	}
}

// TestC23_SideChannels: AES is constant time only with hardware AES;
// newt.HardwareAES reports it (true on amd64 with AES-NI; false with the
// purego tag, see internal/aessha2 cpu_purego_test.go). A source check
// keeps the library off table-based or lenient primitives: no
// encoding/base64 (secrets go through the constant-time internal/b64), no
// crypto/ed25519 verification (newt's is strict), no math/rand, and no
// bytes.Equal (MACs go through aessha2.Keys.VerifyMAC: exact length, then
// hmac.Equal); and library code never imports the test helpers of
// internal/newttest. Not tested here: timing itself (dudect-style
// measurement is too noisy on a shared 2-core machine); the constant-time
// construction of internal/b64 is documented and tested there
// (TestDifferentialExhaustive). Also: aessha2 TestHardwareAES,
// TestHardwareAESPurego (tag purego).
func TestC23_SideChannels(t *testing.T) {
	if got := newt.HardwareAES(); got != aessha2.HardwareAES() {
		t.Fatal("newt.HardwareAES disagrees with aessha2")
	}
	t.Logf("HardwareAES() = %v", newt.HardwareAES())
	banned := map[string]string{
		"encoding/base64":                "table-based and lenient; use internal/b64",
		"crypto/ed25519":                 "lax verification; use internal/ed25519x",
		"math/rand":                      "not a CSPRNG",
		"math/rand/v2":                   "not a CSPRNG",
		"golang.org/x/crypto/curve25519": "no all-zero check; use internal/x25519",
		"github.com/newt-e2ee/newt/internal/newttest": "test helpers; library code must not import them",
	}
	// Files allowed one banned import, with the reason.
	allowed := map[string]string{
		"keys/armor.go encoding/base64": "an export file's body is salt, IV, rounds, ciphertext and MAC, nothing secret; Strict padded base64 streamed line by line",
	}
	fset, files := libraryFiles(t)
	for name, f := range files {
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if _, ok := allowed[filepath.ToSlash(name)+" "+path]; ok {
				continue
			}
			if why, ok := banned[path]; ok {
				t.Errorf("%s imports %s: %s", name, path, why)
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == "bytes" && sel.Sel.Name == "Equal" {
				t.Errorf("%s: bytes.Equal in library code (%v): compare secrets with hmac.Equal or subtle", name, fset.Position(sel.Pos()))
			}
			return true
		})
	}
}

// TestC25_NoSecretsInFormatting: the root package's exported types are public
// keys, signatures, key IDs and a JSON error: none holds a secret
// (DecodeSecret returns the caller's bytes). The types that do are checked by
// their packages' rows.
func TestC25_NoSecretsInFormatting(t *testing.T) {
	newttest.CheckExportedTypes(t, ".", "Curve25519PublicKey", "Ed25519PublicKey", "Ed25519Signature", "JSONError", "KeyID")
}

// TestC27_UnknownKeyShareAndSenderBinding: Olm and Megolm messages cannot
// be confused: each parser rejects the other's bytes, and a
// *megolm.Message is not an olm.EncryptedMessage. The sender binding of
// Olm sessions is olm's row.
func TestC27_UnknownKeyShareAndSenderBinding(t *testing.T) {
	alice, bob := olm.GenerateAccount(), olm.GenerateAccount()
	if _, err := bob.GenerateOneTimeKeys(1); err != nil {
		t.Fatal(err)
	}
	s, err := alice.NewOutboundSession(bob.IdentityKeys().Curve25519, bob.OneTimeKeys()[0].Key)
	if err != nil {
		t.Fatal(err)
	}
	pre, err := s.Encrypt([]byte("pre-key"))
	if err != nil {
		t.Fatal(err)
	}
	inner := pre.(*olm.PreKeyMessage).Message().Bytes()
	groupBytes := megolm.GenerateGroupSession().Encrypt([]byte("megolm")).Bytes()
	if _, err := megolm.NewMessage(inner); err == nil {
		t.Error("an Olm message parsed as Megolm")
	}
	if _, err := megolm.NewMessage(pre.Bytes()); err == nil {
		t.Error("a pre-key message parsed as Megolm")
	}
	if _, err := olm.NewMessage(groupBytes); err == nil {
		t.Error("a Megolm message parsed as Olm")
	}
	if _, err := olm.NewPreKeyMessage(groupBytes); err == nil {
		t.Error("a Megolm message parsed as a pre-key message")
	}
	if _, err := olm.NewPreKeyMessage(inner); err == nil {
		t.Error("a normal message parsed as a pre-key message")
	}
	if _, err := olm.NewMessage(pre.Bytes()); err == nil {
		t.Error("a pre-key message parsed as a normal message")
	}
	if reflect.TypeFor[*megolm.Message]().Implements(reflect.TypeFor[olm.EncryptedMessage]()) {
		t.Error("*megolm.Message implements olm.EncryptedMessage")
	}
}

// TestC29_NoPanicFromAPI sends random bytes and random base64 through the
// root package's entry points, and checks that every panic left in library
// code is an internal-invariant or misuse panic (an "internal error", a
// zero-value object, a destination buffer too short), never one an input
// can reach. Each package's row sends input through its own entry points.
// Also: every fuzz target (grep "^func Fuzz").
func TestC29_NoPanicFromAPI(t *testing.T) {
	newttest.ForRandomInputs(t, 29, 300, func(b []byte, str, b64 string) {
		newt.CanonicalJSON(b)
		newt.CanonicalJSONForSigning(b)
		newt.ParseCurve25519PublicKey(str)
		newt.ParseEd25519PublicKey(b64)
		newt.ParseEd25519Signature(str)
		newt.ParseKeyID(str)
		newt.NewCurve25519PublicKey(b)
		newt.NewEd25519Signature(b)
		newt.DecodeSecret(str)
		newt.PickleVersion(str, newttest.PickleKey)
		sas.Generate().SetTheirKeyBase64(b64)
	})

	// Panics left in library code.
	allowed := []string{"internal error", "uninitialized", "dst too short", "negative length"}
	fset, files := libraryFiles(t)
	n := 0
	for _, f := range files {
		ast.Inspect(f, func(node ast.Node) bool {
			call, ok := node.(*ast.CallExpr)
			if !ok {
				return true
			}
			if id, ok := call.Fun.(*ast.Ident); !ok || id.Name != "panic" {
				return true
			}
			n++
			msg := ""
			ast.Inspect(call.Args[0], func(a ast.Node) bool {
				if lit, ok := a.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					msg += lit.Value
				}
				return true
			})
			ok = false
			for _, a := range allowed {
				ok = ok || strings.Contains(msg, a)
			}
			if !ok {
				t.Errorf("%v: panic(%s) is not an internal-invariant panic", fset.Position(call.Pos()), msg)
			}
			return true
		})
	}
	if n == 0 {
		t.Error("no panic call found: the scan is broken")
	}
}
