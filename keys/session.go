// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package keys

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/internal/b64"
	"github.com/newt-e2ee/newt/internal/canonicaljson"
	"github.com/newt-e2ee/newt/internal/redact"
	"github.com/newt-e2ee/newt/megolm"
)

// MegolmAlgorithm is the algorithm of every session this package reads and
// writes: Megolm version 1 (m.megolm.v1.aes-sha2).
const MegolmAlgorithm = "m.megolm.v1.aes-sha2"

// The spellings of the shared-history flag (MSC3061). Spec v1.19 and
// mautrix-go write the first; matrix-rust-sdk writes the second and reads
// the second and third, but not the first. newt reads all three and writes
// the first two (docs/keys-at-rest.md, "Shared history").
const (
	fieldSharedHistory       = "shared_history"
	fieldSharedHistoryStable = "m.shared_history"
	fieldSharedHistoryMSC    = "org.matrix.msc3061.shared_history"
)

// ExportedSession is one Megolm session at rest: an entry of a key export
// file (the spec's ExportedSessionData) or the plaintext of one backed-up
// session (BackedUpSessionData, completed with its room ID). It holds the
// session's exported key, which is secret: String and the fmt verbs print
// only the room ID, session ID and first index, and the type has no JSON
// tags; [ExportedSession.AppendJSON] is the only way to serialise it.
//
// The exported fields are public metadata. None of them is authenticated by
// the session key: they say what the exporting or backing-up device
// believed, and a client must treat sessions from files and backups as
// unverified (see the package doc).
type ExportedSession struct {
	// RoomID is the room the session belongs to.
	RoomID string
	// SenderKey is the Curve25519 identity key of the device that created
	// the session.
	SenderKey newt.Curve25519PublicKey
	// SenderClaimedKeys are the keys that device claimed to own, normally
	// {"ed25519": <its Ed25519 key>} (see [ExportedSession.ClaimedEd25519]).
	SenderClaimedKeys map[string]string
	// ForwardingCurve25519KeyChain lists the Curve25519 keys of the devices
	// that forwarded the session, oldest first; empty if it came directly
	// from its creator.
	ForwardingCurve25519KeyChain []string
	// SharedHistory reports that the session may be shared with users who
	// join the room later (MSC3061).
	SharedHistory bool

	key *megolm.ExportedSessionKey
}

// NewExportedSession returns the ExportedSession for key, in room roomID,
// created by the device with identity key senderKey and Ed25519 key
// senderEd25519 (stored in SenderClaimedKeys). The key is not copied; it is
// immutable.
func NewExportedSession(key *megolm.ExportedSessionKey, roomID string, senderKey newt.Curve25519PublicKey, senderEd25519 newt.Ed25519PublicKey) *ExportedSession {
	return &ExportedSession{
		RoomID:                       roomID,
		SenderKey:                    senderKey,
		SenderClaimedKeys:            map[string]string{"ed25519": senderEd25519.String()},
		ForwardingCurve25519KeyChain: []string{},
		key:                          key,
	}
}

// SessionKey returns the exported session key (secret).
func (s *ExportedSession) SessionKey() *megolm.ExportedSessionKey { return s.key }

// SessionID returns the session's ID, the base64 of the session key's
// Ed25519 signing key.
func (s *ExportedSession) SessionID() string {
	if s.key == nil {
		return ""
	}
	return s.key.SigningKey().String()
}

// FirstKnownIndex returns the first message index the session key decrypts.
func (s *ExportedSession) FirstKnownIndex() uint32 {
	if s.key == nil {
		return 0
	}
	return s.key.Index()
}

// ClaimedEd25519 returns the Ed25519 key the creating device claimed, from
// SenderClaimedKeys["ed25519"], and whether there is a valid one.
func (s *ExportedSession) ClaimedEd25519() (newt.Ed25519PublicKey, bool) {
	k, err := newt.ParseEd25519PublicKey(unpad(s.SenderClaimedKeys["ed25519"]))
	return k, err == nil
}

// InboundGroupSession imports the session key as an unverified
// megolm.InboundGroupSession (megolm.ImportInboundGroupSession). It fails
// if the session key's signing key is not a valid Ed25519 key.
func (s *ExportedSession) InboundGroupSession() (*megolm.InboundGroupSession, error) {
	if s.key == nil {
		return nil, errorf(ErrBadSession, "no session key")
	}
	return megolm.ImportInboundGroupSession(s.key)
}

