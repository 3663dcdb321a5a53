// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// Matrix clients on matrix-js-sdk with its Rust crypto (vodozemac inside
// @matrix-org/matrix-sdk-crypto-wasm, in-memory store), driven by the e2e
// harness: one JSON request per line on stdin, {"id", "cmd", "args"}; one
// JSON answer per line on stdout, {"id", "ok", "result"} or {"id", "ok":
// false, "error"}. Several named clients live in this one process. The SDK's
// own logging goes to stderr.

// matrix-js-sdk 43 declares Node >= 22; the only builtin it uses that Node 20
// lacks is Promise.withResolvers (ES2024), provided here before it loads.
if (typeof Promise.withResolvers !== "function") {
	Promise.withResolvers = function withResolvers() {
		let resolve, reject;
		const promise = new this((res, rej) => {
			resolve = res;
			reject = rej;
		});
		return { promise, resolve, reject };
	};
}

const sdk = await import("matrix-js-sdk");
const cryptoApi = await import("matrix-js-sdk/lib/crypto-api/index.js");
const { logger } = await import("matrix-js-sdk/lib/logger.js");
const { createInterface } = await import("node:readline");

logger.setLevel(process.env.NEWT_E2E_JS_DEBUG ? "debug" : "warn");
// Everything the SDK prints goes to stderr: stdout is the protocol.
console.log = console.info = console.debug = (...a) => console.error(...a);

const { CryptoEvent, VerificationPhase, VerificationRequestEvent, VerifierEvent } = cryptoApi;

const clients = new Map(); // name -> state
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function get(name) {
	const c = clients.get(name);
	if (!c) throw new Error(`no client ${name}`);
	return c;
}

async function until(what, timeoutMs, fn) {
	const end = Date.now() + (timeoutMs ?? 30000);
	for (;;) {
		const v = await fn();
		if (v) return v;
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await sleep(100);
	}
}

// record keeps what a client saw of a timeline event once it is decrypted
// (or failed to decrypt, or was never encrypted).
function record(c, ev) {
	if (ev.isBeingDecrypted() || ev.shouldAttemptDecryption()) return;
	const id = ev.getId();
	if (!id || id.startsWith("~")) return;
	const type = ev.getType();
	if (type !== "m.room.message" && type !== "m.room.encrypted") return;
	const wire = ev.getWireContent();
	c.events.set(id, {
		eventId: id,
		roomId: ev.getRoomId(),
		sender: ev.getSender(),
		type,
		body: ev.getContent()?.body ?? null,
		encrypted: ev.isEncrypted(),
		sessionId: wire?.session_id ?? null,
		failure: ev.isDecryptionFailure() ? String(ev.decryptionFailureReason ?? "failed") : null,
	});
}

function matches(e, m) {
	if (m.roomId && e.roomId !== m.roomId) return false;
	if (m.sender && e.sender !== m.sender) return false;
	if (m.body !== undefined && e.body !== m.body) return false;
	if (m.bodyPrefix !== undefined && !(e.body ?? "").startsWith(m.bodyPrefix)) return false;
	if (m.eventId && e.eventId !== m.eventId) return false;
	return true;
}

async function login({ name, baseUrl, user, password, deviceName }) {
	const tmp = sdk.createClient({ baseUrl });
	const res = await tmp.loginRequest({
		type: "m.login.password",
		identifier: { type: "m.id.user", user },
		password,
		initial_device_display_name: deviceName ?? name,
	});
	const state = { name, password, events: new Map(), requests: [], sas: new Map(), ssssKey: null };
	const client = sdk.createClient({
		baseUrl,
		userId: res.user_id,
		deviceId: res.device_id,
		accessToken: res.access_token,
		cryptoCallbacks: {
			getSecretStorageKey: async ({ keys }) => {
				if (!state.ssssKey) return null;
				const id = Object.keys(keys).find((k) => k === state.ssssKey.keyId) ?? Object.keys(keys)[0];
				return [id, state.ssssKey.privateKey];
			},
			cacheSecretStorageKey: (keyId, _info, privateKey) => {
				state.ssssKey = { keyId, privateKey };
			},
		},
	});
	state.client = client;
	clients.set(name, state);
	await client.initRustCrypto({ useIndexedDB: false });
	const crypto = client.getCrypto();

	client.on(sdk.RoomEvent.Timeline, (ev) => record(state, ev));
	client.on(sdk.MatrixEventEvent.Decrypted, (ev) => record(state, ev));
	client.on(sdk.RoomMemberEvent.Membership, (_ev, member) => {
		if (member.userId === client.getUserId() && member.membership === "invite" && state.autoJoin) {
			client.joinRoom(member.roomId).catch((e) => console.error("join failed", e));
		}
	});
	client.on(CryptoEvent.VerificationRequestReceived, (req) => state.requests.push(req));
	state.autoJoin = true;

	const prepared = new Promise((resolve) => {
		const onSync = (s) => {
			if (s === "PREPARED" || s === "SYNCING") {
				client.off(sdk.ClientEvent.Sync, onSync);
				resolve();
			}
		};
		client.on(sdk.ClientEvent.Sync, onSync);
	});
	await client.startClient({ initialSyncLimit: 50 });
	await prepared;
	const keys = await crypto.getOwnDeviceKeys();
	return { userId: res.user_id, deviceId: res.device_id, curve25519: keys.curve25519, ed25519: keys.ed25519 };
}

