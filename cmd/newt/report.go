// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
)

// A report is what inspect and pickle print: an ordered list of fields,
// shown as aligned "label: value" lines or as a JSON object with the same
// order. Reports hold only public values; secrets appear as a description
// such as "128 bytes (secret, not shown)".
type report []field

// field is one entry of a report. A field with an empty label is JSON-only,
// one with an empty key is text-only.
type field struct {
	label string // text label
	key   string // JSON member name
	text  string // text value
	json  any    // JSON value; nil means text as a JSON string
	sub   report // nested report (text and json are then unused)
}

// str is a field whose text and JSON values are the string v.
func str(label, key, v string) field { return field{label: label, key: key, text: v} }

// num is a field whose value is the integer v.
func num(label, key string, v int64) field {
	return field{label: label, key: key, text: strconv.FormatInt(v, 10), json: v}
}

// boolean is a field whose text is "yes" or "no" and JSON value v.
func boolean(label, key string, v bool) field {
	t := "no"
	if v {
		t = "yes"
	}
	return field{label: label, key: key, text: t, json: v}
}

// bytesLen is a field for a length in bytes: "N bytes" as text, N in JSON.
func bytesLen(label, key string, n int) field {
	return field{label: label, key: key, text: fmt.Sprintf("%d bytes", n), json: n}
}

// textOnly is a field shown only in text output.
func textOnly(label, v string) field { return field{label: label, text: v} }

// nested is a field holding a sub-report.
func nested(label, key string, sub report) field { return field{label: label, key: key, sub: sub} }

// writeText prints r as aligned "label: value" lines, sub-reports indented
// by two spaces under their label.
func (r report) writeText(w io.Writer) error {
	var buf bytes.Buffer
	r.appendText(&buf, "")
	_, err := w.Write(buf.Bytes())
	return err
}

func (r report) appendText(buf *bytes.Buffer, indent string) {
	width := 0
	for _, f := range r {
		if f.label != "" && f.sub == nil && len(f.label) > width {
			width = len(f.label)
		}
	}
	for _, f := range r {
		switch {
		case f.label == "":
		case f.sub != nil:
			fmt.Fprintf(buf, "%s%s:\n", indent, f.label)
			f.sub.appendText(buf, indent+"  ")
		default:
			fmt.Fprintf(buf, "%s%-*s %s\n", indent, width+1, f.label+":", f.text)
		}
	}
}

// MarshalJSON writes r as a JSON object whose members keep r's order.
func (r report) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	first := true
	for _, f := range r {
		if f.key == "" {
			continue
		}
		if !first {
			buf.WriteByte(',')
		}
		first = false
		k, err := json.Marshal(f.key)
		if err != nil {
			return nil, err
		}
		buf.Write(k)
		buf.WriteByte(':')
		var v []byte
		switch {
		case f.sub != nil:
			v, err = f.sub.MarshalJSON()
		case f.json != nil:
			v, err = json.Marshal(f.json)
		default:
			v, err = json.Marshal(f.text)
		}
		if err != nil {
			return nil, err
		}
		buf.Write(v)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// writeJSON prints r as an indented JSON object followed by a newline.
func (r report) writeJSON(w io.Writer) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// write prints r as JSON or text.
func (r report) write(w io.Writer, asJSON bool) error {
	if asJSON {
		return r.writeJSON(w)
	}
	return r.writeText(w)
}
