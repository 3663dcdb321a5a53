// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package keys

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/newt-e2ee/newt/internal/aessha2"
	"github.com/newt-e2ee/newt/internal/b64"
	"github.com/newt-e2ee/newt/internal/redact"
)

// Secret storage (Matrix spec, "Secret storage", algorithm
// m.secret_storage.v1.aes-hmac-sha2; docs/keys-at-rest.md, "Secret
// storage").
const (
	// SecretStorageAlgorithm is the secret storage algorithm this package
	// implements.
	SecretStorageAlgorithm = "m.secret_storage.v1.aes-hmac-sha2"

	// PassphraseAlgorithm is the only passphrase algorithm: PBKDF2 with
	// HMAC-SHA-512.
	PassphraseAlgorithm = "m.pbkdf2"

	// SecretStorageKeySize is the size of a secret storage key.
	SecretStorageKeySize = 32

	ssssIVSize  = 16
	ssssMACSize = sha256.Size
	// keyIDChars is the length of generated key IDs and salts (32
	// alphanumerics, as matrix-rust-sdk generates them).
	keyIDChars = 32
)

// Names of the secrets Matrix clients keep in secret storage. Each secret is
// the unpadded base64 of a 32-byte private key.
const (
	SecretCrossSigningMaster      = "m.cross_signing.master"
	SecretCrossSigningSelfSigning = "m.cross_signing.self_signing"
	SecretCrossSigningUserSigning = "m.cross_signing.user_signing"
	SecretMegolmBackup            = "m.megolm_backup.v1"
)

// SecretStorageKey is a key of the user's secret storage, with its key ID.
// It is immutable and safe for concurrent use; String and the fmt verbs
// print only the key ID.
type SecretStorageKey struct {
	id string
	// key is in a Box: no position of a SecretStorageKey, not even an
	// unexported field that fmt prints by reflection, prints it
	// (internal/redact). It is never written after creation.
	key redact.Box[[SecretStorageKeySize]byte]
}

// zeroSecretStorageKey is the key of the zero SecretStorageKey. It is never
// written.
var zeroSecretStorageKey [SecretStorageKeySize]byte

// bytes returns the key, read-only.
func (k *SecretStorageKey) bytes() *[SecretStorageKeySize]byte {
	if p := k.key.Get(); p != nil {
		return p
	}
	return &zeroSecretStorageKey
}

// GenerateSecretStorageKey returns a new random key with a new random key
// ID of 32 alphanumeric characters.
func GenerateSecretStorageKey() *SecretStorageKey {
	k := &SecretStorageKey{id: randomAlphanumeric(keyIDChars), key: redact.NewBox[[SecretStorageKeySize]byte]()}
	rand.Read(k.key.Get()[:]) // never fails since Go 1.24
	return k
}

// NewSecretStorageKey returns the key with ID id and the 32 bytes key (for
// example a decoded recovery key). The input is copied.
func NewSecretStorageKey(id string, key []byte) (*SecretStorageKey, error) {
	if len(key) != SecretStorageKeySize {
		return nil, errorf(ErrBadKey, "secret storage key of "+strconv.Itoa(len(key))+" bytes, want 32")
	}
	k := &SecretStorageKey{id: id, key: redact.NewBox[[SecretStorageKeySize]byte]()}
	copy(k.key.Get()[:], key)
	return k, nil
}

// SecretStorageKeyFromRecoveryKey decodes a recovery key (see
// [DecodeRecoveryKey]) as the secret storage key with ID id.
func SecretStorageKeyFromRecoveryKey(id, recoveryKey string) (*SecretStorageKey, error) {
	b, err := DecodeRecoveryKey(recoveryKey)
	if err != nil {
		return nil, err
	}
	defer clear(b)
	return NewSecretStorageKey(id, b)
}

// ID returns the key ID.
func (k *SecretStorageKey) ID() string { return k.id }

// Bytes returns a copy of the 32-byte key, which the caller should clear
// when done.
func (k *SecretStorageKey) Bytes() []byte { return append([]byte(nil), k.bytes()[:]...) }

// RecoveryKey returns the key as a recovery key (see [EncodeRecoveryKey]),
// what Element calls the "Security Key" or "recovery key".
func (k *SecretStorageKey) RecoveryKey() string {
	s, _ := EncodeRecoveryKey(k.bytes()[:]) // cannot fail: 32 bytes
	return s
}

// String describes k without secrets: its key ID.
func (k SecretStorageKey) String() string {
	return "keys.SecretStorageKey{id: " + strconv.Quote(k.id) + "}"
}

