// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package difftest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/olm"
)

// Account operations.

func (c *run) newAccount() {
	if len(c.parties) >= maxParties {
		c.checkAccount(c.pickParty())
		return
	}
	random := c.prog.random(olm.AccountRandomSize)
	var a *olm.Account
	used, over := WithRandom(random, func() { a = olm.GenerateAccount() })
	c.randomUse("GenerateAccount", used, over, len(random))
	pa, err := c.peer.NewAccount(random)
	if err != nil {
		c.fatalf("peer NewAccount: %v", err)
	}
	p := &party{name: string(rune('A' + len(c.parties))), acct: a, peer: pa}
	ik := a.IdentityKeys()
	p.curve, p.ed = ik.Curve25519.String(), ik.Ed25519.String()
	c.parties = append(c.parties, p)
	c.logf("%s is %s", p.name, p.curve)
	c.checkAccount(p)
}

// peerAccountCopy loads a copy of p's peer account from its pickle.
func (c *run) peerAccountCopy(p *party) Account {
	pp, err := p.peer.Pickle(c.key)
	if err != nil {
		c.fatalf("peer account pickle: %v", err)
	}
	a, err := c.peer.AccountFromPickle(pp, c.key)
	if err != nil {
		c.fatalf("peer cannot load its own account pickle: %v", err)
	}
	return a
}

func (c *run) generateOneTimeKeys() {
	p := c.pickParty()
	n := c.prog.intn(9)
	switch c.prog.intn(64) {
	case 0:
		n = olm.MaxOneTimeKeys - 5 + c.prog.intn(10)
	case 1:
		n = olm.MaxOneTimeKeys + 1 + c.prog.intn(maxOneTimeKeysCall-olm.MaxOneTimeKeys)
	}
	c.generateOneTimeKeysFor(p, n)
}

func (c *run) generateOneTimeKeysFor(p *party, n int) {
	c.logf("%s: %d one-time keys", p.name, n)
	random := c.prog.random(32 * n)
	// libolm generates all n keys and keeps the last MaxOneTimeKeys; newt
	// either refuses n > MaxOneTimeKeys or generates only the keys libolm
	// keeps, from their random bytes.
	kept := random[32*(n-min(n, olm.MaxOneTimeKeys)):]
	var err error
	before := p.acct.Pickle(c.key)
	used, over := WithRandom(kept, func() { _, err = p.acct.GenerateOneTimeKeys(n) })
	if err != nil {
		if used != 0 || over {
			c.fatalf("GenerateOneTimeKeys(%d) read randomness, then failed: %v", n, err)
		}
		if p.acct.Pickle(c.key) != before {
			c.fatalf("GenerateOneTimeKeys(%d) failed and changed the account", n)
		}
		// A difference only if the peer generates them: try on a copy.
		cp := c.peerAccountCopy(p)
		perr := cp.GenerateOneTimeKeys(n, random)
		free(cp)
		var reasons []Difference
		if n > olm.MaxOneTimeKeys {
			reasons = append(reasons, OneTimeKeyCount)
		}
		c.outcome("generate one-time keys", err, perr, reasons, nil)
		return
	}
	c.randomUse("GenerateOneTimeKeys", used, over, len(kept))
	if perr := p.peer.GenerateOneTimeKeys(n, random); perr != nil {
		c.fatalf("peer GenerateOneTimeKeys(%d): %v; newt generated them", n, perr)
	}
	c.checkAccount(p)
}

func (c *run) generateFallbackKey() {
	p := c.pickParty()
	random := c.prog.random(32)
	used, over := WithRandom(random, func() { p.acct.GenerateFallbackKey() })
	c.randomUse("GenerateFallbackKey", used, over, len(random))
	if err := p.peer.GenerateFallbackKey(random); err != nil {
		c.fatalf("peer GenerateFallbackKey: %v", err)
	}
	c.checkAccount(p)
}

