// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package main

import (
	"context"
	"fmt"
	mrand "math/rand/v2"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"
)

func (e *env) checks() []checkDef {
	return []checkDef{
		{name: "room/js-sdk: encrypted room, messages both ways", fn: e.checkRoomJS, always: true},
		{name: "room/mautrix-goolm: encrypted room, both ways", fn: e.checkRoomGo, always: true},
		{name: "many/js-sdk: 40 messages each way", fn: e.checkManyJS},
		{name: "many/mautrix-goolm: 40 each way, out of order", fn: e.checkManyGo},
		{name: "second-device: keys and Olm to both devices", fn: e.checkSecondDevice},
		{name: "restart: same sqlite file, old and new msgs", fn: e.checkRestart},
		{name: "rotation: rotation_period_msgs reaches all", fn: e.checkRotationCount},
		{name: "rotation: a member leaves", fn: e.checkRotationLeave},
		{name: "sas: js-sdk verifies the bot (emoji)", fn: e.checkSASFromJS},
		{name: "sas: the bot verifies js-sdk (emoji)", fn: e.checkSASFromBot},
		{name: "backup: newt keys restore js-sdk's backup", fn: e.checkBackup},
		{name: "bad: homeserver restarts mid-conversation", fn: e.checkHomeserverRestart},
		{name: "bad: Megolm event, bad MAC (validly signed)", fn: e.checkTamperMegolmMAC},
		{name: "bad: Megolm event, bad signature", fn: e.checkTamperMegolmSignature},
		{name: "bad: Olm to-device message, bad MAC", fn: e.checkTamperOlm},
		{name: "bad: store copied while running, kill -9", fn: e.checkStoreCopy},
	}
}

func (e *env) checkRoomJS(ctx context.Context) error {
	r, err := e.alice.createRoom(ctx, []string{botID.String(), userID("bob")}, 0)
	if err != nil {
		return err
	}
	e.roomA = r
	if err := e.alice.waitMember(ctx, r, botID.String(), "join"); err != nil {
		return err
	}
	if err := e.bob.waitMembership(ctx, id.RoomID(r), id.UserID(userID("bob")), event.MembershipJoin); err != nil {
		return err
	}
	if err := e.bob.waitEncrypted(ctx, id.RoomID(r)); err != nil {
		return err
	}
	ev, err := e.alice.send(ctx, r, "!ping js-1")
	if err != nil {
		return err
	}
	if _, err := e.alice.waitMessage(ctx, r, botID.String(), "pong js-1", 60*time.Second); err != nil {
		return err
	}
	if err := e.botSawEncrypted(ctx, ev); err != nil {
		return err
	}
	// The third member decrypts both sides too.
	if _, err := e.bob.waitMessage(ctx, id.RoomID(r), botID, "pong js-1", 30*time.Second); err != nil {
		return err
	}
	_, err = e.bob.waitMessage(ctx, id.RoomID(r), id.UserID(userID("alice")), "!ping js-1", 30*time.Second)
	return err
}

func (e *env) checkRoomGo(ctx context.Context) error {
	r, err := e.bob.createRoom(ctx, []id.UserID{botID}, 0)
	if err != nil {
		return err
	}
	e.roomB = r.String()
	if err := e.bob.waitMembership(ctx, r, botID, event.MembershipJoin); err != nil {
		return err
	}
	_, err = e.pingGo(ctx, e.roomB, "go-1")
	return err
}

func (e *env) checkManyJS(ctx context.Context) error {
	const n = 40
	bodies := make([]string, n)
	for i := range bodies {
		bodies[i] = fmt.Sprintf("!ping js-many-%d", i)
	}
	if err := e.alice.do(ctx, "sendMany", map[string]any{"roomId": e.roomA, "bodies": bodies}, nil); err != nil {
		return err
	}
	for i := range n {
		if _, err := e.alice.waitMessage(ctx, e.roomA, botID.String(), fmt.Sprintf("pong js-many-%d", i), 90*time.Second); err != nil {
			return err
		}
	}
	return nil
}

// checkManyGo encrypts 40 messages first and sends them shuffled, so the bot
// receives Megolm message indexes out of order; then it reads the bot's
// replies back from the server newest first and decrypts them in that order.
func (e *env) checkManyGo(ctx context.Context) error {
	const n = 40
	room := id.RoomID(e.roomB)
	contents := make([]*event.EncryptedEventContent, n)
	for i := range contents {
		c, err := e.bob.encrypt(ctx, room, fmt.Sprintf("!ping go-ooo-%d", i))
		if err != nil {
			return err
		}
		contents[i] = c
	}
	order := mrand.Perm(n)
	for _, i := range order {
		if _, err := e.bob.sendEncrypted(ctx, room, contents[i]); err != nil {
			return err
		}
	}
	e.logf("sent in order %v", order)
	for i := range n {
		if _, err := e.bob.waitMessage(ctx, room, botID, fmt.Sprintf("pong go-ooo-%d", i), 90*time.Second); err != nil {
			return err
		}
	}
	resp, err := e.bob.client.Messages(ctx, room, "", "", mautrix.DirectionBackward, nil, 3*n)
	if err != nil {
		return err
	}
	got := 0
	for _, evt := range resp.Chunk {
		if evt.Sender != botID || evt.Type != event.EventEncrypted {
			continue
		}
		evt.RoomID = room
		if err := evt.Content.ParseRaw(evt.Type); err != nil {
			return err
		}
		if _, err := e.bob.helper.Decrypt(ctx, evt); err != nil {
			return fmt.Errorf("decrypting the bot's %s newest first: %w", evt.ID, err)
		}
		got++
	}
	if got < n {
		return fmt.Errorf("only %d of the bot's replies came back from /messages", got)
	}
	return nil
}

