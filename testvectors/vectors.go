// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package testvectors

//go:generate go run -tags libolm ./gen

import (
	"bytes"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"testing"
)

//go:embed *.json
var files embed.FS

// Files holds every vector file, named like "primitives.json".
var Files fs.FS = files

// Load decodes the vector file name into a T, failing the test if the file
// is missing, is not valid JSON, has a key that T does not declare, or has
// trailing data.
func Load[T any](t testing.TB, name string) T {
	t.Helper()
	v, err := Decode[T](name)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// Decode is Load for callers without a testing.TB, such as fuzz seeding
// helpers and the generator's self-check.
func Decode[T any](name string) (T, error) {
	var v T
	b, err := fs.ReadFile(Files, name)
	if err != nil {
		return v, fmt.Errorf("testvectors: %w", err)
	}
	if err := Unmarshal(b, &v); err != nil {
		return v, fmt.Errorf("testvectors: %s: %w", name, err)
	}
	return v, nil
}

// Unmarshal decodes one JSON value from b into v, rejecting unknown keys and
// trailing data.
func Unmarshal(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("trailing data after the JSON value")
	}
	return nil
}

// Hex is a byte string that is lower-case hex in JSON ("" for empty).
type Hex []byte

// MarshalText encodes h as lower-case hex.
func (h Hex) MarshalText() ([]byte, error) {
	out := make([]byte, hex.EncodedLen(len(h)))
	hex.Encode(out, h)
	return out, nil
}

// UnmarshalText decodes hex (either case) into h; "" gives an empty,
// non-nil Hex.
func (h *Hex) UnmarshalText(text []byte) error {
	b := make([]byte, hex.DecodedLen(len(text)))
	if _, err := hex.Decode(b, text); err != nil {
		return fmt.Errorf("bad hex: %w", err)
	}
	*h = b
	return nil
}

// String returns the hex form, for test failure messages.
func (h Hex) String() string { return hex.EncodeToString(h) }
