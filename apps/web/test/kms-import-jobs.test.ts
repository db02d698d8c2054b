import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KmsImportJobSchema, KmsImportOptionsSchema, KmsImportRemindersSchema, KmsKeyListSchema, type CreateKmsImportRequest, type KmsImportJob } from "@keyward/shared";
import { BridgeClient } from "../src/server/bridge/client";
import { loadOrCreateCommandKey } from "../src/server/bridge/command-key";
import { openDb } from "../src/server/store";
import { startTestBridge, type TestBridge } from "./helpers/bridge";
import { adminToken, errorOf, portalApi, registration, type PortalApi } from "./helpers/ceremony";
import { $Kms, kmsSnapshot, officialKmsClient, readAccessKey } from "./helpers/kms";
import { learnTokenMaterial, openKmsBlob } from "./helpers/kms-material";
import { startTestTarget, type TestTarget } from "./helpers/target";

/*
 * KMS import jobs through the portal API, against a real portal (its KMS endpoint called in-process by
 * the job) and a real bridge on a fresh SoftHSM2 token. What the KMS key holds is proven the
 * independent way: the test learns the token key through byok.wrap + OpenSSL and opens a KMS
 * ciphertext with it.
 */

const DAY = 86_400;
let clock = Math.floor(Date.now() / 1000);
const now = () => clock;

let t: TestTarget;
let bridge: TestBridge;
let hsm: BridgeClient;
let api: PortalApi;

const jobOf = (body: unknown) => KmsImportJobSchema.parse(body);
const settled = (j: KmsImportJob) => j.state !== "running";

async function waitForJob(id: string, done: (j: KmsImportJob) => boolean = settled): Promise<KmsImportJob> {
  let last: KmsImportJob | undefined;
  for (const until = Date.now() + 30_000; Date.now() < until; await new Promise((r) => setTimeout(r, 50))) {
    last = jobOf((await api.get(`/kms-imports/${id}`)).body);
    if (done(last)) return last;
  }
  throw new Error(`job ${id} did not get there: ${JSON.stringify(last)}`);
}

const request = (over: Partial<CreateKmsImportRequest> = {}): CreateKmsImportRequest => ({
  bridgeId: "bridge-e2e",
  key: { kind: "create", alias: "alias/payments/hsm" },
  hsmKey: { source: "generate", label: "job-aes" },
  algorithm: "RSAES_OAEP_SHA_1",
  materialExpiresInDays: 10,
  ...over,
});

/** Every job and KMS row, to show a refusal wrote nothing. */
async function everything(tt: TestTarget = t): Promise<unknown> {
  const jobs = await tt.portal.target.db.query("SELECT * FROM kms_import_jobs ORDER BY id");
  return { jobs: jobs.rows, kms: await kmsSnapshot(tt.portal.target.db) };
}

const kmsClient = () => officialKmsClient(t.origin, readAccessKey(t.dataDir));
const describeKey = async (keyId: string) => (await kmsClient().describeKey(new $Kms.DescribeKeyRequest({ keyId }))).keyMetadata;

beforeAll(async () => {
  t = await startTestTarget({ now });
  const commandKey = await loadOrCreateCommandKey(t.dataDir, "keyward-portal");
  bridge = await startTestBridge(commandKey.publicJwk, "keyward-portal");
  hsm = await BridgeClient.connect(bridge.endpoint, commandKey.signer);
  api = portalApi(t.origin, await adminToken(t));
  expect((await api.post("/bridges", registration(bridge))).status).toBe(201);
});
afterAll(async () => {
  hsm?.close();
  await bridge?.stop();
  await t?.close();
});

let job: KmsImportJob;
let material: Buffer;

