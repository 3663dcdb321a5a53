// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package difftest

import (
	"bytes"
	"encoding/base64"
	"fmt"

	"github.com/newt-e2ee/newt/megolm"
)

// Layout of the decoded Megolm key formats (libolm's session_key and
// export): version, index, R (128), signing key (32) [, signature (64)].
const (
	sessionKeyLen   = 1 + 4 + megolm.RatchetSize + 32 + 64
	exportedKeyLen  = 1 + 4 + megolm.RatchetSize + 32
	signingKeyStart = 1 + 4 + megolm.RatchetSize
)

func (c *run) groupCreate() {
	if len(c.groups) >= maxGroups {
		free(c.groups[0].p)
		c.groups = c.groups[1:]
	}
	p := c.pickParty()
	random := c.prog.random(160)
	var s *megolm.GroupSession
	used, over := WithRandom(random, func() { s = megolm.GenerateGroupSession() })
	c.randomUse("GenerateGroupSession", used, over, len(random))
	ps, err := c.peer.NewGroupSession(random)
	if err != nil {
		c.fatalf("peer NewGroupSession: %v", err)
	}
	g := &group{owner: p, s: s, p: ps, id: s.ID()}
	c.groups = append(c.groups, g)
	c.logf("%s's room session %s", p.name, g.id)
	c.checkGroup(g)
}

func (c *run) pickGroup() *group {
	if len(c.groups) == 0 {
		c.groupCreate()
	}
	return c.groups[c.pick(len(c.groups))]
}

// groupShare gives a party an inbound session from an outbound session's
// key, now and then tampered with.
func (c *run) groupShare() {
	g := c.pickGroup()
	key := g.s.SessionKey().Base64()
	pkey, err := g.p.SessionKey()
	if err != nil {
		c.fatalf("peer SessionKey: %v", err)
	}
	c.same("session key", key, pkey)
	if c.prog.chance(6) {
		key = c.tamperKey(key, false)
	}
	c.addInbound(c.pickParty(), key, false)
}

// tamperKey tampers with a session key or export.
func (c *run) tamperKey(key string, exported bool) string {
	raw, _ := base64.RawStdEncoding.DecodeString(key)
	if c.prog.chance(4) && len(raw) >= signingKeyStart+32 {
		// A signing key strict verification refuses: small order, or
		// non-canonical.
		weak := [][]byte{
			{1}, // the identity point
			append(bytes.Repeat([]byte{0xff}, 31), 0x7f),                          // y = 2^255-1, not canonical
			append([]byte{0xec}, append(bytes.Repeat([]byte{0xff}, 30), 0x7f)...), // y = p-1: order 2
		}[c.prog.intn(3)]
		k := make([]byte, 32)
		copy(k, weak)
		copy(raw[signingKeyStart:], k)
		c.logf("weak signing key")
		return base64.RawStdEncoding.EncodeToString(raw)
	}
	sig := -1
	if !exported {
		sig = sessionKeyLen - 64
	}
	out, kind, _, _ := c.mangle(key, sig)
	c.logf("tampered key (%s)", kind)
	return out
}

// keyReasons lists the differences that may explain a disagreement over a
// session key or export.
func keyReasons(key string, exported bool) []Difference {
	var r []Difference
	raw, _ := lenientBase64(key)
	wantLen, version := sessionKeyLen, byte(2)
	if exported {
		wantLen, version = exportedKeyLen, 1
	}
	if !canonicalBase64(key) && len(raw) == wantLen && raw[0] == version {
		r = append(r, StrictBase64)
	}
	if len(raw) >= signingKeyStart+32 && weakSigningKey(raw[signingKeyStart:signingKeyStart+32]) {
		r = append(r, StrictSigningKey)
	}
	if !exported && len(raw) >= sessionKeyLen && unreducedS(raw[sessionKeyLen-64:sessionKeyLen]) {
		r = append(r, StrictSignature)
	}
	return r
}

