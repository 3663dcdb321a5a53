// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package vzpickle

import "strconv"

// Limits of vodozemac's Olm session (docs/vodozemac-formats.md).
const (
	// MaxReceivingChains is the number of receiving chains a session
	// keeps (MAX_RECEIVING_CHAINS).
	MaxReceivingChains = 5
	// MaxSkippedKeysPerChain is the number of skipped message keys one
	// receiving chain keeps (MAX_MESSAGE_KEYS).
	MaxSkippedKeysPerChain = 40
)

// Config versions: the "version" of a SessionConfig ("V1" or "V2").
const (
	Version1 = 1
	Version2 = 2
)

// RatchetCount is vodozemac's diagnostic count of ratchet steps:
// {"Known":n} or {"Unknown":null}.
type RatchetCount struct {
	Known bool
	N     uint64
}

// SendingRatchet is vodozemac's DoubleRatchet, tagged "inactive" or
// "active".
//
// Inactive (a new chain from the peer was received and we have not sent
// since): RootKey is the root key R_i, RatchetKey the peer's ratchet public
// key T_i.
//
// Active: RootKey is R_i, RatchetKey our ratchet secret key, ChainKey and
// ChainIndex the sending chain C_i,j and j, and ParentRatchetKey (if
// HasParent) the peer's ratchet key the chain was derived from.
type SendingRatchet struct {
	Active           bool
	RatchetCount     RatchetCount
	RootKey          [32]byte
	RatchetKey       [32]byte
	HasParent        bool
	ParentRatchetKey [32]byte
	ChainKey         [32]byte
	ChainIndex       uint64
}

// SkippedKey is a kept message key of a receiving chain and its index.
type SkippedKey struct {
	Key   [32]byte
	Index uint64
}

// ReceiverChain is one of the session's receiving chains.
type ReceiverChain struct {
	RatchetKey   [32]byte // the peer's ratchet public key
	ChainKey     [32]byte
	ChainIndex   uint64
	Skipped      []SkippedKey // oldest first, at most MaxSkippedKeysPerChain
	RatchetCount RatchetCount
}

// Session is vodozemac's SessionPickle.
type Session struct {
	IdentityKey [32]byte // the initiator's identity key I_A
	BaseKey     [32]byte // E_A
	OneTimeKey  [32]byte // E_B
	Sending     SendingRatchet
	Chains      []ReceiverChain // oldest first, at most MaxReceivingChains
	Version     uint8           // Version1 or Version2
}

// Clear overwrites the session's secrets (best effort).
func (s *Session) Clear() {
	clear(s.Sending.RootKey[:])
	clear(s.Sending.RatchetKey[:])
	clear(s.Sending.ChainKey[:])
	for i := range s.Chains {
		clear(s.Chains[i].ChainKey[:])
		for j := range s.Chains[i].Skipped {
			clear(s.Chains[i].Skipped[j].Key[:])
		}
	}
}

// ParseSession decodes a SessionPickle. A missing "config" is version 1,
// a missing ratchet_count Unknown and a missing parent_ratchet_key none, as
// in vodozemac.
func ParseSession(b []byte) (*Session, error) {
	d := &decoder{b: b}
	s := &Session{Version: Version1}
	f := fields{d: d}
	d.object(func(key string) {
		switch key {
		case "session_keys":
			if f.once(1 << 0) {
				d.sessionKeys(s)
			}
		case "sending_ratchet":
			if f.once(1 << 1) {
				d.sendingRatchet(&s.Sending)
			}
		case "receiving_chains":
			if f.once(1 << 2) {
				d.receivingChains(s)
			}
		case "config":
			if f.once(1 << 3) {
				s.Version = d.config()
			}
		default:
			d.unknown(key)
		}
	})
	f.require(0x7, "session_keys", "sending_ratchet", "receiving_chains")
	d.end()
	if d.err != nil {
		s.Clear()
		return nil, d.err
	}
	return s, nil
}

func (d *decoder) sessionKeys(s *Session) {
	f := fields{d: d}
	d.object(func(key string) {
		switch key {
		case "identity_key":
			if f.once(1 << 0) {
				d.bytes(s.IdentityKey[:])
			}
		case "base_key":
			if f.once(1 << 1) {
				d.bytes(s.BaseKey[:])
			}
		case "one_time_key":
			if f.once(1 << 2) {
				d.bytes(s.OneTimeKey[:])
			}
		default:
			d.unknown(key)
		}
	})
	f.require(0x7, "identity_key", "base_key", "one_time_key")
}

// config reads {"version":"V1"|"V2"}.
func (d *decoder) config() uint8 {
	v := uint8(0)
	f := fields{d: d}
	d.object(func(key string) {
		if key != "version" {
			d.unknown(key)
			return
		}
		if !f.once(1) {
			return
		}
		switch t := d.str(); t {
		case "V1":
			v = Version1
		case "V2":
			v = Version2
		default:
			if d.err == nil {
				d.fail(ErrUnknownVariant, "unknown session config version")
			}
		}
	})
	f.require(1, "version")
	return v
}