describe("a KMS import job, end to end", () => {
  it("offers only the algorithms both the token and the target take", async () => {
    const res = await api.get("/kms-imports/options?bridgeId=bridge-e2e");
    const options = KmsImportOptionsSchema.parse(res.body);
    // SoftHSM2 2.6.1: OAEP with SHA-1 only; PKCS#1 v1.5 it can do, but this target does not hand it out.
    expect(options.tokenAlgorithms).toContain("RSAES_PKCS1_V1_5");
    expect(options.algorithms).toEqual([{ algorithm: "RSAES_OAEP_SHA_1", deprecated: false }]);
    expect(options.canGenerateAes256).toBe(true);
  });

  it("creates an external key, generates the AES key in the HSM, wraps it there and imports it: the KMS key holds the HSM's material", async () => {
    const res = await api.post("/kms-imports", request());
    expect(res.status).toBe(202);
    job = await waitForJob(jobOf(res.body).id);
    expect(job).toMatchObject({ state: "completed", step: "imported", keyState: "Enabled", origin: "EXTERNAL", alias: "alias/payments/hsm", imports: 1, materialDaysLeft: 10, canReimport: false, warnings: [] });
    expect(job.error).toBeUndefined();
    expect(job.kcv).toMatch(/^[0-9a-f]{6}$/);
    expect(job.materialExpiresAt).toBe(new Date((clock + 10 * DAY) * 1000).toISOString());
    expect(JSON.stringify(job)).not.toMatch(/importToken|encryptedMaterial/);

    material = await learnTokenMaterial(hsm, "job-aes");
    const kms = kmsClient();
    expect((await describeKey("alias/payments/hsm")).keyId).toBe(job.keyId);
    const encrypted = await kms.encrypt(new $Kms.EncryptRequest({ keyId: job.keyId, plaintext: "sealed by the HSM's key" }));
    expect(openKmsBlob(encrypted.ciphertextBlob, material)).toBe("sealed by the HSM's key");

    const keys = KmsKeyListSchema.parse((await api.get("/kms-keys")).body).keys;
    expect(keys).toContainEqual(expect.objectContaining({ keyId: job.keyId, origin: "EXTERNAL", keyState: "Enabled" }));
  });

  it("lists lapsing material as reminders", async () => {
    const within = KmsImportRemindersSchema.parse((await api.get("/kms-imports/reminders?days=30")).body);
    expect(within.reminders).toEqual([{ id: job.id, keyId: job.keyId, alias: "alias/payments/hsm", materialExpiresAt: job.materialExpiresAt, daysLeft: 10 }]);
    expect(KmsImportRemindersSchema.parse((await api.get("/kms-imports/reminders?days=5")).body).reminders).toEqual([]);
    expect(errorOf(await api.get("/kms-imports/reminders?days=soon"))?.message).toMatch(/days must be a whole number/);
  });

  it("re-imports the same material in one call after DeleteKeyMaterial, and after the material expired", async () => {
    const kms = kmsClient();
    const before = await kms.encrypt(new $Kms.EncryptRequest({ keyId: job.keyId, plaintext: "kept" }));
    const unchanged = await everything();
    const early = await api.post(`/kms-imports/${job.id}/reimport`);
    expect([early.status, errorOf(early)?.message]).toEqual([409, `the KMS key ${job.keyId} is Enabled: its material has neither expired nor been deleted`]);
    expect(await everything()).toEqual(unchanged);

    await kms.deleteKeyMaterial(new $Kms.DeleteKeyMaterialRequest({ keyId: job.keyId }));
    expect(jobOf((await api.get(`/kms-imports/${job.id}`)).body)).toMatchObject({ keyState: "PendingImport", canReimport: true });
    expect((await api.post(`/kms-imports/${job.id}/reimport`)).status).toBe(202);
    let again = await waitForJob(job.id);
    expect(again).toMatchObject({ state: "completed", keyState: "Enabled", imports: 2, kcv: job.kcv });
    expect((await kms.decrypt(new $Kms.DecryptRequest({ ciphertextBlob: before.ciphertextBlob }))).plaintext).toBe("kept");

    clock += 10 * DAY;
    expect(jobOf((await api.get(`/kms-imports/${job.id}`)).body)).toMatchObject({ keyState: "PendingImport", canReimport: true });
    expect((await api.post(`/kms-imports/${job.id}/reimport`)).status).toBe(202);
    again = await waitForJob(job.id);
    expect(again).toMatchObject({ state: "completed", keyState: "Enabled", imports: 3, materialDaysLeft: 10 });
    expect(openKmsBlob((await kms.encrypt(new $Kms.EncryptRequest({ keyId: job.keyId, plaintext: "again" }))).ciphertextBlob, material)).toBe("again");
  });
});

