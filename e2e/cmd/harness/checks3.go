// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/crypto/goolm/session"
	"maunium.net/go/mautrix/crypto/olm"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/newt-e2ee/newt/megolm"
)

// checkHomeserverRestart stops Dendrite mid-conversation, between the bot
// receiving a message and its answer, starts it again and goes on talking:
// every message gets its answer.
//
// Dendrite is stopped once the bot has the message, not right after the
// send: Dendrite 0.13.8 answers a /sync that it is serving while it shuts
// down with a next_batch past the newest event and without that event (its
// database is already closed), so a client polling at that moment never
// receives it. That is the homeserver losing the event, which no client can
// notice. For the same reason the answer is looked for in the room's
// history if bob's sync does not show it.
func (e *env) checkHomeserverRestart(ctx context.Context) error {
	if _, err := e.pingGo(ctx, e.roomB, "hs-1"); err != nil {
		return err
	}
	mark := e.bot.log.mark()
	evID, err := e.bob.send(ctx, id.RoomID(e.roomB), "!ping hs-2")
	if err != nil {
		return err
	}
	if _, err := e.bot.log.wait(ctx, mark, 30*time.Second, "message "+evID.String(), func(m map[string]any) bool {
		return m["message"] == "message" && m["event_id"] == evID.String()
	}); err != nil {
		return err
	}
	if err := e.hs.stop(); err != nil {
		return err
	}
	e.logf("homeserver stopped")
	if err := sleep(ctx, 2*time.Second); err != nil {
		return err
	}
	if err := e.hs.start(ctx); err != nil {
		return err
	}
	e.logf("homeserver answers again")
	if _, err := e.bob.waitMessageOrHistory(ctx, id.RoomID(e.roomB), botID, "pong hs-2", 90*time.Second); err != nil {
		return err
	}
	if _, err := e.pingGo(ctx, e.roomB, "hs-3"); err != nil {
		return err
	}
	_, err = e.pingJS(ctx, e.alice, e.roomA, "hs-js", e.alice2)
	return err
}

// tamperMegolm sends, as bob's device, a Megolm event altered by alter, and
// checks that the bot refuses it, logs it, and goes on answering.
func (e *env) tamperMegolm(ctx context.Context, tag string, want error, alter func(raw []byte, signer *session.MegolmOutboundSession) error) error {
	room := id.RoomID(e.roomB)
	c, err := e.bob.encrypt(ctx, room, "!ping "+tag)
	if err != nil {
		return err
	}
	raw, err := base64.RawStdEncoding.DecodeString(string(c.MegolmCiphertext))
	if err != nil {
		return err
	}
	ogs, err := e.bob.mach().CryptoStore.GetOutboundGroupSession(ctx, room)
	if err != nil || ogs == nil {
		return fmt.Errorf("bob's outbound session: %v", err)
	}
	signer, ok := ogs.Internal.(*session.MegolmOutboundSession)
	if !ok {
		return fmt.Errorf("bob's outbound session is a %T, not goolm's", ogs.Internal)
	}
	// newt, given bob's session as an export, must read goolm's message
	// as it was, and refuse the altered one for exactly the intended reason:
	// so the bot is shown the fault this check is named after.
	ref, err := e.newtSession(ctx, room, ogs.ID())
	if err != nil {
		return err
	}
	if err := newtDecrypt(ref, raw); err != nil {
		return fmt.Errorf("newt does not decrypt goolm's original message: %w", err)
	}
	if err := alter(raw, signer); err != nil {
		return err
	}
	if err := newtDecrypt(ref, raw); !errors.Is(err, want) {
		return fmt.Errorf("newt gives %v for the altered message, want %v", err, want)
	}
	c.MegolmCiphertext = []byte(base64.RawStdEncoding.EncodeToString(raw))
	mark := e.bot.log.mark()
	evID, err := e.bob.sendEncrypted(ctx, room, c)
	if err != nil {
		return err
	}
	line, err := e.bot.log.wait(ctx, mark, 30*time.Second, "undecryptable event "+evID.String(), func(m map[string]any) bool {
		return m["message"] == "undecryptable event" && m["event_id"] == evID.String()
	})
	if err != nil {
		return err
	}
	e.logf("bot: %v", line["error"])
	if _, err := e.pingGo(ctx, e.roomB, "after-"+tag); err != nil {
		return err
	}
	if r, _ := e.bob.waitMessage(ctx, room, botID, "pong "+tag, time.Millisecond); r != nil {
		return fmt.Errorf("the bot answered the tampered event")
	}
	return nil
}

