// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package backend_test

import (
	"bytes"
	"errors"
	"testing"

	molm "maunium.net/go/mautrix/crypto/olm"

	"github.com/newt-e2ee/newt/mautrix/backend"
)

var testKey = []byte("test pickle key")

// TestRegister calls each of the fourteen Init* constructors through
// crypto/olm's wrappers after Register and checks that it returns this
// package's type, holding a newt object (or blank, for the blank ones), and
// that the objects work.
func TestRegister(t *testing.T) {
	backend.Register()
	if molm.Driver != "newt" || backend.Driver != "newt" {
		t.Fatalf("Driver = %q", molm.Driver)
	}
	molm.SetPickleKey([]byte("ignored")) // goolm panics here; newt ignores it

	// InitNewAccount, InitNewAccountFromPickled, InitBlankAccount.
	acct, err := molm.NewAccount()
	if err != nil {
		t.Fatal(err)
	}
	if a, ok := acct.(*backend.Account); !ok || a.Newt() == nil {
		t.Fatalf("NewAccount returned %T", acct)
	}
	if err := acct.GenOneTimeKeys(3); err != nil {
		t.Fatal(err)
	}
	pickled, err := acct.Pickle(testKey)
	if err != nil {
		t.Fatal(err)
	}
	acct2, err := molm.AccountFromPickled(pickled, testKey)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := acct2.(*backend.Account); !ok {
		t.Fatalf("AccountFromPickled returned %T", acct2)
	}
	blankAcct := molm.NewBlankAccount()
	if a, ok := blankAcct.(*backend.Account); !ok || a.Newt() != nil {
		t.Fatalf("NewBlankAccount returned %T", blankAcct)
	}
	if err := blankAcct.Unpickle(pickled, testKey); err != nil {
		t.Fatal(err)
	}
	for _, a := range []molm.Account{acct2, blankAcct} {
		p, err := a.Pickle(testKey)
		if err != nil || !bytes.Equal(p, pickled) {
			t.Fatalf("re-pickled account differs (err %v)", err)
		}
	}

	// InitNewBlankSession, InitSessionFromPickled.
	bob := backend.GenerateAccount()
	bob.GenOneTimeKeys(1)
	otks, _ := bob.OneTimeKeys()
	_, bobIK, _ := bob.IdentityKeys()
	var otk string
	for _, k := range otks {
		otk = string(k)
	}
	out, err := acct.NewOutboundSession(bobIK, idCurve(otk))
	if err != nil {
		t.Fatal(err)
	}
	if s, ok := out.(*backend.Session); !ok || s.Newt() == nil {
		t.Fatalf("NewOutboundSession returned %T", out)
	}
	sp, err := out.Pickle(testKey)
	if err != nil {
		t.Fatal(err)
	}
	sess, err := molm.SessionFromPickled(sp, testKey)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := sess.(*backend.Session); !ok || sess.ID() != out.ID() {
		t.Fatalf("SessionFromPickled returned %T %q", sess, sess.ID())
	}
	blankSess := molm.NewBlankSession()
	if s, ok := blankSess.(*backend.Session); !ok || s.Newt() != nil {
		t.Fatalf("NewBlankSession returned %T", blankSess)
	}
	if err := blankSess.Unpickle(sp, testKey); err != nil || blankSess.ID() != out.ID() {
		t.Fatalf("Unpickle into a blank session: %v", err)
	}

	// InitNewOutboundGroupSession, InitNewOutboundGroupSessionFromPickled,
	// InitNewBlankOutboundGroupSession.
	ogs, err := molm.NewOutboundGroupSession()
	if err != nil {
		t.Fatal(err)
	}
	if s, ok := ogs.(*backend.OutboundGroupSession); !ok || s.Newt() == nil {
		t.Fatalf("NewOutboundGroupSession returned %T", ogs)
	}
	sessionKey := ogs.Key()
	msg, err := ogs.Encrypt([]byte("hello room"))
	if err != nil {
		t.Fatal(err)
	}
	op, err := ogs.Pickle(testKey)
	if err != nil {
		t.Fatal(err)
	}
	ogs2, err := molm.OutboundGroupSessionFromPickled(op, testKey)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := ogs2.(*backend.OutboundGroupSession); !ok || ogs2.MessageIndex() != 1 {
		t.Fatalf("OutboundGroupSessionFromPickled returned %T", ogs2)
	}
	blankOGS := molm.NewBlankOutboundGroupSession()
	if s, ok := blankOGS.(*backend.OutboundGroupSession); !ok || s.Newt() != nil {
		t.Fatalf("NewBlankOutboundGroupSession returned %T", blankOGS)
	}
	if err := blankOGS.Unpickle(op, testKey); err != nil || blankOGS.ID() != ogs.ID() {
		t.Fatalf("Unpickle into a blank outbound session: %v", err)
	}

	// InitNewInboundGroupSession, InitInboundGroupSessionImport,
	// InitInboundGroupSessionFromPickled, InitBlankInboundGroupSession.
	igs, err := molm.NewInboundGroupSession([]byte(sessionKey))
	if err != nil {
		t.Fatal(err)
	}
	if s, ok := igs.(*backend.InboundGroupSession); !ok || s.Newt() == nil || !igs.IsVerified() {
		t.Fatalf("NewInboundGroupSession returned %T", igs)
	}
	pt, index, err := igs.Decrypt(msg)
	if err != nil || string(pt) != "hello room" || index != 0 {
		t.Fatalf("Decrypt = %q, %d, %v", pt, index, err)
	}
	exported, err := igs.Export(0)
	if err != nil {
		t.Fatal(err)
	}
	imported, err := molm.InboundGroupSessionImport(exported)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := imported.(*backend.InboundGroupSession); !ok || imported.IsVerified() {
		t.Fatalf("InboundGroupSessionImport returned %T, verified %v", imported, imported.IsVerified())
	}
	ip, err := igs.Pickle(testKey)
	if err != nil {
		t.Fatal(err)
	}
	igs2, err := molm.InboundGroupSessionFromPickled(ip, testKey)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := igs2.(*backend.InboundGroupSession); !ok || igs2.ID() != ogs.ID() {
		t.Fatalf("InboundGroupSessionFromPickled returned %T", igs2)
	}
	blankIGS := molm.NewBlankInboundGroupSession()
	if s, ok := blankIGS.(*backend.InboundGroupSession); !ok || s.Newt() != nil {
		t.Fatalf("NewBlankInboundGroupSession returned %T", blankIGS)
	}
	if err := blankIGS.Unpickle(ip, testKey); err != nil {
		t.Fatal(err)
	}
	if pt, _, err := blankIGS.Decrypt(msg); err != nil || string(pt) != "hello room" {
		t.Fatalf("Decrypt after Unpickle into a blank session: %q, %v", pt, err)
	}

	// InitNewPKSigning, InitNewPKSigningFromSeed.
	signing, err := molm.NewPKSigning()
	if err != nil {
		t.Fatal(err)
	}
	if s, ok := signing.(*backend.PKSigning); !ok || s.Newt() == nil {
		t.Fatalf("NewPKSigning returned %T", signing)
	}
	signing2, err := molm.NewPKSigningFromSeed(signing.Seed())
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := signing2.(*backend.PKSigning); !ok || signing2.PublicKey() != signing.PublicKey() {
		t.Fatalf("NewPKSigningFromSeed returned %T", signing2)
	}
	if _, err := molm.NewPKSigningFromSeed(make([]byte, 31)); !errors.Is(err, molm.ErrBadInput) {
		t.Fatalf("31-byte seed: %v", err)
	}
}

