// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"
)

// checkRotationCount: a room whose m.room.encryption asks for a new session
// every 5 messages. Every member decrypts every message across the rotations.
func (e *env) checkRotationCount(ctx context.Context) error {
	r, err := e.bob.createRoom(ctx, []id.UserID{botID, id.UserID(userID("alice"))}, 5)
	if err != nil {
		return err
	}
	e.roomR = r.String()
	for _, u := range []id.UserID{botID, id.UserID(userID("alice"))} {
		if err := e.bob.waitMembership(ctx, r, u, event.MembershipJoin); err != nil {
			return err
		}
	}
	if err := e.alice2.do(ctx, "waitRoom", map[string]any{"roomId": e.roomR}, nil); err != nil {
		return err
	}
	const n = 12
	for i := range n {
		if _, err := e.pingGo(ctx, e.roomR, fmt.Sprintf("rot-%d", i)); err != nil {
			return err
		}
	}
	for _, c := range []*jsClient{e.alice, e.alice2} {
		sessions := map[string]bool{}
		for i := range n {
			m, err := c.waitMessage(ctx, e.roomR, botID.String(), fmt.Sprintf("pong rot-%d", i), 30*time.Second)
			if err != nil {
				return fmt.Errorf("%s: %w", c.name, err)
			}
			sessions[m.SessionID] = true
		}
		if len(sessions) < n/5+1 {
			return fmt.Errorf("%s saw the bot use %d sessions for %d messages with rotation every 5", c.name, len(sessions), n)
		}
		for i := range n {
			if _, err := c.waitMessage(ctx, e.roomR, userID("bob"), fmt.Sprintf("!ping rot-%d", i), 30*time.Second); err != nil {
				return fmt.Errorf("%s: %w", c.name, err)
			}
		}
	}
	return nil
}

// checkRotationLeave: bob leaves; the bot and alice start new sessions that
// reach the members left and not bob.
func (e *env) checkRotationLeave(ctx context.Context) error {
	st, err := e.storeView()
	if err != nil {
		return err
	}
	defer st.close()
	before, err := st.outboundSession(e.roomR)
	if err != nil {
		return err
	}
	if _, err := e.bob.client.LeaveRoom(ctx, id.RoomID(e.roomR)); err != nil {
		return err
	}
	if err := e.alice.waitMember(ctx, e.roomR, userID("bob"), "leave"); err != nil {
		return err
	}
	reply, err := e.pingJS(ctx, e.alice, e.roomR, "after-leave", e.alice2)
	if err != nil {
		return err
	}
	if reply.SessionID == before {
		return fmt.Errorf("the bot kept session %s after bob left", before)
	}
	ping, err := e.alice2.waitMessage(ctx, e.roomR, userID("alice"), "!ping after-leave", 30*time.Second)
	if err != nil {
		return err
	}
	for _, sid := range []string{reply.SessionID, ping.SessionID} {
		has, err := e.bob.hasInboundSession(ctx, id.RoomID(e.roomR), id.SessionID(sid))
		if err != nil {
			return err
		}
		if has {
			return fmt.Errorf("bob, who left, received the key of session %s", sid)
		}
	}
	return nil
}

type sasShown struct {
	Emoji   [][2]string `json:"emoji"`
	Decimal []int       `json:"decimal"`
}

// compareSAS checks that the js-sdk client and the bot show the same emoji
// and numbers.
func compareSAS(js sasShown, bot map[string]any) error {
	names, _ := bot["emoji_names"].([]any)
	if len(js.Emoji) != 7 || len(names) != 7 {
		return fmt.Errorf("expected 7 emoji on both sides, js-sdk %d, bot %d", len(js.Emoji), len(names))
	}
	var a, b []string
	for i := range 7 {
		a = append(a, strings.ToLower(js.Emoji[i][1]))
		s, _ := names[i].(string)
		b = append(b, strings.ToLower(s))
	}
	if strings.Join(a, ",") != strings.Join(b, ",") {
		return fmt.Errorf("emoji differ: js-sdk %v, bot %v", a, b)
	}
	if len(js.Decimal) == 3 {
		d := fmt.Sprintf("%d %d %d", js.Decimal[0], js.Decimal[1], js.Decimal[2])
		if d != str(bot, "decimals") {
			return fmt.Errorf("decimals differ: js-sdk %s, bot %s", d, str(bot, "decimals"))
		}
	}
	return nil
}

