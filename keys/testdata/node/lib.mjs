// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// Shared helpers of the keys-at-rest cross-check: the real implementations
// from npm (matrix-sdk-crypto-wasm for matrix-rust-sdk and vodozemac,
// matrix-js-sdk) and Element Web's export-file algorithm, written anew here
// with Node's WebCrypto because Element Web is not published as a library.

import * as W from "@matrix-org/matrix-sdk-crypto-wasm";
import encryptAESSecretStorageItem from "matrix-js-sdk/lib/utils/encryptAESSecretStorageItem.js";
import decryptAESSecretStorageItem from "matrix-js-sdk/lib/utils/decryptAESSecretStorageItem.js";
import { encodeRecoveryKey, decodeRecoveryKey } from "matrix-js-sdk/lib/crypto-api/recovery-key.js";
import { deriveRecoveryKeyFromPassphrase } from "matrix-js-sdk/lib/crypto-api/key-passphrase.js";
import { calculateKeyCheck } from "matrix-js-sdk/lib/secret-storage.js";
import { readFileSync } from "node:fs";

export { W, encryptAESSecretStorageItem, decryptAESSecretStorageItem, encodeRecoveryKey, decodeRecoveryKey, deriveRecoveryKeyFromPassphrase, calculateKeyCheck };

const subtle = globalThis.crypto.subtle;

// versions returns the installed versions of the packages used.
export function versions() {
  const v = (name) => JSON.parse(readFileSync(new URL("node_modules/" + name + "/package.json", import.meta.url), "utf8")).version;
  return {
    "@matrix-org/matrix-sdk-crypto-wasm": v("@matrix-org/matrix-sdk-crypto-wasm"),
    "matrix-js-sdk": v("matrix-js-sdk"),
    node: process.version,
  };
}

export const b64 = (u8) => Buffer.from(u8).toString("base64").replace(/=+$/, "");
export const b64pad = (u8) => Buffer.from(u8).toString("base64");
export const unb64 = (s) => new Uint8Array(Buffer.from(s, "base64"));
export const random = (n) => globalThis.crypto.getRandomValues(new Uint8Array(n));
export const utf8 = (s) => new TextEncoder().encode(s);

// errorText returns a short description of what a call threw, or "ok".
export async function outcome(f) {
  try {
    await f();
    return "ok";
  } catch (e) {
    return "error: " + String(e && (e.message || e)).split("\n")[0].slice(0, 160);
  }
}

// ---- Element Web's export file (src/utils/MegolmExportEncryption.ts) ----

export const BEGIN = "-----BEGIN MEGOLM SESSION DATA-----";
export const END = "-----END MEGOLM SESSION DATA-----";

async function exportKeys(passphrase, salt, rounds) {
  const base = await subtle.importKey("raw", utf8(passphrase), { name: "PBKDF2" }, false, ["deriveBits"]);
  const bits = new Uint8Array(await subtle.deriveBits({ name: "PBKDF2", salt, iterations: rounds, hash: "SHA-512" }, base, 512));
  const aes = await subtle.importKey("raw", bits.slice(0, 32), { name: "AES-CTR" }, false, ["encrypt", "decrypt"]);
  const mac = await subtle.importKey("raw", bits.slice(32), { name: "HMAC", hash: { name: "SHA-256" } }, false, ["sign", "verify"]);
  return { aes, mac };
}

// sealExportBody builds the binary body: version 1, salt, IV, rounds, the
// AES-CTR ciphertext with a counter of counterLength bits, and the HMAC.
export async function sealExportBody(plaintext, passphrase, rounds, { salt = random(16), iv, counterLength = 64 } = {}) {
  if (!iv) {
    iv = random(16);
    iv[8] &= 0x7f; // as Element Web does
  }
  const k = await exportKeys(passphrase, salt, rounds);
  const ct = new Uint8Array(await subtle.encrypt({ name: "AES-CTR", counter: iv, length: counterLength }, k.aes, utf8(plaintext)));
  const body = new Uint8Array(37 + ct.length + 32);
  body[0] = 1;
  body.set(salt, 1);
  body.set(iv, 17);
  new DataView(body.buffer).setUint32(33, rounds);
  body.set(ct, 37);
  body.set(new Uint8Array(await subtle.sign({ name: "HMAC" }, k.mac, body.subarray(0, 37 + ct.length))), 37 + ct.length);
  return body;
}

// armorElement lays a body out as Element Web does: each 96-byte slice
// encoded separately (128 characters, only the last one padded), a newline
// after every line including the END line.
export function armorElement(body) {
  const lines = [BEGIN];
  for (let i = 0; i < body.length; i += 96) lines.push(b64pad(body.subarray(i, i + 96)));
  lines.push(END, "");
  return lines.join("\n");
}

