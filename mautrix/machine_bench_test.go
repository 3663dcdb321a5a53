// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package mautrix_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/rs/zerolog"
	globallog "github.com/rs/zerolog/log"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/crypto"
	"maunium.net/go/mautrix/crypto/cryptohelper"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"
	"maunium.net/go/mautrix/mockserver"

	"github.com/newt-e2ee/newt/internal/cpuclock"
)

// benchDrivers are the drivers the machine benchmarks compare: newt, goolm
// and, with the build tag libolm, libolm.
func benchDrivers() []driver {
	return append([]driver{newtDriver}, otherDrivers...)
}

// BenchmarkMachine measures mautrix's OlmMachine, as a bot uses it, on each
// driver (impl=newt, goolm, libolm): encrypting a room message with Megolm
// (EncryptMegolmEvent) and decrypting it (DecryptMegolmEvent), and encrypting
// a to-device event with Olm (EncryptToDevices, no HTTP) and decrypting it
// (HandleEncryptedEvent), both on an established session. Every operation
// includes what mautrix does around the cryptography: JSON, the crypto store
// (reads, writes, and for the SQL store the pickling of every session it
// loads or saves), duplicate and ratchet tracking. The store is mautrix's
// memory store (store=memory) or its SQL store on an in-memory SQLite
// database (store=sqlite, what a bot on a SQLite file runs, without the disk),
// the same kind for all drivers. Messages are a 256-character text message
// in a room and a to-device event with a 256-character field; messages to
// decrypt are made beforehand, untimed.
func BenchmarkMachine(b *testing.B) {
	globallog.Logger = zerolog.Nop()
	defer newtDriver.register()
	text := strings.Repeat("t", 256)
	for _, store := range []string{"memory", "sqlite"} {
		for _, op := range []string{"megolm-encrypt", "megolm-decrypt", "olm-encrypt", "olm-decrypt"} {
			b.Run("store="+store+"/op="+op, func(b *testing.B) {
				for _, d := range benchDrivers() {
					cpuclock.Run(b, "impl="+d.name, func(b *cpuclock.B) {
						d.register()
						s, r := benchPair(b.B, store == "memory")
						switch op {
						case "megolm-encrypt":
							benchMegolmEncrypt(b, s, r, text)
						case "megolm-decrypt":
							benchMegolmDecrypt(b, s, r, text)
						case "olm-encrypt":
							benchOlmEncrypt(b, s, r, text)
						case "olm-decrypt":
							benchOlmDecrypt(b, s, r, text)
						}
					})
				}
			})
		}
	}
}

// benchParty is a logged-in client of mautrix's mock server with its
// machine.
type benchParty struct {
	ms     *mockserver.MockServer
	client *mautrix.Client
	mach   *crypto.OlmMachine
}

// benchPair logs in a sender and a receiver (crypto stores in memory or on
// in-memory SQLite, as mockserver.Login sets them up), puts them in one
// encrypted room whose Megolm session never rotates, shares the sender's
// Megolm session with the receiver and establishes their Olm session in both
// directions, so that the benchmarks time the steady state.
func benchPair(b *testing.B, memory bool) (sender, receiver *benchParty) {
	ctx := context.Background()
	ms := mockserver.Create(b)
	ms.MemoryStore = memory
	login := func(user id.UserID, device id.DeviceID) *benchParty {
		client, _ := ms.Login(b, ctx, user, device)
		p := &benchParty{ms: ms, client: client, mach: client.Crypto.(*cryptohelper.CryptoHelper).Machine()}
		for _, u := range []id.UserID{botUser, peerUser} {
			if err := client.StateStore.SetMembership(ctx, room, u, event.MembershipJoin); err != nil {
				b.Fatal(err)
			}
		}
		if err := client.StateStore.SetEncryptionEvent(ctx, room, &event.EncryptionEventContent{
			Algorithm:              id.AlgorithmMegolmV1,
			RotationPeriodMillis:   1 << 50,
			RotationPeriodMessages: 1 << 30,
		}); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { p.mach.Destroy() })
		return p
	}
	sender, receiver = login(peerUser, "SENDER"), login(botUser, "RECEIVER")
	if err := sender.mach.ShareGroupSession(ctx, room, []id.UserID{botUser, peerUser}); err != nil {
		b.Fatal(err)
	}
	receiver.deliver(b, 0)
	reply := receiver.encryptToDevice(b, sender, "reply")
	if sender.mach.HandleEncryptedEvent(ctx, reply) == nil {
		b.Fatal("the reply did not decrypt")
	}
	return sender, receiver
}

// deliver hands the receiver the to-device events waiting for it and
// checks that want of them are test events that decrypted.
func (p *benchParty) deliver(b *testing.B, want int) {
	ctx := context.Background()
	user, device := p.client.UserID, p.client.DeviceID
	got := 0
	for _, evt := range p.ms.DeviceInbox[user][device] {
		if d := p.mach.HandleEncryptedEvent(ctx, &evt); d != nil {
			got++
		}
	}
	delete(p.ms.DeviceInbox[user], device)
	if got != want {
		b.Fatalf("%d test events decrypted, want %d", got, want)
	}
}

