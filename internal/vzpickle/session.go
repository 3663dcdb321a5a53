// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package vzpickle

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
	d.members(
		req("session_keys", func() {
			d.members(
				req("identity_key", func() { d.bytes(s.IdentityKey[:]) }),
				req("base_key", func() { d.bytes(s.BaseKey[:]) }),
				req("one_time_key", func() { d.bytes(s.OneTimeKey[:]) }),
			)
		}),
		req("sending_ratchet", func() { d.sendingRatchet(&s.Sending) }),
		req("receiving_chains", func() {
			d.inner(MaxReceivingChains, "receiving chains", func(i int) {
				s.Chains = appendSecret(s.Chains, ReceiverChain{})
				d.receiverChain(&s.Chains[i])
			})
		}),
		opt("config", func() { s.Version = d.config() }),
	)
	return finish(d, s)
}

// config reads {"version":"V1"|"V2"}.
func (d *decoder) config() uint8 {
	v := uint8(0)
	d.members(req("version", func() {
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
	}))
	return v
}

func (d *decoder) ratchetCount() RatchetCount {
	var c RatchetCount
	d.variant(func(name string) {
		switch name {
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
	return c
}

// chainKey reads {"key":[32],"index":u64}: a chain key and its index, or a
// skipped message key and its index.
func (d *decoder) chainKey(dst *[32]byte, index *uint64) {
	d.members(
		req("key", func() { d.bytes(dst[:]) }),
		req("index", func() { *index = d.uint(1<<64 - 1) }),
	)
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
	layout := []member{
		opt("type", func() { tag = d.str() }),
		opt("root_key", func() { // {"key":[32]} (RemoteRootKey)
			d.members(req("key", func() { d.bytes(r.RootKey[:]) }))
		}),
		opt("ratchet_key", func() { d.bytes(r.RatchetKey[:]) }),
		opt("ratchet_count", func() { r.RatchetCount = d.ratchetCount() }),
		opt("parent_ratchet_key", func() {
			if !d.null() {
				r.HasParent = true
				d.bytes(r.ParentRatchetKey[:])
			}
		}),
		opt("active_ratchet", func() {
			d.members(
				req("root_key", func() { d.bytes(r.RootKey[:]) }),
				req("ratchet_key", func() { d.bytes(r.RatchetKey[:]) }),
			)
		}),
		opt("symmetric_key_ratchet", func() { d.chainKey(&r.ChainKey, &r.ChainIndex) }),
	}
	seen := d.members(layout...)
	if d.err != nil {
		return
	}
	switch tag {
	case "inactive":
		if seen&(fParent|fActiveRatchet|fSymmetric) != 0 {
			d.fail(ErrUnknownField, "active ratchet member in an inactive ratchet")
			return
		}
		d.require(seen, fType|fRootKey|fRatchetKey, layout)
	case "active":
		r.Active = true
		if seen&(fRootKey|fRatchetKey) != 0 {
			d.fail(ErrUnknownField, "inactive ratchet member in an active ratchet")
			return
		}
		d.require(seen, fType|fActiveRatchet|fSymmetric, layout)
	case "":
		d.fail(ErrMissingField, `missing member "type"`)
	default:
		d.fail(ErrUnknownVariant, "unknown ratchet type")
	}
}

func (d *decoder) receiverChain(c *ReceiverChain) {
	d.members(
		req("ratchet_key", func() { d.bytes(c.RatchetKey[:]) }),
		req("hkdf_ratchet", func() { d.chainKey(&c.ChainKey, &c.ChainIndex) }),
		req("skipped_message_keys", func() {
			d.inner(MaxSkippedKeysPerChain, "skipped message keys", func(i int) {
				c.Skipped = appendSecret(c.Skipped, SkippedKey{})
				d.chainKey(&c.Skipped[i].Key, &c.Skipped[i].Index)
			})
		}),
		opt("ratchet_count", func() { c.RatchetCount = d.ratchetCount() }),
	)
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
	dst = append(dst, `},"symmetric_key_ratchet":`...)
	dst = appendChainKey(dst, &r.ChainKey, r.ChainIndex)
	return append(dst, '}')
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
	dst = append(dst, `,"hkdf_ratchet":`...)
	dst = appendChainKey(dst, &c.ChainKey, c.ChainIndex)
	dst = append(dst, `,"skipped_message_keys":{"inner":[`...)
	for i := range c.Skipped {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendChainKey(dst, &c.Skipped[i].Key, c.Skipped[i].Index)
	}
	dst = append(dst, `]},"ratchet_count":`...)
	dst = c.RatchetCount.appendJSON(dst)
	return append(dst, '}')
}

// appendChainKey writes {"key":[32],"index":u64}, the layout chainKey
// reads.
func appendChainKey(dst []byte, key *[32]byte, index uint64) []byte {
	dst = append(dst, `{"key":`...)
	dst = appendBytes(dst, key[:])
	dst = append(dst, `,"index":`...)
	dst = appendUint(dst, index)
	return append(dst, '}')
}

func appendConfig(dst []byte, version uint8) []byte {
	if version == Version2 {
		return append(dst, `{"version":"V2"}`...)
	}
	return append(dst, `{"version":"V1"}`...)
}
