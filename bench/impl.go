// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package bench

// impl is one Olm/Megolm implementation. Every method takes and returns the
// libolm wire forms (unpadded base64 messages, keys and pickles), as Matrix
// clients hand them around, so the timed work is what an application pays.
type impl interface {
	name() string

	newGroupSession() (groupSession, error)
	newInboundGroupSession(sessionKey text) (inboundGroupSession, error)
	inboundGroupSessionFromPickle(p text, key []byte) (inboundGroupSession, error)

	newAccount() (account, error)
	accountFromPickle(p text, key []byte) (account, error)
	sessionFromPickle(p text, key []byte) (session, error)
}

// groupSession is a Megolm outbound session.
type groupSession interface {
	// encrypt returns the base64 message.
	encrypt(pt []byte) (text, error)
	// sessionKey returns the signed session key at the current index.
	sessionKey() text
	messageIndex() uint32
	pickle(key []byte) (text, error)
	close()
}

// inboundGroupSession is a Megolm inbound session.
type inboundGroupSession interface {
	decrypt(msg text) ([]byte, uint32, error)
	firstKnownIndex() uint32
	pickle(key []byte) (text, error)
	close()
}

// account is an Olm account.
type account interface {
	// identityKey returns the Curve25519 identity key in base64.
	identityKey() string
	generateOneTimeKeys(n int) error
	// oneTimeKeys returns the unpublished one-time keys in base64, sorted.
	oneTimeKeys() ([]string, error)
	// generateFallbackKey makes a fallback key and returns it in base64.
	generateFallbackKey() (string, error)
	markKeysAsPublished()
	newOutboundSession(theirIdentityKey, theirOneTimeKey text) (session, error)
	// newInboundSession creates a session from a pre-key message and
	// decrypts it (newt does both in one call, so all adapters do).
	newInboundSession(preKey text) (session, []byte, error)
	pickle(key []byte) (text, error)
	close()
}

// session is an Olm session.
type session interface {
	encrypt(pt []byte) (msgType int, msg text, err error)
	decrypt(msgType int, msg text) ([]byte, error)
	pickle(key []byte) (text, error)
	close()
}

// impls lists the implementations compiled in: newt and goolm always, libolm
// with the libolm build tag.
var impls = []impl{newtImpl{}, goolmImpl{}}
