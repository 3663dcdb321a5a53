// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// A homeserver played in memory for OlmMachines of matrix-sdk-crypto-wasm:
// it answers their outgoing requests (keys upload, query, claim, to-device,
// signatures) and hands them sync batches. Only what the generator and the
// live check need; no network.

import * as sdk from "@matrix-org/matrix-sdk-crypto-wasm";

export class Homeserver {
  constructor() {
    this.deviceKeys = {}; // user -> device -> signed device keys
    this.otks = {}; // user -> device -> Map("signed_curve25519:ID" -> key object)
    this.fallback = {}; // user -> device -> {"signed_curve25519:ID": key object}
    this.inbox = {}; // user -> device -> [to-device events]
    this.crossSigning = {}; // user -> {master, self_signing, user_signing}
  }

  box(user, device) {
    this.inbox[user] ??= {};
    return (this.inbox[user][device] ??= []);
  }

  otkCount(user, device) {
    return this.otks[user]?.[device]?.size ?? 0;
  }

  // addDevice publishes a device that has no OlmMachine (a dehydrated device
  // or a newt device): its signed keys, one-time keys and fallback key.
  addDevice(user, device, deviceKeys, oneTimeKeys = {}, fallbackKeys = {}) {
    (this.deviceKeys[user] ??= {})[device] = deviceKeys;
    const m = ((this.otks[user] ??= {})[device] ??= new Map());
    for (const [id, k] of Object.entries(oneTimeKeys)) m.set(id, k);
    if (Object.keys(fallbackKeys).length) (this.fallback[user] ??= {})[device] = fallbackKeys;
  }

  handle(user, device, req) {
    const body = JSON.parse(req.body);
    switch (req.type) {
      case sdk.RequestType.KeysUpload: {
        if (body.device_keys) (this.deviceKeys[user] ??= {})[device] = body.device_keys;
        const m = ((this.otks[user] ??= {})[device] ??= new Map());
        for (const [id, k] of Object.entries(body.one_time_keys ?? {})) m.set(id, k);
        if (body.fallback_keys && Object.keys(body.fallback_keys).length)
          (this.fallback[user] ??= {})[device] = body.fallback_keys;
        return { one_time_key_counts: { signed_curve25519: m.size } };
      }
      case sdk.RequestType.KeysQuery: {
        const out = { device_keys: {}, master_keys: {}, self_signing_keys: {}, user_signing_keys: {}, failures: {} };
        for (const u of Object.keys(body.device_keys)) {
          out.device_keys[u] = { ...(this.deviceKeys[u] ?? {}) };
          const cs = this.crossSigning[u];
          if (cs) {
            out.master_keys[u] = cs.master;
            out.self_signing_keys[u] = cs.self_signing;
            if (u === user && cs.user_signing) out.user_signing_keys[u] = cs.user_signing;
          }
        }
        return out;
      }
      case sdk.RequestType.KeysClaim: {
        const out = { one_time_keys: {}, failures: {} };
        for (const [u, devs] of Object.entries(body.one_time_keys)) {
          for (const d of Object.keys(devs)) {
            const m = this.otks[u]?.[d];
            let claimed;
            if (m && m.size) {
              // The lowest key ID first, as a server hands them out in order.
              const num = (k) => BigInt("0x" + (Buffer.from(k.split(":")[1], "base64").toString("hex") || "0"));
              const id = [...m.keys()].sort((a, b) => (num(a) < num(b) ? -1 : num(a) > num(b) ? 1 : 0))[0];
              claimed = { [id]: m.get(id) };
              m.delete(id);
            } else if (this.fallback[u]?.[d]) {
              claimed = this.fallback[u][d];
            } else continue;
            (out.one_time_keys[u] ??= {})[d] = claimed;
          }
        }
        return out;
      }
      case sdk.RequestType.ToDevice: {
        for (const [u, devs] of Object.entries(body.messages)) {
          for (const [d, content] of Object.entries(devs)) {
            const targets = d === "*" ? Object.keys(this.deviceKeys[u] ?? {}) : [d];
            for (const t of targets) this.box(u, t).push({ type: req.event_type, sender: user, content });
          }
        }
        return {};
      }
      case sdk.RequestType.SignatureUpload:
        return { failures: {} };
      case sdk.RequestType.KeysBackup:
        return { etag: "1", count: 0 };
      case sdk.RequestType.RoomMessage:
        return { event_id: "$event" };
    }
    throw new Error("unhandled request type " + req.type);
  }

