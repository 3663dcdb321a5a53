// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	_ "github.com/mattn/go-sqlite3" // SQLite under the crypto store (cgo; see doc.go)
	"github.com/rs/zerolog"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/crypto/cryptohelper"
	"maunium.net/go/mautrix/crypto/olm"
	"maunium.net/go/mautrix/crypto/verificationhelper"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	// The one line that makes mautrix's crypto run on newt. Build with
	// -tags goolm, so that mautrix does not link libolm.
	_ "github.com/newt-e2ee/newt/mautrix"
)

type bot struct {
	client *mautrix.Client
	crypto *cryptohelper.CryptoHelper
	verify *verificationhelper.VerificationHelper
	log    zerolog.Logger

	mu      sync.Mutex
	started map[id.VerificationTransactionID]bool // verifications this bot requested
}

func main() {
	homeserver := flag.String("homeserver", "", "homeserver URL")
	user := flag.String("user", "", "user name (localpart or full user ID)")
	database := flag.String("database", "bot.db", "sqlite file of the crypto store")
	deviceName := flag.String("device-name", "newt example bot", "display name of a new device")
	console := flag.Bool("console", false, "read operator commands on standard input")
	restore := flag.Bool("restore-backup", false, "import the room keys of the key backup, unlocked with NEWT_BOT_RECOVERY_KEY")
	debug := flag.Bool("debug", false, "log at debug level")
	flag.Parse()

	log := zerolog.New(os.Stderr).With().Timestamp().Logger()
	if !*debug {
		log = log.Level(zerolog.InfoLevel)
	}
	password, pickleKey := os.Getenv("NEWT_BOT_PASSWORD"), os.Getenv("NEWT_BOT_PICKLE_KEY")
	if *homeserver == "" || *user == "" || password == "" || pickleKey == "" {
		fmt.Fprintln(os.Stderr, "usage: NEWT_BOT_PASSWORD=… NEWT_BOT_PICKLE_KEY=… bot -homeserver URL -user NAME [-database FILE]")
		flag.PrintDefaults()
		os.Exit(2)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	b, err := start(ctx, log, *homeserver, *user, password, []byte(pickleKey), *database, *deviceName)
	if err != nil {
		log.Fatal().Err(err).Msg("start failed")
	}
	if *restore {
		if err := b.restoreBackup(ctx, os.Getenv("NEWT_BOT_RECOVERY_KEY")); err != nil {
			log.Error().Err(err).Msg("key backup restore failed")
		}
	}
	if *console {
		go b.console(ctx, os.Stdin, stop)
	}
	err = b.run(ctx)
	if cerr := b.crypto.Close(); cerr != nil {
		log.Error().Err(cerr).Msg("closing the database")
	}
	if err != nil {
		log.Fatal().Err(err).Msg("sync stopped")
	}
	log.Info().Msg("stopped")
}

// start logs in (or resumes the device stored in the database), loads the
// crypto store and registers the event handlers.
func start(ctx context.Context, log zerolog.Logger, homeserver, user, password string, pickleKey []byte, database, deviceName string) (*bot, error) {
	client, err := mautrix.NewClient(homeserver, "", "")
	if err != nil {
		return nil, err
	}
	client.Log = log
	// Retry requests that fail on the network or with 5xx/429 (a homeserver
	// restarting), so a reply is not lost; mautrix reuses the transaction ID.
	client.DefaultHTTPRetries = 5
	client.DefaultHTTPBackoff = time.Second
	b := &bot{client: client, log: log, started: map[id.VerificationTransactionID]bool{}}

	syncer := client.Syncer.(*mautrix.DefaultSyncer)
	syncer.OnEventType(event.StateMember, b.onMember)
	syncer.OnEventType(event.EventMessage, b.onMessage)

	helper, err := cryptohelper.NewCryptoHelper(client, pickleKey, database)
	if err != nil {
		return nil, err
	}
	helper.LoginAs = &mautrix.ReqLogin{
		Type:                     mautrix.AuthTypePassword,
		Identifier:               mautrix.UserIdentifier{Type: mautrix.IdentifierTypeUser, User: user},
		Password:                 password,
		InitialDeviceDisplayName: deviceName,
	}
	helper.DecryptErrorCallback = func(evt *event.Event, err error) {
		log.Warn().Err(err).
			Stringer("event_id", evt.ID).Stringer("room_id", evt.RoomID).Stringer("sender", evt.Sender).
			Msg("undecryptable event")
	}
	if err := helper.Init(ctx); err != nil {
		return nil, err
	}
	client.Crypto = helper
	b.crypto = helper

	b.verify = verificationhelper.NewVerificationHelper(client, helper.Machine(), nil, b, false, false, true)
	if err := b.verify.Init(ctx); err != nil {
		return nil, err
	}

	own := helper.Machine().OwnIdentity()
	log.Info().
		Str("olm_driver", olm.Driver).
		Stringer("user_id", client.UserID).
		Stringer("device_id", client.DeviceID).
		Str("curve25519", own.IdentityKey.String()).
		Str("ed25519", own.SigningKey.String()).
		Msg("ready")
	return b, nil
}

// run syncs until ctx is done. Failed syncs (the homeserver restarting, the
// network going away) are retried by mautrix after a pause.
func (b *bot) run(ctx context.Context) error {
	err := b.client.SyncWithContext(ctx)
	if err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

// onMember joins the rooms the bot is invited to.
func (b *bot) onMember(ctx context.Context, evt *event.Event) {
	if evt.GetStateKey() != b.client.UserID.String() || evt.Content.AsMember().Membership != event.MembershipInvite {
		return
	}
	if b.client.StateStore.IsMembership(ctx, evt.RoomID, b.client.UserID, event.MembershipJoin) {
		return // an invite seen again after joining
	}
	log := b.log.With().Stringer("room_id", evt.RoomID).Stringer("inviter", evt.Sender).Logger()
	for attempt := 1; ; attempt++ {
		_, err := b.client.JoinRoomByID(ctx, evt.RoomID)
		if err == nil {
			log.Info().Msg("joined room")
			return
		}
		if attempt == 5 || ctx.Err() != nil {
			log.Error().Err(err).Msg("could not join room")
			return
		}
		time.Sleep(time.Duration(attempt) * 200 * time.Millisecond)
	}
}
