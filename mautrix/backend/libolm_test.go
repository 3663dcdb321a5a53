// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

//go:build libolm

package backend_test

import (
	"maunium.net/go/mautrix/crypto/libolm"
	molm "maunium.net/go/mautrix/crypto/olm"
)

// With the build tag libolm, every cross-check of this package also runs
// against libolm 3.2 through mautrix's cgo driver (crypto/libolm; Debian's
// libolm-dev).
func init() {
	peers = append(peers, impl{
		name:       "libolm",
		newAccount: func() (molm.Account, error) { return libolm.NewAccount() },
		accountFromPickle: wrap(libolm.AccountFromPickled,
			func(v *libolm.Account) molm.Account { return v }),
		sessionFromPickle: wrap(libolm.SessionFromPickled,
			func(v *libolm.Session) molm.Session { return v }),
		newOutbound: func() (molm.OutboundGroupSession, error) { return libolm.NewOutboundGroupSession() },
		outboundFromPickle: wrap(func(p, key []byte) (*libolm.OutboundGroupSession, error) {
			s := libolm.NewBlankOutboundGroupSession()
			return s, s.Unpickle(p, key)
		}, func(v *libolm.OutboundGroupSession) molm.OutboundGroupSession { return v }),
		newInbound: wrap1(libolm.NewInboundGroupSession,
			func(v *libolm.InboundGroupSession) molm.InboundGroupSession { return v }),
		importInbound: wrap1(libolm.InboundGroupSessionImport,
			func(v *libolm.InboundGroupSession) molm.InboundGroupSession { return v }),
		inboundFromPickle: wrap(libolm.InboundGroupSessionFromPickled,
			func(v *libolm.InboundGroupSession) molm.InboundGroupSession { return v }),
		pkSigningFromSeed: wrap1(libolm.NewPKSigningFromSeed,
			func(v *libolm.PKSigning) molm.PKSigning { return v }),
	})
}
