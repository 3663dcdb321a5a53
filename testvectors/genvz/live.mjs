// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// live.mjs: newt and the real vodozemac (the OlmMachine of
// @matrix-org/matrix-sdk-crypto-wasm 18.9.0) exchange state both ways, with
// a homeserver played in memory:
//
//  1. pickles: an OlmMachine's account, Olm session and inbound group
//     session are loaded by newt (byte-identical write back), newt decrypts
//     and replies, and the machine is reopened on newt's pickles and goes on
//     decrypting;
//  2. dehydrated devices: newt rehydrates a device matrix-sdk-crypto
//     dehydrated and decrypts the messages sent to it while offline;
//     matrix-sdk-crypto rehydrates a device newt dehydrated and receives
//     the room key sent to it;
//  3. ECIES (MSC4108): channels in both roles, messages both ways, check
//     codes compared.
//
// newt's side is testvectors/genvz/live (Go), driven over stdin/stdout.
// Run by .ci/run:  cd testvectors/genvz && npm ci && node live.mjs

import "fake-indexeddb/auto";
import * as sdk from "@matrix-org/matrix-sdk-crypto-wasm";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { execFileSync, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Homeserver, dumpStore, openDatabase } from "./homeserver.mjs";
import { decrypted, did, machine, toDevice, uid } from "./machine.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const ALICE = "@alice:example.org";
const BOB = "@bob:example.org";

let passed = 0;
let failed = 0;
function check(what, ok, detail = "") {
  if (ok) {
    passed++;
    console.log("ok  ", what);
  } else {
    failed++;
    console.log("FAIL", what, detail);
  }
}

// ---- newt's side ------------------------------------------------------------

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "newt-live-"));
const bin = path.join(tmp, "live");
execFileSync("go", ["build", "-o", bin, "./live"], { cwd: here, stdio: "inherit" });
const child = spawn(bin, [], { stdio: ["pipe", "pipe", "inherit"] });
const lines = readline.createInterface({ input: child.stdout });
const waiting = [];
lines.on("line", (l) => waiting.shift()(JSON.parse(l)));
function newt(cmd, args = {}) {
  return new Promise((resolve, reject) => {
    waiting.push((r) => (r.error ? reject(new Error(`newt ${cmd}: ${r.error}`)) : resolve(r)));
    child.stdin.write(JSON.stringify({ cmd, ...args }) + "\n");
  });
}

// ---- helpers ------------------------------------------------------------------

async function putStore(dbName, objectStore, key, value) {
  const db = await openDatabase(dbName);
  await new Promise((res, rej) => {
    const tx = db.transaction(objectStore, "readwrite");
    tx.objectStore(objectStore).put(value, key);
    tx.oncomplete = res;
    tx.onerror = () => rej(tx.error);
  });
  db.close();
}

// replacePickle puts pickle (JSON text) as the "pickle" member of a record
// (JSON text), keeping every other member's text.
function replacePickle(record, pickle) {
  const obj = JSON.parse(record);
  const marker = "\u0000PICKLE\u0000";
  obj.pickle = marker;
  return JSON.stringify(obj).replace(JSON.stringify(marker), pickle);
}

// matrix-sdk-crypto stores unpadded base64.
const b64 = (t) => Buffer.from(t, "utf8").toString("base64").replace(/=+$/, "");
const unb64 = (t) => Buffer.from(t, "base64").toString("utf8");

// send is toDevice with this check's event type.
const send = (from, toUser, toDeviceId, content) => toDevice(from, toUser, toDeviceId, content, "org.example.live");

async function shareRoomKey(hs, m, room, users) {
  await hs.claimSessions(m, users);
  return m.shareRoomKey(room, users.map(uid), new sdk.EncryptionSettings());
}

async function roomEvent(m, room, i, ciphertextEvent) {
  const ev = { type: "m.room.encrypted", event_id: `$live${i}`, sender: BOB, origin_server_ts: 1, room_id: room.toString(), content: ciphertextEvent };
  return m.decryptRoomEvent(JSON.stringify(ev), room, new sdk.DecryptionSettings(sdk.TrustRequirement.Untrusted));
}

// ---- 1. pickles both ways ---------------------------------------------------