describe("refusals", () => {
  it("refuses bad requests with a 400 in words and writes nothing", async () => {
    const existing = job.keyId;
    const cases: [Partial<CreateKmsImportRequest> | string, RegExp][] = [
      [{ bridgeId: "nobody" }, /no bridge with the id nobody is registered/],
      [{ algorithm: "RSAES_PKCS1_V1_5" }, /RSAES_PKCS1_V1_5 is deprecated.*opt-in/],
      [{ algorithm: "RSAES_PKCS1_V1_5", allowDeprecatedPkcs1: true }, /the KMS target does not hand out RSAES_PKCS1_V1_5/],
      [{ algorithm: "RSAES_OAEP_SHA_256" }, /the HSM token cannot wrap with RSAES_OAEP_SHA_256; it can: RSAES_OAEP_SHA_1/],
      [{ hsmKey: { source: "existing", label: "not-there" } }, /holds no key labelled not-there/],
      [{ hsmKey: { source: "generate", label: "job-aes" } }, /label job-aes is already taken/],
      [{ key: { kind: "existing", keyId: existing } }, new RegExp(`${existing} is Enabled, not PendingImport`)],
      [{ key: { kind: "existing", keyId: "0b0d4f0e-6a1e-4c63-9d2e-6f1f4f2b9a10" } }, /has no key 0b0d4f0e/],
      [{ key: { kind: "create", alias: "alias/payments/hsm" } }, /alias alias\/payments\/hsm already names a KMS key/],
      [{ key: { kind: "create", alias: "payments" } }, /an alias is alias\//],
      [{ materialExpiresInDays: 0 }, /materialExpiresInDays/],
      ["{not json", /JSON/i],
    ];
    const before = await everything();
    for (const [over, words] of cases) {
      const res = await api.post("/kms-imports", typeof over === "string" ? over : request({ ...over, key: over.key ?? { kind: "create" }, hsmKey: over.hsmKey ?? { source: "generate", label: "unused-aes" } }));
      expect([res.status, errorOf(res)?.code], JSON.stringify(over)).toEqual([400, "BadParameter"]);
      expect(errorOf(res)?.message, JSON.stringify(over)).toMatch(words);
    }
    expect(await everything()).toEqual(before);
    expect((await hsm.run({ type: "key.list" })).keys.map((k) => k.label)).not.toContain("unused-aes");
  });

  it("fails a job in the KMS's words when another token key is offered to a key bound to other material, and leaves the key as it was", async () => {
    await kmsClient().deleteKeyMaterial(new $Kms.DeleteKeyMaterialRequest({ keyId: job.keyId }));
    const keyBefore = await kmsSnapshot(t.portal.target.db);
    const res = await api.post("/kms-imports", request({ key: { kind: "existing", keyId: job.keyId }, hsmKey: { source: "generate", label: "other-aes" } }));
    expect(res.status).toBe(202);
    const failed = await waitForJob(jobOf(res.body).id);
    expect(failed).toMatchObject({ state: "failed", keyState: "PendingImport", canReimport: true });
    expect(failed.error).toMatch(/^the KMS target refused: InvalidKeyMaterial: .*only that same material/);
    const after = (await kmsSnapshot(t.portal.target.db)) as { keys: unknown; aliases: unknown };
    expect(after.keys).toEqual((keyBefore as { keys: unknown }).keys);
    expect(after.aliases).toEqual((keyBefore as { aliases: unknown }).aliases);
    expect([(await api.post(`/kms-imports/${job.id}/resume`)).status]).toEqual([409]);
  });
});

describe("a job survives the portal stopping", () => {
  it("resumes on the next start a job stopped between its steps", async () => {
    const res = await api.post("/kms-imports", request({ key: { kind: "create" }, hsmKey: { source: "generate", label: "resume-aes" }, materialExpiresInDays: undefined }));
    const id = jobOf(res.body).id;
    const stepOf = async () => (await t.portal.target.db.query<{ step: string }>("SELECT step FROM kms_import_jobs WHERE id = $1", [id])).rows[0]?.step;
    for (let i = 0; (await stepOf()) === "planned"; i++) {
      if (i > 2000) throw new Error("the job never left its first step");
      await new Promise((r) => setTimeout(r, 5));
    }
    const dataDir = t.dataDir;
    await t.close();

    const db = await openDb({ dataDir: join(dataDir, "db") });
    const left = (await db.query<{ state: string; step: string }>("SELECT state, step FROM kms_import_jobs WHERE id = $1", [id])).rows[0];
    await db.close();
    expect(left?.state).toBe("running");
    expect(left?.step).not.toBe("imported");

    t = await startTestTarget({ now, dataDir });
    api = portalApi(t.origin, await adminToken(t, "kms-admin-2"));
    const done = await waitForJob(id);
    expect(done).toMatchObject({ state: "completed", step: "imported", keyState: "Enabled", imports: 1 });
    const learned = await learnTokenMaterial(hsm, "resume-aes");
    const blob = (await kmsClient().encrypt(new $Kms.EncryptRequest({ keyId: done.keyId, plaintext: "resumed" }))).ciphertextBlob;
    expect(openKmsBlob(blob, learned)).toBe("resumed");
  });

  it("creates the job's KMS key only as its first step: a job stopped before that leaves no key, and makes it under the recorded id on resume", async () => {
    const dataDir = t.dataDir;
    const id = "kij_stoppedbeforekey0001";
    const keyId = randomUUID();
    await t.close();
    // The state a process killed right after recording the job leaves: the job, and no key or alias yet.
    const db = await openDb({ dataDir: join(dataDir, "db") });
    await db.query(
      `INSERT INTO kms_import_jobs (id, created_at, updated_at, principal, target, bridge, key_id, key_created, key_description, alias, hsm_source, hsm_label, algorithm, material_days, state, step)
       SELECT $1, created_at, updated_at, principal, target, bridge, $2, true, 'stopped before its key', 'alias/stopped/early', 'generate', 'early-aes', algorithm, NULL, 'running', 'planned'
       FROM kms_import_jobs LIMIT 1`,
      [id, keyId],
    );
    const keysBefore = (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM kms_keys WHERE key_id = $1", [keyId])).rows[0]?.n;
    await db.close();
    expect(keysBefore).toBe(0);

    t = await startTestTarget({ now, dataDir });
    api = portalApi(t.origin, await adminToken(t, "kms-admin-3"));
    const done = await waitForJob(id);
    expect(done).toMatchObject({ state: "completed", keyId, alias: "alias/stopped/early", keyState: "Enabled" });
    expect(await describeKey("alias/stopped/early")).toMatchObject({ keyId, origin: "EXTERNAL", description: "stopped before its key" });
  });
});