  // flush sends every outgoing request of the machine and marks it as sent.
  async flush(m) {
    const user = m.userId.toString();
    const device = m.deviceId.toString();
    for (let round = 0; round < 10; round++) {
      const reqs = await m.outgoingRequests();
      if (!reqs.length) return;
      for (const r of reqs) {
        const resp = this.handle(user, device, r);
        await m.markRequestAsSent(r.id, r.type, JSON.stringify(resp));
      }
    }
    throw new Error("outgoing requests do not settle");
  }

  // claimSessions makes the machine track users and answers the key claim
  // for the devices it has no Olm session with yet, so that it can encrypt
  // for all of them.
  async claimSessions(m, users) {
    // Fresh ids for each call: the wasm calls take ownership of them.
    const ids = () => users.map((u) => new sdk.UserId(u));
    await m.updateTrackedUsers(ids());
    await this.flush(m);
    const claim = await m.getMissingSessions(ids());
    if (claim) {
      const resp = this.handle(m.userId.toString(), m.deviceId.toString(), claim);
      await m.markRequestAsSent(claim.id, claim.type, JSON.stringify(resp));
    }
  }

  // sendToDevice delivers the messages of ToDeviceRequests returned by
  // shareRoomKey and similar calls.
  sendToDevice(user, reqs) {
    for (const r of reqs) this.handle(user, "", r);
  }

  // sync hands the machine its queued to-device events (or the given ones)
  // and its key counts, and returns what it processed.
  async sync(m, events) {
    const user = m.userId.toString();
    const device = m.deviceId.toString();
    if (events === undefined) {
      events = this.box(user, device).splice(0);
    }
    const counts = new Map([["signed_curve25519", this.otkCount(user, device)]]);
    const unused = new Set(this.fallback[user]?.[device] ? ["signed_curve25519"] : []);
    const changed = Object.keys(this.deviceKeys).map((u) => new sdk.UserId(u));
    const out = await m.receiveSyncChanges(JSON.stringify(events), new sdk.DeviceLists(changed, []), counts, unused);
    await this.flush(m);
    return out;
  }

  // bootstrapCrossSigning creates and publishes the user's cross-signing
  // keys (needed before a device can be dehydrated).
  async bootstrapCrossSigning(m) {
    const user = m.userId.toString();
    const r = await m.bootstrapCrossSigning(true);
    const keys = JSON.parse(r.uploadSigningKeysRequest.body);
    this.crossSigning[user] = { master: keys.master_key, self_signing: keys.self_signing_key, user_signing: keys.user_signing_key };
    if (r.uploadKeysRequest) {
      this.handle(user, m.deviceId.toString(), r.uploadKeysRequest);
    }
    await this.flush(m);
  }
}

// dumpStore returns every value of the IndexedDB store of the machine's
// database, decoded: {objectStore: [{key, value}]} where value is the
// stored JSON text (matrix-sdk-crypto keeps base64(serde_json(...)) when the
// store has no passphrase).
export async function dumpStore(dbName) {
  const db = await openDatabase(dbName);
  const out = {};
  for (const s of db.objectStoreNames) {
    const st = db.transaction(s).objectStore(s);
    const values = await new Promise((res) => { const q = st.getAll(); q.onsuccess = () => res(q.result); });
    const keys = await new Promise((res) => { const q = st.getAllKeys(); q.onsuccess = () => res(q.result); });
    out[s] = values.map((v, i) => ({ key: keys[i], value: typeof v === "string" ? Buffer.from(v, "base64").toString("utf8") : v }));
  }
  db.close();
  return out;
}

// openDatabase opens the IndexedDB database name.
export function openDatabase(name) {
  return new Promise((res, rej) => {
    const o = indexedDB.open(name);
    o.onsuccess = () => res(o.result);
    o.onerror = () => rej(o.error);
  });
}
