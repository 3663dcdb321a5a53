// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package mautrix_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"
	"github.com/newt-e2ee/newt/internal/newttest"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/crypto"
	"maunium.net/go/mautrix/crypto/cryptohelper"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"
	"maunium.net/go/mautrix/mockserver"
)

const (
	room     = id.RoomID("!room:example.org")
	botUser  = id.UserID("@bot:example.org")
	peerUser = id.UserID("@peer:example.org")
)

var (
	pickleKey = []byte("the bot's pickle key")
	testType  = event.Type{Type: "org.example.newt.test", Class: event.ToDeviceEventType}
)

// TestStoreMigration switches a bot's crypto store between backends on a
// real database. A bot (mautrix's cryptohelper with its SQL crypto and state
// stores on a SQLite file) runs on one driver and exchanges Olm to-device
// messages and Megolm room messages with a peer, through mautrix's mock
// homeserver. The peer sends more that the bot has not received yet. Then the
// bot's process state is dropped (machine destroyed, database closed) and the
// same file is opened by a bot on the other driver, while the peer keeps
// running, unchanged, on the first. The new bot must load the account and
// sessions the first wrote, decrypt the waiting and the old messages, decrypt
// new ones, and keep sending on its existing Olm and Megolm sessions, which
// the peer must decrypt. At the end every pickle in the file loads in both
// drivers and re-pickles to the same bytes. It runs goolm -> newt and
// newt -> goolm (and libolm <-> newt with the build tag libolm).
func TestStoreMigration(t *testing.T) {
	for _, other := range otherDrivers {
		for _, dir := range [][2]driver{{other, newtDriver}, {newtDriver, other}} {
			from, to := dir[0], dir[1]
			t.Run(from.name+"->"+to.name, func(t *testing.T) {
				testStoreMigration(t, from, to)
			})
		}
	}
	newtDriver.register() // what this package's init left
}

func testStoreMigration(t *testing.T, from, to driver) {
	ms := mockserver.Create(t)
	dbPath := filepath.Join(t.TempDir(), "bot.db")

	// Phase 1: bot and peer on the first driver.
	from.register()
	peer := newParty(t, ms, peerUser, "PEER", "")
	bot := newParty(t, ms, botUser, "BOT", dbPath)
	checkAccountDriver(t, bot, from)
	botKeys := bot.mach.OwnIdentity()

	// Olm: the peer starts a session (a pre-key message), the bot replies.
	peer.sendOlm(t, bot, "peer 1")
	bot.expectOlm(t, "peer 1")
	bot.sendOlm(t, peer, "bot 1")
	peer.expectOlm(t, "bot 1")

	// Megolm both ways; room keys travel over the Olm sessions.
	e1 := peer.sendRoom(t, "room peer 1")
	bot.receiveRoom(t, e1, "room peer 1", 0)
	botRoom1 := bot.sendRoom(t, "room bot 1")
	peer.receiveRoom(t, botRoom1, "room bot 1", 0)

	// Waiting for the bot when it goes down: a to-device message and a
	// room message.
	peer.sendOlm(t, bot, "peer 2")
	e2 := peer.sendRoom(t, "room peer 2")

	bot.close()

	// Phase 2: the bot on the second driver, from the same file; the peer
	// stays on the first.
	var bot2 *party
	as(to, func() { bot2 = newParty(t, ms, botUser, "BOT", dbPath) })
	checkAccountDriver(t, bot2, to)
	if own := bot2.mach.OwnIdentity(); own.IdentityKey != botKeys.IdentityKey || own.SigningKey != botKeys.SigningKey {
		t.Fatal("the bot's identity keys changed")
	}
	as(to, func() {
		bot2.expectOlm(t, "peer 2")               // sent before the switch
		bot2.receiveRoom(t, e1, "room peer 1", 0) // received before the switch
		bot2.receiveRoom(t, e2, "room peer 2", 1) // sent before the switch
	})
	as(from, func() {
		peer.sendOlm(t, bot2, "peer 3")
	})
	var e3 *event.Event
	as(from, func() { e3 = peer.sendRoom(t, "room peer 3") })
	as(to, func() {
		bot2.expectOlm(t, "peer 3")
		bot2.receiveRoom(t, e3, "room peer 3", 2)
	})

	// The bot keeps sending on the sessions the first driver created.
	var botRoom2 *event.Event
	as(to, func() {
		bot2.sendOlm(t, peer, "bot 2")
		botRoom2 = bot2.sendRoom(t, "room bot 2")
	})
	if botRoom2.Content.AsEncrypted().SessionID != botRoom1.Content.AsEncrypted().SessionID {
		t.Fatal("the bot started a new Megolm session instead of continuing its own")
	}
	as(from, func() {
		peer.expectOlm(t, "bot 2")
		peer.receiveRoom(t, botRoom2, "room bot 2", 1)
	})
	bot2.close()

	// The peer ran on the first driver throughout.
	checkAccountDriver(t, peer, from)
	sess, err := peer.mach.CryptoStore.GetLatestSession(context.Background(), botKeys.IdentityKey)
	if err != nil || sess == nil {
		t.Fatalf("the peer's Olm session with the bot: %v", err)
	}
	if got, want := fmt.Sprintf("%T", sess.Internal), fmt.Sprintf("%T", mustLoad(from.sessionFromPickle, newttest.MustPickle(t, sess.Internal, pickleKey))); got != want {
		t.Fatalf("the peer's Olm session is a %s, want %s", got, want)
	}

	checkStorePickles(t, dbPath, from, to)
}

