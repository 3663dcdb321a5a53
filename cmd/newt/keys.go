// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/newt-e2ee/newt/keys"
	"github.com/newt-e2ee/newt/megolm"
)

const keysUsage = `Usage: newt keys <subcommand> [flags] [arguments]

Work with Megolm keys at rest: Element-style key export files, server-side
key backups and recovery keys.

Subcommands:
  export-decrypt FILE        decrypt a key export file and summarise it
                             (rooms, sessions, first message indexes)
  export-encrypt FILE        encrypt a JSON array of exported sessions (as
                             written by export-decrypt --out) into a key
                             export file
  recovery-key check [KEY]   check a recovery key and say what is wrong
                             with it
  backup-decrypt FILE        decrypt backed-up sessions with a recovery key:
                             a /room_keys/keys response, one KeyBackupData
                             or one session_data object

Passphrases and keys are never taken from the command line (except the key
that recovery-key check is asked to check). They are read from a file
(--passphrase-file, --key-file; the first line, "-" for standard input), or
typed at a prompt with echo off when standard input is a terminal, or read
as the first line of standard input.

Run 'newt keys <subcommand> --help' for the flags of a subcommand.
Exit status: 0 on success, 1 if the operation failed, 2 on a usage error.
`

const exportDecryptUsage = `Usage: newt keys export-decrypt [flags] FILE

Decrypt the key export file FILE ("-" for standard input) and print a
summary: the number of sessions, and per room the sessions and their first
known message indexes. Sessions that cannot be used are listed with the
reason; the others count as imported.

Flags:
  --passphrase-file F  read the passphrase from the first line of F
  --out F              also write the decrypted sessions to F as a JSON
                       array (mode 0600); it holds the room keys in clear
  --sessions           list every session, not only the rooms
  --max-rounds N       refuse files asking for more than N PBKDF2 rounds
                       (default 10000000)
  -h, --help           show this help

Large files show their progress on standard error.
`

const exportEncryptUsage = `Usage: newt keys export-encrypt [flags] FILE

Read a JSON array of exported sessions (ExportedSessionData, as written by
'newt keys export-decrypt --out') from FILE ("-" for standard input) and
write it as an encrypted key export file that Element and other clients
import. The passphrase is asked for twice at a terminal.

Flags:
  --passphrase-file F  read the passphrase from the first line of F
  --out F              write the export file to F (default: standard output)
  --rounds N           PBKDF2 rounds (default 500000, as Element; the spec
                       asks for at least 100000)
  -h, --help           show this help
`

const recoveryKeyUsage = `Usage: newt keys recovery-key check [KEY]

Check a recovery key (the 48 base58 characters, spaces optional) given as
arguments or on standard input, and say whether it is well formed or what is
wrong with it: a character that is not base58 (and where), a wrong length, a
wrong prefix or a failed parity check. For a valid key it prints the public
key it would have as a key backup key, to compare with a backup's
auth_data.public_key.

Flags:
  -h, --help  show this help
`

const backupDecryptUsage = `Usage: newt keys backup-decrypt [flags] FILE

Decrypt backed-up Megolm sessions in FILE ("-" for standard input) with the
backup's recovery key and print them as a JSON array of exported sessions
(the form 'newt keys export-encrypt' takes). FILE is a GET /room_keys/keys
response, or one KeyBackupData or session_data object (then --room and
--session say where it was filed). A summary goes to standard error.

Flags:
  --key-file F   read the recovery key (or the base64 backup key) from the
                 first line of F
  --version F    check that the key belongs to the backup version in F
                 (a GET /room_keys/version response)
  --room R       the room ID of a single session
  --session S    the session ID of a single session
  --out F        write the sessions to F (mode 0600) instead of standard
                 output
  -h, --help     show this help
`

func runKeys(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, keysUsage)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, keysUsage)
		return exitOK
	case "export-decrypt":
		return runExportDecrypt(args[1:], stdin, stdout, stderr)
	case "export-encrypt":
		return runExportEncrypt(args[1:], stdin, stdout, stderr)
	case "recovery-key":
		if len(args) >= 2 && (args[1] == "check" || args[1] == "-h" || args[1] == "--help") {
			if args[1] != "check" {
				fmt.Fprint(stdout, recoveryKeyUsage)
				return exitOK
			}
			return runRecoveryKeyCheck(args[2:], stdin, stdout, stderr)
		}
		return usageError(stderr, "newt keys recovery-key", "want 'newt keys recovery-key check [KEY]'")
	case "backup-decrypt":
		return runBackupDecrypt(args[1:], stdin, stdout, stderr)
	}
	return usageError(stderr, "newt keys", fmt.Sprintf("unknown subcommand %q (run 'newt keys --help')", args[0]))
}

