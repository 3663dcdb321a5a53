// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package main

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/megolm"
	"github.com/newt-e2ee/newt/olm"
	"github.com/newt-e2ee/newt/pk"
)

const inspectUsage = `Usage: newt inspect [flags] [MESSAGE|-]

Decode one unpadded-base64 object, given as the argument or on standard
input ("-" or no argument), and print its fields. The kind is detected:

  Olm pre-key message (type 0)     Olm normal message (type 1)
  Megolm message                   Megolm session key (229 bytes, version 2)
  Megolm exported session key (165 bytes, version 1)

A session key's ratchet is secret and is never printed: only its index,
signing key (the session id) and signature.

Flags:
  --json                  print the fields as a JSON object
  --type T                decode as T instead of detecting the kind:
                          0 (Olm pre-key message), 1 (Olm normal message),
                          megolm, session-key or export
  --session-key KEY       for a Megolm message: the session key or exported
                          session key (base64) whose signing key must have
                          signed it; prints the session id and checks the
                          signature (nothing is decrypted)
  --session-key-file F    read that key from file F instead, which keeps it
                          out of the process list and shell history
  -h, --help              show this help

Exit status: 0 on success, 1 if the input does not decode or a signature is
invalid, 2 on a usage error.
`

// inputKind is what inspect decodes its input as.
type inputKind int

const (
	kindAuto inputKind = iota
	kindPreKey
	kindOlm
	kindMegolm
	kindSessionKey
	kindExport
)

// name is the kind's name in error messages.
func (k inputKind) name() string {
	switch k {
	case kindPreKey:
		return "olm pre-key message"
	case kindOlm:
		return "olm message"
	case kindMegolm:
		return "megolm message"
	case kindSessionKey:
		return "session key"
	case kindExport:
		return "exported session key"
	}
	return "input"
}

func parseKind(s string) (inputKind, bool) {
	switch strings.ToLower(s) {
	case "":
		return kindAuto, true
	case "0", "prekey", "pre-key":
		return kindPreKey, true
	case "1", "olm", "message":
		return kindOlm, true
	case "megolm":
		return kindMegolm, true
	case "session-key", "sessionkey":
		return kindSessionKey, true
	case "export", "exported", "exported-session-key":
		return kindExport, true
	}
	return kindAuto, false
}

// Lengths of the base64 forms of the two key formats.
var (
	sessionKeyB64Len = base64.RawStdEncoding.EncodedLen(megolm.SessionKeySize)
	exportB64Len     = base64.RawStdEncoding.EncodedLen(megolm.ExportedSessionKeySize)
)

// groupKey is the key given with --session-key: only its public part is
// kept.
type groupKey struct {
	signingKey newt.Ed25519PublicKey
	kind       inputKind // kindSessionKey or kindExport
}

func runInspect(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	const prog = "newt inspect"
	fs := newFlagSet(prog)
	asJSON := fs.Bool("json", false, "")
	typeFlag := fs.String("type", "", "")
	keyFlag := fs.String("session-key", "", "")
	keyFile := fs.String("session-key-file", "", "")
	positional, status, done := parseCommandLine(fs, prog, inspectUsage, args, stdout, stderr)
	if done {
		return status
	}
	if len(positional) > 1 {
		return usageError(stderr, prog, "too many arguments: give one message, or - for standard input")
	}
	kind, ok := parseKind(*typeFlag)
	if !ok {
		return usageError(stderr, prog, fmt.Sprintf("--type %q: want 0, 1, megolm, session-key or export", *typeFlag))
	}
	if *keyFlag != "" && *keyFile != "" {
		return usageError(stderr, prog, "--session-key and --session-key-file cannot be used together")
	}

	var key *groupKey
	switch {
	case *keyFile != "":
		s, err := readKeyFile(*keyFile)
		if err != nil {
			return failure(stderr, prog, "--session-key-file: "+err.Error())
		}
		key, err = parseGroupKey(string(bytes.TrimSpace(s)))
		clear(s)
		if err != nil {
			return failure(stderr, prog, "--session-key-file: "+err.Error())
		}
	case *keyFlag != "":
		var err error
		if key, err = parseGroupKey(*keyFlag); err != nil {
			return failure(stderr, prog, "--session-key: "+err.Error())
		}
	}

	input, err := readInput(positional, stdin, "input")
	if err != nil {
		return failure(stderr, prog, err.Error())
	}
	res, err := inspect(input, kind, key)
	if err != nil {
		if errors.Is(err, errKeyNotApplicable) {
			return usageError(stderr, prog, err.Error())
		}
		return failure(stderr, prog, err.Error())
	}
	if err := res.report.write(stdout, *asJSON); err != nil {
		return failure(stderr, prog, "writing output: "+err.Error())
	}
	if res.badSignature != "" {
		return failure(stderr, prog, res.badSignature)
	}
	return exitOK
}

