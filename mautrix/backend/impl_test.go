// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package backend_test

import (
	"bytes"

	"maunium.net/go/mautrix/crypto/goolm/account"
	goolmpk "maunium.net/go/mautrix/crypto/goolm/pk"
	"maunium.net/go/mautrix/crypto/goolm/session"
	molm "maunium.net/go/mautrix/crypto/olm"

	"github.com/newt-e2ee/newt/mautrix/backend"
)

// impl is one backend of mautrix's crypto/olm interfaces, called through its
// own constructors (no global registration), so that several can run side by
// side in one test: newt's (this package), goolm and, with the build tag
// libolm, libolm through cgo (libolm_test.go).
type impl struct {
	name               string
	newAccount         func() (molm.Account, error)
	accountFromPickle  func(p, key []byte) (molm.Account, error)
	sessionFromPickle  func(p, key []byte) (molm.Session, error)
	newOutbound        func() (molm.OutboundGroupSession, error)
	outboundFromPickle func(p, key []byte) (molm.OutboundGroupSession, error)
	newInbound         func(sessionKey []byte) (molm.InboundGroupSession, error)
	importInbound      func(exported []byte) (molm.InboundGroupSession, error)
	inboundFromPickle  func(p, key []byte) (molm.InboundGroupSession, error)
	pkSigningFromSeed  func(seed []byte) (molm.PKSigning, error)

	// preKeyFieldOrder is set for goolm, which writes the fields of a
	// pre-key message in another order than libolm (identity key before
	// base key, goolm/message/prekey_message.go Encode). Receivers accept
	// any order, so its pre-key messages are compared field by field.
	preKeyFieldOrder bool
}

// The constructors wrap results in the interface only on success, as the
// registered ones do, and give every implementation its own copy of the
// input: libolm decodes base64 in place.
func wrap[T any, I any](f func(p, key []byte) (T, error), conv func(T) I) func(p, key []byte) (I, error) {
	return func(p, key []byte) (I, error) {
		v, err := f(bytes.Clone(p), bytes.Clone(key))
		if err != nil {
			var zero I
			return zero, err
		}
		return conv(v), nil
	}
}

func wrap1[T any, I any](f func(b []byte) (T, error), conv func(T) I) func(b []byte) (I, error) {
	return func(b []byte) (I, error) {
		v, err := f(bytes.Clone(b))
		if err != nil {
			var zero I
			return zero, err
		}
		return conv(v), nil
	}
}

var newtImpl = impl{
	name:       "newt",
	newAccount: func() (molm.Account, error) { return backend.GenerateAccount(), nil },
	accountFromPickle: wrap(backend.AccountFromPickle,
		func(v *backend.Account) molm.Account { return v }),
	sessionFromPickle: wrap(backend.SessionFromPickle,
		func(v *backend.Session) molm.Session { return v }),
	newOutbound: func() (molm.OutboundGroupSession, error) { return backend.GenerateOutboundGroupSession(), nil },
	outboundFromPickle: wrap(backend.OutboundGroupSessionFromPickle,
		func(v *backend.OutboundGroupSession) molm.OutboundGroupSession { return v }),
	newInbound: wrap1(backend.NewInboundGroupSession,
		func(v *backend.InboundGroupSession) molm.InboundGroupSession { return v }),
	importInbound: wrap1(backend.ImportInboundGroupSession,
		func(v *backend.InboundGroupSession) molm.InboundGroupSession { return v }),
	inboundFromPickle: wrap(backend.InboundGroupSessionFromPickle,
		func(v *backend.InboundGroupSession) molm.InboundGroupSession { return v }),
	pkSigningFromSeed: wrap1(backend.NewPKSigning,
		func(v *backend.PKSigning) molm.PKSigning { return v }),
}

var goolmImpl = impl{
	name:       "goolm",
	newAccount: func() (molm.Account, error) { return account.NewAccount() },
	accountFromPickle: wrap(account.AccountFromPickled,
		func(v *account.Account) molm.Account { return v }),
	sessionFromPickle: wrap(session.OlmSessionFromPickled,
		func(v *session.OlmSession) molm.Session { return v }),
	newOutbound: func() (molm.OutboundGroupSession, error) { return session.NewMegolmOutboundSession() },
	outboundFromPickle: wrap(session.MegolmOutboundSessionFromPickled,
		func(v *session.MegolmOutboundSession) molm.OutboundGroupSession { return v }),
	newInbound: wrap1(session.NewMegolmInboundSession,
		func(v *session.MegolmInboundSession) molm.InboundGroupSession { return v }),
	importInbound: wrap1(session.NewMegolmInboundSessionFromExport,
		func(v *session.MegolmInboundSession) molm.InboundGroupSession { return v }),
	inboundFromPickle: wrap(session.MegolmInboundSessionFromPickled,
		func(v *session.MegolmInboundSession) molm.InboundGroupSession { return v }),
	pkSigningFromSeed: wrap1(goolmpk.NewSigningFromSeed,
		func(v *goolmpk.Signing) molm.PKSigning { return v }),
	preKeyFieldOrder: true,
}

// peers are the implementations newt's backend is checked against: goolm
// always, libolm with the build tag libolm.
var peers = []impl{goolmImpl}
