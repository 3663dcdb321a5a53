// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package pickle_test

import (
	"errors"
	"fmt"

	"github.com/newt-e2ee/newt/internal/pickle"
)

func Example() {
	// Write a small layout: version, a flag, a list of two fixed items.
	var w pickle.Writer
	w.U32(1)
	w.Bool(true)
	w.U32(2)
	w.Bytes([]byte("abc"))
	w.Bytes([]byte("def"))

	key := []byte("secret_key") // DO NOT use a constant pickle key.
	// Seal in place: the buffer needs room for the padding and the MAC.
	buf := pickle.GetBuffer(len(w.Buf))
	*buf = append(*buf, w.Buf...)
	w.Clear()
	p := pickle.AppendSeal(nil, key, *buf)
	pickle.PutBuffer(buf)

	plaintext, err := pickle.Decrypt(key, p)
	if err != nil {
		panic(err)
	}
	r := pickle.NewReader(plaintext)
	version, flag := r.U32(), r.Bool()
	items := make([][3]byte, r.Count(10)) // at most 10 items: never a forged allocation
	for i := range items {
		r.Read(items[i][:])
	}
	fmt.Println(version, flag, len(items), string(items[1][:]), r.Finish())

	_, err = pickle.Decrypt([]byte("wrong key"), p)
	fmt.Println(errors.Is(err, pickle.ErrBadKey))
	// Output:
	// 1 true 2 def <nil>
	// true
}