// as runs f with d's registration in crypto/olm.
func as(d driver, f func()) {
	d.register()
	f()
}

// party is a Matrix client with mautrix's cryptohelper: the bot on a SQLite
// file, or the peer on mautrix's memory stores.
type party struct {
	user   id.UserID
	device id.DeviceID
	ms     *mockserver.MockServer
	client *mautrix.Client
	helper *cryptohelper.CryptoHelper
	mach   *crypto.OlmMachine
	nextID int
}

// newParty logs in to the mock server and starts a cryptohelper, on the
// SQLite file dbPath (a bot's usual set-up) or, if dbPath is empty, on memory
// stores. A new party uploads its device keys; one reopening a file finds
// them on the server, which the helper checks against the stored account.
func newParty(t *testing.T, ms *mockserver.MockServer, user id.UserID, device id.DeviceID, dbPath string) *party {
	t.Helper()
	ctx := context.Background()
	client, err := mautrix.NewClient(ms.Server.URL, "", "")
	if err != nil {
		t.Fatal(err)
	}
	client.Client = ms.Server.Client()
	if _, err := client.Login(ctx, &mautrix.ReqLogin{
		Type:             mautrix.AuthTypePassword,
		Identifier:       mautrix.UserIdentifier{Type: mautrix.IdentifierTypeUser, User: user.String()},
		DeviceID:         device,
		Password:         "password",
		StoreCredentials: true,
	}); err != nil {
		t.Fatal(err)
	}
	var store any = dbPath
	if dbPath == "" {
		client.StateStore = mautrix.NewMemoryStateStore()
		store = crypto.NewMemoryStore(nil)
	}
	helper, err := cryptohelper.NewCryptoHelper(client, pickleKey, store)
	if err != nil {
		t.Fatal(err)
	}
	client.Crypto = helper
	if err := helper.Init(ctx); err != nil {
		t.Fatal(err)
	}
	p := &party{user: user, device: device, ms: ms, client: client, helper: helper, mach: helper.Machine()}
	t.Cleanup(p.close)

	// Both users are in one encrypted room (written to the state store;
	// a reopened file has it already).
	for _, u := range []id.UserID{botUser, peerUser} {
		if err := client.StateStore.SetMembership(ctx, room, u, event.MembershipJoin); err != nil {
			t.Fatal(err)
		}
	}
	if err := client.StateStore.SetEncryptionEvent(ctx, room, &event.EncryptionEventContent{Algorithm: id.AlgorithmMegolmV1}); err != nil {
		t.Fatal(err)
	}
	return p
}

// close drops the party's process state: its machine stops, its database
// closes. It may be called twice.
func (p *party) close() {
	if p.helper == nil {
		return
	}
	p.mach.Destroy()
	p.helper.Close()
	p.helper, p.mach = nil, nil
}

// sendOlm sends text to the other party's device as an Olm-encrypted
// to-device event of testType; it waits in the mock server's inbox.
func (p *party) sendOlm(t *testing.T, to *party, text string) {
	t.Helper()
	ctx := context.Background()
	device, err := p.mach.GetOrFetchDevice(ctx, to.user, to.device)
	if err != nil {
		t.Fatal(err)
	}
	content := event.Content{Raw: map[string]any{"text": text}}
	if err := p.mach.SendEncryptedToDevice(ctx, device, testType, content); err != nil {
		t.Fatal(err)
	}
}

// receive hands the party the to-device events waiting for it, as a sync
// would, and returns the decrypted events of testType.
func (p *party) receive(t *testing.T) []*crypto.DecryptedOlmEvent {
	t.Helper()
	ctx := context.Background()
	inbox := p.ms.DeviceInbox[p.user][p.device]
	delete(p.ms.DeviceInbox[p.user], p.device)
	var got []*crypto.DecryptedOlmEvent
	for i := range inbox {
		evt := &inbox[i]
		if evt.Type != event.ToDeviceEncrypted {
			p.mach.HandleToDeviceEvent(ctx, evt)
			continue
		}
		if d := p.mach.HandleEncryptedEvent(ctx, evt); d != nil && d.Type.Type == testType.Type {
			got = append(got, d)
		}
	}
	return got
}

// expectOlm receives the waiting to-device events and checks that exactly
// one test message arrived, with text.
func (p *party) expectOlm(t *testing.T, text string) {
	t.Helper()
	got := p.receive(t)
	if len(got) != 1 {
		t.Fatalf("%s received %d test messages, want 1 (%q)", p.user, len(got), text)
	}
	if s, _ := got[0].Content.Raw["text"].(string); s != text {
		t.Fatalf("%s received %q, want %q", p.user, s, text)
	}
}

