// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package difftest

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/newt-e2ee/newt/megolm"
	"github.com/newt-e2ee/newt/olm"
)

// Config is what a test passes to [Run].
type Config struct {
	// Peer is the implementation newt is compared with.
	Peer Peer
	// Allowed lists the differences the test accepts, each with the reason
	// it is acceptable for this peer. It is the test's one table of
	// allowed differences.
	Allowed map[Difference]string
	// MaxOps bounds the operations of one run (200 if zero), so that every
	// input runs in bounded time.
	MaxOps int
	// Stats, if not nil, accumulates what the runs did.
	Stats *Stats
}

// Stats counts what runs exercised.
type Stats struct {
	Runs, Ops int
	// ByOp counts the operations by name.
	ByOp map[string]int
	// Agreed counts the comparisons where both sides succeeded with the
	// same result, Refused those where both failed.
	Agreed, Refused int
	// Allowed counts the disagreements each allowed difference explained.
	Allowed map[Difference]int
	// Outcomes counts, per kind of comparison, how often both sides
	// succeeded ([0]) and both failed ([1]).
	Outcomes map[string]*[2]int
	// Refusals counts the pairs of errors (newt's, the peer's, digits
	// removed) with which both sides refused, per kind of comparison.
	Refusals map[string]int
}

func (s *Stats) init() {
	if s.ByOp == nil {
		s.ByOp = map[string]int{}
		s.Allowed = map[Difference]int{}
		s.Outcomes = map[string]*[2]int{}
		s.Refusals = map[string]int{}
	}
}

// String summarises the counts on a few lines.
func (s *Stats) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d runs, %d operations; %d outcomes agreed (both succeeded), %d refused by both\n",
		s.Runs, s.Ops, s.Agreed, s.Refused)
	b.WriteString("operations:")
	for _, k := range slices.Sorted(maps.Keys(s.ByOp)) {
		fmt.Fprintf(&b, " %s %d,", k, s.ByOp[k])
	}
	b.WriteString("\noutcomes (both succeeded/both failed):")
	for _, k := range slices.Sorted(maps.Keys(s.Outcomes)) {
		fmt.Fprintf(&b, " %s %d/%d,", k, s.Outcomes[k][0], s.Outcomes[k][1])
	}
	b.WriteString("\nallowed differences:")
	for _, k := range slices.Sorted(maps.Keys(s.Allowed)) {
		fmt.Fprintf(&b, " %q %d,", k, s.Allowed[k])
	}
	return b.String()
}

// Limits of one run, so that every input runs in bounded time and memory.
const (
	maxParties         = 3
	maxSessions        = 6 // per party
	maxGroups          = 4
	maxInbound         = 10
	maxInFlight        = 48
	maxDelivered       = 48
	maxGroupMessages   = 48
	maxPlaintext       = 300
	defaultMaxOps      = 200
	maxBurst           = 48
	maxDrain           = 16
	maxOneTimeKeysCall = 2 * olm.MaxOneTimeKeys
)

// party is one device: its account in both libraries, the keys it has
// published (as a homeserver holds them) and its sessions.
type party struct {
	name     string
	acct     *olm.Account
	peer     Account
	curve    string // identity keys, base64
	ed       string
	claim    []string // published one-time keys not yet claimed
	claimed  []string // one-time keys already handed out
	fallback string   // the published fallback key
	// prevFallback is the fallback key published before, which senders
	// may still use.
	prevFallback string
	sessions     []*olmSession
}

// olmSession is one Olm session in both libraries.
type olmSession struct {
	owner, with *party
	s           *olm.Session
	p           Session
	id          string
}

// olmMsg is an Olm message on its way (or delivered, kept for replays).
type olmMsg struct {
	from, to  *party
	senderKey string
	session   string // the sending session's ID
	typ       int
	body      string
	pt        []byte     // nil when tampered
	tamper    *olmTamper // nil for genuine messages
}

// group is a Megolm outbound session in both libraries.
type group struct {
	owner *party
	s     *megolm.GroupSession
	p     GroupSession
	id    string
}

// inbound is a Megolm inbound session in both libraries.
type inbound struct {
	holder *party
	s      *megolm.InboundGroupSession
	p      InboundGroupSession
	id     string
}

// groupMsg is a Megolm message; every holder may decrypt it any time.
type groupMsg struct {
	session string
	body    string
	pt      []byte
	index   uint32
}

type run struct {
	t       testing.TB
	cfg     *Config
	peer    Peer
	prog    *program
	stats   *Stats
	key     []byte // pickle key
	parties []*party
	flight  []*olmMsg
	past    []*olmMsg
	groups  []*group
	inbound []*inbound
	gmsgs   []*groupMsg
	trace   []string
}

