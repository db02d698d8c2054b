import { randomBytes, randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUILT_IN_ROLE_IDS, MeSchema, QuorumRecordSchema, roleDefinitionId, splitCompactJwe, RecoveryViewSchema, RehearsalViewSchema, type CustodianKeyResult, type RecoveryView } from "@keyward/shared";
import { BridgeClient } from "../src/server/bridge/client";
import { loadOrCreateCommandKey } from "../src/server/bridge/command-key";
import { startTestBridge, type TestBridge } from "./helpers/bridge";
import { addClient } from "../src/server/auth";
import { errorOf, portalApi, registration, restartBridge, type PortalApi } from "./helpers/ceremony";
import { startTestTarget, type TestTarget } from "./helpers/target";

/*
 * Issue 5 end to end on real parts: three custodians, each with a key made in their own bridge's SoftHSM2
 * token; the target downloads its security domain to them (m = 2); it is wiped (domain key file gone);
 * two custodians approve, each in their own name, the command that has their bridge re-encrypt their
 * share to a fourth bridge; that bridge combines the shares and builds the restore blob; the target
 * takes it and every key works again, equal to before. A rehearsal proves a custodian still holds a share.
 */

let t: TestTarget;
let dataDir: string;
let admin: PortalApi;
const custodianBridges: TestBridge[] = [];
let recoveryBridge: TestBridge;
const certs: CustodianKeyResult[] = [];
const people: { api: PortalApi; id: string; login: { clientId: string; secret: string } }[] = [];

let adminLogin: { clientId: string; secret: string };
const adminApiToken = () => t.token(adminLogin.clientId, adminLogin.secret);

