// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// Package backend is newt as an Olm backend of mautrix-go
// (maunium.net/go/mautrix v0.33): the five interfaces of mautrix's
// crypto/olm package (Account, Session, InboundGroupSession,
// OutboundGroupSession, PKSigning) implemented on newt's olm, megolm and pk
// packages, and [Register], which points crypto/olm's fourteen Init*
// constructors, SetPickleKeyImpl and Driver at them.
//
// Most programs do not import this package: they blank-import
// github.com/newt-e2ee/newt/mautrix, which registers it at the right moment of
// Go's initialisation (after mautrix's crypto package has registered goolm or
// libolm). Call [Register] yourself only where that package cannot be
// imported: in code that package crypto imports, such as mautrix's own
// in-package tests, or to switch backends at run time.
//
// # Compatibility
//
// Pickles are libolm's format, byte for byte what goolm and libolm write for
// the same state, so a crypto store written by either loads here and a store
// written here loads in either (mautrix itself reloads account pickles with
// goolm when a pre-key message fails to decrypt). Messages, session keys and
// exports are libolm's too. The zero value of each type is the blank object
// of mautrix's interface: it holds nothing until Unpickle fills it, and its
// methods fail with [ErrBlank] (or return zero values where the interface has
// no error) instead of panicking.
//
// Inbound Olm sessions follow mautrix's flow (crypto/decryptolm.go):
// Account.NewInboundSessionFrom creates the session without decrypting the
// pre-key message or removing its one-time key (newt's
// olm.Account.PrepareInboundSessionFrom), Session.Decrypt decrypts it, and
// Account.RemoveOneTimeKeys removes the key afterwards, returning nil when the
// key is already gone. New code that uses newt directly should prefer
// olm.Account.NewInboundSession, which does the three steps at once.
//
// As in goolm and libolm, empty plaintexts, messages and pickles fail with
// crypto/olm.ErrEmptyInput and empty pickle keys with
// crypto/olm.ErrNoKeyProvided.
//
// # Errors
//
// Every failure keeps newt's own error, so errors.Is and errors.As find newt's
// sentinels and types ([megolm.ErrUnknownMessageIndex],
// [*megolm.UnknownMessageIndexError], [olm.ErrBadMAC], ...), and where one of
// mautrix's crypto/olm sentinels names the same failure the error matches it
// too: crypto/olm.ErrUnknownMessageIndex from InboundGroupSession.Decrypt and
// Export before the first known index, ErrBadMAC, ErrBadSignature,
// ErrBadMessageFormat, ErrBadMessageKeyID, and so on (see each
// method). No error message contains secrets.
//
// # Security
//
// The security properties are newt's (see packages olm and megolm): strict
// Ed25519, low-order keys refused, MACs checked in constant time before
// decryption, and no state change on a failed operation. The one exception is
// the one mautrix's interface imposes: a one-time key is removed only when the
// caller calls RemoveOneTimeKeys, which mautrix does after a successful
// decryption. Objects are safe for concurrent use, as newt's are.
package backend
