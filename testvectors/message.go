// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package testvectors

// Messages is the layout of message.json: encoded Olm, pre-key and Megolm
// messages with their decoded fields (libolm src/message.cpp and
// tests/test_message.cpp, vodozemac src/olm/messages). Absent fields are
// empty (and HasCounter/HasIndex false). For Expect "malformed" the fields
// are what libolm's lenient decoder reports; newt's strict codec must reject
// the encoding.
type Messages struct {
	// Comment describes the file and its provenance.
	Comment string `json:"comment"`
	// Olm holds normal (type 1) Olm messages.
	Olm []OlmMessageCase `json:"olm"`
	// PreKey holds pre-key (type 0) Olm messages.
	PreKey []PreKeyMessageCase `json:"pre_key"`
	// Megolm holds Megolm group messages.
	Megolm []MegolmMessageCase `json:"megolm"`
}

// OlmMessageCase is an Olm normal message: Encoded = version ‖ fields ‖ MAC,
// the last MACLength bytes being the MAC.
type OlmMessageCase struct {
	Comment    string `json:"comment"`
	Expect     string `json:"expect"`
	Encoded    Hex    `json:"encoded"`
	MACLength  int    `json:"mac_length"`
	Version    int    `json:"version"`
	RatchetKey Hex    `json:"ratchet_key"`
	HasCounter bool   `json:"has_counter"`
	Counter    uint32 `json:"counter"`
	Ciphertext Hex    `json:"ciphertext"`
	MAC        Hex    `json:"mac"`
}

// PreKeyMessageCase is an Olm pre-key message. Message is the inner normal
// message (with its MAC). SessionID is b64(SHA-256(IdentityKey ‖ BaseKey ‖
// OneTimeKey)), or "" when a key is missing.
type PreKeyMessageCase struct {
	Comment     string `json:"comment"`
	Expect      string `json:"expect"`
	Encoded     Hex    `json:"encoded"`
	Version     int    `json:"version"`
	OneTimeKey  Hex    `json:"one_time_key"`
	BaseKey     Hex    `json:"base_key"`
	IdentityKey Hex    `json:"identity_key"`
	Message     Hex    `json:"message"`
	SessionID   string `json:"session_id"`
}

// MegolmMessageCase is a Megolm message: Encoded = version ‖ fields ‖ MAC ‖
// signature, with MACLength and SignatureLength trailing bytes.
type MegolmMessageCase struct {
	Comment         string `json:"comment"`
	Expect          string `json:"expect"`
	Encoded         Hex    `json:"encoded"`
	MACLength       int    `json:"mac_length"`
	SignatureLength int    `json:"signature_length"`
	Version         int    `json:"version"`
	HasIndex        bool   `json:"has_index"`
	Index           uint32 `json:"index"`
	Ciphertext      Hex    `json:"ciphertext"`
	MAC             Hex    `json:"mac"`
	Signature       Hex    `json:"signature"`
}

// Encoding is one encoded message of message.json with its provenance.
type Encoding struct {
	Comment string
	Encoded []byte
}

// OlmEncodings returns the normal messages whose Expect is expect and whose
// MAC is macLen bytes.
func (m *Messages) OlmEncodings(expect string, macLen int) []Encoding {
	var out []Encoding
	for _, c := range m.Olm {
		if c.Expect == expect && c.MACLength == macLen {
			out = append(out, Encoding{c.Comment, c.Encoded})
		}
	}
	return out
}

// PreKeyEncodings returns the pre-key messages whose Expect is expect.
func (m *Messages) PreKeyEncodings(expect string) []Encoding {
	var out []Encoding
	for _, c := range m.PreKey {
		if c.Expect == expect {
			out = append(out, Encoding{c.Comment, c.Encoded})
		}
	}
	return out
}

// MegolmEncodings returns the Megolm messages whose Expect is expect, with a
// MAC of macLen and a signature of sigLen bytes.
func (m *Messages) MegolmEncodings(expect string, macLen, sigLen int) []Encoding {
	var out []Encoding
	for _, c := range m.Megolm {
		if c.Expect == expect && c.MACLength == macLen && c.SignatureLength == sigLen {
			out = append(out, Encoding{c.Comment, c.Encoded})
		}
	}
	return out
}