// sasFinish compares the emoji, confirms on both sides and checks that each
// side now trusts the other's device.
func (e *env) sasFinish(ctx context.Context, c *jsClient, txn string, mark int) error {
	var shown sasShown
	if err := c.do(ctx, "sas", map[string]any{"txn": txn, "timeoutMs": 30000}, &shown); err != nil {
		return err
	}
	botShown, err := e.bot.log.wait(ctx, mark, 30*time.Second, "compare these emoji", func(m map[string]any) bool {
		return m["message"] == "compare these emoji" && m["transaction_id"] == txn
	})
	if err != nil {
		return err
	}
	if err := compareSAS(shown, botShown); err != nil {
		return err
	}
	e.logf("both show %v", shown.Emoji)
	if err := e.bot.console("confirm " + txn); err != nil {
		return err
	}
	if err := c.do(ctx, "confirmSas", map[string]any{"txn": txn, "match": true, "timeoutMs": 30000}, nil); err != nil {
		return err
	}
	if _, err := e.bot.log.wait(ctx, mark, 30*time.Second, "verification done", func(m map[string]any) bool {
		return m["message"] == "verification done" && m["transaction_id"] == txn
	}); err != nil {
		return err
	}
	var v struct {
		Verified bool `json:"verified"`
	}
	if err := c.do(ctx, "deviceVerified", map[string]any{"userId": botID.String(), "deviceId": e.bot.deviceID}, &v); err != nil {
		return err
	}
	if !v.Verified {
		return fmt.Errorf("%s does not show the bot's device as verified", c.name)
	}
	st, err := e.storeView()
	if err != nil {
		return err
	}
	defer st.close()
	trust, err := st.deviceTrust(c.UserID, c.DeviceID)
	if err != nil {
		return err
	}
	if trust != int(id.TrustStateVerified) {
		return fmt.Errorf("the bot's store has trust %d for %s's device, want %d (verified)", trust, c.name, id.TrustStateVerified)
	}
	return nil
}

// dmBot makes an encrypted room of c and the bot and talks in it once: as in
// real life, a client verifies the devices of people it shares rooms with
// (matrix-sdk-crypto ignores verification requests from devices it does not
// track), and the bot then knows the client's device too.
func (e *env) dmBot(ctx context.Context, c *jsClient) error {
	r, err := c.createRoom(ctx, []string{botID.String()}, 0)
	if err != nil {
		return err
	}
	if err := c.waitMember(ctx, r, botID.String(), "join"); err != nil {
		return err
	}
	if _, err := e.pingJS(ctx, c, r, "hello-"+c.name); err != nil {
		return err
	}
	return c.waitDevice(ctx, botID.String(), e.bot.deviceID)
}

func (e *env) checkSASFromJS(ctx context.Context) error {
	if err := e.dmBot(ctx, e.carol); err != nil {
		return err
	}
	mark := e.bot.log.mark()
	var r struct {
		Txn string `json:"txn"`
	}
	if err := e.carol.do(ctx, "verifyDevice", map[string]any{"userId": botID.String(), "deviceId": e.bot.deviceID}, &r); err != nil {
		return err
	}
	return e.sasFinish(ctx, e.carol, r.Txn, mark)
}

func (e *env) checkSASFromBot(ctx context.Context) error {
	if err := e.dmBot(ctx, e.dave); err != nil {
		return err
	}
	mark := e.bot.log.mark()
	if err := e.bot.console("verify " + e.dave.UserID); err != nil {
		return err
	}
	sent, err := e.bot.log.wait(ctx, mark, 30*time.Second, "verification request sent", msgIs("verification request sent"))
	if err != nil {
		return err
	}
	var r struct {
		Txn string `json:"txn"`
	}
	if err := e.dave.do(ctx, "acceptVerification", map[string]any{"from": botID.String(), "timeoutMs": 30000}, &r); err != nil {
		return err
	}
	if r.Txn != str(sent, "transaction_id") {
		return fmt.Errorf("js-sdk accepted transaction %s, the bot sent %s", r.Txn, str(sent, "transaction_id"))
	}
	return e.sasFinish(ctx, e.dave, r.Txn, mark)
}