// checkSecondDevice logs alice in on a second js-sdk device: the bot's next
// reply must reach both devices, the bot must decrypt the new device's
// messages, and the bot must hold an Olm session with each device.
func (e *env) checkSecondDevice(ctx context.Context) error {
	var err error
	if e.alice2, err = e.js.login(ctx, "alice2", e.hs.url, "alice", e.passwords["alice"]); err != nil {
		return err
	}
	if err := e.alice2.do(ctx, "waitRoom", map[string]any{"roomId": e.roomA}, nil); err != nil {
		return err
	}
	// The first device learns of the second from its device list, as a
	// client does after the homeserver announces the change in /sync.
	if err := e.alice.waitDevice(ctx, e.alice.UserID, e.alice2.DeviceID); err != nil {
		return err
	}
	if _, err := e.pingJS(ctx, e.alice, e.roomA, "second-1", e.alice2); err != nil {
		return err
	}
	if _, err := e.pingJS(ctx, e.alice2, e.roomA, "second-2", e.alice); err != nil {
		return err
	}
	// Each device decrypts what the other sent.
	if _, err := e.alice2.waitMessage(ctx, e.roomA, userID("alice"), "!ping second-1", 30*time.Second); err != nil {
		return err
	}
	if _, err := e.alice.waitMessage(ctx, e.roomA, userID("alice"), "!ping second-2", 30*time.Second); err != nil {
		return err
	}
	st, err := e.storeView()
	if err != nil {
		return err
	}
	defer st.close()
	for _, d := range []*jsClient{e.alice, e.alice2} {
		n, err := st.olmSessions(d.Curve)
		if err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("the bot has no Olm session with alice's device %s", d.DeviceID)
		}
	}
	return nil
}

// checkRestart stops the bot (SIGTERM), lets messages arrive while it is
// down, and starts it again on the same database.
func (e *env) checkRestart(ctx context.Context) error {
	st, err := e.storeView()
	if err != nil {
		return err
	}
	defer st.close()
	sid, err := st.outboundSession(e.roomA)
	if err != nil || sid == "" {
		return fmt.Errorf("no outbound session for room A before the restart (%v)", err)
	}
	sharedBefore, err := st.sharedWith(sid)
	if err != nil {
		return err
	}
	bobCurve := e.bob.identity().IdentityKey.String()
	olmBefore := map[string]int{}
	for _, k := range []string{e.alice.Curve, e.alice2.Curve, bobCurve} {
		if olmBefore[k], err = st.olmSessions(k); err != nil {
			return err
		}
	}
	oldDevice, oldCurve := e.bot.deviceID, e.bot.curve

	if err := e.bot.stop(); err != nil {
		return err
	}
	if _, err := e.alice.send(ctx, e.roomA, "!ping while-down"); err != nil {
		return err
	}
	if _, err := e.bob.send(ctx, id.RoomID(e.roomB), "!ping while-down-go"); err != nil {
		return err
	}
	e.bot = e.newBot(e.botDB, "bot.log")
	if err := e.bot.start(ctx); err != nil {
		return err
	}
	if e.bot.deviceID != oldDevice || e.bot.curve != oldCurve {
		return fmt.Errorf("the bot came back as device %s (%s), was %s (%s)", e.bot.deviceID, e.bot.curve, oldDevice, oldCurve)
	}
	// New messages: those sent while it was down, and one after.
	r, err := e.alice.waitMessage(ctx, e.roomA, botID.String(), "pong while-down", 60*time.Second)
	if err != nil {
		return err
	}
	if _, err := e.bob.waitMessage(ctx, id.RoomID(e.roomB), botID, "pong while-down-go", 60*time.Second); err != nil {
		return err
	}
	// Nothing re-shared: the same outbound session, sent to the same devices.
	if r.SessionID != sid {
		return fmt.Errorf("the bot's reply after the restart uses session %s, before it was %s", r.SessionID, sid)
	}
	if n, err := st.sharedWith(sid); err != nil || n != sharedBefore {
		return fmt.Errorf("session %s shared with %d devices after the restart, %d before (%v)", sid, n, sharedBefore, err)
	}
	// Old messages: the bot decrypts the room's history again from its store.
	// The server holds this many encrypted events in the room (the count
	// that follows adds the "!history" message itself).
	before, err := e.bob.countEncrypted(ctx, id.RoomID(e.roomA))
	if err != nil {
		return err
	}
	if _, err := e.alice.send(ctx, e.roomA, "!history 300"); err != nil {
		return err
	}
	h, err := e.alice.do2waitPrefix(ctx, e.roomA, botID.String(), "history: ", 60*time.Second)
	if err != nil {
		return err
	}
	ok, failed, err := parseHistory(h)
	if err != nil {
		return err
	}
	if failed != 0 || ok < before+1 {
		return fmt.Errorf("after the restart the bot decrypted %d of %d events in the room and failed on %d", ok, before+1, failed)
	}
	// Olm continues: bob starts a new Megolm session, whose key goes to the
	// bot over the existing Olm session.
	if err := e.bob.rotate(ctx, id.RoomID(e.roomB)); err != nil {
		return err
	}
	if _, err := e.pingGo(ctx, e.roomB, "olm-continues"); err != nil {
		return err
	}
	for k, before := range olmBefore {
		n, err := st.olmSessions(k)
		if err != nil {
			return err
		}
		if n != before {
			return fmt.Errorf("the bot has %d Olm sessions with %s after the restart, %d before", n, k, before)
		}
	}
	return nil
}