// Run interprets input as an operation sequence and runs it on newt and on
// cfg.Peer, failing t at the first disagreement that no allowed difference
// explains. The first 8 bytes of input seed the random key material; every
// following byte is a decision (which operation, on which object, with
// which argument). The run ends when the input or cfg.MaxOps is used up;
// then the first messages still in flight are delivered in order and every
// object is compared once more.
func Run(t testing.TB, cfg *Config, input []byte) {
	t.Helper()
	st := cfg.Stats
	if st == nil {
		st = new(Stats)
	}
	st.init()
	st.Runs++
	c := &run{t: t, cfg: cfg, peer: cfg.Peer, prog: newProgram(input), stats: st}
	defer c.freeAll()
	c.key = c.prog.random(c.prog.intn(41))
	maxOps := cfg.MaxOps
	if maxOps == 0 {
		maxOps = defaultMaxOps
	}
	if len(c.key) == 0 {
		c.checkEmptyKey()
	}
	c.newAccount()
	c.newAccount()
	for n := 0; n < maxOps && !c.prog.done; n++ {
		op := opTable[c.prog.intn(len(opTable))]
		if c.prog.done {
			break
		}
		c.op(op.name)
		op.fn(c)
	}
	for i := 0; i < maxDrain && len(c.flight) > 0; i++ {
		m := c.flight[0]
		c.flight = c.flight[1:]
		c.op("drain")
		c.receive(m.to, m, false)
	}
	c.checkAll()
}

// checkEmptyKey checks that both sides pickle with an empty key, and goes on
// with a one-byte key if the peer refuses.
func (c *run) checkEmptyKey() {
	pa, err := c.peer.NewAccount(c.prog.random(64))
	if err != nil {
		c.fatalf("peer NewAccount: %v", err)
	}
	defer free(pa)
	if _, err := pa.Pickle(nil); err != nil {
		c.outcome("pickle with an empty key", nil, err, nil, []Difference{EmptyInput})
		c.key = []byte{0}
	}
}

func (c *run) op(name string) {
	c.stats.Ops++
	c.stats.ByOp[name]++
	c.trace = append(c.trace, name)
}

// logf adds a detail to the trace printed on failure.
func (c *run) logf(format string, args ...any) {
	c.trace = append(c.trace, "  "+fmt.Sprintf(format, args...))
}

func (c *run) fatalf(format string, args ...any) {
	c.t.Helper()
	tr := c.trace
	if len(tr) > 80 {
		tr = tr[len(tr)-80:]
	}
	c.t.Fatalf("%s: %s\nlast operations:\n%s", c.peerName(), fmt.Sprintf(format, args...), strings.Join(tr, "\n"))
}

func (c *run) peerName() string { return fmt.Sprintf("newt vs %T", c.peer) }

// disagree handles a disagreement: it passes if one of reasons, the
// differences the input makes possible, is allowed and, for a difference
// where newt refuses, newtErr is newt's error of that kind (newtErr is nil
// when newt did not refuse); it fails the test otherwise.
func (c *run) disagree(what string, newtErr error, reasons ...Difference) {
	c.t.Helper()
	for _, r := range reasons {
		if ok, applies := newtError(r, newtErr); applies && !ok {
			continue
		}
		if _, ok := c.cfg.Allowed[r]; ok {
			c.stats.Allowed[r]++
			c.logf("allowed difference %q: %s", r, what)
			return
		}
	}
	c.fatalf("%s (differences the input allows: %q)", what, reasons)
}

// outcome compares the success of one operation on both sides: it returns
// true if both succeeded, false if both failed, and calls disagree with
// reasons (newt refused) or peerReasons (the peer refused) otherwise, then
// returns false.
func (c *run) outcome(what string, err, perr error, reasons, peerReasons []Difference) bool {
	c.t.Helper()
	kind, _, _ := strings.Cut(what, ":")
	o := c.stats.Outcomes[kind]
	if o == nil {
		o = new([2]int)
		c.stats.Outcomes[kind] = o
	}
	switch {
	case err == nil && perr == nil:
		c.stats.Agreed++
		o[0]++
		return true
	case err != nil && perr != nil:
		c.stats.Refused++
		o[1]++
		c.stats.Refusals[kind+": "+withoutDigits(err.Error())+" | "+withoutDigits(perr.Error())]++
		c.logf("%s: both refused: newt %v; peer %v", what, err, perr)
		return false
	case err != nil:
		c.disagree(fmt.Sprintf("%s: newt refused (%v), the peer accepted", what, err), err, reasons...)
	default:
		c.disagree(fmt.Sprintf("%s: the peer refused (%v), newt accepted", what, perr), nil, peerReasons...)
	}
	return false
}

