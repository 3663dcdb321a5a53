// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package keys

import (
	"bufio"
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"hash"
	"io"
	"io/fs"
	"strconv"

	"github.com/newt-e2ee/newt/internal/redact"
	"github.com/newt-e2ee/newt/megolm"
)

// Layout of the binary body of a key export file (Matrix spec, "Key export
// format"; docs/keys-at-rest.md, "Export files"):
//
//	version (1) ‖ salt (16) ‖ IV (16) ‖ rounds N (4, big-endian) ‖
//	AES-256-CTR ciphertext ‖ HMAC-SHA-256 (32) over everything before it
const (
	exportVersion    = 0x01
	exportSaltSize   = 16
	exportIVSize     = 16
	exportHeaderSize = 1 + exportSaltSize + exportIVSize + 4
	exportMACSize    = sha256.Size

	// MinExportSize is the length of the smallest valid export body, one
	// with an empty ciphertext: 69 bytes. Shorter bodies are refused before
	// anything is sliced (matrix-rust-sdk 0.19.1 panics on some of them,
	// mautrix-go on all truncated ones).
	MinExportSize = exportHeaderSize + exportMACSize
)

// exportKeys are the two halves of PBKDF2(passphrase, salt, N, 64): bytes
// 0-31 the AES-256 key and 32-63 the HMAC-SHA-256 key.
type exportKeys struct {
	aes, mac []byte
	all      []byte
}

func deriveExportKeys(passphrase, salt []byte, rounds uint32) *exportKeys {
	k := deriveKey(passphrase, salt, rounds, 64)
	return &exportKeys{aes: k[:32], mac: k[32:], all: k}
}

func (k *exportKeys) clear() { clear(k.all) }

// DecryptExport reads a key export file from r, authenticates and decrypts
// it with passphrase, and returns a reader for its sessions.
//
// The armored text is decoded as it is read (see readArmor for what is
// accepted: Element Web's, matrix-rust-sdk's and mautrix-go's files, padded
// or not, CR LF or LF). Then, in this order and before anything else is
// done with the body: its length must be at least [MinExportSize]
// ([ErrBadExport]), its version byte 1 ([ErrBadExport]), its iteration count
// between 1 and the limit ([*IterationsError]); the HMAC must match, compared
// in constant time ([ErrWrongPassphrase]). Only then is the ciphertext
// decrypted, in place.
//
// Memory: the decoded body is the only copy of the file held (it becomes
// the plaintext), and the returned reader turns one session at a time into
// an [ExportedSession], so a 100,000-session file (about 80 MB of armor)
// needs about 60 MB while it is read. Close the reader to clear the
// plaintext.
//
// The counter block is incremented over all 128 bits, as matrix-rust-sdk,
// mautrix-go and Go's cipher.NewCTR do. Element Web and matrix-js-sdk
// increment only the low 64 bits; the two agree for every file whose IV has
// bit 63 clear, as the spec requires of writers (docs/keys-at-rest.md,
// "Counter width").
func DecryptExport(r io.Reader, passphrase []byte, opts *Options) (*SessionReader, error) {
	body, err := readArmor(r, opts.maxExportSize(), sizeHint(r, opts.maxExportSize()))
	if err != nil {
		return nil, err
	}
	pt, err := decryptExportBody(body, passphrase, opts)
	if err != nil {
		clear(body)
		return nil, err
	}
	sr := NewSessionReader(bytes.NewReader(pt))
	sr.owned = redact.NewBox[[]byte]()
	*sr.owned.Get() = body
	return sr, nil
}

// sizeHint guesses the body size of an export from the size of r when r is
// a file or an in-memory reader: 3/4 of the armored size.
func sizeHint(r io.Reader, limit int64) int {
	var n int64
	switch t := r.(type) {
	case interface{ Len() int }:
		n = int64(t.Len())
	case interface{ Stat() (fs.FileInfo, error) }:
		if fi, err := t.Stat(); err == nil {
			n = fi.Size()
		}
	}
	n = n / 4 * 3
	if n <= 0 || n > limit {
		return 0
	}
	return int(n)
}

