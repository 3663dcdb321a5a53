// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

//go:build !purego

package aessha2

import (
	"runtime"

	"golang.org/x/sys/cpu"
)

// HardwareAES reports whether crypto/aes runs on this machine with hardware
// AES instructions, and therefore in constant time. It mirrors the condition
// under which crypto/aes selects its assembly: AES-NI with SSE4.1 and SSSE3
// on amd64, the ARMv8 AES extension on arm64, CPACF AES and AES-CBC on
// s390x, and always on ppc64 and ppc64le (POWER8 is Go's minimum). On every
// other architecture, and in builds with the purego tag, crypto/aes uses its
// table-based generic code, whose memory accesses depend on the key and the
// data (the cache-timing class of CVE-2024-45191), and HardwareAES is false.
//
// CPU features disabled with GODEBUG (cpu.aes=off and the like) may be seen
// differently by crypto/aes and by golang.org/x/sys/cpu; with the default
// settings the two agree.
func HardwareAES() bool {
	switch runtime.GOARCH {
	case "amd64":
		return cpu.X86.HasAES && cpu.X86.HasSSE41 && cpu.X86.HasSSSE3
	case "arm64":
		return cpu.ARM64.HasAES
	case "s390x":
		return cpu.S390X.HasAES && cpu.S390X.HasAESCBC
	case "ppc64", "ppc64le":
		return true
	}
	return false
}
