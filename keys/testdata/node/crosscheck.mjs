// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// The keys-at-rest cross-check between newt and the real implementations.
//
//   node crosscheck.mjs vectors DIR
//       writes export.json, backup.json, ssss.json, recoverykey.json and
//       signed.json to DIR: files, backups, secrets, recovery keys and signed
//       objects made by matrix-sdk-crypto-wasm (matrix-rust-sdk), matrix-js-sdk
//       and Element Web's algorithm, each with what newt must make of it
//       ("expect") and what the real readers made of it ("observed").
//       keys/testdata/vectors holds a committed run; .ci/run makes a fresh one
//       and runs newt's vector tests on it (NEWT_KEYS_VECTORS=DIR).
//
//   node crosscheck.mjs check DIR
//       reads the same five files written by newt (go test ./keys -run
//       TestLiveWrite with NEWT_KEYS_LIVE_OUT=DIR) and checks every item with
//       the real readers. Exits with status 1 on any disagreement.

import { writeFileSync, readFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import * as L from "./lib.mjs";

const { W } = L;
const BACKUP_ALGORITHM = "m.megolm_backup.v1.curve25519-aes-sha2";

function provenance(what) {
  return {
    generator: "keys/testdata/node/crosscheck.mjs vectors",
    what,
    packages: L.versions(),
    note: "matrix-sdk-crypto-wasm 18.9.0 bundles matrix-sdk-crypto 0.19.1 and vodozemac 0.11.0; Element Web's export algorithm (src/utils/MegolmExportEncryption.ts) is re-implemented in lib.mjs with Node's WebCrypto",
    generated: new Date().toISOString().slice(0, 10),
  };
}

// expectedSession turns an exported session object into the fields newt
// must read, with the shared-history flag newt must compute.
function expectedSession(s, sharedHistory) {
  return {
    room_id: s.room_id,
    session_id: s.session_id,
    sender_key: s.sender_key,
    session_key: s.session_key,
    sender_claimed_keys: s.sender_claimed_keys || {},
    forwarding_curve25519_key_chain: s.forwarding_curve25519_key_chain || [],
    shared_history: sharedHistory ?? (s["m.shared_history"] === true),
  };
}

// observeExport runs the real readers on an export file.
async function observeExport(file, passphrase) {
  return {
    "matrix-sdk-crypto-wasm decryptExportedRoomKeys": await L.outcome(() => JSON.parse(W.OlmMachine.decryptExportedRoomKeys(file, passphrase))),
    "Element Web (64-bit counter)": await L.outcome(async () => JSON.parse(await L.elementDecrypt(file, passphrase, 64))),
  };
}

// ---------------------------------------------------------------- vectors

async function exportVectors() {
  const user = "@alice:example.org";
  const m = await L.newMachine(user, "EXPORTER");
  const rooms = ["!kitchen:example.org", "!garden:example.org", "!\u65e5\u672c:example.org"];
  await L.shareRooms(m, user, rooms);
  const json = await m.exportRoomKeys(() => true);
  const sessions = JSON.parse(json);
  const expected = sessions.map((s) => expectedSession(s));
  const vectors = [];
  const add = async (v) => {
    v.observed = await observeExport(v.file, v.passphrase);
    vectors.push(v);
  };

  let file = W.OlmMachine.encryptExportedRoomKeys(json, "rust passphrase", 10);
  await add({ comment: "matrix-rust-sdk's writer: one unpadded line, no newline after END", writer: "matrix-sdk-crypto-wasm OlmMachine.encryptExportedRoomKeys", passphrase: "rust passphrase", file, expect: "success", sessions: expected });
  await add({ comment: "the same file, wrong passphrase", writer: "matrix-sdk-crypto-wasm OlmMachine.encryptExportedRoomKeys", passphrase: "Rust passphrase", file, expect: "wrong passphrase", sessions: [] });

  file = await L.elementEncrypt(json, "element passphrase \u00e9\u{1F511}", 500000);
  await add({ comment: "Element Web's writer at its default of 500,000 rounds, a non-ASCII passphrase", writer: "Element Web algorithm", passphrase: "element passphrase \u00e9\u{1F511}", file, expect: "success", sessions: expected });

  file = await L.elementEncrypt(json, "p", 3);
  await add({ comment: "Element Web's writer: 128-column padded lines", writer: "Element Web algorithm", passphrase: "p", file, expect: "success", sessions: expected });
  await add({ comment: "CRLF line ends", writer: "Element Web algorithm, then LF -> CRLF", passphrase: "p", file: file.replaceAll("\n", "\r\n"), expect: "success", sessions: expected });

  // An IV that breaks the bit-63 rule, with the low 64 bits about to wrap:
  // the two counter widths now give different files.
  const iv = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfd]);
  for (const width of [64, 128]) {
    file = L.armorElement(await L.sealExportBody(json, "p", 3, { iv, counterLength: width }));
    await add({
      comment: `IV with bit 63 set whose low half wraps after 3 blocks, encrypted with a ${width}-bit counter; newt (like matrix-rust-sdk and mautrix-go) counts over 128 bits`,
      writer: `WebCrypto AES-CTR length ${width}`,
      passphrase: "p", file,
      expect: width === 128 ? "success" : "bad export",
      sessions: width === 128 ? expected : [],
    });
  }

  // A body shorter than header + MAC whose MAC is valid for the passphrase:
  // matrix-sdk-crypto 0.19.1 checks the MAC over the first n-32 bytes, then
  // slices [37..n-32] and panics. In a body of n < 69 bytes the MAC overlaps
  // the round count, so a valid one must be searched for: with n = 68 only
  // the count's low byte lies in the MAC, and one salt in about 256 gives a
  // MAC whose first byte is the count used.
  {
    const n = 68;
    const body = new Uint8Array(n);
    body[0] = 1;
    const base = await globalThis.crypto.subtle.importKey("raw", L.utf8("p"), { name: "PBKDF2" }, false, ["deriveBits"]);
    for (;;) {
      body.set(L.random(32), 1); // salt and IV
      const rounds = 1 + (L.random(1)[0] % 255);
      const bits = new Uint8Array(await globalThis.crypto.subtle.deriveBits({ name: "PBKDF2", salt: body.subarray(1, 17), iterations: rounds, hash: "SHA-512" }, base, 512));
      const mk = await globalThis.crypto.subtle.importKey("raw", bits.slice(32), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
      const mac = new Uint8Array(await globalThis.crypto.subtle.sign({ name: "HMAC" }, mk, body.subarray(0, n - 32)));
      if (mac[0] !== rounds) continue;
      body.set(mac, n - 32);
      break;
    }
    const v = { comment: `a ${n}-byte body (shorter than the 69 of an empty export) whose MAC is valid`, writer: "crosscheck.mjs", passphrase: "p", file: L.armorElement(body), expect: "bad export", sessions: [] };
    v.observed = {
      "Element Web (64-bit counter)": await L.outcome(async () => JSON.parse(await L.elementDecrypt(v.file, v.passphrase, 64))),
      "matrix-sdk-crypto-wasm decryptExportedRoomKeys": await L.outcome(() => W.OlmMachine.decryptExportedRoomKeys(v.file, v.passphrase)),
    };
    vectors.push(v);
  }

  // The shared-history flag in each spelling, read back by matrix-rust-sdk.
  for (const [field, value] of [["shared_history", true], ["m.shared_history", true], ["org.matrix.msc3061.shared_history", true], ["m.shared_history", false]]) {
    const edited = sessions.map(({ ["m.shared_history"]: _, ...s }) => ({ ...s, [field]: value }));
    const text = JSON.stringify(edited);
    // matrix-rust-sdk's writer re-serialises the sessions (and so would
    // rewrite the flag); Element Web's writes the text as it is.
    file = await L.elementEncrypt(text, "p", 3);
    const back = await L.rustImport(text);
    const v = {
      comment: `shared-history flag spelled "${field}": ${value}`,
      writer: "Element Web algorithm",
      passphrase: "p", file, expect: "success",
      sessions: edited.map((s) => expectedSession(s, value)),
    };
    await add(v);
    v.observed["matrix-sdk-crypto-wasm import, then m.shared_history of the export"] = back.sessions.map((s) => s["m.shared_history"]).join(",");
  }

  // Entries that cannot be used among good ones.
  {
    const a = sessions[0], b = sessions[1];
    const entries = [
      a,
      { ...b, session_id: a.session_id },
      { ...b, algorithm: "m.megolm.v2.aes-sha2" },
      { ...b, session_key: b.session_key.slice(0, 100) },
      sessions[2],
    ];
    const text = JSON.stringify(entries);
    // matrix-rust-sdk's writer refuses entries it cannot parse, so this
    // file is written with Element Web's algorithm.
    file = await L.elementEncrypt(text, "p", 3);
    const v = {
      comment: "entries 1-3 cannot be used (session_key of another session, unknown algorithm, truncated key); 0 and 4 are imported",
      writer: "Element Web algorithm", passphrase: "p", file,
      expect: "success", sessions: [expectedSession(a), expectedSession(sessions[2])], failed: [1, 2, 3],
    };
    await add(v);
    v.observed["matrix-sdk-crypto-wasm importExportedRoomKeys"] = await L.outcome(async () => {
      const back = await L.rustImport(text);
      throw new Error(`imported ${back.imported} of ${back.total}`);
    });
    const swapped = JSON.stringify([entries[1]]);
    v.observed["matrix-sdk-crypto-wasm importExportedRoomKeys of entry 1 alone"] = await L.outcome(async () => {
      const back = await L.rustImport(swapped);
      const ids = back.sessions.map((s) => (s.session_id === a.session_id ? "the claimed ID" : s.session_id === b.session_id ? "its key's own ID" : "another ID"));
      throw new Error(`imported ${back.imported} of ${back.total}; exports it back under ${ids.join(", ")}`);
    });
  }
  return { provenance: provenance("key export files"), vectors };
}