function encryptionState(rotationPeriodMsgs) {
	const content = { algorithm: "m.megolm.v1.aes-sha2" };
	if (rotationPeriodMsgs) content.rotation_period_msgs = rotationPeriodMsgs;
	return { type: "m.room.encryption", state_key: "", content };
}

// Watches the SAS of one verification request; returns a promise that
// resolves when the request is done.
function watch(state, req) {
	const entry = { req, sas: null, done: false, cancelled: null };
	state.sas.set(req.transactionId, entry);
	const onVerifier = (verifier) => {
		if (entry.verifierSeen) return;
		entry.verifierSeen = true;
		verifier.on(VerifierEvent.ShowSas, (sas) => {
			entry.sas = sas;
		});
		verifier.verify().then(
			() => (entry.done = true),
			(e) => (entry.cancelled = String(e)),
		);
	};
	req.on(VerificationRequestEvent.Change, () => {
		if (req.verifier) onVerifier(req.verifier);
		if (req.phase === VerificationPhase.Cancelled) entry.cancelled = entry.cancelled ?? `cancelled: ${req.cancellationCode}`;
	});
	if (req.verifier) onVerifier(req.verifier);
	return entry;
}

const commands = {
	login,

	async createRoom({ client, invite, rotationPeriodMsgs, name }) {
		const c = get(client).client;
		const { room_id } = await c.createRoom({
			preset: "private_chat",
			name,
			invite: invite ?? [],
			initial_state: [encryptionState(rotationPeriodMsgs)],
		});
		await until(`room ${room_id}`, 30000, () => c.getRoom(room_id));
		return { roomId: room_id };
	},

	async invite({ client, roomId, userId }) {
		await get(client).client.invite(roomId, userId);
		return {};
	},

	async waitMember({ client, roomId, userId, membership, timeoutMs }) {
		const c = get(client).client;
		await until(`${userId} ${membership} in ${roomId}`, timeoutMs, () => c.getRoom(roomId)?.getMember(userId)?.membership === membership);
		return {};
	},

	async waitRoom({ client, roomId, timeoutMs }) {
		const c = get(client).client;
		await until(`joined ${roomId}`, timeoutMs, () => c.getRoom(roomId)?.getMyMembership() === "join");
		return {};
	},

	async leave({ client, roomId }) {
		await get(client).client.leave(roomId);
		return {};
	},

	async send({ client, roomId, body }) {
		const { event_id } = await get(client).client.sendMessage(roomId, { msgtype: "m.text", body });
		return { eventId: event_id };
	},

	// sendMany sends bodies concurrently (the SDK queues and encrypts them in order).
	async sendMany({ client, roomId, bodies }) {
		const c = get(client).client;
		const ids = await Promise.all(bodies.map((body) => c.sendMessage(roomId, { msgtype: "m.text", body }).then((r) => r.event_id)));
		return { eventIds: ids };
	},

	async waitMessage({ client, match, timeoutMs }) {
		const st = get(client);
		return await until(`message ${JSON.stringify(match)}`, timeoutMs, () => {
			for (const e of st.events.values()) if (e.body !== null && matches(e, match)) return e;
			return null;
		});
	},


	async roomKeyCount({ client }) {
		return { count: (await get(client).client.getCrypto().exportRoomKeys()).length };
	},

	async verifyDevice({ client, userId, deviceId }) {
		const st = get(client);
		const req = await st.client.getCrypto().requestDeviceVerification(userId, deviceId);
		const entry = watch(st, req);
		await until("verification ready", 30000, () => req.phase === VerificationPhase.Ready || entry.cancelled);
		if (entry.cancelled) throw new Error(entry.cancelled);
		await req.startVerification("m.sas.v1");
		return { txn: req.transactionId };
	},

	async acceptVerification({ client, from, timeoutMs }) {
		const st = get(client);
		const req = await until(`verification request from ${from}`, timeoutMs, () =>
			st.requests.find((r) => r.otherUserId === from && !r.accepted_ && r.phase === VerificationPhase.Requested),
		);
		req.accepted_ = true;
		watch(st, req);
		await req.accept();
		return { txn: req.transactionId };
	},

	async sas({ client, txn, timeoutMs }) {
		const e = get(client).sas.get(txn);
		if (!e) throw new Error(`no verification ${txn}`);
		await until("SAS", timeoutMs, () => e.sas || e.cancelled);
		if (e.cancelled) throw new Error(e.cancelled);
		return { emoji: e.sas.sas.emoji ?? [], decimal: e.sas.sas.decimal ?? [] };
	},

	async confirmSas({ client, txn, match, timeoutMs }) {
		const e = get(client).sas.get(txn);
		if (match) await e.sas.confirm();
		else e.sas.mismatch();
		await until("verification done", timeoutMs, () => e.done || e.cancelled);
		if (e.cancelled) throw new Error(e.cancelled);
		return {};
	},

	async deviceVerified({ client, userId, deviceId }) {
		const s = await get(client).client.getCrypto().getDeviceVerificationStatus(userId, deviceId);
		return { verified: !!s?.isVerified(), local: !!s?.localVerified, crossSigning: !!s?.crossSigningVerified };
	},

	// setupBackup does what Element's "set up recovery" does: cross-signing,
	// secret storage with a new recovery key, and a new key-backup version
	// whose key is kept in secret storage.
	async setupBackup({ client }) {
		const st = get(client);
		const crypto = st.client.getCrypto();
		await crypto.bootstrapCrossSigning({
			authUploadDeviceSigningKeys: async (makeRequest) => {
				await makeRequest({
					type: "m.login.password",
					identifier: { type: "m.id.user", user: st.client.getUserId() },
					password: st.password,
				});
			},
		});
		const key = await crypto.createRecoveryKeyFromPassphrase();
		await crypto.bootstrapSecretStorage({ createSecretStorageKey: async () => key, setupNewKeyBackup: true });
		await until("key backup enabled", 30000, async () => await crypto.getActiveSessionBackupVersion());
		return { recoveryKey: key.encodedPrivateKey, version: await crypto.getActiveSessionBackupVersion() };
	},

	// backupCount waits until the server's key backup holds at least min
	// sessions and returns the count.
	async backupCount({ client, min, timeoutMs }) {
		const c = get(client).client;
		let count = 0;
		try {
			await until(`backup with ${min} keys`, timeoutMs, async () => {
				const info = await c.http.authedRequest("GET", "/room_keys/version", undefined, undefined, { prefix: "/_matrix/client/v3" });
				count = info?.count ?? 0;
				return count >= min;
			});
		} catch (e) {
			throw new Error(`${e.message} (the server holds ${count})`);
		}
		return { count };
	},

	// trackUser downloads a user's device list (as a client does for the
	// members of its rooms), so that to-device messages from that user's
	// devices, such as verification requests, are not ignored.
	async trackUser({ client, userId }) {
		const devices = await get(client).client.getCrypto().getUserDeviceInfo([userId], true);
		return { deviceIds: [...(devices.get(userId)?.keys() ?? [])] };
	},

	async stop({ client }) {
		const st = get(client);
		st.client.stopClient();
		clients.delete(client);
		return {};
	},
};

const rl = createInterface({ input: process.stdin });
const write = (obj) => process.stdout.write(JSON.stringify(obj) + "\n");
rl.on("line", (line) => {
	let req;
	try {
		req = JSON.parse(line);
	} catch {
		return;
	}
	const fn = commands[req.cmd];
	if (!fn) {
		write({ id: req.id, ok: false, error: `unknown command ${req.cmd}` });
		return;
	}
	Promise.resolve()
		.then(() => fn(req.args ?? {}))
		.then(
			(result) => write({ id: req.id, ok: true, result }),
			(e) => write({ id: req.id, ok: false, error: String(e?.stack ?? e) }),
		);
});
rl.on("close", () => {
	for (const st of clients.values()) st.client.stopClient();
	process.exit(0);
});
