// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package backend

import (
	"encoding/base64"
	"errors"
	"math"

	molm "maunium.net/go/mautrix/crypto/olm"
	"maunium.net/go/mautrix/id"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/olm"
)

// Account is mautrix's olm.Account on a newt [olm.Account]. The zero value is
// a blank account, which Unpickle fills. It is safe for concurrent use.
type Account struct {
	a state[olm.Account, *olm.Account]
}

var _ molm.Account = (*Account)(nil)

// GenerateAccount returns an account with new identity keys (newt's
// [olm.GenerateAccount]).
func GenerateAccount() *Account {
	a := new(Account)
	a.a.Store(olm.GenerateAccount())
	return a
}

// AccountFromPickle loads an account pickle written by this backend, goolm or
// libolm (versions 2 to 4) with key. Errors are those of
// [Account.Unpickle].
func AccountFromPickle(pickled, key []byte) (*Account, error) {
	return fromPickle[Account](pickled, key)
}

// Newt returns the newt account inside a, or nil if a is blank. Use it for
// what mautrix's interface lacks, such as fallback keys.
func (a *Account) Newt() *olm.Account { return a.a.Load() }

// Pickle returns the account encrypted with key in libolm's account pickle
// format, version 4, as unpadded base64: the bytes goolm and libolm write for
// the same state. An empty key fails with crypto/olm.ErrNoKeyProvided, a blank
// account with [ErrBlank].
func (a *Account) Pickle(key []byte) ([]byte, error) { return a.a.pickle(key) }

// Unpickle replaces the account with the one in pickled, an account pickle
// written by this backend, goolm or libolm (versions 2 to 4) with key. On
// failure the account is unchanged. A wrong key or tampered pickle matches
// newt.ErrBadPickleKey, crypto/olm.ErrBadMAC and ErrLibolmBadAccountKey; a
// malformed one newt.ErrCorruptedPickle and crypto/olm.ErrLibolmCorruptedPickle; an
// unknown version newt.ErrUnknownPickleVersion and
// crypto/olm.ErrUnknownOlmPickleVersion.
func (a *Account) Unpickle(pickled, key []byte) error {
	return a.a.unpickle(pickled, key, olm.AccountFromPickle)
}

// IdentityKeysJSON returns the identity keys as libolm writes them:
// {"curve25519":"…","ed25519":"…"}.
func (a *Account) IdentityKeysJSON() ([]byte, error) {
	acct := a.a.Load()
	if acct == nil {
		return nil, ErrBlank
	}
	return acct.IdentityKeysJSON(), nil
}

// IdentityKeys returns the Ed25519 fingerprint key and the Curve25519
// identity key.
func (a *Account) IdentityKeys() (id.Ed25519, id.Curve25519, error) {
	acct := a.a.Load()
	if acct == nil {
		return "", "", ErrBlank
	}
	keys := acct.IdentityKeys()
	return id.Ed25519(keys.Ed25519.String()), id.Curve25519(keys.Curve25519.String()), nil
}

// Sign returns the unpadded base64 Ed25519 signature of message by the
// account's fingerprint key (libolm's olm_account_sign). An empty message
// fails with crypto/olm.ErrEmptyInput, as in goolm.
func (a *Account) Sign(message []byte) ([]byte, error) {
	acct := a.a.Load()
	if acct == nil {
		return nil, ErrBlank
	}
	if len(message) == 0 {
		return nil, molm.ErrEmptyInput
	}
	return encodeSignature(acct.Sign(message)), nil
}

// encodeSignature returns the unpadded base64 form of sig in one allocation.
func encodeSignature(sig newt.Ed25519Signature) []byte {
	raw := sig.Array()
	out := make([]byte, base64.RawStdEncoding.EncodedLen(len(raw)))
	base64.RawStdEncoding.Encode(out, raw[:])
	return out
}

// OneTimeKeys returns the unpublished one-time keys by key ID (libolm's
// 6-character base64 IDs).
func (a *Account) OneTimeKeys() (map[string]id.Curve25519, error) {
	acct := a.a.Load()
	if acct == nil {
		return nil, ErrBlank
	}
	keys := acct.OneTimeKeys()
	m := make(map[string]id.Curve25519, len(keys))
	for _, k := range keys {
		m[k.ID.String()] = id.Curve25519(k.Key.String())
	}
	return m, nil
}

// MarkKeysAsPublished marks the one-time keys and the fallback key as
// published. It does nothing on a blank account.
func (a *Account) MarkKeysAsPublished() {
	if acct := a.a.Load(); acct != nil {
		acct.MarkKeysAsPublished()
	}
}

// MaxNumberOfOneTimeKeys returns [olm.MaxOneTimeKeys], 100, as libolm.
func (a *Account) MaxNumberOfOneTimeKeys() uint { return olm.MaxOneTimeKeys }