async function backupVectors() {
  const user = "@alice:example.org";
  const key = W.BackupDecryptionKey.createRandomKey();
  const m = await L.newMachine(user, "BACKUPPER");
  await m.enableBackupV1(key.megolmV1PublicKey.publicKeyBase64, "1");
  const rooms = ["!kitchen:example.org", "!garden:example.org"];
  await L.shareRooms(m, user, rooms);
  const req = await m.backupRoomKeys();
  const body = JSON.parse(req.body);
  const sessions = JSON.parse(await m.exportRoomKeys(() => true));
  const raw = L.unb64(key.toBase64());
  const common = { key: key.toBase64(), recovery_key: L.encodeRecoveryKey(raw), public_key: key.megolmV1PublicKey.publicKeyBase64 };

  const vectors = [];
  const observe = (response) => {
    const o = {};
    for (const [room, r] of Object.entries(response.rooms)) {
      for (const [id, kbd] of Object.entries(r.sessions)) {
        const sd = kbd.session_data;
        o[`${room} ${id}`] = "matrix-sdk-crypto-wasm decryptV1: " + (() => {
          try {
            JSON.parse(key.decryptV1(sd.ephemeral, sd.mac, sd.ciphertext));
            return "ok";
          } catch (e) {
            return "error: " + String(e.message || e).slice(0, 100);
          }
        })();
      }
    }
    return o;
  };
  const expectAll = (response, verdict) => {
    const e = {};
    for (const [room, r] of Object.entries(response.rooms)) for (const id of Object.keys(r.sessions)) e[`${room} ${id}`] = verdict;
    return e;
  };
  vectors.push({
    comment: "the upload body of matrix-rust-sdk's backupRoomKeys (the same shape as a GET /room_keys/keys response)",
    writer: "matrix-sdk-crypto-wasm OlmMachine.backupRoomKeys", ...common, response: body,
    expect: expectAll(body, "success"), sessions: sessions.map((s) => expectedSession(s)), observed: observe(body),
  });

  // Variants of one session's session_data.
  const [room, r] = Object.entries(body.rooms)[0];
  const [id, kbd] = Object.entries(r.sessions)[0];
  const sd = kbd.session_data;
  const one = (label, data, verdict) => {
    const response = { rooms: { [room]: { sessions: { [id]: { ...kbd, session_data: data } } } } };
    vectors.push({
      comment: label, writer: "matrix-sdk-crypto-wasm OlmMachine.backupRoomKeys, then edited", ...common, response,
      expect: expectAll(response, verdict),
      sessions: verdict === "success" ? sessions.filter((s) => s.session_id === id).map((s) => expectedSession(s)) : [],
      observed: observe(response),
    });
  };
  const pad = (s) => L.b64pad(L.unb64(s));
  one("every field in padded base64", { ciphertext: pad(sd.ciphertext), ephemeral: pad(sd.ephemeral), mac: pad(sd.mac) }, "success");
  one("a MAC of 4 bytes, a prefix of the right one (vodozemac accepts any prefix; libolm and mautrix-go need 8 bytes)", { ...sd, mac: L.b64(L.unb64(sd.mac).subarray(0, 4)) }, "bad session data");
  const ct = L.unb64(sd.ciphertext);
  const flipped = ct.slice();
  flipped[flipped.length - 1] ^= 0x55;
  one("last ciphertext byte altered: bad padding", { ...sd, ciphertext: L.b64(flipped) }, "bad session data");
  one("MAC of another key", { ...sd, mac: L.b64(L.random(8)) }, "bad session data");

  // The plaintext with room_id and session_id, as matrix-js-sdk's test
  // generator writes it, encrypted with vodozemac's PkEncryption.
  const withIDs = { ...sessions[0] };
  const pkm = W.PkEncryption.fromKey(W.Curve25519PublicKey.fromBase64 ? W.Curve25519PublicKey.fromBase64(common.public_key) : new W.Curve25519PublicKey(common.public_key)).encryptString(JSON.stringify(withIDs));
  const pkData = { ciphertext: L.b64(pkm.ciphertext()), ephemeral: pkm.ephemeralKey().toBase64(), mac: L.b64(pkm.mac()) };
  const response = { rooms: { [withIDs.room_id]: { sessions: { [withIDs.session_id]: { first_message_index: 0, forwarded_count: 0, is_verified: false, session_data: pkData } } } } };
  vectors.push({
    comment: "plaintext with room_id and session_id (matrix-js-sdk's test data has them), encrypted by vodozemac's PkEncryption",
    writer: "matrix-sdk-crypto-wasm PkEncryption", ...common, response, expect: expectAll(response, "success"),
    sessions: [expectedSession(withIDs)], observed: observe(response),
  });
  return { provenance: provenance("server-side key backup"), vectors };
}