// TestBlank checks that blank objects fail with ErrBlank, or return zero
// values where the interface has no error, and never panic.
func TestBlank(t *testing.T) {
	var a backend.Account
	if _, err := a.Pickle(testKey); !errors.Is(err, backend.ErrBlank) {
		t.Errorf("Account.Pickle: %v", err)
	}
	if _, err := a.IdentityKeysJSON(); !errors.Is(err, backend.ErrBlank) {
		t.Errorf("Account.IdentityKeysJSON: %v", err)
	}
	if _, _, err := a.IdentityKeys(); !errors.Is(err, backend.ErrBlank) {
		t.Errorf("Account.IdentityKeys: %v", err)
	}
	if _, err := a.Sign([]byte("x")); !errors.Is(err, backend.ErrBlank) {
		t.Errorf("Account.Sign: %v", err)
	}
	if _, err := a.OneTimeKeys(); !errors.Is(err, backend.ErrBlank) {
		t.Errorf("Account.OneTimeKeys: %v", err)
	}
	a.MarkKeysAsPublished()
	if a.MaxNumberOfOneTimeKeys() != 100 {
		t.Errorf("MaxNumberOfOneTimeKeys = %d", a.MaxNumberOfOneTimeKeys())
	}
	if err := a.GenOneTimeKeys(1); !errors.Is(err, backend.ErrBlank) {
		t.Errorf("Account.GenOneTimeKeys: %v", err)
	}
	if _, err := a.NewOutboundSession("a", "b"); !errors.Is(err, backend.ErrBlank) {
		t.Errorf("Account.NewOutboundSession: %v", err)
	}
	if _, err := a.NewInboundSession("a"); !errors.Is(err, backend.ErrBlank) {
		t.Errorf("Account.NewInboundSession: %v", err)
	}
	if _, err := a.NewInboundSessionFrom(nil, "a"); !errors.Is(err, backend.ErrBlank) {
		t.Errorf("Account.NewInboundSessionFrom: %v", err)
	}
	if err := a.RemoveOneTimeKeys(new(backend.Session)); !errors.Is(err, backend.ErrBlank) {
		t.Errorf("Account.RemoveOneTimeKeys: %v", err)
	}
	if err := backend.GenerateAccount().RemoveOneTimeKeys(new(backend.Session)); !errors.Is(err, backend.ErrBlank) {
		t.Errorf("Account.RemoveOneTimeKeys(blank session): %v", err)
	}

	var s backend.Session
	if _, err := s.Pickle(testKey); !errors.Is(err, backend.ErrBlank) {
		t.Errorf("Session.Pickle: %v", err)
	}
	if s.ID() != "" || s.HasReceivedMessage() || s.Describe() != "" || s.EncryptMsgType() != 0 {
		t.Error("blank session has a state")
	}
	if _, err := s.MatchesInboundSession("a"); !errors.Is(err, backend.ErrBlank) {
		t.Errorf("Session.MatchesInboundSession: %v", err)
	}
	if _, err := s.MatchesInboundSessionFrom("a", "b"); !errors.Is(err, backend.ErrBlank) {
		t.Errorf("Session.MatchesInboundSessionFrom: %v", err)
	}
	if _, _, err := s.Encrypt([]byte("x")); !errors.Is(err, backend.ErrBlank) {
		t.Errorf("Session.Encrypt: %v", err)
	}
	if _, err := s.Decrypt("a", 1); !errors.Is(err, backend.ErrBlank) {
		t.Errorf("Session.Decrypt: %v", err)
	}

	var igs backend.InboundGroupSession
	if _, err := igs.Pickle(testKey); !errors.Is(err, backend.ErrBlank) {
		t.Errorf("InboundGroupSession.Pickle: %v", err)
	}
	if _, _, err := igs.Decrypt([]byte("a")); !errors.Is(err, backend.ErrBlank) {
		t.Errorf("InboundGroupSession.Decrypt: %v", err)
	}
	if _, err := igs.Export(0); !errors.Is(err, backend.ErrBlank) {
		t.Errorf("InboundGroupSession.Export: %v", err)
	}
	if igs.ID() != "" || igs.FirstKnownIndex() != 0 || igs.IsVerified() {
		t.Error("blank inbound group session has a state")
	}

	var ogs backend.OutboundGroupSession
	if _, err := ogs.Pickle(testKey); !errors.Is(err, backend.ErrBlank) {
		t.Errorf("OutboundGroupSession.Pickle: %v", err)
	}
	if _, err := ogs.Encrypt([]byte("x")); !errors.Is(err, backend.ErrBlank) {
		t.Errorf("OutboundGroupSession.Encrypt: %v", err)
	}
	if ogs.ID() != "" || ogs.MessageIndex() != 0 || ogs.Key() != "" {
		t.Error("blank outbound group session has a state")
	}

	var sig backend.PKSigning
	if sig.Seed() != nil || sig.PublicKey() != "" {
		t.Error("zero PKSigning has a key")
	}
	if _, err := sig.Sign([]byte("x")); !errors.Is(err, backend.ErrBlank) {
		t.Errorf("PKSigning.Sign: %v", err)
	}
	if _, err := sig.SignJSON(map[string]any{}); !errors.Is(err, backend.ErrBlank) {
		t.Errorf("PKSigning.SignJSON: %v", err)
	}
}
