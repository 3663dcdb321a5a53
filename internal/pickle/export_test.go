// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package pickle

import (
	"github.com/newt-e2ee/newt/internal/aessha2"
	"github.com/newt-e2ee/newt/internal/b64"
)

// EncryptedLen returns the length of the pickle of an n-byte plaintext.
func EncryptedLen(n int) int {
	return b64.EncodedLen(aessha2.EncryptedLen(n) + macSize)
}
