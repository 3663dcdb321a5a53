// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package main

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/ecies"
	"github.com/newt-e2ee/newt/megolm"
	"github.com/newt-e2ee/newt/olm"
)

type request struct {
	Cmd string `json:"cmd"`

	// load_vz
	Account  string   `json:"account"`
	Sessions []string `json:"sessions"`
	Inbound  []string `json:"inbound"`
	Outbound string   `json:"outbound"`

	// olm_decrypt, olm_encrypt, megolm_decrypt
	Index     int    `json:"index"`
	Type      int    `json:"type"`
	Body      string `json:"body"`
	SenderKey string `json:"sender_key"`
	Plaintext string `json:"plaintext"`

	// dehydrate, rehydrate
	Key        string         `json:"key"`
	UserID     string         `json:"user_id"`
	DeviceData string         `json:"device_data"`
	Messages   []dehydratedIn `json:"messages"`

	// ecies
	TheirKey string `json:"their_key"`
	Message  string `json:"message"`
}

type dehydratedIn struct {
	SenderKey string `json:"sender_key"`
	Type      int    `json:"type"`
	Body      string `json:"body"`
}

type state struct {
	account  *olm.Account
	sessions []*olm.Session
	inbound  []*megolm.InboundGroupSession
	outbound *megolm.GroupSession
	ecies    *ecies.Ecies
	channel  *ecies.Channel
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)
	out := json.NewEncoder(os.Stdout)
	st := new(state)
	for in.Scan() {
		var req request
		var resp map[string]any
		err := json.Unmarshal(in.Bytes(), &req)
		if err == nil {
			resp, err = st.do(&req)
		}
		if err != nil {
			resp = map[string]any{"error": err.Error()}
		}
		if err := out.Encode(resp); err != nil {
			os.Exit(1)
		}
	}
}

func (st *state) do(r *request) (map[string]any, error) {
	switch r.Cmd {
	case "load_vz":
		return st.loadVZ(r)
	case "dump_vz":
		resp := map[string]any{"account": string(st.account.PickleJSON())}
		var s, in []string
		for _, x := range st.sessions {
			s = append(s, string(x.PickleJSON()))
		}
		for _, x := range st.inbound {
			in = append(in, string(x.PickleJSON()))
		}
		resp["sessions"], resp["inbound"] = s, in
		if st.outbound != nil {
			resp["outbound"] = string(st.outbound.PickleJSON())
		}
		return resp, nil
	case "olm_decrypt":
		if r.Index >= len(st.sessions) {
			return nil, errors.New("no such session")
		}
		msg, err := olm.ParseEncryptedMessage(olm.MessageType(r.Type), r.Body)
		if err != nil {
			return nil, err
		}
		pt, err := st.sessions[r.Index].Decrypt(msg)
		if err != nil {
			return nil, err
		}
		return map[string]any{"plaintext": string(pt)}, nil
	case "olm_encrypt":
		if r.Index >= len(st.sessions) {
			return nil, errors.New("no such session")
		}
		m, err := st.sessions[r.Index].Encrypt([]byte(r.Plaintext))
		if err != nil {
			return nil, err
		}
		return map[string]any{"type": int(m.Type()), "body": m.Base64()}, nil
	case "megolm_decrypt":
		if r.Index >= len(st.inbound) {
			return nil, errors.New("no such session")
		}
		pt, index, err := st.inbound[r.Index].DecryptBase64(r.Body)
		if err != nil {
			return nil, err
		}
		return map[string]any{"plaintext": string(pt), "index": index}, nil
	case "megolm_encrypt":
		if st.outbound == nil {
			return nil, errors.New("no outbound session")
		}
		return map[string]any{"body": st.outbound.EncryptBase64([]byte(r.Plaintext)), "session_id": st.outbound.ID()}, nil
	case "dehydrate":
		return st.dehydrate(r)
	case "rehydrate":
		return rehydrate(r)
	case "ecies_new":
		st.ecies = ecies.Generate()
		return map[string]any{"public_key": st.ecies.PublicKey().String()}, nil
	case "ecies_inbound":
		m, err := ecies.ParseInitialMessage(r.Message)
		if err != nil {
			return nil, err
		}
		ch, pt, err := st.ecies.EstablishInbound(m)
		if err != nil {
			return nil, err
		}
		st.channel = ch
		return map[string]any{"plaintext": string(pt), "check_code": checkCode(ch)}, nil
	case "ecies_outbound":
		their, err := newt.ParseCurve25519PublicKey(r.TheirKey)
		if err != nil {
			return nil, err
		}
		ch, m, err := ecies.Generate().EstablishOutbound(their, []byte(r.Plaintext))
		if err != nil {
			return nil, err
		}
		st.channel = ch
		return map[string]any{"message": m.String(), "check_code": checkCode(ch)}, nil
	case "ecies_encrypt":
		return map[string]any{"message": st.channel.Encrypt([]byte(r.Plaintext)).String()}, nil
	case "ecies_decrypt":
		m, err := ecies.ParseMessage(r.Message)
		if err != nil {
			return nil, err
		}
		pt, err := st.channel.Decrypt(m)
		if err != nil {
			return nil, err
		}
		return map[string]any{"plaintext": string(pt)}, nil
	}
	return nil, fmt.Errorf("unknown command %q", r.Cmd)
}

