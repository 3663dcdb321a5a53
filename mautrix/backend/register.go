// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package backend

import (
	molm "maunium.net/go/mautrix/crypto/olm"
)

// Driver is the name [Register] gives crypto/olm.Driver, which mautrix's
// OlmMachine logs when it starts.
const Driver = "newt"

// Register makes mautrix's crypto/olm run on newt: it sets crypto/olm.Driver
// to [Driver], SetPickleKeyImpl, and the fourteen Init* constructors, so that
// every olm.NewAccount, olm.NewBlankSession, olm.InboundGroupSessionFromPickled
// (and so on) of mautrix returns this package's types.
//
// mautrix's crypto package registers goolm or libolm in its own init, so
// Register must run after that: blank-import github.com/newt-e2ee/newt/mautrix,
// which calls it in an init that Go runs after package crypto's, or call it
// from main. Register is not safe to call while other goroutines use
// crypto/olm; objects created before the call keep their backend.
func Register() {
	molm.Driver = Driver

	// The pickle key set here only served libolm's Gob and JSON encodings
	// of its objects, which newt's types do not have: every pickle takes
	// its key explicitly. Unlike goolm, which panics, the call is accepted
	// and ignored.
	molm.SetPickleKeyImpl = func([]byte) {}

	molm.InitNewAccount = func() (molm.Account, error) { return GenerateAccount(), nil }
	molm.InitBlankAccount = func() molm.Account { return new(Account) }
	molm.InitNewAccountFromPickled = func(pickled, key []byte) (molm.Account, error) {
		v, err := AccountFromPickle(pickled, key)
		if err != nil {
			return nil, err // a nil interface, not one holding a nil pointer
		}
		return v, nil
	}

	molm.InitSessionFromPickled = func(pickled, key []byte) (molm.Session, error) {
		v, err := SessionFromPickle(pickled, key)
		if err != nil {
			return nil, err
		}
		return v, nil
	}
	molm.InitNewBlankSession = func() molm.Session { return new(Session) }

	molm.InitInboundGroupSessionFromPickled = func(pickled, key []byte) (molm.InboundGroupSession, error) {
		v, err := InboundGroupSessionFromPickle(pickled, key)
		if err != nil {
			return nil, err
		}
		return v, nil
	}
	molm.InitNewInboundGroupSession = func(sessionKey []byte) (molm.InboundGroupSession, error) {
		v, err := NewInboundGroupSession(sessionKey)
		if err != nil {
			return nil, err
		}
		return v, nil
	}
	molm.InitInboundGroupSessionImport = func(sessionKey []byte) (molm.InboundGroupSession, error) {
		v, err := ImportInboundGroupSession(sessionKey)
		if err != nil {
			return nil, err
		}
		return v, nil
	}
	molm.InitBlankInboundGroupSession = func() molm.InboundGroupSession { return new(InboundGroupSession) }

	molm.InitNewOutboundGroupSessionFromPickled = func(pickled, key []byte) (molm.OutboundGroupSession, error) {
		v, err := OutboundGroupSessionFromPickle(pickled, key)
		if err != nil {
			return nil, err
		}
		return v, nil
	}
	molm.InitNewOutboundGroupSession = func() (molm.OutboundGroupSession, error) {
		return GenerateOutboundGroupSession(), nil
	}
	molm.InitNewBlankOutboundGroupSession = func() molm.OutboundGroupSession { return new(OutboundGroupSession) }

	molm.InitNewPKSigning = func() (molm.PKSigning, error) { return GeneratePKSigning(), nil }
	molm.InitNewPKSigningFromSeed = func(seed []byte) (molm.PKSigning, error) {
		v, err := NewPKSigning(seed)
		if err != nil {
			return nil, err
		}
		return v, nil
	}
}
