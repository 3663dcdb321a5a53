// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// Exit codes shared by every command.
const (
	exitOK    = 0 // the command did what was asked
	exitFail  = 1 // the operation failed: bad input, wrong key, failed check
	exitUsage = 2 // the command line itself was wrong
)

// maxInput bounds what is read from stdin or a key file: every object the
// commands handle is a few kilobytes at most, so anything larger is a mistake.
const maxInput = 1 << 20

const topUsage = `newt: Matrix Olm, Megolm, pk and SAS in pure Go (libolm-compatible)

Usage:
  newt <command> [flags] [arguments]

Commands:
  demo      run Olm, Megolm, SAS and key backup between three devices
  inspect   decode an Olm or Megolm message, session key or exported key
  pickle    summarise a libolm pickle (account, session, group session, pk)
  keys      key export files, key backups and recovery keys
  help      show help for a command

Run 'newt <command> --help' for the flags of a command.
Exit status: 0 on success, 1 if the operation failed, 2 on a usage error.
`

// command is one subcommand of newt.
type command struct {
	name  string
	usage string
	run   func(args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

// commands returns the subcommands in the order the usage lists them.
func commands() []command {
	return []command{
		{"demo", demoUsage, runDemo},
		{"inspect", inspectUsage, runInspect},
		{"pickle", pickleUsage, runPickle},
		{"keys", keysUsage, runKeys},
	}
}

func lookup(name string) (command, bool) {
	for _, c := range commands() {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run executes the newt command line args (without the program name) and
// returns the process exit status. It is main without the process: tests
// call it directly.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, topUsage)
		return exitUsage
	}
	switch name := args[0]; name {
	case "-h", "-help", "--help":
		fmt.Fprint(stdout, topUsage)
		return exitOK
	case "help":
		if len(args) == 1 {
			fmt.Fprint(stdout, topUsage)
			return exitOK
		}
		if len(args) > 2 {
			return usageError(stderr, "newt help", "too many arguments")
		}
		c, ok := lookup(args[1])
		if !ok {
			return usageError(stderr, "newt help", fmt.Sprintf("unknown command %q (run 'newt --help')", args[1]))
		}
		fmt.Fprint(stdout, c.usage)
		return exitOK
	default:
		c, ok := lookup(name)
		if !ok {
			if strings.HasPrefix(name, "-") {
				return usageError(stderr, "newt", fmt.Sprintf("unknown flag %s (run 'newt --help')", name))
			}
			return usageError(stderr, "newt", fmt.Sprintf("unknown command %q (run 'newt --help')", name))
		}
		return c.run(args[1:], stdin, stdout, stderr)
	}
}

// oneLine makes s safe to print as a single line: every run of control
// characters (a newline in a wrapped error, say) becomes one space.
func oneLine(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(r)
	}
	return strings.TrimSpace(b.String())
}

// failure prints "prog: msg" on one line of stderr and returns exitFail.
func failure(stderr io.Writer, prog, msg string) int {
	fmt.Fprintf(stderr, "%s: %s\n", prog, oneLine(msg))
	return exitFail
}

// usageError prints "prog: msg" on one line of stderr and returns exitUsage.
func usageError(stderr io.Writer, prog, msg string) int {
	fmt.Fprintf(stderr, "%s: %s\n", prog, oneLine(msg))
	return exitUsage
}

// newFlagSet returns a flag set that reports errors to the caller instead of
// printing them, so that each command can print its own one-line error.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// errHelp is returned by parseArgs when -h or --help was given.
var errHelp = flag.ErrHelp

// parseArgs parses flags that may appear before, between or after the
// positional arguments (the flag package alone stops at the first
// positional), and returns the positionals. After "--" everything is
// positional.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		consumed := len(args) - len(rest)
		if consumed > 0 && args[consumed-1] == "--" {
			return append(positional, rest...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// parseCommandLine parses args for the command prog. It returns done = true
// with the exit status when the command must stop: after printing the usage
// for --help (exitOK) or a one-line error for a bad flag (exitUsage).
func parseCommandLine(fs *flag.FlagSet, prog, usage string, args []string, stdout, stderr io.Writer) (positional []string, status int, done bool) {
	positional, err := parseArgs(fs, args)
	if errors.Is(err, errHelp) {
		fmt.Fprint(stdout, usage)
		return nil, exitOK, true
	}
	if err != nil {
		return nil, usageError(stderr, prog, err.Error()+" (run '"+prog+" --help')"), true
	}
	return positional, exitOK, false
}

// readInput returns the single positional argument, or stdin when there is
// none or it is "-", with surrounding white space removed. what names the
// input in errors.
func readInput(positional []string, stdin io.Reader, what string) (string, error) {
	var s string
	if len(positional) == 0 || positional[0] == "-" {
		if stdin == nil {
			return "", fmt.Errorf("no %s given and no standard input", what)
		}
		b, err := io.ReadAll(io.LimitReader(stdin, maxInput+1))
		if err != nil {
			return "", fmt.Errorf("reading %s from standard input: %v", what, err)
		}
		if len(b) > maxInput {
			return "", fmt.Errorf("%s on standard input is larger than %d bytes", what, maxInput)
		}
		s = string(b)
	} else {
		s = positional[0]
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return "", fmt.Errorf("empty %s", what)
	}
	return s, nil
}
