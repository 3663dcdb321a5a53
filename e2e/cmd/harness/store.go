// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package main

import (
	"database/sql"
	"fmt"
	"io"
	"os"

	_ "github.com/mattn/go-sqlite3"
)

// storeView reads the bot's crypto store (mautrix's SQL schema) read-only,
// while the bot may be running: sqlite in WAL mode lets a reader see the
// last committed state.
type storeView struct{ db *sql.DB }

func openStore(path string) (*storeView, error) {
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro&_busy_timeout=5000")
	if err != nil {
		return nil, err
	}
	return &storeView{db}, nil
}

func (s *storeView) close() { s.db.Close() }

func (s *storeView) count(query string, args ...any) (int, error) {
	var n int
	err := s.db.QueryRow(query, args...).Scan(&n)
	return n, err
}

// olmSessions is the number of Olm sessions with the device of this
// Curve25519 identity key.
func (s *storeView) olmSessions(curve string) (int, error) {
	return s.count(`SELECT COUNT(*) FROM crypto_olm_session WHERE sender_key = ?`, curve)
}

// outboundSession is the ID of the room's current outbound Megolm session.
func (s *storeView) outboundSession(roomID string) (string, error) {
	var sid string
	err := s.db.QueryRow(`SELECT session_id FROM crypto_megolm_outbound_session WHERE room_id = ?`, roomID).Scan(&sid)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return sid, err
}

// sharedWith is the number of devices an outbound session was sent to.
func (s *storeView) sharedWith(sessionID string) (int, error) {
	return s.count(`SELECT COUNT(*) FROM crypto_megolm_outbound_session_shared WHERE session_id = ?`, sessionID)
}

// deviceTrust is the trust state the store keeps for a device
// (mautrix's id.TrustState; 300 is "verified").
func (s *storeView) deviceTrust(userID, deviceID string) (int, error) {
	var t int
	err := s.db.QueryRow(`SELECT trust FROM crypto_device WHERE user_id = ? AND device_id = ?`, userID, deviceID).Scan(&t)
	return t, err
}

// copyFile copies a file as a backup tool would: a plain read of whatever is
// on disk at the moment, with no lock and no cooperation from the writer.
func copyFile(dst, src string) error {
	in, err := os.Open(src)
	if os.IsNotExist(err) {
		return nil
	} else if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("copying %s: %w", src, err)
	}
	return out.Close()
}
