// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package redact_test

import (
	"fmt"
	"testing"

	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/internal/redact"
)

// secretThing holds a secret and prints only its description.
type secretThing struct{ key [4]byte }

func (s secretThing) String() string                { return "thing{id: 7}" }
func (s secretThing) Format(f fmt.State, verb rune) { redact.Format(f, verb, s.String()) }

// TestFormat checks that every verb formats the description as a string
// and %#v prints it as it is.
func TestFormat(t *testing.T) {
	v := secretThing{key: [4]byte{0xde, 0xad, 0xbe, 0xef}}
	for verb, want := range map[string]string{
		"%v":   "thing{id: 7}",
		"%+v":  "thing{id: 7}",
		"%#v":  "thing{id: 7}",
		"%s":   "thing{id: 7}",
		"%q":   `"thing{id: 7}"`,
		"%x":   "7468696e677b69643a20377d",
		"%14s": "  thing{id: 7}",
		"%.5s": "thing",
		"%d":   "%!d(string=thing{id: 7})",
	} {
		if got := fmt.Sprintf(verb, v); got != want {
			t.Errorf("%s: %q, want %q", verb, got, want)
		}
	}
}

// inline, onePointer and boxed hold the same secret three ways, each with a
// redacting Format method.
type inline struct{ key [24]byte }
type onePointer struct{ key *[24]byte }
type boxed struct{ key redact.Box[[24]byte] }

func (inline) Format(f fmt.State, verb rune)     { redact.Format(f, verb, "inline") }
func (onePointer) Format(f fmt.State, verb rune) { redact.Format(f, verb, "onePointer") }
func (boxed) Format(f fmt.State, verb rune)      { redact.Format(f, verb, "boxed") }

// TestBox checks the reason for Box: held in an unexported field, a value
// whose secret is inline or behind one pointer prints the secret with some
// verb, and a value whose secret is in a Box prints it with none.
func TestBox(t *testing.T) {
	secret := [24]byte{}
	for i := range secret {
		secret[i] = byte(0xa0 + i)
	}
	b := boxed{redact.NewBox[[24]byte]()}
	*b.key.Get() = secret
	one := onePointer{&secret}
	leaks := func(v any) bool {
		for _, verb := range newttest.FormatVerbs {
			if _, ok := newttest.Shows(fmt.Sprintf(verb, v), secret[:]); ok {
				return true
			}
		}
		return false
	}
	if !leaks(struct{ v inline }{inline{secret}}) || !leaks(struct{ v onePointer }{one}) || !leaks(struct{ p *inline }{&inline{secret}}) {
		t.Fatal("fmt no longer prints what the test expects; revisit Box's rationale")
	}
	newttest.CheckFormatting(t, "boxed", &b, secret[:])
	if (redact.Box[int]{}).Get() != nil {
		t.Error("the zero Box holds a value")
	}
	c := b
	if c.key.Get() != b.key.Get() {
		t.Error("a copied Box does not share its value")
	}
}

// TestNewOwner: a Box allocated together with its owner holds its value
// like NewBox's, the owner prints no more of it, and the two take one
// allocation.
func TestNewOwner(t *testing.T) {
	secret := [24]byte{}
	for i := range secret {
		secret[i] = byte(0xb0 + i)
	}
	key := func(b *boxed) *redact.Box[[24]byte] { return &b.key }
	b := redact.NewOwner(key)
	if got := b.key.Get(); got == nil || *got != ([24]byte{}) {
		t.Fatal("a new owner's Box does not hold the zero value")
	}
	*b.key.Get() = secret
	newttest.CheckFormatting(t, "boxed with its owner", b, secret[:])
	if n := testing.AllocsPerRun(100, func() { sink = redact.NewOwner(key) }); n != 1 {
		t.Errorf("owner and value took %v allocations, want 1", n)
	}
}

var sink any
