// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// Command bot is a Matrix bot for end-to-end encrypted rooms, built on
// mautrix-go: its cryptohelper with a sqlite crypto store, and its
// verificationhelper for interactive (SAS emoji) device verification.
//
// It logs in, joins every room it is invited to, and answers commands sent
// in encrypted rooms:
//
//	!ping [text]     replies "pong [text]"
//	!echo text       replies text
//	!history [n]     decrypts the last n (default 50) messages of the room
//	                 again and replies "history: D decrypted, F failed"
//
// Other messages are decrypted and logged, never answered.
//
// # Running it
//
//	NEWT_BOT_PASSWORD=… NEWT_BOT_PICKLE_KEY=… \
//	bot -homeserver https://matrix.example.org -user mybot -database bot.db
//
// The database holds the Olm account, the Olm and Megolm sessions and the
// sync token; keep it, and keep the pickle key (which encrypts the pickles in
// it) secret and unchanged. Restarting the bot on the same database keeps
// its device, its sessions and its place in the timeline.
//
// Secrets come from the environment, never from the command line:
// NEWT_BOT_PASSWORD (the account password), NEWT_BOT_PICKLE_KEY (the key for
// the pickles in the database) and, with -restore-backup,
// NEWT_BOT_RECOVERY_KEY (the account's recovery key, as Element shows it).
//
// With -restore-backup the bot reads the account's key-backup key from secret
// storage with the recovery key, verifies its own device with the
// cross-signing keys found there, and imports every room key of the newest
// server-side key backup, so it can read history sent before it existed.
//
// With -console the bot reads operator commands on standard input, one per
// line:
//
//	verify @user:example.org    ask all of that user's devices to verify
//	confirm TXN                 the emoji of transaction TXN match: trust
//	cancel TXN                  they do not: cancel
//	history !room:example.org [n]
//	quit
//
// Incoming verification requests are accepted (that only shows the emoji);
// a device becomes trusted only after the operator confirms the emoji that
// the bot logs ("compare these emoji").
//
// The bot logs JSON lines (zerolog) on standard error, including
// "olm_driver": the Olm implementation that mautrix's crypto runs on.
//
// # Olm implementation
//
// Build it with -tags goolm (mautrix's pure-Go Olm) and libsqlite3 (the
// system's sqlite through github.com/mattn/go-sqlite3, the only cgo in the
// program):
//
//	go build -tags goolm,libsqlite3 ./cmd/bot
package main
