// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package olm

// Reviewer's note: vodozemac's Olm session pickles
// (docs/vodozemac-formats.md, "SessionPickle" and "Migration from libolm").
// newt's ratchet is libolm's: one sender chain or none, receiver chains
// newest first, one list of at most 40 skipped keys. vodozemac's active
// sending ratchet is newt's sender chain; its inactive ratchet is "no
// sender chain" with the newest receiver chain holding the peer's key.
//
// vodozemac also records diagnostics newt does not need (ratchet counts,
// the parent ratchet key) and keeps chains in an order of its own. A
// session read from vodozemac's JSON keeps them in vzMeta, so that writing
// it back gives the same bytes and later chains get the counts vodozemac
// would give them; a session from anywhere else is written as vodozemac's
// libolm migration writes it (counts unknown, no parent key, libolm's
// order).

import (
	"cmp"
	"math"
	"slices"

	"github.com/newt-e2ee/newt/internal/ratchetstate"
	"github.com/newt-e2ee/newt/internal/vzpickle"
	"github.com/newt-e2ee/newt/ratchet"
)

// vzMeta is what a session read from vodozemac's JSON remembers of it.
type vzMeta struct {
	// newestFirst: the chains were in libolm's order (a session vodozemac
	// migrated from libolm) rather than vodozemac's own, oldest first.
	newestFirst bool
	// counts are the ratchet counts of the receiving chains, by ratchet
	// key.
	counts map[[32]byte]vzpickle.RatchetCount
	// descending marks the chains whose skipped keys were listed newest
	// first (libolm's order, kept by vodozemac's migration) rather than
	// oldest first.
	descending map[[32]byte]bool
	// The sending ratchet as read: active with our key senderPub, its count
	// and parent key; or inactive with its count.
	active    bool
	senderPub [32]byte
	sendCount vzpickle.RatchetCount
	hasParent bool
	parent    [32]byte
	inactive  vzpickle.RatchetCount
}

// PickleJSON returns the session as vodozemac's SessionPickle JSON, byte for
// byte what serde_json writes (docs/vodozemac-formats.md). A session read
// with [SessionFromPickleJSON] is written back as it was read, and the
// chains it adds later get the ratchet counts vodozemac would give them. Any
// other session is written as vodozemac's libolm migration writes it:
// ratchet counts unknown, no parent ratchet key, chains and skipped keys in
// libolm's order; skipped keys of chains the session no longer has are
// dropped (vodozemac keeps skipped keys per chain). The result holds the
// session's secrets.
func (s *Session) PickleJSON() []byte { return s.AppendPickleJSON(nil) }

// AppendPickleJSON is [Session.PickleJSON] appending to dst.
func (s *Session) AppendPickleJSON(dst []byte) []byte {
	s.mu.Lock()
	p := s.vodozemacPickle()
	s.mu.Unlock()
	return vzpickle.AppendAndClear(dst, p)
}