// decryptExportBody checks and decrypts a decoded export body in place and
// returns the plaintext, a subslice of body.
func decryptExportBody(body []byte, passphrase []byte, opts *Options) ([]byte, error) {
	if len(body) < MinExportSize {
		return nil, errorf(ErrBadExport, "body of "+strconv.Itoa(len(body))+" bytes is shorter than the minimum of "+strconv.Itoa(MinExportSize))
	}
	if body[0] != exportVersion {
		return nil, errorf(ErrBadExport, "unknown version "+strconv.Itoa(int(body[0])))
	}
	salt := body[1 : 1+exportSaltSize]
	iv := body[1+exportSaltSize : 1+exportSaltSize+exportIVSize]
	rounds := binary.BigEndian.Uint32(body[exportHeaderSize-4 : exportHeaderSize])
	if err := checkIterations(uint64(rounds), opts.maxIterations()); err != nil {
		return nil, err
	}
	k := deriveExportKeys(passphrase, salt, rounds)
	defer k.clear()

	macAt := len(body) - exportMACSize
	m := hmac.New(sha256.New, k.mac)
	m.Write(body[:macAt])
	var sum [exportMACSize]byte
	if !hmac.Equal(m.Sum(sum[:0]), body[macAt:]) {
		return nil, ErrWrongPassphrase
	}
	ct := body[exportHeaderSize:macAt]
	block, err := aes.NewCipher(k.aes)
	if err != nil {
		return nil, errors.New("keys: internal error: " + err.Error())
	}
	cipher.NewCTR(block, iv).XORKeyStream(ct, ct)
	return ct, nil
}

// ImportReport summarises a bulk import.
type ImportReport struct {
	// Imported counts the sessions handed to the caller.
	Imported int
	// Failed lists the sessions that could not be decoded or imported,
	// in input order; the others were imported.
	Failed []*SessionError
}

// ImportExport decrypts the key export file read from r (see
// [DecryptExport]) and imports every usable session as an unverified
// megolm.InboundGroupSession, calling store with each. Sessions that cannot
// be decoded or imported are listed in the report, and the others are
// imported. If store returns an error, ImportExport stops and returns it
// with the report so far. An error about the file as a whole (armor,
// passphrase, iteration count) comes with a nil report; malformed JSON found
// part way comes with the report of what was stored before it.
func ImportExport(r io.Reader, passphrase []byte, opts *Options, store func(*ExportedSession, *megolm.InboundGroupSession) error) (*ImportReport, error) {
	sr, err := DecryptExport(r, passphrase, opts)
	if err != nil {
		return nil, err
	}
	defer sr.Close()
	return importAll(sr.Next, true, store)
}

// importAll drives a bulk import over next (which follows the
// SessionReader.Next contract). indexed says whether sessions have
// positions (an export's array) for SessionError.Index.
func importAll(next func() (*ExportedSession, error), indexed bool, store func(*ExportedSession, *megolm.InboundGroupSession) error) (*ImportReport, error) {
	rep := &ImportReport{}
	for {
		s, err := next()
		if err == io.EOF {
			return rep, nil
		}
		var se *SessionError
		if errors.As(err, &se) {
			rep.Failed = append(rep.Failed, se)
			continue
		}
		if err != nil {
			return rep, err
		}
		igs, err := s.InboundGroupSession()
		if err != nil {
			idx := -1
			if indexed {
				idx = rep.Imported + len(rep.Failed)
			}
			rep.Failed = append(rep.Failed, &SessionError{Index: idx, RoomID: s.RoomID, SessionID: s.SessionID(), Err: err})
			continue
		}
		if err := store(s, igs); err != nil {
			return rep, err
		}
		rep.Imported++
	}
}

// ExportWriter writes a key export file one session at a time: the
// plaintext JSON array is encrypted, authenticated and armored as it is
// written, so no more than one session (and a 64 KiB output buffer) is held
// in memory.
//
// The output is Element Web's layout (lines of 128 base64 characters, the
// last one padded, a newline after the END line), which Element,
// matrix-rust-sdk, matrix-js-sdk and mautrix-go read. The IV has bit 63
// cleared, so readers with 64-bit and 128-bit counters agree.
type ExportWriter struct {
	a      armorWriter
	ctr    cipher.Stream
	mac    hash.Hash
	buf    []byte
	n      int
	closed bool
	err    error
}