// errKeyNotApplicable is returned by inspect when --session-key was given
// for something other than a Megolm message.
var errKeyNotApplicable = errors.New("--session-key applies only to a Megolm message")

// inspectResult is a decoded input: its report, and a non-empty
// badSignature when a signature check failed.
type inspectResult struct {
	report       report
	badSignature string
}

// inspect decodes input as kind (detecting it for kindAuto) and describes it.
func inspect(input string, kind inputKind, key *groupKey) (inspectResult, error) {
	if kind == kindAuto {
		var err error
		if kind, err = detectKind(input); err != nil {
			return inspectResult{}, err
		}
	}
	if key != nil && kind != kindMegolm {
		return inspectResult{}, fmt.Errorf("%w; the input is an %s", errKeyNotApplicable, kind.name())
	}
	switch kind {
	case kindPreKey:
		m, err := olm.ParsePreKeyMessage(input)
		if err != nil {
			return inspectResult{}, fmt.Errorf("%s: %v", kind.name(), err)
		}
		return inspectResult{report: preKeyReport(m)}, nil
	case kindOlm:
		m, err := olm.ParseMessage(input)
		if err != nil {
			return inspectResult{}, fmt.Errorf("%s: %v", kind.name(), err)
		}
		r := report{
			{label: "kind", key: "kind", text: "Olm message (type 1)", json: "olm_message"},
			num("type", "type", int64(olm.MessageTypeNormal)),
		}
		return inspectResult{report: append(r, olmMessageFields(m)...)}, nil
	case kindMegolm:
		m, err := megolm.ParseMessage(input)
		if err != nil {
			return inspectResult{}, fmt.Errorf("%s: %v", kind.name(), err)
		}
		return megolmMessageReport(m, key), nil
	case kindSessionKey:
		k, err := megolm.ParseSessionKey(input)
		if err != nil {
			return inspectResult{}, fmt.Errorf("%s: %v", kind.name(), err)
		}
		return sessionKeyReport(k), nil
	case kindExport:
		k, err := megolm.ParseExportedSessionKey(input)
		if err != nil {
			return inspectResult{}, fmt.Errorf("%s: %v", kind.name(), err)
		}
		return inspectResult{report: exportReport(k)}, nil
	}
	return inspectResult{}, errors.New("unknown input kind")
}

