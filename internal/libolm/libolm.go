// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

//go:build libolm

package libolm

// #cgo LDFLAGS: -lolm
// #include "shim.h"
import "C"

import "unsafe"

// Error is a libolm failure. Name is libolm's last_error string for the
// object that failed, for example "BAD_MESSAGE_MAC" or
// "OLM_INPUT_BUFFER_TOO_SMALL" (include/olm/error.h, src/error.c).
type Error struct {
	Name string
}

// Error returns "libolm: " followed by the libolm error name.
func (e *Error) Error() string { return "libolm: " + e.Name }

// Error names that the binding reports itself: libolm's internal functions
// return no error string, and some inputs (a ciphertext that is empty or not
// a multiple of 16 bytes) would make libolm read out of bounds. The names are
// those libolm's public API reports in the same situation.
const (
	errBadMessageMAC = "BAD_MESSAGE_MAC"
	errBadAccountKey = "BAD_ACCOUNT_KEY"
	errInvalidBase64 = "INVALID_BASE64"
)

// cerr converts a C last_error string (nil on success) to an error.
func cerr(s *C.char) error {
	if s == nil {
		return nil
	}
	return &Error{Name: C.GoString(s)}
}

// ptr returns a C view of b's bytes, or nil for an empty slice. The C side
// only reads through it (or copies it first).
func ptr(b []byte) unsafe.Pointer {
	if len(b) == 0 {
		return nil
	}
	return unsafe.Pointer(unsafe.SliceData(b))
}

// sptr is ptr for strings.
func sptr(s string) unsafe.Pointer {
	if len(s) == 0 {
		return nil
	}
	return unsafe.Pointer(unsafe.StringData(s))
}

// u8 returns a C uint8_t pointer to b (b must not be empty).
func u8(b []byte) *C.uint8_t { return (*C.uint8_t)(unsafe.Pointer(unsafe.SliceData(b))) }

// nz is u8 that maps an empty slice to a valid one-byte buffer that libolm
// never reads, for internal functions that take a pointer and a zero length.
func nz(b []byte) *C.uint8_t {
	if len(b) == 0 {
		return (*C.uint8_t)(unsafe.Pointer(&nzByte))
	}
	return u8(b)
}

var nzByte byte

func sz(n int) C.size_t { return C.size_t(n) }

// takeBytes copies a newt_res output into Go memory and frees (wiping) the C
// buffer.
func takeBytes(r C.newt_res) ([]byte, error) {
	if r.err != nil {
		return nil, cerr(r.err)
	}
	out := C.GoBytes(unsafe.Pointer(r.p), C.int(r.n))
	C.newt_free(unsafe.Pointer(r.p), r.n)
	return out, nil
}

// takeString is takeBytes for text outputs (base64, JSON).
func takeString(r C.newt_res) (string, error) {
	b, err := takeBytes(r)
	return string(b), err
}

// mustString is takeString for calls that can only fail on a too-small
// output buffer, which the C helpers always size correctly.
func mustString(r C.newt_res) string {
	s, err := takeString(r)
	if err != nil {
		panic("libolm: internal error: " + err.Error())
	}
	return s
}

// freed panics on use of an object after Free (a programmer error).
func freed(kind string) {
	panic("libolm: use of " + kind + " after Free")
}

// Version returns libolm's version, for example 3, 2, 13.
func Version() (major, minor, patch int) {
	var a, b, c C.uint8_t
	C.olm_get_library_version(&a, &b, &c)
	return int(a), int(b), int(c)
}

// SHA256 returns olm_sha256(in): the unpadded base64 of SHA-256(in), 43
// characters (src/olm.cpp).
func SHA256(in []byte) string {
	var out [43]byte
	if err := cerr(C.newt_sha256(ptr(in), sz(len(in)), u8(out[:]))); err != nil {
		panic("libolm: internal error: " + err.Error())
	}
	return string(out[:])
}

// Ed25519Verify runs olm_ed25519_verify: keyB64 must be exactly 43 characters
// (else INVALID_BASE64); sigB64 is decoded leniently and must yield at least
// 64 bytes. A bad signature gives BAD_MESSAGE_MAC (src/utility.cpp,
// olm::Utility::ed25519_verify).
func Ed25519Verify(keyB64 string, msg []byte, sigB64 string) error {
	return cerr(C.newt_ed25519_verify(sptr(keyB64), sz(len(keyB64)), ptr(msg), sz(len(msg)),
		sptr(sigB64), sz(len(sigB64))))
}