async function pickles() {
  const hs = new Homeserver();
  const alice = await machine(ALICE, "ALICEDEV");
  const bob = await machine(BOB, "BOBDEV");
  for (const m of [alice, bob]) { await hs.flush(m); await hs.sync(m); }
  await hs.claimSessions(bob, [ALICE]);
  const m1 = await send(bob, ALICE, "ALICEDEV", { n: 1 });
  await hs.sync(alice, [m1.event]);
  const room = new sdk.RoomId("!live:example.org");
  hs.sendToDevice(BOB, await shareRoomKey(hs, bob, room, [ALICE]));
  await hs.sync(alice);
  const r1 = JSON.parse(await bob.encryptRoomEvent(room, "m.room.message", JSON.stringify({ body: "r1" })));
  await roomEvent(alice, room, 1, r1);

  // Alice's state as matrix-sdk-crypto stored it.
  const dbName = "@alice:example.org/ALICEDEV::matrix-sdk-crypto";
  const store = await dumpStore(dbName);
  const accountRecord = store.core.find((e) => e.key === "account").value;
  const sessionRecords = store.session;
  const igsRecords = store.inbound_group_sessions3; // objects, kept as they are
  const pickleOf = (t) => JSON.stringify(JSON.parse(t).pickle) && extract(t);
  const loaded = await newt("load_vz", {
    account: pickleOf(accountRecord),
    sessions: sessionRecords.map((r) => pickleOf(r.value)),
    inbound: igsRecords.map((r) => pickleOf(unb64(r.value.pickled_session))),
  });
  check("newt loads vodozemac's account, session and inbound group session pickles", loaded.same.length === 3);
  check("newt writes vodozemac's pickles back byte for byte", loaded.same.every((x) => x), JSON.stringify(loaded.same));
  check("newt's account has the machine's identity key", loaded.curve25519 === alice.identityKeys.curve25519.toBase64());

  // Bob sends more; newt (holding Alice's state) decrypts it and replies.
  const m2 = await send(bob, ALICE, "ALICEDEV", { n: 2 });
  const d2 = await newt("olm_decrypt", { index: 0, type: m2.msg.type, body: m2.msg.body });
  check("newt decrypts the machine's Olm message with the loaded session", JSON.parse(d2.plaintext).content.n === 2);
  const r2 = JSON.parse(await bob.encryptRoomEvent(room, "m.room.message", JSON.stringify({ body: "r2" })));
  const dr2 = await newt("megolm_decrypt", { index: 0, body: r2.ciphertext });
  check("newt decrypts the machine's Megolm message with the loaded session", JSON.parse(dr2.plaintext).content.body === "r2" && dr2.index === 1);
  const payload = {
    type: "org.example.live", content: { reply: "from newt" }, sender: ALICE, sender_device: "ALICEDEV", recipient: BOB,
    keys: { ed25519: alice.identityKeys.ed25519.toBase64() }, recipient_keys: { ed25519: bob.identityKeys.ed25519.toBase64() },
  };
  const reply = await newt("olm_encrypt", { index: 0, plaintext: JSON.stringify(payload) });
  const got = decrypted(await hs.sync(bob, [{
    type: "m.room.encrypted", sender: ALICE,
    content: { algorithm: "m.olm.v1.curve25519-aes-sha2", sender_key: alice.identityKeys.curve25519.toBase64(), ciphertext: { [bob.identityKeys.curve25519.toBase64()]: { type: reply.type, body: reply.body } } },
  }]));
  check("the machine decrypts newt's reply", got.length === 1 && got[0].content.reply === "from newt", JSON.stringify(got));

  // The machine is reopened on newt's pickles.
  const dump = await newt("dump_vz");
  const aliceCurve = alice.identityKeys.curve25519.toBase64();
  alice.close();
  await putStore(dbName, "core", "account", b64(replacePickle(accountRecord, dump.account)));
  for (const [i, r] of sessionRecords.entries()) await putStore(dbName, "session", r.key, b64(replacePickle(r.value, dump.sessions[i])));
  for (const [i, r] of igsRecords.entries()) {
    const v = { ...r.value, pickled_session: b64(replacePickle(unb64(r.value.pickled_session), dump.inbound[i])) };
    await putStore(dbName, "inbound_group_sessions3", r.key, v);
  }
  const alice2 = await machine(ALICE, "ALICEDEV");
  check("the machine opens on newt's pickles", alice2.identityKeys.curve25519.toBase64() === aliceCurve);
  const m3 = await send(bob, ALICE, "ALICEDEV", { n: 3 });
  const got3 = decrypted(await hs.sync(alice2, [m3.event]));
  check("the machine decrypts with the Olm session newt pickled (a new chain after newt's reply)", got3.length === 1 && got3[0].content.n === 3, JSON.stringify(got3));
  const r3 = JSON.parse(await bob.encryptRoomEvent(room, "m.room.message", JSON.stringify({ body: "r3" })));
  const dec3 = await roomEvent(alice2, room, 3, r3);
  check("the machine decrypts with the inbound group session newt pickled", JSON.parse(dec3.event).content.body === "r3");
}

// extract returns the exact text of the record's "pickle" member.
function extract(record) {
  const start = record.indexOf('"pickle":') + '"pickle":'.length;
  let depth = 0;
  let i = start;
  let inString = false;
  for (; i < record.length; i++) {
    const c = record[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") {
      depth--;
      if (depth === 0) return record.slice(start, i + 1);
    }
  }
  throw new Error("no pickle member");
}

// ---- 2. dehydrated devices both ways -------------------------------------------

