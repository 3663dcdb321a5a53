// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// What gen.mjs and live.mjs both do with an OlmMachine of
// matrix-sdk-crypto-wasm: open one, send an encrypted to-device message to a
// device, and pick the decrypted events out of a sync's results.

import * as sdk from "@matrix-org/matrix-sdk-crypto-wasm";

export const uid = (s) => new sdk.UserId(s);
export const did = (s) => new sdk.DeviceId(s);

// machine opens the OlmMachine of user's device, in an IndexedDB store named
// after them.
export async function machine(user, device) {
  return sdk.OlmMachine.initialize(uid(user), did(device), `${user}/${device}`);
}

// toDevice encrypts content (an event of type eventType) for one device, with
// which the machine must already have an Olm session, and returns the
// m.room.encrypted event, the Olm message for that device and the content.
export async function toDevice(from, toUser, toDeviceId, content, eventType = "org.example.test") {
  const dev = await from.getDevice(uid(toUser), did(toDeviceId));
  if (!dev) throw new Error(`no device ${toUser} ${toDeviceId}`);
  const enc = JSON.parse(await dev.encryptToDeviceEvent(eventType, content));
  const [[, msg]] = Object.entries(enc.ciphertext);
  return { event: { type: "m.room.encrypted", sender: from.userId.toString(), content: enc }, msg, content };
}

// decrypted returns the decrypted to-device events among a sync's processed
// events.
export function decrypted(processed) {
  return processed.filter((e) => e.type === sdk.ProcessedToDeviceEventType.Decrypted).map((e) => JSON.parse(e.rawEvent));
}