// publish marks p's keys as published; they become claimable.
func (c *run) publish() {
	p := c.pickParty()
	for _, k := range p.acct.OneTimeKeys() {
		p.claim = append(p.claim, k.Key.String())
	}
	if len(p.claim) > 2*olm.MaxOneTimeKeys {
		p.claim = p.claim[len(p.claim)-2*olm.MaxOneTimeKeys:]
	}
	if k, ok := p.acct.UnpublishedFallbackKey(); ok {
		p.prevFallback, p.fallback = p.fallback, k.Key.String()
	}
	n := p.acct.MarkKeysAsPublished()
	if pn := p.peer.MarkKeysAsPublished(); pn >= 0 {
		c.same("number of keys marked as published", n, pn)
	}
	c.checkAccount(p)
}

func (c *run) forgetOldFallbackKey() {
	p := c.pickParty()
	p.acct.ForgetOldFallbackKey()
	p.peer.ForgetOldFallbackKey()
	c.checkAccount(p)
}

func (c *run) sign() {
	p := c.pickParty()
	msg := c.prog.random(c.prog.intn(100))
	sig, err := p.peer.Sign(msg)
	var reasons []Difference
	if len(msg) == 0 {
		reasons = append(reasons, EmptyInput)
	}
	if c.outcome("sign", nil, err, nil, reasons) {
		c.same("signature", p.acct.Sign(msg).String(), sig)
	}
	if len(p.acct.OneTimeKeys()) <= 8 {
		c.checkSignedKeys(p)
	}
}

func keyMap(keys ...olm.OneTimeKey) map[string]string {
	m := map[string]string{}
	for _, k := range keys {
		m[k.ID.String()] = k.Key.String()
	}
	return m
}

func optionalKey(k olm.OneTimeKey, ok bool) map[string]string {
	if !ok {
		return map[string]string{}
	}
	return keyMap(k)
}

// checkAccount compares the two libraries' views of p's account.
func (c *run) checkAccount(p *party) {
	c.t.Helper()
	pp, err := p.peer.Pickle(c.key)
	if err != nil {
		c.fatalf("%s: peer account pickle: %v", p.name, err)
	}
	c.same(p.name+": account pickle", p.acct.Pickle(c.key), pp)
	curve, ed := p.peer.IdentityKeys()
	c.same(p.name+": identity keys", []string{p.curve, p.ed}, []string{curve, ed})
	c.same(p.name+": one-time keys", keyMap(p.acct.OneTimeKeys()...), p.peer.OneTimeKeys())
	c.same(p.name+": fallback key", optionalKey(p.acct.FallbackKey()), p.peer.FallbackKey())
	c.same(p.name+": unpublished fallback key", optionalKey(p.acct.UnpublishedFallbackKey()), p.peer.UnpublishedFallbackKey())
	if j, ok := p.peer.(JSONAccount); ok {
		c.same(p.name+": identity keys JSON", string(p.acct.IdentityKeysJSON()), j.IdentityKeysJSON())
		c.same(p.name+": one-time keys JSON", string(p.acct.OneTimeKeysJSON()), j.OneTimeKeysJSON())
		c.same(p.name+": fallback key JSON", string(p.acct.FallbackKeyJSON()), j.FallbackKeyJSON())
		c.same(p.name+": unpublished fallback key JSON", string(p.acct.UnpublishedFallbackKeyJSON()), j.UnpublishedFallbackKeyJSON())
	}
}