// GoString is String, so that %#v prints no secret either.
func (k SecretStorageKey) GoString() string { return k.String() }

// Format implements [fmt.Formatter]: every verb prints the description of
// [SecretStorageKey.String] (as it is for %#v, else formatted as fmt formats a string
// for the verb), never a secret.
func (k SecretStorageKey) Format(f fmt.State, verb rune) { redact.Format(f, verb, k.String()) }

// ssssKeys holds the AES-256 and HMAC-SHA-256 keys for one secret name.
type ssssKeys [64]byte

// derive computes HKDF-SHA-256(key, salt = 32 zero bytes, info = name, 64
// bytes): the AES key is bytes 0-31, the HMAC key bytes 32-63. The info is
// the secret's name, so a ciphertext decrypts under its own name only; the
// key check uses the empty name.
func (k *SecretStorageKey) derive(name string) *ssssKeys {
	var s ssssKeys
	aessha2.HKDF(s[:], k.bytes()[:], nil, name) // nil salt: 32 zero bytes
	return &s
}

// seal encrypts plaintext under name with iv (whose bit 63 the caller has
// cleared) and returns the ciphertext and MAC.
func (s *ssssKeys) seal(iv, plaintext []byte) (ct, mac []byte) {
	block, _ := aes.NewCipher(s[:32]) // cannot fail: 32-byte key
	ct = make([]byte, len(plaintext))
	cipher.NewCTR(block, iv).XORKeyStream(ct, plaintext)
	mac = make([]byte, ssssMACSize)
	aessha2.HMAC((*[ssssMACSize]byte)(mac), s[32:], ct)
	return ct, mac
}

// open checks mac over ct in constant time and then decrypts.
func (s *ssssKeys) open(iv, ct, mac []byte) ([]byte, bool) {
	if len(mac) != ssssMACSize {
		return nil, false
	}
	var sum [ssssMACSize]byte
	aessha2.HMAC(&sum, s[32:], ct)
	if !hmac.Equal(sum[:], mac) {
		return nil, false
	}
	block, _ := aes.NewCipher(s[:32])
	pt := make([]byte, len(ct))
	cipher.NewCTR(block, iv).XORKeyStream(pt, ct)
	return pt, true
}

// newIV returns a random IV with bit 63 cleared, so that matrix-js-sdk's
// 64-bit counter and a 128-bit counter agree.
func newIV() []byte {
	iv := make([]byte, ssssIVSize)
	rand.Read(iv)
	iv[8] &= 0x7f
	return iv
}

// EncryptedSecret is a secret encrypted under one secret storage key: the
// value of an entry of a secret event's "encrypted" map.
type EncryptedSecret struct {
	// IV is the AES-CTR initial counter block (16 bytes).
	IV []byte
	// Ciphertext is the encrypted secret.
	Ciphertext []byte
	// MAC is HMAC-SHA-256 over Ciphertext (the IV is not covered; that is
	// the wire format).
	MAC []byte
}

type wireEncryptedSecret struct {
	IV         *string `json:"iv"`
	Ciphertext *string `json:"ciphertext"`
	MAC        *string `json:"mac"`
}

func (w *wireEncryptedSecret) decode() (*EncryptedSecret, error) {
	if w.IV == nil || w.Ciphertext == nil || w.MAC == nil {
		return nil, errorf(ErrBadSecretStorage, "encrypted secret lacks iv, ciphertext or mac")
	}
	iv, err1 := decodePublic(*w.IV)
	ct, err2 := decodePublic(*w.Ciphertext)
	mac, err3 := decodePublic(*w.MAC)
	if err1 != nil || err2 != nil || err3 != nil {
		return nil, errorf(ErrBadSecretStorage, "encrypted secret is not base64")
	}
	if len(iv) != ssssIVSize {
		return nil, errorf(ErrBadSecretStorage, "encrypted secret IV is not 16 bytes")
	}
	return &EncryptedSecret{IV: iv, Ciphertext: ct, MAC: mac}, nil
}

// EncryptedSecretFromJSON parses {"iv", "ciphertext", "mac"}. Each field may be
// padded base64 (as matrix-js-sdk writes) or unpadded (as the spec says).
// The IV must be 16 bytes; a MAC of any other length than 32 bytes fails
// later, as a MAC mismatch.
func EncryptedSecretFromJSON(data []byte) (*EncryptedSecret, error) {
	var w wireEncryptedSecret
	if err := json.Unmarshal(data, &w); err != nil {
		return nil, errorf(ErrBadSecretStorage, "encrypted secret is not a JSON object of strings")
	}
	return w.decode()
}