// readLine reads one line of at most maxInput bytes and removes its line
// end.
func readLine(br *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		part, err := br.ReadSlice('\n')
		line = append(line, part...)
		if len(line) > maxInput {
			clear(line)
			return nil, fmt.Errorf("line longer than %d bytes", maxInput)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil && err != io.EOF {
			return nil, err
		}
		if err == io.EOF && len(line) == 0 {
			return nil, io.EOF
		}
		return bytes.TrimRight(line, "\r\n"), nil
	}
}

// readSecret reads a passphrase or key: the first line of file ("-" for
// stdin) if file is set; else, at a terminal, a line typed with echo off
// after prompt (twice if confirm); else the first line of stdin.
func readSecret(file string, stdin io.Reader, stderr io.Writer, prompt string, confirm bool) ([]byte, error) {
	if file != "" && file != "-" {
		f, err := os.Open(file)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return readLine(bufio.NewReader(f))
	}
	if f, ok := stdin.(*os.File); ok && file == "" && isTerminal(f) {
		fmt.Fprint(stderr, prompt+": ")
		s, err := readHidden(f)
		fmt.Fprintln(stderr)
		if err != nil || !confirm {
			return s, err
		}
		fmt.Fprint(stderr, "again: ")
		again, err := readHidden(f)
		fmt.Fprintln(stderr)
		defer clear(again)
		if err != nil {
			return nil, err
		}
		if !bytes.Equal(s, again) {
			clear(s)
			return nil, errors.New("the two entries differ")
		}
		return s, nil
	}
	if stdin == nil {
		return nil, errors.New("no standard input")
	}
	s, err := readLine(bufio.NewReader(stdin))
	if err == io.EOF {
		return nil, errors.New("nothing on standard input")
	}
	return s, err
}

// openInput opens name for reading, "-" being stdin. size is its size if
// known, else -1.
func openInput(name string, stdin io.Reader) (r io.Reader, size int64, closeFn func(), err error) {
	if name == "-" {
		if stdin == nil {
			return nil, 0, nil, errors.New("no standard input")
		}
		return stdin, -1, func() {}, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, 0, nil, err
	}
	size = -1
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
		size = fi.Size()
	}
	return f, size, func() { f.Close() }, nil
}

// progressMin is the input size from which progress is shown.
const progressMin = 4 << 20

// progress prints "prog: what: N%" lines at every 10% to w.
type progress struct {
	w    io.Writer
	prog string
	what string
	last int
}

func (p *progress) update(done, total int64) {
	if p == nil || total <= 0 {
		return
	}
	step := int(done*100/total) / 10 * 10
	if step > p.last {
		p.last = step
		fmt.Fprintf(p.w, "%s: %s: %d%%\n", p.prog, p.what, step)
	}
}

// countingReader reports what has been read to a progress.
type countingReader struct {
	r     io.Reader
	n     int64
	total int64
	p     *progress
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n += int64(n)
	c.p.update(c.n, c.total)
	return n, err
}

// roomSummary accumulates what export-decrypt prints for one room.
type roomSummary struct {
	sessions   int
	minIndex   uint32
	maxIndex   uint32
	sessionIDs []string
	indexes    []uint32
}