// newtSession is newt's copy of bob's own inbound session for one of his
// outbound sessions, imported from mautrix's export at its first index.
func (e *env) newtSession(ctx context.Context, room id.RoomID, sessionID id.SessionID) (*megolm.InboundGroupSession, error) {
	igs, err := e.bob.mach().CryptoStore.GetGroupSession(ctx, room, sessionID)
	if err != nil || igs == nil {
		return nil, fmt.Errorf("bob has no inbound copy of his session %s: %v", sessionID, err)
	}
	exported, err := igs.Internal.Export(igs.Internal.FirstKnownIndex())
	if err != nil {
		return nil, err
	}
	key, err := megolm.ParseExportedSessionKey(string(exported))
	clear(exported)
	if err != nil {
		return nil, err
	}
	return megolm.ImportInboundGroupSession(key)
}

func newtDecrypt(s *megolm.InboundGroupSession, raw []byte) error {
	msg, err := megolm.NewMessage(raw)
	if err != nil {
		return err
	}
	_, _, err = s.Decrypt(msg)
	return err
}

// Megolm message layout (megolm.md, "Message format"): version, payload,
// an 8-byte MAC over both, then a 64-byte Ed25519 signature over all of it.
const megolmSigLen, megolmMACLen = 64, 8

func (e *env) checkTamperMegolmMAC(ctx context.Context) error {
	return e.tamperMegolm(ctx, "tampered-mac", megolm.ErrBadMAC, func(raw []byte, signer *session.MegolmOutboundSession) error {
		raw[len(raw)-megolmSigLen-megolmMACLen] ^= 0x01
		sig, err := signer.SigningKey.Sign(raw[:len(raw)-megolmSigLen])
		if err != nil {
			return err
		}
		copy(raw[len(raw)-megolmSigLen:], sig)
		return nil
	})
}

func (e *env) checkTamperMegolmSignature(ctx context.Context) error {
	return e.tamperMegolm(ctx, "tampered-sig", megolm.ErrBadSignature, func(raw []byte, _ *session.MegolmOutboundSession) error {
		raw[len(raw)-megolmSigLen] ^= 0x01
		return nil
	})
}

