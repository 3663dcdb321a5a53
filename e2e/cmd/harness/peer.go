// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/crypto"
	"maunium.net/go/mautrix/crypto/cryptohelper"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"
)

// peer is a mautrix-go client with its own cryptohelper and sqlite store, in
// this process (so on the Olm implementation this harness is built with).
type peer struct {
	name   string
	client *mautrix.Client
	helper *cryptohelper.CryptoHelper
	cancel context.CancelFunc
	done   chan struct{}
	logf   *os.File

	mu       sync.Mutex
	seen     map[id.EventID]*peerEvent
	sessions map[id.EventID]id.SessionID // of encrypted events, before decryption
}

type peerEvent struct {
	id        id.EventID
	room      id.RoomID
	sender    id.UserID
	body      string
	encrypted bool
	sessionID id.SessionID
	err       error
}

func newPeer(ctx context.Context, name, hsURL, user, password, dbPath, logPath string) (*peer, error) {
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	client, err := mautrix.NewClient(hsURL, "", "")
	if err != nil {
		return nil, err
	}
	client.Log = zerolog.New(logf).With().Timestamp().Str("peer", name).Logger().Level(zerolog.DebugLevel)
	client.DefaultHTTPRetries = 5
	client.DefaultHTTPBackoff = time.Second
	p := &peer{name: name, client: client, logf: logf, seen: map[id.EventID]*peerEvent{}, sessions: map[id.EventID]id.SessionID{}}

	syncer := client.Syncer.(*mautrix.DefaultSyncer)
	syncer.OnEventType(event.EventEncrypted, func(ctx context.Context, evt *event.Event) {
		if c, ok := evt.Content.Parsed.(*event.EncryptedEventContent); ok {
			p.mu.Lock()
			p.sessions[evt.ID] = c.SessionID
			p.mu.Unlock()
		}
	})
	syncer.OnEventType(event.EventMessage, p.record)
	syncer.OnEventType(event.StateMember, func(ctx context.Context, evt *event.Event) {
		if evt.GetStateKey() == client.UserID.String() && evt.Content.AsMember().Membership == event.MembershipInvite {
			if _, err := client.JoinRoomByID(ctx, evt.RoomID); err != nil {
				client.Log.Error().Err(err).Msg("join failed")
			}
		}
	})

	pickleKey := make([]byte, 32)
	rand.Read(pickleKey)
	helper, err := cryptohelper.NewCryptoHelper(client, []byte(hex.EncodeToString(pickleKey)), dbPath)
	if err != nil {
		return nil, err
	}
	helper.LoginAs = &mautrix.ReqLogin{
		Type:       mautrix.AuthTypePassword,
		Identifier: mautrix.UserIdentifier{Type: mautrix.IdentifierTypeUser, User: user},
		Password:   password,
	}
	helper.DecryptErrorCallback = func(evt *event.Event, err error) {
		p.mu.Lock()
		p.seen[evt.ID] = &peerEvent{id: evt.ID, room: evt.RoomID, sender: evt.Sender, encrypted: true, err: err}
		p.mu.Unlock()
	}
	if err := helper.Init(ctx); err != nil {
		return nil, err
	}
	client.Crypto = helper
	p.helper = helper

	syncCtx, cancel := context.WithCancel(context.Background())
	p.cancel, p.done = cancel, make(chan struct{})
	go func() {
		defer close(p.done)
		if err := client.SyncWithContext(syncCtx); err != nil && !errors.Is(err, context.Canceled) {
			client.Log.Error().Err(err).Msg("sync stopped")
		}
	}()
	return p, nil
}

func (p *peer) record(ctx context.Context, evt *event.Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.seen[evt.ID] = &peerEvent{
		id: evt.ID, room: evt.RoomID, sender: evt.Sender, body: evt.Content.AsMessage().Body,
		encrypted: evt.Mautrix.WasEncrypted, sessionID: p.sessions[evt.ID],
	}
}

func (p *peer) close() {
	p.cancel()
	<-p.done
	_ = p.helper.Close()
	p.logf.Close()
}

func (p *peer) mach() *crypto.OlmMachine { return p.helper.Machine() }

func (p *peer) identity() *id.Device { return p.mach().OwnIdentity() }

// waitEncrypted waits until the client's state store knows the room is
// encrypted, so that nothing is ever sent in the clear.
func (p *peer) waitEncrypted(ctx context.Context, roomID id.RoomID) error {
	for start, end := time.Now(), time.Now().Add(30*time.Second); time.Now().Before(end); {
		if ok, _ := p.client.StateStore.IsEncrypted(ctx, roomID); ok {
			return nil
		}
		if err := p.pause(ctx, roomID, start); err != nil {
			return err
		}
	}
	return fmt.Errorf("%s: room %s never showed as encrypted", p.name, roomID)
}

// pause waits a little while polling the room's state. After a second
// without news it reloads the state from the server: Dendrite's /sync can
// leave out the first events of a room created a moment before, and a client
// then learns them from GET /state, as mautrix's State does.
func (p *peer) pause(ctx context.Context, roomID id.RoomID, start time.Time) error {
	if err := sleep(ctx, 200*time.Millisecond); err != nil {
		return err
	}
	if time.Since(start) > time.Second {
		if _, err := p.client.State(ctx, roomID); err != nil {
			p.client.Log.Warn().Err(err).Msg("reloading room state")
		}
	}
	return nil
}