func (d *decoder) ratchetCount() RatchetCount {
	var c RatchetCount
	n := 0
	d.object(func(key string) {
		n++
		if n > 1 {
			d.fail(ErrSyntax, "more than one variant")
			return
		}
		switch key {
		case "Known":
			c.Known = true
			c.N = d.uint(1<<64 - 1)
		case "Unknown":
			if !d.null() && d.err == nil {
				d.fail(ErrSyntax, "expected null")
			}
		default:
			d.fail(ErrUnknownVariant, "unknown ratchet count variant")
		}
	})
	if n == 0 {
		d.fail(ErrSyntax, "empty enum")
	}
	return c
}

// keyObject reads {"key":[32]} (RemoteRootKey).
func (d *decoder) keyObject(dst *[32]byte) {
	f := fields{d: d}
	d.object(func(key string) {
		if key != "key" {
			d.unknown(key)
			return
		}
		if f.once(1) {
			d.bytes(dst[:])
		}
	})
	f.require(1, "key")
}

// chainKey reads {"key":[32],"index":u64}.
func (d *decoder) chainKey(dst *[32]byte, index *uint64) {
	f := fields{d: d}
	d.object(func(key string) {
		switch key {
		case "key":
			if f.once(1 << 0) {
				d.bytes(dst[:])
			}
		case "index":
			if f.once(1 << 1) {
				*index = d.uint(1<<64 - 1)
			}
		default:
			d.unknown(key)
		}
	})
	f.require(0x3, "key", "index")
}

func (d *decoder) sendingRatchet(r *SendingRatchet) {
	// serde's internally tagged enum: "type" may come anywhere, so read the
	// members of both variants and check them against the tag at the end.
	const (
		fType = 1 << iota
		fRootKey
		fRatchetKey
		fCount
		fParent
		fActiveRatchet
		fSymmetric
	)
	tag := ""
	f := fields{d: d}
	d.object(func(key string) {
		switch key {
		case "type":
			if f.once(fType) {
				tag = d.str()
			}
		case "root_key":
			if f.once(fRootKey) {
				d.keyObject(&r.RootKey)
			}
		case "ratchet_key":
			if f.once(fRatchetKey) {
				d.bytes(r.RatchetKey[:])
			}
		case "ratchet_count":
			if f.once(fCount) {
				r.RatchetCount = d.ratchetCount()
			}
		case "parent_ratchet_key":
			if f.once(fParent) && !d.null() {
				r.HasParent = true
				d.bytes(r.ParentRatchetKey[:])
			}
		case "active_ratchet":
			if f.once(fActiveRatchet) {
				g := fields{d: d}
				d.object(func(key string) {
					switch key {
					case "root_key":
						if g.once(1 << 0) {
							d.bytes(r.RootKey[:])
						}
					case "ratchet_key":
						if g.once(1 << 1) {
							d.bytes(r.RatchetKey[:])
						}
					default:
						d.unknown(key)
					}
				})
				g.require(0x3, "root_key", "ratchet_key")
			}
		case "symmetric_key_ratchet":
			if f.once(fSymmetric) {
				d.chainKey(&r.ChainKey, &r.ChainIndex)
			}
		default:
			d.unknown(key)
		}
	})
	if d.err != nil {
		return
	}
	switch tag {
	case "inactive":
		if f.seen&(fParent|fActiveRatchet|fSymmetric) != 0 {
			d.fail(ErrUnknownField, "active ratchet member in an inactive ratchet")
			return
		}
		f.require(fType|fRootKey|fRatchetKey, "type", "root_key", "ratchet_key")
	case "active":
		r.Active = true
		if f.seen&(fRootKey|fRatchetKey) != 0 {
			d.fail(ErrUnknownField, "inactive ratchet member in an active ratchet")
			return
		}
		f.require(fType|fActiveRatchet|fSymmetric, "type", "", "", "", "", "active_ratchet", "symmetric_key_ratchet")
	case "":
		d.fail(ErrMissingField, `missing member "type"`)
	default:
		d.fail(ErrUnknownVariant, "unknown ratchet type")
	}
}

func (d *decoder) receivingChains(s *Session) {
	f := fields{d: d}
	d.object(func(key string) {
		if key != "inner" {
			d.unknown(key)
			return
		}
		if !f.once(1) {
			return
		}
		d.array(func(i int) {
			if i == MaxReceivingChains {
				d.fail(ErrTooMany, "more than "+strconv.Itoa(MaxReceivingChains)+" receiving chains")
				return
			}
			s.Chains = append(s.Chains, ReceiverChain{})
			d.receiverChain(&s.Chains[i])
		})
	})
	f.require(1, "inner")
}

func (d *decoder) receiverChain(c *ReceiverChain) {
	f := fields{d: d}
	d.object(func(key string) {
		switch key {
		case "ratchet_key":
			if f.once(1 << 0) {
				d.bytes(c.RatchetKey[:])
			}
		case "hkdf_ratchet":
			if f.once(1 << 1) {
				d.chainKey(&c.ChainKey, &c.ChainIndex)
			}
		case "skipped_message_keys":
			if f.once(1 << 2) {
				d.skippedKeys(c)
			}
		case "ratchet_count":
			if f.once(1 << 3) {
				c.RatchetCount = d.ratchetCount()
			}
		default:
			d.unknown(key)
		}
	})
	f.require(0x7, "ratchet_key", "hkdf_ratchet", "skipped_message_keys")
}