// addInbound creates an inbound session at q from a session key or export.
func (c *run) addInbound(q *party, key string, exported bool) {
	var s *megolm.InboundGroupSession
	var err error
	var ps InboundGroupSession
	var perr error
	if exported {
		var k *megolm.ExportedSessionKey
		if k, err = megolm.ParseExportedSessionKey(key); err == nil {
			s, err = megolm.ImportInboundGroupSession(k)
		}
		ps, perr = c.peer.ImportInboundGroupSession(key)
	} else {
		var k *megolm.SessionKey
		if k, err = megolm.ParseSessionKey(key); err == nil {
			s, err = megolm.NewInboundGroupSession(k)
		}
		ps, perr = c.peer.NewInboundGroupSession(key)
	}
	if !c.outcome("inbound group session", err, perr, keyReasons(key, exported), nil) {
		free(ps)
		return
	}
	if len(c.inbound) >= maxInbound {
		free(c.inbound[0].p)
		c.inbound = c.inbound[1:]
	}
	in := &inbound{holder: q, s: s, p: ps, id: s.ID()}
	c.inbound = append(c.inbound, in)
	c.checkInbound(in)
}

func (c *run) groupEncrypt() {
	g := c.pickGroup()
	burst := 1
	if c.prog.chance(8) {
		burst = 1 + c.prog.intn(maxBurst)
	}
	for range burst {
		pt := c.plaintext()
		index := g.s.MessageIndex()
		before := g.s.Pickle(c.key)
		var body string
		switch c.prog.intn(3) {
		case 0:
			body = g.s.EncryptBase64(pt)
		case 1:
			body = g.s.Encrypt(pt).Base64()
		default:
			b := g.s.AppendEncryptBase64([]byte("prefix"), pt)
			if string(b[:6]) != "prefix" {
				c.fatalf("AppendEncryptBase64 changed dst")
			}
			body = string(b[6:])
		}
		pbody, err := g.p.Encrypt(pt)
		if err != nil {
			var reasons []Difference
			if len(pt) == 0 {
				reasons = append(reasons, EmptyInput)
			}
			c.outcome("group encrypt", nil, err, nil, reasons)
			if g.s, err = megolm.GroupSessionFromPickle(before, c.key); err != nil {
				c.fatalf("newt cannot load its own group session pickle: %v", err)
			}
			continue
		}
		c.same("group message", body, pbody)
		if len(c.gmsgs) >= maxGroupMessages {
			c.gmsgs = c.gmsgs[1:]
		}
		c.gmsgs = append(c.gmsgs, &groupMsg{session: g.id, body: body, pt: pt, index: index})
	}
	c.checkGroup(g)
}

// pickGroupMessage picks a message, usually one of in's session.
func (c *run) pickGroupMessage(in *inbound) *groupMsg {
	if len(c.gmsgs) == 0 {
		return nil
	}
	if !c.prog.chance(4) {
		var own []*groupMsg
		for _, m := range c.gmsgs {
			if m.session == in.id {
				own = append(own, m)
			}
		}
		if len(own) > 0 {
			return own[c.pick(len(own))]
		}
	}
	return c.gmsgs[c.pick(len(c.gmsgs))]
}

func (c *run) groupDecrypt() {
	if len(c.inbound) == 0 {
		c.groupShare()
		return
	}
	in := c.inbound[c.pick(len(c.inbound))]
	m := c.pickGroupMessage(in)
	if m == nil {
		c.groupEncrypt()
		return
	}
	c.decryptGroup(in, m.body, m, false)
}

func (c *run) groupTamper() {
	if len(c.inbound) == 0 || len(c.gmsgs) == 0 {
		c.groupDecrypt()
		return
	}
	in := c.inbound[c.pick(len(c.inbound))]
	m := c.pickGroupMessage(in)
	raw, _ := base64.RawStdEncoding.DecodeString(m.body)
	body, kind, _, _ := c.mangle(m.body, len(raw)-64)
	c.logf("tampered group message (%s)", kind)
	c.decryptGroup(in, body, m, true)
}