// JSON returns {"ciphertext", "iv", "mac"} in unpadded base64.
func (e *EncryptedSecret) JSON() []byte {
	out := []byte(`{"ciphertext":"`)
	out = b64.AppendEncode(out, e.Ciphertext)
	out = append(out, `","iv":"`...)
	out = b64.AppendEncode(out, e.IV)
	out = append(out, `","mac":"`...)
	out = b64.AppendEncode(out, e.MAC)
	return append(out, `"}`...)
}

// Encrypt encrypts the secret text under the secret name name (for example
// [SecretMegolmBackup]) with a fresh random IV. The secret is taken as the
// bytes of the string the spec stores, for the key secrets their unpadded
// base64 (matrix-rust-sdk's and matrix-js-sdk's view); [EncryptKey] takes
// raw key bytes instead.
func (k *SecretStorageKey) Encrypt(name string, secret []byte) *EncryptedSecret {
	return k.encrypt(name, secret, newIV())
}

func (k *SecretStorageKey) encrypt(name string, secret, iv []byte) *EncryptedSecret {
	s := k.derive(name)
	defer clear(s[:])
	ct, mac := s.seal(iv, secret)
	return &EncryptedSecret{IV: iv, Ciphertext: ct, MAC: mac}
}

// EncryptKey encrypts a raw private key (a cross-signing seed or the backup
// key) under name: it stores the unpadded base64 of key, as the spec asks
// (mautrix-go's ssss.Key.Encrypt takes this view too).
func (k *SecretStorageKey) EncryptKey(name string, key []byte) *EncryptedSecret {
	text := b64.AppendEncode(nil, key)
	defer clear(text)
	return k.Encrypt(name, text)
}

// Decrypt checks e's MAC (constant time, after a length check) and returns
// the secret text stored under name: for the key secrets, their base64.
// A wrong key, a different name or an altered ciphertext is [ErrBadSecret].
// The caller owns the result and should clear it when done.
func (k *SecretStorageKey) Decrypt(name string, e *EncryptedSecret) ([]byte, error) {
	if e == nil || len(e.IV) != ssssIVSize {
		return nil, errorf(ErrBadSecretStorage, "encrypted secret IV is not 16 bytes")
	}
	s := k.derive(name)
	defer clear(s[:])
	pt, ok := s.open(e.IV, e.Ciphertext, e.MAC)
	if !ok {
		return nil, ErrBadSecret
	}
	return pt, nil
}

// DecryptKey decrypts a secret that holds a key in base64 and returns the
// raw key bytes. The base64 may be padded (older mautrix-go data) or not,
// and is decoded in constant time. The caller should clear the result.
func (k *SecretStorageKey) DecryptKey(name string, e *EncryptedSecret) ([]byte, error) {
	text, err := k.Decrypt(name, e)
	if err != nil {
		return nil, err
	}
	defer clear(text)
	key, err := b64.AppendDecode(nil, unpad(text))
	if err != nil {
		return nil, errorf(ErrBadSecretStorage, "secret is not base64")
	}
	return key, nil
}

// SecretEvent is the content of a secret's account-data event, whose type is
// the secret's name: {"encrypted": {key ID: EncryptedSecret, ...}}.
type SecretEvent struct {
	// Encrypted maps key IDs to the secret encrypted under each.
	Encrypted map[string]*EncryptedSecret
}

// SecretEventFromJSON parses the content of a secret event. Entries that are
// malformed are an error (ErrBadSecretStorage).
func SecretEventFromJSON(data []byte) (*SecretEvent, error) {
	var w struct {
		Encrypted map[string]wireEncryptedSecret `json:"encrypted"`
	}
	if err := json.Unmarshal(data, &w); err != nil || w.Encrypted == nil {
		return nil, errorf(ErrBadSecretStorage, "secret event has no \"encrypted\" object")
	}
	ev := &SecretEvent{Encrypted: make(map[string]*EncryptedSecret, len(w.Encrypted))}
	for id, e := range w.Encrypted {
		d, err := e.decode()
		if err != nil {
			return nil, err
		}
		ev.Encrypted[id] = d
	}
	return ev, nil
}

// JSON returns the event content with the entries in key ID order.
func (ev *SecretEvent) JSON() []byte {
	out := []byte(`{"encrypted":{`)
	for i, id := range slices.Sorted(maps.Keys(ev.Encrypted)) {
		if i > 0 {
			out = append(out, ',')
		}
		out = appendQuoted(out, id)
		out = append(out, ':')
		out = append(out, ev.Encrypted[id].JSON()...)
	}
	return append(out, "}}"...)
}

