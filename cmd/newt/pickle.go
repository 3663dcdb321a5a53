// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package main

import (
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/megolm"
	"github.com/newt-e2ee/newt/olm"
	"github.com/newt-e2ee/newt/pk"
)

const pickleUsage = `Usage: newt pickle [flags] [PICKLE|-]

Decrypt a libolm-format pickle, given as the argument or on standard input
("-" or no argument), and print a summary of the object it holds. Secrets
(private keys, ratchets, chain keys) are never printed.

The pickle key is never taken from the command line and never printed. It is
read from a file (--key-file) or from an environment variable (--key-env,
default NEWT_PICKLE_KEY), used as given, byte for byte, as libolm does.

The object type is detected by trying each kind, unless --type is given:
  account    Olm account: identity keys, one-time key count, fallback key
  session    Olm session: session id, keys, whether it has received a message,
             and its chain indices
  group      Megolm outbound group session: session id, next message index
  inbound    Megolm inbound group session: session id, first known index,
             verified flag
  pk         pk decryption (key backup) key: its public key

Flags:
  --key-file F     read the pickle key from file F; one trailing newline
                   (\n or \r\n) is removed
  --key-env VAR    read the pickle key from environment variable VAR
                   (default NEWT_PICKLE_KEY); an empty value is an empty key
  --type T         account, session, group, inbound or pk
  --json           print the summary as a JSON object
  -h, --help       show this help

Exit status: 0 on success, 1 if the pickle does not decrypt or decode
(for example with the wrong key), 2 on a usage error.
`

// defaultKeyEnv is the environment variable the pickle key is read from by
// default.
const defaultKeyEnv = "NEWT_PICKLE_KEY"

// errWrongKey is the one message for a pickle that does not authenticate:
// a wrong key and a modified pickle cannot be told apart.
var errWrongKey = errors.New("wrong pickle key or corrupted pickle")

// pickleKind is one object type a pickle can hold.
type pickleKind struct {
	name string
	// summarize unpickles p with key and describes the object.
	summarize func(p, key []byte) (report, error)
}

// pickleKinds lists the pickle types in the order they are tried. Their
// layouts differ in version and length, so at most one decodes.
var pickleKinds = []pickleKind{
	{"account", summarizeAccount},
	{"session", summarizeSession},
	{"group", summarizeGroup},
	{"inbound", summarizeInbound},
	{"pk", summarizePk},
}

func runPickle(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	const prog = "newt pickle"
	fs := newFlagSet(prog)
	keyFile := fs.String("key-file", "", "")
	keyEnv := fs.String("key-env", defaultKeyEnv, "")
	typeFlag := fs.String("type", "", "")
	asJSON := fs.Bool("json", false, "")
	positional, status, done := parseCommandLine(fs, prog, pickleUsage, args, stdout, stderr)
	if done {
		return status
	}
	if len(positional) > 1 {
		return usageError(stderr, prog, "too many arguments: give one pickle, or - for standard input (the key is never an argument)")
	}
	envSet := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "key-env" {
			envSet = true
		}
	})
	if *keyFile != "" && envSet {
		return usageError(stderr, prog, "--key-file and --key-env cannot be used together")
	}
	kinds := pickleKinds
	if *typeFlag != "" {
		kinds = nil
		for _, k := range pickleKinds {
			if k.name == strings.ToLower(*typeFlag) {
				kinds = []pickleKind{k}
			}
		}
		if kinds == nil {
			return usageError(stderr, prog, fmt.Sprintf("--type %q: want account, session, group, inbound or pk", *typeFlag))
		}
	}

	var key []byte
	if *keyFile != "" {
		b, err := readKeyFile(*keyFile)
		if err != nil {
			return failure(stderr, prog, "--key-file: "+err.Error())
		}
		key = trimNewline(b)
	} else {
		v, ok := os.LookupEnv(*keyEnv)
		if !ok {
			return usageError(stderr, prog, fmt.Sprintf("no pickle key: environment variable %s is not set (use --key-env VAR or --key-file F)", *keyEnv))
		}
		key = []byte(v)
	}
	defer clear(key)

	input, err := readInput(positional, stdin, "pickle")
	if err != nil {
		return failure(stderr, prog, err.Error())
	}
	r, err := summarizePickle([]byte(input), key, kinds)
	if err != nil {
		return failure(stderr, prog, err.Error())
	}
	if err := r.write(stdout, *asJSON); err != nil {
		return failure(stderr, prog, "writing output: "+err.Error())
	}
	return exitOK
}

// trimNewline removes one trailing "\n" or "\r\n", which editors and
// "echo" add to key files.
func trimNewline(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
		if n := len(b); n > 0 && b[n-1] == '\r' {
			b = b[:n-1]
		}
	}
	return b
}