async function ssssVectors() {
  const vectors = [];
  const names = ["m.cross_signing.master", "m.cross_signing.self_signing", "m.cross_signing.user_signing", "m.megolm_backup.v1"];
  const key = L.random(32);
  for (const name of names) {
    const plaintext = L.b64(L.random(32));
    const enc = await L.encryptAESSecretStorageItem(plaintext, key, name);
    vectors.push({ comment: `${name}, padded fields as matrix-js-sdk writes them`, writer: "matrix-js-sdk encryptAESSecretStorageItem", key: L.b64(key), name, encrypted: enc, plaintext, expect: "success" });
  }
  const enc = await L.encryptAESSecretStorageItem("a secret", key, "m.secret.a", L.b64pad(Uint8Array.from([...Array(16).keys()])));
  vectors.push({ comment: "fixed IV", writer: "matrix-js-sdk encryptAESSecretStorageItem", key: L.b64(key), name: "m.secret.a", encrypted: enc, plaintext: "a secret", expect: "success" });
  vectors.push({ comment: "decrypted under another name: the HKDF info differs", writer: "matrix-js-sdk encryptAESSecretStorageItem", key: L.b64(key), name: "m.secret.b", encrypted: enc, plaintext: "", expect: "bad mac" });
  vectors.push({ comment: "decrypted with another key", writer: "matrix-js-sdk encryptAESSecretStorageItem", key: L.b64(L.random(32)), name: "m.secret.a", encrypted: enc, plaintext: "", expect: "bad mac" });
  const unpadded = { iv: L.b64(L.unb64(enc.iv)), ciphertext: L.b64(L.unb64(enc.ciphertext)), mac: L.b64(L.unb64(enc.mac)) };
  vectors.push({ comment: "the same, unpadded as the spec says", writer: "matrix-js-sdk encryptAESSecretStorageItem", key: L.b64(key), name: "m.secret.a", encrypted: unpadded, plaintext: "a secret", expect: "success" });
  for (const v of vectors) {
    v.observed = { "matrix-js-sdk decryptAESSecretStorageItem": await L.outcome(async () => {
      const pt = await L.decryptAESSecretStorageItem(v.encrypted, L.unb64(v.key), v.name);
      if (pt !== v.plaintext) throw new Error("different plaintext");
    }) };
  }

  const checks = [];
  const check = await L.calculateKeyCheck(key);
  const description = { algorithm: "m.secret_storage.v1.aes-hmac-sha2", iv: check.iv, mac: check.mac };
  checks.push({ comment: "key check of matrix-js-sdk's calculateKeyCheck", writer: "matrix-js-sdk calculateKeyCheck", key: L.b64(key), description, expect: "match" });
  checks.push({ comment: "another key", writer: "matrix-js-sdk calculateKeyCheck", key: L.b64(L.random(32)), description, expect: "wrong key" });
  checks.push({ comment: "no check: every key is accepted", writer: "crosscheck.mjs", key: L.b64(L.random(32)), description: { algorithm: "m.secret_storage.v1.aes-hmac-sha2" }, expect: "match" });

  const passphrases = [];
  for (const [passphrase, salt, iterations] of [["correct horse battery staple", "r4nd0mS4ltOf32AlphanumericChars0", 500000], ["\u00e9t\u00e9 \u{1F511}", "c2FsdA==", 1000]]) {
    const k = await L.deriveRecoveryKeyFromPassphrase(passphrase, salt, iterations);
    const chk = await L.calculateKeyCheck(k);
    passphrases.push({
      comment: "matrix-js-sdk deriveRecoveryKeyFromPassphrase (the salt is text, not base64)",
      writer: "matrix-js-sdk deriveRecoveryKeyFromPassphrase",
      passphrase,
      description: { algorithm: "m.secret_storage.v1.aes-hmac-sha2", iv: chk.iv, mac: chk.mac, passphrase: { algorithm: "m.pbkdf2", salt, iterations } },
      key: L.b64(k),
      recovery_key: L.encodeRecoveryKey(k),
    });
  }
  return { provenance: provenance("secret storage"), vectors, key_checks: checks, passphrases };
}

