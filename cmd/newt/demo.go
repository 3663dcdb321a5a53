// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package main

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/megolm"
	"github.com/newt-e2ee/newt/olm"
	"github.com/newt-e2ee/newt/pk"
	"github.com/newt-e2ee/newt/sas"
)

const demoUsage = `Usage: newt demo

Run the whole newt story in memory, with fresh random keys, and print every
step:

  1. Olm: Alice starts a session with Bob from one of his one-time keys
     (a pre-key message) and Bob replies.
  2. Megolm: Alice, Bob and Carol share a room. Alice sends her group
     session key to Bob and Carol over Olm, Bob sends his to Alice and
     Carol, and everyone reads the others' room messages.
  3. SAS: Alice and Bob compare emoji and numbers, then check the MACs of
     each other's device keys (method hkdf-hmac-sha256.v2).
  4. Key backup: Alice encrypts a room key to her backup key (pk); her new
     device restores it and reads an old message.

Secret keys are never printed, only their length; public keys and ids are
shortened. Every result is checked: the demo ends with the line
"demo complete: all checks passed", or exits with status 1.

Flags:
  -h, --help   show this help
`

// Names used in the demo's Matrix events.
const (
	demoRoom        = "!garden:example.org"
	demoTxn         = "txn-0001"
	megolmAlgorithm = "m.megolm.v1.aes-sha2"
	backupAlgorithm = "m.megolm_backup.v1.curve25519-aes-sha2"
)

func runDemo(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	const prog = "newt demo"
	fs := newFlagSet(prog)
	positional, status, done := parseCommandLine(fs, prog, demoUsage, args, stdout, stderr)
	if done {
		return status
	}
	if len(positional) > 0 {
		return usageError(stderr, prog, "demo takes no arguments")
	}
	d := &demo{w: stdout}
	if err := d.run(); err != nil {
		return failure(stderr, prog, err.Error())
	}
	d.blank()
	if d.failed > 0 {
		fmt.Fprintf(stdout, "demo failed: %d of %d checks failed\n", d.failed, d.checks)
		return failure(stderr, prog, fmt.Sprintf("%d of %d checks failed", d.failed, d.checks))
	}
	fmt.Fprintf(stdout, "%d checks passed\n", d.checks)
	fmt.Fprintln(stdout, "demo complete: all checks passed")
	return exitOK
}

// demo prints the story and counts its checks.
type demo struct {
	w      io.Writer
	checks int
	failed int
}

// device is one Matrix device: an Olm account, its Olm sessions and the
// Megolm sessions it can read.
type device struct {
	name     string // "Alice"
	user     string // "@alice:example.org"
	deviceID string // "ALICEPHONE"
	account  *olm.Account
	ids      olm.IdentityKeys
	olm      map[string]*olm.Session                // by peer device ID
	rooms    map[string]*megolm.InboundGroupSession // by Megolm session ID
}

func newDevice(name, user, deviceID string) *device {
	a := olm.GenerateAccount()
	return &device{
		name: name, user: user, deviceID: deviceID,
		account: a, ids: a.IdentityKeys(),
		olm:   map[string]*olm.Session{},
		rooms: map[string]*megolm.InboundGroupSession{},
	}
}

func (d *demo) section(title string) {
	d.blank()
	fmt.Fprintf(d.w, "== %s ==\n", title)
}

func (d *demo) blank() { fmt.Fprintln(d.w) }

// say prints a step.
func (d *demo) say(format string, a ...any) { fmt.Fprintf(d.w, format+"\n", a...) }

// detail prints an indented detail of the step before.
func (d *demo) detail(format string, a ...any) { fmt.Fprintf(d.w, "  "+format+"\n", a...) }

// testOnlyFailCheck, when not empty, makes every check whose description
// contains it fail, so that tests can see a failing demo.
var testOnlyFailCheck string

