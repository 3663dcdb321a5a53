// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package difftest

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"strings"

	"github.com/newt-e2ee/newt"
)

const b64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

// olmTamper records how a message was tampered with.
type olmTamper struct {
	kind string
	// outer is set when only the outer keys of a pre-key message changed
	// (the bytes the inner message's MAC does not cover).
	outer bool
}

// mangle returns a tampered copy of the base64 text s. If sig >= 0, the
// decoded bytes end in an Ed25519 signature at offset sig. It also returns
// what it did and the range [lo, hi) of decoded bytes it changed (empty when
// only the text changed).
func (c *run) mangle(s string, sig int) (out, kind string, lo, hi int) {
	raw, err := base64.RawStdEncoding.DecodeString(s)
	if err != nil {
		return s + "A", "append a character", 0, 0
	}
	enc := base64.RawStdEncoding.EncodeToString
	if len(raw) == 0 {
		return enc([]byte{byte(c.prog.intn(256))}), "extend", 0, 1
	}
	switch c.prog.intn(8) {
	case 2:
		n := c.prog.intn(len(raw))
		return enc(raw[:n]), "truncate", n, len(raw)
	case 3:
		k := 1 + c.prog.intn(16)
		return enc(append(raw, c.prog.random(k)...)), "extend", len(raw), len(raw) + k
	case 4:
		pos := c.prog.intn(len(raw))
		switch c.prog.intn(3) {
		case 0:
			raw[pos] = 0
		case 1:
			raw[pos] = 0xff
		default:
			raw[pos] = byte(c.prog.intn(256))
		}
		return enc(raw), "set a byte", pos, pos + 1
	case 5:
		return c.mangleText(s)
	case 6:
		if sig >= 0 && sig+64 == len(raw) {
			if m, ok := addL(raw[sig:]); ok {
				copy(raw[sig:], m)
				return enc(raw), "signature S+L", sig + 32, sig + 64
			}
		}
	case 7:
		i := c.prog.intn(len(raw))
		j := i + c.prog.intn(len(raw)-i+1)
		k := c.prog.intn(len(raw) + 1)
		chunk := bytes.Clone(raw[i:j])
		out := append(bytes.Clone(raw[:k]), chunk...)
		out = append(out, raw[k:]...)
		return enc(out), "duplicate a chunk", k, len(out)
	}
	pos := c.prog.intn(8 * len(raw))
	raw[pos/8] ^= 1 << (pos % 8)
	return enc(raw), "bit flip", pos / 8, pos/8 + 1
}

// mangleText changes only the text: padding, unused bits of the last
// character, or a character outside the alphabet.
func (c *run) mangleText(s string) (out, kind string, lo, hi int) {
	switch c.prog.intn(4) {
	case 0:
		return s + strings.Repeat("=", 1+c.prog.intn(2)), "padding", 0, 0
	case 1:
		if pad := (4 - len(s)%4) % 4; pad > 0 {
			return s + strings.Repeat("=", pad), "canonical padding", 0, 0
		}
	case 2:
		// The last character of a text whose length is 2 or 3 mod 4 has
		// 4 or 2 unused low bits.
		if unused := map[int]int{2: 4, 3: 2}[len(s)%4]; unused > 0 && len(s) > 0 {
			i := strings.IndexByte(b64Alphabet, s[len(s)-1])
			j := i ^ (1 + c.prog.intn(1<<unused-1))
			return s[:len(s)-1] + string(b64Alphabet[j]), "unused bits", 0, 0
		}
	}
	pos := c.prog.intn(len(s) + 1)
	bad := " \n!-_.=*"[c.prog.intn(8)]
	return s[:pos] + string(bad) + s[pos:], "stray character", 0, 0
}

// tamperOlm delivers a tampered copy of a message in flight or delivered.
func (c *run) tamperOlm() {
	pool := append(append([]*olmMsg(nil), c.flight...), c.past...)
	if len(pool) == 0 {
		c.encrypt()
		return
	}
	m := pool[c.pick(len(pool))]
	t := *m
	t.pt = nil
	info := &olmTamper{}
	t.tamper = info
	switch c.prog.intn(8) {
	case 5:
		info.kind = "message type"
		switch {
		case c.prog.chance(3):
			t.typ = 2 + c.prog.intn(3)
		case m.typ == 0:
			t.typ = 1
		default:
			t.typ = 0
		}
	case 6:
		info.kind = "outer key"
		if !c.replaceOuterKey(&t) {
			t.body, info.kind, _, _ = c.mangle(m.body, -1)
		}
	case 7:
		info.kind = "sender key"
		if c.prog.chance(2) {
			t.senderKey = c.otherParty(m.from).curve
		} else {
			t.senderKey = randomKey(c)
		}
	default:
		var lo, hi int
		t.body, info.kind, lo, hi = c.mangle(m.body, -1)
		if pre := parsePreKey(m); pre != nil && lo < hi {
			raw, _ := base64.RawStdEncoding.DecodeString(m.body)
			inner := pre.Message().Bytes()
			if start := bytes.Index(raw, inner); start >= 0 {
				// The inner message's field starts with its tag and
				// length before start.
				header := start - 1 - len(binary.AppendUvarint(nil, uint64(len(inner))))
				info.outer = hi <= header || lo >= start+len(inner)
			}
		}
	}
	c.logf("tamper (%s) with a type-%d message to %s", info.kind, m.typ, m.to.name)
	target := m.to
	if c.prog.chance(8) {
		target = c.pickParty()
	}
	c.receive(target, &t, t.typ != 1 && c.prog.chance(2))
}

// replaceOuterKey replaces one of the outer keys of the pre-key message m
// with another key; it reports false if m is not a pre-key message.
func (c *run) replaceOuterKey(m *olmMsg) bool {
	pre := parsePreKey(m)
	if pre == nil {
		return false
	}
	raw, _ := base64.RawStdEncoding.DecodeString(m.body)
	old := []newt.Curve25519PublicKey{pre.OneTimeKey(), pre.BaseKey(), pre.IdentityKey()}[c.prog.intn(3)]
	var repl string
	switch c.prog.intn(4) {
	case 0:
		repl = c.lowOrderKey()
	case 1:
		repl = c.pickParty().curve
	case 2:
		keys := m.to.acct.OneTimeKeys()
		if len(keys) > 0 {
			repl = keys[c.pick(len(keys))].Key.String()
			break
		}
		fallthrough
	default:
		repl = randomKey(c)
	}
	nk, _ := base64.RawStdEncoding.DecodeString(repl)
	i := bytes.Index(raw, old.Bytes())
	if i < 0 {
		return false
	}
	copy(raw[i:], nk)
	m.body = base64.RawStdEncoding.EncodeToString(raw)
	m.tamper.outer = true
	return true
}
