// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package testvectors

// Expect values used by the files of this package.
const (
	// ExpectSuccess: the operation succeeds with the listed output.
	ExpectSuccess = "success"
	// ExpectInvalid: a strict decoder must reject the input.
	ExpectInvalid = "invalid"
	// ExpectNonContributory: X25519 gives the all-zero secret, which newt
	// rejects (libolm uses it silently).
	ExpectNonContributory = "non-contributory"
	// ExpectMissingFields: the message encoding is well formed but lacks
	// fields the protocol requires.
	ExpectMissingFields = "missing fields"
	// ExpectMalformed: the message encoding is broken (truncated field,
	// duplicate field, non-minimal or overlong varint, bad wire type), which
	// newt's strict codec rejects although libolm's lenient decoder does not.
	ExpectMalformed = "malformed"
)

// Primitives is the layout of primitives.json: known answers for the
// primitives under Olm and Megolm (libolm src/crypto.cpp, src/cipher.cpp,
// src/base64.cpp), most of them generated from libolm's internal functions.
type Primitives struct {
	// Comment describes the file and its provenance.
	Comment string `json:"comment"`
	// HKDF holds HKDF-SHA-256 cases.
	HKDF []HKDFCase `json:"hkdf"`
	// HMAC holds HMAC-SHA-256 cases.
	HMAC []HMACCase `json:"hmac"`
	// SHA256 holds SHA-256 cases.
	SHA256 []SHA256Case `json:"sha256"`
	// AESCBC holds AES-256-CBC/PKCS#7 cases.
	AESCBC []AESCBCCase `json:"aes_cbc"`
	// AESSHA2 holds cases of libolm's aes_sha_256 cipher (src/cipher.cpp).
	AESSHA2 []AESSHA2Case `json:"aes_sha2"`
	// Base64 holds unpadded standard base64 cases.
	Base64 []Base64Case `json:"base64"`
	// Ed25519 holds expanded-key Ed25519 cases.
	Ed25519 []Ed25519Case `json:"ed25519"`
	// X25519 holds X25519 cases with raw (unclamped) private keys.
	X25519 []X25519Case `json:"x25519"`
}

// HKDFCase is one HKDF-SHA-256 computation: Out = HKDF(IKM, Salt, Info,
// Length). An empty Salt means libolm's NULL salt, which is 32 zero bytes.
type HKDFCase struct {
	Comment string `json:"comment"`
	Expect  string `json:"expect"`
	IKM     Hex    `json:"ikm"`
	Salt    Hex    `json:"salt"`
	Info    Hex    `json:"info"`
	Length  int    `json:"length"`
	Out     Hex    `json:"out"`
}

// HMACCase is MAC = HMAC-SHA-256(Key, Msg).
type HMACCase struct {
	Comment string `json:"comment"`
	Expect  string `json:"expect"`
	Key     Hex    `json:"key"`
	Msg     Hex    `json:"msg"`
	MAC     Hex    `json:"mac"`
}

// SHA256Case is Digest = SHA-256(Msg); OlmSHA256 is olm_sha256(Msg), the
// unpadded base64 of the digest.
type SHA256Case struct {
	Comment   string `json:"comment"`
	Expect    string `json:"expect"`
	Msg       Hex    `json:"msg"`
	Digest    Hex    `json:"digest"`
	OlmSHA256 string `json:"olm_sha256"`
}

// AESCBCCase is Ciphertext = AES-256-CBC(Key, IV, PKCS7(Plaintext)).
type AESCBCCase struct {
	Comment    string `json:"comment"`
	Expect     string `json:"expect"`
	Key        Hex    `json:"key"`
	IV         Hex    `json:"iv"`
	Plaintext  Hex    `json:"plaintext"`
	Ciphertext Hex    `json:"ciphertext"`
}

// AESSHA2Case is one use of libolm's _olm_cipher_aes_sha_256
// (src/cipher.cpp): AESKey ‖ MACKey ‖ IV = HKDF(IKM, zero salt, Info, 80) and
// Ciphertext = AES-256-CBC(AESKey, IV, PKCS7(Plaintext)). If
// MACOverCiphertext, MAC = HMAC(MACKey, Prefix ‖ Ciphertext)[:8], where
// Prefix is what precedes the ciphertext in the MAC'd buffer (an Olm or
// Megolm message header; empty for pickles). Otherwise (PK encryption,
// src/pk.cpp) MAC = HMAC(MACKey, "")[:8] and Prefix is empty.
type AESSHA2Case struct {
	Comment string `json:"comment"`
	Expect  string `json:"expect"`
	// Info is the HKDF info label as text, e.g. "OLM_KEYS" or "" for PK.
	Info              string `json:"info"`
	IKM               Hex    `json:"ikm"`
	Prefix            Hex    `json:"prefix"`
	MACOverCiphertext bool   `json:"mac_over_ciphertext"`
	Plaintext         Hex    `json:"plaintext"`
	AESKey            Hex    `json:"aes_key"`
	MACKey            Hex    `json:"mac_key"`
	IV                Hex    `json:"iv"`
	Ciphertext        Hex    `json:"ciphertext"`
	MAC               Hex    `json:"mac"`
}

// Base64Case pairs bytes with their unpadded standard base64. For Expect
// "success", Encoded is the encoding of Decoded. For Expect "invalid",
// Encoded is text a strict decoder must reject and Decoded is empty;
// LibolmDecoded is what libolm's lenient decoder returns for Encoded, and
// LibolmError its error ("" if none).
type Base64Case struct {
	Comment       string `json:"comment"`
	Expect        string `json:"expect"`
	Decoded       Hex    `json:"decoded"`
	Encoded       string `json:"encoded"`
	LibolmDecoded Hex    `json:"libolm_decoded"`
	LibolmError   string `json:"libolm_error"`
}

// Ed25519Case is a libolm Ed25519 key from Seed: Expanded is the clamped
// SHA-512 of Seed (the 64-byte key libolm stores), Public its public key,
// and Signature the signature of Message with the expanded key.
type Ed25519Case struct {
	Comment   string `json:"comment"`
	Expect    string `json:"expect"`
	Seed      Hex    `json:"seed"`
	Public    Hex    `json:"public"`
	Expanded  Hex    `json:"expanded"`
	Message   Hex    `json:"message"`
	Signature Hex    `json:"signature"`
}

// X25519Case is Public = X25519(Private, 9) and Shared = X25519(Private,
// PeerPublic), with Private the raw 32 bytes (clamped at use). Expect is
// "non-contributory" when Shared is all zero.
type X25519Case struct {
	Comment    string `json:"comment"`
	Expect     string `json:"expect"`
	Private    Hex    `json:"private"`
	Public     Hex    `json:"public"`
	PeerPublic Hex    `json:"peer_public"`
	Shared     Hex    `json:"shared"`
}