// detectKind finds what input is. The two key formats are recognised by
// their length and version byte, read from the first two base64 characters,
// so that the secret keys are decoded only by megolm's constant-time parser.
// A message (version 3) is tried as an Olm pre-key message, a Megolm message
// and an Olm normal message, in that order: their encodings differ enough
// that at most one decodes strictly.
func detectKind(input string) (inputKind, error) {
	v, ok := leadingByte(input)
	switch {
	case ok && v == 2 && len(input) == sessionKeyB64Len:
		return kindSessionKey, nil
	case ok && v == 1 && len(input) == exportB64Len:
		return kindExport, nil
	case ok && v == olm.Version:
		if _, err := base64.RawStdEncoding.Strict().DecodeString(input); err != nil {
			return kindAuto, base64Error(err)
		}
		_, errPreKey := olm.ParsePreKeyMessage(input)
		if errPreKey == nil {
			return kindPreKey, nil
		}
		_, errMegolm := megolm.ParseMessage(input)
		if errMegolm == nil {
			return kindMegolm, nil
		}
		_, errOlm := olm.ParseMessage(input)
		if errOlm == nil {
			return kindOlm, nil
		}
		return kindAuto, fmt.Errorf("not a valid message (as an olm pre-key message: %v; as a megolm message: %v; as an olm message: %v)",
			errPreKey, errMegolm, errOlm)
	}
	// Say precisely what is wrong. This decodes the input with a decoder
	// that is not constant time, which is acceptable: it is not one of the
	// key formats.
	raw, err := base64.RawStdEncoding.Strict().DecodeString(input)
	if err != nil {
		return kindAuto, base64Error(err)
	}
	switch {
	case raw[0] == 2:
		return kindAuto, fmt.Errorf("version byte 2 is a session key, which has %d bytes (%d base64 characters), got %d bytes", megolm.SessionKeySize, sessionKeyB64Len, len(raw))
	case raw[0] == 1:
		return kindAuto, fmt.Errorf("version byte 1 is an exported session key, which has %d bytes (%d base64 characters), got %d bytes", megolm.ExportedSessionKeySize, exportB64Len, len(raw))
	}
	return kindAuto, fmt.Errorf("unknown version byte 0x%02x: not an Olm or Megolm message (3), session key (2) or exported session key (1)", raw[0])
}

// base64Error describes a failure of the standard library's base64 decoder.
func base64Error(err error) error {
	var ce base64.CorruptInputError
	if errors.As(err, &ce) {
		return fmt.Errorf("input is not unpadded base64 (bad character, padding or length at offset %d)", int64(ce))
	}
	return errors.New("input is not unpadded base64")
}

// leadingByte returns the first byte encoded by the base64 string s, from
// its first two characters.
func leadingByte(s string) (byte, bool) {
	if len(s) < 2 {
		return 0, false
	}
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	hi, lo := strings.IndexByte(alphabet, s[0]), strings.IndexByte(alphabet, s[1])
	if hi < 0 || lo < 0 {
		return 0, false
	}
	return byte(hi<<2 | lo>>4), true
}

// parseGroupKey parses a session key or an exported session key and keeps
// its public part.
func parseGroupKey(s string) (*groupKey, error) {
	switch len(s) {
	case sessionKeyB64Len:
		k, err := megolm.ParseSessionKey(s)
		if err != nil {
			return nil, err
		}
		return &groupKey{signingKey: k.SigningKey(), kind: kindSessionKey}, nil
	case exportB64Len:
		k, err := megolm.ParseExportedSessionKey(s)
		if err != nil {
			return nil, err
		}
		return &groupKey{signingKey: k.SigningKey(), kind: kindExport}, nil
	}
	return nil, fmt.Errorf("not a session key (%d base64 characters) or exported session key (%d): got %d characters", sessionKeyB64Len, exportB64Len, len(s))
}

// readKeyFile reads a small secret file.
func readKeyFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxInput+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxInput {
		clear(b)
		return nil, fmt.Errorf("%s is larger than %d bytes", name, maxInput)
	}
	return b, nil
}

func preKeyReport(m *olm.PreKeyMessage) report {
	inner := m.Message()
	return report{
		{label: "kind", key: "kind", text: "Olm pre-key message (type 0)", json: "olm_prekey_message"},
		num("type", "type", int64(olm.MessageTypePreKey)),
		num("version", "version", int64(m.Version())),
		bytesLen("length", "length", len(m.Bytes())),
		str("session id", "session_id", m.SessionID()),
		str("one-time key", "one_time_key", m.OneTimeKey().String()),
		str("base key", "base_key", m.BaseKey().String()),
		str("identity key", "identity_key", m.IdentityKey().String()),
		nested("message", "message", olmMessageFields(inner)),
	}
}

