// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package difftest

import (
	"encoding/base64"
	"errors"
	"math/big"
	"strings"

	"filippo.io/edwards25519"
	"github.com/newt-e2ee/newt/internal/b64"
	"github.com/newt-e2ee/newt/internal/pickle"
	"github.com/newt-e2ee/newt/megolm"
	"github.com/newt-e2ee/newt/olm"
)

// Difference names one way newt and a peer may disagree. The engine
// considers a difference only when the input makes it possible (the
// condition in each constant's comment); a test allows it by listing it, with
// the reason, in [Config.Allowed].
type Difference string

// The differences the engine knows, each with the condition under which it
// is considered. "newt refuses" means newt fails where the peer succeeds; the
// peer's object is then dropped (or restored from its pickle) so that both
// sides go on from the same state.
const (
	// LowOrderKey: newt refuses to start an Olm session with, or accept a
	// pre-key message carrying, a Curve25519 key of small order (the
	// Diffie-Hellman result would be non-contributory). Considered when
	// one of the keys involved is one of the small-order encodings.
	LowOrderKey Difference = "low-order Curve25519 key"

	// StrictBase64: newt refuses a message, key or pickle whose base64 is
	// not canonical unpadded base64 (padding, stray characters, nonzero
	// unused bits). Considered when the text is not canonical.
	StrictBase64 Difference = "non-canonical base64"

	// StrictMessageDecoding: newt refuses a message its strict decoder
	// rejects (repeated fields, bad tags or wire types, over-long varints,
	// missing fields, a version byte other than 3, which newt checks when
	// it parses a message and libolm only when it decrypts one) and the peer
	// decodes leniently. Considered when the message was tampered with and
	// newt's parser rejects it.
	StrictMessageDecoding Difference = "strict message decoding"

	// UnknownMessageType: newt refuses Olm message types other than 0 and
	// 1; libolm treats every type but 1 as a pre-key message. Considered
	// when the type is not 0 or 1.
	UnknownMessageType Difference = "unknown Olm message type"

	// PreKeyWrapper: newt checks a pre-key message's wrapper, the fields
	// outside the inner message's MAC: the version byte when it parses the
	// message (ErrBadVersion), and in Session.Decrypt that the identity,
	// base and one-time keys are the session's (ErrSessionMismatch);
	// libolm's olm_decrypt and olm_matches_inbound_session ignore the
	// version, and olm_decrypt the keys. Considered when only the wrapper
	// of a pre-key message was tampered with.
	PreKeyWrapper Difference = "pre-key wrapper checked on decrypt"

	// StrictSignature: newt verifies Ed25519 signatures strictly and
	// refuses a signature whose S is not reduced (S ≥ L); libolm accepts
	// S + L. Considered when the signature's S is at least L.
	StrictSignature Difference = "non-canonical Ed25519 signature"

	// StrictSigningKey: newt refuses a Megolm signing key that is not a
	// canonical encoding of a curve point of large order, when a session
	// key or export is imported; the peer imports it (and may fail later).
	// Considered when the key is such an encoding.
	StrictSigningKey Difference = "invalid Ed25519 signing key"

	// ExportKeepsSession: newt's InboundGroupSession.Export changes
	// nothing; libolm's olm_export_inbound_group_session advances the
	// session's cached latest ratchet (which shows in its pickle).
	// Considered after an export that changed the peer's pickle; the peer's
	// session is then restored from its pickle.
	ExportKeepsSession Difference = "export leaves the session unchanged"

	// FailureKeepsState: when an operation fails newt leaves the object
	// exactly as it was; the peer changed it. Considered when the peer's
	// pickle changed across a failed operation; the peer's object is then
	// restored from its pickle.
	FailureKeepsState Difference = "a failed operation changes nothing"

	// EmptyInput: the peer refuses an empty plaintext, message to sign or
	// pickle key, which newt (and libolm) accept. Considered when the input
	// is empty; newt's object is then restored from its pickle (for a
	// pickle key, the run goes on with a one-byte key).
	EmptyInput Difference = "empty input refused by the peer"

	// PreKeyFieldOrder: the peer writes a pre-key message's fields in
	// another order than libolm (goolm puts the identity key before the
	// base key); newt writes libolm's order and decodes either. Considered
	// when the two messages decode to the same fields. The receivers then
	// get one of the two texts, the same on both sides.
	PreKeyFieldOrder Difference = "pre-key message field order"

	// OneTimeKeyCount: newt refuses to generate more than
	// olm.MaxOneTimeKeys one-time keys in one call, so a wrapped or
	// underflowed count cannot re-issue key IDs; libolm generates them and
	// keeps the last MaxOneTimeKeys. Considered for counts above the
	// maximum.
	OneTimeKeyCount Difference = "more one-time keys than an account holds"
)