// sendRoom encrypts a text message for the room, sharing the room key first
// if needed, and returns the m.room.encrypted event as a homeserver would
// deliver it (parsed from its JSON).
func (p *party) sendRoom(t *testing.T, text string) *event.Event {
	t.Helper()
	enc, err := p.helper.Encrypt(context.Background(), room, event.EventMessage,
		&event.MessageEventContent{MsgType: event.MsgText, Body: text})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(enc)
	if err != nil {
		t.Fatal(err)
	}
	p.nextID++
	evt := &event.Event{
		Type:      event.EventEncrypted,
		RoomID:    room,
		Sender:    p.user,
		ID:        id.EventID(fmt.Sprintf("$%s-%d", p.device, p.nextID)),
		Timestamp: time.Now().UnixMilli(),
		Content:   event.Content{VeryRaw: raw},
	}
	if err := evt.Content.ParseRaw(evt.Type); err != nil {
		t.Fatal(err)
	}
	return evt
}

// receiveRoom receives the waiting to-device events (room keys) and
// decrypts evt, which must hold text at Megolm index.
func (p *party) receiveRoom(t *testing.T, evt *event.Event, text string, index uint) {
	t.Helper()
	p.receive(t)
	dec, err := p.helper.Decrypt(context.Background(), evt)
	if err != nil {
		t.Fatalf("%s: decrypting %q: %v", p.user, text, err)
	}
	if body := dec.Content.AsMessage().Body; body != text {
		t.Fatalf("%s decrypted %q, want %q", p.user, body, text)
	}
	if dec.Mautrix.WasEncrypted != true {
		t.Fatal("event not marked as decrypted")
	}
	if got := megolmIndex(t, evt); got != index {
		t.Fatalf("%q has Megolm index %d, want %d", text, got, index)
	}
}

// megolmIndex returns the message index of a Megolm event.
func megolmIndex(t *testing.T, evt *event.Event) uint {
	t.Helper()
	index, err := crypto.ParseMegolmMessageIndex(evt.Content.AsEncrypted().MegolmCiphertext)
	if err != nil {
		t.Fatal(err)
	}
	return index
}

// checkAccountDriver checks that the party's account is an object of d.
func checkAccountDriver(t *testing.T, p *party, d driver) {
	t.Helper()
	got := fmt.Sprintf("%T", p.mach.GetAccount().Internal)
	acct, _ := d.accountFromPickle(newttest.MustPickle(t, p.mach.GetAccount().Internal, pickleKey), pickleKey)
	if want := fmt.Sprintf("%T", acct); got != want {
		t.Fatalf("the account is a %s, want %s (%s)", got, want, d.name)
	}
}

func mustLoad[T any](load func(p, key []byte) (T, error), p []byte) T {
	v, err := load(p, pickleKey)
	if err != nil {
		panic(err)
	}
	return v
}

// checkStorePickles reads every pickle in the bot's database (account, Olm
// sessions, inbound and outbound Megolm sessions) and checks that each loads
// in both drivers and pickles back to the stored bytes.
func checkStorePickles(t *testing.T, dbPath string, drivers ...driver) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+dbPath+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	type loader func(d driver, p []byte) (interface{ Pickle([]byte) ([]byte, error) }, error)
	tables := []struct {
		query string
		load  loader
	}{
		{"SELECT account FROM crypto_account", func(d driver, p []byte) (interface{ Pickle([]byte) ([]byte, error) }, error) {
			return d.accountFromPickle(p, pickleKey)
		}},
		{"SELECT session FROM crypto_olm_session", func(d driver, p []byte) (interface{ Pickle([]byte) ([]byte, error) }, error) {
			return d.sessionFromPickle(p, pickleKey)
		}},
		{"SELECT session FROM crypto_megolm_inbound_session WHERE session IS NOT NULL", func(d driver, p []byte) (interface{ Pickle([]byte) ([]byte, error) }, error) {
			return d.inboundFromPickle(p, pickleKey)
		}},
		{"SELECT session FROM crypto_megolm_outbound_session", func(d driver, p []byte) (interface{ Pickle([]byte) ([]byte, error) }, error) {
			return d.outboundFromPickle(p, pickleKey)
		}},
	}
	for _, tab := range tables {
		rows, err := db.Query(tab.query)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for rows.Next() {
			var stored []byte
			if err := rows.Scan(&stored); err != nil {
				t.Fatal(err)
			}
			n++
			for _, d := range drivers {
				v, err := tab.load(d, bytes.Clone(stored))
				if err != nil {
					t.Fatalf("%s: %s cannot load a stored pickle: %v", tab.query, d.name, err)
				}
				if again := newttest.MustPickle(t, v, pickleKey); !bytes.Equal(again, stored) {
					t.Fatalf("%s: %s re-pickles a stored pickle to other bytes", tab.query, d.name)
				}
			}
		}
		rows.Close()
		if n == 0 {
			t.Fatalf("%s: no rows", tab.query)
		}
	}
}
