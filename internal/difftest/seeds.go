// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package difftest

import (
	"encoding/binary"
	"errors"
	"io/fs"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// SeedPrograms returns n operation sequences of 8 to 600 bytes from fixed
// seeds, for seed corpora and for deterministic test runs.
func SeedPrograms(n int) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		var seed [32]byte
		binary.LittleEndian.PutUint64(seed[:], uint64(i))
		copy(seed[8:], "newt differential")
		r := rand.New(rand.NewChaCha8(seed))
		b := make([]byte, 8+r.IntN(593))
		for j := range b {
			b[j] = byte(r.Uint32())
		}
		out[i] = b
	}
	return out
}

// CheckAllowedUsed fails t for each entry of allowed that stats never
// counted: a table entry that the runs do not need is either stale or
// untested.
func CheckAllowedUsed(t testing.TB, allowed map[Difference]string, stats *Stats) {
	t.Helper()
	for _, d := range slices.Sorted(maps.Keys(allowed)) {
		if stats.Allowed[d] == 0 {
			t.Errorf("allowed difference %q never occurred", d)
		}
	}
}

// ReadCorpus returns the inputs of the fuzz corpus files in dir (Go's
// "go test fuzz v1" format with one []byte value), so that tests can run
// the committed corpus with their own statistics. A missing dir is empty.
func ReadCorpus(t testing.TB, dir string) [][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		header, value, _ := strings.Cut(strings.TrimSpace(string(b)), "\n")
		quoted, ok := strings.CutPrefix(value, "[]byte(")
		if header != "go test fuzz v1" || !ok || !strings.HasSuffix(quoted, ")") {
			t.Fatalf("%s: not a corpus file with one []byte", e.Name())
		}
		s, err := strconv.Unquote(strings.TrimSuffix(quoted, ")"))
		if err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		out = append(out, []byte(s))
	}
	return out
}