// checkSignedKeys checks newt's /keys/upload objects against the peer: each
// signature must be the peer's signature of the object's canonical JSON
// without "signatures", written out here by hand.
func (c *run) checkSignedKeys(p *party) {
	c.t.Helper()
	const user, device = "@alice:example.org", "DEVICE"
	type keyObject struct {
		Fallback   bool                         `json:"fallback"`
		Key        string                       `json:"key"`
		Signatures map[string]map[string]string `json:"signatures"`
	}
	for _, fallback := range []bool{false, true} {
		var text []byte
		var err error
		var keys map[string]string
		if fallback {
			text, err = p.acct.SignedFallbackKeyJSON(user, device)
			keys = p.peer.UnpublishedFallbackKey()
		} else {
			text, err = p.acct.SignedOneTimeKeysJSON(user, device)
			keys = p.peer.OneTimeKeys()
		}
		var objs map[string]keyObject
		if err := errors.Join(err, json.Unmarshal(text, &objs)); err != nil {
			c.fatalf("%s: signed keys: %v", p.name, err)
		}
		if len(objs) != len(keys) {
			c.fatalf("%s: %d signed keys, the peer has %d unpublished", p.name, len(objs), len(keys))
		}
		for id, key := range keys {
			obj, ok := objs["signed_curve25519:"+id]
			if !ok || obj.Key != key || obj.Fallback != fallback {
				c.fatalf("%s: signed key %s = %+v, the peer has %s", p.name, id, obj, key)
			}
			signed := `{"key":"` + key + `"}`
			if fallback {
				signed = `{"fallback":true,"key":"` + key + `"}`
			}
			if got, want := obj.Signatures[user]["ed25519:"+device], c.peerSign(p, signed); got != want {
				c.fatalf("%s: signature of key %s is %s, the peer signs %s", p.name, id, got, want)
			}
		}
	}
	unsigned := `{"algorithms":["m.olm.v1.curve25519-aes-sha2","m.megolm.v1.aes-sha2"],"device_id":"DEVICE",` +
		`"keys":{"curve25519:DEVICE":"` + p.curve + `","ed25519:DEVICE":"` + p.ed + `"},"user_id":"@alice:example.org"}`
	want := unsigned[:len(unsigned)-len(`"user_id":"@alice:example.org"}`)] +
		`"signatures":{"@alice:example.org":{"ed25519:DEVICE":"` + c.peerSign(p, unsigned) + `"}},"user_id":"@alice:example.org"}`
	got, err := p.acct.DeviceKeysJSON(user, device)
	if err != nil || string(got) != want {
		c.fatalf("%s: device keys %s, %v; want %s", p.name, got, err, want)
	}
}

func (c *run) peerSign(p *party, msg string) string {
	sig, err := p.peer.Sign([]byte(msg))
	if err != nil {
		c.fatalf("%s: peer Sign: %v", p.name, err)
	}
	return sig
}

// Sessions.

func (c *run) otherParty(p *party) *party {
	if len(c.parties) == 1 {
		return p
	}
	i := c.pick(len(c.parties) - 1)
	if c.parties[i] == p {
		i = len(c.parties) - 1
	}
	return c.parties[i]
}

func randomKey(c *run) string { return base64.RawStdEncoding.EncodeToString(c.prog.random(32)) }

func (c *run) lowOrderKey() string {
	k := lowOrderCurve25519[c.pick(len(lowOrderCurve25519))]
	return base64.RawStdEncoding.EncodeToString(k[:])
}

// chooseKey picks the key p uses to reach q: usually a published one-time
// key (claimed from the "server"), sometimes the fallback key, an
// unpublished or already used key, a stranger's key or a low-order point.
// It returns "" when q has nothing to offer.
func (c *run) chooseKey(q *party) string {
	switch c.prog.intn(32) {
	case 8, 9:
		if q.fallback != "" {
			return q.fallback
		}
	case 10:
		if keys := q.acct.OneTimeKeys(); len(keys) > 0 {
			return keys[c.pick(len(keys))].Key.String()
		}
	case 11:
		if q.prevFallback != "" && c.prog.chance(2) {
			return q.prevFallback
		}
		if len(q.claimed) > 0 {
			return q.claimed[c.pick(len(q.claimed))]
		}
	case 12:
		return randomKey(c)
	case 13:
		return c.lowOrderKey()
	}
	if len(q.claim) > 0 {
		i := c.pick(len(q.claim))
		k := q.claim[i]
		q.claim = slices.Delete(q.claim, i, i+1)
		q.claimed = append(q.claimed, k)
		if len(q.claimed) > olm.MaxOneTimeKeys {
			q.claimed = q.claimed[1:]
		}
		return k
	}
	if q.fallback != "" {
		return q.fallback
	}
	if keys := q.acct.OneTimeKeys(); len(keys) > 0 {
		return keys[c.pick(len(keys))].Key.String()
	}
	return ""
}