// String describes s without secrets.
func (s ExportedSession) String() string {
	return "keys.ExportedSession{room_id: " + strconv.Quote(s.RoomID) +
		", session_id: " + s.SessionID() +
		", first_known_index: " + strconv.FormatUint(uint64(s.FirstKnownIndex()), 10) + "}"
}

// GoString is String, so that %#v prints no secret either.
func (s ExportedSession) GoString() string { return s.String() }

// Format implements [fmt.Formatter]: every verb prints the description of
// [ExportedSession.String] (as it is for %#v, else formatted as fmt formats a string
// for the verb), never a secret.
func (s ExportedSession) Format(f fmt.State, verb rune) { redact.Format(f, verb, s.String()) }

// AppendJSON appends s as the JSON object of a key export file
// (ExportedSessionData) to dst: canonical JSON with the fields algorithm,
// forwarding_curve25519_key_chain, m.shared_history, room_id,
// sender_claimed_keys, sender_key, session_id, session_key and
// shared_history. The output holds the secret session key; the caller
// should clear it when done. It fails if a string is not valid UTF-8 or s
// has no session key.
func (s *ExportedSession) AppendJSON(dst []byte) ([]byte, error) {
	return s.appendJSON(dst, true)
}

// appendJSON writes the export form (withIDs) or the backup plaintext
// (BackedUpSessionData, without room_id and session_id).
func (s *ExportedSession) appendJSON(dst []byte, withIDs bool) ([]byte, error) {
	if s.key == nil {
		return nil, errorf(ErrBadSession, "no session key")
	}
	if !utf8.ValidString(s.RoomID) {
		return nil, errorf(ErrBadSession, "room ID is not valid UTF-8")
	}
	for k, v := range s.SenderClaimedKeys {
		if !utf8.ValidString(k) || !utf8.ValidString(v) {
			return nil, errorf(ErrBadSession, "sender_claimed_keys is not valid UTF-8")
		}
	}
	for _, v := range s.ForwardingCurve25519KeyChain {
		if !utf8.ValidString(v) {
			return nil, errorf(ErrBadSession, "forwarding chain is not valid UTF-8")
		}
	}

	// Build plain JSON, then let the shared canonical encoder produce the
	// final form (sorted keys, minimal escapes).
	var tmp []byte
	tmp = append(tmp, `{"algorithm":"`+MegolmAlgorithm+`","forwarding_curve25519_key_chain":[`...)
	for i, v := range s.ForwardingCurve25519KeyChain {
		if i > 0 {
			tmp = append(tmp, ',')
		}
		tmp = appendQuoted(tmp, v)
	}
	tmp = append(tmp, `],"`+fieldSharedHistoryStable+`":`...)
	tmp = strconv.AppendBool(tmp, s.SharedHistory)
	if withIDs {
		tmp = append(tmp, `,"room_id":`...)
		tmp = appendQuoted(tmp, s.RoomID)
	}
	tmp = append(tmp, `,"sender_claimed_keys":{`...)
	for i, k := range slices.Sorted(maps.Keys(s.SenderClaimedKeys)) {
		if i > 0 {
			tmp = append(tmp, ',')
		}
		tmp = appendQuoted(tmp, k)
		tmp = append(tmp, ':')
		tmp = appendQuoted(tmp, s.SenderClaimedKeys[k])
	}
	tmp = append(tmp, `},"sender_key":"`...)
	tmp = append(tmp, s.SenderKey.String()...)
	if withIDs {
		tmp = append(tmp, `","session_id":"`...)
		tmp = append(tmp, s.SessionID()...)
	}
	tmp = append(tmp, `","session_key":"`...)
	tmp = b64.AppendEncode(tmp, s.key.Bytes()) // base64 needs no escaping
	tmp = append(tmp, `","`+fieldSharedHistory+`":`...)
	tmp = strconv.AppendBool(tmp, s.SharedHistory)
	tmp = append(tmp, '}')
	defer clear(tmp)

	n := len(dst)
	out, err := canonicaljson.AppendCanonical(dst, tmp)
	if err != nil {
		clear(dst[n:cap(dst)])
		return nil, fmt.Errorf("keys: internal error: session JSON: %v", err)
	}
	return out, nil
}

// appendQuoted appends s as a JSON string. s is valid UTF-8.
func appendQuoted(dst []byte, s string) []byte {
	b, _ := json.Marshal(s) // cannot fail for a string
	return append(dst, b...)
}