async function recoveryKeyVectors() {
  const encodings = [];
  for (const k of [new Uint8Array(32), new Uint8Array(32).fill(0xff), L.random(32), L.random(32), L.random(32)]) {
    encodings.push({ key: L.b64(k), recovery_key: L.encodeRecoveryKey(k), writer: "matrix-js-sdk encodeRecoveryKey" });
  }
  const good = encodings[2].recovery_key;
  const bare = good.replaceAll(" ", "");
  const typos = [
    { comment: "tabs and line breaks between groups (matrix-rust-sdk removes all white space; matrix-js-sdk only spaces)", input: good.replaceAll(" ", "\t").replace("\t", "\n"), expect: "success", key: encodings[2].key },
    { comment: "no spaces", input: bare, expect: "success", key: encodings[2].key },
    { comment: "a zero, which base58 does not use", input: "0" + good.slice(1), expect: "bad character" },
    { comment: "an l, which base58 does not use", input: good.slice(0, 10) + "l" + good.slice(11), expect: "bad character" },
    { comment: "one character missing", input: bare.slice(0, 20) + bare.slice(21), expect: "bad length" },
    { comment: "one character too many", input: bare + "2", expect: "bad length" },
    { comment: "the wrong prefix (0x8B 0x02)", input: null, expect: "bad prefix" },
    { comment: "one character changed", input: null, expect: "bad parity" },
  ];
  // A key with another prefix, made by hand from the same layout.
  {
    const raw = new Uint8Array(35);
    raw[0] = 0x8b;
    raw[1] = 0x02;
    raw.set(L.unb64(encodings[2].key), 2);
    raw[34] = raw.subarray(0, 34).reduce((a, b) => a ^ b, 0);
    typos[6].input = base58(raw);
  }
  // Change one character until only the parity check notices.
  for (let i = 47; i > 2; i--) {
    const alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    const c = alphabet[(alphabet.indexOf(bare[i]) + 1) % 58];
    const t = bare.slice(0, i) + c + bare.slice(i + 1);
    const raw = decode58(t);
    if (raw && raw.length === 35 && raw[0] === 0x8b && raw[1] === 0x01) {
      typos[7].input = t;
      break;
    }
  }
  for (const t of typos) {
    t.observed = { "matrix-js-sdk decodeRecoveryKey": await L.outcome(() => L.decodeRecoveryKey(t.input)) };
  }
  return { provenance: provenance("recovery keys"), encodings, typos };
}

const ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
function base58(bytes) {
  let n = BigInt("0x" + Buffer.from(bytes).toString("hex"));
  let s = "";
  while (n > 0n) {
    s = ALPHABET[Number(n % 58n)] + s;
    n /= 58n;
  }
  return s;
}
function decode58(s) {
  let n = 0n;
  for (const c of s) {
    const v = ALPHABET.indexOf(c);
    if (v < 0) return null;
    n = n * 58n + BigInt(v);
  }
  let h = n.toString(16);
  if (h.length % 2) h = "0" + h;
  return Uint8Array.from(Buffer.from(h, "hex"));
}

async function signedVectors() {
  const user = "@alice:example.org";
  const m = await L.newMachine(user, "ALICEDEV");
  let device;
  for (const r of await m.outgoingRequests()) {
    if (r.type === W.RequestType.KeysUpload) device = JSON.parse(r.body).device_keys;
  }
  const boot = await m.bootstrapCrossSigning(true);
  const keys = JSON.parse(boot.uploadSigningKeysRequest.body);
  const sigUpload = JSON.parse(boot.uploadSignaturesRequest.body)[user].ALICEDEV;
  // The device as /keys/query returns it: its own signature and the
  // self-signing key's, merged, plus unsigned data from the server.
  const crossSigned = { ...device, signatures: { [user]: { ...device.signatures[user], ...sigUpload.signatures[user] } }, unsigned: { device_display_name: "Alice's laptop" } };

  const backupKey = W.BackupDecryptionKey.createRandomKey();
  let auth = { public_key: backupKey.megolmV1PublicKey.publicKeyBase64 };
  auth = L.mergeSignatures(auth, await m.sign(L.canonical(auth)));

  const msk = keys.master_key, ssk = keys.self_signing_key, usk = keys.user_signing_key;
  const checks = [
    { comment: "device keys as uploaded", kind: "device", user, device: "ALICEDEV", object: device, expect: "valid" },
    { comment: "device keys with the self-signing key's signature and unsigned data", kind: "device", user, device: "ALICEDEV", object: crossSigned, expect: "valid" },
    { comment: "device keys with a changed member", kind: "device", user, device: "ALICEDEV", object: { ...device, algorithms: ["m.megolm.v1.aes-sha2"] }, expect: "bad signature" },
    { comment: "device keys with an added member", kind: "device", user, device: "ALICEDEV", object: { ...device, extra: 1 }, expect: "bad signature" },
    { comment: "device keys asked for under another device ID", kind: "device", user, device: "OTHER", object: device, expect: "bad object" },
    { comment: "self-signing key, signed by the master key", kind: "key", user, usage: "self_signing", object: ssk, signer: { kind: "key", usage: "master", object: msk }, expect: "valid" },
    { comment: "user-signing key, signed by the master key", kind: "key", user, usage: "user_signing", object: usk, signer: { kind: "key", usage: "master", object: msk }, expect: "valid" },
    { comment: "master key, self-signed", kind: "key", user, usage: "master", object: msk, signer: { kind: "key", usage: "master", object: msk }, expect: "valid" },
    { comment: "master key, signed by the device", kind: "key", user, usage: "master", object: msk, signer: { kind: "device", device: "ALICEDEV", object: device }, expect: "valid" },
    { comment: "self-signing key in the user-signing slot", kind: "key", user, usage: "user_signing", object: ssk, signer: { kind: "key", usage: "master", object: msk }, expect: "bad object" },
    { comment: "user-signing key checked against the self-signing key", kind: "key", user, usage: "user_signing", object: usk, signer: { kind: "key", usage: "self_signing", object: ssk }, expect: "bad signature" },
    { comment: "the device, signed by the self-signing key", kind: "device", user, device: "ALICEDEV", object: crossSigned, signer: { kind: "key", usage: "self_signing", object: ssk }, expect: "valid" },
    { comment: "backup auth_data, signed by the device", kind: "auth_data", user, object: auth, signer: { kind: "device", device: "ALICEDEV", object: device }, expect: "valid" },
    { comment: "backup auth_data, signed by the master key", kind: "auth_data", user, object: auth, signer: { kind: "key", usage: "master", object: msk }, expect: "valid" },
    { comment: "backup auth_data with another public key", kind: "auth_data", user, object: { ...auth, public_key: W.BackupDecryptionKey.createRandomKey().megolmV1PublicKey.publicKeyBase64 }, signer: { kind: "key", usage: "master", object: msk }, expect: "bad signature" },
  ];
  for (const c of checks) c.writer = "matrix-sdk-crypto-wasm (OlmMachine keys upload, bootstrapCrossSigning, sign)";
  return { provenance: provenance("signed JSON"), checks };
}