// checkBackup: alice sets up recovery in js-sdk (cross-signing, secret
// storage, key backup) and her room keys go to the server's backup; a new
// device of alice, running the bot program with the recovery key, restores
// the backup and decrypts the room's whole history, which no one ever sent it.
// The bot restores with newt's package keys (recovery key, secret storage,
// session_data, Megolm import): it reports the sessions it imported and
// those that failed, which mautrix's own restore does not, and it cross-signs
// itself with the keys it decrypted from secret storage.
func (e *env) checkBackup(ctx context.Context) error {
	var setup struct {
		RecoveryKey string `json:"recoveryKey"`
		Version     string `json:"version"`
	}
	if err := e.alice.do(ctx, "setupBackup", nil, &setup); err != nil {
		return err
	}
	e.logf("backup version %s", setup.Version)
	for i := range 3 {
		if _, err := e.pingJS(ctx, e.alice, e.roomA, fmt.Sprintf("backup-%d", i)); err != nil {
			return err
		}
	}
	var keys struct {
		Count int `json:"count"`
	}
	if err := e.alice.do(ctx, "roomKeyCount", nil, &keys); err != nil {
		return err
	}
	var backed struct {
		Count int `json:"count"`
	}
	if err := e.alice.do(ctx, "backupCount", map[string]any{"min": keys.Count, "timeoutMs": 90000}, &backed); err != nil {
		return err
	}
	e.logf("%d room keys, %d in the backup", keys.Count, backed.Count)
	want, err := e.bob.countEncrypted(ctx, id.RoomID(e.roomA))
	if err != nil {
		return err
	}

	fresh := &botProc{
		bin: e.botBin,
		args: []string{"-homeserver", e.hs.url, "-user", "alice", "-database", e.path("alice-fresh.db"),
			"-console", "-restore-backup", "-device-name", "fresh device", "-debug"},
		env: []string{"NEWT_BOT_PASSWORD=" + e.passwords["alice"], "NEWT_BOT_PICKLE_KEY=" + e.pickleKey,
			"NEWT_BOT_RECOVERY_KEY=" + setup.RecoveryKey},
		logPath: e.path("alice-fresh.log"),
	}
	if err := fresh.start(ctx); err != nil {
		return err
	}
	defer fresh.stop()
	res, err := fresh.log.wait(ctx, 0, 60*time.Second, "key backup restored", func(m map[string]any) bool {
		return m["message"] == "key backup restored" || m["message"] == "key backup restore failed"
	})
	if err != nil {
		return err
	}
	if res["message"] != "key backup restored" {
		return fmt.Errorf("restore failed: %v", res["error"])
	}
	imported, isNum := res["imported"].(float64)
	if !isNum || int(imported) < backed.Count || res["failed"] != float64(0) {
		return fmt.Errorf("the bot imported %v sessions of the %d in the backup; %v failed", res["imported"], backed.Count, res["failed"])
	}
	if len(fresh.log.all(0, msgIs("device cross-signed with the keys from secret storage"))) == 0 {
		return fmt.Errorf("the fresh device did not cross-sign itself with the keys from secret storage")
	}
	e.logf("newt restored %v sessions from backup version %v", imported, res["version"])
	mark := fresh.log.mark()
	if err := fresh.console("history " + e.roomA + " 500"); err != nil {
		return err
	}
	h, err := fresh.log.wait(ctx, mark, 60*time.Second, "history", msgIs("history"))
	if err != nil {
		return err
	}
	ok, _ := h["decrypted"].(float64)
	failed, _ := h["failed"].(float64)
	if failed != 0 || int(ok) != want {
		return fmt.Errorf("the fresh device decrypted %v of %d events and failed on %v: %v", ok, want, failed, h["failed_ids"])
	}
	e.logf("fresh device decrypted all %d events from the backup", want)
	return nil
}
