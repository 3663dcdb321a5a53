// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

//go:build !purego

package aessha2_test

import (
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/newt-e2ee/newt/internal/aessha2"
)

// cpuHasAESFlag reads /proc/cpuinfo, independently of golang.org/x/sys/cpu,
// and reports whether the first CPU lists the given flag ("aes" for AES-NI
// on x86, "aes" in Features on arm64). ok is false when the file is absent.
func cpuHasAESFlag() (has, ok bool) {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return false, false
	}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, found := strings.Cut(line, ":")
		if !found {
			continue
		}
		k = strings.TrimSpace(k)
		if k != "flags" && k != "Features" {
			continue
		}
		for _, f := range strings.Fields(v) {
			if f == "aes" {
				return true, true
			}
		}
		return false, true
	}
	return false, false
}

// TestHardwareAES checks the detection against the kernel's view of the CPU:
// on amd64 and arm64 HardwareAES must be true exactly when the CPU has the
// AES instructions (on amd64 the SSE4.1 and SSSE3 that Go also requires are
// present on every AES-NI CPU). The architectures without assembly in
// crypto/aes must report false.
func TestHardwareAES(t *testing.T) {
	got := aessha2.HardwareAES()
	t.Logf("GOARCH=%s HardwareAES=%v", runtime.GOARCH, got)
	switch runtime.GOARCH {
	case "amd64", "arm64":
		has, ok := cpuHasAESFlag()
		if !ok {
			t.Skip("no /proc/cpuinfo flags")
		}
		if got != has {
			t.Fatalf("HardwareAES() = %v, /proc/cpuinfo aes flag = %v", got, has)
		}
	case "ppc64", "ppc64le":
		if !got {
			t.Fatal("ppc64 always has AES in Go's crypto/aes")
		}
	case "s390x":
	default:
		if got {
			t.Fatalf("HardwareAES() = true on %s, where crypto/aes has no assembly", runtime.GOARCH)
		}
	}
}