// wireSession is the JSON form of ExportedSessionData and
// BackedUpSessionData as it is read. Pointers tell absent (or null) fields
// from empty ones. It is unexported and used only while decoding; the
// session key stays raw JSON bytes so that it never becomes a Go string.
type wireSession struct {
	Algorithm         *string           `json:"algorithm"`
	RoomID            *string           `json:"room_id"`
	SessionID         *string           `json:"session_id"`
	SenderKey         *string           `json:"sender_key"`
	SessionKey        json.RawMessage   `json:"session_key"`
	SenderClaimedKeys map[string]string `json:"sender_claimed_keys"`
	Chain             []string          `json:"forwarding_curve25519_key_chain"`
	SharedHistory     *bool             `json:"shared_history"`
	SharedStable      *bool             `json:"m.shared_history"`
	SharedMSC         *bool             `json:"org.matrix.msc3061.shared_history"`
}

// clear wipes the raw session key.
func (w *wireSession) clear() { clear(w.SessionKey) }

// ids returns the room and session IDs the entry claims, for error reports.
func (w *wireSession) ids() (room, session string) {
	if w.RoomID != nil {
		room = *w.RoomID
	}
	if w.SessionID != nil {
		session = *w.SessionID
	}
	return room, session
}

// session checks w and returns the session it describes. roomID and
// sessionID are the IDs from outside the JSON (a backup's map keys); when
// they are empty, w must carry its own (an export entry).
func (w *wireSession) session(roomID, sessionID string) (*ExportedSession, error) {
	switch {
	case w.Algorithm == nil:
		return nil, errorf(ErrBadSession, "no algorithm")
	case *w.Algorithm != MegolmAlgorithm:
		return nil, errorf(ErrBadSession, "algorithm "+strconv.Quote(*w.Algorithm)+" is not "+MegolmAlgorithm)
	case w.SenderKey == nil:
		return nil, errorf(ErrBadSession, "no sender_key")
	case len(w.SessionKey) == 0:
		return nil, errorf(ErrBadSession, "no session_key")
	}
	if roomID == "" {
		if w.RoomID == nil {
			return nil, errorf(ErrBadSession, "no room_id")
		}
		roomID = *w.RoomID
	}
	if sessionID == "" {
		if w.SessionID == nil {
			return nil, errorf(ErrBadSession, "no session_id")
		}
		sessionID = *w.SessionID
	}
	senderKey, err := parseCurve25519(*w.SenderKey)
	if err != nil {
		return nil, errorf(ErrBadSession, "sender_key is not a Curve25519 key")
	}
	key, err := parseSessionKey(w.SessionKey)
	if err != nil {
		return nil, err
	}
	// The session ID is the session key's signing key. mautrix-go checks
	// this too; matrix-rust-sdk files the key under whatever ID it is
	// given, which lets a file or backup plant a session under another
	// session's ID.
	id, err := decodePublic(sessionID)
	if err != nil || subtle.ConstantTimeCompare(id, key.SigningKey().Bytes()) != 1 {
		return nil, errorf(ErrBadSession, "session_key does not belong to session_id")
	}
	s := &ExportedSession{
		RoomID:                       roomID,
		SenderKey:                    senderKey,
		SenderClaimedKeys:            w.SenderClaimedKeys,
		ForwardingCurve25519KeyChain: w.Chain,
		SharedHistory:                sharedHistory(w.SharedHistory, w.SharedStable, w.SharedMSC),
		key:                          key,
	}
	if s.SenderClaimedKeys == nil {
		s.SenderClaimedKeys = map[string]string{}
	}
	if s.ForwardingCurve25519KeyChain == nil {
		s.ForwardingCurve25519KeyChain = []string{}
	}
	return s, nil
}

// sharedHistory combines the three spellings of the flag: true if at least
// one is present and none is false. Writers that use several write the same
// value in each; when they disagree, newt takes the conservative answer.
func sharedHistory(flags ...*bool) bool {
	seen := false
	for _, f := range flags {
		if f == nil {
			continue
		}
		if !*f {
			return false
		}
		seen = true
	}
	return seen
}

// parseSessionKey decodes the JSON string raw holding an exported session
// key in base64, without ever making the key a Go string: the base64 is
// decoded in constant time from raw's bytes.
func parseSessionKey(raw json.RawMessage) (*megolm.ExportedSessionKey, error) {
	bad := errorf(ErrBadSession, "session_key is not an exported Megolm session key")
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' {
		return nil, bad
	}
	inner := raw[1 : len(raw)-1]
	if bytes.IndexByte(inner, '\\') >= 0 {
		// Some JSON writers escape '/' as "\/" (no Matrix client does).
		// The unescaped copy passes through a Go string, which cannot be
		// cleared.
		var u string
		if err := json.Unmarshal(raw, &u); err != nil {
			return nil, bad
		}
		inner = []byte(u)
		defer clear(inner)
	}
	// 165 bytes encode to 220 characters: never padded.
	if len(inner) != b64.EncodedLen(megolm.ExportedSessionKeySize) {
		return nil, bad
	}
	var buf [megolm.ExportedSessionKeySize]byte
	defer clear(buf[:])
	out, err := b64.AppendDecode(buf[:0], inner)
	if err != nil || len(out) != len(buf) {
		return nil, bad
	}
	key, err := megolm.NewExportedSessionKey(buf[:])
	if err != nil {
		return nil, bad
	}
	return key, nil
}

