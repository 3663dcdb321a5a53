// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// Command example is a Matrix bot for end-to-end encrypted rooms, built on
// mautrix-go (its cryptohelper with a SQLite crypto store, and its
// verificationhelper for SAS emoji verification) with newt as mautrix's
// crypto backend. The switch to newt is one blank import in main.go:
//
//	import _ "github.com/newt-e2ee/newt/mautrix"
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
//	example -homeserver https://matrix.example.org -user mybot -database bot.db
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
// With -restore-backup the bot unlocks secret storage with the recovery key,
// cross-signs its own device with the cross-signing keys found there, and
// imports every room key of the newest server-side key backup, so it can
// read history sent before it existed. The recovery key, the secrets and the
// backed-up sessions are decrypted by newt's package keys
// (github.com/newt-e2ee/newt/keys); mautrix makes the HTTP requests and
// stores the sessions.
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
// "olm_driver": the Olm implementation that mautrix's crypto runs on
// ("newt").
//
// # Building it
//
// From the mautrix directory of newt's repository:
//
//	go build -tags goolm,libsqlite3 ./example
//
// The goolm tag keeps mautrix from linking libolm; the blank import then puts
// newt in goolm's place. The only cgo is the SQLite driver under mautrix's
// crypto store, github.com/mattn/go-sqlite3; the libsqlite3 tag links the
// system's SQLite (Debian: libsqlite3-dev) instead of compiling the copy
// bundled with the driver. Everything else is pure Go: with CGO_ENABLED=0 the
// bot still builds, but without a SQLite driver, and it stops at start with
// "unknown driver".
package main
