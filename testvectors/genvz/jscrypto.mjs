// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// The generator's own implementations, on Node's crypto, of the pieces the
// wasm package does not expose: the pickle cipher (libolm's, which
// vodozemac's *Pickle::encrypt uses with JSON inside), ChaCha20-Poly1305
// opening of a dehydrated device, and the MSC4108 v1 ECIES channel with a
// fixed key (the peer side of the transcripts). vodozemac checks the ECIES
// side by accepting and answering it.

import crypto from "node:crypto";

export const b64 = (b) => Buffer.from(b).toString("base64").replace(/=+$/, "");

function pickleKeys(key) {
  const k = Buffer.from(crypto.hkdfSync("sha256", key, Buffer.alloc(1), Buffer.from("Pickle"), 80));
  return { aes: k.subarray(0, 32), mac: k.subarray(32, 64), iv: k.subarray(64, 80) };
}

export function sealPickle(key, plaintext) {
  const k = pickleKeys(key);
  const c = crypto.createCipheriv("aes-256-cbc", k.aes, k.iv);
  const ct = Buffer.concat([c.update(plaintext), c.final()]);
  const mac = crypto.createHmac("sha256", k.mac).update(ct).digest().subarray(0, 8);
  return b64(Buffer.concat([ct, mac]));
}

export function openPickle(key, text) {
  const k = pickleKeys(key);
  const raw = Buffer.from(text, "base64");
  const ct = raw.subarray(0, raw.length - 8);
  const mac = crypto.createHmac("sha256", k.mac).update(ct).digest().subarray(0, 8);
  if (!mac.equals(raw.subarray(raw.length - 8))) throw new Error("pickle MAC mismatch");
  const d = crypto.createDecipheriv("aes-256-cbc", k.aes, k.iv);
  return Buffer.concat([d.update(ct), d.final()]);
}

export function chachaOpen(key, nonce, sealed) {
  const d = crypto.createDecipheriv("chacha20-poly1305", key, nonce, { authTagLength: 16 });
  d.setAuthTag(sealed.subarray(sealed.length - 16));
  return Buffer.concat([d.update(sealed.subarray(0, sealed.length - 16)), d.final()]);
}

function chachaSeal(key, nonce, plaintext) {
  const c = crypto.createCipheriv("chacha20-poly1305", key, nonce, { authTagLength: 16 });
  const ct = Buffer.concat([c.update(plaintext), c.final()]);
  return Buffer.concat([ct, c.getAuthTag()]);
}

const PKCS8_X25519 = Buffer.from("302e020100300506032b656e04220420", "hex");
const SPKI_X25519 = Buffer.from("302a300506032b656e032100", "hex");

export function x25519Keypair(priv) {
  const key = crypto.createPrivateKey({ key: Buffer.concat([PKCS8_X25519, priv]), format: "der", type: "pkcs8" });
  const pub = crypto.createPublicKey(key).export({ format: "der", type: "spki" }).subarray(12);
  return { priv: Buffer.from(priv), pub: Buffer.from(pub), key };
}

function dh(pair, theirPub) {
  const pk = crypto.createPublicKey({ key: Buffer.concat([SPKI_X25519, theirPub]), format: "der", type: "spki" });
  return crypto.diffieHellman({ privateKey: pair.key, publicKey: pk });
}

const hkdf512 = (secret, info, n) => Buffer.from(crypto.hkdfSync("sha512", secret, Buffer.alloc(0), Buffer.from(info), n));

function nonce(counter) {
  const n = Buffer.alloc(12);
  n.writeBigUInt64LE(BigInt(counter), 0);
  return n;
}

// channel returns the established channel of one side: recipient and
// initiator are the two public keys (Gp and Sp of MSC4108).
function channel(secret, recipient, initiator, info, role) {
  const suffix = `|${b64(recipient)}|${b64(initiator)}`;
  const sKey = hkdf512(secret, `${info}_ENCKEY_S${suffix}`, 32); // initiator -> recipient
  const gKey = hkdf512(secret, `${info}_ENCKEY_G${suffix}`, 32); // recipient -> initiator
  const ch = {
    checkCode: hkdf512(secret, `${info}_CHECKCODE${suffix}`, 2),
    encKey: role === "initiator" ? sKey : gKey,
    decKey: role === "initiator" ? gKey : sKey,
    sendNonce: 0,
    recvNonce: 0,
    encrypt(pt) { return b64(chachaSeal(this.encKey, nonce(this.sendNonce++), pt)); },
    decrypt(text) {
      const pt = chachaOpen(this.decKey, nonce(this.recvNonce), Buffer.from(text, "base64"));
      this.recvNonce++;
      return pt;
    },
  };
  return ch;
}

export function eciesInbound(pair, initialText, info) {
  const [ct, pk] = initialText.split("|");
  const theirPub = Buffer.from(pk, "base64");
  const ch = channel(dh(pair, theirPub), pair.pub, theirPub, info, "recipient");
  ch.initialPlaintext = ch.decrypt(ct);
  return ch;
}

export function eciesOutbound(pair, theirPub, info) {
  const ch = channel(dh(pair, theirPub), theirPub, pair.pub, info, "initiator");
  ch.initialMessage = (pt) => `${ch.encrypt(pt)}|${b64(pair.pub)}`;
  return ch;
}
