// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package bench

import (
	"testing"

	"github.com/newt-e2ee/newt/megolm"
	"github.com/newt-e2ee/newt/olm"
)

// vzKey is a 32-byte pickle key (vodozemac's encrypted form needs exactly
// 32 bytes; libolm's takes any length, and gets the same key here).
var vzKey = []byte("0123456789abcdef0123456789ABCDEF")

// BenchmarkVodozemacPickle compares newt's vodozemac pickles with its
// libolm pickles of the same object, for the same canonical inputs as
// BenchmarkPickleAccount and BenchmarkPickleIGS (an account with 50
// one-time keys, an inbound group session that has decrypted messages):
//
//   - impl=libolm-format: Pickle / ...FromPickle (libolm's binary layout,
//     encrypted);
//   - impl=vodozemac-json: PickleJSON / ...FromPickleJSON (the serde JSON
//     matrix-sdk-crypto stores, not encrypted);
//   - impl=vodozemac-encrypted: VodozemacPickle / ...FromVodozemacPickle
//     (the JSON under the same cipher as libolm's format).
//
// The target is JSON ≤ 3× the libolm format.
func BenchmarkVodozemacPickle(b *testing.B) {
	c := getOlm(b)
	acct, err := olm.AccountFromPickle(c.account50.s, pickleKey)
	must(b, err)
	igs, err := megolm.InboundGroupSessionFromPickle(c.igs.s, pickleKey)
	must(b, err)

	type codec struct {
		name string
		save func() int
		load func() error
	}
	accountCodecs := func() []codec {
		lp := acct.Pickle(vzKey)
		j := acct.PickleJSON()
		e, err := acct.VodozemacPickle(vzKey)
		must(b, err)
		return []codec{
			{"libolm-format", func() int { return len(acct.Pickle(vzKey)) },
				func() error { _, err := olm.AccountFromPickle(lp, vzKey); return err }},
			{"vodozemac-json", func() int { return len(acct.PickleJSON()) },
				func() error { _, err := olm.AccountFromPickleJSON(j); return err }},
			{"vodozemac-encrypted", func() int { p, _ := acct.VodozemacPickle(vzKey); return len(p) },
				func() error { _, err := olm.AccountFromVodozemacPickle(e, vzKey); return err }},
		}
	}
	igsCodecs := func() []codec {
		lp := igs.Pickle(vzKey)
		j := igs.PickleJSON()
		e, err := igs.VodozemacPickle(vzKey)
		must(b, err)
		return []codec{
			{"libolm-format", func() int { return len(igs.Pickle(vzKey)) },
				func() error { _, err := megolm.InboundGroupSessionFromPickle(lp, vzKey); return err }},
			{"vodozemac-json", func() int { return len(igs.PickleJSON()) },
				func() error { _, err := megolm.InboundGroupSessionFromPickleJSON(j); return err }},
			{"vodozemac-encrypted", func() int { p, _ := igs.VodozemacPickle(vzKey); return len(p) },
				func() error { _, err := megolm.InboundGroupSessionFromVodozemacPickle(e, vzKey); return err }},
		}
	}
	for _, obj := range []struct {
		name   string
		codecs []codec
	}{{"object=account50", accountCodecs()}, {"object=igs", igsCodecs()}} {
		b.Run(obj.name, func(b *testing.B) {
			b.Run("op=save", func(b *testing.B) {
				for _, c := range obj.codecs {
					runImpl(b, "impl="+c.name, func(b *bt) {
						n := 0
						for range b.N {
							n += c.save()
						}
						sinkInt = n
					})
				}
			})
			b.Run("op=load", func(b *testing.B) {
				for _, c := range obj.codecs {
					runImpl(b, "impl="+c.name, func(b *bt) {
						for range b.N {
							if err := c.load(); err != nil {
								b.Fatal(err)
							}
						}
					})
				}
			})
		})
	}
}

var sinkInt int
