// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

//go:build libolm

package libolm_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/newt-e2ee/newt/internal/aessha2"
	"github.com/newt-e2ee/newt/internal/ed25519x"
	"github.com/newt-e2ee/newt/internal/libolm"
	"github.com/newt-e2ee/newt/internal/newttest"
	"github.com/newt-e2ee/newt/internal/pickle"
	"github.com/newt-e2ee/newt/internal/x25519"
)

// Differential tests of newt's primitive packages against libolm: at least
// 1,000 deterministic random inputs per primitive (per info string for
// HKDF and the cipher). The packages' own tests check the same properties on
// fewer inputs; these are the bulk run.

const diffCases = 1000

// infos are the HKDF info strings libolm uses, with the output lengths it
// asks for.
var infos = []struct {
	info string
	out  int
}{
	{"OLM_ROOT", 64}, {"OLM_RATCHET", 64}, {"OLM_KEYS", 80}, {"MEGOLM_KEYS", 80},
	{"Pickle", 80}, {"", 80}, {"SAS", 6},
}

func TestDifferentialHKDF(t *testing.T) {
	for _, in := range infos {
		t.Run(in.info, func(t *testing.T) {
			r := newttest.Rand("hkdf/" + in.info)
			for i := range diffCases {
				ikm := newttest.RandFrom(r, r.IntN(160))
				var salt []byte
				if in.info == "OLM_RATCHET" || i%4 == 3 {
					salt = newttest.RandFrom(r, r.IntN(80))
				}
				n := in.out
				if i%5 == 4 {
					n = r.IntN(400)
				}
				got := make([]byte, n)
				aessha2.HKDF(got, ikm, salt, in.info)
				if want := libolm.HKDF(ikm, salt, []byte(in.info), n); !bytes.Equal(got, want) {
					t.Fatalf("case %d: HKDF(ikm %d B, salt %d B, %d B) differs from libolm", i, len(ikm), len(salt), n)
				}
				if n != 80 || len(salt) != 0 {
					continue
				}
				var k aessha2.Keys
				aessha2.DeriveKeys(&k, ikm, in.info)
				if !bytes.Equal(bytes.Join([][]byte{k.AESKey[:], k.MACKey[:], k.IV[:]}, nil), got) {
					t.Fatalf("case %d: DeriveKeys differs from HKDF", i)
				}
			}
		})
	}
}

func TestDifferentialHMAC(t *testing.T) {
	r := newttest.Rand("hmac")
	for i := range diffCases {
		key, msg := newttest.RandFrom(r, r.IntN(300)), newttest.RandFrom(r, r.IntN(2000))
		var got [32]byte
		aessha2.HMAC(&got, key, msg)
		if want := libolm.HMACSHA256(key, msg); got != want {
			t.Fatalf("case %d (key %d B, msg %d B): HMAC differs from libolm", i, len(key), len(msg))
		}
	}
}

// TestDifferentialCipher compares the aes_sha_256 cipher in both
// directions for each flavour: our output must equal libolm's and decrypt in
// libolm, and libolm's output must verify and decrypt here.
func TestDifferentialCipher(t *testing.T) {
	for _, flavour := range []struct{ name, info string }{
		{"olm", aessha2.InfoOlmKeys}, {"megolm", aessha2.InfoMegolmKeys},
		{"pickle", aessha2.InfoPickle}, {"pk", aessha2.InfoPK},
	} {
		t.Run(flavour.name, func(t *testing.T) {
			r := newttest.Rand("cipher/" + flavour.name)
			info := []byte(flavour.info)
			for i := range diffCases {
				ikm := newttest.RandFrom(r, r.IntN(140))
				pt := newttest.RandFrom(r, r.IntN(300))
				var prefix []byte
				if flavour.name == "olm" || flavour.name == "megolm" {
					prefix = newttest.RandFrom(r, r.IntN(50))
				}
				var k aessha2.Keys
				aessha2.DeriveKeys(&k, ikm, flavour.info)

				if flavour.name == "pk" {
					// pk's MAC covers nothing: HMAC(mac_key, "")[:8].
					wantCT, wantMAC := libolm.CipherEncryptDetached(info, ikm, pt)
					ct := k.AppendEncrypt(nil, pt)
					mac := k.AppendMAC(nil, nil, aessha2.TruncatedMACSize)
					if !bytes.Equal(ct, wantCT) || !bytes.Equal(mac, wantMAC[:]) {
						t.Fatalf("case %d: output differs from libolm's PK cipher", i)
					}
					if !k.VerifyMAC(nil, wantMAC[:], aessha2.TruncatedMACSize) {
						t.Fatalf("case %d: VerifyMAC rejects libolm's PK MAC", i)
					}
					if back, err := k.Decrypt(nil, wantCT); err != nil || !bytes.Equal(back, pt) {
						t.Fatalf("case %d: Decrypt of libolm's PK ciphertext: %v", i, err)
					}
					continue
				}

				// Ours → compare → libolm decrypts.
				msg := k.AppendEncrypt(bytes.Clone(prefix), pt)
				mac := [8]byte(k.AppendMAC(nil, msg, aessha2.TruncatedMACSize))
				wantCT, wantMAC := libolm.CipherEncrypt(info, ikm, prefix, pt)
				if !bytes.Equal(msg[len(prefix):], wantCT) || mac != wantMAC {
					t.Fatalf("case %d: output differs from _olm_cipher_aes_sha_256", i)
				}
				back, err := libolm.CipherDecrypt(info, ikm, prefix, msg[len(prefix):], mac)
				if err != nil || !bytes.Equal(back, pt) {
					t.Fatalf("case %d: libolm rejects our output: %v", i, err)
				}
				// libolm → we verify and decrypt; a flipped MAC bit fails in both.
				lmsg := append(bytes.Clone(prefix), wantCT...)
				if !k.VerifyMAC(lmsg, wantMAC[:], aessha2.TruncatedMACSize) {
					t.Fatalf("case %d: VerifyMAC rejects libolm's MAC", i)
				}
				if got, err := k.Decrypt(nil, wantCT); err != nil || !bytes.Equal(got, pt) {
					t.Fatalf("case %d: Decrypt of libolm's ciphertext: %v", i, err)
				}
				badMAC := wantMAC
				badMAC[r.IntN(8)] ^= 1 << r.IntN(8)
				if k.VerifyMAC(lmsg, badMAC[:], aessha2.TruncatedMACSize) {
					t.Fatalf("case %d: VerifyMAC accepts a corrupted MAC", i)
				}
				if _, err := libolm.CipherDecrypt(info, ikm, prefix, wantCT, badMAC); err == nil {
					t.Fatalf("case %d: libolm accepts a corrupted MAC", i)
				}

				if flavour.name == "pickle" {
					// The pickle envelope is b64(ct ‖ mac) with no prefix.
					env := newttest.SealPickle(ikm, pt)
					want := libolm.PickleEncrypt(ikm, pt)
					if env != want {
						t.Fatalf("case %d: pickle envelope differs from libolm", i)
					}
					if raw, err := libolm.PickleDecrypt(ikm, env); err != nil || !bytes.Equal(raw, pt) {
						t.Fatalf("case %d: libolm cannot unpickle ours: %v", i, err)
					}
					if back, err := pickle.Decrypt(ikm, []byte(want)); err != nil || !bytes.Equal(back, pt) {
						t.Fatalf("case %d: pickle.Decrypt rejects libolm's pickle: %v", i, err)
					}
				}
			}
		})
	}
}

