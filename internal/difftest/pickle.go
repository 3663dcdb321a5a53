// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package difftest

import (
	"github.com/newt-e2ee/newt/megolm"
	"github.com/newt-e2ee/newt/olm"
)

// pickled is one object that both libraries pickle: the functions to
// pickle it on either side and to load a pickle into either side (keeping
// the loaded object in place of the old one if keep is set, freeing it
// otherwise). A load returns the loaded object's own pickle.
type pickled struct {
	what     string
	newt     func(key []byte) string
	append   func(dst, key []byte) []byte
	peer     func(key []byte) (string, error)
	loadNewt func(p string, key []byte, keep bool) (string, error)
	loadPeer func(p string, key []byte, keep bool) (string, error)
	check    func()
}

// pickleTarget picks an object: an account, an Olm session, a Megolm
// outbound or inbound session.
func (c *run) pickleTarget() *pickled {
	kind := c.prog.intn(4)
	sessions := c.allSessions()
	if kind == 1 && len(sessions) > 0 {
		return c.sessionPickled(sessions[c.pick(len(sessions))])
	}
	if kind == 2 && len(c.groups) > 0 {
		return c.groupPickled(c.groups[c.pick(len(c.groups))])
	}
	if kind == 3 && len(c.inbound) > 0 {
		return c.inboundPickled(c.inbound[c.pick(len(c.inbound))])
	}
	return c.accountPickled(c.pickParty())
}

func (c *run) accountPickled(p *party) *pickled {
	return &pickled{
		what:     p.name + "'s account",
		newt:     p.acct.Pickle,
		append:   p.acct.AppendPickle,
		peer:     p.peer.Pickle,
		loadNewt: newtLoader(olm.AccountFromPickle, &p.acct, c.key),
		loadPeer: peerLoader(c.peer.AccountFromPickle, &p.peer, c.key),
		check:    func() { c.checkAccount(p) },
	}
}

func (c *run) sessionPickled(s *olmSession) *pickled {
	return &pickled{
		what:     s.owner.name + "'s session " + s.id,
		newt:     s.s.Pickle,
		append:   s.s.AppendPickle,
		peer:     s.p.Pickle,
		loadNewt: newtLoader(olm.SessionFromPickle, &s.s, c.key),
		loadPeer: peerLoader(c.peer.SessionFromPickle, &s.p, c.key),
		check:    func() { c.checkSession(s) },
	}
}

func (c *run) groupPickled(g *group) *pickled {
	return &pickled{
		what:     g.owner.name + "'s group session " + g.id,
		newt:     g.s.Pickle,
		append:   g.s.AppendPickle,
		peer:     g.p.Pickle,
		loadNewt: newtLoader(megolm.GroupSessionFromPickle, &g.s, c.key),
		loadPeer: peerLoader(c.peer.GroupSessionFromPickle, &g.p, c.key),
		check:    func() { c.checkGroup(g) },
	}
}

func (c *run) inboundPickled(in *inbound) *pickled {
	return &pickled{
		what:     in.holder.name + "'s inbound session " + in.id,
		newt:     in.s.Pickle,
		append:   in.s.AppendPickle,
		peer:     in.p.Pickle,
		loadNewt: newtLoader(megolm.InboundGroupSessionFromPickle, &in.s, c.key),
		loadPeer: peerLoader(c.peer.InboundGroupSessionFromPickle, &in.p, c.key),
		check:    func() { c.checkInbound(in) },
	}
}

// newtLoader is a pickled.loadNewt: it loads a pickle with from, keeps the
// loaded object in *dst if asked, and returns its pickle under runKey.
func newtLoader[T interface{ Pickle(key []byte) string }](from func(p string, key []byte) (T, error), dst *T, runKey []byte) func(string, []byte, bool) (string, error) {
	return func(p string, key []byte, keep bool) (string, error) {
		n, err := from(p, key)
		if err != nil {
			return "", err
		}
		if keep {
			*dst = n
		}
		return n.Pickle(runKey), nil
	}
}

// peerLoader is a pickled.loadPeer: newtLoader for the peer's objects, which
// may hold memory to free (the one replaced, or the one not kept).
func peerLoader[T interface {
	Pickle(key []byte) (string, error)
}](from func(p string, key []byte) (T, error), dst *T, runKey []byte) func(string, []byte, bool) (string, error) {
	return func(p string, key []byte, keep bool) (string, error) {
		n, err := from(p, key)
		if err != nil {
			return "", err
		}
		out, err := n.Pickle(runKey)
		if keep {
			free(*dst)
			*dst = n
		} else {
			free(n)
		}
		return out, err
	}
}

// pickle round-trips an object through pickles: each library its own, or
// each the other's.
func (c *run) pickle() {
	o := c.pickleTarget()
	np := o.newt(c.key)
	if c.prog.chance(4) {
		c.same(o.what+": AppendPickle", string(o.append([]byte("x"), c.key)[1:]), np)
	}
	pp, err := o.peer(c.key)
	if err != nil {
		c.fatalf("%s: peer pickle: %v", o.what, err)
	}
	mode := c.prog.intn(4)
	c.logf("%s: pickle mode %d", o.what, mode)
	load := func(into string, f func(string, []byte, bool) (string, error), p string) {
		if _, err := f(p, c.key, true); err != nil {
			c.fatalf("%s: %s cannot load the pickle: %v", o.what, into, err)
		}
	}
	switch mode {
	case 0:
		load("newt", o.loadNewt, np)
		load("the peer", o.loadPeer, pp)
	case 1:
		load("newt", o.loadNewt, pp)
	case 2:
		load("the peer", o.loadPeer, np)
	default:
		load("newt", o.loadNewt, pp)
		load("the peer", o.loadPeer, np)
	}
	o.check()
}

// badPickle loads a damaged pickle, or a pickle with the wrong key, on both
// sides: both must refuse it, or agree on what they loaded.
func (c *run) badPickle() {
	o := c.pickleTarget()
	p, key := o.newt(c.key), c.key
	kind := "wrong key"
	switch c.prog.intn(3) {
	case 0:
		key = append([]byte(nil), key...)
		if len(key) > 0 && c.prog.chance(2) {
			key[c.prog.intn(len(key))] ^= 1 << c.prog.intn(8)
		} else {
			key = append(key, byte(c.prog.intn(256)))
		}
	default:
		p, kind, _, _ = c.mangle(p, -1)
	}
	c.logf("%s: bad pickle (%s)", o.what, kind)
	got, err := o.loadNewt(p, key, false)
	pgot, perr := o.loadPeer(p, key, false)
	var reasons []Difference
	if !canonicalBase64(p) {
		reasons = append(reasons, StrictBase64)
	}
	if c.outcome("load a bad pickle: "+o.what+" ("+kind+")", err, perr, reasons, nil) {
		c.same(o.what+": pickle of what the bad pickle loaded", got, pgot)
	}
}
