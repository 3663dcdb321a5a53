// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package bench

import (
	"flag"
	"fmt"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/newt-e2ee/newt/megolm"
)

// Load and contention: many goroutines decrypting in many rooms at once.
// Every InboundGroupSession of the process shares megolm's cache of
// signature verification tables, one mutex-protected LRU; these benchmarks
// show whether that lock serialises decryption. Run them with -cpu 1,2 (see
// the README's "Contention" section).

var contentionFlag = flag.Bool("contention", false,
	"run BenchmarkMegolmDecryptParallel's whole matrix (100 and 1,000 rooms, 1 to 64 goroutines) "+
		"instead of 100 rooms and 2 goroutines")

// contentionRooms and contentionMessages size the workload: up to 1,000
// rooms, each with its own Megolm session, of contentionMessages messages
// each.
const (
	contentionRooms    = 1000
	contentionMessages = 16
)

// room is one Megolm session: its session key and its messages in order.
type room struct {
	key  *megolm.SessionKey
	msgs []string
}

var rooms []room

// getRooms returns n rooms, made once per process (about a millisecond per
// room).
func getRooms(n int) []room {
	pt := plaintext(256)
	for len(rooms) < n {
		g := megolm.GenerateGroupSession()
		r := room{key: g.SessionKey()}
		for range contentionMessages {
			r.msgs = append(r.msgs, g.EncryptBase64(pt))
		}
		rooms = append(rooms, r)
	}
	return rooms[:n]
}

// mutexWait returns the total time goroutines of the process have spent
// blocked on a sync.Mutex or RWMutex (or a runtime lock) so far.
func mutexWait() float64 {
	s := []metrics.Sample{{Name: "/sync/mutex/wait/total:seconds"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindFloat64 {
		return 0
	}
	return s[0].Value.Float64() * 1e9
}

// BenchmarkMegolmDecryptParallel decrypts Megolm messages from goroutines
// goroutines at once, the rooms taken in turn (message i is in room
// i mod rooms), each room with its own inbound session. ns/op is wall time
// per message over all goroutines (the inverse of throughput); cpu-ns/op is
// CPU time per message; mutex-wait-ns/op is the time goroutines spent
// blocked on locks per message (runtime/metrics
// /sync/mutex/wait/total:seconds), which is what a serialising lock would
// add. With 100 rooms the tables of every room's signing key fit in the
// cache's budget; with 1,000 they do not, and the LRU turns over. Without
// -contention only 100 rooms and 2 goroutines run.
func BenchmarkMegolmDecryptParallel(b *testing.B) {
	roomCounts, goroutines := []int{100}, []int{2}
	if *contentionFlag {
		roomCounts, goroutines = []int{100, contentionRooms}, []int{1, 2, 8, 64}
	}
	for _, nrooms := range roomCounts {
		all := getRooms(nrooms)
		for _, g := range goroutines {
			b.Run(fmt.Sprintf("rooms=%d/goroutines=%d", nrooms, g), func(b *testing.B) {
				runImpl(b, "impl=newt", func(b *bt) {
					b.StopTimer()
					sessions := make([]*megolm.InboundGroupSession, nrooms)
					for r := range sessions {
						s, err := megolm.NewInboundGroupSession(all[r].key)
						must(b, err)
						sessions[r] = s
					}
					decrypt := func(i int) {
						r := i % nrooms
						m := (i / nrooms) % contentionMessages
						if _, idx, err := sessions[r].DecryptBase64(all[r].msgs[m]); err != nil || idx != uint32(m) {
							b.Errorf("room %d message %d: index %d, %v", r, m, idx, err)
						}
					}
					// Four laps untimed, so the cache has settled for
					// this number of rooms.
					for i := range 4 * nrooms {
						decrypt(i)
					}
					wait := mutexWait()
					b.ResetTimer()
					b.StartTimer()
					var next atomic.Int64
					var wg sync.WaitGroup
					for range g {
						wg.Go(func() {
							for {
								i := int(next.Add(1)) - 1
								if i >= b.N {
									return
								}
								decrypt(i)
							}
						})
					}
					wg.Wait()
					b.StopTimer()
					b.ReportMetric((mutexWait()-wait)/float64(b.N), "mutex-wait-ns/op")
				})
			})
		}
	}
}
