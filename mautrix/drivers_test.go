// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package mautrix_test

import (
	"maunium.net/go/mautrix/crypto/goolm"
	goolmaccount "maunium.net/go/mautrix/crypto/goolm/account"
	goolmsession "maunium.net/go/mautrix/crypto/goolm/session"
	molm "maunium.net/go/mautrix/crypto/olm"

	"github.com/newt-e2ee/newt/mautrix/backend"
)

// driver is one Olm backend of mautrix, switched on by pointing crypto/olm's
// package variables at it. mautrix's OlmMachine and crypto stores call
// those variables whenever they create or load an object, so code that runs
// after register (and before another driver's) gets this driver's objects,
// while objects created earlier keep theirs. The tests here run every party's
// actions under its own driver, one at a time.
type driver struct {
	name     string
	register func()
	// Loaders for pickles found in a crypto store, used to check that a
	// store written by one driver loads in the others.
	accountFromPickle  func(p, key []byte) (molm.Account, error)
	sessionFromPickle  func(p, key []byte) (molm.Session, error)
	inboundFromPickle  func(p, key []byte) (molm.InboundGroupSession, error)
	outboundFromPickle func(p, key []byte) (molm.OutboundGroupSession, error)
}

var newtDriver = driver{
	name:     "newt",
	register: backend.Register,
	accountFromPickle: func(p, key []byte) (molm.Account, error) {
		return backend.AccountFromPickle(p, key)
	},
	sessionFromPickle: func(p, key []byte) (molm.Session, error) {
		return backend.SessionFromPickle(p, key)
	},
	inboundFromPickle: func(p, key []byte) (molm.InboundGroupSession, error) {
		return backend.InboundGroupSessionFromPickle(p, key)
	},
	outboundFromPickle: func(p, key []byte) (molm.OutboundGroupSession, error) {
		return backend.OutboundGroupSessionFromPickle(p, key)
	},
}

var goolmDriver = driver{
	name:     "goolm",
	register: goolm.Register,
	accountFromPickle: func(p, key []byte) (molm.Account, error) {
		return goolmaccount.AccountFromPickled(p, key)
	},
	sessionFromPickle: func(p, key []byte) (molm.Session, error) {
		return goolmsession.OlmSessionFromPickled(p, key)
	},
	inboundFromPickle: func(p, key []byte) (molm.InboundGroupSession, error) {
		return goolmsession.MegolmInboundSessionFromPickled(p, key)
	},
	outboundFromPickle: func(p, key []byte) (molm.OutboundGroupSession, error) {
		return goolmsession.MegolmOutboundSessionFromPickled(p, key)
	},
}

// otherDrivers are the drivers a store migrates from and to newt: goolm
// always, libolm with the build tag libolm (libolm_test.go).
var otherDrivers = []driver{goolmDriver}
