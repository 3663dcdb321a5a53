// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package main

import (
	"bufio"
	"context"
	"io"
	"strconv"
	"strings"

	"maunium.net/go/mautrix/crypto/verificationhelper"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"
)

// The bot is the callbacks object of its verification helper (SAS only).
var (
	_ verificationhelper.RequiredCallbacks = (*bot)(nil)
	_ verificationhelper.ShowSASCallbacks  = (*bot)(nil)
)

// VerificationRequested accepts every request: that only makes both sides
// show their emoji. Trust needs the operator's "confirm".
func (b *bot) VerificationRequested(ctx context.Context, txnID id.VerificationTransactionID, from id.UserID, fromDevice id.DeviceID) {
	b.log.Info().Stringer("transaction_id", txnID).Stringer("from", from).Stringer("from_device", fromDevice).
		Msg("verification requested")
	if err := b.verify.AcceptVerification(ctx, txnID); err != nil {
		b.log.Error().Err(err).Stringer("transaction_id", txnID).Msg("accepting verification failed")
	}
}

// VerificationReady starts SAS on the requests this bot sent; on the others
// the requester starts it.
func (b *bot) VerificationReady(ctx context.Context, txnID id.VerificationTransactionID, otherDeviceID id.DeviceID, supportsSAS, supportsScanQRCode bool, qrCode *verificationhelper.QRCode) {
	b.mu.Lock()
	ours := b.started[txnID]
	b.mu.Unlock()
	b.log.Info().Stringer("transaction_id", txnID).Stringer("other_device", otherDeviceID).Bool("sas", supportsSAS).
		Bool("requested_by_us", ours).Msg("verification ready")
	if ours && supportsSAS {
		// Not in this goroutine: the verification helper calls back with its
		// transaction lock held, and StartSAS takes that lock.
		go func() {
			if err := b.verify.StartSAS(context.WithoutCancel(ctx), txnID); err != nil {
				b.log.Error().Err(err).Stringer("transaction_id", txnID).Msg("starting SAS failed")
			}
		}()
	}
}

// ShowSAS logs the emoji for the operator to compare with the other device.
func (b *bot) ShowSAS(ctx context.Context, txnID id.VerificationTransactionID, emojis []rune, emojiDescriptions []string, decimals []int) {
	ds := make([]string, len(decimals))
	for i, d := range decimals {
		ds[i] = strconv.Itoa(d)
	}
	b.log.Info().Stringer("transaction_id", txnID).
		Str("emoji", string(emojis)).Strs("emoji_names", emojiDescriptions).Str("decimals", strings.Join(ds, " ")).
		Msg("compare these emoji")
}

// VerificationCancelled logs the cancellation.
func (b *bot) VerificationCancelled(ctx context.Context, txnID id.VerificationTransactionID, code event.VerificationCancelCode, reason string) {
	b.log.Warn().Stringer("transaction_id", txnID).Str("code", string(code)).Str("reason", reason).Msg("verification cancelled")
}

// VerificationDone logs the outcome; the verification helper has marked the
// other device as verified in the crypto store.
func (b *bot) VerificationDone(ctx context.Context, txnID id.VerificationTransactionID, method event.VerificationMethod) {
	b.log.Info().Stringer("transaction_id", txnID).Str("method", string(method)).Msg("verification done")
}

// console reads operator commands, one per line, until EOF or ctx is done.
func (b *bot) console(ctx context.Context, in io.Reader, quit func()) {
	sc := bufio.NewScanner(in)
	for sc.Scan() && ctx.Err() == nil {
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		log := b.log.With().Str("console", f[0]).Logger()
		var err error
		switch {
		case f[0] == "verify" && len(f) == 2:
			var txnID id.VerificationTransactionID
			b.mu.Lock() // VerificationReady must see the transaction as ours
			txnID, err = b.verify.StartVerification(ctx, id.UserID(f[1]))
			if err == nil {
				b.started[txnID] = true
			}
			b.mu.Unlock()
			if err == nil {
				log.Info().Stringer("transaction_id", txnID).Str("to", f[1]).Msg("verification request sent")
			}
		case f[0] == "confirm" && len(f) == 2:
			err = b.verify.ConfirmSAS(ctx, id.VerificationTransactionID(f[1]))
			if err == nil {
				log.Info().Str("transaction_id", f[1]).Msg("emoji confirmed by the operator")
			}
		case f[0] == "cancel" && len(f) == 2:
			err = b.verify.CancelVerification(ctx, id.VerificationTransactionID(f[1]), event.VerificationCancelCodeUser, "the operator cancelled")
		case f[0] == "history" && (len(f) == 2 || len(f) == 3):
			n := 50
			if len(f) == 3 {
				if v, perr := strconv.Atoi(f[2]); perr == nil && v > 0 && v <= 1000 {
					n = v
				}
			}
			_, _, err = b.history(ctx, id.RoomID(f[1]), n)
		case f[0] == "quit":
			quit()
			return
		default:
			log.Warn().Msg("unknown command; try: verify USER | confirm TXN | cancel TXN | history ROOM [n] | quit")
			continue
		}
		if err != nil {
			log.Error().Err(err).Msg("command failed")
		}
	}
}
