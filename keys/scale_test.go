// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package keys

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/newt-e2ee/newt/internal/newttest"
)

// TestExportLargeStreaming writes and reads a key export of 100,000
// sessions (10,000 with -short or the race detector) through a file and
// measures the live heap: the writer holds one session at a time, and the
// reader holds the decoded body (3/4 of the file) plus one session, far
// from the three copies (text, body, plaintext) a naive reader holds.
func TestExportLargeStreaming(t *testing.T) {
	n := 100_000
	if testing.Short() || raceEnabled {
		n = 10_000
	}
	base := testSessions(t, 50, 50)
	path := filepath.Join(t.TempDir(), "export.txt")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}

	beforeWrite := newttest.LiveHeap()
	w, err := NewExportWriter(f, []byte("p"), 10)
	if err != nil {
		t.Fatal(err)
	}
	var peakWrite uint64
	for i := range n {
		s := *base[i%len(base)]
		s.RoomID = "!room" + strconv.Itoa(i) + ":example.org"
		if err := w.Write(&s); err != nil {
			t.Fatal(err)
		}
		if i%(n/10) == 0 {
			peakWrite = max(peakWrite, newttest.LiveHeap())
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	fi, _ := os.Stat(path)
	size := uint64(fi.Size())

	f, err = os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	beforeRead := newttest.LiveHeap()
	r, err := DecryptExport(f, []byte("p"), nil)
	if err != nil {
		t.Fatal(err)
	}
	var peakRead uint64
	count := 0
	newttest.ReadEach(t, r.Next, func(s *ExportedSession) {
		if s.RoomID != "!room"+strconv.Itoa(count)+":example.org" {
			t.Fatalf("session %d is in %q", count, s.RoomID)
		}
		if count%(n/10) == 0 {
			peakRead = max(peakRead, newttest.LiveHeap())
		}
		count++
	})
	r.Close()
	if count != n {
		t.Fatalf("read %d sessions, want %d", count, n)
	}
	growthWrite := int64(peakWrite) - int64(beforeWrite)
	growthRead := int64(peakRead) - int64(beforeRead)
	t.Logf("%d sessions, file %.1f MB; live heap while writing +%.2f MB, while reading +%.1f MB (%.2f× the file)",
		n, float64(size)/1e6, float64(growthWrite)/1e6, float64(growthRead)/1e6, float64(growthRead)/float64(size))
	if growthWrite > 4<<20 {
		t.Errorf("writing held %d bytes", growthWrite)
	}
	if growthRead > int64(size) {
		t.Errorf("reading held %d bytes for a file of %d", growthRead, size)
	}
}