// NewExportWriter starts a key export file on w, encrypted with passphrase
// and iterations rounds of PBKDF2 ([DefaultIterations] is what Element
// writes; the spec asks for at least 100,000). It derives the keys (which
// takes the time of the iterations) and writes nothing until the first
// session or Close. iterations must not be 0.
func NewExportWriter(w io.Writer, passphrase []byte, iterations uint32) (*ExportWriter, error) {
	var salt [exportSaltSize]byte
	var iv [exportIVSize]byte
	rand.Read(salt[:]) // never fails since Go 1.24
	rand.Read(iv[:])
	return newExportWriter(w, passphrase, iterations, &salt, &iv)
}

// newExportWriter is the deterministic core of NewExportWriter.
func newExportWriter(w io.Writer, passphrase []byte, iterations uint32, salt *[exportSaltSize]byte, iv *[exportIVSize]byte) (*ExportWriter, error) {
	if iterations == 0 {
		return nil, &IterationsError{Iterations: 0, Max: DefaultMaxIterations}
	}
	// Clear bit 63 of the counter block, the top bit of its low 64-bit
	// half, so that a 64-bit counter cannot wrap (Element Web:
	// encryptMegolmKeyFile). mautrix-go's makeExportIV clears bit 56
	// instead (iv[7] & 1).
	iv[8] &= 0x7f
	k := deriveExportKeys(passphrase, salt[:], iterations)
	defer k.clear()
	block, err := aes.NewCipher(k.aes)
	if err != nil {
		return nil, errors.New("keys: internal error: " + err.Error())
	}
	ew := &ExportWriter{a: armorWriter{w: bufio.NewWriterSize(w, 64<<10)}, ctr: cipher.NewCTR(block, iv[:]), mac: hmac.New(sha256.New, k.mac)}
	var header [exportHeaderSize]byte
	header[0] = exportVersion
	copy(header[1:], salt[:])
	copy(header[1+exportSaltSize:], iv[:])
	binary.BigEndian.PutUint32(header[exportHeaderSize-4:], iterations)
	ew.mac.Write(header[:])
	ew.buf = append(ew.buf, header[:]...)
	return ew, nil
}

// Write adds one session to the file.
func (w *ExportWriter) Write(s *ExportedSession) error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return errors.New("keys: write to a closed ExportWriter")
	}
	start := len(w.buf)
	if w.n == 0 {
		w.buf = append(w.buf, '[')
	} else {
		w.buf = append(w.buf, ',')
	}
	buf, err := s.AppendJSON(w.buf)
	if err != nil {
		w.buf = w.buf[:start]
		return err
	}
	w.buf = buf
	w.n++
	return w.flush(start)
}

// flush encrypts w.buf[from:], MACs and armors everything in w.buf, and
// empties it.
func (w *ExportWriter) flush(from int) error {
	p := w.buf[from:]
	w.ctr.XORKeyStream(p, p)
	w.mac.Write(p)
	_, w.err = w.a.Write(w.buf)
	clear(w.buf)
	w.buf = w.buf[:0]
	return w.err
}

// Close ends the JSON array, writes the MAC and the END line. It does not
// close the underlying writer.
func (w *ExportWriter) Close() error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return nil
	}
	w.closed = true
	start := len(w.buf)
	if w.n == 0 {
		w.buf = append(w.buf, '[')
	}
	w.buf = append(w.buf, ']')
	if err := w.flush(start); err != nil {
		return err
	}
	if _, w.err = w.a.Write(w.mac.Sum(nil)); w.err != nil {
		return w.err
	}
	w.err = w.a.Close()
	return w.err
}

// Count returns the number of sessions written so far.
func (w *ExportWriter) Count() int { return w.n }

// EncryptExport writes sessions to w as a key export file encrypted with
// passphrase and iterations rounds of PBKDF2 (see [NewExportWriter]).
func EncryptExport(w io.Writer, passphrase []byte, iterations uint32, sessions []*ExportedSession) error {
	ew, err := NewExportWriter(w, passphrase, iterations)
	if err != nil {
		return err
	}
	for _, s := range sessions {
		if err := ew.Write(s); err != nil {
			return err
		}
	}
	return ew.Close()
}
