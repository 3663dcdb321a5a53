// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package newttest

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// FormatVerbs are the fmt directives a secret-bearing value is printed
// with: all the verbs fmt knows, with the flags and widths that change how
// bytes are shown.
var FormatVerbs = []string{
	"%v", "%+v", "%#v", "%s", "%q", "%#q", "%x", "%X", "% x", "%#x", "%d", "%o", "%O", "%b",
	"%c", "%U", "%e", "%g", "%t", "%T", "%20s", "%.5s", "%-40v", "%T %v", "%p",
}

// SecretForms returns substrings that would appear in a text showing the
// secret s (at least 20 bytes) or a part of it: hex (both cases, and
// spaced), base64 at each of the three alignments, of s and of a window
// inside it, and in the URL-safe alphabet, and fmt's decimal, octal, quoted
// and Go-syntax forms of its first bytes.
func SecretForms(s []byte) []string {
	inner := func(x string) string { return strings.Trim(x, "[]\"") }
	var forms []string
	for _, w := range [][]byte{s, s[max(0, min(6, len(s)-18)):]} { // also a window inside s
		for j := range 3 {
			n := (min(len(w)-j, 24) / 3) * 3
			forms = append(forms, base64.StdEncoding.EncodeToString(w[j:j+n]))
		}
	}
	return append(forms,
		base64.RawURLEncoding.EncodeToString(s)[:12],
		hex.EncodeToString(s[:8]),
		strings.ToUpper(hex.EncodeToString(s[:8])),
		fmt.Sprintf("% x", s[:8]),
		inner(fmt.Sprint(s[:6])),
		inner(fmt.Sprintf("%o", s[:6])),
		inner(fmt.Sprintf("%q", s[:8])),
		fmt.Sprintf("%#v", s[:4])[len("[]byte{"):],
	)
}

// Shows reports the first form of one of secrets that out contains.
func Shows(out string, secrets ...[]byte) (form string, ok bool) {
	for _, s := range secrets {
		for _, f := range SecretForms(s) {
			if strings.Contains(out, f) {
				return f, true
			}
		}
	}
	return "", false
}

// CheckNoSecrets prints v with every verb of [FormatVerbs], fmt.Sprint,
// fmt.Sprintln and (if v has one) its String method, and fails if any
// output shows one of secrets.
func CheckNoSecrets(t testing.TB, what string, v any, secrets ...[]byte) {
	t.Helper()
	outs := map[string]string{"Sprint": fmt.Sprint(v), "Sprintln": fmt.Sprintln(v)}
	for _, verb := range FormatVerbs {
		outs[verb] = fmt.Sprintf(verb, v)
	}
	if s, ok := v.(fmt.Stringer); ok {
		outs["String()"] = s.String()
	}
	for how, out := range outs {
		if form, ok := Shows(out, secrets...); ok {
			if len(out) > 160 {
				out = out[:160] + "..."
			}
			t.Errorf("%s printed with %s shows a secret (%q): %s", what, how, form, out)
		}
	}
}

// CheckErrorsHaveNoSecrets fails if an error is nil or its text shows one
// of secrets.
func CheckErrorsHaveNoSecrets(t testing.TB, errs []error, secrets ...[]byte) {
	t.Helper()
	for _, err := range errs {
		if err == nil {
			t.Error("expected an error")
			continue
		}
		if form, ok := Shows(err.Error(), secrets...); ok {
			t.Errorf("error %q shows a secret (%q)", err, form)
		}
	}
}

// StructBytes returns every byte array or slice of at least 16 bytes
// reachable from v by reflection, through pointers, interfaces, structs,
// arrays and slices: the secrets of a type without a pickle, and the memory
// a zeroing test searches.
func StructBytes(v reflect.Value) [][]byte {
	var out [][]byte
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			out = append(out, StructBytes(v.Elem())...)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			out = append(out, StructBytes(v.Field(i))...)
		}
	case reflect.Array, reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			if v.Len() >= 16 {
				b := make([]byte, v.Len())
				for i := range b {
					b[i] = byte(v.Index(i).Uint())
				}
				out = append(out, b)
			}
			break
		}
		for i := range v.Len() {
			out = append(out, StructBytes(v.Index(i))...)
		}
	}
	return out
}

