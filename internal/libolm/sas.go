// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

//go:build libolm

package libolm

// #include "shim.h"
import "C"

import "runtime"

// SAS is an OlmSAS in C memory (src/sas.c).
type SAS struct {
	ptr     *C.OlmSAS
	cleanup runtime.Cleanup
}

func (s *SAS) p() *C.OlmSAS {
	if s == nil || s.ptr == nil {
		freed("SAS")
	}
	return s.ptr
}

// Free clears (zeroes) and releases the object. It is safe to call twice.
func (s *SAS) Free() {
	if s == nil || s.ptr == nil {
		return
	}
	s.cleanup.Stop()
	C.newt_sas_free(s.ptr)
	s.ptr = nil
}

// NewSAS runs olm_create_sas with 32 random bytes (the Curve25519 private
// key).
func NewSAS(random []byte) (*SAS, error) {
	s := &SAS{ptr: C.newt_sas_new()}
	s.cleanup = runtime.AddCleanup(s, func(p *C.OlmSAS) { C.newt_sas_free(p) }, s.ptr)
	if err := cerr(C.newt_sas_create(s.ptr, ptr(random), sz(len(random)))); err != nil {
		s.Free()
		return nil, err
	}
	return s, nil
}

// PublicKey runs olm_sas_get_pubkey (43 characters).
func (s *SAS) PublicKey() string {
	defer runtime.KeepAlive(s)
	var out [43]byte
	if err := cerr(C.newt_sas_pubkey(s.p(), u8(out[:]))); err != nil {
		panic("libolm: internal error: " + err.Error())
	}
	return string(out[:])
}

// SetTheirKey runs olm_sas_set_their_key on a copy of k (at least 43
// characters; the whole buffer is decoded and the first 32 bytes used).
func (s *SAS) SetTheirKey(k string) error {
	defer runtime.KeepAlive(s)
	return cerr(C.newt_sas_set_their_key(s.p(), sptr(k), sz(len(k))))
}

// GenerateBytes runs olm_sas_generate_bytes: HKDF(secret, 0, info, n).
func (s *SAS) GenerateBytes(info []byte, n int) ([]byte, error) {
	defer runtime.KeepAlive(s)
	if n < 0 {
		n = 0
	}
	out := make([]byte, n)
	if err := cerr(C.newt_sas_generate_bytes(s.p(), ptr(info), sz(len(info)), nz(out),
		sz(n))); err != nil {
		return nil, err
	}
	return out, nil
}

func (s *SAS) mac(variant C.int, input, info []byte) (string, error) {
	defer runtime.KeepAlive(s)
	var out [43]byte
	if err := cerr(C.newt_sas_mac(s.p(), variant, ptr(input), sz(len(input)), ptr(info),
		sz(len(info)), u8(out[:]))); err != nil {
		return "", err
	}
	return string(out[:]), nil
}

// CalculateMAC runs olm_sas_calculate_mac (Matrix hkdf-hmac-sha256), whose
// base64 output is corrupted by libolm's in-place encoding (src/sas.c).
func (s *SAS) CalculateMAC(input, info []byte) (string, error) { return s.mac(0, input, info) }

// CalculateMACFixedBase64 runs olm_sas_calculate_mac_fixed_base64 (Matrix
// hkdf-hmac-sha256.v2): correct base64.
func (s *SAS) CalculateMACFixedBase64(input, info []byte) (string, error) {
	return s.mac(1, input, info)
}

// CalculateMACLongKDF runs olm_sas_calculate_mac_long_kdf (old Riot): a
// 256-byte HKDF output as HMAC key, corrupted base64.
func (s *SAS) CalculateMACLongKDF(input, info []byte) (string, error) {
	return s.mac(2, input, info)
}