func (d *decoder) skippedKeys(c *ReceiverChain) {
	f := fields{d: d}
	d.object(func(key string) {
		if key != "inner" {
			d.unknown(key)
			return
		}
		if !f.once(1) {
			return
		}
		d.array(func(i int) {
			if i == MaxSkippedKeysPerChain {
				d.fail(ErrTooMany, "more than "+strconv.Itoa(MaxSkippedKeysPerChain)+" skipped message keys")
				return
			}
			c.Skipped = append(c.Skipped, SkippedKey{})
			k := &c.Skipped[i]
			g := fields{d: d}
			d.object(func(key string) {
				switch key {
				case "key":
					if g.once(1 << 0) {
						d.bytes(k.Key[:])
					}
				case "index":
					if g.once(1 << 1) {
						k.Index = d.uint(1<<64 - 1)
					}
				default:
					d.unknown(key)
				}
			})
			g.require(0x3, "key", "index")
		})
	})
	f.require(1, "inner")
}

// JSONLen returns a size hint for AppendJSON's output.
func (s *Session) JSONLen() int {
	n := 1300
	for i := range s.Chains {
		n += 400 + 145*len(s.Chains[i].Skipped)
	}
	return n
}

// AppendJSON appends the session's SessionPickle JSON, exactly as
// serde_json writes it, to dst.
func (s *Session) AppendJSON(dst []byte) []byte {
	dst = append(dst, `{"session_keys":{"identity_key":`...)
	dst = appendBytes(dst, s.IdentityKey[:])
	dst = append(dst, `,"base_key":`...)
	dst = appendBytes(dst, s.BaseKey[:])
	dst = append(dst, `,"one_time_key":`...)
	dst = appendBytes(dst, s.OneTimeKey[:])
	dst = append(dst, `},"sending_ratchet":`...)
	dst = s.Sending.appendJSON(dst)
	dst = append(dst, `,"receiving_chains":{"inner":[`...)
	for i := range s.Chains {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = s.Chains[i].appendJSON(dst)
	}
	dst = append(dst, `]},"config":`...)
	dst = appendConfig(dst, s.Version)
	return append(dst, '}')
}

func (r *SendingRatchet) appendJSON(dst []byte) []byte {
	if !r.Active {
		dst = append(dst, `{"type":"inactive","root_key":{"key":`...)
		dst = appendBytes(dst, r.RootKey[:])
		dst = append(dst, `},"ratchet_key":`...)
		dst = appendBytes(dst, r.RatchetKey[:])
		dst = append(dst, `,"ratchet_count":`...)
		dst = r.RatchetCount.appendJSON(dst)
		return append(dst, '}')
	}
	dst = append(dst, `{"type":"active","parent_ratchet_key":`...)
	if r.HasParent {
		dst = appendBytes(dst, r.ParentRatchetKey[:])
	} else {
		dst = append(dst, "null"...)
	}
	dst = append(dst, `,"ratchet_count":`...)
	dst = r.RatchetCount.appendJSON(dst)
	dst = append(dst, `,"active_ratchet":{"root_key":`...)
	dst = appendBytes(dst, r.RootKey[:])
	dst = append(dst, `,"ratchet_key":`...)
	dst = appendBytes(dst, r.RatchetKey[:])
	dst = append(dst, `},"symmetric_key_ratchet":{"key":`...)
	dst = appendBytes(dst, r.ChainKey[:])
	dst = append(dst, `,"index":`...)
	dst = appendUint(dst, r.ChainIndex)
	return append(dst, "}}"...)
}

func (c *RatchetCount) appendJSON(dst []byte) []byte {
	if !c.Known {
		return append(dst, `{"Unknown":null}`...)
	}
	dst = append(dst, `{"Known":`...)
	dst = appendUint(dst, c.N)
	return append(dst, '}')
}

func (c *ReceiverChain) appendJSON(dst []byte) []byte {
	dst = append(dst, `{"ratchet_key":`...)
	dst = appendBytes(dst, c.RatchetKey[:])
	dst = append(dst, `,"hkdf_ratchet":{"key":`...)
	dst = appendBytes(dst, c.ChainKey[:])
	dst = append(dst, `,"index":`...)
	dst = appendUint(dst, c.ChainIndex)
	dst = append(dst, `},"skipped_message_keys":{"inner":[`...)
	for i := range c.Skipped {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"key":`...)
		dst = appendBytes(dst, c.Skipped[i].Key[:])
		dst = append(dst, `,"index":`...)
		dst = appendUint(dst, c.Skipped[i].Index)
		dst = append(dst, '}')
	}
	dst = append(dst, `]},"ratchet_count":`...)
	dst = c.RatchetCount.appendJSON(dst)
	return append(dst, '}')
}

func appendConfig(dst []byte, version uint8) []byte {
	if version == Version2 {
		return append(dst, `{"version":"V2"}`...)
	}
	return append(dst, `{"version":"V1"}`...)
}
