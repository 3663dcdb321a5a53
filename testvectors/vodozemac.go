// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package testvectors

// The vodozemac_*.json files are written by testvectors/genvz (Node,
// matrix-sdk-crypto-wasm 18.9.0 with vodozemac 0.11.0 inside); see its
// README. Pickle texts are kept as strings so that their exact bytes, as
// serde_json wrote them, survive.

// VodozemacPickles is the layout of vodozemac_pickles.json.
type VodozemacPickles struct {
	Comment              string               `json:"comment"`
	Accounts             []VZAccountCase      `json:"accounts"`
	Sessions             []VZSessionCase      `json:"sessions"`
	GroupSessions        []VZGroupSessionCase `json:"group_sessions"`
	InboundGroupSessions []VZInboundGroupCase `json:"inbound_group_sessions"`
	Encrypted            []VZEncryptedPickle  `json:"encrypted"`
}

// VZStored opens every case of vodozemac_pickles.json but the encrypted
// ones: the case's comment, expectation and name, the record
// matrix-sdk-crypto stored (Stored) and the exact text of the vodozemac
// pickle inside it (Pickle).
type VZStored struct {
	Comment string `json:"comment"`
	Expect  string `json:"expect"`
	Name    string `json:"name"`
	Stored  string `json:"stored"`
	Pickle  string `json:"pickle"`
}

// VZAccountCase is an account as matrix-sdk-crypto stores it. Stored is
// the PickledAccount record, Pickle the exact text of its vodozemac
// AccountPickle. The key maps go from the base64 key ID (11 characters) to
// the base64 public key.
type VZAccountCase struct {
	VZStored
	Curve25519             string            `json:"curve25519"`
	Ed25519                string            `json:"ed25519"`
	UnpublishedOneTimeKeys map[string]string `json:"unpublished_one_time_keys"`
	UnpublishedFallbackKey map[string]string `json:"unpublished_fallback_key"`
	PublishedFallbackKey   map[string]string `json:"published_fallback_key,omitempty"`
}

// VZOlmMessage is an Olm message (type 0 pre-key, 1 normal; body base64)
// whose decrypted payload carries Content (JSON text) as its "content".
type VZOlmMessage struct {
	Comment string `json:"comment"`
	Type    int    `json:"type"`
	Body    string `json:"body"`
	Content string `json:"content"`
}

// VZSessionCase is an Olm session as matrix-sdk-crypto stores it. Peer
// names the case of the other side, which decrypts Next. Pending are
// messages this session must still decrypt.
type VZSessionCase struct {
	VZStored
	SessionID string         `json:"session_id"`
	Peer      string         `json:"peer,omitempty"`
	Next      *VZOlmMessage  `json:"next,omitempty"`
	Pending   []VZOlmMessage `json:"pending"`
}

// VZMegolmMessage is a Megolm message (base64) at Index whose decrypted
// event carries Content (JSON text) as its "content".
type VZMegolmMessage struct {
	Comment string `json:"comment"`
	Body    string `json:"body"`
	Index   uint32 `json:"index"`
	Content string `json:"content"`
}

// VZGroupSessionCase is an outbound group session record; Next is the
// message it encrypts next, which Peer (an inbound case) decrypts.
type VZGroupSessionCase struct {
	VZStored
	SessionID    string          `json:"session_id"`
	MessageIndex uint32          `json:"message_index"`
	Peer         string          `json:"peer"`
	Next         VZMegolmMessage `json:"next"`
}

// VZInboundGroupCase is an inbound group session record (the text of
// matrix-sdk-crypto's PickledInboundGroupSession).
type VZInboundGroupCase struct {
	VZStored
	SessionID          string            `json:"session_id"`
	FirstKnownIndex    uint32            `json:"first_known_index"`
	SigningKeyVerified bool              `json:"signing_key_verified"`
	Pending            []VZMegolmMessage `json:"pending"`
}

// VZEncryptedPickle is the encrypted form of a pickle (*Pickle::encrypt):
// Type is account, session, group_session or inbound_group_session.
type VZEncryptedPickle struct {
	Comment   string `json:"comment"`
	Expect    string `json:"expect"`
	Type      string `json:"type"`
	Key       Hex    `json:"key"`
	Encrypted string `json:"encrypted"`
	JSON      string `json:"json"`
	SessionID string `json:"session_id,omitempty"`
}

// VodozemacMigration is the layout of vodozemac_migration.json.
type VodozemacMigration struct {
	Comment              string              `json:"comment"`
	PickleKey            Hex                 `json:"pickle_key"`
	Accounts             []VZMigratedAccount `json:"accounts"`
	Sessions             []VZMigratedSession `json:"sessions"`
	InboundGroupSessions []VZMigratedInbound `json:"inbound_group_sessions"`
	LibolmOutbound       VZLibolmOutbound    `json:"libolm_outbound_group_session"`
}

// VZMigratedAccount is a libolm account pickle and its migration.
type VZMigratedAccount struct {
	Comment      string `json:"comment"`
	Expect       string `json:"expect"`
	LibolmPickle string `json:"libolm_pickle"`
	IdentityKeys string `json:"identity_keys"`
	OneTimeKeys  string `json:"one_time_keys"`
	FallbackKey  string `json:"fallback_key"`
	Stored       string `json:"stored"`
	Pickle       string `json:"pickle"`
}

