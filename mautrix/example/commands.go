// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"
)

// onMessage answers the bot's commands. In an encrypted room the cryptohelper
// has decrypted the event before it gets here, and the reply is encrypted by
// mautrix because the room is.
func (b *bot) onMessage(ctx context.Context, evt *event.Event) {
	if evt.Sender == b.client.UserID {
		return
	}
	msg := evt.Content.AsMessage()
	encrypted := evt.Mautrix.WasEncrypted
	b.log.Info().
		Stringer("event_id", evt.ID).Stringer("room_id", evt.RoomID).Stringer("sender", evt.Sender).
		Bool("encrypted", encrypted).Int("length", len(msg.Body)).
		Msg("message")

	cmd, arg, _ := strings.Cut(msg.Body, " ")
	var reply string
	switch cmd {
	case "!ping":
		reply = strings.TrimSpace("pong " + arg)
	case "!echo":
		reply = arg
	case "!history":
		n := 50
		if v, err := strconv.Atoi(strings.TrimSpace(arg)); err == nil && v > 0 && v <= 1000 {
			n = v
		}
		ok, failed, err := b.history(ctx, evt.RoomID, n)
		if err != nil {
			reply = "history: " + err.Error()
		} else {
			reply = fmt.Sprintf("history: %d decrypted, %d failed", ok, failed)
		}
	default:
		return
	}
	content := &event.MessageEventContent{MsgType: event.MsgNotice, Body: reply}
	content.SetReply(evt)
	eventID, err := b.send(ctx, evt.RoomID, content, encrypted)
	if err != nil {
		b.log.Error().Err(err).Stringer("room_id", evt.RoomID).Stringer("in_reply_to", evt.ID).Msg("reply failed")
		return
	}
	b.log.Info().Stringer("event_id", eventID).Stringer("room_id", evt.RoomID).Stringer("in_reply_to", evt.ID).Msg("replied")
}

// send sends a message, encrypted if the room is (and always if mustEncrypt:
// an answer to an encrypted message never goes out in the clear). It
// encrypts once and retries the same event, under the same transaction ID,
// while the homeserver is unreachable or answers with a server error, for up
// to two minutes: the homeserver drops the duplicates of a transaction.
func (b *bot) send(ctx context.Context, roomID id.RoomID, content *event.MessageEventContent, mustEncrypt bool) (id.EventID, error) {
	evtType, payload := event.EventMessage, any(content)
	encrypted, err := b.client.StateStore.IsEncrypted(ctx, roomID)
	if err != nil {
		return "", err
	}
	if encrypted {
		enc, err := b.crypto.Encrypt(ctx, roomID, event.EventMessage, content)
		if err != nil {
			return "", fmt.Errorf("encrypting: %w", err)
		}
		evtType, payload = event.EventEncrypted, enc
	} else if mustEncrypt {
		return "", errors.New("the room is not known to be encrypted; not answering an encrypted message in the clear")
	}
	req := mautrix.ReqSendEvent{TransactionID: b.client.TxnID()}
	deadline := time.Now().Add(2 * time.Minute)
	for wait := time.Second; ; wait = min(2*wait, 10*time.Second) {
		resp, err := b.client.SendMessageEvent(ctx, roomID, evtType, payload, req)
		if err == nil {
			return resp.EventID, nil
		}
		var httpErr mautrix.HTTPError
		retry := !errors.As(err, &httpErr) || httpErr.Response == nil || httpErr.Response.StatusCode >= 500
		if !retry || time.Now().Add(wait).After(deadline) || ctx.Err() != nil {
			return "", err
		}
		b.log.Warn().Err(err).Stringer("room_id", roomID).Dur("retry_in", wait).Msg("send failed, retrying")
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(wait):
		}
	}
}

// history fetches the last n events of a room from the homeserver and
// decrypts the encrypted ones again with the keys in the crypto store, as a
// client does when it scrolls back. It logs the ID of every event it
// decrypted and of every one it could not.
func (b *bot) history(ctx context.Context, roomID id.RoomID, n int) (ok, failed int, err error) {
	resp, err := b.client.Messages(ctx, roomID, "", "", mautrix.DirectionBackward, nil, n)
	if err != nil {
		return 0, 0, err
	}
	var decrypted, undecryptable []string
	for _, evt := range resp.Chunk {
		if evt.Type != event.EventEncrypted {
			continue
		}
		evt.RoomID = roomID
		if err := evt.Content.ParseRaw(evt.Type); err != nil {
			failed++
			undecryptable = append(undecryptable, evt.ID.String())
			continue
		}
		if _, err := b.crypto.Decrypt(ctx, evt); err != nil {
			failed++
			undecryptable = append(undecryptable, evt.ID.String())
			b.log.Warn().Err(err).Stringer("event_id", evt.ID).Msg("history: undecryptable")
			continue
		}
		ok++
		decrypted = append(decrypted, evt.ID.String())
	}
	b.log.Info().Stringer("room_id", roomID).Int("decrypted", ok).Int("failed", failed).
		Strs("decrypted_ids", decrypted).Strs("failed_ids", undecryptable).Msg("history")
	return ok, failed, nil
}
