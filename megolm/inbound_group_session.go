// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package megolm

// Reviewer's note: names and layout follow libolm's
// src/inbound_group_session.c so the code can be reviewed side by side. The
// one deliberate difference is that nothing changes on failure: libolm
// advances latest_ratchet in place before checking the MAC (and on export).

import (
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/internal/aessha2"
	"github.com/newt-e2ee/newt/internal/b64"
	"github.com/newt-e2ee/newt/internal/ed25519x"
	"github.com/newt-e2ee/newt/internal/redact"
	"github.com/newt-e2ee/newt/internal/scratch"
)

// InboundGroupSession is the receiving side of a Megolm session (libolm's
// OlmInboundGroupSession). It keeps the ratchet at the first index it knows
// (initial, which never changes) and a cache of the ratchet at the highest
// index decrypted so far (latest), so that in-order messages cost one
// ratchet step each.
//
// Indexes are compared as libolm does, modulo 2³²: a message at index i is
// decrypted from the latest ratchet when i − latest < 2³¹, else from the
// initial ratchet when i − first < 2³¹, else it is unknown.
//
// Signatures are verified strictly. A session that decrypts more than a few
// messages verifies them with a precomputed table of its signing key, about
// three times as fast; the tables of the busiest signing keys are kept in a
// package-wide cache of 16 MiB (about 320 keys), are shared by all sessions
// with the same ID, are never pickled, and make exactly the decisions of the
// plain verification.
//
// An InboundGroupSession is safe for concurrent use. Decrypt, Export and the
// comparisons never hold the lock while doing cryptography. The zero value is
// not usable: create sessions with [NewInboundGroupSession],
// [ImportInboundGroupSession] or [InboundGroupSessionFromPickle].
type InboundGroupSession struct {
	// The ratchets are behind pointers: fmt prints a session held in an
	// unexported field by reflection, without calling its methods, and
	// follows one pointer for some verbs (%s, %q, …); it then finds only
	// addresses.
	initial *hashRatchet // R at FirstKnownIndex; immutable
	pub     [ed25519x.PublicKeySize]byte
	id      string

	// signingKey is pub decoded and validated for verification. Sessions
	// made from a session key or an export set it at once; an unpickled
	// session checks pub cheaply when it loads and decodes it at its first
	// verification (see InboundGroupSessionFromPickle). Once set it never
	// changes.
	signingKey atomic.Pointer[ed25519x.PublicKey]

	mu       sync.Mutex
	latest   *hashRatchet // cache: R at the highest index decrypted (or initial)
	verified bool

	cfg SessionConfig // immutable after construction; config.go
}

// NewInboundGroupSession creates an inbound session from a session key
// received from the sender (libolm src/inbound_group_session.c,
// olm_init_inbound_group_session). The key's signature must verify strictly
// under its signing key; the session is then verified
// ([InboundGroupSession.IsVerified]). It returns an error matching
// [ErrBadSessionKey] for a malformed key or an invalid signing key (also
// [ErrInvalidSigningKey]), and [ErrBadSignature] for a bad signature.
func NewInboundGroupSession(key *SessionKey) (*InboundGroupSession, error) {
	if key == nil || key.bytes()[0] != sessionKeyVersion {
		return nil, wrap("bad session key: wrong version", ErrBadSessionKey)
	}
	b := key.bytes() // read-only
	pub, err := ed25519x.NewPublicKey(b[keyPublicOffset:keySignedSize])
	if err != nil {
		return nil, wrap("bad session key: invalid signing key", ErrBadSessionKey, ErrInvalidSigningKey)
	}
	if !pub.Verify(b[:keySignedSize], b[keySignedSize:]) {
		return nil, wrap("bad session key signature", ErrBadSignature)
	}
	r := key.ratchet()
	pubBytes := pub.Bytes()
	s := newInbound(&r, &pubBytes, pub, true)
	r.clear()
	return s, nil
}

// ImportInboundGroupSession creates an inbound session from an exported
// session key (libolm src/inbound_group_session.c,
// olm_import_inbound_group_session). An export is unsigned, so the session is
// not verified until the caller establishes otherwise (libolm marks it
// verified after its first successful decryption, and so does
// [InboundGroupSession.Decrypt]). It returns an error matching
// [ErrBadSessionKey] for a malformed key or an invalid signing key (also
// [ErrInvalidSigningKey]).
func ImportInboundGroupSession(key *ExportedSessionKey) (*InboundGroupSession, error) {
	if key == nil || key.bytes()[0] != exportedSessionKeyVersion {
		return nil, wrap("bad exported session key: wrong version", ErrBadSessionKey)
	}
	pub, err := ed25519x.NewPublicKey(key.bytes()[keyPublicOffset:keySignedSize])
	if err != nil {
		return nil, wrap("bad exported session key: invalid signing key", ErrBadSessionKey, ErrInvalidSigningKey)
	}
	r := key.ratchet()
	pubBytes := pub.Bytes()
	s := newInbound(&r, &pubBytes, pub, false)
	r.clear()
	return s, nil
}