// VZPlainOlmMessage is an Olm message with its exact plaintext.
type VZPlainOlmMessage struct {
	Comment   string `json:"comment"`
	Type      int    `json:"type"`
	Body      string `json:"body"`
	Plaintext string `json:"plaintext"`
}

// VZMigratedSession is a libolm session pickle and its migration.
type VZMigratedSession struct {
	Comment        string              `json:"comment"`
	Expect         string              `json:"expect"`
	LibolmPickle   string              `json:"libolm_pickle"`
	SessionID      string              `json:"session_id"`
	LibolmDescribe string              `json:"libolm_describe"`
	Stored         string              `json:"stored"`
	Pickle         string              `json:"pickle"`
	Pending        []VZPlainOlmMessage `json:"pending"`
}

// VZPlainMegolmMessage is a Megolm message with its exact plaintext.
type VZPlainMegolmMessage struct {
	Comment   string `json:"comment"`
	Body      string `json:"body"`
	Index     uint32 `json:"index"`
	Plaintext string `json:"plaintext"`
}

// VZMigratedInbound is a libolm inbound group session pickle and its
// migration.
type VZMigratedInbound struct {
	Comment         string                 `json:"comment"`
	Expect          string                 `json:"expect"`
	LibolmPickle    string                 `json:"libolm_pickle"`
	SessionID       string                 `json:"session_id"`
	FirstKnownIndex uint32                 `json:"first_known_index"`
	Verified        bool                   `json:"verified"`
	Stored          string                 `json:"stored"`
	Pickle          string                 `json:"pickle"`
	Pending         []VZPlainMegolmMessage `json:"pending"`
}

// VZLibolmOutbound is a libolm outbound group session pickle and the
// message it encrypts next.
type VZLibolmOutbound struct {
	Comment       string `json:"comment"`
	LibolmPickle  string `json:"libolm_pickle"`
	NextPlaintext string `json:"next_plaintext"`
	Next          string `json:"next"`
}

// VodozemacDehydrated is the layout of vodozemac_dehydrated.json.
type VodozemacDehydrated struct {
	Comment string               `json:"comment"`
	Devices []VZDehydratedDevice `json:"devices"`
	Invalid []VZDehydratedBad    `json:"invalid"`
}

// VZDehydratedMessage is an Olm message sent to a dehydrated device.
type VZDehydratedMessage struct {
	Comment   string `json:"comment"`
	SenderKey string `json:"sender_key"`
	Type      int    `json:"type"`
	Body      string `json:"body"`
	Content   string `json:"content"`
}

// VZDehydratedDevice is a device dehydrated by matrix-sdk-crypto.
// DeviceData is the device_data object's text; PicklePlaintext the opened
// device_pickle.
type VZDehydratedDevice struct {
	Comment            string                `json:"comment"`
	Expect             string                `json:"expect"`
	Key                Hex                   `json:"key"`
	DeviceID           string                `json:"device_id"`
	DeviceData         string                `json:"device_data"`
	PicklePlaintext    Hex                   `json:"pickle_plaintext"`
	Curve25519         string                `json:"curve25519"`
	Ed25519            string                `json:"ed25519"`
	DeviceKeys         string                `json:"device_keys"`
	OneTimeKeys        map[string]string     `json:"one_time_keys"`
	FallbackKeys       map[string]string     `json:"fallback_keys"`
	Messages           []VZDehydratedMessage `json:"messages"`
	RehydratedRoomKeys []string              `json:"rehydrated_room_keys"`
}

// VZDehydratedBad is device data that must not open.
type VZDehydratedBad struct {
	Comment    string `json:"comment"`
	Expect     string `json:"expect"`
	Key        Hex    `json:"key"`
	DeviceData string `json:"device_data"`
}

// VodozemacECIES is the layout of vodozemac_ecies.json.
type VodozemacECIES struct {
	Comment         string              `json:"comment"`
	Transcripts     []VZECIESTranscript `json:"transcripts"`
	InitialMessages []VZECIESInitial    `json:"initial_messages"`
}

// VZECIESTranscript is one channel: the peer's secret key is fixed, so a
// conforming implementation in the peer's role reproduces every message.
type VZECIESTranscript struct {
	Comment            string           `json:"comment"`
	Expect             string           `json:"expect"`
	Info               string           `json:"info"`
	VodozemacRole      string           `json:"vodozemac_role"`
	PeerSecretKey      Hex              `json:"peer_secret_key"`
	PeerPublicKey      string           `json:"peer_public_key"`
	VodozemacPublicKey string           `json:"vodozemac_public_key"`
	InitialMessage     string           `json:"initial_message"`
	InitialPlaintext   string           `json:"initial_plaintext"`
	CheckCode          Hex              `json:"check_code"`
	CheckCodeDigits    int              `json:"check_code_digits"`
	Messages           []VZECIESMessage `json:"messages"`
}

// VZECIESMessage is one message of a transcript, in order per sender.
type VZECIESMessage struct {
	Comment   string `json:"comment"`
	From      string `json:"from"`
	Message   string `json:"message"`
	Plaintext string `json:"plaintext"`
}

// VZECIESInitial is an initial message text to decode.
type VZECIESInitial struct {
	Comment   string `json:"comment"`
	Expect    string `json:"expect"`
	Text      string `json:"text"`
	PublicKey string `json:"public_key,omitempty"`
}
