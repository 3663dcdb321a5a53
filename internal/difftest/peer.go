// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package difftest

// Peer is the implementation newt is compared with. Every method takes and
// returns the wire forms that Matrix clients hand around: unpadded base64
// keys, messages, session keys and pickles. Methods that consume randomness
// take it as an argument and must use exactly the bytes libolm would use at
// that point, in libolm's order (an adapter for a library that reads
// crypto/rand can call [WithRandom]).
type Peer interface {
	// NewAccount makes an account from 64 random bytes: the Ed25519 seed,
	// then the Curve25519 identity private key (olm_create_account).
	NewAccount(random []byte) (Account, error)
	AccountFromPickle(p string, key []byte) (Account, error)
	SessionFromPickle(p string, key []byte) (Session, error)
	// NewGroupSession makes a Megolm outbound session from 160 random
	// bytes: R_0, then the Ed25519 seed (olm_init_outbound_group_session).
	NewGroupSession(random []byte) (GroupSession, error)
	GroupSessionFromPickle(p string, key []byte) (GroupSession, error)
	NewInboundGroupSession(sessionKey string) (InboundGroupSession, error)
	ImportInboundGroupSession(exported string) (InboundGroupSession, error)
	InboundGroupSessionFromPickle(p string, key []byte) (InboundGroupSession, error)
}

// Account is an Olm account of the peer.
type Account interface {
	Pickle(key []byte) (string, error)
	IdentityKeys() (curve25519, ed25519 string)
	// Sign returns the base64 Ed25519 signature of msg.
	Sign(msg []byte) (string, error)
	// OneTimeKeys returns the unpublished one-time keys, key ID (base64)
	// to public key (base64).
	OneTimeKeys() map[string]string
	// FallbackKey returns the current fallback key, published or not,
	// in the same form (empty if there is none).
	FallbackKey() map[string]string
	// UnpublishedFallbackKey returns the current fallback key if it is
	// unpublished.
	UnpublishedFallbackKey() map[string]string
	// GenerateOneTimeKeys makes n keys from 32·n random bytes.
	GenerateOneTimeKeys(n int, random []byte) error
	// GenerateFallbackKey makes a fallback key from 32 random bytes.
	GenerateFallbackKey(random []byte) error
	// MarkKeysAsPublished marks the keys published and returns how many
	// one-time keys it marked, or -1 if the library does not say.
	MarkKeysAsPublished() int
	ForgetOldFallbackKey()
	// NewOutboundSession starts a session from 64 random bytes: the base
	// key, then the first ratchet key.
	NewOutboundSession(identityKey, oneTimeKey string, random []byte) (Session, error)
	// NewInboundSession creates the responder's session from a pre-key
	// message without decrypting it (olm_create_inbound_session).
	NewInboundSession(preKey string) (Session, error)
	// NewInboundSessionFrom is NewInboundSession for a message that must
	// come from identityKey.
	NewInboundSessionFrom(identityKey, preKey string) (Session, error)
	// RemoveOneTimeKeys removes the one-time key s was created with.
	RemoveOneTimeKeys(s Session) error
}

// Session is an Olm session of the peer.
type Session interface {
	Pickle(key []byte) (string, error)
	ID() string
	HasReceivedMessage() bool
	// MessageType is the type of the next message Encrypt makes.
	MessageType() int
	Describe() string
	Matches(preKey string) (bool, error)
	MatchesFrom(identityKey, preKey string) (bool, error)
	// Encrypt encrypts pt, taking a new ratchet key from random (32
	// bytes) if the session needs one, and reports how many random bytes
	// it used.
	Encrypt(pt, random []byte) (typ int, body string, used int, err error)
	Decrypt(typ int, body string) ([]byte, error)
}

// GroupSession is a Megolm outbound session of the peer.
type GroupSession interface {
	Pickle(key []byte) (string, error)
	ID() string
	MessageIndex() uint32
	SessionKey() (string, error)
	Encrypt(pt []byte) (string, error)
}

// InboundGroupSession is a Megolm inbound session of the peer.
type InboundGroupSession interface {
	Pickle(key []byte) (string, error)
	ID() string
	FirstKnownIndex() uint32
	IsVerified() bool
	Decrypt(msg string) (pt []byte, index uint32, err error)
	Export(index uint32) (string, error)
}

// JSONAccount is an [Account] that also returns libolm's JSON texts; the
// engine compares them with newt's byte for byte.
type JSONAccount interface {
	IdentityKeysJSON() string
	OneTimeKeysJSON() string
	FallbackKeyJSON() string
	UnpublishedFallbackKeyJSON() string
}

// Freer is a peer object that holds memory outside Go's heap; the engine
// frees objects it drops.
type Freer interface{ Free() }

func free(v any) {
	if f, ok := v.(Freer); ok {
		f.Free()
	}
}