// GenOneTimeKeys generates num one-time keys; past [olm.MaxOneTimeKeys] the
// oldest are dropped, exactly as in libolm, but the work is bounded by that
// limit whatever num is.
func (a *Account) GenOneTimeKeys(num uint) error {
	acct := a.a.Load()
	if acct == nil {
		return ErrBlank
	}
	n := math.MaxInt
	if num < uint(math.MaxInt) {
		n = int(num)
	}
	_, err := acct.GenerateOneTimeKeys(n)
	return mapErr(err)
}

// NewOutboundSession starts a session with the device whose identity key is
// theirIdentityKey, using its one-time (or fallback) key theirOneTimeKey.
// Keys that are not unpadded base64 match crypto/olm.ErrLibolmInvalidBase64,
// keys of the wrong length crypto/olm.ErrBadInput; a low-order key fails with
// newt's [olm.ErrNonContributory].
func (a *Account) NewOutboundSession(theirIdentityKey, theirOneTimeKey id.Curve25519) (molm.Session, error) {
	acct := a.a.Load()
	if acct == nil {
		return nil, ErrBlank
	}
	if len(theirIdentityKey) == 0 || len(theirOneTimeKey) == 0 {
		return nil, molm.ErrEmptyInput
	}
	ik, err := newt.ParseCurve25519PublicKey(string(theirIdentityKey))
	if err != nil {
		return nil, mapErr(err)
	}
	otk, err := newt.ParseCurve25519PublicKey(string(theirOneTimeKey))
	if err != nil {
		return nil, mapErr(err)
	}
	s, err := acct.NewOutboundSession(ik, otk)
	if err != nil {
		return nil, mapErr(err)
	}
	return newSession(s), nil
}

// NewInboundSession creates the responder's session from the base64 pre-key
// message oneTimeKeyMsg without decrypting it and without removing its
// one-time key (newt's [olm.Account.PrepareInboundSession]); the account is
// not modified. Decrypt the message with the session's Decrypt, then remove
// the key with [Account.RemoveOneTimeKeys], as mautrix does. A message naming
// a one-time key the account does not hold matches crypto/olm.ErrBadMessageKeyID
// (and newt's [olm.ErrMissingOneTimeKey]).
func (a *Account) NewInboundSession(oneTimeKeyMsg string) (molm.Session, error) {
	return a.newInboundSession(nil, oneTimeKeyMsg)
}

// NewInboundSessionFrom is [Account.NewInboundSession] for a message that must
// come from the device whose identity key is *theirIdentityKey (if it is not
// nil): another identity key matches crypto/olm.ErrBadMessageKeyID (and
// newt's [olm.ErrIdentityKeyMismatch]).
func (a *Account) NewInboundSessionFrom(theirIdentityKey *id.Curve25519, oneTimeKeyMsg string) (molm.Session, error) {
	return a.newInboundSession(theirIdentityKey, oneTimeKeyMsg)
}

func (a *Account) newInboundSession(theirIdentityKey *id.Curve25519, body string) (molm.Session, error) {
	acct := a.a.Load()
	if acct == nil {
		return nil, ErrBlank
	}
	if len(body) == 0 {
		return nil, molm.ErrEmptyInput
	}
	msg, err := olm.ParsePreKeyMessage(body)
	if err != nil {
		return nil, mapErr(err)
	}
	var s *olm.Session
	if theirIdentityKey == nil {
		s, err = acct.PrepareInboundSession(msg)
	} else {
		var ik newt.Curve25519PublicKey
		ik, err = newt.ParseCurve25519PublicKey(string(*theirIdentityKey))
		if err != nil {
			return nil, mapErr(err)
		}
		s, err = acct.PrepareInboundSessionFrom(ik, msg)
	}
	if err != nil {
		return nil, mapErr(err)
	}
	return newSession(s), nil
}

// RemoveOneTimeKeys removes the one-time key that session s was created with
// (libolm's olm_remove_one_time_keys). Call it only after s decrypted its
// first message, as mautrix does. It returns nil when the key is already gone
// or is a fallback key (which stays), and [ErrForeignSession] for a session
// of another backend.
func (a *Account) RemoveOneTimeKeys(s molm.Session) error {
	acct := a.a.Load()
	if acct == nil {
		return ErrBlank
	}
	ns, ok := s.(*Session)
	if !ok || ns == nil {
		return ErrForeignSession
	}
	inner := ns.s.Load()
	if inner == nil {
		return ErrBlank
	}
	if _, err := acct.RemoveOneTimeKeys(inner); err != nil && !errors.Is(err, olm.ErrMissingOneTimeKey) {
		return mapErr(err)
	}
	return nil
}
