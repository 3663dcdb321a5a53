// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package testvectors

import (
	"encoding/hex"
	"strings"
	"testing"
)

// Fixed is the layout of fixed.json: named known answers of libolm on fixed
// inputs, each with its source (a libolm test file, or libolm 3.2.13 run on
// the inputs the comment names).
type Fixed struct {
	// Comment describes the file.
	Comment string `json:"comment"`
	// Answers are the known answers, each under a unique name.
	Answers []FixedAnswer `json:"answers"`
}

// FixedAnswer is one known answer. Name is a path such as "olm/script/m1";
// a Value whose name ends in "_hex" is lower-case hex, one ending in
// "_base64" unpadded base64, and any other Value is the text libolm
// produced or read (messages, pickles and keys in their base64 form, JSON).
type FixedAnswer struct {
	Comment string `json:"comment"`
	Expect  string `json:"expect"`
	Name    string `json:"name"`
	Value   string `json:"value"`
}

// Answers gives the answers of fixed.json by name to one test.
type Answers struct {
	t testing.TB
	m map[string]string
}

// LoadAnswers loads fixed.json for t; see [Answers.Get].
func LoadAnswers(t testing.TB) Answers {
	t.Helper()
	f := Load[Fixed](t, "fixed.json")
	m := make(map[string]string, len(f.Answers))
	for _, a := range f.Answers {
		if _, dup := m[a.Name]; dup {
			t.Fatalf("testvectors: fixed.json has two answers named %q", a.Name)
		}
		m[a.Name] = a.Value
	}
	return Answers{t: t, m: m}
}

// Get returns the answer called name, failing the test if there is none.
func (a Answers) Get(name string) string {
	a.t.Helper()
	v, ok := a.m[name]
	if !ok {
		a.t.Fatalf("testvectors: fixed.json has no answer %q", name)
	}
	return v
}

// Hex returns the answer called name, which must end in "_hex", decoded.
func (a Answers) Hex(name string) []byte {
	a.t.Helper()
	if !strings.HasSuffix(name, "_hex") {
		a.t.Fatalf("testvectors: answer %q is not hex", name)
	}
	b, err := hex.DecodeString(a.Get(name))
	if err != nil {
		a.t.Fatalf("testvectors: answer %q: %v", name, err)
	}
	return b
}

// Prefixed returns the answers whose names start with prefix, by the rest
// of their names.
func (a Answers) Prefixed(prefix string) map[string]string {
	out := map[string]string{}
	for k, v := range a.m {
		if rest, ok := strings.CutPrefix(k, prefix); ok {
			out[rest] = v
		}
	}
	return out
}