export async function elementEncrypt(plaintext, passphrase, rounds, opts) {
  return armorElement(await sealExportBody(plaintext, passphrase, rounds, opts));
}

// elementUnpack reads the armor as Element Web's unpackMegolmKeyFile does:
// skip to a line that is BEGIN after trimming, take everything up to a line
// that is END after trimming, and decode it leniently as atob does.
export function elementUnpack(text) {
  const lines = text.split("\n");
  let i = 0;
  while (i < lines.length && lines[i].trim() !== BEGIN) i++;
  if (i === lines.length || i === lines.length - 1) throw new Error("Header line not found");
  const start = i + 1;
  let j = start;
  while (j < lines.length && lines[j].trim() !== END) j++;
  if (j === lines.length) throw new Error("Trailer line not found");
  return new Uint8Array(Buffer.from(lines.slice(start, j).join(""), "base64"));
}

export async function elementDecrypt(text, passphrase, counterLength = 64) {
  const body = elementUnpack(text);
  if (body.length < 1) throw new Error("Invalid file: too short");
  if (body[0] !== 1) throw new Error("Unsupported version");
  if (body.length - 69 < 0) throw new Error("Invalid file: too short");
  const rounds = new DataView(body.buffer, body.byteOffset).getUint32(33);
  const k = await exportKeys(passphrase, body.subarray(1, 17), rounds);
  const ok = await subtle.verify({ name: "HMAC" }, k.mac, body.subarray(body.length - 32), body.subarray(0, body.length - 32));
  if (!ok) throw new Error("hmac mismatch");
  const pt = await subtle.decrypt({ name: "AES-CTR", counter: body.subarray(17, 33), length: counterLength }, k.aes, body.subarray(37, body.length - 32));
  return new TextDecoder("utf-8", { fatal: true }).decode(pt);
}

// ---- matrix-sdk-crypto-wasm ----

// newMachine returns an in-memory OlmMachine. The wasm frees the ID objects
// it is given, so fresh ones are made for every call.
export async function newMachine(user, device) {
  return W.OlmMachine.initialize(new W.UserId(user), new W.DeviceId(device));
}

// shareRooms makes the machine create one outbound Megolm session per room
// (and the matching inbound session), as it does before sending.
export async function shareRooms(m, user, rooms) {
  for (const room of rooms) {
    await m.shareRoomKey(new W.RoomId(room), [new W.UserId(user)], new W.EncryptionSettings());
  }
}

// rustImport imports an export's JSON into a fresh machine and returns what
// the machine then exports (so the caller sees what Rust read), with the
// import counts.
export async function rustImport(json) {
  const m = await newMachine("@importer:example.org", "IMPORTER");
  const r = await m.importExportedRoomKeys(json, () => {});
  const back = JSON.parse(await m.exportRoomKeys(() => true));
  return { imported: Number(r.importedCount), total: Number(r.totalCount), sessions: back };
}

// canonical returns Matrix canonical JSON for plain data (objects, arrays,
// strings, integers, booleans, null), enough for the objects signed here.
export function canonical(v) {
  if (Array.isArray(v)) return "[" + v.map(canonical).join(",") + "]";
  if (v && typeof v === "object") {
    const keys = Object.keys(v).sort((a, b) => (Buffer.compare(Buffer.from(a), Buffer.from(b))));
    return "{" + keys.map((k) => JSON.stringify(k) + ":" + canonical(v[k])).join(",") + "}";
  }
  return JSON.stringify(v);
}

// signingView strips the top-level members that are not signed.
export function signingView(obj) {
  const { signatures, unsigned, ...rest } = obj;
  return rest;
}

// mergeSignatures adds the signatures of a wasm Signatures object.
export function mergeSignatures(obj, sigs) {
  const add = JSON.parse(sigs.asJSON());
  const out = { ...obj, signatures: { ...(obj.signatures || {}) } };
  for (const [user, m] of Object.entries(add)) out.signatures[user] = { ...(out.signatures[user] || {}), ...m };
  return out;
}

// queryDevices makes a machine for the user checker that tracks users and
// answers its /keys/query with response; ask it what it accepted with
// getDevice and getIdentity.
export async function queryDevices(response, users, checker = "@checker:example.org") {
  const m = await newMachine(checker, "CHECKER");
  await m.updateTrackedUsers(users.map((u) => new W.UserId(u)));
  for (const r of await m.outgoingRequests()) {
    if (r.type === W.RequestType.KeysQuery) {
      await m.markRequestAsSent(r.id, r.type, JSON.stringify(response));
    }
  }
  return m;
}
