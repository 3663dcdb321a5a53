// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package keys

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"slices"
	"strconv"
)

// The armor lines of a key export file (Matrix spec, "Key export format").
const (
	armorBegin = "-----BEGIN MEGOLM SESSION DATA-----"
	armorEnd   = "-----END MEGOLM SESSION DATA-----"
)

// armorLineBytes is the number of body bytes per armored line that newt
// writes: 96 bytes, 128 base64 characters, as Element Web writes them.
// Because 96 is a multiple of 3 only the last line can end in '='.
const armorLineBytes = 96

// maxArmorLine bounds a line outside the body (before BEGIN, the END line,
// after END). Those lines hold a marker or white space; anything longer is
// not an export file.
const maxArmorLine = 4096

// asciiSpace lists the characters isSpace accepts.
const asciiSpace = " \t\n\r\f\v"

// isSpace reports whether c is ASCII white space, which the armor reader
// ignores around and inside the body (as atob does for Element Web).
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// readArmor reads an armored key export from r and returns the decoded
// body. It reads like Element Web's unpackMegolmKeyFile, with the junk it
// tolerates refused:
//
//   - optional white space, then a line that is BEGIN after trimming white
//     space (CR LF line ends are fine);
//   - the body: base64, padded or not, with white space (line breaks,
//     indentation) anywhere;
//   - a line that is END after trimming, then only white space; a final
//     newline is optional.
//
// Any other text is ErrBadArmor. The text is never held in memory: it is
// decoded as it is read, so the body is the only copy; sizeHint, the
// expected body size, avoids copies while it grows. A body larger than
// maxSize is ErrExportTooLarge.
func readArmor(r io.Reader, maxSize int64, sizeHint int) ([]byte, error) {
	br := bufio.NewReaderSize(r, 64<<10)

	// Up to and including the BEGIN line.
	for {
		line, err := readShortLine(br)
		if err != nil && err != io.EOF {
			return nil, err
		}
		t := bytes.Trim(line, asciiSpace)
		if string(t) == armorBegin {
			if err == io.EOF {
				return nil, errorf(ErrBadArmor, "no "+armorEnd+" line")
			}
			break
		}
		if len(t) != 0 {
			return nil, errorf(ErrBadArmor, "text before the "+armorBegin+" line")
		}
		if err == io.EOF {
			return nil, errorf(ErrBadArmor, "no "+armorBegin+" line")
		}
	}

	d := bodyDecoder{max: maxSize, out: make([]byte, 0, sizeHint)}
	lineStart := true
	for done := false; !done; {
		if _, err := br.Peek(1); err != nil {
			if err == io.EOF {
				return nil, errorf(ErrBadArmor, "no "+armorEnd+" line")
			}
			return nil, err
		}
		chunk, _ := br.Peek(br.Buffered())
		i := 0
	scan:
		for i < len(chunk) {
			j := i
			for j < len(chunk) && armorClass[chunk[j]] == classBase64 {
				j++
			}
			if j > i {
				if err := d.add(chunk[i:j]); err != nil {
					return nil, err
				}
				lineStart = false
				i = j
				continue
			}
			switch armorClass[chunk[i]] {
			case classNewline:
				lineStart = true
			case classSpace:
			case classPad:
				if err := d.addPad(); err != nil {
					return nil, err
				}
				lineStart = false
			case classDash:
				if !lineStart {
					return nil, errorf(ErrBadArmor, "body is not base64")
				}
				done = true // the END line, read below
				break scan
			default:
				return nil, errorf(ErrBadArmor, "body is not base64")
			}
			i++
		}
		br.Discard(i)
	}

	line, err := readShortLine(br)
	if err != nil && err != io.EOF {
		return nil, err
	}
	if string(bytes.Trim(line, asciiSpace)) != armorEnd {
		return nil, errorf(ErrBadArmor, "a line starting with '-' in the body that is not "+armorEnd)
	}
	for err == nil {
		line, err = readShortLine(br)
		if err != nil && err != io.EOF {
			return nil, err
		}
		if len(bytes.Trim(line, asciiSpace)) != 0 {
			return nil, errorf(ErrBadArmor, "text after the "+armorEnd+" line")
		}
	}
	return d.finish()
}

// readShortLine reads one line of at most maxArmorLine bytes, including its
// '\n' if there is one. At the end of the input it returns what is left and
// io.EOF.
func readShortLine(br *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		part, err := br.ReadSlice('\n')
		line = append(line, part...)
		if len(line) > maxArmorLine {
			return nil, errorf(ErrBadArmor, "line longer than "+strconv.Itoa(maxArmorLine)+" bytes outside the body")
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		return line, err
	}
}

// Character classes of the armor reader.
const (
	classBad = iota
	classBase64
	classPad
	classSpace
	classNewline
	classDash
)