func (c *run) openSession() {
	p := c.pickParty()
	q := c.otherParty(p)
	identity := q.curve
	switch c.prog.intn(48) {
	case 0:
		identity = randomKey(c)
	case 1:
		identity = c.lowOrderKey()
	case 2:
		identity = c.otherParty(q).curve
	}
	otk := c.chooseKey(q)
	if otk == "" {
		c.generateOneTimeKeysFor(q, 1+c.prog.intn(4))
		if otk = c.chooseKey(q); otk == "" {
			c.logf("%s offers no key", q.name)
			return
		}
	}
	c.logf("%s -> %s with %s, %s", p.name, q.name, identity, otk)
	ik, err1 := newt.ParseCurve25519PublicKey(identity)
	ok, err2 := newt.ParseCurve25519PublicKey(otk)
	if err := errors.Join(err1, err2); err != nil {
		c.fatalf("parse: %v", err)
	}
	random := c.prog.random(olm.SessionRandomSize)
	var s *olm.Session
	var err error
	used, over := WithRandom(random, func() { s, err = p.acct.NewOutboundSession(ik, ok) })
	ps, perr := p.peer.NewOutboundSession(identity, otk, random)
	var reasons []Difference
	if isLowOrderCurve25519(identity) || isLowOrderCurve25519(otk) {
		reasons = append(reasons, LowOrderKey)
	}
	if !c.outcome("open session", err, perr, reasons, nil) {
		free(ps)
		c.checkAccount(p)
		return
	}
	c.randomUse("NewOutboundSession", used, over, len(random))
	if len(p.sessions) >= maxSessions {
		free(p.sessions[0].p)
		p.sessions = p.sessions[1:]
	}
	os := &olmSession{owner: p, with: q, s: s, p: ps, id: s.ID()}
	p.sessions = append(p.sessions, os)
	c.checkSession(os)
	c.checkAccount(p)
}

func (c *run) allSessions() []*olmSession {
	var all []*olmSession
	for _, p := range c.parties {
		all = append(all, p.sessions...)
	}
	return all
}

func (c *run) encrypt() {
	all := c.allSessions()
	if len(all) == 0 {
		c.openSession()
		return
	}
	s := all[c.pick(len(all))]
	burst := 1
	if c.prog.chance(8) {
		burst = 1 + c.prog.intn(maxBurst)
	}
	for range burst {
		if len(c.flight) >= maxInFlight || !c.encryptOne(s) {
			break
		}
	}
	c.checkSession(s)
}

// encryptOne encrypts one message with s on both sides and reports whether
// both succeeded. The caller compares the session afterwards.
func (c *run) encryptOne(s *olmSession) bool {
	pt := c.plaintext()
	random := c.prog.random(32)
	var typ olm.MessageType
	var body string
	var err error
	before := s.s.Pickle(c.key)
	via := c.prog.intn(3)
	used, over := WithRandom(random, func() {
		switch via {
		case 0:
			typ, body, err = s.s.EncryptBase64(pt)
		case 1:
			var m olm.EncryptedMessage
			if m, err = s.s.Encrypt(pt); err == nil {
				typ, body = m.Type(), m.Base64()
			}
		default:
			prefix := []byte("prefix")
			var b []byte
			typ, b, err = s.s.AppendEncryptBase64(prefix, pt)
			if err == nil {
				if string(b[:len(prefix)]) != "prefix" {
					c.fatalf("AppendEncryptBase64 changed dst")
				}
				body = string(b[len(prefix):])
			}
		}
	})
	ptyp, pbody, pused, perr := s.p.Encrypt(pt, random)
	var peerReasons []Difference
	if len(pt) == 0 {
		peerReasons = append(peerReasons, EmptyInput)
	}
	if !c.outcome("encrypt", err, perr, nil, peerReasons) {
		if err == nil {
			c.restoreNewtSession(s, before)
		}
		return false
	}
	c.randomUse("Encrypt", used, over, pused)
	c.same("message type", int(typ), ptyp)
	if body != pbody && typ == olm.MessageTypePreKey && samePreKey(body, pbody) {
		c.disagree("pre-key message written in another field order", nil, PreKeyFieldOrder)
		if c.prog.chance(2) {
			body = pbody
		}
	} else {
		c.same("message", body, pbody)
	}
	if len(c.flight) >= maxInFlight {
		c.flight = c.flight[1:]
	}
	c.flight = append(c.flight, &olmMsg{from: s.owner, to: s.with, senderKey: s.owner.curve,
		session: s.id, typ: int(typ), body: body, pt: pt})
	return true
}