// rollBackPeer follows an operation on a peer object obj (pickled as before
// it) that did not succeed on both sides. If newt refused and the peer did
// not (an allowed difference, or outcome has failed the run), the peer's
// object moved on where newt's did not: restore puts it back. If the peer
// refused and changed its object anyway, that is a disagreement of its own,
// and the object goes back too.
func (c *run) rollBackPeer(op string, err, perr error, obj interface {
	Pickle(key []byte) (string, error)
}, before string, restore func(p string)) {
	c.t.Helper()
	switch {
	case err != nil && perr == nil:
		restore(before)
	case perr != nil:
		if after, _ := obj.Pickle(c.key); after != before {
			c.disagree(fmt.Sprintf("the peer's %s failed (%v) and changed its session", op, perr), nil, FailureKeepsState)
			restore(before)
		}
	}
}

// withoutDigits drops the digits of an error message (offsets, indexes),
// so that errors of one kind count together.
func withoutDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return -1
		}
		return r
	}, s)
}

// same fails unless newt's and the peer's values of what are equal.
func (c *run) same(what string, got, want any) {
	c.t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		c.fatalf("%s differs\nnewt %v\npeer %v", what, got, want)
	}
}

// randomUse checks that newt read exactly the randomness the peer used.
func (c *run) randomUse(what string, used int, over bool, want int) {
	c.t.Helper()
	if over || used != want {
		c.fatalf("%s: newt read %d random bytes (wanting more: %v), the peer used %d", what, used, over, want)
	}
}

func (c *run) freeAll() {
	for _, p := range c.parties {
		free(p.peer)
		for _, s := range p.sessions {
			free(s.p)
		}
	}
	for _, g := range c.groups {
		free(g.p)
	}
	for _, in := range c.inbound {
		free(in.p)
	}
}

// pick returns a decision in [0, n) or -1 if n == 0.
func (c *run) pick(n int) int {
	if n == 0 {
		return -1
	}
	return c.prog.intn(n)
}

func (c *run) pickParty() *party { return c.parties[c.pick(len(c.parties))] }

// plaintext returns a message body: usually short, sometimes empty or long.
func (c *run) plaintext() []byte {
	n := c.prog.intn(64)
	switch c.prog.intn(16) {
	case 0:
		n = 0
	case 1:
		n = c.prog.intn(maxPlaintext + 1)
	case 2:
		n = 1000 + c.prog.intn(4000)
	}
	return c.prog.random(n)
}

type opEntry struct {
	name string
	fn   func(*run)
}

// opTable lists the operations; an operation listed several times is
// chosen more often.
var opTable = func() []opEntry {
	weighted := []struct {
		w int
		e opEntry
	}{
		{1, opEntry{"new account", (*run).newAccount}},
		{3, opEntry{"generate one-time keys", (*run).generateOneTimeKeys}},
		{2, opEntry{"generate fallback key", (*run).generateFallbackKey}},
		{3, opEntry{"publish keys", (*run).publish}},
		{1, opEntry{"forget old fallback key", (*run).forgetOldFallbackKey}},
		{1, opEntry{"sign", (*run).sign}},
		{4, opEntry{"open session", (*run).openSession}},
		{8, opEntry{"encrypt", (*run).encrypt}},
		{10, opEntry{"deliver", (*run).deliver}},
		{2, opEntry{"drop", (*run).drop}},
		{2, opEntry{"replay", (*run).replay}},
		{4, opEntry{"tamper", (*run).tamperOlm}},
		{4, opEntry{"pickle", (*run).pickle}},
		{2, opEntry{"bad pickle", (*run).badPickle}},
		{2, opEntry{"group create", (*run).groupCreate}},
		{3, opEntry{"group share", (*run).groupShare}},
		{5, opEntry{"group encrypt", (*run).groupEncrypt}},
		{6, opEntry{"group decrypt", (*run).groupDecrypt}},
		{2, opEntry{"group export", (*run).groupExport}},
		{3, opEntry{"group tamper", (*run).groupTamper}},
	}
	var t []opEntry
	for _, w := range weighted {
		for range w.w {
			t = append(t, w.e)
		}
	}
	return t
}()

// checkAll compares every object.
func (c *run) checkAll() {
	c.t.Helper()
	for _, p := range c.parties {
		c.checkAccount(p)
		for _, s := range p.sessions {
			c.checkSession(s)
		}
	}
	for _, g := range c.groups {
		c.checkGroup(g)
	}
	for _, in := range c.inbound {
		c.checkInbound(in)
	}
}
