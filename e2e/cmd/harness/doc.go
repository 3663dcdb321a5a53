// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// Command harness runs the end-to-end checks of e2e/run.sh against a running
// homeserver: the example bot as a separate process, matrix-js-sdk clients in
// Node and mautrix-go clients in this process. It prints one line per check
// and "N passed, M failed", and exits 1 if any check failed.
//
// With -bot-driver NAME it fails unless the bot reports that Olm driver
// (run.sh passes NEWT_E2E_BOT_DRIVER there).
package main
