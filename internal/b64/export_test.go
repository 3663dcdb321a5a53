// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package b64

// AppendDecode is the appending form of the constant-time decoder, which the
// library reaches only through DecodeString; the tests call it directly.
var AppendDecode = appendDecode