// armorClass maps each byte to its class.
var armorClass = func() (t [256]byte) {
	for c := range 256 {
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '+', c == '/':
			t[c] = classBase64
		case c == '=':
			t[c] = classPad
		case c == '\n':
			t[c] = classNewline
		case c == '-':
			t[c] = classDash
		case isSpace(byte(c)):
			t[c] = classSpace
		}
	}
	return t
}()

// bodyDecoder decodes the base64 characters of the body as they arrive,
// in batches.
type bodyDecoder struct {
	out     []byte
	pending []byte // characters not yet decoded
	pad     int    // number of '=' seen; only more '=' may follow
	max     int64
}

// pendingMax is the batch size, a multiple of 4.
const pendingMax = 48 << 10

// add takes a run of base64 characters (no '=').
func (d *bodyDecoder) add(run []byte) error {
	if d.pad > 0 {
		return errorf(ErrBadArmor, "body is not base64")
	}
	for len(run) > 0 {
		if d.pending == nil {
			d.pending = make([]byte, 0, pendingMax)
		}
		c := copy(d.pending[len(d.pending):cap(d.pending)], run)
		d.pending = d.pending[:len(d.pending)+c]
		run = run[c:]
		if len(d.pending) == pendingMax {
			if err := d.flush(false); err != nil {
				return err
			}
		}
	}
	return nil
}

// addPad takes one '='.
func (d *bodyDecoder) addPad() error {
	if d.pad++; d.pad > 2 || d.pending == nil {
		return errorf(ErrBadArmor, "body is not base64")
	}
	if len(d.pending) == cap(d.pending) {
		if err := d.flush(false); err != nil {
			return err
		}
	}
	d.pending = append(d.pending, '=')
	return nil
}

// flush decodes the pending characters: all of them if final, else the
// largest multiple of 4 (padding can only be in the last group).
func (d *bodyDecoder) flush(final bool) error {
	n := len(d.pending)
	if !final {
		n -= n % 4
	}
	src := d.pending[:n]
	enc := base64.StdEncoding.Strict()
	if n%4 != 0 {
		if d.pad > 0 {
			return errorf(ErrBadArmor, "body is not base64")
		}
		enc = base64.RawStdEncoding.Strict()
	}
	// At most 3 bytes more than the limit are ever held (a padded final
	// group decodes to fewer bytes than DecodedLen says).
	need := enc.DecodedLen(n)
	if int64(len(d.out))+int64(need) > d.max+3 {
		return errorf(ErrExportTooLarge, "body larger than "+strconv.FormatInt(d.max, 10)+" bytes")
	}
	m := len(d.out)
	d.out = slices.Grow(d.out, need)
	k, err := enc.Decode(d.out[m:m+need], src)
	if err != nil {
		return errorf(ErrBadArmor, "body is not base64")
	}
	d.out = d.out[:m+k]
	if int64(len(d.out)) > d.max {
		return errorf(ErrExportTooLarge, "body larger than "+strconv.FormatInt(d.max, 10)+" bytes")
	}
	d.pending = d.pending[:copy(d.pending, d.pending[n:])]
	return nil
}

func (d *bodyDecoder) finish() ([]byte, error) {
	if err := d.flush(true); err != nil {
		return nil, err
	}
	return d.out, nil
}

// armorWriter writes the armored form: the BEGIN line, the body in lines of
// 128 base64 characters (the last one padded), the END line and a newline.
// This is Element Web's layout, which Element, matrix-rust-sdk and
// mautrix-go all read.
type armorWriter struct {
	w       *bufio.Writer
	buf     [armorLineBytes]byte
	n       int
	line    [base64Line + 1]byte
	started bool
	err     error
}

const base64Line = armorLineBytes / 3 * 4

func (a *armorWriter) Write(p []byte) (int, error) {
	if a.err != nil {
		return 0, a.err
	}
	if !a.started {
		a.started = true
		if _, a.err = io.WriteString(a.w, armorBegin+"\n"); a.err != nil {
			return 0, a.err
		}
	}
	written := len(p)
	for len(p) > 0 {
		c := copy(a.buf[a.n:], p)
		a.n += c
		p = p[c:]
		if a.n == armorLineBytes {
			a.emit()
			if a.err != nil {
				return 0, a.err
			}
		}
	}
	return written, nil
}

func (a *armorWriter) emit() {
	m := base64.StdEncoding.EncodedLen(a.n)
	base64.StdEncoding.Encode(a.line[:m], a.buf[:a.n])
	a.line[m] = '\n'
	_, a.err = a.w.Write(a.line[:m+1])
	clear(a.buf[:])
	a.n = 0
}

// Close writes the last line and the END line.
func (a *armorWriter) Close() error {
	if a.err != nil {
		return a.err
	}
	if !a.started {
		return errors.New("keys: internal error: empty armor")
	}
	if a.n > 0 {
		a.emit()
		if a.err != nil {
			return a.err
		}
	}
	if _, a.err = io.WriteString(a.w, armorEnd+"\n"); a.err == nil {
		a.err = a.w.Flush()
	}
	if a.err == nil {
		a.err = errors.New("keys: export writer closed")
		return nil
	}
	return a.err
}