func runExportDecrypt(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	const prog = "newt keys export-decrypt"
	fs := newFlagSet(prog)
	passFile := fs.String("passphrase-file", "", "")
	out := fs.String("out", "", "")
	list := fs.Bool("sessions", false, "")
	maxRounds := fs.Uint("max-rounds", keys.DefaultMaxIterations, "")
	pos, status, done := parseCommandLine(fs, prog, exportDecryptUsage, args, stdout, stderr)
	if done {
		return status
	}
	if len(pos) != 1 {
		return usageError(stderr, prog, "want one FILE (run '"+prog+" --help')")
	}
	if *maxRounds == 0 || *maxRounds > 1<<31-1 {
		return usageError(stderr, prog, "--max-rounds must be between 1 and 2147483647")
	}
	if pos[0] == "-" && *passFile == "" {
		return usageError(stderr, prog, "with FILE on standard input, give --passphrase-file")
	}
	if pos[0] == "-" && *passFile == "-" {
		return usageError(stderr, prog, "FILE and the passphrase cannot both come from standard input")
	}
	in, size, closeIn, err := openInput(pos[0], stdin)
	if err != nil {
		return failure(stderr, prog, err.Error())
	}
	defer closeIn()
	pass, err := readSecret(*passFile, stdin, stderr, "passphrase", false)
	if err != nil {
		return failure(stderr, prog, "reading the passphrase: "+err.Error())
	}
	defer clear(pass)

	var p *progress
	if size >= progressMin {
		p = &progress{w: stderr, prog: prog, what: "reading", last: 0}
		in = &countingReader{r: in, total: size, p: p}
	}
	r, err := keys.DecryptExport(in, pass, &keys.Options{MaxIterations: uint32(*maxRounds)})
	if err != nil {
		return failure(stderr, prog, err.Error())
	}
	defer r.Close()
	if p != nil {
		p = &progress{w: stderr, prog: prog, what: "decoding sessions", last: 0}
	}

	var outFile *os.File
	var outBuf *bufio.Writer
	if *out != "" {
		outFile, err = os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
		if err != nil {
			return failure(stderr, prog, err.Error())
		}
		defer outFile.Close()
		outBuf = bufio.NewWriter(outFile)
		outBuf.WriteString("[")
	}
	rooms := map[string]*roomSummary{}
	var failed []*keys.SessionError
	n := 0
	var scratch []byte
	for {
		s, err := r.Next()
		if err == io.EOF {
			_, total := r.Progress()
			p.update(total, total)
			break
		}
		var se *keys.SessionError
		if errors.As(err, &se) {
			failed = append(failed, se)
			continue
		}
		if err != nil {
			return failure(stderr, prog, err.Error())
		}
		if _, err := s.InboundGroupSession(); err != nil {
			failed = append(failed, &keys.SessionError{Index: n + len(failed), RoomID: s.RoomID, SessionID: s.SessionID(), Err: err})
			continue
		}
		n++
		rs := rooms[s.RoomID]
		if rs == nil {
			rs = &roomSummary{minIndex: s.FirstKnownIndex(), maxIndex: s.FirstKnownIndex()}
			rooms[s.RoomID] = rs
		}
		rs.sessions++
		rs.minIndex = min(rs.minIndex, s.FirstKnownIndex())
		rs.maxIndex = max(rs.maxIndex, s.FirstKnownIndex())
		if *list {
			rs.sessionIDs = append(rs.sessionIDs, s.SessionID())
			rs.indexes = append(rs.indexes, s.FirstKnownIndex())
		}
		if outBuf != nil {
			if n > 1 {
				outBuf.WriteString(",")
			}
			outBuf.WriteString("\n")
			scratch, err = s.AppendJSON(scratch[:0])
			if err != nil {
				return failure(stderr, prog, err.Error())
			}
			outBuf.Write(scratch)
			clear(scratch)
		}
		p.update(r.Progress())
	}
	if outBuf != nil {
		outBuf.WriteString("\n]\n")
		if err := outBuf.Flush(); err != nil {
			return failure(stderr, prog, err.Error())
		}
		if err := outFile.Close(); err != nil {
			return failure(stderr, prog, err.Error())
		}
	}

	fmt.Fprintf(stdout, "%s in %s", plural(n, "session"), plural(len(rooms), "room"))
	if len(failed) > 0 {
		fmt.Fprintf(stdout, "; %s could not be used", plural(len(failed), "session"))
	}
	fmt.Fprintln(stdout)
	for _, id := range slices.Sorted(maps.Keys(rooms)) {
		rs := rooms[id]
		idx := "first index " + strconv.FormatUint(uint64(rs.minIndex), 10)
		if rs.maxIndex != rs.minIndex {
			idx = "first indexes " + strconv.FormatUint(uint64(rs.minIndex), 10) + "-" + strconv.FormatUint(uint64(rs.maxIndex), 10)
		}
		fmt.Fprintf(stdout, "  %s  %s, %s\n", oneLine(id), plural(rs.sessions, "session"), idx)
		for i, sid := range rs.sessionIDs {
			fmt.Fprintf(stdout, "    %s  first index %d\n", sid, rs.indexes[i])
		}
	}
	for _, f := range failed {
		fmt.Fprintf(stdout, "  could not use: %s\n", oneLine(f.Error()))
	}
	if *out != "" {
		fmt.Fprintf(stderr, "%s: wrote %s to %s; it holds room keys in clear\n", prog, plural(n, "session"), *out)
	}
	return exitOK
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

func runExportEncrypt(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	const prog = "newt keys export-encrypt"
	fs := newFlagSet(prog)
	passFile := fs.String("passphrase-file", "", "")
	out := fs.String("out", "", "")
	rounds := fs.Uint("rounds", keys.DefaultIterations, "")
	pos, status, done := parseCommandLine(fs, prog, exportEncryptUsage, args, stdout, stderr)
	if done {
		return status
	}
	if len(pos) != 1 {
		return usageError(stderr, prog, "want one FILE (run '"+prog+" --help')")
	}
	if *rounds == 0 || *rounds > 1<<31-1 {
		return usageError(stderr, prog, "--rounds must be between 1 and 2147483647")
	}
	if pos[0] == "-" && (*passFile == "" || *passFile == "-") {
		return usageError(stderr, prog, "with FILE on standard input, give --passphrase-file with a file")
	}
	in, size, closeIn, err := openInput(pos[0], stdin)
	if err != nil {
		return failure(stderr, prog, err.Error())
	}
	defer closeIn()
	pass, err := readSecret(*passFile, stdin, stderr, "passphrase for the export file", true)
	if err != nil {
		return failure(stderr, prog, "reading the passphrase: "+err.Error())
	}
	defer clear(pass)
	if len(pass) == 0 {
		return failure(stderr, prog, "empty passphrase")
	}

	var w io.Writer = stdout
	var outFile *os.File
	if *out != "" {
		outFile, err = os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
		if err != nil {
			return failure(stderr, prog, err.Error())
		}
		defer outFile.Close()
		w = outFile
	}
	var p *progress
	if size >= progressMin {
		p = &progress{w: stderr, prog: prog, what: "encrypting", last: 0}
		in = &countingReader{r: in, total: size, p: p}
	}
	ew, err := keys.NewExportWriter(w, pass, uint32(*rounds))
	if err != nil {
		return failure(stderr, prog, err.Error())
	}
	sr := keys.NewSessionReader(in)
	for {
		s, err := sr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return failure(stderr, prog, err.Error()+" (nothing usable was written)")
		}
		if err := ew.Write(s); err != nil {
			return failure(stderr, prog, err.Error())
		}
	}
	if err := ew.Close(); err != nil {
		return failure(stderr, prog, err.Error())
	}
	if outFile != nil {
		if err := outFile.Close(); err != nil {
			return failure(stderr, prog, err.Error())
		}
	}
	fmt.Fprintf(stderr, "%s: encrypted %s with %d rounds\n", prog, plural(ew.Count(), "session"), *rounds)
	if *rounds < 100_000 {
		fmt.Fprintf(stderr, "%s: warning: the spec asks for at least 100000 rounds\n", prog)
	}
	return exitOK
}