func (c *run) deliver() {
	i := c.pick(len(c.flight))
	if i < 0 {
		c.encrypt()
		return
	}
	m := c.flight[i]
	c.flight = slices.Delete(c.flight, i, i+1)
	c.receive(m.to, m, false)
	if len(c.past) >= maxDelivered {
		c.past = c.past[1:]
	}
	c.past = append(c.past, m)
}

func (c *run) drop() {
	if i := c.pick(len(c.flight)); i >= 0 {
		c.flight = slices.Delete(c.flight, i, i+1)
	}
}

func (c *run) replay() {
	if i := c.pick(len(c.past)); i >= 0 {
		c.receive(c.past[i].to, c.past[i], false)
	}
}

// receive hands m to q. A pre-key message goes to the session it matches,
// or starts a new one; a normal message to the session with its ID (or, if
// q has none, to any). With direct, a pre-key message skips the matching
// and goes to the session with its ID too.
func (c *run) receive(q *party, m *olmMsg, direct bool) {
	c.logf("to %s: type %d %.40s...", q.name, m.typ, m.body)
	if m.typ != 1 && !direct {
		c.receivePreKey(q, m)
		return
	}
	var target *olmSession
	for _, s := range q.sessions {
		if s.id == m.session {
			target = s
			break
		}
	}
	if target == nil {
		if len(q.sessions) == 0 {
			return
		}
		target = q.sessions[c.pick(len(q.sessions))]
	}
	c.decryptOn(target, m)
}

// samePreKey reports whether the pre-key messages a and b have the same
// fields.
func samePreKey(a, b string) bool {
	pa, err1 := olm.ParsePreKeyMessage(a)
	pb, err2 := olm.ParsePreKeyMessage(b)
	return err1 == nil && err2 == nil && pa.OneTimeKey() == pb.OneTimeKey() && pa.BaseKey() == pb.BaseKey() &&
		pa.IdentityKey() == pb.IdentityKey() && pa.Message().Base64() == pb.Message().Base64()
}

// parsePreKey parses m as newt would route it: nil if newt cannot read it
// as a pre-key message.
func parsePreKey(m *olmMsg) *olm.PreKeyMessage {
	pre, _ := parsePreKeyErr(m)
	return pre
}

func parsePreKeyErr(m *olmMsg) (*olm.PreKeyMessage, error) {
	msg, err := olm.ParseEncryptedMessage(olm.MessageType(m.typ), m.body)
	if err != nil {
		return nil, err
	}
	pre, ok := msg.(*olm.PreKeyMessage)
	if !ok {
		return nil, olm.ErrBadMessageFormat
	}
	return pre, nil
}

