// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"maunium.net/go/mautrix/id"
)

// env is what the checks share: the homeserver, the bot, the clients and the
// rooms made by earlier checks.
type env struct {
	hs      *homeserver
	work    string
	botBin  string
	verbose bool

	passwords map[string]string
	pickleKey string

	bot    *botProc
	botDB  string
	js     *jsDriver
	alice  *jsClient // js-sdk, device 1
	alice2 *jsClient // js-sdk, device 2 (second-device check)
	carol  *jsClient // js-sdk, verifies the bot
	dave   *jsClient // js-sdk, verified by the bot
	bob    *peer     // mautrix-go

	roomA string // created by alice: alice, bob, the bot
	roomB string // created by bob: bob, the bot
	roomR string // created by bob with rotation_period_msgs: bob, alice, the bot
}

type checkDef struct {
	name   string
	fn     func(ctx context.Context) error
	always bool // runs even when -run does not match (later checks need it)
}

const botUser = "newtbot"

func (e *env) setup(ctx context.Context, jsScript string) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	e.passwords = map[string]string{}
	for _, u := range []string{botUser, "alice", "bob", "carol", "dave"} {
		pw, err := e.register(ctx, u)
		if err != nil {
			return err
		}
		e.passwords[u] = pw
	}
	k := make([]byte, 32)
	rand.Read(k)
	e.pickleKey = hex.EncodeToString(k)
	e.botDB = e.path("bot.db")
	e.bot = e.newBot(e.botDB, "bot.log")
	if err := e.bot.start(ctx); err != nil {
		return fmt.Errorf("starting the bot: %w", err)
	}
	var err error
	if e.js, err = startJS(jsScript, e.path("js.log")); err != nil {
		return err
	}
	if e.alice, err = e.js.login(ctx, "alice", e.hs.url, "alice", e.passwords["alice"]); err != nil {
		return err
	}
	if e.carol, err = e.js.login(ctx, "carol", e.hs.url, "carol", e.passwords["carol"]); err != nil {
		return err
	}
	if e.dave, err = e.js.login(ctx, "dave", e.hs.url, "dave", e.passwords["dave"]); err != nil {
		return err
	}
	e.bob, err = newPeer(ctx, "bob", e.hs.url, "bob", e.passwords["bob"], e.path("bob.db"), e.path("bob.log"))
	return err
}

// newBot describes a bot process on the given database, as newtbot.
func (e *env) newBot(db, logName string, extra ...string) *botProc {
	return &botProc{
		bin:     e.botBin,
		args:    append([]string{"-homeserver", e.hs.url, "-user", botUser, "-database", db, "-console", "-debug"}, extra...),
		env:     []string{"NEWT_BOT_PASSWORD=" + e.passwords[botUser], "NEWT_BOT_PICKLE_KEY=" + e.pickleKey},
		logPath: e.path(logName),
	}
}

func (e *env) teardown() {
	if e.bot != nil {
		if err := e.bot.stop(); err != nil {
			fmt.Println("teardown: bot:", err)
		}
	}
	if e.bob != nil {
		e.bob.close()
	}
	if e.js != nil {
		e.js.close()
	}
}

func (e *env) storeView() (*storeView, error) { return openStore(e.botDB) }

var botID = id.UserID(userID(botUser))

// pingJS sends "!ping tag" from a js-sdk client and waits for the bot's
// encrypted "pong tag", as seen by every client in also too.
func (e *env) pingJS(ctx context.Context, c *jsClient, room, tag string, also ...*jsClient) (*jsEvent, error) {
	if _, err := c.send(ctx, room, "!ping "+tag); err != nil {
		return nil, err
	}
	var first *jsEvent
	for _, cl := range append([]*jsClient{c}, also...) {
		r, err := cl.waitMessage(ctx, room, botID.String(), "pong "+tag, 60*time.Second)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", cl.name, err)
		}
		if !r.Encrypted || r.SessionID == "" {
			return nil, fmt.Errorf("%s: the bot's reply %s was not encrypted", cl.name, r.EventID)
		}
		if first == nil {
			first = r
		}
	}
	return first, nil
}

// pingGo does the same from the mautrix-go client.
func (e *env) pingGo(ctx context.Context, room, tag string) (*peerEvent, error) {
	if _, err := e.bob.send(ctx, id.RoomID(room), "!ping "+tag); err != nil {
		return nil, err
	}
	r, err := e.bob.waitMessage(ctx, id.RoomID(room), botID, "pong "+tag, 60*time.Second)
	if err != nil {
		return nil, err
	}
	if !r.encrypted || r.sessionID == "" {
		return nil, fmt.Errorf("the bot's reply %s was not encrypted", r.id)
	}
	return r, nil
}

// botSawEncrypted checks in the bot's log that it received event eventID
// decrypted.
func (e *env) botSawEncrypted(ctx context.Context, eventID string) error {
	_, err := e.bot.log.wait(ctx, 0, 30*time.Second, "message "+eventID, func(m map[string]any) bool {
		return m["message"] == "message" && m["event_id"] == eventID && m["encrypted"] == true
	})
	return err
}

func parseHistory(body string) (ok, failed int, err error) {
	if !strings.HasPrefix(body, "history: ") {
		return 0, 0, fmt.Errorf("not a history reply: %q", body)
	}
	_, err = fmt.Sscanf(body, "history: %d decrypted, %d failed", &ok, &failed)
	return ok, failed, err
}