// newInbound returns a session whose initial and latest ratchets are copies
// of r, with the signing key pub. key is pub decoded, or nil to decode it at
// the first verification; pub must have passed at least
// [ed25519x.CheckPublicKeyBytes].
func newInbound(r *hashRatchet, pub *[ed25519x.PublicKeySize]byte, key *ed25519x.PublicKey, verified bool) *InboundGroupSession {
	// One allocation for the session and both ratchets; the session still
	// reaches them through pointers only (see the type).
	a := &inboundAlloc{ratchets: [2]hashRatchet{*r, *r}}
	s := &a.session
	s.initial, s.latest = &a.ratchets[0], &a.ratchets[1]
	s.pub, s.verified = *pub, verified
	if key != nil {
		s.signingKey.Store(key)
	}
	s.id = b64.EncodeToString(s.pub[:])
	return s
}

// inboundAlloc is the memory of an InboundGroupSession and its ratchets,
// allocated together.
type inboundAlloc struct {
	session  InboundGroupSession
	ratchets [2]hashRatchet // initial, latest
}

// errSigningKeyAtDecrypt is the error of a decryption by a session whose
// signing key, loaded from a pickle, turned out not to be a curve point.
var errSigningKeyAtDecrypt = wrap("invalid signing key: no signature verifies", ErrBadSignature, ErrInvalidSigningKey)

// publicKey returns the session's signing key, decoding and validating it
// on first use. It returns an error matching [ErrInvalidSigningKey] (and
// [ErrBadSignature]) if the key is not a valid Ed25519 key; that can happen
// only to a session loaded from a pickle (whose pickle key holder wrote an
// invalid key), since the other constructors validate the key.
func (s *InboundGroupSession) publicKey() (*ed25519x.PublicKey, error) {
	if k := s.signingKey.Load(); k != nil {
		return k, nil
	}
	k, err := ed25519x.NewPublicKey(s.pub[:])
	if err != nil {
		return nil, errSigningKeyAtDecrypt
	}
	// Concurrent first uses may both decode; they store equal keys.
	s.signingKey.CompareAndSwap(nil, k)
	return s.signingKey.Load(), nil
}

// ID returns the session ID: the unpadded base64 of the session's Ed25519
// public signing key (43 characters).
func (s *InboundGroupSession) ID() string { return s.id }

// SigningKey returns the session's Ed25519 public signing key.
func (s *InboundGroupSession) SigningKey() newt.Ed25519PublicKey {
	return newt.Ed25519PublicKeyFromArray(s.pub)
}

// FirstKnownIndex returns the first message index the session can decrypt.
func (s *InboundGroupSession) FirstKnownIndex() uint32 {
	if s.initial == nil {
		return 0 // the unusable zero value
	}
	return s.initial.counter
}

// IsVerified reports whether the session's signing key has been verified by
// a signature: the session was created from a signed [SessionKey], merged
// with a verified session, or (as in libolm, whose pickles record the flag)
// has decrypted a message signed by the key. A session imported from an
// [ExportedSessionKey] starts unverified. The flag does not say whose key it
// is: a session imported from a forged export becomes verified once it
// decrypts a message its forger signed, so keep track of who forwarded a key
// separately, as Matrix clients do.
func (s *InboundGroupSession) IsVerified() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.verified
}

// Decrypt authenticates and decrypts msg and returns its plaintext and
// message index (libolm src/inbound_group_session.c, olm_group_decrypt). The
// checks run in this order:
//  1. the version and format, already checked by [NewMessage];
//  2. the Ed25519 signature, strictly, over the whole message before it
//     ([ErrBadSignature]; also [ErrInvalidSigningKey] if the session's
//     signing key, loaded from a pickle, is not a curve point: see
//     [InboundGroupSessionFromPickle]);
//  3. the index: an index before [InboundGroupSession.FirstKnownIndex]
//     returns an [*UnknownMessageIndexError];
//  4. the MAC, in constant time ([ErrBadMAC]);
//  5. AES-CBC decryption with strict PKCS#7 padding ([ErrBadMAC]).
//
// On success the cached latest ratchet moves to the message's index if it
// is ahead of it, and the session becomes verified, as in libolm. On any
// failure the session is unchanged. The returned index is the message's
// index even on error (0 for a nil message), as libolm reports it. Decrypting
// the same message twice succeeds twice (Megolm has no replay protection).
func (s *InboundGroupSession) Decrypt(msg *Message) (plaintext []byte, index uint32, err error) {
	return s.AppendDecrypt(nil, msg)
}

