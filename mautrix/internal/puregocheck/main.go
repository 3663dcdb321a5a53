// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package main

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"runtime/debug"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/crypto"
	"maunium.net/go/mautrix/crypto/olm"
	"maunium.net/go/mautrix/id"

	_ "github.com/newt-e2ee/newt/mautrix"
)

func main() {
	if err := run(); err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
}

func run() error {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "CGO_ENABLED" || s.Key == "-tags" {
				fmt.Println("build:"+s.Key, s.Value)
			}
		}
	}
	fmt.Println("driver", olm.Driver)

	client, err := mautrix.NewClient("https://example.org", "@bot:example.org", "token")
	if err != nil {
		return err
	}
	client.DeviceID = "BOT"
	mach := crypto.NewOlmMachine(client, nil, crypto.NewMemoryStore(nil), mautrix.NewMemoryStateStore().(crypto.StateStore))
	if err := mach.Load(context.Background()); err != nil {
		return err
	}
	fmt.Println("machine-account", typeName(mach.GetAccount().Internal))

	key := []byte("pickle key")
	acct, err := olm.NewAccount()
	if err != nil {
		return err
	}
	fmt.Println("NewAccount", typeName(acct))
	fmt.Println("NewBlankAccount", typeName(olm.NewBlankAccount()))
	ap, err := acct.Pickle(key)
	if err != nil {
		return err
	}
	a2, err := olm.AccountFromPickled(ap, key)
	if err != nil {
		return err
	}
	fmt.Println("AccountFromPickled", typeName(a2))

	if err := a2.GenOneTimeKeys(1); err != nil {
		return err
	}
	otks, _ := a2.OneTimeKeys()
	_, ik, _ := a2.IdentityKeys()
	var otk string
	for _, k := range otks {
		otk = string(k)
	}
	out, err := acct.NewOutboundSession(ik, id.Curve25519(otk))
	if err != nil {
		return err
	}
	typ, body, err := out.Encrypt([]byte("olm works"))
	if err != nil {
		return err
	}
	in, err := a2.NewInboundSession(string(body))
	if err != nil {
		return err
	}
	pt, err := in.Decrypt(string(body), typ)
	if err != nil {
		return err
	}
	fmt.Printf("olm %q\n", pt)
	sp, _ := in.Pickle(key)
	s2, err := olm.SessionFromPickled(sp, key)
	if err != nil {
		return err
	}
	fmt.Println("SessionFromPickled", typeName(s2))
	fmt.Println("NewBlankSession", typeName(olm.NewBlankSession()))

	ogs, err := olm.NewOutboundGroupSession()
	if err != nil {
		return err
	}
	fmt.Println("NewOutboundGroupSession", typeName(ogs))
	fmt.Println("NewBlankOutboundGroupSession", typeName(olm.NewBlankOutboundGroupSession()))
	op, _ := ogs.Pickle(key)
	ogs2, err := olm.OutboundGroupSessionFromPickled(op, key)
	if err != nil {
		return err
	}
	fmt.Println("OutboundGroupSessionFromPickled", typeName(ogs2))
	igs, err := olm.NewInboundGroupSession([]byte(ogs.Key()))
	if err != nil {
		return err
	}
	fmt.Println("NewInboundGroupSession", typeName(igs))
	fmt.Println("NewBlankInboundGroupSession", typeName(olm.NewBlankInboundGroupSession()))
	msg, err := ogs.Encrypt([]byte("megolm works"))
	if err != nil {
		return err
	}
	pt, _, err = igs.Decrypt(msg)
	if err != nil {
		return err
	}
	fmt.Printf("megolm %q\n", pt)
	ip, _ := igs.Pickle(key)
	igs2, err := olm.InboundGroupSessionFromPickled(ip, key)
	if err != nil {
		return err
	}
	fmt.Println("InboundGroupSessionFromPickled", typeName(igs2))
	exp, err := igs.Export(0)
	if err != nil {
		return err
	}
	imp, err := olm.InboundGroupSessionImport(exp)
	if err != nil {
		return err
	}
	fmt.Println("InboundGroupSessionImport", typeName(imp))

	sig, err := olm.NewPKSigning()
	if err != nil {
		return err
	}
	fmt.Println("NewPKSigning", typeName(sig))
	sig2, err := olm.NewPKSigningFromSeed(sig.Seed())
	if err != nil {
		return err
	}
	fmt.Println("NewPKSigningFromSeed", typeName(sig2))
	return nil
}

// typeName returns the package path and name of the type v points to, such
// as github.com/newt-e2ee/newt/mautrix/backend.Account.
func typeName(v any) string {
	t := reflect.TypeOf(v)
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.PkgPath() + "." + t.Name()
}