// summarizePickle decrypts p with key and describes the object it holds,
// trying each of kinds in turn.
func summarizePickle(p, key []byte, kinds []pickleKind) (report, error) {
	// The envelope is the same for every object type, so it is opened once
	// here to tell a wrong key from an unknown layout and to read the
	// layout's version (the first u32).
	version, err := newt.PickleVersion(string(p), key)
	hasVersion := err == nil
	switch {
	case errors.Is(err, newt.ErrBadPickleKey):
		return nil, errWrongKey
	case err != nil && !isBase64(p):
		return nil, errors.New("pickle is not unpadded base64")
	case err != nil && base64.RawStdEncoding.DecodedLen(len(p)) < 4+16+8:
		return nil, errors.New("not a pickle: too short, or not whole cipher blocks and a MAC")
	case err != nil && !errors.Is(err, newt.ErrCorruptedPickle):
		return nil, err
	}

	var reasons []string
	legacy := false
	for _, k := range kinds {
		r, err := k.summarize(p, key)
		if err == nil {
			head := report{str("type", "type", k.name)}
			if hasVersion {
				head = append(head, field{label: "pickle version", key: "pickle_version", text: formatVersion(version), json: version})
			}
			return append(head, r...), nil
		}
		if isBadKey(err) {
			return nil, errWrongKey
		}
		legacy = legacy || errors.Is(err, olm.ErrLegacyAccountPickle)
		reasons = append(reasons, k.name+": "+err.Error())
	}
	if legacy {
		// Version 1 is also the version of several other layouts, none of
		// which decoded it.
		return nil, errors.New("account pickle of version 1 is not supported (libolm cannot use it either)")
	}
	if len(kinds) == 1 {
		return nil, errors.New(reasons[0])
	}
	return nil, fmt.Errorf("the key is right but no pickle type decodes it (version %s): %s",
		formatVersion(version), strings.Join(reasons, "; "))
}

// isBase64 reports whether p is strict unpadded base64. A pickle is
// ciphertext, so this check need not run in constant time.
func isBase64(p []byte) bool {
	_, err := base64.RawStdEncoding.Strict().DecodeString(string(p))
	return err == nil
}

// formatVersion prints a pickle version, in hex when it has the high bit
// set (libolm's 0x80000001 session pickles).
func formatVersion(v uint32) string {
	if v >= 0x80000000 {
		return fmt.Sprintf("0x%08x", v)
	}
	return fmt.Sprint(v)
}

func isBadKey(err error) bool {
	return errors.Is(err, olm.ErrBadPickleKey) || errors.Is(err, megolm.ErrBadPickleKey) || errors.Is(err, pk.ErrBadPickleKey)
}

func summarizeAccount(p, key []byte) (report, error) {
	a, err := olm.AccountFromPickle(string(p), key)
	if err != nil {
		return nil, err
	}
	ids := a.IdentityKeys()
	r := report{
		nested("identity keys", "identity_keys", report{
			str("curve25519", "curve25519", ids.Curve25519.String()),
			str("ed25519", "ed25519", ids.Ed25519.String()),
		}),
		num("unpublished one-time keys", "unpublished_one_time_keys", int64(len(a.OneTimeKeys()))),
	}
	if fk, ok := a.FallbackKey(); ok {
		_, unpublished := a.UnpublishedFallbackKey()
		r = append(r, nested("fallback key", "fallback_key", report{
			str("key id", "key_id", fk.ID.String()),
			str("key", "key", fk.Key.String()),
			boolean("published", "published", !unpublished),
		}))
	} else {
		r = append(r, field{label: "fallback key", key: "fallback_key", text: "none", json: jsonNull{}})
	}
	return r, nil
}

func summarizeSession(p, key []byte) (report, error) {
	s, err := olm.SessionFromPickle(string(p), key)
	if err != nil {
		return nil, err
	}
	keys := s.Keys()
	return report{
		str("session id", "session_id", s.ID()),
		boolean("has received message", "has_received_message", s.HasReceivedMessage()),
		str("identity key", "identity_key", keys.IdentityKey.String()),
		str("base key", "base_key", keys.BaseKey.String()),
		str("one-time key", "one_time_key", keys.OneTimeKey.String()),
		str("chains", "chains", s.Describe()),
	}, nil
}

func summarizeGroup(p, key []byte) (report, error) {
	s, err := megolm.GroupSessionFromPickle(string(p), key)
	if err != nil {
		return nil, err
	}
	return report{
		str("session id", "session_id", s.ID()),
		num("message index", "message_index", int64(s.MessageIndex())),
	}, nil
}

func summarizeInbound(p, key []byte) (report, error) {
	s, err := megolm.InboundGroupSessionFromPickle(string(p), key)
	if err != nil {
		return nil, err
	}
	return report{
		str("session id", "session_id", s.ID()),
		num("first known index", "first_known_index", int64(s.FirstKnownIndex())),
		boolean("verified", "verified", s.IsVerified()),
	}, nil
}

func summarizePk(p, key []byte) (report, error) {
	d, err := pk.DecryptionFromPickle(string(p), key)
	if err != nil {
		return nil, err
	}
	return report{str("public key", "public_key", d.PublicKey().String())}, nil
}

// jsonNull marshals as JSON null.
type jsonNull struct{}

// MarshalJSON implements json.Marshaler.
func (jsonNull) MarshalJSON() ([]byte, error) { return []byte("null"), nil }