// AppendDecrypt is [InboundGroupSession.Decrypt] appending the plaintext to
// dst. If dst has room for the ciphertext's length, its only allocation is
// the AES key schedule (inside crypto/aes). A Message's memory is its own, so
// dst cannot overlap it.
func (s *InboundGroupSession) AppendDecrypt(dst []byte, msg *Message) ([]byte, uint32, error) {
	s.checkInitialized()
	if msg == nil || !msg.valid() {
		return nil, 0, errEmptyMessage
	}
	return s.appendDecrypt(dst, msg)
}

// errEmptyMessage is the error for decrypting a nil or zero Message.
var errEmptyMessage = wrap("bad message format: empty message", ErrBadMessageFormat)

// appendDecrypt implements [InboundGroupSession.AppendDecrypt] for a parsed
// message. It keeps no reference to msg.
func (s *InboundGroupSession) appendDecrypt(dst []byte, msg *Message) ([]byte, uint32, error) {
	index := msg.index
	if v := msg.Version(); v != s.cfg.messageVersion() {
		return nil, index, configMismatch(s.cfg, v)
	}
	if err := s.verifySignature(msg.signed(), msg.signature()); err != nil {
		return nil, index, err
	}

	r, fromLatest, err := s.ratchetAt(index)
	if err != nil {
		return nil, index, err
	}
	var keys aessha2.Keys
	r.keys(&keys)
	defer keys.Clear()
	if !keys.VerifyMAC(msg.maced(), msg.mac(), s.cfg.macSize()) {
		r.clear()
		return nil, index, ErrBadMAC
	}
	out, err := keys.Decrypt(dst, msg.ciphertext())
	if err != nil {
		r.clear()
		return nil, index, ErrBadMAC
	}

	s.mu.Lock()
	// Another goroutine may have moved latest meanwhile: keep whichever is
	// further ahead, so the cache only ever moves forward.
	if fromLatest && r.counter != s.latest.counter && isAhead(r.counter, s.latest.counter) {
		*s.latest = r
	}
	s.verified = true
	s.mu.Unlock()
	r.clear()
	return out, index, nil
}

// ratchetAt returns a copy of the ratchet advanced to index, chosen as libolm
// does (src/inbound_group_session.c, _get_megolm; all arithmetic modulo 2³²):
// the latest ratchet if index − latest < 2³¹, else the initial one if index −
// first < 2³¹, else an [*UnknownMessageIndexError]. fromLatest reports which
// one was used. The session itself is not changed.
func (s *InboundGroupSession) ratchetAt(index uint32) (r hashRatchet, fromLatest bool, err error) {
	s.mu.Lock()
	latest := *s.latest
	s.mu.Unlock()

	switch {
	case isAhead(index, latest.counter):
		r, fromLatest = latest, true
	case isAhead(index, s.initial.counter):
		r = *s.initial
	default:
		latest.clear()
		return hashRatchet{}, false, &UnknownMessageIndexError{FirstKnown: s.initial.counter, Got: index}
	}
	latest.clear()
	r.advanceTo(index)
	return r, fromLatest, nil
}

// Export returns the session's keys from message index on as an unsigned
// [ExportedSessionKey] (libolm src/inbound_group_session.c,
// olm_export_inbound_group_session). The index is chosen as
// [InboundGroupSession.Decrypt] chooses it; an index before the first known
// one returns an [*UnknownMessageIndexError]. Unlike libolm, Export never
// changes the session.
func (s *InboundGroupSession) Export(index uint32) (*ExportedSessionKey, error) {
	s.checkInitialized()
	r, _, err := s.ratchetAt(index)
	if err != nil {
		return nil, err
	}
	var b [ExportedSessionKeySize]byte
	putKeyBody(b[:], exportedSessionKeyVersion, &r, &s.pub)
	r.clear()
	k := newExportedSessionKey(b[:])
	clear(b[:])
	return k, nil
}

// SessionOrdering is the result of [InboundGroupSession.Compare].
type SessionOrdering int

const (
	// Equal means both sessions are connected and have the same first
	// known index.
	Equal SessionOrdering = iota
	// Better means both sessions are connected and the receiver has a
	// lower first known index: it decrypts more messages.
	Better
	// Worse means both sessions are connected and the receiver has a
	// higher first known index.
	Worse
	// Unconnected means the sessions are not two views of one Megolm
	// session: different signing keys or unrelated ratchets.
	Unconnected
)

