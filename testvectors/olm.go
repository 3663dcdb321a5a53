// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package testvectors

// OlmVectors is the layout of olm.json.
type OlmVectors struct {
	Comment       string                `json:"comment"`
	Accounts      []OlmAccountCase      `json:"accounts"`
	Conversations []OlmConversationCase `json:"conversations"`
}

// OlmAccountCase: olm_create_account(Random), then
// olm_account_generate_one_time_keys(OneTimeKeyCount, OneTimeKeyRandom),
// then (if FallbackRandom is not empty) olm_account_generate_fallback_key,
// then olm_account_mark_keys_as_published.
type OlmAccountCase struct {
	Comment           string `json:"comment"`
	Expect            string `json:"expect"`
	Random            Hex    `json:"random"`
	PickleKey         Hex    `json:"pickle_key"`
	IdentityKeys      string `json:"identity_keys"`
	SignMessage       Hex    `json:"sign_message"`
	Signature         string `json:"signature"`
	OneTimeKeyCount   int    `json:"one_time_key_count"`
	OneTimeKeyRandom  Hex    `json:"one_time_key_random"`
	OneTimeKeys       string `json:"one_time_keys"`
	FallbackRandom    Hex    `json:"fallback_random"`
	FallbackKey       string `json:"fallback_key"`
	Pickle            string `json:"pickle"`
	PublishedCount    int    `json:"published_count"`
	PublishedPickle   string `json:"published_pickle"`
	PublishedKeys     string `json:"published_one_time_keys"`
	PublishedFallback string `json:"published_fallback_key"`
}

// OlmConversationCase: Alice (account AliceRandom) opens a session to Bob
// (account BobRandom, one one-time key from BobKeyRandom, or a fallback key
// if BobUsesFallback) with SessionRandom, then Steps run in order.
type OlmConversationCase struct {
	Comment            string    `json:"comment"`
	Expect             string    `json:"expect"`
	PickleKey          Hex       `json:"pickle_key"`
	AliceRandom        Hex       `json:"alice_random"`
	BobRandom          Hex       `json:"bob_random"`
	BobKeyRandom       Hex       `json:"bob_key_random"`
	BobUsesFallback    bool      `json:"bob_uses_fallback"`
	SessionRandom      Hex       `json:"session_random"`
	SessionID          string    `json:"session_id"`
	Steps              []OlmStep `json:"steps"`
	BobAccountPickle   string    `json:"bob_account_pickle"`
	AliceSessionPickle string    `json:"alice_session_pickle"`
	BobSessionPickle   string    `json:"bob_session_pickle"`
	AliceDescribe      string    `json:"alice_describe"`
	BobDescribe        string    `json:"bob_describe"`
}

// OlmStep is one step. Action "encrypt": Party encrypts Plaintext with
// Random (empty when olm_encrypt_random_length is 0) giving Type and
// Message. Action "decrypt": Party decrypts Message (of Type); Bob's first
// decrypt creates his inbound session (olm_create_inbound_session, decrypt,
// olm_remove_one_time_keys). Expect is "success" with Plaintext, or
// libolm's error name. Pickle and Describe are the party's session after
// the step (unchanged on failure); both are "" where not recorded (all but
// the last of consecutive encryptions by one party), and "" while the party
// has no session.
type OlmStep struct {
	Comment   string `json:"comment"`
	Expect    string `json:"expect"`
	Action    string `json:"action"`
	Party     string `json:"party"`
	Plaintext Hex    `json:"plaintext"`
	Random    Hex    `json:"random"`
	Type      int    `json:"type"`
	Message   string `json:"message"`
	Pickle    string `json:"pickle"`
	Describe  string `json:"describe"`
}
