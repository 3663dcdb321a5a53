// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package testvectors

import "testing"

// MegolmVectors is the layout of megolm.json (hand-curated): Megolm session
// known answers. Every key, message, export and pickle is a string in
// unpadded base64, exactly as libolm writes it.
type MegolmVectors struct {
	Comment  string              `json:"comment"`
	Inbound  []MegolmInboundCase `json:"inbound"`
	Outbound MegolmOutboundCase  `json:"outbound"`
}

// MegolmInboundCase is one decryption: an inbound session made from
// SessionKey (or, if that is empty, imported from ExportedSessionKey)
// decrypts Message.
type MegolmInboundCase struct {
	Name    string `json:"name"`
	Comment string `json:"comment"`
	// SessionKey is the signed session key, or "" if ExportedSessionKey is
	// set instead.
	SessionKey         string `json:"session_key"`
	ExportedSessionKey string `json:"exported_session_key"`
	// SessionID is the expected session ID ("" if the source gives none).
	SessionID       string `json:"session_id"`
	FirstKnownIndex uint32 `json:"first_known_index"`
	Message         string `json:"message"`
	// Expect is "success", "bad signature" or "invalid" (the message does
	// not decode).
	Expect    string `json:"expect"`
	Plaintext string `json:"plaintext"`
	Index     uint32 `json:"index"`
}

// MegolmOutboundCase is libolm's outbound session made from RandomHex (the
// 160 random bytes of olm_init_outbound_group_session), its messages of
// Plaintexts in order, and the inbound session made from SessionKey0.
type MegolmOutboundCase struct {
	Comment               string   `json:"comment"`
	RandomHex             string   `json:"random_hex"`
	PickleKey             string   `json:"pickle_key"`
	Plaintexts            []string `json:"plaintexts"`
	SessionID             string   `json:"session_id"`
	SessionKey0           string   `json:"session_key_0"`
	SessionKey2           string   `json:"session_key_2"`
	OutboundPickle0       string   `json:"outbound_pickle_0"`
	OutboundPickle2       string   `json:"outbound_pickle_2"`
	InboundPickleFresh    string   `json:"inbound_pickle_fresh"`
	InboundPickleAfter1_0 string   `json:"inbound_pickle_after_1_0"`
	Export0               string   `json:"export_0"`
	Export1               string   `json:"export_1"`
	Messages              []string `json:"messages"`
}

// InboundCase returns the inbound case called name, failing the test if
// there is none.
func (v *MegolmVectors) InboundCase(t testing.TB, name string) MegolmInboundCase {
	t.Helper()
	for _, c := range v.Inbound {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("testvectors: megolm.json has no inbound case %q", name)
	return MegolmInboundCase{}
}
