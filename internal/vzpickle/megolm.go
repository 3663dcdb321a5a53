// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package vzpickle

// MegolmRatchet is vodozemac's Megolm ratchet pickle: the 128-byte ratchet
// R_i,0 ‖ … ‖ R_i,3 and its counter i.
type MegolmRatchet struct {
	Inner   [128]byte
	Counter uint32
}

// GroupSession is vodozemac's GroupSessionPickle (outbound).
type GroupSession struct {
	Ratchet    MegolmRatchet
	SigningKey SigningKey
	Version    uint8 // Version1 or Version2
}

// InboundGroupSession is vodozemac's InboundGroupSessionPickle. vodozemac
// stores only the initial ratchet, not a cache of the latest one.
type InboundGroupSession struct {
	InitialRatchet     MegolmRatchet
	SigningKey         [32]byte // public
	SigningKeyVerified bool
	Version            uint8 // Version1 or Version2
}

// Clear overwrites the session's secrets (best effort).
func (s *GroupSession) Clear() {
	clear(s.Ratchet.Inner[:])
	clear(s.SigningKey.Seed[:])
	clear(s.SigningKey.ExpandedKey[:])
}

// Clear overwrites the session's secrets (best effort).
func (s *InboundGroupSession) Clear() { clear(s.InitialRatchet.Inner[:]) }

func (d *decoder) megolmRatchet(r *MegolmRatchet) {
	d.members(
		req("inner", func() { d.bytes(r.Inner[:]) }),
		req("counter", func() { r.Counter = uint32(d.uint(1<<32 - 1)) }),
	)
}

// ParseGroupSession decodes a GroupSessionPickle. A missing "config" is
// version 1, as in vodozemac.
func ParseGroupSession(b []byte) (*GroupSession, error) {
	d := &decoder{b: b}
	s := &GroupSession{Version: Version1}
	d.members(
		req("ratchet", func() { d.megolmRatchet(&s.Ratchet) }),
		req("signing_key", func() { d.signingKey(&s.SigningKey) }),
		opt("config", func() { s.Version = d.config() }),
	)
	return finish(d, s)
}

// ParseInboundGroupSession decodes an InboundGroupSessionPickle. A missing
// "config" is version 1, as in vodozemac.
func ParseInboundGroupSession(b []byte) (*InboundGroupSession, error) {
	d := &decoder{b: b}
	s := &InboundGroupSession{Version: Version1}
	d.members(
		req("initial_ratchet", func() { d.megolmRatchet(&s.InitialRatchet) }),
		req("signing_key", func() { d.bytes(s.SigningKey[:]) }),
		req("signing_key_verified", func() { s.SigningKeyVerified = d.boolean() }),
		opt("config", func() { s.Version = d.config() }),
	)
	return finish(d, s)
}

func (r *MegolmRatchet) appendJSON(dst []byte) []byte {
	dst = append(dst, `{"inner":`...)
	dst = appendBytes(dst, r.Inner[:])
	dst = append(dst, `,"counter":`...)
	dst = appendUint(dst, uint64(r.Counter))
	return append(dst, '}')
}

// JSONLen returns a size hint for AppendJSON's output.
func (s *GroupSession) JSONLen() int { return 850 }

// JSONLen returns a size hint for AppendJSON's output.
func (s *InboundGroupSession) JSONLen() int { return 800 }

// AppendJSON appends the session's GroupSessionPickle JSON, exactly as
// serde_json writes it, to dst.
func (s *GroupSession) AppendJSON(dst []byte) []byte {
	dst = append(dst, `{"ratchet":`...)
	dst = s.Ratchet.appendJSON(dst)
	dst = append(dst, `,"signing_key":`...)
	dst = s.SigningKey.appendJSON(dst)
	dst = append(dst, `,"config":`...)
	dst = appendConfig(dst, s.Version)
	return append(dst, '}')
}

// AppendJSON appends the session's InboundGroupSessionPickle JSON, exactly
// as serde_json writes it, to dst.
func (s *InboundGroupSession) AppendJSON(dst []byte) []byte {
	dst = append(dst, `{"initial_ratchet":`...)
	dst = s.InitialRatchet.appendJSON(dst)
	dst = append(dst, `,"signing_key":`...)
	dst = appendBytes(dst, s.SigningKey[:])
	dst = append(dst, `,"signing_key_verified":`...)
	dst = appendBool(dst, s.SigningKeyVerified)
	dst = append(dst, `,"config":`...)
	dst = appendConfig(dst, s.Version)
	return append(dst, '}')
}
