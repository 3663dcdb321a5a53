// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package ratchet_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"

	"github.com/newt-e2ee/newt/ratchet"
)

// ratchetPickle builds the libolm encoding of a ratchet with no sender chain,
// the given receiver chains (68 bytes each) and no skipped keys.
func ratchetPickle(receivers [][]byte) []byte {
	b := bytes.Repeat([]byte{0x11}, 32) // root key
	b = binary.BigEndian.AppendUint32(b, 0)
	b = binary.BigEndian.AppendUint32(b, uint32(len(receivers)))
	for _, r := range receivers {
		b = append(b, r...)
	}
	return binary.BigEndian.AppendUint32(b, 0)
}

func receiverChain(i byte) []byte {
	c := bytes.Repeat([]byte{i}, 64)
	return binary.BigEndian.AppendUint32(c, uint32(i))
}

// A pickle with more receiver chains than a session keeps (older goolm wrote
// such pickles) loads the way libolm loads it: the first four chains fill the
// list and every later one overwrites the fifth slot, so the last one wins.
func TestUnmarshalLibolmOverCapacity(t *testing.T) {
	var chains [][]byte
	for i := byte(1); i <= 7; i++ {
		chains = append(chains, receiverChain(i))
	}
	in := ratchetPickle(chains)
	var r ratchet.Ratchet
	n, err := r.UnmarshalLibolm(in)
	if err != nil {
		t.Fatal(err)
	}
	if n != len(in) {
		t.Fatalf("used %d of %d bytes", n, len(in))
	}
	want := ratchetPickle([][]byte{chains[0], chains[1], chains[2], chains[3], chains[6]})
	if got := r.AppendLibolm(nil); !bytes.Equal(got, want) {
		t.Fatalf("re-encoded ratchet:\n got %x\nwant %x", got, want)
	}

	// A count larger than the input can hold fails before reading entries.
	short := ratchetPickle(chains)
	binary.BigEndian.PutUint32(short[36:], 8)
	if _, err := r.UnmarshalLibolm(short); !errors.Is(err, ratchet.ErrCorruptedPickle) {
		t.Fatalf("count past the end: %v", err)
	}
	if got := r.AppendLibolm(nil); !bytes.Equal(got, want) {
		t.Fatal("a failed UnmarshalLibolm changed the ratchet")
	}
}

// Encrypting and decrypting in place, the crypto/cipher idiom
// (AppendEncrypt(buf[:0], buf)), gives the same results as separate buffers.
func TestAppendInPlace(t *testing.T) {
	secret := bytes.Repeat([]byte{7}, 96)
	ratchetKey := bytes.Repeat([]byte{9}, 32)
	alice, err := ratchet.NewOutbound(secret, ratchetKey)
	if err != nil {
		t.Fatal(err)
	}
	pub, ok := alice.SenderRatchetKey()
	if !ok {
		t.Fatal("no sender chain")
	}
	bob := ratchet.NewInbound(secret, pub)
	for _, msg := range []string{"", "hello", "a message longer than one AES block, in place"} {
		buf := make([]byte, len(msg), 512)
		copy(buf, msg)
		ct, err := alice.AppendEncrypt(buf[:0], buf, nil)
		if err != nil {
			t.Fatal(err)
		}
		pt, err := bob.AppendDecrypt(ct[:0], ct)
		if err != nil {
			t.Fatalf("%q: %v", msg, err)
		}
		if string(pt) != msg {
			t.Fatalf("in place: got %q, want %q", pt, msg)
		}
	}
}
