// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package newt

import "github.com/newt-e2ee/newt/internal/aessha2"

// HardwareAES reports whether AES, which encrypts every Olm and Megolm
// message, every pickle and every key backup, runs on this machine with
// hardware AES instructions and therefore in constant time. It is true on
// amd64 with AES-NI, arm64 with the ARMv8 AES extension, s390x with CPACF and
// on ppc64/ppc64le. It is false on other architectures (386, arm, riscv64,
// wasm, ...), on CPUs without those instructions and in builds with the
// purego tag: there Go's crypto/aes uses lookup tables indexed by key and
// data, which can leak keys through cache timing (the class of libolm's
// CVE-2024-45191).
//
// newt prints no warning and refuses nothing on its own; an application that
// must not run without constant-time AES checks HardwareAES at startup.
func HardwareAES() bool { return aessha2.HardwareAES() }