// encryptToDevice encrypts a test to-device event for to's device with
// EncryptToDevices and returns it as to receives it, parsed from JSON.
func (p *benchParty) encryptToDevice(b *testing.B, to *benchParty, text string) *event.Event {
	req := &mautrix.ReqSendToDevice{Messages: map[id.UserID]map[id.DeviceID]*event.Content{
		to.client.UserID: {to.client.DeviceID: {Raw: map[string]any{"text": text}}},
	}}
	enc, err := p.mach.EncryptToDevices(context.Background(), testType, req)
	if err != nil {
		b.Fatal(err)
	}
	content := enc.Messages[to.client.UserID][to.client.DeviceID]
	if content == nil {
		b.Fatal("no encrypted content")
	}
	// Through JSON, as the homeserver passes it on.
	raw, err := json.Marshal(content)
	if err != nil {
		b.Fatal(err)
	}
	evt := &event.Event{Sender: p.client.UserID, Type: event.ToDeviceEncrypted, Content: event.Content{VeryRaw: raw}}
	if err := evt.Content.ParseRaw(evt.Type); err != nil {
		b.Fatal(err)
	}
	return evt
}

// roomEvent encrypts text for the room and returns the event as a
// homeserver delivers it, parsed from JSON.
func (p *benchParty) roomEvent(b *testing.B, text string, n int) *event.Event {
	enc, err := p.mach.EncryptMegolmEvent(context.Background(), room, event.EventMessage,
		&event.MessageEventContent{MsgType: event.MsgText, Body: text})
	if err != nil {
		b.Fatal(err)
	}
	raw, _ := json.Marshal(enc)
	evt := &event.Event{
		Type: event.EventEncrypted, RoomID: room, Sender: p.client.UserID,
		ID: id.EventID(fmt.Sprintf("$%d", n)), Timestamp: int64(1_700_000_000_000 + n),
		Content: event.Content{VeryRaw: raw},
	}
	if err := evt.Content.ParseRaw(evt.Type); err != nil {
		b.Fatal(err)
	}
	return evt
}

// rotateEvery is how often the benchmarks replace the sender's Megolm
// session: mautrix caps a session at 10,000 messages.
const rotateEvery = 5000

// rotate replaces the sender's Megolm session by a new one shared with the
// receiver, as mautrix does when a session expires (untimed by the callers).
func (p *benchParty) rotate(b *testing.B, r *benchParty) {
	ctx := context.Background()
	if err := p.mach.CryptoStore.RemoveOutboundGroupSession(ctx, room); err != nil {
		b.Fatal(err)
	}
	if err := p.mach.ShareGroupSession(ctx, room, []id.UserID{botUser, peerUser}); err != nil {
		b.Fatal(err)
	}
	r.deliver(b, 0)
}

func benchMegolmEncrypt(b *cpuclock.B, s, r *benchParty, text string) {
	ctx := context.Background()
	content := &event.MessageEventContent{MsgType: event.MsgText, Body: text}
	b.ResetTimer()
	for i := range b.N {
		if i > 0 && i%rotateEvery == 0 {
			b.StopTimer()
			s.rotate(b.B, r)
			b.StartTimer()
		}
		if _, err := s.mach.EncryptMegolmEvent(ctx, room, event.EventMessage, content); err != nil {
			b.Fatal(err)
		}
	}
}

func benchMegolmDecrypt(b *cpuclock.B, s, r *benchParty, text string) {
	ctx := context.Background()
	b.StopTimer()
	evts := make([]*event.Event, b.N)
	for i := range evts {
		if i > 0 && i%rotateEvery == 0 {
			s.rotate(b.B, r)
		}
		evts[i] = s.roomEvent(b.B, text, i)
	}
	b.ResetTimer()
	b.StartTimer()
	for _, evt := range evts {
		if _, err := r.mach.DecryptMegolmEvent(ctx, evt); err != nil {
			b.Fatal(err)
		}
	}
}

func benchOlmEncrypt(b *cpuclock.B, s, r *benchParty, text string) {
	b.ResetTimer()
	for range b.N {
		s.encryptToDevice(b.B, r, text)
	}
}

func benchOlmDecrypt(b *cpuclock.B, s, r *benchParty, text string) {
	ctx := context.Background()
	b.StopTimer()
	evts := make([]*event.Event, b.N)
	for i := range evts {
		evts[i] = s.encryptToDevice(b.B, r, text)
	}
	b.ResetTimer()
	b.StartTimer()
	for _, evt := range evts {
		if r.mach.HandleEncryptedEvent(ctx, evt) == nil {
			b.Fatal("to-device event did not decrypt")
		}
	}
}
