// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package main

import (
	"bytes"
	"strings"
	"testing"
)

// result is what one in-process run of newt produced.
type result struct {
	stdout, stderr string
	code           int
}

// runNewt runs the command line args in-process with stdin as input.
func runNewt(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errOut)
	return result{out.String(), errOut.String(), code}
}

// wantOneLineError checks that r failed with the exit code and one line on
// stderr that starts with prefix.
func wantOneLineError(t *testing.T, r result, code int, prefix string) {
	t.Helper()
	if r.code != code {
		t.Errorf("exit code %d, want %d (stderr %q)", r.code, code, r.stderr)
	}
	if !strings.HasPrefix(r.stderr, prefix) {
		t.Errorf("stderr = %q, want prefix %q", r.stderr, prefix)
	}
	if strings.Count(r.stderr, "\n") != 1 || !strings.HasSuffix(r.stderr, "\n") {
		t.Errorf("stderr is not exactly one line: %q", r.stderr)
	}
	if strings.Contains(r.stderr, "goroutine") || strings.Contains(r.stderr, "panic") {
		t.Errorf("stderr looks like a crash: %q", r.stderr)
	}
}

func TestHelp(t *testing.T) {
	kv := knownVectors(t)
	vecM1 := kv["vecM1"]
	for _, args := range [][]string{
		{"--help"}, {"-h"}, {"help"},
		{"demo", "--help"}, {"demo", "-h"}, {"help", "demo"},
		{"inspect", "--help"}, {"inspect", "-h"}, {"help", "inspect"},
		{"inspect", vecM1, "--help"},
		{"pickle", "--help"}, {"pickle", "-h"}, {"help", "pickle"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			r := runNewt(t, "", args...)
			if r.code != exitOK {
				t.Errorf("exit code %d, want 0", r.code)
			}
			if r.stderr != "" {
				t.Errorf("stderr = %q, want nothing", r.stderr)
			}
			if !strings.Contains(r.stdout, "Usage:") {
				t.Errorf("stdout has no usage:\n%s", r.stdout)
			}
			if len(args) == 2 && args[0] != "help" {
				if !strings.Contains(r.stdout, "newt "+args[0]) {
					t.Errorf("usage does not name the command %q:\n%s", args[0], r.stdout)
				}
			}
		})
	}
}

func TestTopLevelUsageErrors(t *testing.T) {
	r := runNewt(t, "")
	if r.code != exitUsage || !strings.Contains(r.stderr, "Usage:") || r.stdout != "" {
		t.Errorf("no arguments: code %d, stdout %q, stderr %q; want 2 and the usage on stderr", r.code, r.stdout, r.stderr)
	}
	for _, args := range [][]string{
		{"frobnicate"},
		{"--verbose"},
		{"help", "frobnicate"},
		{"help", "demo", "inspect"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			r := runNewt(t, "", args...)
			wantOneLineError(t, r, exitUsage, "newt")
			if r.stdout != "" {
				t.Errorf("stdout = %q, want nothing", r.stdout)
			}
		})
	}
}

func TestParseArgsInterspersed(t *testing.T) {
	fs := newFlagSet("test")
	j := fs.Bool("json", false, "")
	pos, err := parseArgs(fs, []string{"a", "--json", "b", "--", "--json", "-"})
	if err != nil {
		t.Fatal(err)
	}
	if !*j {
		t.Error("--json after a positional argument was not parsed")
	}
	if want := []string{"a", "b", "--json", "-"}; strings.Join(pos, " ") != strings.Join(want, " ") {
		t.Errorf("positional = %q, want %q", pos, want)
	}
}

func TestOneLine(t *testing.T) {
	if got := oneLine("a\nb\r\n\tc \x7f"); got != "a b c" {
		t.Errorf("oneLine = %q, want %q", got, "a b c")
	}
}
