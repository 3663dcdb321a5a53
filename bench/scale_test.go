// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package bench

import (
	"flag"
	"fmt"
	"runtime"
	"testing"

	"github.com/newt-e2ee/newt/internal/newttest"
)

// Scale checks: the cost of a far Megolm jump, of an Olm message after the
// largest allowed gap, and the time and memory of holding many unpickled
// inbound group sessions.

var scaleFlag = flag.Bool("scale", false,
	"run BenchmarkScaleUnpickleIGS with 100,000 sessions instead of 1,000")

// BenchmarkScaleMegolmDecryptAt decrypts one message at a far index on a
// fresh index-0 session of a new signing key (see benchDecryptCold). Index 2^24 moves only R0 (4 HMACs); 2^24-1 moves
// R1, R2 and R3 by 255 each (about 770 HMACs), close to the worst case.
func BenchmarkScaleMegolmDecryptAt(b *testing.B) {
	for _, at := range []struct {
		name  string
		index uint32
	}{{"2^24", 1 << 24}, {"2^24-1", 1<<24 - 1}} {
		b.Run("index="+at.name, func(b *testing.B) {
			mk := getCold(b, at.index)
			forImpls(b, func(b *bt, im impl) { benchDecryptCold(b, im, mk) })
		})
	}
}

// BenchmarkScaleOlmDecryptGap2000 decrypts, on a fresh copy of bob's
// session (loaded from its pickle with the timer stopped), the message with
// counter 2000 of a new chain: 2000 message keys are skipped, the most
// libolm allows.
func BenchmarkScaleOlmDecryptGap2000(b *testing.B) {
	c := getOlm(b)
	forImpls(b, func(b *bt, im impl) {
		var s session
		for range b.N {
			b.StopTimer()
			if s != nil {
				s.close()
			}
			var err error
			s, err = im.sessionFromPickle(c.bob, pickleKey)
			must(b, err)
			b.StartTimer()
			pt, err := s.decrypt(1, c.gap)
			if err != nil {
				b.Fatal(err)
			}
			sinkBytes = pt
		}
		b.StopTimer()
		s.close()
	})
}

// BenchmarkScaleUnpickleIGS unpickles n inbound group sessions and keeps
// them all, reporting the time per session and the live Go heap per
// session. libolm is left out: its sessions live in C memory.
func BenchmarkScaleUnpickleIGS(b *testing.B) {
	n := 1000
	if *scaleFlag {
		n = 100_000
	}
	c := getOlm(b)
	b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
		for _, im := range []impl{newtImpl{}, goolmImpl{}} {
			runImpl(b, "impl="+im.name(), func(b *bt) {
				keep := make([]inboundGroupSession, n)
				var perSession float64
				for range b.N {
					b.StopTimer()
					clear(keep)
					before := newttest.LiveHeap()
					b.StartTimer()
					for i := range keep {
						s, err := im.inboundGroupSessionFromPickle(c.igs, pickleKey)
						if err != nil {
							b.Fatal(err)
						}
						keep[i] = s
					}
					b.StopTimer()
					perSession = float64(newttest.LiveHeap()-before) / float64(n)
					b.StartTimer()
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/session")
				b.ReportMetric(float64(b.CPU().Nanoseconds())/float64(b.N)/float64(n), "cpu-ns/session")
				b.ReportMetric(perSession, "B/session")
				runtime.KeepAlive(keep)
			})
		}
	})
}
