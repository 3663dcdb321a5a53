// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package ecies

// Reviewer's note: the channel follows MSC4108 (the 2024 version with
// ECIES) as vodozemac implements it in src/ecies/mod.rs; names follow
// docs/vodozemac-formats.md, "ECIES": Gp is the recipient's public key, Sp
// the initiator's. One deliberate difference: Decrypt advances the receive
// nonce only when a message authenticates, so a forged or damaged message
// does not desynchronise the channel (vodozemac consumes the nonce first).

import (
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha512"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"sync"

	"golang.org/x/crypto/chacha20poly1305"

	"github.com/newt-e2ee/newt"
	"github.com/newt-e2ee/newt/internal/b64"
	"github.com/newt-e2ee/newt/internal/redact"
	"github.com/newt-e2ee/newt/internal/x25519"
)

// Sizes and labels.
const (
	// DefaultInfo is the application prefix of the key derivation that
	// MSC4108 uses ("MATRIX_QR_CODE_LOGIN").
	DefaultInfo = "MATRIX_QR_CODE_LOGIN"
	// CheckCodeSize is the length of a check code.
	CheckCodeSize = 2
	// NonceSize is the ChaCha20-Poly1305 nonce: the little-endian message
	// counter of one direction.
	NonceSize = chacha20poly1305.NonceSize
	// Overhead is what encryption adds to a plaintext (the Poly1305 tag).
	Overhead = chacha20poly1305.Overhead

	labelSendKey   = "_ENCKEY_S"  // initiator → recipient
	labelReplyKey  = "_ENCKEY_G"  // recipient → initiator
	labelCheckCode = "_CHECKCODE" // shown to the user on both sides
)

// Errors. Match them with errors.Is.
var (
	// ErrNonContributory is a peer key of low order (the X25519 result is
	// all zeros); nothing changes.
	ErrNonContributory = errors.New("ecies: non-contributory (low-order) public key")
	// ErrDecryption is a message that does not authenticate under the
	// channel's key and current receive nonce; nothing changes.
	ErrDecryption = errors.New("ecies: message does not decrypt")
	// ErrUsed is an Ecies that already established a channel.
	ErrUsed = errors.New("ecies: the key pair was already used for a channel")
	// ErrBadMessageFormat is a message text that does not decode.
	ErrBadMessageFormat = errors.New("ecies: bad message format")
)

// Ecies is an unestablished channel: an ephemeral Curve25519 key pair and
// the application prefix of the key derivation. It establishes exactly one
// channel, as the initiator (EstablishOutbound) or as the recipient
// (EstablishInbound); after that its secret key is erased. It is safe for
// concurrent use.
type Ecies struct {
	mu sync.Mutex
	// priv is in a Box: no position of an Ecies, not even an unexported field
	// that fmt prints by reflection, prints it (internal/redact).
	priv redact.Box[x25519.PrivateKey]
	pub  [32]byte
	info string
	used bool
}

// Generate returns an Ecies with a fresh key pair from crypto/rand and the
// MSC4108 prefix [DefaultInfo].
func Generate() *Ecies { return GenerateWithInfo(DefaultInfo) }

// GenerateWithInfo is [Generate] with another application prefix.
func GenerateWithInfo(info string) *Ecies {
	var priv [32]byte
	rand.Read(priv[:]) // never fails since Go 1.24
	e := newEcies(&priv, info)
	clear(priv[:])
	return e
}

// newEcies is the deterministic core of GenerateWithInfo, for known-answer
// tests.
func newEcies(priv *[32]byte, info string) *Ecies {
	e := &Ecies{info: info, priv: redact.NewBox[x25519.PrivateKey]()}
	copy(e.priv.Get()[:], priv[:])
	e.pub = x25519.PublicKey(e.priv.Get())
	return e
}

// PublicKey returns the public key to send to the other side (in MSC4108,
// inside the QR code).
func (e *Ecies) PublicKey() newt.Curve25519PublicKey {
	return newt.Curve25519PublicKeyFromArray(e.pub)
}

// String describes e without secrets: its public key.
func (e *Ecies) String() string {
	return "ecies.Ecies{public: " + b64.EncodeToString(e.pub[:]) + "}"
}