async function writeVectors(dir) {
  mkdirSync(dir, { recursive: true });
  const out = {
    "export.json": await exportVectors(),
    "backup.json": await backupVectors(),
    "ssss.json": await ssssVectors(),
    "recoverykey.json": await recoveryKeyVectors(),
    "signed.json": await signedVectors(),
  };
  for (const [name, v] of Object.entries(out)) {
    writeFileSync(join(dir, name), JSON.stringify(v, null, 1) + "\n");
  }
  console.log("wrote", Object.keys(out).join(", "), "to", dir);
}

// ---------------------------------------------------------------- check

let failures = 0;
function fail(what, detail) {
  failures++;
  console.log("FAIL", what + ":", detail);
}
function pass(what) {
  console.log("ok  ", what);
}
const same = (a, b) => L.canonical(a) === L.canonical(b);

async function checkExports(dir) {
  const f = JSON.parse(readFileSync(join(dir, "export.json"), "utf8"));
  for (const v of f.vectors) {
    if (v.expect !== "success") continue;
    const want = v.sessions;
    const readers = {
      "matrix-sdk-crypto-wasm decryptExportedRoomKeys": async () => JSON.parse(W.OlmMachine.decryptExportedRoomKeys(v.file, v.passphrase)),
      "Element Web algorithm (64-bit counter)": async () => JSON.parse(await L.elementDecrypt(v.file, v.passphrase, 64)),
    };
    for (const [reader, read] of Object.entries(readers)) {
      try {
        const got = (await read()).map((s) => expectedSession(s, s.shared_history ?? s["m.shared_history"]));
        if (!same(got, want)) fail(`${v.comment}: ${reader}`, "sessions differ");
        else pass(`${v.comment}: ${reader} (${got.length} sessions)`);
      } catch (e) {
        fail(`${v.comment}: ${reader}`, e.message || e);
      }
    }
    // matrix-rust-sdk imports the sessions and reads the shared-history
    // flag newt wrote.
    try {
      const text = W.OlmMachine.decryptExportedRoomKeys(v.file, v.passphrase);
      const back = await L.rustImport(text);
      const flags = Object.fromEntries(back.sessions.map((s) => [s.session_id, s["m.shared_history"] === true]));
      const bad = want.filter((s) => flags[s.session_id] !== s.shared_history);
      if (back.imported !== want.length || bad.length) fail(`${v.comment}: matrix-sdk-crypto-wasm import`, `imported ${back.imported}/${want.length}, flags wrong for ${bad.length}`);
      else pass(`${v.comment}: matrix-sdk-crypto-wasm imported ${back.imported} sessions with their shared-history flags`);
    } catch (e) {
      fail(`${v.comment}: matrix-sdk-crypto-wasm import`, e.message || e);
    }
  }
}

