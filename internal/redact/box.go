// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package redact

// Box holds a value of type T, secret key material, two pointers away from
// the struct that holds the Box.
//
// A type's Format method protects it only where fmt can call it. fmt prints
// a value it reaches through an unexported field (of a user's struct, say)
// by reflection, without calling methods, and it prints arrays and slices
// element by element. When a verb does not suit a pointer (%s, %q, %t, …)
// fmt prints the value that pointer points to, once, as %v; it never
// follows a second pointer. A secret kept inline, or behind one pointer, is
// therefore printed in such a position; a secret in a Box is not: fmt only
// ever shows the address of the inner pointer.
//
// Copying a Box copies the reference, so copies share the value. A type
// whose values may be copied must keep its Box contents immutable, or
// replace the Box rather than write into it.
type Box[T any] struct {
	p **T
}

// boxed is the single allocation behind a Box: the inner pointer and the
// value it points to.
type boxed[T any] struct {
	p *T
	v T
}

// NewBox returns a Box holding the zero T, in one allocation.
func NewBox[T any]() Box[T] {
	b := new(boxed[T])
	b.p = &b.v
	return Box[T]{p: &b.p}
}

// NewOwner allocates an O together with the value of the Box that field
// picks out of it, in one allocation instead of NewBox's second one, and
// returns the O. The value lives beside the O, never in its fields, so fmt
// printing the O still meets only the Box's pointer.
func NewOwner[O, T any](field func(*O) *Box[T]) *O {
	m := new(struct {
		owner O
		value boxed[T]
	})
	m.value.p = &m.value.v
	*field(&m.owner) = Box[T]{p: &m.value.p}
	return &m.owner
}

// Get returns a pointer to the boxed value, or nil for the zero Box.
func (b Box[T]) Get() *T {
	if b.p == nil {
		return nil
	}
	return *b.p
}