// olmMessageFields describes a normal Olm message, alone or inside a
// pre-key message.
func olmMessageFields(m *olm.Message) report {
	return report{
		num("version", "version", int64(m.Version())),
		bytesLen("length", "length", len(m.Bytes())),
		str("ratchet key", "ratchet_key", m.RatchetKey().String()),
		num("counter", "counter", int64(m.Counter())),
		bytesLen("ciphertext", "ciphertext_length", len(m.Ciphertext())),
		str("mac", "mac", hex.EncodeToString(m.MAC())),
	}
}

func megolmMessageReport(m *megolm.Message, key *groupKey) inspectResult {
	b := m.Bytes()
	r := report{
		{label: "kind", key: "kind", text: "Megolm message", json: "megolm_message"},
		num("version", "version", int64(b[0])),
		bytesLen("length", "length", len(b)),
		num("message index", "message_index", int64(m.Index())),
		bytesLen("ciphertext", "ciphertext_length", len(m.Ciphertext())),
		str("mac", "mac", hex.EncodeToString(m.MAC())),
		str("signature", "signature", m.Signature().String()),
	}
	var res inspectResult
	if key == nil {
		r = append(r, textOnly("signature check", "not checked (give --session-key)"))
		res.report = r
		return res
	}
	// The signature covers everything before it, the MAC included.
	valid := pk.VerifySignature(key.signingKey, b[:len(b)-megolm.SignatureSize], m.Signature()) == nil
	verdict := "valid"
	if !valid {
		verdict = "invalid"
		res.badSignature = "message signature is invalid for session " + key.signingKey.String()
	}
	r = append(r,
		str("session id", "session_id", key.signingKey.String()),
		field{label: "signature check", key: "signature_valid", text: verdict + " (signing key from the " + key.kind.name() + ")", json: valid},
	)
	res.report = r
	return res
}

func sessionKeyReport(k *megolm.SessionKey) inspectResult {
	b := k.Bytes()
	defer clear(b)
	body, sigBytes := b[:megolm.ExportedSessionKeySize], b[megolm.ExportedSessionKeySize:]
	sig, err := newt.NewEd25519Signature(sigBytes)
	valid := err == nil && pk.VerifySignature(k.SigningKey(), body, sig) == nil
	verdict := "valid"
	var res inspectResult
	if !valid {
		verdict = "invalid"
		res.badSignature = "session key signature is invalid"
	}
	res.report = append(megolmKeyRows("Megolm session key", "megolm_session_key", b, k.Index(), k.SigningKey()),
		str("signature", "signature", sig.String()),
		field{label: "signature check", key: "signature_valid", text: verdict, json: valid},
	)
	return res
}

// megolmKeyRows returns the rows that session keys and exports share: what
// the key is, its version and length, the message index, the session ID
// (the signing key) and the ratchet, which is secret and not shown.
func megolmKeyRows(kind, kindJSON string, b []byte, index uint32, signing newt.Ed25519PublicKey) report {
	return report{
		{label: "kind", key: "kind", text: kind, json: kindJSON},
		num("version", "version", int64(b[0])),
		bytesLen("length", "length", len(b)),
		num("message index", "message_index", int64(index)),
		str("session id", "session_id", signing.String()),
		str("signing key", "signing_key", signing.String()),
		field{label: "ratchet", key: "ratchet", text: fmt.Sprintf("%d bytes (secret, not shown)", megolm.RatchetSize), json: "redacted"},
	}
}

func exportReport(k *megolm.ExportedSessionKey) report {
	b := k.Bytes()
	defer clear(b)
	return append(megolmKeyRows("Megolm exported session key", "megolm_exported_session_key", b, k.Index(), k.SigningKey()),
		textOnly("signature", "none (exports are unsigned; imported sessions start unverified)"),
	)
}