// Decrypt returns the secret text encrypted under k in the event
// ([ErrNoSecret] if there is none), as [SecretStorageKey.Decrypt].
func (ev *SecretEvent) Decrypt(k *SecretStorageKey, name string) ([]byte, error) {
	e, ok := ev.Encrypted[k.id]
	if !ok {
		return nil, ErrNoSecret
	}
	return k.Decrypt(name, e)
}

// PassphraseParams describe how a secret storage key is derived from a
// passphrase: PBKDF2-HMAC-SHA-512 over the passphrase's UTF-8 bytes with the
// UTF-8 bytes of Salt (not base64-decoded) and Iterations rounds.
type PassphraseParams struct {
	// Salt is used as it is, as bytes of text.
	Salt string
	// Iterations is the PBKDF2 round count, as read (it is checked
	// against the caller's limit when a key is derived).
	Iterations uint64
}

// NewPassphraseParams returns parameters for a new passphrase: a random
// salt of 32 alphanumeric characters and [DefaultIterations] rounds.
func NewPassphraseParams() *PassphraseParams {
	return &PassphraseParams{Salt: randomAlphanumeric(keyIDChars), Iterations: DefaultIterations}
}

// KeyDescription is a secret storage key's description, the content of its
// m.secret_storage.key.<key ID> account-data event.
type KeyDescription struct {
	// Name is the key's optional human-readable name.
	Name string
	// IV and MAC are the key check: MAC is HMAC-SHA-256 of 32 zero bytes
	// encrypted under the key with IV and the empty secret name. Both are
	// nil when the description has no check.
	IV, MAC []byte
	// Passphrase is set when the key is derived from a passphrase.
	Passphrase *PassphraseParams
}

// Description returns a description of k with the key check filled in (a
// random IV) and the given name and passphrase parameters (nil for a key
// without a passphrase).
func (k *SecretStorageKey) Description(name string, p *PassphraseParams) *KeyDescription {
	iv := newIV()
	return &KeyDescription{Name: name, IV: iv, MAC: k.checkMAC(iv), Passphrase: p}
}

// checkMAC returns the key check MAC for iv: the secret storage encryption
// of 32 zero bytes under the empty name.
func (k *SecretStorageKey) checkMAC(iv []byte) []byte {
	return k.encrypt("", make([]byte, 32), iv[:ssssIVSize]).MAC
}

type wireKeyDescription struct {
	Algorithm  *string `json:"algorithm"`
	Name       *string `json:"name"`
	IV         *string `json:"iv"`
	MAC        *string `json:"mac"`
	Passphrase *struct {
		Algorithm  *string `json:"algorithm"`
		Salt       *string `json:"salt"`
		Iterations *uint64 `json:"iterations"`
		Bits       *uint64 `json:"bits"`
	} `json:"passphrase"`
}

// KeyDescriptionFromJSON parses the content of an m.secret_storage.key.<key
// ID> event. The algorithm must be [SecretStorageAlgorithm]. iv and mac are
// optional (padded or unpadded base64; the IV must have at least 16 bytes,
// of which the first 16 are used, as nheko wrote longer ones and mautrix-go
// reads them; the MAC must have 32). A passphrase must be m.pbkdf2 with a
// salt, an iteration count and no bits other than 256 (matrix-rust-sdk
// always derives 256 bits). The iteration count is checked when a key is
// derived, against the caller's limit.
func KeyDescriptionFromJSON(data []byte) (*KeyDescription, error) {
	var w wireKeyDescription
	if err := json.Unmarshal(data, &w); err != nil {
		return nil, errorf(ErrBadSecretStorage, "key description is not a JSON object of the right shape")
	}
	if w.Algorithm == nil || *w.Algorithm != SecretStorageAlgorithm {
		return nil, errorf(ErrBadSecretStorage, "key description algorithm is not "+SecretStorageAlgorithm)
	}
	d := &KeyDescription{}
	if w.Name != nil {
		d.Name = *w.Name
	}
	if (w.IV == nil) != (w.MAC == nil) {
		return nil, errorf(ErrBadSecretStorage, "key description has only one of iv and mac")
	}
	if w.IV != nil {
		iv, err1 := decodePublic(*w.IV)
		mac, err2 := decodePublic(*w.MAC)
		if err1 != nil || err2 != nil || len(iv) < ssssIVSize || len(mac) != ssssMACSize {
			return nil, errorf(ErrBadSecretStorage, "key description iv or mac is malformed")
		}
		d.IV, d.MAC = iv, mac
	}
	if p := w.Passphrase; p != nil {
		switch {
		case p.Algorithm == nil || *p.Algorithm != PassphraseAlgorithm:
			return nil, errorf(ErrBadSecretStorage, "passphrase algorithm is not "+PassphraseAlgorithm)
		case p.Salt == nil || p.Iterations == nil:
			return nil, errorf(ErrBadSecretStorage, "passphrase lacks salt or iterations")
		case p.Bits != nil && *p.Bits != 256:
			return nil, errorf(ErrBadSecretStorage, "passphrase bits is not 256")
		}
		d.Passphrase = &PassphraseParams{Salt: *p.Salt, Iterations: *p.Iterations}
	}
	return d, nil
}

