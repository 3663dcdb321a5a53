// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package main

import (
	"regexp"
	"strings"
	"testing"
)

func TestDemo(t *testing.T) {
	r := runNewt(t, "", "demo")
	if r.code != exitOK {
		t.Fatalf("exit code %d, stderr %q\n%s", r.code, r.stderr, r.stdout)
	}
	if r.stderr != "" {
		t.Errorf("stderr = %q, want nothing", r.stderr)
	}
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if last := lines[len(lines)-1]; last != "demo complete: all checks passed" {
		t.Errorf("last line = %q", last)
	}
	if strings.Contains(r.stdout, "FAIL") {
		t.Errorf("a check failed:\n%s", r.stdout)
	}
	for _, want := range []string{
		"== 1. Olm", "== 2. Megolm", "== 3. SAS", "== 4. Key backup",
		"as a pre-key message (type 0", "as a normal message (type 1",
		"Bob reads \"Hello, Bob\"", "Alice reads \"Hello, Alice\"",
		"Bob reads #0", "Carol reads #0", "Carol reads #1", "Alice reads #0",
		"Bob's screen shows the same emoji", "Bob's screen shows the same numbers",
		"Bob verifies the MAC of Alice's device key", "Alice verifies the MAC of Bob's device key",
		"Alice's new device reads #0",
		"session key: 306 chars (secret, not shown)",
		"exported session key: 220 chars (secret, not shown)",
		"private key: 32 bytes (secret, not shown)",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	// Seven emoji, each with its description: "    <symbol>  <name>".
	emoji := regexp.MustCompile(`(?m)^    \S+  [A-Z][a-z]+( [A-Za-z]+)?$`)
	if n := len(emoji.FindAllString(r.stdout, -1)); n != 7 {
		t.Errorf("found %d emoji lines, want 7", n)
	}
	if !regexp.MustCompile(`(?m)^or, as numbers: \d{4} \d{4} \d{4}$`).MatchString(r.stdout) {
		t.Error("no decimals line")
	}
	// Only shortened public data: no base64 run long enough to be a whole
	// key, session key, message or MAC.
	if long := regexp.MustCompile(`[A-Za-z0-9+/]{16,}`).FindString(r.stdout); long != "" {
		t.Errorf("output contains a long base64-like string %q", long)
	}
}

// A failing check makes the demo fail: exit status 1, one error line and no
// success line.
func TestDemoFailingCheck(t *testing.T) {
	testOnlyFailCheck = "Carol reads #1"
	t.Cleanup(func() { testOnlyFailCheck = "" })
	r := runNewt(t, "", "demo")
	wantOneLineError(t, r, exitFail, "newt demo: 1 of ")
	if strings.Contains(r.stdout, "demo complete") {
		t.Error("a failed demo printed the success line")
	}
	if !strings.Contains(r.stdout, "  FAIL Carol reads #1") {
		t.Errorf("the failed check is not marked:\n%s", r.stdout)
	}
}

func TestDemoUsage(t *testing.T) {
	r := runNewt(t, "", "demo", "extra")
	wantOneLineError(t, r, exitUsage, "newt demo: ")
	r = runNewt(t, "", "demo", "--seed", "1")
	wantOneLineError(t, r, exitUsage, "newt demo: ")
}