// String returns the name of the ordering.
func (o SessionOrdering) String() string {
	switch o {
	case Equal:
		return "Equal"
	case Better:
		return "Better"
	case Worse:
		return "Worse"
	case Unconnected:
		return "Unconnected"
	}
	return "SessionOrdering(" + strconv.Itoa(int(o)) + ")"
}

// Connected reports whether s and other are two views of the same Megolm
// session: the same signing key, and the ratchet with the lower first known
// index, advanced to the other's first known index, equal to the other's
// (compared in constant time), and the same [SessionConfig], as vodozemac's
// InboundGroupSession::connected.
// First known indexes are compared as plain integers here.
func (s *InboundGroupSession) Connected(other *InboundGroupSession) bool {
	s.checkInitialized()
	if other == nil || s.pub != other.pub || s.cfg != other.cfg {
		return false // public data: short-circuit
	}
	if s == other {
		return true
	}
	lo, hi := s.initial, other.initial
	if lo.counter > hi.counter {
		lo, hi = hi, lo
	}
	r := *lo
	r.advanceTo(hi.counter)
	ok := r.equal(hi)
	r.clear()
	return ok
}

// Compare orders s against other as vodozemac's
// InboundGroupSession::compare does: [Unconnected] unless
// [InboundGroupSession.Connected], else by first known index, lower being
// [Better]. Verification status is not taken into account; use
// [InboundGroupSession.Merge] to combine it.
func (s *InboundGroupSession) Compare(other *InboundGroupSession) SessionOrdering {
	if !s.Connected(other) {
		return Unconnected
	}
	switch a, b := s.initial.counter, other.initial.counter; {
	case a < b:
		return Better
	case a > b:
		return Worse
	}
	return Equal
}

// Merge returns a new session combining the best parts of two connected
// sessions: the initial ratchet with the lower first known index (s's on a
// tie), and verified if either is. Neither s nor other changes. It returns
// [ErrNotConnected] if the sessions are not connected.
//
// Use it when a session arrives several times with different indexes and
// trust, for example a verified session key at index 10 and an unverified
// backup at index 0: the merge is verified and starts at 0.
func (s *InboundGroupSession) Merge(other *InboundGroupSession) (*InboundGroupSession, error) {
	best := s
	switch s.Compare(other) {
	case Unconnected:
		return nil, ErrNotConnected
	case Worse:
		best = other
	}
	verified := s.IsVerified() || other.IsVerified() // one lock at a time
	m := newInbound(best.initial, &best.pub, best.signingKey.Load(), verified)
	m.cfg = best.cfg
	return m, nil
}

// Pickle returns the session encrypted with key in libolm's inbound group
// session pickle format, version 2 (libolm src/inbound_group_session.c,
// olm_pickle_inbound_group_session), as unpadded base64. The same state and
// key always give the same pickle, byte-identical to libolm's.
//
// libolm's format has no session config: a session with [SessionConfigV2]
// loads back as version 1 (and then refuses version 4 messages with
// [ErrConfigMismatch]). Use [InboundGroupSession.PickleJSON] or
// [InboundGroupSession.VodozemacPickle] to keep the config.
func (s *InboundGroupSession) Pickle(key []byte) string {
	return scratch.String(s.AppendPickle(nil, key))
}

// AppendPickle is [InboundGroupSession.Pickle] appending the pickle to dst
// and returning the extended slice. dst may share memory with key.
func (s *InboundGroupSession) AppendPickle(dst, key []byte) []byte {
	s.checkInitialized()
	s.mu.Lock()
	latest, verified := *s.latest, s.verified
	s.mu.Unlock()
	p := pickleInbound(dst, key, s.initial, &latest, &s.pub, verified)
	latest.clear()
	return p
}

// String returns a description of the session that contains no secret,
// only its ID and first known index:
//
//	megolm.InboundGroupSession{session_id: <ID>, first_known_index: <N>}
func (s *InboundGroupSession) String() string {
	return "megolm.InboundGroupSession{session_id: " + s.id + ", first_known_index: " +
		strconv.FormatUint(uint64(s.FirstKnownIndex()), 10) + "}"
}

// GoString returns the same description as [InboundGroupSession.String], for
// the %#v verb.
func (s *InboundGroupSession) GoString() string { return s.String() }

// Format implements [fmt.Formatter]: every verb prints the description of
// [InboundGroupSession.String] (as it is for %#v, else formatted as fmt
// formats a string for the verb), and never the session's ratchets.
func (s *InboundGroupSession) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, s.String())
}

// checkInitialized panics on an InboundGroupSession that was not made by a
// constructor (a programming error, never a property of input).
func (s *InboundGroupSession) checkInitialized() {
	if s.initial == nil {
		panic("megolm: use of uninitialized InboundGroupSession")
	}
}
