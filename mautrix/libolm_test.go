// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

//go:build libolm

package mautrix_test

import (
	"bytes"

	"maunium.net/go/mautrix/crypto/libolm"
	molm "maunium.net/go/mautrix/crypto/olm"
)

// With the build tag libolm, the store migration also runs between libolm
// (mautrix's cgo driver, crypto/libolm) and newt, and the machine benchmarks
// include libolm. libolm decodes base64 in place, so its loaders get copies.
var libolmDriver = driver{
	name:     "libolm",
	register: libolm.Register,
	accountFromPickle: func(p, key []byte) (molm.Account, error) {
		return libolm.AccountFromPickled(bytes.Clone(p), key)
	},
	sessionFromPickle: func(p, key []byte) (molm.Session, error) {
		return libolm.SessionFromPickled(bytes.Clone(p), key)
	},
	inboundFromPickle: func(p, key []byte) (molm.InboundGroupSession, error) {
		return libolm.InboundGroupSessionFromPickled(bytes.Clone(p), key)
	},
	outboundFromPickle: func(p, key []byte) (molm.OutboundGroupSession, error) {
		s := libolm.NewBlankOutboundGroupSession()
		return s, s.Unpickle(bytes.Clone(p), key)
	},
}

func init() {
	otherDrivers = append(otherDrivers, libolmDriver)
}