// JSON returns the description as event content, with unpadded base64.
func (d *KeyDescription) JSON() []byte {
	out := []byte(`{"algorithm":"` + SecretStorageAlgorithm + `"`)
	if d.IV != nil {
		out = append(out, `,"iv":"`...)
		out = b64.AppendEncode(out, d.IV)
		out = append(out, `","mac":"`...)
		out = b64.AppendEncode(out, d.MAC)
		out = append(out, '"')
	}
	if d.Name != "" {
		out = append(out, `,"name":`...)
		out = appendQuoted(out, d.Name)
	}
	if p := d.Passphrase; p != nil {
		out = append(out, `,"passphrase":{"algorithm":"`+PassphraseAlgorithm+`","bits":256,"iterations":`...)
		out = strconv.AppendUint(out, p.Iterations, 10)
		out = append(out, `,"salt":`...)
		out = appendQuoted(out, p.Salt)
		out = append(out, '}')
	}
	return append(out, '}')
}

// Check reports, as a nil error, whether k matches the description: it
// recomputes the key check MAC with the description's IV and compares it in
// constant time ([ErrWrongKey] if it differs). A description without a check
// accepts every key, as in matrix-rust-sdk and matrix-js-sdk; use
// HasCheck to tell. A description whose IV is shorter than 16 bytes (built
// by hand: the parser refuses one) is [ErrBadSecretStorage].
func (d *KeyDescription) Check(k *SecretStorageKey) error {
	if d.IV == nil {
		return nil
	}
	if len(d.IV) < ssssIVSize {
		return errorf(ErrBadSecretStorage, "key check IV shorter than 16 bytes")
	}
	if !hmac.Equal(k.checkMAC(d.IV), d.MAC) {
		return ErrWrongKey
	}
	return nil
}

// HasCheck reports whether the description carries a key check.
func (d *KeyDescription) HasCheck() bool { return d.IV != nil }

// KeyFromPassphrase derives the key with ID id from passphrase with the
// description's parameters and checks it against the description. The
// iteration count must be between 1 and the limit in opts ([*IterationsError]).
// A description without passphrase parameters is ErrBadSecretStorage; a
// wrong passphrase is [ErrWrongKey] (when the description has a check).
func (d *KeyDescription) KeyFromPassphrase(id string, passphrase []byte, opts *Options) (*SecretStorageKey, error) {
	p := d.Passphrase
	if p == nil {
		return nil, errorf(ErrBadSecretStorage, "key is not derived from a passphrase")
	}
	k, err := p.DeriveKey(id, passphrase, opts)
	if err != nil {
		return nil, err
	}
	if err := d.Check(k); err != nil {
		return nil, err
	}
	return k, nil
}

// DeriveKey derives the key with ID id from passphrase, with the limit on
// the iteration count from opts.
func (p *PassphraseParams) DeriveKey(id string, passphrase []byte, opts *Options) (*SecretStorageKey, error) {
	if err := checkIterations(p.Iterations, opts.maxIterations()); err != nil {
		return nil, err
	}
	b := deriveKey(passphrase, []byte(p.Salt), uint32(p.Iterations), SecretStorageKeySize)
	defer clear(b)
	return NewSecretStorageKey(id, b)
}

// randomAlphanumeric returns n random characters from A-Z a-z 0-9.
func randomAlphanumeric(n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	for i := range b {
		for {
			var r [1]byte
			rand.Read(r[:])
			if int(r[0]) < 256-256%len(alphabet) { // no modulo bias
				b[i] = alphabet[int(r[0])%len(alphabet)]
				break
			}
		}
	}
	return string(b)
}