// newtError reports whether err is an error newt gives for difference d,
// for the differences where newt refuses an input. The engine considers such
// a difference only when newt's error is of its kind, so that an allowed
// difference cannot hide a refusal for another reason.
func newtError(d Difference, err error) (ok, applies bool) {
	switch d {
	case LowOrderKey:
		return errors.Is(err, olm.ErrNonContributory), true
	case StrictBase64:
		// olm wraps the decoder's error, pickles wrap their own sentinel,
		// megolm says so in its message.
		// Session keys and exports are refused on their text's length
		// first (keyReasons checks that the decoded bytes are well formed).
		var de *b64.DecodeError
		return errors.As(err, &de) || errors.Is(err, pickle.ErrInvalidBase64) || errors.Is(err, megolm.ErrBadSessionKey) ||
			(err != nil && strings.Contains(err.Error(), "invalid base64")), true
	case StrictMessageDecoding:
		return errors.Is(err, olm.ErrBadMessageFormat) || errors.Is(err, megolm.ErrBadMessageFormat) ||
			errors.Is(err, olm.ErrBadVersion) || errors.Is(err, megolm.ErrBadVersion), true
	case UnknownMessageType:
		return errors.Is(err, olm.ErrBadMessageFormat), true
	case PreKeyWrapper:
		return errors.Is(err, olm.ErrSessionMismatch) || errors.Is(err, olm.ErrBadVersion), true
	case StrictSignature:
		return errors.Is(err, megolm.ErrBadSignature), true
	case StrictSigningKey:
		return errors.Is(err, megolm.ErrInvalidSigningKey), true
	case OneTimeKeyCount:
		return err != nil, true
	}
	return false, false
}

// canonicalBase64 reports whether s is canonical unpadded standard base64.
func canonicalBase64(s string) bool {
	b, err := base64.RawStdEncoding.Strict().DecodeString(s)
	return err == nil && base64.RawStdEncoding.EncodeToString(b) == s
}

// lenientBase64 decodes s the way libolm does: it ignores padding and
// characters outside the alphabet contribute garbage; here it strips '='
// and decodes with the unused bits ignored, which is enough to find the
// bytes a lenient peer sees when only padding or unused bits differ.
func lenientBase64(s string) ([]byte, bool) {
	for len(s) > 0 && s[len(s)-1] == '=' {
		s = s[:len(s)-1]
	}
	b, err := base64.RawStdEncoding.DecodeString(s)
	return b, err == nil
}

// lowOrderCurve25519 are encodings of Curve25519 points of small order
// (RFC 7748 §6.1 and the literature on contributory behaviour): 0, 1,
// the two points of order 8, p−1, p, p+1, and their counterparts with the
// top bit set, which X25519 ignores.
var lowOrderCurve25519 = func() [][32]byte {
	hexes := []string{
		"0000000000000000000000000000000000000000000000000000000000000000",
		"0100000000000000000000000000000000000000000000000000000000000000",
		"e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
		"5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
		"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
		"edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
		"eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	}
	var out [][32]byte
	for _, h := range hexes {
		var k [32]byte
		for i := range k {
			k[i] = unhex(h[2*i])<<4 | unhex(h[2*i+1])
		}
		out = append(out, k)
		k[31] |= 0x80
		out = append(out, k)
	}
	return out
}()

func unhex(c byte) byte {
	if c >= 'a' {
		return c - 'a' + 10
	}
	return c - '0'
}

// isLowOrderCurve25519 reports whether the base64 key s decodes (leniently)
// to one of the small-order encodings.
func isLowOrderCurve25519(s string) bool {
	b, ok := lenientBase64(s)
	if !ok || len(b) != 32 {
		return false
	}
	for _, k := range lowOrderCurve25519 {
		if [32]byte(b) == k {
			return true
		}
	}
	return false
}

// groupOrder is L, the order of the Ed25519 base point.
var groupOrder, _ = new(big.Int).SetString("7237005577332262213973186563042994240857116359379907606001950938285454250989", 10)

// unreducedS reports whether the 64-byte signature sig has S ≥ L.
func unreducedS(sig []byte) bool {
	if len(sig) != 64 {
		return false
	}
	le := sig[32:]
	be := make([]byte, 32)
	for i := range le {
		be[31-i] = le[i]
	}
	return new(big.Int).SetBytes(be).Cmp(groupOrder) >= 0
}

// addL returns sig with L added to S, the malleated signature that libolm's
// verification accepts and strict verification refuses. ok is false when
// S + L does not fit in 253 bits (libolm would refuse it too).
func addL(sig []byte) (out []byte, ok bool) {
	le := sig[32:]
	be := make([]byte, 32)
	for i := range le {
		be[31-i] = le[i]
	}
	s := new(big.Int).Add(new(big.Int).SetBytes(be), groupOrder)
	if s.BitLen() > 253 {
		return nil, false
	}
	out = append([]byte(nil), sig...)
	sb := s.FillBytes(make([]byte, 32))
	for i := range sb {
		out[32+i] = sb[31-i]
	}
	return out, true
}

// weakSigningKey reports whether the 32 bytes k are not a canonical
// encoding of an Ed25519 point of large order, the keys strict verification
// refuses.
func weakSigningKey(k []byte) bool {
	if len(k) != 32 {
		return true
	}
	p, err := new(edwards25519.Point).SetBytes(k)
	if err != nil {
		return true
	}
	if string(p.Bytes()) != string(k) { // non-canonical encoding
		return true
	}
	var q edwards25519.Point
	q.MultByCofactor(p)
	return q.Equal(edwards25519.NewIdentityPoint()) == 1
}