// vodozemacPickle converts the session; the caller holds s.mu.
func (s *Session) vodozemacPickle() *vzpickle.Session {
	st := ratchetstate.Of(s.ratchet)
	defer st.Clear()
	m := s.vz
	p := &vzpickle.Session{
		IdentityKey: s.aliceIdentityKey,
		BaseKey:     s.aliceBaseKey,
		OneTimeKey:  s.bobOneTimeKey,
		Version:     vzpickle.Version1,
	}
	if st.Version2 {
		p.Version = vzpickle.Version2
	}

	// Receiving chains, in newt's order (newest first), with their counts:
	// a chain vodozemac made after the one below it has that count + 2
	// (one step for our sending ratchet, one for theirs).
	counts := make([]vzpickle.RatchetCount, len(st.Receivers))
	for i := len(st.Receivers) - 1; i >= 0; i-- {
		key := st.Receivers[i].RatchetKey
		switch c, ok := m.count(key); {
		case ok:
			counts[i] = c
		case m != nil && i+1 < len(st.Receivers) && counts[i+1].Known:
			counts[i] = vzpickle.RatchetCount{Known: true, N: counts[i+1].N + 2}
		case m != nil && i+1 == len(st.Receivers) && m.active && m.sendCount.Known:
			// The first chain after the sending ratchet that was read.
			counts[i] = vzpickle.RatchetCount{Known: true, N: m.sendCount.N + 1}
		}
	}
	chains := make([]vzpickle.ReceiverChain, len(st.Receivers))
	for i, c := range st.Receivers {
		ch := &chains[i]
		ch.RatchetKey = c.RatchetKey
		ch.ChainKey = c.ChainKey
		ch.ChainIndex = uint64(c.Index)
		ch.RatchetCount = counts[i]
		// The chain's skipped keys, newest first as libolm lists them, in
		// an array of their number (append would leave copies behind).
		n := 0
		for _, k := range st.Skipped {
			if k.RatchetKey == c.RatchetKey {
				n++
			}
		}
		ch.Skipped = make([]vzpickle.SkippedKey, 0, n)
		for _, k := range st.Skipped {
			if k.RatchetKey == c.RatchetKey {
				ch.Skipped = append(ch.Skipped, vzpickle.SkippedKey{Key: k.Key, Index: uint64(k.Index)})
			}
		}
		if len(ch.Skipped) > vzpickle.MaxSkippedKeysPerChain {
			ch.Skipped = ch.Skipped[:vzpickle.MaxSkippedKeysPerChain] // unreachable: newt keeps 40 in all
		}
		if m != nil && !m.descendingFor(c.RatchetKey) {
			// vodozemac's own order: oldest (lowest index) first.
			slices.Reverse(ch.Skipped)
		}
	}
	if m != nil && !m.newestFirst {
		slices.Reverse(chains)
	}
	p.Chains = chains

	// The sending ratchet.
	r := &p.Sending
	r.RootKey = st.RootKey
	if st.HasSender {
		r.Active = true
		r.RatchetKey = st.SenderKey
		r.ChainKey = st.SenderChainKey
		r.ChainIndex = uint64(st.SenderIndex)
		switch {
		case m != nil && m.active && m.senderPub == st.SenderPublicKey():
			r.RatchetCount, r.HasParent, r.ParentRatchetKey = m.sendCount, m.hasParent, m.parent
		case m != nil && len(st.Receivers) > 0:
			// A chain newt started after the pickle was read: its
			// parent is the newest receiving chain.
			r.HasParent, r.ParentRatchetKey = true, st.Receivers[0].RatchetKey
			if counts[0].Known {
				r.RatchetCount = vzpickle.RatchetCount{Known: true, N: counts[0].N + 1}
			}
		}
	} else if len(st.Receivers) > 0 {
		r.RatchetKey = st.Receivers[0].RatchetKey
		switch {
		case m != nil && !m.active && m.countKnownFor(st.Receivers[0].RatchetKey):
			r.RatchetCount = m.inactive
		case m != nil:
			r.RatchetCount = counts[0]
		}
	}
	return p
}

// count returns the recorded count of the chain with ratchet key key.
func (m *vzMeta) count(key [32]byte) (vzpickle.RatchetCount, bool) {
	if m == nil {
		return vzpickle.RatchetCount{}, false
	}
	c, ok := m.counts[key]
	return c, ok
}

// descendingFor reports whether the skipped keys of the chain with ratchet
// key key are written newest first.
func (m *vzMeta) descendingFor(key [32]byte) bool {
	if d, ok := m.descending[key]; ok {
		return d
	}
	return m.newestFirst
}

// countKnownFor reports whether the inactive count read belongs to the
// chain with key (the newest chain when the pickle was read).
func (m *vzMeta) countKnownFor(key [32]byte) bool {
	_, ok := m.counts[key]
	return ok && m.senderPub == key
}

// SessionFromPickleJSON reads vodozemac's SessionPickle JSON (as
// matrix-sdk-crypto stores it in its PickledSession record, member
// "pickle"). Malformed JSON, unknown members or variants and wrong lengths
// give an error matching [ErrCorruptedPickle]; state libolm's session cannot hold gives
// [ErrNotRepresentable]: a chain or message index above 2³²−1, or more
// skipped message keys in all than libolm's 40 (vodozemac keeps 40 per
// chain). Nothing is truncated.
//
// The session config ("config", version 1 when absent) is kept.
//
// The session counts as having received a message when it has a receiving
// chain (vodozemac's rule). [Session.CreatedUsingFallbackKey] is false:
// vodozemac's pickle does not record it.
func SessionFromPickleJSON(b []byte) (*Session, error) {
	p, err := vzpickle.ParseSession(b)
	if err != nil {
		return nil, vzError(err)
	}
	defer p.Clear()
	return sessionFromVodozemac(p)
}