async function kv(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const token = await adminApiToken();
  const res = await fetch(`${t.origin}${path}${path.includes("?") ? "&" : "?"}api-version=7.5`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const asJwk = (c: CustodianKeyResult) => ({
  kty: "RSA",
  alg: "RSA-OAEP-256",
  key_ops: ["verify", "encrypt", "wrapKey"],
  n: c.publicJwk.n,
  e: c.publicJwk.e,
  x5c: [c.certificate],
  "x5t#S256": c.thumbprintSha256,
});

const digest = randomBytes(32).toString("base64url");
let signature: string;
let rsaN: string;

beforeAll(async () => {
  t = await startTestTarget({ activate: false });
  dataDir = t.dataDir;
  const commandKey = await loadOrCreateCommandKey(dataDir, "keyward-portal");
  const bridges = await Promise.all(["custodian-1", "custodian-2", "custodian-3", "recovery"].map((id) => startTestBridge(commandKey.publicJwk, "keyward-portal", id)));
  custodianBridges.push(...bridges.slice(0, 3));
  recoveryBridge = bridges[3] as TestBridge;
  const { client: adminClient, secret: adminSecret } = await addClient(dataDir, { clientId: "sd-admin", type: "confidential" });
  adminLogin = { clientId: adminClient.clientId, secret: adminSecret ?? "" };
  for (const role of [BUILT_IN_ROLE_IDS.administrator, BUILT_IN_ROLE_IDS.cryptoUser]) {
    await t.portal.target.ctx.rbac.store.put({ name: randomUUID(), scope: "/", principalId: adminClient.oid, roleDefinitionId: roleDefinitionId(role) });
  }
  admin = portalApi(t.origin, await adminApiToken());
  for (const b of bridges) expect((await admin.post("/bridges", registration(b))).status).toBe(201);
  for (const [i, b] of custodianBridges.entries()) {
    const client = await BridgeClient.connect(b.endpoint, commandKey.signer);
    try {
      certs.push(await client.run({ type: "custodian.createKey", label: "custodian", commonName: `Custodian ${i + 1}`, size: 2048, validityDays: 365 }));
    } finally {
      client.close();
    }
    // A custodian is a person with no role at all: naming them for a share is what lets them approve it.
    const { client: person, secret } = await addClient(dataDir, { clientId: `custodian-person-${i + 1}`, type: "confidential" });
    const login = { clientId: person.clientId, secret: secret ?? "" };
    const api = portalApi(t.origin, await t.token(login.clientId, login.secret));
    people.push({ api, id: MeSchema.parse((await api.get("/me")).body).id, login });
  }
}, 120_000);

let stopRestarted: (() => Promise<void>) | undefined;

afterAll(async () => {
  const running = [...custodianBridges, recoveryBridge].filter((b) => b && b.process.exitCode === null && b.process.signalCode === null);
  await Promise.all([...running.map((b) => b.stop()), stopRestarted?.()]);
  await t?.close();
});

const participant = (i: number) => ({ thumbprintSha256: certs[i]!.thumbprintSha256, principalId: people[i]!.id, bridgeId: `custodian-${i + 1}`, keyLabel: "custodian" });

describe("security domain: download, rehearsal, wipe, recovery by two of three custodians", () => {
  it("activates the target by downloading its security domain to the custodians' certificates", async () => {
    expect((await kv("POST", "/keys/before-download/create", { kty: "RSA", key_size: 2048 })).status).toBe(403);
    const download = await kv("POST", "/securitydomain/download", { certificates: certs.map(asJwk), required: 2 });
    expect(download.status).toBe(202);
    const created = await kv("POST", "/keys/sd-rsa/create", { kty: "RSA", key_size: 2048, key_ops: ["sign", "verify"] });
    expect(created.status).toBe(200);
    rsaN = (created.body.key as { n: string }).n;
    const signed = await kv("POST", "/keys/sd-rsa//sign", { alg: "RS256", value: digest });
    signature = signed.body.value as string;
  });

  it("a rehearsal: only the named custodian approves, once, and the proof from their token passes", async () => {
    const created = await admin.post("/security-domain/rehearsals", participant(1));
    expect(created.status).toBe(201);
    const r = RehearsalViewSchema.parse(created.body);
    expect(r.command).not.toMatch(/"challenge": ""/);
    const stranger = await people[0]!.api.post(`/security-domain/rehearsals/${r.id}/approve`, { commandSha256: r.commandSha256 });
    expect(stranger.status).toBe(403);
    const passed = RehearsalViewSchema.parse((await people[1]!.api.post(`/security-domain/rehearsals/${r.id}/approve`, { commandSha256: r.commandSha256 })).body);
    expect(passed).toMatchObject({ state: "passed", error: null });
    const again = await people[1]!.api.post(`/security-domain/rehearsals/${r.id}/approve`, { commandSha256: r.commandSha256 });
    expect(again.status).toBe(409);
    // The quorum records now show when this custodian last passed.
    const quorum = QuorumRecordSchema.parse((await admin.get("/quorum")).body);
    const rehearsed = quorum.custodians.find((c) => c.thumbprintSha256 === certs[1]!.thumbprintSha256);
    expect(rehearsed?.lastRehearsalAt).not.toBeNull();
    expect(quorum.custodians.filter((c) => c.lastRehearsalAt !== null)).toHaveLength(1);
  });

  it("after a wipe the target refuses key operations and keeps no domain key", async () => {
    await t.close();
    rmSync(join(dataDir, "domain-key.json"));
    t = await startTestTarget({ dataDir });
    admin = portalApi(t.origin, await adminApiToken());
    for (const p of people) p.api = portalApi(t.origin, await t.token(p.login.clientId, p.login.secret));
    const read = await kv("GET", "/keys/sd-rsa");
    expect(read.status).toBeGreaterThanOrEqual(400);
  });

  it("recovers with two custodians' approvals, refusing a stranger, a changed command, a second approval and too few shares", async () => {
    const refusedFile = await admin.post("/security-domain/recoveries", { recoveryBridgeId: "recovery", participants: [participant(0)] });
    expect(refusedFile.status).toBe(400);
    const created = await admin.post("/security-domain/recoveries", { recoveryBridgeId: "recovery", participants: [participant(0), participant(2)] });
    expect(created.status, created.text).toBe(201);
    let r: RecoveryView = RecoveryViewSchema.parse(created.body);
    const [first, third] = r.participants;
    expect(first!.command).toContain('"type": "sd.share.reencrypt"');

    const early = await admin.post(`/security-domain/recoveries/${r.id}/complete`);
    expect(early.status).toBe(409);
    expect(errorOf(early)?.message).toMatch(/needs 2 approved shares; 0/);
    const stranger = await people[1]!.api.post(`/security-domain/recoveries/${r.id}/approvals`, { thumbprintSha256: first!.thumbprintSha256, commandSha256: first!.commandSha256 });
    expect(stranger.status).toBe(403);
    const changed = await people[0]!.api.post(`/security-domain/recoveries/${r.id}/approvals`, { thumbprintSha256: first!.thumbprintSha256, commandSha256: "0".repeat(64) });
    expect(changed.status).toBe(409);

    const one = await people[0]!.api.post(`/security-domain/recoveries/${r.id}/approvals`, { thumbprintSha256: first!.thumbprintSha256, commandSha256: first!.commandSha256 });
    expect(one.status, one.text).toBe(200);
    r = RecoveryViewSchema.parse(one.body);
    expect(r.state).toBe("collecting");
    // The portal keeps only the share re-encrypted to the recovery bridge's key, and shows not even that.
    const stored = await t.portal.target.db.query<{ enc_share: string | null }>("SELECT enc_share FROM sd_recovery_shares WHERE recovery_id = $1 AND enc_share IS NOT NULL", [r.id]);
    expect(stored.rows).toHaveLength(1);
    expect(splitCompactJwe(stored.rows[0]!.enc_share!).header).toMatchObject({ alg: "RSA-OAEP-256" });
    expect(JSON.stringify(r)).not.toContain(stored.rows[0]!.enc_share!.split(".")[1]!);
    const twice = await people[0]!.api.post(`/security-domain/recoveries/${r.id}/approvals`, { thumbprintSha256: first!.thumbprintSha256, commandSha256: first!.commandSha256 });
    expect(twice.status).toBe(409);
    expect((await kv("GET", "/keys/sd-rsa")).status).toBeGreaterThanOrEqual(400);

    // The recovery bridge goes down just as the last share comes in: the recovery waits, the target is untouched.
    await recoveryBridge.stop();
    const two = await people[2]!.api.post(`/security-domain/recoveries/${r.id}/approvals`, { thumbprintSha256: third!.thumbprintSha256, commandSha256: third!.commandSha256 });
    expect(two.status, two.text).toBe(503);
    expect(RecoveryViewSchema.parse((await admin.get(`/security-domain/recoveries/${r.id}`)).body)).toMatchObject({ state: "combining", error: null });
    expect((await kv("GET", "/keys/sd-rsa")).status).toBe(403);
    // Back up (its ephemeral key is a token object, so the re-encrypted shares still open): complete again.
    stopRestarted = await restartBridge(recoveryBridge);
    const resumed = await admin.post(`/security-domain/recoveries/${r.id}/complete`);
    expect(resumed.status, resumed.text).toBe(200);
    r = RecoveryViewSchema.parse(resumed.body);
    expect(r, JSON.stringify(r)).toMatchObject({ state: "completed", error: null });
    expect(r.restoreBlobSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("every key is usable again and equal to before", async () => {
    const read = await kv("GET", "/keys/sd-rsa");
    expect(read.status).toBe(200);
    expect((read.body.key as { n: string }).n).toBe(rsaN);
    const verified = await kv("POST", "/keys/sd-rsa//verify", { alg: "RS256", digest, value: signature });
    expect(verified.body.value).toBe(true);
  });
});