async function checkBackups(dir) {
  const f = JSON.parse(readFileSync(join(dir, "backup.json"), "utf8"));
  for (const v of f.vectors) {
    const key = W.BackupDecryptionKey.fromBase64(v.key);
    if (key.megolmV1PublicKey.publicKeyBase64 !== v.public_key) fail(v.comment, "public key differs");
    const fromRecovery = L.b64(L.decodeRecoveryKey(v.recovery_key));
    if (fromRecovery !== v.key) fail(v.comment, "matrix-js-sdk decodes the recovery key to another key");
    else pass(`${v.comment}: matrix-js-sdk decodes newt's recovery key`);
    const want = Object.fromEntries(v.sessions.map((s) => [s.session_id, s]));
    let n = 0;
    const importable = new Map();
    for (const [room, r] of Object.entries(v.response.rooms)) {
      for (const [id, kbd] of Object.entries(r.sessions)) {
        if (v.expect[`${room} ${id}`] !== "success") continue;
        const sd = kbd.session_data;
        try {
          const pt = JSON.parse(key.decryptV1(sd.ephemeral, sd.mac, sd.ciphertext));
          const got = expectedSession({ ...pt, room_id: room, session_id: id }, pt.shared_history ?? pt["m.shared_history"]);
          if (!same(got, want[id])) fail(`${v.comment}: ${id}`, "session differs");
          else n++;
          if (!importable.has(room)) importable.set(room, new Map());
          importable.get(room).set(id, pt);
        } catch (e) {
          fail(`${v.comment}: ${id}: matrix-sdk-crypto-wasm decryptV1`, e.message || e);
        }
      }
    }
    pass(`${v.comment}: matrix-sdk-crypto-wasm decryptV1 read ${n} sessions`);
    const m = await L.newMachine("@importer:example.org", "IMPORTER");
    const rooms = new Map([...importable].map(([room, s]) => [new W.RoomId(room), s]));
    const res = await m.importBackedUpRoomKeys(rooms, () => {}, "1");
    if (Number(res.importedCount) !== n) fail(`${v.comment}: importBackedUpRoomKeys`, `imported ${res.importedCount} of ${n}`);
    else pass(`${v.comment}: matrix-sdk-crypto-wasm importBackedUpRoomKeys imported ${n}`);
  }
}

async function checkSSSS(dir) {
  const f = JSON.parse(readFileSync(join(dir, "ssss.json"), "utf8"));
  for (const v of f.vectors) {
    const r = await L.outcome(async () => {
      const pt = await L.decryptAESSecretStorageItem(v.encrypted, L.unb64(v.key), v.name);
      if (pt !== v.plaintext) throw new Error("different plaintext");
    });
    if ((r === "ok") !== (v.expect === "success")) fail(`${v.comment}: matrix-js-sdk decryptAESSecretStorageItem`, r);
    else pass(`${v.comment}: matrix-js-sdk decryptAESSecretStorageItem ${r}`);
  }
  for (const c of f.key_checks) {
    let ok = true;
    if (c.description.iv) {
      const got = await L.calculateKeyCheck(L.unb64(c.key), c.description.iv);
      ok = got.mac.replace(/=+$/, "") === c.description.mac.replace(/=+$/, "");
    }
    if (ok !== (c.expect === "match")) fail(`${c.comment}: matrix-js-sdk calculateKeyCheck`, ok);
    else pass(`${c.comment}: matrix-js-sdk calculateKeyCheck agrees`);
  }
  for (const p of f.passphrases) {
    const pp = p.description.passphrase;
    const k = await L.deriveRecoveryKeyFromPassphrase(p.passphrase, pp.salt, pp.iterations, pp.bits || 256);
    if (L.b64(k) !== p.key) fail(`${p.comment}: matrix-js-sdk deriveRecoveryKeyFromPassphrase`, "different key");
    else pass(`${p.comment}: matrix-js-sdk deriveRecoveryKeyFromPassphrase gives newt's key`);
    const chk = await L.calculateKeyCheck(k, p.description.iv);
    if (chk.mac.replace(/=+$/, "") !== p.description.mac.replace(/=+$/, "")) fail(`${p.comment}: key check`, "MAC differs");
  }
}

