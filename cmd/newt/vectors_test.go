// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package main

import (
	"encoding/base64"
	"encoding/hex"
	"testing"

	"github.com/newt-e2ee/newt/testvectors"
)

// knownVectors returns the libolm known answers the command's tests use, by
// the names the tests give them, from testvectors (fixed.json and
// megolm.json). The facts the tests check about them come from the same
// files, never from newt's output.
func knownVectors(t testing.TB) map[string]string {
	t.Helper()
	ans := testvectors.LoadAnswers(t)
	mv := testvectors.Load[testvectors.MegolmVectors](t, "megolm.json")
	// libolm's tests/test_group_session.cpp: a session key at index 0 and a
	// message of that session at index 0 ("Message", a 16-byte ciphertext).
	group := mv.InboundCase(t, "test_group_session export/import")
	// The same file's "Invalid signature group message": a key and a
	// message it signed.
	badSig := mv.InboundCase(t, "invalid signature group message, valid")
	// libolm's android OlmGroupSessionTest.java test18: a session key at
	// index 12 and a message at index 13.
	android := mv.InboundCase(t, "android test18")
	m1 := ans.Get("olm/script/m1")
	raw, err := base64.RawStdEncoding.DecodeString(m1)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]string{
		"vecMegolmKey":       group.SessionKey,
		"vecMegolmMessage":   group.Message,
		"vecMegolmSessionID": group.SessionID,
		"vecBadSigKey":       badSig.SessionKey,
		"vecBadSigMessage":   badSig.Message,
		"vecAndroidKey":      android.SessionKey,
		// The android test19 message: 81 characters, not base64.
		"vecAndroidTest19":  mv.InboundCase(t, "android test19").Message,
		"vecAndroidMessage": android.Message,
		"vecAndroidSessionID": func() string {
			if android.SessionID == "" {
				t.Fatal("megolm.json: android test18 has no session ID")
			}
			return android.SessionID
		}(),
		// libolm's deterministic outbound session: its export at index 1,
		// its pickle at index 0 and a fresh inbound session's pickle.
		"vecExport1":         mv.Outbound.Export1,
		"vecExportSessionID": mv.Outbound.SessionID,
		"vecGroupPickle":     mv.Outbound.OutboundPickle0,
		"vecInboundPickle":   mv.Outbound.InboundPickleFresh,

		// The Olm script: Alice's pre-key message m1 (168 bytes, counter
		// 0, a 16-byte ciphertext, its MAC the last 8 bytes) and Bob's reply
		// m2, both of session vecOlmSessionID.
		"vecM1":              m1,
		"vecM1MAC":           hex.EncodeToString(raw[len(raw)-8:]),
		"vecM2":              ans.Get("olm/script/m2"),
		"vecOlmSessionID":    ans.Get("olm/script/session_id"),
		"vecBobOneTimeKey":   ans.Get("olm/script/bob_one_time_key_base64"),
		"vecAliceCurve25519": ans.Get("olm/script/alice_curve25519_base64"),
		"vecAliceEd25519":    ans.Get("olm/script/alice_ed25519_base64"),
		// Alice's session after m1 and m1b (has not received), Bob's after
		// m2 (has received); key "secret_key".
		"vecAliceSessionPickle": ans.Get("olm/script/alice_pickle_after_m1b"),
		"vecBobSessionPickle":   ans.Get("olm/script/bob_pickle_after_m2"),

		// An account with Alice's keys, 2 unpublished one-time keys and an
		// unpublished fallback key AAAAAw (vecBobOneTimeKey's bytes), then
		// the same after mark_keys_as_published; key "secret_key".
		"vecAccountPickle":          ans.Get("olm/account/pickle_with_keys"),
		"vecAccountPublishedPickle": ans.Get("olm/account/pickle_published"),
		// libolm's tests/test_olm.cpp: a version 3 account (key "", no
		// one-time keys, a published fallback key AAAAAQ) and a version 1
		// one (BAD_LEGACY_ACCOUNT_PICKLE).
		"vecAccountV3Pickle":   ans.Get("olm/libolm_tests/account_v3_pickle"),
		"vecAccountV3Fallback": ans.Get("olm/libolm_tests/account_v3_fallback_key_base64"),
		"vecAccountV1Pickle":   ans.Get("olm/libolm_tests/account_v1_pickle"),
		// libolm's tests/test_session.cpp: the V1 and V2 session pickles
		// (key "secret_key", received = false).
		"vecSessionV1Pickle": ans.Get("olm/libolm_tests/session_v1_pickle"),
		"vecSessionV2Pickle": ans.Get("olm/libolm_tests/session_v2_pickle"),
		"vecV1SessionID":     ans.Get("olm/libolm_tests/session_v1_id"),
		// libolm's tests/test_pk.cpp: a PkDecryption of RFC 7748's Alice key,
		// key "secret_key".
		"vecPkPickle":    ans.Get("pk/pickle"),
		"vecPkPublicKey": ans.Get("rfc7748/alice_public_base64"),
	}
}