// checkTamperOlm sends, over bob's Olm session with the bot, a room key for a
// new Megolm session with one bit of the message's MAC flipped. The bot must
// refuse it (and never store that room key), and then take a real room key
// from bob over Olm.
func (e *env) checkTamperOlm(ctx context.Context) error {
	store := e.bob.mach().CryptoStore
	botCurve := id.SenderKey(e.bot.curve)
	sess, err := store.GetLatestSession(ctx, botCurve)
	if err != nil || sess == nil {
		return fmt.Errorf("bob has no Olm session with the bot: %v", err)
	}
	smuggled, err := olm.InitNewOutboundGroupSession()
	if err != nil {
		return err
	}
	own := e.bob.identity()
	plaintext, err := json.Marshal(map[string]any{
		"type": event.ToDeviceRoomKey.Type,
		"content": &event.RoomKeyEventContent{
			Algorithm: id.AlgorithmMegolmV1, RoomID: id.RoomID(e.roomB),
			SessionID: smuggled.ID(), SessionKey: smuggled.Key(),
		},
		"sender": own.UserID, "sender_device": own.DeviceID,
		"keys":      map[string]string{"ed25519": own.SigningKey.String()},
		"recipient": botID, "recipient_keys": map[string]string{"ed25519": e.bot.ed},
	})
	if err != nil {
		return err
	}
	msgType, ct, err := sess.Internal.Encrypt(plaintext)
	if err != nil {
		return err
	}
	if err := store.UpdateSession(ctx, botCurve, sess); err != nil {
		return err
	}
	raw, err := base64.RawStdEncoding.DecodeString(string(ct))
	if err != nil {
		return err
	}
	raw[len(raw)-1] ^= 0x01 // the last byte of the (inner) message's MAC
	content := &event.EncryptedEventContent{
		Algorithm: id.AlgorithmOlmV1,
		SenderKey: own.IdentityKey,
		OlmCiphertext: event.OlmCiphertexts{
			id.Curve25519(e.bot.curve): {Body: base64.RawStdEncoding.EncodeToString(raw), Type: msgType},
		},
	}
	mark := e.bot.log.mark()
	if _, err := e.bob.client.SendToDevice(ctx, event.ToDeviceEncrypted, &mautrix.ReqSendToDevice{
		Messages: map[id.UserID]map[id.DeviceID]*event.Content{botID: {id.DeviceID(e.bot.deviceID): {Parsed: content}}},
	}); err != nil {
		return err
	}
	line, err := e.bot.log.wait(ctx, mark, 30*time.Second, "Failed to decrypt to-device event", msgIs("Failed to decrypt to-device event"))
	if err != nil {
		return err
	}
	e.logf("bot: %v (Olm message type %d)", line["error"], msgType)
	// The conversation continues: a real new room key from bob over Olm.
	if err := e.bob.rotate(ctx, id.RoomID(e.roomB)); err != nil {
		return err
	}
	if _, err := e.pingGo(ctx, e.roomB, "after-olm-tamper"); err != nil {
		return err
	}
	st, err := e.storeView()
	if err != nil {
		return err
	}
	defer st.close()
	n, err := st.count(`SELECT COUNT(*) FROM crypto_megolm_inbound_session WHERE session_id = ?`, smuggled.ID().String())
	if err != nil {
		return err
	}
	if n != 0 {
		return fmt.Errorf("the bot stored the room key from the tampered Olm message")
	}
	return nil
}

// checkStoreCopy copies the bot's database files while the bot decrypts a
// burst of messages, kills the bot with SIGKILL, and starts a bot on the copy.
func (e *env) checkStoreCopy(ctx context.Context) error {
	mark := e.bot.log.mark()
	bodies := make([]string, 30)
	for i := range bodies {
		bodies[i] = fmt.Sprintf("chatter %d", i)
	}
	sent := make(chan error, 1)
	go func() { sent <- e.alice.do(ctx, "sendMany", map[string]any{"roomId": e.roomA, "bodies": bodies}, nil) }()
	for n := 0; n < 10; {
		if _, err := e.bot.log.wait(ctx, mark, 60*time.Second, "a message", msgIs("message")); err != nil {
			return err
		}
		n = len(e.bot.log.all(mark, msgIs("message")))
	}
	atCopy := len(e.bot.log.all(mark, msgIs("message")))
	cp := e.path("bot-copy.db")
	for _, suffix := range []string{"", "-wal"} {
		if err := copyFile(cp+suffix, e.botDB+suffix); err != nil {
			return err
		}
	}
	e.bot.kill()
	got := len(e.bot.log.all(mark, msgIs("message")))
	e.logf("copied after the bot logged %d of 30 messages; killed after %d", atCopy, got)
	if err := <-sent; err != nil {
		return err
	}
	if fi, err := os.Stat(cp); err != nil || fi.Size() == 0 {
		return fmt.Errorf("the copy is empty: %v", err)
	}
	e.botDB = cp
	e.bot = e.newBot(cp, "bot-copy.log")
	if err := e.bot.start(ctx); err != nil {
		return fmt.Errorf("the bot on the copied store: %w", err)
	}
	if _, err := e.pingJS(ctx, e.alice, e.roomA, "after-crash", e.alice2); err != nil {
		return err
	}
	_, err := e.pingGo(ctx, e.roomB, "after-crash-go")
	return err
}