// check prints and counts the outcome of one check.
func (d *demo) check(ok bool, format string, a ...any) bool {
	what := fmt.Sprintf(format, a...)
	if testOnlyFailCheck != "" && strings.Contains(what, testOnlyFailCheck) {
		ok = false
	}
	d.checks++
	mark := "ok"
	if !ok {
		d.failed++
		mark = "FAIL"
	}
	fmt.Fprintf(d.w, "  %-4s %s\n", mark, what)
	return ok
}

// short abbreviates public base64 data (keys, ids, MACs) for display.
func short(s string) string {
	const n = 10
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// secret describes a secret of n bytes, sent as unpadded base64, without
// showing it.
func secret(n int) string {
	return fmt.Sprintf("%d chars (secret, not shown)", base64.RawStdEncoding.EncodedLen(n))
}

func (d *demo) run() error {
	alice := newDevice("Alice", "@alice:example.org", "ALICEPHONE")
	bob := newDevice("Bob", "@bob:example.org", "BOBLAPTOP")
	carol := newDevice("Carol", "@carol:example.org", "CAROLDESK")

	fmt.Fprintln(d.w, "newt demo: Olm, Megolm, SAS and key backup with three devices")
	d.section("Devices")
	for _, dev := range []*device{alice, bob, carol} {
		d.say("%s (%s, device %s)", dev.name, dev.user, dev.deviceID)
		d.detail("curve25519 %s  ed25519 %s", short(dev.ids.Curve25519.String()), short(dev.ids.Ed25519.String()))
	}

	if err := d.olmHandshake(alice, bob); err != nil {
		return fmt.Errorf("olm: %w", err)
	}
	aliceGroup, first, err := d.room(alice, bob, carol)
	if err != nil {
		return fmt.Errorf("megolm: %w", err)
	}
	if err := d.verify(alice, bob); err != nil {
		return fmt.Errorf("sas: %w", err)
	}
	if err := d.backup(alice, aliceGroup, first); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}

// claimOneTimeKey has dev generate and publish one one-time key, which the
// server then hands out to a device that wants to talk to dev.
func (d *demo) claimOneTimeKey(dev *device) (olm.OneTimeKey, error) {
	gen, err := dev.account.GenerateOneTimeKeys(1)
	if err != nil {
		return olm.OneTimeKey{}, err
	}
	if len(gen.Created) != 1 {
		return olm.OneTimeKey{}, errors.New("no one-time key was created")
	}
	otk := gen.Created[0]
	// Published as a signed_curve25519 key: the device's fingerprint key
	// signs the canonical JSON of {"key": ...}.
	signed, err := newt.CanonicalJSONForSigning(map[string]string{"key": otk.Key.String()})
	if err != nil {
		return olm.OneTimeKey{}, err
	}
	sig := dev.account.Sign(signed)
	dev.account.MarkKeysAsPublished()
	d.say("%s publishes a signed one-time key; the server hands it out", dev.name)
	d.detail("key id signed_curve25519:%s, key %s", otk.ID, short(otk.Key.String()))
	d.check(pk.VerifySignature(dev.ids.Ed25519, signed, sig) == nil,
		"its signature verifies under %s's device key %s", dev.name, short(dev.ids.Ed25519.String()))
	return otk, nil
}

// olmHandshake is part 1: Alice opens an Olm session to Bob and both send.
func (d *demo) olmHandshake(alice, bob *device) error {
	d.section("1. Olm: Alice and Bob open a channel")
	otk, err := d.claimOneTimeKey(bob)
	if err != nil {
		return err
	}
	aliceSession, err := alice.account.NewOutboundSession(bob.ids.Curve25519, otk.Key)
	if err != nil {
		return err
	}
	alice.olm[bob.deviceID] = aliceSession
	d.say("Alice creates an outbound session from Bob's identity and one-time keys")
	d.detail("session id %s", short(aliceSession.ID()))

	const hello = "Hello, Bob"
	sent, err := aliceSession.Encrypt([]byte(hello))
	if err != nil {
		return err
	}
	// What travels: the type and the base64 body.
	msgType, body := sent.Type(), sent.Base64()
	d.say("Alice → Bob: %q as a pre-key message (type %d, %d bytes)", hello, msgType, len(sent.Bytes()))
	received, err := olm.ParseEncryptedMessage(msgType, body)
	if err != nil {
		return err
	}
	preKey, ok := received.(*olm.PreKeyMessage)
	if !ok {
		d.check(false, "Bob receives a pre-key message (type 0)")
		return errors.New("the first message is not a pre-key message")
	}
	d.detail("one-time key %s, base key %s", short(preKey.OneTimeKey().String()), short(preKey.BaseKey().String()))
	d.detail("identity key %s, ratchet key %s, counter %d",
		short(preKey.IdentityKey().String()), short(preKey.Message().RatchetKey().String()), preKey.Message().Counter())
	d.check(preKey.OneTimeKey() == otk.Key && preKey.IdentityKey() == alice.ids.Curve25519,
		"it names Bob's one-time key %s and Alice's identity key", otk.ID)

	sender := alice.ids.Curve25519 // the event's sender_key
	bobSession, plaintext, err := bob.account.NewInboundSessionFrom(sender, preKey)
	if err != nil {
		return err
	}
	bob.olm[alice.deviceID] = bobSession
	d.say("Bob creates the inbound session from the pre-key message")
	d.check(string(plaintext) == hello, "Bob reads %q", plaintext)
	d.check(bobSession.ID() == aliceSession.ID() && preKey.SessionID() == aliceSession.ID(),
		"both sides have session id %s", short(bobSession.ID()))
	_, _, err = bob.account.NewInboundSessionFrom(sender, preKey)
	d.check(errors.Is(err, olm.ErrMissingOneTimeKey), "the one-time key is used up: a replayed pre-key message is refused")

	const reply = "Hello, Alice"
	sent, err = bobSession.Encrypt([]byte(reply))
	if err != nil {
		return err
	}
	d.say("Bob → Alice: %q as a normal message (type %d, %d bytes)", reply, sent.Type(), len(sent.Bytes()))
	received, err = olm.ParseEncryptedMessage(sent.Type(), sent.Base64())
	if err != nil {
		return err
	}
	if m, ok := received.(*olm.Message); ok {
		d.detail("ratchet key %s, counter %d", short(m.RatchetKey().String()), m.Counter())
	}
	plaintext, err = aliceSession.Decrypt(received)
	if err != nil {
		return err
	}
	d.check(string(plaintext) == reply, "Alice reads %q", plaintext)
	d.check(aliceSession.MessageType() == olm.MessageTypeNormal, "Alice's session now sends normal messages (type 1)")
	return nil
}

// sendOlm encrypts plaintext from one device to another, first opening an
// Olm session with a claimed one-time key if there is none.
func (d *demo) sendOlm(from, to *device, plaintext []byte) (olm.MessageType, string, error) {
	s := from.olm[to.deviceID]
	if s == nil {
		otk, err := d.claimOneTimeKey(to)
		if err != nil {
			return 0, "", err
		}
		if s, err = from.account.NewOutboundSession(to.ids.Curve25519, otk.Key); err != nil {
			return 0, "", err
		}
		from.olm[to.deviceID] = s
		d.say("%s opens an Olm session with %s", from.name, to.name)
		d.detail("session id %s", short(s.ID()))
	}
	m, err := s.Encrypt(plaintext)
	if err != nil {
		return 0, "", err
	}
	return m.Type(), m.Base64(), nil
}

// receiveOlm decrypts a message that from sent to to, creating to's side of
// the session from a pre-key message when it is new.
func (d *demo) receiveOlm(from, to *device, t olm.MessageType, body string) ([]byte, error) {
	m, err := olm.ParseEncryptedMessage(t, body)
	if err != nil {
		return nil, err
	}
	s := to.olm[from.deviceID]
	if pre, ok := m.(*olm.PreKeyMessage); ok && (s == nil || !s.Matches(pre)) {
		sender := from.ids.Curve25519
		s, plaintext, err := to.account.NewInboundSessionFrom(sender, pre)
		if err != nil {
			return nil, err
		}
		to.olm[from.deviceID] = s
		d.say("%s creates the inbound Olm session from the pre-key message", to.name)
		d.detail("session id %s", short(s.ID()))
		return plaintext, nil
	}
	if s == nil {
		return nil, fmt.Errorf("%s has no Olm session with %s", to.name, from.name)
	}
	return s.Decrypt(m)
}

// roomKeyEvent is the m.room_key to-device event, with the Olm payload's
// sender and recipient fields that bind it to both devices.
type roomKeyEvent struct {
	Type    string `json:"type"`
	Content struct {
		Algorithm  string `json:"algorithm"`
		RoomID     string `json:"room_id"`
		SessionID  string `json:"session_id"`
		SessionKey string `json:"session_key"`
	} `json:"content"`
	Sender        string            `json:"sender"`
	Recipient     string            `json:"recipient"`
	RecipientKeys map[string]string `json:"recipient_keys"`
	Keys          map[string]string `json:"keys"`
}

// shareRoomKey sends the session key of out from one device to another over
// Olm; the recipient checks the event and adds the inbound session.
func (d *demo) shareRoomKey(from, to *device, out *megolm.GroupSession) error {
	var ev roomKeyEvent
	ev.Type = "m.room_key"
	ev.Content.Algorithm = megolmAlgorithm
	ev.Content.RoomID = demoRoom
	ev.Content.SessionID = out.ID()
	ev.Content.SessionKey = out.SessionKey().Base64()
	ev.Sender = from.user
	ev.Recipient = to.user
	ev.RecipientKeys = map[string]string{"ed25519": to.ids.Ed25519.String()}
	ev.Keys = map[string]string{"ed25519": from.ids.Ed25519.String()}
	payload, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	t, body, err := d.sendOlm(from, to, payload)
	clear(payload)
	if err != nil {
		return err
	}
	d.say("%s → %s over Olm: m.room_key (type %d, %d base64 chars)", from.name, to.name, t, len(body))

	plaintext, err := d.receiveOlm(from, to, t, body)
	if err != nil {
		return err
	}
	var got roomKeyEvent
	err = json.Unmarshal(plaintext, &got)
	clear(plaintext)
	if err != nil {
		return err
	}
	d.check(got.Type == "m.room_key" && got.Recipient == to.user && got.RecipientKeys["ed25519"] == to.ids.Ed25519.String() &&
		got.Sender == from.user && got.Keys["ed25519"] == from.ids.Ed25519.String(),
		"%s gets an m.room_key from %s addressed to %s", to.name, from.name, to.deviceID)
	key, err := megolm.ParseSessionKey(got.Content.SessionKey)
	if err != nil {
		return err
	}
	in, err := megolm.NewInboundGroupSession(key)
	if err != nil {
		return err
	}
	to.rooms[in.ID()] = in
	d.check(in.ID() == got.Content.SessionID && in.ID() == out.ID() && in.IsVerified(),
		"%s adds session %s (first index %d, signature verified)", to.name, short(in.ID()), in.FirstKnownIndex())
	return nil
}

// roomEvent is the plaintext of a Megolm-encrypted room message.
type roomEvent struct {
	Type    string `json:"type"`
	RoomID  string `json:"room_id"`
	Content struct {
		MsgType string `json:"msgtype"`
		Body    string `json:"body"`
	} `json:"content"`
}

// sendRoom encrypts text with out and has every reader decrypt it.
func (d *demo) sendRoom(from *device, out *megolm.GroupSession, text string, readers ...*device) (string, error) {
	var ev roomEvent
	ev.Type = "m.room.message"
	ev.RoomID = demoRoom
	ev.Content.MsgType = "m.text"
	ev.Content.Body = text
	payload, err := json.Marshal(ev)
	if err != nil {
		return "", err
	}
	msg := out.Encrypt(payload)
	ct := msg.Base64()
	d.say("%s → room: %q (message index %d, %d bytes)", from.name, text, msg.Index(), len(msg.Bytes()))
	for _, r := range readers {
		if err := d.readRoom(r, out.ID(), ct, msg.Index(), text); err != nil {
			return "", err
		}
	}
	return ct, nil
}

// readRoom has reader decrypt the room message ct of the session sessionID
// and checks its index and text.
func (d *demo) readRoom(reader *device, sessionID, ct string, wantIndex uint32, want string) error {
	in := reader.rooms[sessionID]
	if in == nil {
		return fmt.Errorf("%s has no session %s", reader.name, short(sessionID))
	}
	msg, err := megolm.ParseMessage(ct)
	if err != nil {
		return err
	}
	plaintext, index, err := in.Decrypt(msg)
	if err != nil {
		return err
	}
	var ev roomEvent
	if err := json.Unmarshal(plaintext, &ev); err != nil {
		return err
	}
	d.check(index == wantIndex && ev.RoomID == demoRoom && ev.Content.Body == want,
		"%s reads #%d: %q", reader.name, index, ev.Content.Body)
	return nil
}

// sentMessage is a room message kept for later: the backup part reads it
// again on a new device.
type sentMessage struct {
	ciphertext string
	index      uint32
	text       string
}

// room is part 2: the three devices share Megolm sessions over Olm. It
// returns Alice's outbound session and her first message, for the backup
// part.
func (d *demo) room(alice, bob, carol *device) (*megolm.GroupSession, sentMessage, error) {
	var first sentMessage
	d.section("2. Megolm: a room with Alice, Bob and Carol")
	aliceOut := megolm.GenerateGroupSession()
	d.say("Alice creates an outbound group session for %s", demoRoom)
	d.detail("session id %s, next message index %d", short(aliceOut.ID()), aliceOut.MessageIndex())
	d.detail("session key: %s", secret(megolm.SessionKeySize))
	// A sender keeps an inbound copy to read its own messages (and back
	// them up).
	own, err := megolm.NewInboundGroupSession(aliceOut.SessionKey())
	if err != nil {
		return nil, sentMessage{}, err
	}
	alice.rooms[own.ID()] = own

	for _, to := range []*device{bob, carol} {
		if err := d.shareRoomKey(alice, to, aliceOut); err != nil {
			return nil, sentMessage{}, err
		}
	}
	for _, text := range []string{"Good morning, garden!", "The tomatoes are ripe."} {
		index := aliceOut.MessageIndex()
		ct, err := d.sendRoom(alice, aliceOut, text, bob, carol)
		if err != nil {
			return nil, sentMessage{}, err
		}
		if first.ciphertext == "" {
			first = sentMessage{ciphertext: ct, index: index, text: text}
		}
	}

	bobOut := megolm.GenerateGroupSession()
	d.say("Bob creates his own outbound group session")
	d.detail("session id %s, session key: %s", short(bobOut.ID()), secret(megolm.SessionKeySize))
	for _, to := range []*device{alice, carol} {
		if err := d.shareRoomKey(bob, to, bobOut); err != nil {
			return nil, sentMessage{}, err
		}
	}
	if _, err := d.sendRoom(bob, bobOut, "Great, I'll bring a basket.", alice, carol); err != nil {
		return nil, sentMessage{}, err
	}
	return aliceOut, first, nil
}

// verify is part 3: SAS verification between Alice and Bob.
func (d *demo) verify(alice, bob *device) error {
	d.section("3. SAS: Alice and Bob verify each other")
	aliceSAS, bobSAS := sas.Generate(), sas.Generate()
	// The keys travel in m.key.verification.key events.
	if err := aliceSAS.SetTheirKeyBase64(bobSAS.PublicKey().String()); err != nil {
		return err
	}
	if err := bobSAS.SetTheirKeyBase64(aliceSAS.PublicKey().String()); err != nil {
		return err
	}
	d.say("Alice starts verification %s; the devices exchange SAS keys", demoTxn)
	d.detail("Alice's SAS key %s, Bob's SAS key %s", short(aliceSAS.PublicKey().String()), short(bobSAS.PublicKey().String()))

	// Alice started, so she comes first in the info string (spec: "SAS
	// method"); both devices build the same one.
	info := []byte("MATRIX_KEY_VERIFICATION_SAS|" +
		alice.user + "|" + alice.deviceID + "|" + aliceSAS.PublicKey().String() + "|" +
		bob.user + "|" + bob.deviceID + "|" + bobSAS.PublicKey().String() + "|" + demoTxn)
	aliceEmoji, err := aliceSAS.EmojiIndices(info)
	if err != nil {
		return err
	}
	bobEmoji, err := bobSAS.EmojiIndices(info)
	if err != nil {
		return err
	}
	d.say("Alice's screen shows seven emoji:")
	for _, i := range aliceEmoji {
		e, ok := sas.LookupEmoji(i)
		if !ok {
			return fmt.Errorf("emoji index %d out of range", i)
		}
		d.detail("  %s  %s", e.Symbol, e.Description)
	}
	d.check(aliceEmoji == bobEmoji, "Bob's screen shows the same emoji")
	aliceNumbers, err := aliceSAS.Decimals(info)
	if err != nil {
		return err
	}
	bobNumbers, err := bobSAS.Decimals(info)
	if err != nil {
		return err
	}
	d.say("or, as numbers: %d %d %d", aliceNumbers[0], aliceNumbers[1], aliceNumbers[2])
	d.check(aliceNumbers == bobNumbers, "Bob's screen shows the same numbers")

	d.say("Both press \"They match\" and MAC their device keys (%s)", sas.MethodHKDFHMACSHA256V2)
	if err := d.exchangeMACs(alice, bob, aliceSAS, bobSAS); err != nil {
		return err
	}
	return d.exchangeMACs(bob, alice, bobSAS, aliceSAS)
}

// exchangeMACs has sender MAC its device key and key list, as in an
// m.key.verification.mac event, and receiver check them against the key it
// already knows for the sender's device.
func (d *demo) exchangeMACs(sender, receiver *device, senderSAS, receiverSAS *sas.SAS) error {
	keyID := "ed25519:" + sender.deviceID
	base := "MATRIX_KEY_VERIFICATION_MAC" + sender.user + sender.deviceID + receiver.user + receiver.deviceID + demoTxn
	key := []byte(sender.ids.Ed25519.String())
	keyMAC, err := senderSAS.CalculateMAC(key, []byte(base+keyID))
	if err != nil {
		return err
	}
	keyIDs := []string{keyID}
	slices.Sort(keyIDs)
	list := []byte(strings.Join(keyIDs, ","))
	listMAC, err := senderSAS.CalculateMAC(list, []byte(base+"KEY_IDS"))
	if err != nil {
		return err
	}
	d.say("%s → %s: m.key.verification.mac", sender.name, receiver.name)
	d.detail("%s: %s", keyID, short(keyMAC))
	d.detail("KEY_IDS: %s", short(listMAC))

	known := []byte(sender.ids.Ed25519.String()) // from the device list
	d.check(receiverSAS.VerifyMAC(known, []byte(base+keyID), keyMAC) == nil,
		"%s verifies the MAC of %s's device key %s", receiver.name, sender.name, short(string(known)))
	d.check(receiverSAS.VerifyMAC(list, []byte(base+"KEY_IDS"), listMAC) == nil,
		"%s verifies the MAC of the key list", receiver.name)
	other := []byte(receiver.ids.Ed25519.String())
	d.check(errors.Is(receiverSAS.VerifyMAC(other, []byte(base+keyID), keyMAC), sas.ErrBadMAC),
		"the same MAC over a different key is rejected")
	return nil
}

// backupSessionData is the plaintext of a backed-up room key (the
// SessionData of m.megolm_backup.v1.curve25519-aes-sha2).
type backupSessionData struct {
	Algorithm                    string            `json:"algorithm"`
	SenderKey                    string            `json:"sender_key"`
	SenderClaimedKeys            map[string]string `json:"sender_claimed_keys"`
	ForwardingCurve25519KeyChain []string          `json:"forwarding_curve25519_key_chain"`
	SessionKey                   string            `json:"session_key"`
}

// backup is part 4: Alice backs up her room key to a pk key and restores it
// on a new device, which then reads old, a message sent before.
func (d *demo) backup(alice *device, out *megolm.GroupSession, old sentMessage) error {
	d.section("4. Key backup: Alice backs up a room key with pk")
	backupKey := pk.GenerateDecryption()
	recoveryKey := backupKey.PrivateKey() // kept in secret storage
	defer clear(recoveryKey)
	d.say("Alice creates a backup key (%s)", backupAlgorithm)
	d.detail("public key %s", short(backupKey.PublicKey().String()))
	d.detail("private key: %d bytes (secret, not shown)", len(recoveryKey))

	own := alice.rooms[out.ID()]
	if own == nil {
		return errors.New("no inbound copy of Alice's own session")
	}
	export, err := own.Export(own.FirstKnownIndex())
	if err != nil {
		return err
	}
	exportText := export.Base64()
	d.say("Alice exports her room session %s from index %d", short(own.ID()), export.Index())
	d.detail("exported session key: %s", secret(megolm.ExportedSessionKeySize))

	data := backupSessionData{
		Algorithm:                    megolmAlgorithm,
		SenderKey:                    alice.ids.Curve25519.String(),
		SenderClaimedKeys:            map[string]string{"ed25519": alice.ids.Ed25519.String()},
		ForwardingCurve25519KeyChain: []string{},
		SessionKey:                   exportText,
	}
	plaintext, err := json.Marshal(data)
	if err != nil {
		return err
	}
	enc := pk.NewEncryption(backupKey.PublicKey())
	msg, err := enc.Encrypt(plaintext)
	clear(plaintext)
	if err != nil {
		return err
	}
	// session_data as uploaded to the server.
	sessionData := map[string]string{
		"ciphertext": msg.CiphertextBase64(),
		"mac":        msg.MACBase64(),
		"ephemeral":  msg.EphemeralKeyBase64(),
	}
	d.say("Alice encrypts it to the backup key and uploads session_data")
	d.detail("ciphertext %d bytes, mac %s, ephemeral %s",
		len(msg.Ciphertext), sessionData["mac"], short(sessionData["ephemeral"]))

	d.say("Alice's new device gets the private key from secret storage")
	restored, err := pk.NewDecryption(recoveryKey)
	if err != nil {
		return err
	}
	d.check(restored.PublicKey() == backupKey.PublicKey(), "it matches the backup's public key %s", short(restored.PublicKey().String()))

	downloaded, err := pk.ParseMessage(sessionData["ciphertext"], sessionData["mac"], sessionData["ephemeral"])
	if err != nil {
		return err
	}
	wrongKey := pk.GenerateDecryption()
	_, err = wrongKey.Decrypt(downloaded)
	d.check(errors.Is(err, pk.ErrBadMAC), "another backup key cannot decrypt it (bad MAC)")

	decrypted, err := restored.Decrypt(downloaded)
	if err != nil {
		return err
	}
	var got backupSessionData
	err = json.Unmarshal(decrypted, &got)
	clear(decrypted)
	if err != nil {
		return err
	}
	d.check(got.Algorithm == megolmAlgorithm && got.SenderKey == alice.ids.Curve25519.String(),
		"it decrypts session_data: %s from %s", got.Algorithm, short(got.SenderKey))
	imported, err := megolm.ParseExportedSessionKey(got.SessionKey)
	if err != nil {
		return err
	}
	in, err := megolm.ImportInboundGroupSession(imported)
	if err != nil {
		return err
	}
	d.check(in.ID() == out.ID() && in.FirstKnownIndex() == 0 && !in.IsVerified(),
		"it imports session %s from index %d, unverified (an export is unsigned)", short(in.ID()), in.FirstKnownIndex())

	return d.readRoom(&device{name: "Alice's new device", rooms: map[string]*megolm.InboundGroupSession{in.ID(): in}},
		in.ID(), old.ciphertext, old.index, old.text)
}