// decryptGroup decrypts body with in on both sides; m is the message body
// came from (tampered with if tampered).
func (c *run) decryptGroup(in *inbound, body string, m *groupMsg, tampered bool) {
	before := in.s.Pickle(c.key)
	pbefore, err := in.p.Pickle(c.key)
	if err != nil {
		c.fatalf("peer inbound pickle: %v", err)
	}
	ppt, pindex, perr := in.p.Decrypt(body)
	var pt []byte
	var index uint32
	switch c.prog.intn(3) {
	case 0:
		pt, index, err = in.s.DecryptBase64(body)
	case 1:
		var msg *megolm.Message
		if msg, err = megolm.ParseMessage(body); err == nil {
			pt, index, err = in.s.Decrypt(msg)
		}
	default:
		if pt, index, err = in.s.AppendDecryptBase64([]byte("prefix"), body); err == nil {
			if !bytes.HasPrefix(pt, []byte("prefix")) {
				c.fatalf("AppendDecryptBase64 changed dst")
			}
			pt = pt[6:]
		}
	}
	if err != nil && in.s.Pickle(c.key) != before {
		c.fatalf("group decrypt failed (%v) and changed the session", err)
	}
	var reasons []Difference
	if !canonicalBase64(body) {
		reasons = append(reasons, StrictBase64)
	}
	if raw, ok := lenientBase64(body); ok && len(raw) >= 64 && unreducedS(raw[len(raw)-64:]) {
		reasons = append(reasons, StrictSignature)
	}
	if _, perr := megolm.ParseMessage(body); tampered && perr != nil {
		reasons = append(reasons, StrictMessageDecoding)
	}
	if c.outcome("group decrypt", err, perr, reasons, nil) {
		c.same("group plaintext", pt, ppt)
		c.same("group message index", index, pindex)
		if !tampered && m.session == in.id {
			c.same("group plaintext (sent)", pt, m.pt)
			c.same("group message index (sent)", index, m.index)
		}
	} else {
		c.rollBackPeer("group decrypt", err, perr, in.p, pbefore, func(p string) { c.restoreInbound(in, p) })
	}
	c.checkInbound(in)
}

func (c *run) restoreInbound(in *inbound, p string) {
	ps, err := c.peer.InboundGroupSessionFromPickle(p, c.key)
	if err != nil {
		c.fatalf("peer cannot load its own inbound pickle: %v", err)
	}
	free(in.p)
	in.p = ps
}

// groupExport exports an inbound session at some index and imports the
// export at a party, now and then tampered with.
func (c *run) groupExport() {
	if len(c.inbound) == 0 {
		c.groupShare()
		return
	}
	in := c.inbound[c.pick(len(c.inbound))]
	first := in.s.FirstKnownIndex()
	var index uint32
	switch c.prog.intn(6) {
	case 0:
		index = first
	case 1:
		index = first + uint32(c.prog.intn(8))
	case 2:
		index = first - 1 - uint32(c.prog.intn(4))
	case 3:
		index = first + 1<<c.prog.intn(25)
	case 4:
		index = 0xffffffff - uint32(c.prog.intn(4))
	default:
		if m := c.pickGroupMessage(in); m != nil {
			index = m.index
		}
	}
	pbefore, err := in.p.Pickle(c.key)
	if err != nil {
		c.fatalf("peer inbound pickle: %v", err)
	}
	exp, err := in.s.Export(index)
	pexp, perr := in.p.Export(index)
	if after, _ := in.p.Pickle(c.key); after != pbefore {
		if perr == nil {
			c.disagree("the peer's export changed its session", nil, ExportKeepsSession)
		} else {
			c.disagree(fmt.Sprintf("the peer's export failed (%v) and changed its session", perr), nil, FailureKeepsState)
		}
		c.restoreInbound(in, pbefore)
	}
	c.checkInbound(in)
	if !c.outcome("export", err, perr, nil, nil) {
		return
	}
	key := exp.Base64()
	c.same("export", key, pexp)
	if c.prog.chance(6) {
		key = c.tamperKey(key, true)
	}
	c.addInbound(c.pickParty(), key, true)
}

func (c *run) checkGroup(g *group) {
	c.t.Helper()
	what := g.owner.name + "'s group session " + g.id
	pp, err := g.p.Pickle(c.key)
	if err != nil {
		c.fatalf("%s: peer pickle: %v", what, err)
	}
	c.same(what+": pickle", g.s.Pickle(c.key), pp)
	c.same(what+": ID", g.s.ID(), g.p.ID())
	c.same(what+": index", g.s.MessageIndex(), g.p.MessageIndex())
	pk, err := g.p.SessionKey()
	if err != nil {
		c.fatalf("%s: peer session key: %v", what, err)
	}
	c.same(what+": session key", g.s.SessionKey().Base64(), pk)
}

func (c *run) checkInbound(in *inbound) {
	c.t.Helper()
	what := in.holder.name + "'s inbound session " + in.id
	pp, err := in.p.Pickle(c.key)
	if err != nil {
		c.fatalf("%s: peer pickle: %v", what, err)
	}
	c.same(what+": pickle", in.s.Pickle(c.key), pp)
	c.same(what+": ID", in.s.ID(), in.p.ID())
	c.same(what+": first known index", in.s.FirstKnownIndex(), in.p.FirstKnownIndex())
	c.same(what+": verified", in.s.IsVerified(), in.p.IsVerified())
}
