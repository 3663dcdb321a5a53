// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/crypto/olm"
	"maunium.net/go/mautrix/synapseadmin"
)

func main() {
	if len(os.Args) == 2 && os.Args[1] == "-free-port" {
		p, err := freePort()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Println(p)
		return
	}
	hsURL := flag.String("homeserver", "", "homeserver URL")
	secret := flag.String("shared-secret", "", "the homeserver's registration shared secret")
	work := flag.String("work", "", "directory for databases and logs")
	botBin := flag.String("bot", "", "the bot binary")
	jsScript := flag.String("js", "", "js/client.mjs")
	pidfile := flag.String("dendrite-pidfile", "", "file with the homeserver's PID")
	hsDir := flag.String("dendrite-dir", "", "working directory of the homeserver")
	hsLog := flag.String("dendrite-log", "", "log file of the homeserver")
	run := flag.String("run", "", "run only the checks whose name matches this regular expression (setup always runs)")
	verbose := flag.Bool("v", false, "print progress")
	wantDriver := flag.String("bot-driver", "", "fail unless the bot runs on this Olm driver (mautrix's olm.Driver)")
	flag.Parse()
	if *hsURL == "" || *secret == "" || *work == "" || *botBin == "" || *jsScript == "" || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: harness -homeserver URL -shared-secret S -work DIR -bot BIN -js client.mjs [-dendrite-pidfile F ...] -- DENDRITE COMMAND...")
		os.Exit(2)
	}
	var filter *regexp.Regexp
	if *run != "" {
		filter = regexp.MustCompile(*run)
	}

	e := &env{
		hs:      &homeserver{url: *hsURL, secret: *secret, pidfile: *pidfile, dir: *hsDir, logPath: *hsLog, cmd: flag.Args()},
		work:    *work,
		botBin:  *botBin,
		verbose: *verbose,
	}
	ctx := context.Background()
	fmt.Printf("harness: Olm driver %s (mautrix-go peers)\n", olm.Driver)

	var passed, failed int
	start := time.Now()
	report := func(name string, took time.Duration, err error) {
		if err != nil {
			failed++
			fmt.Printf("FAIL %-44s %6.1fs  %v\n", name, took.Seconds(), err)
		} else {
			passed++
			fmt.Printf("ok   %-44s %6.1fs\n", name, took.Seconds())
		}
	}

	t := time.Now()
	err := e.setup(ctx, *jsScript)
	report("setup: users, bot, js-sdk and mautrix clients", time.Since(t), err)
	if err == nil && *wantDriver != "" && e.bot.driver != *wantDriver {
		report("the bot runs on Olm driver "+*wantDriver, 0, fmt.Errorf("it runs on %q", e.bot.driver))
		err = fmt.Errorf("wrong driver")
	}
	if err == nil {
		fmt.Printf("bot: Olm driver %s, device %s\n", e.bot.driver, e.bot.deviceID)
		for _, c := range e.checks() {
			if filter != nil && !filter.MatchString(c.name) && !c.always {
				continue
			}
			t := time.Now()
			cctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
			err := c.fn(cctx)
			cancel()
			report(c.name, time.Since(t), err)
		}
	}
	e.teardown()
	fmt.Printf("checks took %.0fs\n", time.Since(start).Seconds())
	fmt.Printf("%d passed, %d failed\n", passed, failed)
	if failed > 0 {
		os.Exit(1)
	}
}

// register creates a user with the shared-secret registration API and
// returns the password.
func (e *env) register(ctx context.Context, user string) (string, error) {
	cli, err := mautrix.NewClient(e.hs.url, "", "")
	if err != nil {
		return "", err
	}
	pw := make([]byte, 16)
	rand.Read(pw)
	password := hex.EncodeToString(pw)
	admin := synapseadmin.Client{Client: cli}
	if _, err := admin.SharedSecretRegister(ctx, e.hs.secret, synapseadmin.ReqSharedSecretRegister{
		Username: user, Password: password,
	}); err != nil {
		return "", fmt.Errorf("registering %s: %w", user, err)
	}
	return password, nil
}

func (e *env) path(name string) string { return filepath.Join(e.work, name) }

func (e *env) logf(format string, args ...any) {
	if e.verbose {
		fmt.Printf("    . "+format+"\n", args...)
	}
}

func userID(local string) string { return "@" + local + ":localhost" }