// GoString is [Ecies.String], so that %#v prints no secret either.
func (e *Ecies) GoString() string { return e.String() }

// Format implements [fmt.Formatter]: every verb prints the description of
// [Ecies.String] (as it is for %#v, else formatted as fmt formats a string
// for the verb), never the private key.
func (e *Ecies) Format(f fmt.State, verb rune) { redact.Format(f, verb, e.String()) }

// EstablishOutbound establishes the channel as the initiator with the
// recipient's public key and encrypts plaintext into the initial message
// (nonce 0), which carries the initiator's public key. It fails with
// [ErrNonContributory] for a low-order key and [ErrUsed]; on failure the
// Ecies stays usable.
func (e *Ecies) EstablishOutbound(theirKey newt.Curve25519PublicKey, plaintext []byte) (*Channel, *InitialMessage, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.used {
		return nil, nil, ErrUsed
	}
	their := theirKey.Array()
	c, err := e.channel(&their, &e.pub, &their, roleInitiator)
	if err != nil {
		return nil, nil, err
	}
	m := &InitialMessage{pub: e.pub, ct: c.seal(nil, plaintext)}
	e.consume()
	return c, m, nil
}

// EstablishInbound establishes the channel as the recipient from the
// initiator's initial message and returns the channel and the message's
// plaintext. It fails with [ErrNonContributory], [ErrDecryption] and
// [ErrUsed]; on failure the Ecies stays usable.
func (e *Ecies) EstablishInbound(msg *InitialMessage) (*Channel, []byte, error) {
	if msg == nil {
		return nil, nil, ErrBadMessageFormat
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.used {
		return nil, nil, ErrUsed
	}
	c, err := e.channel(&msg.pub, &msg.pub, &e.pub, roleRecipient)
	if err != nil {
		return nil, nil, err
	}
	pt, err := c.Decrypt(&Message{ct: msg.ct})
	if err != nil {
		c.clear()
		return nil, nil, err
	}
	e.consume()
	return c, pt, nil
}

func (e *Ecies) consume() {
	e.used = true
	clear(e.priv.Get()[:])
}

type role int

const (
	roleInitiator role = iota
	roleRecipient
)

// channel derives the channel's keys and check code from DH(our secret,
// their), with initiator and recipient the public keys Sp and Gp:
// key = HKDF-SHA-512(ikm = shared secret, no salt,
// info = prefix ‖ label ‖ "|" ‖ b64(Gp) ‖ "|" ‖ b64(Sp)).
func (e *Ecies) channel(their, initiator, recipient *[32]byte, r role) (*Channel, error) {
	secret, err := x25519.DH(e.priv.Get(), their)
	if err != nil {
		return nil, ErrNonContributory
	}
	defer clear(secret[:])
	suffix := "|" + b64.EncodeToString(recipient[:]) + "|" + b64.EncodeToString(initiator[:])
	derive := func(label string, n int) []byte {
		out, err := hkdf.Key(sha512.New, secret[:], nil, e.info+label+suffix, n)
		if err != nil {
			panic("ecies: internal error: " + err.Error()) // n ≤ 32 is always valid
		}
		return out
	}
	sendKey, replyKey := derive(labelSendKey, 32), derive(labelReplyKey, 32)
	defer clear(sendKey)
	defer clear(replyKey)
	c := &Channel{ourPub: e.pub, theirPub: *their}
	copy(c.checkCode.b[:], derive(labelCheckCode, CheckCodeSize))
	encKey, decKey := sendKey, replyKey
	if r == roleRecipient {
		encKey, decKey = replyKey, sendKey
	}
	c.enc, _ = chacha20poly1305.New(encKey) // 32-byte keys never fail
	c.dec, _ = chacha20poly1305.New(decKey)
	return c, nil
}

// Channel is an established channel. Each direction numbers its messages
// from 0 (the initiator's initial message is its message 0); the number is
// the nonce. Messages must be decrypted in the order they were encrypted.
// It is safe for concurrent use.
type Channel struct {
	mu        sync.Mutex
	ourPub    [32]byte
	theirPub  [32]byte
	enc, dec  cipher.AEAD
	sendCount uint64
	recvCount uint64
	checkCode CheckCode
}

// nonce returns the 12-byte nonce of message n: n as a little-endian
// integer (vodozemac's u128 counter, of which 12 bytes are used).
func nonce(n uint64) [NonceSize]byte {
	var b [NonceSize]byte
	binary.LittleEndian.PutUint64(b[:8], n)
	return b
}

// seal encrypts plaintext with the next send nonce; the caller holds c.mu
// or owns c.
func (c *Channel) seal(dst, plaintext []byte) []byte {
	if c.sendCount == 1<<64-1 {
		panic("ecies: internal error: message counter exhausted") // 2^64 messages: unreachable
	}
	n := nonce(c.sendCount)
	c.sendCount++
	return c.enc.Seal(dst, n[:], plaintext, nil)
}

// Encrypt encrypts plaintext as the next message to the other side.
func (c *Channel) Encrypt(plaintext []byte) *Message {
	c.mu.Lock()
	defer c.mu.Unlock()
	return &Message{ct: c.seal(nil, plaintext)}
}

// Decrypt authenticates and decrypts the next message from the other side.
// It fails with [ErrDecryption] if the message does not authenticate under
// the expected nonce (a forgery, a damaged message, or one out of order);
// the receive counter then stays where it was, so the next genuine message
// still decrypts. vodozemac advances its counter even on failure.
func (c *Channel) Decrypt(msg *Message) ([]byte, error) {
	if msg == nil {
		return nil, ErrBadMessageFormat
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(msg.ct) < Overhead {
		return nil, ErrDecryption
	}
	n := nonce(c.recvCount)
	pt, err := c.dec.Open(nil, n[:], msg.ct, nil)
	if err != nil {
		return nil, ErrDecryption
	}
	c.recvCount++
	return pt, nil
}

// CheckCode returns the channel's check code, the same on both sides. The
// side that scanned the QR code shows it and the other side asks the user
// to type it (MSC4108).
func (c *Channel) CheckCode() CheckCode { return c.checkCode }

// PublicKey returns our public key.
func (c *Channel) PublicKey() newt.Curve25519PublicKey {
	return newt.Curve25519PublicKeyFromArray(c.ourPub)
}

// TheirPublicKey returns the other side's public key.
func (c *Channel) TheirPublicKey() newt.Curve25519PublicKey {
	return newt.Curve25519PublicKeyFromArray(c.theirPub)
}

// String describes the channel without secrets.
func (c *Channel) String() string {
	return "ecies.Channel{our: " + b64.EncodeToString(c.ourPub[:]) + ", their: " + b64.EncodeToString(c.theirPub[:]) + "}"
}

// GoString is [Channel.String], so that %#v prints no secret either.
func (c *Channel) GoString() string { return c.String() }

// Format implements [fmt.Formatter]: every verb prints the description of
// [Channel.String] (as it is for %#v, else formatted as fmt formats a string
// for the verb), never a key.
func (c *Channel) Format(f fmt.State, verb rune) { redact.Format(f, verb, c.String()) }

func (c *Channel) clear() { *c = Channel{} }

// CheckCode is the two bytes both sides derive from the shared secret.
type CheckCode struct{ b [CheckCodeSize]byte }

// Bytes returns the two bytes.
func (c CheckCode) Bytes() [CheckCodeSize]byte { return c.b }

// Digits returns the check code as the two-digit number of MSC4108
// (vodozemac's DigitMode::AllowLeadingZero): (b0 mod 10)·10 + b1 mod 10,
// shown with a leading zero when below 10.
func (c CheckCode) Digits() int { return int(c.b[0]%10)*10 + int(c.b[1]%10) }

// DigitsNoLeadingZero returns the number of MSC4388 (vodozemac's
// DigitMode::NoLeadingZero): ((b0 mod 9)+1)·10 + b1 mod 10, always 10..99.
func (c CheckCode) DigitsNoLeadingZero() int { return (int(c.b[0]%9)+1)*10 + int(c.b[1]%10) }

// String returns [CheckCode.Digits] as two digits.
func (c CheckCode) String() string {
	d := c.Digits()
	if d < 10 {
		return "0" + strconv.Itoa(d)
	}
	return strconv.Itoa(d)
}
