// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package newttest

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"testing"

	"github.com/newt-e2ee/newt/internal/aessha2"
	"github.com/newt-e2ee/newt/internal/pickle"
)

// PickleKey is the pickle key of the checklist fixtures.
var PickleKey = []byte("checklist pickle key")

// SealPickle returns the pickle of plaintext under key, made with the
// library's own envelope ([pickle.AppendSeal], byte for byte what libolm
// writes), so that a test can load a plaintext it wrote by hand. plaintext
// is not modified.
func SealPickle(key, plaintext []byte) string {
	buf := pickle.GetBuffer(len(plaintext))
	*buf = append(*buf, plaintext...)
	p := pickle.AppendSeal(nil, key, *buf)
	pickle.PutBuffer(buf)
	return string(p)
}

// PlainOf returns the plaintext inside the pickle p made with [PickleKey].
func PlainOf(t testing.TB, p string) []byte {
	t.Helper()
	b, err := pickle.Decrypt(PickleKey, []byte(p))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Pickler is every object with a libolm pickle.
type Pickler interface{ Pickle(key []byte) string }

// Snapshot is the state of an object: its pickle under [PickleKey], which
// is deterministic.
func Snapshot(p Pickler) string { return p.Pickle(PickleKey) }

// AppendPickler is a [Pickler] that can also append its pickle to a
// buffer.
type AppendPickler interface {
	Pickler
	AppendPickle(dst, key []byte) []byte
}

// CheckAppendPickleAliased is the pickle part of checklist row C24: each
// object's AppendPickle, given a key that shares memory with dst in every
// layout of [AliasedInputs], keeps dst's content and appends exactly what
// Pickle returns for that key.
func CheckAppendPickleAliased(t testing.TB, ps ...AppendPickler) {
	t.Helper()
	key := []byte("a pickle key that dst may share memory with")
	for _, p := range ps {
		want := p.Pickle(key)
		CheckAppendAliased(t, fmt.Sprintf("%T.AppendPickle", p), key,
			func(dst, in []byte) ([]byte, error) { return p.AppendPickle(dst, in), nil },
			func(b []byte) error {
				if string(b) != want {
					return errors.New("a different pickle")
				}
				return nil
			})
	}
}

// RequireUnchanged fails if p's pickle differs from before (a [Snapshot]).
func RequireUnchanged(t testing.TB, what string, before string, p Pickler) {
	t.Helper()
	if before != Snapshot(p) {
		t.Fatalf("%s changed the object", what)
	}
}

// PickleCase is one pickle type for the checklist rows on pickles: a pickle
// of a populated object under [PickleKey], its loader, and the sentinels of
// its package.
type PickleCase struct {
	Name   string
	Pickle string
	// Load loads p with key and returns the loader's error, checked with
	// [NilIfOK].
	Load                              func(p string, key []byte) error
	BadKey, Corrupted, UnknownVersion error
	// Versions are the versions the loader reads.
	Versions []uint32
	// Legacy, if set, is the error of a version the loader refuses as
	// legacy (olm.ErrLegacyAccountPickle for account version 1).
	Legacy        error
	LegacyVersion uint32
}

// CheckTruncatedPickle is the pickle part of checklist row C1, for each case:
// every prefix of the pickle text is the bad-key or corrupted error, every
// prefix of its plaintext inside an authentic envelope is corrupted, and the
// whole pickle still loads.
func CheckTruncatedPickle(t *testing.T, pcs ...PickleCase) {
	t.Helper()
	for _, pc := range pcs {
		for n := range len(pc.Pickle) {
			if err := pc.Load(pc.Pickle[:n], PickleKey); !IsOneOf(err, pc.BadKey, pc.Corrupted) {
				t.Fatalf("%s: %d of %d characters: %v", pc.Name, n, len(pc.Pickle), err)
			}
		}
		plain := PlainOf(t, pc.Pickle)
		for n := range len(plain) {
			if err := pc.Load(SealPickle(PickleKey, plain[:n]), PickleKey); !errors.Is(err, pc.Corrupted) {
				t.Fatalf("%s: plaintext truncated to %d of %d bytes: %v", pc.Name, n, len(plain), err)
			}
		}
		if err := pc.Load(pc.Pickle, PickleKey); err != nil {
			t.Fatalf("%s: %v", pc.Name, err)
		}
	}
}

// CheckPickleVersions is the pickle part of checklist row C5: every version
// the loader does not read is ErrUnknownPickleVersion (or the legacy
// error), and a known version over another version's layout either loads
// or is corrupted, never unknown.
func CheckPickleVersions(t *testing.T, pcs ...PickleCase) {
	t.Helper()
	for _, pc := range pcs {
		plain := PlainOf(t, pc.Pickle)
		for _, v := range []uint32{0, 1, 2, 3, 4, 5, 6, 0x100, 0x80000000, 0x80000001, 0x80000002, 0xffffffff} {
			err := pc.Load(SealPickle(PickleKey, SetU32(plain, 0, v)), PickleKey)
			known := false
			for _, k := range pc.Versions {
				known = known || k == v
			}
			switch {
			case pc.Legacy != nil && v == pc.LegacyVersion:
				if !errors.Is(err, pc.Legacy) {
					t.Errorf("%s version %d: %v, want %v", pc.Name, v, err, pc.Legacy)
				}
			case known:
				if err != nil && !errors.Is(err, pc.Corrupted) {
					t.Errorf("%s version %d: %v", pc.Name, v, err)
				}
			default:
				if !errors.Is(err, pc.UnknownVersion) {
					t.Errorf("%s version %#x: %v, want unknown version", pc.Name, v, err)
				}
			}
		}
	}
}

// CheckWrongPickleKeys is the pickle part of checklist row C8: a wrong,
// empty, extended or truncated key is the bad-key error.
func CheckWrongPickleKeys(t *testing.T, pcs ...PickleCase) {
	t.Helper()
	for _, pc := range pcs {
		for _, key := range [][]byte{nil, []byte("wrong"), append(bytes.Clone(PickleKey), 0), PickleKey[:len(PickleKey)-1]} {
			if err := pc.Load(pc.Pickle, key); !errors.Is(err, pc.BadKey) {
				t.Errorf("%s with key %q: %v", pc.Name, key, err)
			}
		}
	}
}

// CheckPickleTampering is checklist row C20 for each pickle case: any flipped
// bit is the bad-key error (the MAC is checked first), an envelope of
// impossible length is a typed error, and trailing plaintext is corrupted
// (libolm's OLM_PICKLE_EXTRA_DATA).
func CheckPickleTampering(t *testing.T, pcs ...PickleCase) {
	t.Helper()
	for _, pc := range pcs {
		raw, err := base64.RawStdEncoding.DecodeString(pc.Pickle)
		if err != nil {
			t.Fatal(err)
		}
		enc := base64.RawStdEncoding.EncodeToString
		for i := range len(raw) * 8 {
			if err := pc.Load(enc(FlipBit(raw, i)), PickleKey); !errors.Is(err, pc.BadKey) {
				t.Fatalf("%s: bit %d: %v", pc.Name, i, err)
			}
		}
		ctLen := len(raw) - aessha2.TruncatedMACSize
		for name, b := range map[string][]byte{
			"empty":                    nil,
			"MAC only":                 raw[ctLen:],
			"8 bytes":                  raw[:8],
			"ciphertext - 1 byte":      append(bytes.Clone(raw[:ctLen-1]), raw[ctLen:]...),
			"ciphertext + 1 byte":      append(append(bytes.Clone(raw[:ctLen]), 0), raw[ctLen:]...),
			"ciphertext + 16 bytes":    append(append(bytes.Clone(raw[:ctLen]), make([]byte, 16)...), raw[ctLen:]...),
			"MAC of 7 bytes":           raw[:len(raw)-1],
			"MAC of 9 bytes":           append(bytes.Clone(raw), 0),
			"ciphertext only (no MAC)": raw[:ctLen],
		} {
			if err := pc.Load(enc(b), PickleKey); !IsOneOf(err, pc.BadKey, pc.Corrupted) {
				t.Errorf("%s: %s: %v", pc.Name, name, err)
			}
		}
		plain := PlainOf(t, pc.Pickle)
		for _, extra := range [][]byte{{0}, {1, 2, 3, 4}, make([]byte, 100)} {
			if err := pc.Load(SealPickle(PickleKey, append(bytes.Clone(plain), extra...)), PickleKey); !errors.Is(err, pc.Corrupted) {
				t.Errorf("%s: %d bytes of trailing plaintext: %v", pc.Name, len(extra), err)
			}
		}
		if err := pc.Load(pc.Pickle, PickleKey); err != nil {
			t.Fatal(err)
		}
	}
}

// CountForgery is a pickle plaintext whose count of some list was forged.
type CountForgery struct {
	Name  string // for example "1073741824 receiver chains"
	Plain []byte
}

// RatchetCountForgeries returns copies of plain, the plaintext of a pickle
// holding a ratchet at offset hdr (libolm src/ratchet.cpp, olm::pickle:
// sender chains of 100 bytes, receiver chains of 68 bytes, then skipped
// message keys, each list behind a u32 count), whose counts are set just
// above the caps (2 sender chains, maxReceivers+1 receiver chains,
// maxSkipped+1 skipped keys) and to 2^32-1, 2^31 and 2^24 (checklist row
// C4).
func RatchetCountForgeries(plain []byte, hdr, maxReceivers, maxSkipped int) []CountForgery {
	senders := binary.BigEndian.Uint32(plain[hdr:])
	recvOff := hdr + 4 + 100*int(senders)
	receivers := binary.BigEndian.Uint32(plain[recvOff:])
	skipOff := recvOff + 4 + 68*int(receivers)
	var out []CountForgery
	for _, l := range []struct {
		name string
		off  int
		cap  uint32
	}{
		{"sender chains", hdr, 2},
		{"receiver chains", recvOff, uint32(maxReceivers) + 1},
		{"skipped keys", skipOff, uint32(maxSkipped) + 1},
	} {
		for _, n := range []uint32{l.cap, 0xffffffff, 1 << 31, 1 << 24} {
			out = append(out, CountForgery{fmt.Sprintf("%d %s", n, l.name), SetU32(plain, l.off, n)})
		}
	}
	return out
}

// MustPickle returns p's pickle under key, failing the test on error: for
// pickle APIs that return ([]byte, error), such as mautrix-go's.
func MustPickle(t testing.TB, p interface{ Pickle([]byte) ([]byte, error) }, key []byte) []byte {
	t.Helper()
	b, err := p.Pickle(key)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