func checkCode(ch *ecies.Channel) string {
	b := ch.CheckCode().Bytes()
	return hex.EncodeToString(b[:])
}

// loadVZ loads vodozemac's pickles and reports whether each writes back
// byte for byte.
func (st *state) loadVZ(r *request) (map[string]any, error) {
	var same []bool
	a, err := olm.AccountFromPickleJSON([]byte(r.Account))
	if err != nil {
		return nil, fmt.Errorf("account: %w", err)
	}
	st.account = a
	same = append(same, string(a.PickleJSON()) == r.Account)
	st.sessions = nil
	for i, p := range r.Sessions {
		s, err := olm.SessionFromPickleJSON([]byte(p))
		if err != nil {
			return nil, fmt.Errorf("session %d: %w", i, err)
		}
		st.sessions = append(st.sessions, s)
		same = append(same, string(s.PickleJSON()) == p)
	}
	st.inbound = nil
	for i, p := range r.Inbound {
		s, err := megolm.InboundGroupSessionFromPickleJSON([]byte(p))
		if err != nil {
			return nil, fmt.Errorf("inbound session %d: %w", i, err)
		}
		st.inbound = append(st.inbound, s)
		same = append(same, string(s.PickleJSON()) == p)
	}
	if r.Outbound != "" {
		s, err := megolm.GroupSessionFromPickleJSON([]byte(r.Outbound))
		if err != nil {
			return nil, fmt.Errorf("outbound session: %w", err)
		}
		st.outbound = s
		same = append(same, string(s.PickleJSON()) == r.Outbound)
	}
	return map[string]any{"same": same, "curve25519": a.IdentityKeys().Curve25519.String()}, nil
}

// dehydrate makes a new newt device with one-time and fallback keys,
// publishes its keys (returned signed) and dehydrates it.
func (st *state) dehydrate(r *request) (map[string]any, error) {
	key, err := hex.DecodeString(r.Key)
	if err != nil {
		return nil, err
	}
	a := olm.GenerateAccount()
	if _, err := a.GenerateOneTimeKeys(10); err != nil {
		return nil, err
	}
	a.GenerateFallbackKey()
	deviceID := a.IdentityKeys().Curve25519.String()
	dk, err := a.DeviceKeysJSON(r.UserID, deviceID)
	if err != nil {
		return nil, err
	}
	otks, err := a.SignedOneTimeKeysJSON(r.UserID, deviceID)
	if err != nil {
		return nil, err
	}
	fb, err := a.SignedFallbackKeyJSON(r.UserID, deviceID)
	if err != nil {
		return nil, err
	}
	a.MarkKeysAsPublished()
	data, err := a.DehydratedDeviceJSON(key)
	if err != nil {
		return nil, err
	}
	return map[string]any{
		"device_id":     deviceID,
		"device_data":   string(data),
		"device_keys":   json.RawMessage(dk),
		"one_time_keys": json.RawMessage(otks),
		"fallback_keys": json.RawMessage(fb),
	}, nil
}

// rehydrate opens a device dehydrated by matrix-sdk-crypto and decrypts
// the pre-key messages sent to it.
func rehydrate(r *request) (map[string]any, error) {
	key, err := hex.DecodeString(r.Key)
	if err != nil {
		return nil, err
	}
	a, err := olm.AccountFromDehydratedDeviceJSON([]byte(r.DeviceData), key)
	if err != nil {
		return nil, err
	}
	var sessions []*olm.Session
	var plaintexts []string
	for _, m := range r.Messages {
		msg, err := olm.ParseEncryptedMessage(olm.MessageType(m.Type), m.Body)
		if err != nil {
			return nil, err
		}
		var pt []byte
		found := false
		if pre, ok := msg.(*olm.PreKeyMessage); ok {
			for _, s := range sessions {
				if s.Matches(pre) {
					pt, err = s.Decrypt(msg)
					found = true
					break
				}
			}
			if !found {
				sender, err2 := newt.ParseCurve25519PublicKey(m.SenderKey)
				if err2 != nil {
					return nil, err2
				}
				var s *olm.Session
				s, pt, err = a.NewInboundSessionFrom(sender, pre)
				if err == nil {
					sessions = append(sessions, s)
				}
			}
		} else {
			err = errors.New("a normal message to a device that has no session")
		}
		if err != nil {
			return nil, err
		}
		plaintexts = append(plaintexts, string(pt))
	}
	return map[string]any{"curve25519": a.IdentityKeys().Curve25519.String(), "plaintexts": plaintexts}, nil
}
