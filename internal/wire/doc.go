// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// Package wire implements the protobuf-like binary codec of libolm's messages
// (libolm src/message.cpp): the Olm normal message and pre-key message ("The
// Olm Message Format" in the Olm spec) and the Megolm group message ("Message
// encryption" in the Megolm spec). It only frames bytes: it does not check
// versions, MACs or signatures, and it does not decide which fields are
// required. Those are the protocol packages' job (olm, megolm), which report
// a bad version with the sentinel ErrBadVersion defined here.
//
// # Layouts
//
//	Olm message     ver ‖ 0x0A len ratchet_key ‖ 0x10 varint(counter) ‖ 0x22 len ciphertext ‖ MAC(macLen)
//	Pre-key message ver ‖ 0x0A len one_time_key ‖ 0x12 len base_key ‖ 0x1A len identity_key ‖ 0x22 len message
//	Megolm message  ver ‖ 0x08 varint(index) ‖ 0x12 len ciphertext ‖ MAC(macLen) ‖ signature(sigLen)
//
// The MAC of an Olm message covers b[:len(b)-macLen]; the MAC of a Megolm
// message covers b[:len(b)-macLen-sigLen] and its signature covers
// b[:len(b)-sigLen]. Callers must authenticate those received bytes, not a
// re-encoding: decoding skips unknown fields, so two different byte strings
// can decode to equal values (SECURITY.md row C7).
//
// # Decoding policy
//
// Decoding is stricter than libolm's, which keeps the last duplicate, wraps
// wide varints and silently stops at input it does not understand: every
// input on which libolm and vodozemac (prost) are known to disagree is
// rejected. Every rejection is a *DecodeError wrapping one of the sentinels:
//
//   - The version byte is returned, never checked.
//   - Fields may come in any order.
//   - A tag is one byte. A byte with the high bit set (a multi-byte protobuf
//     tag) or field number 0 is ErrBadTag.
//   - Unknown fields with wire type 0 (varint) or 2 (length-delimited) are
//     skipped, as libolm does; any other wire type is ErrBadWireType. A known
//     field number with the wrong wire type is ErrBadWireType too.
//   - A known field that appears twice is ErrDuplicateField.
//   - Varints are at most 64 bits; counters and indexes at most 32 bits.
//     Anything wider is ErrVarintOverflow. A varint with a redundant zero
//     final byte (such as 0x80 0x00) is ErrNonMinimalVarint. A varint that
//     runs off the end is ErrTruncated.
//   - A length that runs past the end of the fields is ErrTruncated.
//   - An Olm message of at most macLen bytes, a Megolm message of at most
//     macLen+sigLen bytes, or an empty pre-key message is ErrTooShort.
//
// Missing fields are reported, not rejected: a nil slice, or HasCounter /
// HasIndex false. A present empty field is a non-nil empty slice.
//
// Decoded slices alias the input (no copy); do not modify the input while
// they are in use.
//
// # Encoding
//
// The Append*Header functions write the fields in libolm's order, everything
// up to the last length prefix, so the caller can append the ciphertext (or
// inner message) in place; the matching *Len functions size buffers exactly.
// The package's tests check that decoding libolm's output and re-encoding it
// in that order gives the same bytes.
//
// Who should use another package: applications should use olm and megolm,
// which check versions, lengths, MACs and signatures.
package wire