// ContainsBytes reports whether any byte array reachable from v contains
// sec.
func ContainsBytes(v any, sec []byte) bool {
	for _, b := range StructBytes(reflect.ValueOf(v)) {
		if bytes.Contains(b, sec) {
			return true
		}
	}
	return false
}

// HoldsMutex reports whether the struct type t has a sync.Mutex or
// sync.RWMutex field (such values must not be copied; go vet reports it).
func HoldsMutex(t reflect.Type) bool {
	mu, rw := reflect.TypeFor[sync.Mutex](), reflect.TypeFor[sync.RWMutex]()
	for i := range t.NumField() {
		if ft := t.Field(i).Type; ft == mu || ft == rw {
			return true
		}
	}
	return false
}

// hidden holds a T in the unexported positions where fmt cannot call T's
// methods: fmt then prints the fields it reaches by reflection, following one
// pointer when a verb does not suit a pointer.
type hidden[T any] struct {
	p  *T
	pp **T
	ps []*T
	pm map[string]*T
	pi any
	pn struct{ p *T }
}

// hiddenValue holds copies of a T in unexported positions.
type hiddenValue[T any] struct {
	v  T
	vs []T
	va [1]T
	vm map[string]T
	vi any
	vn struct{ v T }
}

// CheckFormatting is checklist row C25 for one type: it prints ptr (a pointer
// to a value holding secrets) on its own, as an exported field of a struct
// (where fmt still calls the type's methods) and in unexported fields,
// slices, maps and interfaces of a struct (where it cannot, and prints what
// it reaches by reflection); for types that may be copied (no mutex), the
// value itself in the same positions. Each print uses every verb of
// [FormatVerbs] and is checked with [CheckNoSecrets].
func CheckFormatting[T any](t testing.TB, name string, ptr *T, secrets ...[]byte) {
	t.Helper()
	if len(secrets) == 0 {
		t.Fatalf("%s: no secrets to look for", name)
	}
	type wrapper struct{ Field any }
	CheckNoSecrets(t, name+" pointer", ptr, secrets...)
	CheckNoSecrets(t, name+" struct{Exported: pointer}", wrapper{ptr}, secrets...)
	pp := &ptr
	h := hidden[T]{p: ptr, pp: pp, ps: []*T{ptr}, pm: map[string]*T{"k": ptr}, pi: ptr, pn: struct{ p *T }{ptr}}
	CheckNoSecrets(t, name+" pointer in unexported fields", h, secrets...)
	CheckNoSecrets(t, name+" pointer in unexported fields, by pointer", &h, secrets...)
	if HoldsMutex(reflect.TypeFor[T]()) {
		return
	}
	val := *ptr
	CheckNoSecrets(t, name+" value", val, secrets...)
	CheckNoSecrets(t, name+" struct{Exported: value}", wrapper{val}, secrets...)
	CheckNoSecrets(t, name+" []any{value}", []any{val}, secrets...)
	hv := hiddenValue[T]{v: val, vs: []T{val}, va: [1]T{val}, vm: map[string]T{"k": val}, vi: val, vn: struct{ v T }{val}}
	CheckNoSecrets(t, name+" value in unexported fields", hv, secrets...)
	CheckNoSecrets(t, name+" value in unexported fields, by pointer", &hv, secrets...)
}

// CheckExportedTypes requires that covered names every exported type declared
// in the non-test Go files of the package in dir: a package's row C25 lists
// each of its types, with the secrets it checks or as holding none, so that a
// new type cannot be forgotten.
func CheckExportedTypes(t testing.TB, dir string, covered ...string) {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, n := range covered {
		have[n] = true
	}
	found := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.TYPE {
				continue
			}
			for _, sp := range g.Specs {
				ts := sp.(*ast.TypeSpec)
				if !ts.Name.IsExported() {
					continue
				}
				found++
				if !have[ts.Name.Name] {
					t.Errorf("exported type %s (%s) is not covered by the formatting checks", ts.Name.Name, filepath.Base(name))
				}
				delete(have, ts.Name.Name)
			}
		}
	}
	if found == 0 {
		t.Fatalf("no exported types in %s", dir)
	}
	for n := range have {
		t.Errorf("covered type %s is not an exported type of %s", n, dir)
	}
}
