// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package b64_test

import (
	"errors"
	"fmt"

	"github.com/newt-e2ee/newt/internal/b64"
)

func Example() {
	s := b64.EncodeToString([]byte("Hello World"))
	fmt.Println(s)

	raw, err := b64.DecodeString(s)
	fmt.Printf("%s %v\n", raw, err)

	// libolm would decode all of these; b64 rejects them.
	for _, bad := range []string{"SGVsbG8gV29ybGQ=", "SGVsbG8gV29ybGR", "SGVsbG8g\nV29ybGQ", "SGVsbG8gV29ybGQab"} {
		_, err := b64.DecodeString(bad)
		var de *b64.DecodeError
		errors.As(err, &de)
		fmt.Printf("%q: %v (offset %d)\n", bad, err, de.Offset)
	}
	// Output:
	// SGVsbG8gV29ybGQ
	// Hello World <nil>
	// "SGVsbG8gV29ybGQ=": b64: invalid character at offset 15 (offset 15)
	// "SGVsbG8gV29ybGR": b64: non-zero trailing bits at offset 14 (offset 14)
	// "SGVsbG8g\nV29ybGQ": b64: invalid character at offset 8 (offset 8)
	// "SGVsbG8gV29ybGQab": b64: invalid length (offset -1)
}