func (p *peer) waitMembership(ctx context.Context, roomID id.RoomID, user id.UserID, m event.Membership) error {
	for start, end := time.Now(), time.Now().Add(30*time.Second); time.Now().Before(end); {
		if p.client.StateStore.IsMembership(ctx, roomID, user, m) {
			return nil
		}
		if err := p.pause(ctx, roomID, start); err != nil {
			return err
		}
	}
	return fmt.Errorf("%s: %s never became %s in %s", p.name, user, m, roomID)
}

func (p *peer) createRoom(ctx context.Context, invite []id.UserID, rotationMsgs int) (id.RoomID, error) {
	enc := &event.EncryptionEventContent{Algorithm: id.AlgorithmMegolmV1, RotationPeriodMessages: rotationMsgs}
	resp, err := p.client.CreateRoom(ctx, &mautrix.ReqCreateRoom{
		Preset: "private_chat",
		Invite: invite,
		InitialState: []*event.Event{{
			Type: event.StateEncryption, StateKey: new(string),
			Content: event.Content{Parsed: enc},
		}},
	})
	if err != nil {
		return "", err
	}
	return resp.RoomID, p.waitEncrypted(ctx, resp.RoomID)
}

func (p *peer) send(ctx context.Context, roomID id.RoomID, body string) (id.EventID, error) {
	if ok, _ := p.client.StateStore.IsEncrypted(ctx, roomID); !ok {
		return "", fmt.Errorf("%s: refusing to send in the clear to %s", p.name, roomID)
	}
	resp, err := p.client.SendMessageEvent(ctx, roomID, event.EventMessage, &event.MessageEventContent{MsgType: event.MsgText, Body: body})
	if err != nil {
		return "", err
	}
	return resp.EventID, nil
}

// encrypt encrypts a text message for the room (sharing the room key first if
// needed) without sending it.
func (p *peer) encrypt(ctx context.Context, roomID id.RoomID, body string) (*event.EncryptedEventContent, error) {
	return p.helper.Encrypt(ctx, roomID, event.EventMessage, &event.MessageEventContent{MsgType: event.MsgText, Body: body})
}

func (p *peer) sendEncrypted(ctx context.Context, roomID id.RoomID, content *event.EncryptedEventContent) (id.EventID, error) {
	resp, err := p.client.SendMessageEvent(ctx, roomID, event.EventEncrypted, content)
	if err != nil {
		return "", err
	}
	return resp.EventID, nil
}

// waitMessage waits for a decrypted message with this sender and body.
func (p *peer) waitMessage(ctx context.Context, roomID id.RoomID, sender id.UserID, body string, timeout time.Duration) (*peerEvent, error) {
	for end := time.Now().Add(timeout); ; {
		p.mu.Lock()
		for _, e := range p.seen {
			if e.room == roomID && e.sender == sender && e.err == nil && e.body == body {
				p.mu.Unlock()
				return e, nil
			}
		}
		p.mu.Unlock()
		if time.Now().After(end) {
			return nil, fmt.Errorf("%s: no message %q from %s within %s", p.name, body, sender, timeout)
		}
		if err := sleep(ctx, 100*time.Millisecond); err != nil {
			return nil, err
		}
	}
}

// waitMessageOrHistory is waitMessage that also looks for the message in the
// room's recent history on the server, decrypting it there, in case the
// client's sync skipped it.
func (p *peer) waitMessageOrHistory(ctx context.Context, roomID id.RoomID, sender id.UserID, body string, timeout time.Duration) (*peerEvent, error) {
	for end := time.Now().Add(timeout); ; {
		if e, err := p.waitMessage(ctx, roomID, sender, body, 2*time.Second); err == nil {
			return e, nil
		}
		resp, err := p.client.Messages(ctx, roomID, "", "", mautrix.DirectionBackward, nil, 20)
		if err == nil {
			for _, evt := range resp.Chunk {
				if evt.Type != event.EventEncrypted || evt.Sender != sender {
					continue
				}
				evt.RoomID = roomID
				if evt.Content.ParseRaw(evt.Type) != nil {
					continue
				}
				dec, err := p.helper.Decrypt(ctx, evt)
				if err != nil || dec.Content.ParseRaw(dec.Type) != nil {
					continue
				}
				if m := dec.Content.AsMessage(); m.Body == body {
					sessionID := evt.Content.AsEncrypted().SessionID
					p.client.Log.Info().Stringer("event_id", evt.ID).Msg("found in history, not in sync")
					return &peerEvent{id: evt.ID, room: roomID, sender: sender, body: body, encrypted: true, sessionID: sessionID}, nil
				}
			}
		}
		if time.Now().After(end) {
			return nil, fmt.Errorf("%s: no message %q from %s within %s, in sync or in the room's history", p.name, body, sender, timeout)
		}
	}
}

// rotate discards the outbound Megolm session of a room, so the next message
// starts a new one and shares its key over Olm.
func (p *peer) rotate(ctx context.Context, roomID id.RoomID) error {
	return p.mach().CryptoStore.RemoveOutboundGroupSession(ctx, roomID)
}

// hasInboundSession reports whether this client holds the key of a session.
func (p *peer) hasInboundSession(ctx context.Context, roomID id.RoomID, sessionID id.SessionID) (bool, error) {
	s, err := p.mach().CryptoStore.GetGroupSession(ctx, roomID, sessionID)
	return s != nil, err
}

// countEncrypted counts the encrypted events of a room on the server (up to 500).
func (p *peer) countEncrypted(ctx context.Context, roomID id.RoomID) (int, error) {
	resp, err := p.client.Messages(ctx, roomID, "", "", mautrix.DirectionBackward, nil, 500)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, evt := range resp.Chunk {
		if evt.Type == event.EventEncrypted {
			n++
		}
	}
	return n, nil
}
