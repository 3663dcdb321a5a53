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
		out[i] = seedProgram(i)
	}
	return out
}

// seedProgram returns the i-th of SeedPrograms.
func seedProgram(i int) []byte {
	var seed [32]byte
	binary.LittleEndian.PutUint64(seed[:], uint64(i))
	copy(seed[8:], "newt differential")
	r := rand.New(rand.NewChaCha8(seed))
	b := make([]byte, 8+r.IntN(593))
	for j := range b {
		b[j] = byte(r.Uint32())
	}
	return b
}

// RunPrograms runs the first n SeedPrograms and then corpus with cfg, then
// further SeedPrograms until every difference in cfg.Allowed has occurred
// or limit programs have run in all, and fails t for each allowed
// difference that never occurred: a table entry the runs do not need is
// either stale or untested. Corpus entries mean what the engine makes of
// them, so the extra programs keep the check honest when the engine
// changes; committing an input that meets a rare difference keeps it fast.
// It returns the statistics of all runs.
func RunPrograms(t testing.TB, cfg *Config, n, limit int, corpus [][]byte) *Stats {
	t.Helper()
	if cfg.Stats == nil {
		cfg.Stats = new(Stats)
	}
	programs := append(SeedPrograms(n), corpus...)
	for _, in := range programs {
		Run(t, cfg, in)
	}
	unmet := func() []Difference {
		var out []Difference
		for _, d := range slices.Sorted(maps.Keys(cfg.Allowed)) {
			if cfg.Stats.Allowed[d] == 0 {
				out = append(out, d)
			}
		}
		return out
	}
	ran := len(programs)
	for seed := n; len(unmet()) > 0 && ran < limit; seed++ {
		Run(t, cfg, seedProgram(seed))
		ran++
	}
	if ran > len(programs) {
		t.Logf("%d more programs to meet every allowed difference", ran-len(programs))
	}
	for _, d := range unmet() {
		t.Errorf("allowed difference %q never occurred in %d programs", d, ran)
	}
	return cfg.Stats
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