func sessionFromVodozemac(p *vzpickle.Session) (*Session, error) {
	m := &vzMeta{
		counts:     make(map[[32]byte]vzpickle.RatchetCount, len(p.Chains)),
		descending: make(map[[32]byte]bool, len(p.Chains)),
	}
	var st ratchetstate.State
	defer st.Clear()
	st.RootKey = p.Sending.RootKey
	st.Version2 = p.Version == vzpickle.Version2

	// The newest chain: the one the sending ratchet was derived from.
	newest := -1
	var newestKey [32]byte
	switch {
	case !p.Sending.Active:
		newestKey = p.Sending.RatchetKey
	case p.Sending.HasParent:
		newestKey = p.Sending.ParentRatchetKey
	}
	for i := range p.Chains {
		if (!p.Sending.Active || p.Sending.HasParent) && p.Chains[i].RatchetKey == newestKey {
			newest = i
		}
	}
	switch {
	case p.Sending.Active && !p.Sending.HasParent:
		// Migrated from libolm (vodozemac's own first chain has no
		// receiving chain yet): libolm's order.
		m.newestFirst = true
	case len(p.Chains) > 1 && newest == 0:
		m.newestFirst = true
	}
	if !p.Sending.Active && newest < 0 {
		return nil, notRepresentable("an inactive sending ratchet without the receiving chain of its key")
	}

	// Receiving chains, newest first.
	order := make([]int, len(p.Chains))
	for i := range order {
		if m.newestFirst {
			order[i] = i
		} else {
			order[i] = len(p.Chains) - 1 - i
		}
	}
	if newest >= 0 {
		// The chain the sending ratchet belongs to must come first.
		j := slices.Index(order, newest)
		copy(order[1:j+1], order[:j])
		order[0] = newest
	}
	// Sized up front, so that no copy of a secret is left behind by append.
	total := 0
	for i := range p.Chains {
		total += len(p.Chains[i].Skipped)
	}
	st.Receivers = make([]ratchetstate.ReceiverState, 0, len(p.Chains))
	st.Skipped = make([]ratchetstate.SkippedState, 0, min(total, ratchet.MaxSkippedMessageKeys))
	total = 0
	for _, i := range order {
		c := &p.Chains[i]
		if c.ChainIndex > math.MaxUint32 {
			return nil, notRepresentable("receiving chain index above 2^32-1")
		}
		st.Receivers = append(st.Receivers, ratchetstate.ReceiverState{RatchetKey: c.RatchetKey, ChainKey: c.ChainKey, Index: uint32(c.ChainIndex)})
		m.counts[c.RatchetKey] = c.RatchetCount
		if len(c.Skipped) > 1 {
			m.descending[c.RatchetKey] = c.Skipped[0].Index > c.Skipped[1].Index
		}
		total += len(c.Skipped)
		if total > ratchet.MaxSkippedMessageKeys {
			return nil, notRepresentable("more than 40 skipped message keys in all")
		}
		// Skipped keys newest (highest index) first, sorted in place: p is
		// ours, and the caller clears it.
		slices.SortStableFunc(c.Skipped, func(x, y vzpickle.SkippedKey) int { return cmp.Compare(y.Index, x.Index) })
		for _, k := range c.Skipped {
			if k.Index > math.MaxUint32 {
				return nil, notRepresentable("skipped message index above 2^32-1")
			}
			st.Skipped = append(st.Skipped, ratchetstate.SkippedState{RatchetKey: c.RatchetKey, Key: k.Key, Index: uint32(k.Index)})
		}
	}

	if p.Sending.Active {
		if p.Sending.ChainIndex > math.MaxUint32 {
			return nil, notRepresentable("sending chain index above 2^32-1")
		}
		st.HasSender = true
		st.SenderKey = p.Sending.RatchetKey
		st.SenderChainKey = p.Sending.ChainKey
		st.SenderIndex = uint32(p.Sending.ChainIndex)
		m.active = true
		m.senderPub = st.SenderPublicKey()
		m.sendCount = p.Sending.RatchetCount
		m.hasParent, m.parent = p.Sending.HasParent, p.Sending.ParentRatchetKey
	} else {
		m.inactive = p.Sending.RatchetCount
		m.senderPub = p.Sending.RatchetKey // the chain the count belongs to
	}
	nr, err := ratchetstate.New(&st)
	if err != nil {
		return nil, &pickleError{msg: "olm: corrupted pickle: a session without any chain", kind: ErrCorruptedPickle}
	}
	return &Session{
		aliceIdentityKey: p.IdentityKey,
		aliceBaseKey:     p.BaseKey,
		bobOneTimeKey:    p.OneTimeKey,
		receivedMessage:  len(p.Chains) > 0,
		ratchet:          nr.(*ratchet.Ratchet),
		vz:               m,
	}, nil
}

// VodozemacPickle returns the session in vodozemac's encrypted pickle form
// (SessionPickle::encrypt). It fails only with [ErrPickleKeySize].
func (s *Session) VodozemacPickle(key []byte) (string, error) {
	s.mu.Lock()
	p := s.vodozemacPickle()
	s.mu.Unlock()
	return vzErrors.Seal(key, p)
}

// SessionFromVodozemacPickle decrypts and reads vodozemac's encrypted
// pickle form. A wrong key or a modified pickle gives [ErrBadPickleKey];
// the other errors are those of [SessionFromPickleJSON].
func SessionFromVodozemacPickle(p string, key []byte) (*Session, error) {
	return vzpickle.Open(&vzErrors, key, p, SessionFromPickleJSON)
}
