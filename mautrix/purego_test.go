// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package mautrix_test

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestPureGoProgram builds internal/puregocheck, a program whose only link
// to newt is the blank import a bot adds, the way the package doc tells bots
// to build (CGO_ENABLED=0, -tags goolm), runs it, and checks that it really
// runs on newt: crypto/olm.Driver is "newt", an OlmMachine's account and
// every one of the fourteen constructors return this module's backend types,
// and Olm and Megolm round trips work. Without the blank import's init
// ordering (see register.go) the program would end up on goolm.
func TestPureGoProgram(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command:", err)
	}
	bin := filepath.Join(t.TempDir(), "puregocheck")
	build := exec.Command(goTool, "build", "-tags", "goolm", "-o", bin, "./internal/puregocheck")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin).Output()
	if err != nil {
		t.Fatalf("run: %v\n%s", err, out)
	}
	got := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), " ")
		got[k] = v
	}

	want := map[string]string{
		"build:CGO_ENABLED": "0",
		"build:-tags":       "goolm",
		"driver":            "newt",
		"olm":               `"olm works"`,
		"megolm":            `"megolm works"`,
	}
	const pkg = "github.com/newt-e2ee/newt/mautrix/backend."
	types := map[string]string{
		"machine-account":                 "Account",
		"NewAccount":                      "Account",
		"NewBlankAccount":                 "Account",
		"AccountFromPickled":              "Account",
		"SessionFromPickled":              "Session",
		"NewBlankSession":                 "Session",
		"NewOutboundGroupSession":         "OutboundGroupSession",
		"NewBlankOutboundGroupSession":    "OutboundGroupSession",
		"OutboundGroupSessionFromPickled": "OutboundGroupSession",
		"NewInboundGroupSession":          "InboundGroupSession",
		"NewBlankInboundGroupSession":     "InboundGroupSession",
		"InboundGroupSessionFromPickled":  "InboundGroupSession",
		"InboundGroupSessionImport":       "InboundGroupSession",
		"NewPKSigning":                    "PKSigning",
		"NewPKSigningFromSeed":            "PKSigning",
	}
	for k, v := range types {
		want[k] = pkg + v
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	if t.Failed() {
		t.Logf("output:\n%s", out)
	}
}