async function dehydrated() {
  const hs = new Homeserver();
  const alice = await machine(ALICE, "ALICEDH");
  const bob = await machine(BOB, "BOBDH");
  for (const m of [alice, bob]) { await hs.flush(m); await hs.sync(m); }
  await hs.bootstrapCrossSigning(alice);

  // matrix-sdk-crypto dehydrates; newt rehydrates.
  const keyBytes = crypto.randomBytes(32);
  const key = sdk.DehydratedDeviceKey.createKeyFromArray(new Uint8Array(keyBytes));
  const req = await (await alice.dehydratedDevices().create()).keysForUpload("live", key);
  const body = JSON.parse(req.body);
  hs.addDevice(ALICE, body.device_id, body.device_keys, body.one_time_keys, body.fallback_keys);
  await hs.claimSessions(bob, [ALICE]);
  const msgs = [];
  for (let n = 0; n < 2; n++) {
    const t = await send(bob, ALICE, body.device_id, { offline: n });
    msgs.push({ sender_key: bob.identityKeys.curve25519.toBase64(), type: t.msg.type, body: t.msg.body });
  }
  const re = await newt("rehydrate", { key: keyBytes.toString("hex"), device_data: JSON.stringify(body.device_data), messages: msgs });
  check("newt rehydrates matrix-sdk-crypto's dehydrated device", re.curve25519 === body.device_keys.keys[`curve25519:${body.device_id}`]);
  check("newt's rehydrated device decrypts the messages sent while it was offline",
    re.plaintexts.length === 2 && re.plaintexts.every((p, n) => JSON.parse(p).content.offline === n), JSON.stringify(re.plaintexts));

  // newt dehydrates; matrix-sdk-crypto rehydrates.
  const key2 = crypto.randomBytes(32);
  const d = await newt("dehydrate", { key: key2.toString("hex"), user_id: ALICE });
  hs.addDevice(ALICE, d.device_id, d.device_keys, d.one_time_keys, d.fallback_keys);
  await hs.sync(bob, []); // Alice's device list changed
  const room = new sdk.RoomId("!dehydrated:example.org");
  const reqs = await shareRoomKey(hs, bob, room, [ALICE]);
  const events = [];
  for (const r of reqs) {
    const c = JSON.parse(r.body).messages[ALICE]?.[d.device_id];
    if (c) events.push({ type: r.event_type, sender: BOB, content: c });
  }
  check("the machine sends a room key to newt's dehydrated device", events.length === 1);
  const fresh = await machine(ALICE, "ALICENEW");
  const rehydrated = await fresh.dehydratedDevices().rehydrate(sdk.DehydratedDeviceKey.createKeyFromArray(new Uint8Array(key2)), did(d.device_id), d.device_data);
  const keys = await rehydrated.receiveEvents(JSON.stringify(events));
  check("matrix-sdk-crypto rehydrates newt's dehydrated device and decrypts the pre-key message sent to it", keys.length === 1, `${keys.length} room keys`);
}

// ---- 3. ECIES both ways ------------------------------------------------------

async function eciesBothWays() {
  // newt is the recipient.
  const { public_key } = await newt("ecies_new");
  const out = new sdk.Ecies().establish_outbound_channel(new sdk.Curve25519PublicKey(public_key), "hello newt");
  const inb = await newt("ecies_inbound", { message: out.initial_message });
  check("ECIES: newt opens vodozemac's initial message", inb.plaintext === "hello newt");
  check("ECIES: check codes agree (vodozemac initiates)", inb.check_code === Buffer.from(out.channel.check_code().as_bytes()).toString("hex"));
  const d1 = await newt("ecies_decrypt", { message: out.channel.encrypt("second") });
  const e1 = await newt("ecies_encrypt", { plaintext: "reply from newt" });
  check("ECIES: messages both ways (vodozemac initiates)", d1.plaintext === "second" && out.channel.decrypt(e1.message) === "reply from newt");

  // newt is the initiator.
  const v = new sdk.Ecies();
  const o = await newt("ecies_outbound", { their_key: v.public_key().toBase64(), plaintext: "hello vodozemac" });
  const res = v.establish_inbound_channel(o.message);
  check("ECIES: vodozemac opens newt's initial message", res.message === "hello vodozemac");
  check("ECIES: check codes agree (newt initiates)", o.check_code === Buffer.from(res.channel.check_code().as_bytes()).toString("hex"));
  const e2 = await newt("ecies_encrypt", { plaintext: "from newt" });
  const d2 = await newt("ecies_decrypt", { message: res.channel.encrypt("from vodozemac") });
  check("ECIES: messages both ways (newt initiates)", res.channel.decrypt(e2.message) === "from newt" && d2.plaintext === "from vodozemac");
}

try {
  await pickles();
  await dehydrated();
  await eciesBothWays();
} catch (e) {
  failed++;
  console.log("FAIL", e.stack);
} finally {
  child.stdin.end();
  fs.rmSync(tmp, { recursive: true, force: true });
}
console.log(`live: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