func (c *run) receivePreKey(q *party, m *olmMsg) {
	pre, perr := parsePreKeyErr(m)
	var match *olmSession
	for _, s := range q.sessions {
		nm := pre != nil && s.s.Matches(pre)
		pm, _ := s.p.Matches(m.body)
		if nm != pm {
			c.disagree(fmt.Sprintf("Matches(%s): newt %s (%v), peer %s", m.body, yesNo(nm), perr, yesNo(pm)), perr, c.olmReasons(m)...)
		}
		if c.prog.chance(4) {
			from, err := newt.ParseCurve25519PublicKey(m.senderKey)
			nmf := err == nil && pre != nil && s.s.MatchesFrom(from, pre)
			pmf, _ := s.p.MatchesFrom(m.senderKey, m.body)
			if nmf != pmf {
				c.disagree(fmt.Sprintf("MatchesFrom(%s): newt %s (%v), peer %s", m.body, yesNo(nmf), perr, yesNo(pmf)), perr, c.olmReasons(m)...)
			}
		}
		if nm && match == nil {
			match = s
		}
	}
	if match != nil {
		c.decryptOn(match, m)
		return
	}
	c.newInbound(q, m, pre)
}

func yesNo(b bool) string {
	if b {
		return "matches"
	}
	return "does not match"
}

// newInbound creates q's session from the pre-key message m with one of
// newt's entry points, and with the peer's create, decrypt and remove.
func (c *run) newInbound(q *party, m *olmMsg, pre *olm.PreKeyMessage) {
	variant := c.prog.intn(5)
	from := variant == 1 || variant == 2 || variant == 4
	var ps Session
	var perr error
	if from {
		ps, perr = q.peer.NewInboundSessionFrom(m.senderKey, m.body)
	} else {
		ps, perr = q.peer.NewInboundSession(m.body)
	}
	var ppt []byte
	if perr == nil {
		ppt, perr = ps.Decrypt(m.typ, m.body)
	}

	before := q.acct.Pickle(c.key)
	var s *olm.Session
	var pt []byte
	err := olm.ErrBadMessageFormat
	sender, kerr := newt.ParseCurve25519PublicKey(m.senderKey)
	switch {
	case variant == 1:
		s, pt, err = q.acct.NewInboundSessionBase64(m.senderKey, m.body)
		if m.typ != 0 && err == nil {
			// The Base64 entry point takes the body of a type-0
			// message; a body sent with another type is the caller's
			// mistake, not a difference.
			c.logf("body of a type-%d message accepted as pre-key", m.typ)
		}
	case pre == nil:
	case variant == 0:
		s, pt, err = q.acct.NewInboundSession(pre)
	case variant == 2 && kerr == nil:
		s, pt, err = q.acct.NewInboundSessionFrom(sender, pre)
	case variant == 3 || (variant == 4 && kerr == nil):
		if variant == 3 {
			s, err = q.acct.PrepareInboundSession(pre)
		} else {
			s, err = q.acct.PrepareInboundSessionFrom(sender, pre)
		}
		if err == nil && q.acct.Pickle(c.key) != before {
			c.fatalf("PrepareInboundSession changed the account")
		}
		if err == nil {
			pt, err = s.Decrypt(pre)
		}
		if err == nil {
			if _, rerr := q.acct.RemoveOneTimeKeys(s); rerr != nil && !s.CreatedUsingFallbackKey() {
				c.fatalf("RemoveOneTimeKeys after a successful first decryption: %v", rerr)
			}
		}
	}
	if err != nil && q.acct.Pickle(c.key) != before {
		c.fatalf("inbound session failed (%v) and changed the account", err)
	}
	if !c.outcome("new inbound session", err, perr, c.olmReasons(m), nil) {
		free(ps)
		c.checkAccount(q)
		return
	}
	c.same("first plaintext", pt, ppt)
	if m.pt != nil {
		c.same("first plaintext (sent)", pt, m.pt)
	}
	if rerr := q.peer.RemoveOneTimeKeys(ps); rerr != nil && !s.CreatedUsingFallbackKey() {
		c.fatalf("peer RemoveOneTimeKeys after a successful first decryption: %v", rerr)
	}
	if len(q.sessions) >= maxSessions {
		free(q.sessions[0].p)
		q.sessions = q.sessions[1:]
	}
	os := &olmSession{owner: q, with: m.from, s: s, p: ps, id: s.ID()}
	q.sessions = append(q.sessions, os)
	c.checkSession(os)
	c.checkAccount(q)
}