async function checkRecoveryKeys(dir) {
  const f = JSON.parse(readFileSync(join(dir, "recoverykey.json"), "utf8"));
  for (const e of f.encodings) {
    const enc = L.encodeRecoveryKey(L.unb64(e.key));
    const dec = L.b64(L.decodeRecoveryKey(e.recovery_key));
    if (enc !== e.recovery_key || dec !== e.key) fail("recovery key " + e.recovery_key.slice(0, 4), "matrix-js-sdk disagrees");
  }
  pass(`matrix-js-sdk encodes and decodes ${f.encodings.length} recovery keys as newt does`);
}

async function checkSigned(dir) {
  const f = JSON.parse(readFileSync(join(dir, "signed.json"), "utf8"));
  // Build one /keys/query response from the valid objects newt signed and
  // let a matrix-rust-sdk machine judge them.
  const resp = { device_keys: {}, master_keys: {}, self_signing_keys: {}, user_signing_keys: {}, failures: {} };
  const users = new Set();
  for (const c of f.checks) {
    users.add(c.user);
    const put = (o, kind, usage) => {
      if (kind === "device") (resp.device_keys[c.user] ||= {})[o.device_id] = o;
      if (kind === "key") resp[{ master: "master_keys", self_signing: "self_signing_keys", user_signing: "user_signing_keys" }[usage]][c.user] = o;
    };
    if (c.expect === "valid" && c.kind !== "auth_data") put(c.object, c.kind, c.usage);
    if (c.signer) put(c.signer.object, c.signer.kind, c.signer.usage);
  }
  const checker = [...users][0];
  const m = await L.queryDevices(resp, [...users], checker);
  for (const c of f.checks) {
    if (c.kind === "device") {
      const d = await m.getDevice(new W.UserId(c.user), new W.DeviceId(c.object.device_id));
      const accepted = !!d && c.device === c.object.device_id;
      if (c.expect === "valid" && !accepted) fail(c.comment, "matrix-sdk-crypto-wasm refused the device");
      else if (c.expect === "valid" && c.signer && !d.isCrossSignedByOwner()) fail(c.comment, "matrix-sdk-crypto-wasm: not cross-signed by its owner");
      else if (c.expect === "valid") pass(`${c.comment}: matrix-sdk-crypto-wasm accepts${c.signer ? " (cross-signed by owner)" : ""}`);
    }
    if (c.kind === "key" && c.expect === "valid") {
      const id = await m.getIdentity(new W.UserId(c.user));
      if (!id) fail(c.comment, "matrix-sdk-crypto-wasm has no identity for the user");
      else pass(`${c.comment}: matrix-sdk-crypto-wasm built the user's identity`);
    }
    if (c.kind === "auth_data") {
      const r = await m.verifyBackup({ algorithm: BACKUP_ALGORITHM, auth_data: c.object });
      // The checker is another device of the same user, so a valid master
      // key signature shows as ValidButNotTrusted (the identity is not
      // verified); a device signature is not reported (not this device).
      if (c.signer.kind === "key") {
        const valid = r.userState === W.SignatureState.ValidButNotTrusted || r.userState === W.SignatureState.ValidAndTrusted;
        if (valid !== (c.expect === "valid")) fail(c.comment, `matrix-sdk-crypto-wasm verifyBackup userState ${r.userState}`);
        else pass(`${c.comment}: matrix-sdk-crypto-wasm verifyBackup userState ${r.userState}`);
      }
    }
  }
}

async function check(dir) {
  await checkExports(dir);
  await checkBackups(dir);
  await checkSSSS(dir);
  await checkRecoveryKeys(dir);
  await checkSigned(dir);
  console.log(failures ? `${failures} check(s) FAILED` : "all checks passed");
  process.exit(failures ? 1 : 0);
}

const [cmd, dir] = process.argv.slice(2);
if (cmd === "vectors" && dir) await writeVectors(dir);
else if (cmd === "check" && dir) await check(dir);
else {
  console.error("usage: node crosscheck.mjs vectors DIR | check DIR");
  process.exit(2);
}