// ExportedSessionFromJSON parses one ExportedSessionData JSON object, as found
// in a key export file's array. Errors match [ErrBadSession].
func ExportedSessionFromJSON(data []byte) (*ExportedSession, error) {
	var w wireSession
	defer w.clear()
	if err := json.Unmarshal(data, &w); err != nil {
		return nil, jsonSessionError(err)
	}
	return w.session("", "")
}

// jsonSessionError turns an encoding/json error about one session into an
// ErrBadSession error that quotes no input.
func jsonSessionError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		if te.Field != "" {
			return errorf(ErrBadSession, "field "+strconv.Quote(te.Field)+" has the wrong JSON type")
		}
		return errorf(ErrBadSession, "not a JSON object")
	}
	return errorf(ErrBadSession, "invalid JSON")
}

// SessionReader reads the sessions of a JSON array of ExportedSessionData
// one at a time, holding only the current one: the plaintext of a key
// export file ([DecryptExport]), or such an array from any other source
// ([NewSessionReader]).
type SessionReader struct {
	dec     *json.Decoder
	owned   redact.Box[[]byte] // decrypted plaintext to clear on Close (internal/redact); empty if not ours
	total   int64              // length of the input, or -1 if unknown
	index   int                // position of the next entry
	started bool
	err     error // sticky: io.EOF or a fatal error
}

// NewSessionReader returns a SessionReader for the JSON array read from r.
func NewSessionReader(r io.Reader) *SessionReader {
	total := int64(-1)
	if l, ok := r.(interface{ Len() int }); ok {
		total = int64(l.Len())
	}
	return &SessionReader{dec: json.NewDecoder(r), total: total}
}

// Next returns the next session. At the end of the array it returns io.EOF.
// A session that cannot be used gives a [*SessionError] (matching
// [ErrBadSession]); call Next again to go on with the following ones. Any
// other error (malformed JSON, not an array, data after it) is final and
// matches [ErrBadExport]; Next returns it again on every later call.
func (r *SessionReader) Next() (*ExportedSession, error) {
	if r.err != nil {
		return nil, r.err
	}
	if !r.started {
		r.started = true
		t, err := r.dec.Token()
		if err != nil || t != json.Delim('[') {
			return nil, r.fail("not a JSON array of sessions")
		}
	}
	if !r.dec.More() {
		if t, err := r.dec.Token(); err != nil || t != json.Delim(']') {
			return nil, r.fail("invalid JSON")
		}
		if _, err := r.dec.Token(); err != io.EOF {
			return nil, r.fail("data after the array")
		}
		r.err = io.EOF
		return nil, io.EOF
	}
	i := r.index
	r.index++
	var w wireSession
	defer w.clear()
	if err := r.dec.Decode(&w); err != nil {
		var te *json.UnmarshalTypeError
		if !errors.As(err, &te) {
			return nil, r.fail("invalid JSON")
		}
		room, session := w.ids()
		return nil, &SessionError{Index: i, RoomID: room, SessionID: session, Err: jsonSessionError(err)}
	}
	s, err := w.session("", "")
	if err != nil {
		room, session := w.ids()
		return nil, &SessionError{Index: i, RoomID: room, SessionID: session, Err: err}
	}
	return s, nil
}

func (r *SessionReader) fail(detail string) error {
	r.err = errorf(ErrBadExport, detail)
	return r.err
}

// Progress reports how many bytes of the JSON input have been read and how
// many there are (-1 if unknown), for progress displays.
func (r *SessionReader) Progress() (done, total int64) {
	return r.dec.InputOffset(), r.total
}

// Close ends reading. For a reader returned by [DecryptExport] it clears the
// decrypted plaintext (best effort: Go cannot promise that no copy remains).
// It always returns nil.
func (r *SessionReader) Close() error {
	if p := r.owned.Get(); p != nil {
		clear(*p)
		*p = nil
	}
	if r.err == nil {
		r.err = errorf(ErrBadExport, "reader closed")
	}
	return nil
}