// decryptOn decrypts m with session s on both sides.
func (c *run) decryptOn(s *olmSession, m *olmMsg) {
	before := s.s.Pickle(c.key)
	pbefore, err := s.p.Pickle(c.key)
	if err != nil {
		c.fatalf("peer session pickle: %v", err)
	}
	ppt, perr := s.p.Decrypt(m.typ, m.body)
	var pt []byte
	switch c.prog.intn(3) {
	case 0:
		pt, err = s.s.DecryptBase64(olm.MessageType(m.typ), m.body)
	case 1:
		var msg olm.EncryptedMessage
		if msg, err = olm.ParseEncryptedMessage(olm.MessageType(m.typ), m.body); err == nil {
			pt, err = s.s.Decrypt(msg)
		}
	default:
		prefix := []byte("prefix")
		if pt, err = s.s.AppendDecryptBase64(prefix, olm.MessageType(m.typ), m.body); err == nil {
			if !bytes.HasPrefix(pt, prefix) {
				c.fatalf("AppendDecryptBase64 changed dst")
			}
			pt = pt[len(prefix):]
		}
	}
	if err != nil && s.s.Pickle(c.key) != before {
		c.fatalf("decrypt failed (%v) and changed the session", err)
	}
	if c.outcome("decrypt", err, perr, c.olmReasons(m), nil) {
		c.same("plaintext", pt, ppt)
		if m.pt != nil {
			c.same("plaintext (sent)", pt, m.pt)
		}
	} else {
		c.rollBackPeer("decrypt", err, perr, s.p, pbefore, func(p string) { c.restoreSession(s, p) })
	}
	c.checkSession(s)
}

// restoreNewtSession puts newt's session back to its pickle p, after an
// allowed difference where the peer refused an operation newt did.
func (c *run) restoreNewtSession(s *olmSession, p string) {
	n, err := olm.SessionFromPickle(p, c.key)
	if err != nil {
		c.fatalf("newt cannot load its own session pickle: %v", err)
	}
	s.s = n
}

func (c *run) restoreSession(s *olmSession, p string) {
	ps, err := c.peer.SessionFromPickle(p, c.key)
	if err != nil {
		c.fatalf("peer cannot load its own session pickle: %v", err)
	}
	free(s.p)
	s.p = ps
}

// olmReasons lists the differences that may explain a disagreement over m.
func (c *run) olmReasons(m *olmMsg) []Difference {
	var r []Difference
	if !canonicalBase64(m.body) {
		r = append(r, StrictBase64)
	}
	if m.typ != 0 && m.typ != 1 {
		r = append(r, UnknownMessageType)
	}
	if m.tamper != nil {
		typ := olm.MessageType(m.typ)
		if typ != 1 {
			typ = 0
		}
		if _, err := olm.ParseEncryptedMessage(typ, m.body); err != nil {
			r = append(r, StrictMessageDecoding)
		}
		if m.tamper.outer {
			r = append(r, PreKeyWrapper)
		}
	}
	if pre := parsePreKey(m); pre != nil {
		for _, k := range []newt.Curve25519PublicKey{pre.IdentityKey(), pre.BaseKey(), pre.OneTimeKey()} {
			if isLowOrderCurve25519(k.String()) {
				r = append(r, LowOrderKey)
				break
			}
		}
	}
	return r
}

func (c *run) checkSession(s *olmSession) {
	c.t.Helper()
	what := s.owner.name + "'s session " + s.id
	pp, err := s.p.Pickle(c.key)
	if err != nil {
		c.fatalf("%s: peer pickle: %v", what, err)
	}
	c.same(what+": pickle", s.s.Pickle(c.key), pp)
	c.same(what+": ID", s.s.ID(), s.p.ID())
	c.same(what+": received", s.s.HasReceivedMessage(), s.p.HasReceivedMessage())
	c.same(what+": message type", int(s.s.MessageType()), s.p.MessageType())
	c.same(what+": describe", s.s.Describe(), s.p.Describe())
}
