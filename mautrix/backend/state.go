// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package backend

import (
	"sync/atomic"

	molm "maunium.net/go/mautrix/crypto/olm"
	"maunium.net/go/mautrix/id"
)

// pickler is the newt object behind one of this package's wrappers: a
// pointer to an account or session that writes libolm's pickle format.
type pickler[T any] interface {
	*T
	AppendPickle(dst, key []byte) []byte
}

// state is what Account, Session, OutboundGroupSession and
// InboundGroupSession keep: the newt object, nil while the wrapper is blank.
// Unpickle swaps in a whole new object, so a concurrent reader sees the old
// one or the new one, never a mix, and a failed Unpickle keeps the old one.
type state[T any, P pickler[T]] struct {
	atomic.Pointer[T]
}

// pickle is the wrappers' Pickle: ErrBlank for a blank wrapper,
// crypto/olm.ErrNoKeyProvided for an empty key, otherwise newt's pickle,
// the bytes goolm and libolm write for the same state.
func (s *state[T, P]) pickle(key []byte) ([]byte, error) {
	v := P(s.Load())
	if v == nil {
		return nil, ErrBlank
	}
	if len(key) == 0 {
		return nil, molm.ErrNoKeyProvided
	}
	return v.AppendPickle(nil, key), nil
}

// unpickle is the wrappers' Unpickle: it checks the arguments as goolm
// does, reads pickled with parse (newt's XFromPickle for the type), maps its
// errors to mautrix's sentinels and stores the result only on success.
func (s *state[T, P]) unpickle(pickled, key []byte, parse func(string, []byte) (P, error)) error {
	if len(key) == 0 {
		return molm.ErrNoKeyProvided
	}
	if len(pickled) == 0 {
		return molm.ErrEmptyInput
	}
	v, err := parse(string(pickled), key)
	if err != nil {
		return mapErr(err)
	}
	s.Store(v)
	return nil
}

// sessionID is the ID method of the three session wrappers: the newt
// session's ID, or "" for a blank wrapper.
func sessionID[T any, P interface {
	pickler[T]
	ID() string
}](s *state[T, P]) id.SessionID {
	v := P(s.Load())
	if v == nil {
		return ""
	}
	return id.SessionID(v.ID())
}

// fromPickle is the XFromPickle constructor of the wrapper W: a blank W
// that its Unpickle fills, or nil and Unpickle's error.
func fromPickle[W any, PW interface {
	*W
	Unpickle(pickled, key []byte) error
}](pickled, key []byte) (PW, error) {
	w := PW(new(W))
	if err := w.Unpickle(pickled, key); err != nil {
		return nil, err
	}
	return w, nil
}