func runRecoveryKeyCheck(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	const prog = "newt keys recovery-key check"
	fs := newFlagSet(prog)
	pos, status, done := parseCommandLine(fs, prog, recoveryKeyUsage, args, stdout, stderr)
	if done {
		return status
	}
	var key string
	if len(pos) == 0 || (len(pos) == 1 && pos[0] == "-") {
		b, err := readSecret("-", stdin, stderr, "", false)
		if err != nil {
			return failure(stderr, prog, "reading the key: "+err.Error())
		}
		key = string(b)
		clear(b)
	} else {
		key = strings.Join(pos, " ")
	}
	raw, err := keys.DecodeRecoveryKey(key)
	if err != nil {
		return failure(stderr, prog, err.Error())
	}
	defer clear(raw)
	bk, _ := keys.NewBackupKey(raw)
	fmt.Fprintln(stdout, "valid recovery key")
	fmt.Fprintln(stdout, "as a key backup key, its public key is", bk.PublicKey())
	return exitOK
}

func runBackupDecrypt(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	const prog = "newt keys backup-decrypt"
	fs := newFlagSet(prog)
	keyFile := fs.String("key-file", "", "")
	versionFile := fs.String("version", "", "")
	room := fs.String("room", "", "")
	session := fs.String("session", "", "")
	out := fs.String("out", "", "")
	pos, status, done := parseCommandLine(fs, prog, backupDecryptUsage, args, stdout, stderr)
	if done {
		return status
	}
	if len(pos) != 1 {
		return usageError(stderr, prog, "want one FILE (run '"+prog+" --help')")
	}
	if pos[0] == "-" && (*keyFile == "" || *keyFile == "-") {
		return usageError(stderr, prog, "with FILE on standard input, give --key-file with a file")
	}
	in, size, closeIn, err := openInput(pos[0], stdin)
	if err != nil {
		return failure(stderr, prog, err.Error())
	}
	defer closeIn()
	secret, err := readSecret(*keyFile, stdin, stderr, "recovery key", false)
	if err != nil {
		return failure(stderr, prog, "reading the key: "+err.Error())
	}
	bk, err := keys.BackupKeyFromRecoveryKey(string(secret))
	if err != nil {
		// Perhaps the base64 form (the m.megolm_backup.v1 secret).
		var rerr error = err
		if bk, err = keys.ParseBackupKey(strings.TrimSpace(string(secret))); err != nil {
			clear(secret)
			return failure(stderr, prog, rerr.Error())
		}
	}
	clear(secret)
	if *versionFile != "" {
		data, err := os.ReadFile(*versionFile)
		if err != nil {
			return failure(stderr, prog, err.Error())
		}
		_, auth, err := keys.BackupVersionFromJSON(data)
		if err != nil {
			return failure(stderr, prog, err.Error())
		}
		if !auth.Matches(bk) {
			return failure(stderr, prog, "the key does not belong to this backup (its public key is "+bk.PublicKey().String()+", the backup's "+auth.PublicKey.String()+")")
		}
	}

	data, err := io.ReadAll(io.LimitReader(in, 1<<30+1))
	if err != nil {
		return failure(stderr, prog, err.Error())
	}
	if len(data) > 1<<30 {
		return failure(stderr, prog, "input larger than 1 GiB")
	}
	var shape map[string]json.RawMessage
	if err := json.Unmarshal(data, &shape); err != nil {
		return failure(stderr, prog, "input is not a JSON object")
	}

	var sessions []*keys.ExportedSession
	var failed []*keys.SessionError
	switch {
	case shape["rooms"] != nil:
		if *room != "" || *session != "" {
			return usageError(stderr, prog, "--room and --session are for a single session, not a /room_keys/keys response")
		}
		var p *progress
		if size >= progressMin {
			p = &progress{w: stderr, prog: prog, what: "decrypting", last: 0}
		}
		total := bytes.Count(data, []byte(`"session_data"`))
		rep, err := bk.Restore(bytes.NewReader(data), func(s *keys.ExportedSession, _ *megolm.InboundGroupSession) error {
			sessions = append(sessions, s)
			p.update(int64(len(sessions)), int64(total))
			return nil
		})
		if err != nil {
			return failure(stderr, prog, err.Error())
		}
		failed = rep.Failed
	case shape["session_data"] != nil || shape["ciphertext"] != nil:
		if *room == "" || *session == "" {
			return usageError(stderr, prog, "a single session needs --room and --session (where it was filed)")
		}
		sd := data
		if shape["session_data"] != nil {
			sd = shape["session_data"]
		}
		s, err := bk.DecryptSessionData(*room, *session, sd)
		if err != nil {
			return failure(stderr, prog, err.Error())
		}
		sessions = append(sessions, s)
	default:
		return failure(stderr, prog, "input is neither a /room_keys/keys response, a KeyBackupData nor a session_data object")
	}

	w := stdout
	if *out != "" {
		f, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
		if err != nil {
			return failure(stderr, prog, err.Error())
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriter(w)
	bw.WriteString("[")
	var scratch []byte
	for i, s := range sessions {
		if i > 0 {
			bw.WriteString(",")
		}
		bw.WriteString("\n")
		scratch, err = s.AppendJSON(scratch[:0])
		if err != nil {
			return failure(stderr, prog, err.Error())
		}
		bw.Write(scratch)
		clear(scratch)
	}
	bw.WriteString("\n]\n")
	if err := bw.Flush(); err != nil {
		return failure(stderr, prog, err.Error())
	}
	fmt.Fprintf(stderr, "%s: decrypted %s", prog, plural(len(sessions), "session"))
	if len(failed) > 0 {
		fmt.Fprintf(stderr, "; %s could not be decrypted with this key:", plural(len(failed), "session"))
		for _, f := range failed {
			fmt.Fprintf(stderr, " %s in %s;", oneLine(f.SessionID), oneLine(f.RoomID))
		}
	}
	fmt.Fprintln(stderr)
	if len(sessions) == 0 && len(failed) > 0 {
		return exitFail
	}
	return exitOK
}