// TestDifferentialX25519 compares public keys and shared secrets on raw
// (unclamped) private keys, with peers that are real public keys or
// arbitrary 32-byte strings (top bit and non-canonical values included).
func TestDifferentialX25519(t *testing.T) {
	r := newttest.Rand("x25519")
	for i := range diffCases {
		priv := x25519.PrivateKey(newttest.RandFrom(r, 32))
		want := libolm.Curve25519PublicKey(priv)
		if got := x25519.PublicKey(&priv); got != want {
			t.Fatalf("case %d: public key %x, libolm %x", i, got, want)
		}
		var peer [32]byte
		if i%2 == 0 {
			peer = libolm.Curve25519PublicKey([32]byte(newttest.RandFrom(r, 32)))
		} else {
			peer = [32]byte(newttest.RandFrom(r, 32))
		}
		s, err := x25519.DH(&priv, &peer)
		ls := libolm.Curve25519SharedSecret(priv, peer)
		if ls == ([32]byte{}) {
			if !errors.Is(err, x25519.ErrNonContributory) {
				t.Fatalf("case %d: libolm gives zeros, DH gives %v", i, err)
			}
			continue
		}
		if err != nil || s != ls {
			t.Fatalf("case %d: DH %x (%v), libolm %x", i, s, err, ls)
		}
	}
}

// TestDifferentialEd25519 compares key expansion and signatures (from seeds
// and from arbitrary expanded keys, as a pickle may hold), and checks that
// verification agrees with libolm on valid and corrupted signatures.
func TestDifferentialEd25519(t *testing.T) {
	r := newttest.Rand("ed25519")
	for i := range diffCases {
		seed := [32]byte(newttest.RandFrom(r, 32))
		msg := newttest.RandFrom(r, r.IntN(300))
		pub, sk := libolm.Ed25519KeyFromSeed(seed)
		k := ed25519x.NewKeyFromSeed(&seed)
		if k.Public() != pub || k.Expanded() != sk {
			t.Fatalf("case %d: key expansion differs from libolm", i)
		}
		sig := k.Sign(msg)
		if want := libolm.Ed25519Sign(pub, sk, msg); sig != want {
			t.Fatalf("case %d: signature differs from libolm", i)
		}
		if !libolm.Ed25519VerifyRaw(pub, msg, sig) || !ed25519x.Verify(pub[:], msg, sig[:]) {
			t.Fatalf("case %d: a valid signature is rejected", i)
		}
		// A random single-bit corruption of the signature, key or message:
		// both reject (S+L malleation, which only libolm accepts, cannot be
		// produced by one bit flip with the top three bits of S clear).
		bsig, bpub, bmsg := sig, pub, bytes.Clone(msg)
		switch i % 3 {
		case 0:
			bsig[r.IntN(64)] ^= 1 << r.IntN(8)
		case 1:
			bpub[r.IntN(32)] ^= 1 << r.IntN(8)
		default:
			if len(bmsg) == 0 {
				bmsg = []byte{0}
			} else {
				bmsg[r.IntN(len(bmsg))] ^= 1 << r.IntN(8)
			}
		}
		lok, ok := libolm.Ed25519VerifyRaw(bpub, bmsg, bsig), ed25519x.Verify(bpub[:], bmsg, bsig[:])
		if lok || ok {
			t.Fatalf("case %d: corrupted signature accepted (libolm %v, newt %v)", i, lok, ok)
		}
		// Arbitrary expanded key with an unrelated public key.
		rsk, rpub := [64]byte(newttest.RandFrom(r, 64)), [32]byte(newttest.RandFrom(r, 32))
		if got, want := ed25519x.NewKeyFromExpanded(&rpub, &rsk).Sign(msg), libolm.Ed25519Sign(rpub, rsk, msg); got != want {
			t.Fatalf("case %d: expanded-key signature differs from libolm", i)
		}
	}
}
