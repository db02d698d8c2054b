import { constants, createHash, createPublicKey, publicEncrypt, randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { KmsError, type WrappingAlgorithm } from "@keyward/shared";
import type { Db } from "../store";
import { migrate } from "../store/migrate";
import { BACKENDS, type TestBackend } from "../store/test-support/backends";
import { T0, TEST_DOMAIN_KEY, frozenClock } from "../store/test-support/fixtures";
import { kmsSealing } from "./sealing";
import { createKmsService, type KmsService } from "./service";

const DAY = 86_400;
const PADDING = { RSAES_OAEP_SHA_1: "sha1", RSAES_OAEP_SHA_256: "sha256" } as const;

function wrap(publicKey: string, material: Buffer, algorithm: WrappingAlgorithm): string {
  const key = createPublicKey({ key: Buffer.from(publicKey, "base64"), format: "der", type: "spki" });
  const options = algorithm === "RSAES_PKCS1_V1_5" ? { key, padding: constants.RSA_PKCS1_PADDING } : { key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: PADDING[algorithm] };
  return publicEncrypt(options, material).toString("base64");
}

async function refusal(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(KmsError);
  return (err as KmsError).code;
}

describe.each(BACKENDS)("KMS service on $name", ({ open }) => {
  let backend: TestBackend;
  let db: Db;
  let clock: ReturnType<typeof frozenClock>;
  const service = (allowPkcs1 = false): KmsService => createKmsService({ db, sealing: kmsSealing(TEST_DOMAIN_KEY), now: clock.now, allowPkcs1 });
  const external = async (s: KmsService) =>
    (await s.createKey({ KeySpec: "Aliyun_AES_256", KeyUsage: "ENCRYPT/DECRYPT", Origin: "EXTERNAL", ProtectionLevel: "SOFTWARE", Description: "", EnableAutomaticRotation: "false" })).row.key_id;

  beforeAll(async () => {
    backend = await open();
    db = backend.db;
    await migrate(db);
  });
  beforeEach(async () => {
    await db.exec("DELETE FROM kms_keys");
    clock = frozenClock();
  });
  afterAll(() => backend?.dispose());

  it("keeps material and token keys sealed at rest, the token as a hash and the material as a keyed fingerprint", async () => {
    const s = service();
    const keyId = await external(s);
    const material = randomBytes(32);
    const p = await s.getParametersForImport(keyId, "RSAES_OAEP_SHA_256", "RSA_2048");
    await s.importKeyMaterial(keyId, wrap(p.publicKey, material, "RSAES_OAEP_SHA_256"), p.importToken, 0);

    const { rows } = await db.query<{ material: Uint8Array; material_fingerprint: Uint8Array }>("SELECT material, material_fingerprint FROM kms_keys");
    const row = rows[0]!;
    expect(Buffer.from(row.material).includes(material)).toBe(false);
    expect(Buffer.from(row.material_fingerprint)).not.toEqual(createHash("sha256").update(material).digest());
    const tokens = await db.query<{ token_hash: Uint8Array; private_key: Uint8Array }>("SELECT token_hash, private_key FROM kms_import_tokens");
    expect(Buffer.from(tokens.rows[0]!.token_hash)).toEqual(createHash("sha256").update(p.importToken).digest());
    expect(Buffer.from(tokens.rows[0]!.private_key)[0]).toBe(0x01);
    expect(JSON.stringify(tokens.rows)).not.toContain(p.importToken);
    expect(p.expires).toBe(T0 + DAY);

    // The same material in another key gives another fingerprint: keys cannot be correlated by it.
    const other = await external(s);
    const q = await s.getParametersForImport(other, "RSAES_OAEP_SHA_1", "RSA_2048");
    await s.importKeyMaterial(other, wrap(q.publicKey, material, "RSAES_OAEP_SHA_1"), q.importToken, 0);
    const fingerprints = await db.query<{ f: Uint8Array }>("SELECT material_fingerprint AS f FROM kms_keys");
    expect(Buffer.from(fingerprints.rows[0]!.f)).not.toEqual(Buffer.from(fingerprints.rows[1]!.f));
  });

  it("honours a pair handed out before a restart (a new service on the same database) until it expires", async () => {
    const keyId = await external(service());
    const p = await service().getParametersForImport(keyId, "RSAES_OAEP_SHA_1", "RSA_2048");
    clock.advance(DAY - 1);
    await service().importKeyMaterial(keyId, wrap(p.publicKey, randomBytes(32), "RSAES_OAEP_SHA_1"), p.importToken, 0);
    expect((await service().resolve(keyId)).state).toBe("Enabled");
  });

  it("hands out RSAES_PKCS1_V1_5 parameters only when allowed, and checks their padding", async () => {
    const keyId = await external(service());
    expect(await refusal(service().getParametersForImport(keyId, "RSAES_PKCS1_V1_5", "RSA_2048"))).toBe("Rejected.UnsupportedOperation");
    const s = service(true);
    const p = await s.getParametersForImport(keyId, "RSAES_PKCS1_V1_5", "RSA_2048");
    const material = randomBytes(32);
    expect(await refusal(s.importKeyMaterial(keyId, wrap(p.publicKey, material, "RSAES_OAEP_SHA_1"), p.importToken, 0))).toBe("InvalidKeyMaterial");
    expect(await refusal(s.importKeyMaterial(keyId, wrap(p.publicKey, material.subarray(0, 31), "RSAES_PKCS1_V1_5"), p.importToken, 0))).toBe("InvalidKeyMaterial");
    await s.importKeyMaterial(keyId, wrap(p.publicKey, material, "RSAES_PKCS1_V1_5"), p.importToken, 0);
    expect((await s.resolve(keyId)).state).toBe("Enabled");
  });

  it("lets one of two racing first imports of different material win, and refuses the other", async () => {
    const s = service();
    const keyId = await external(s);
    const p = await s.getParametersForImport(keyId, "RSAES_OAEP_SHA_1", "RSA_2048");
    const results = await Promise.allSettled([1, 2].map(() => s.importKeyMaterial(keyId, wrap(p.publicKey, randomBytes(32), "RSAES_OAEP_SHA_1"), p.importToken, 0)));
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "InvalidKeyMaterial" } });
  });

  it("deletes material whose expiry has come, and only that, when swept", async () => {
    const s = service();
    const material = randomBytes(32);
    const ids: string[] = [];
    for (const expire of [T0 + 10, T0 + 20, 0]) {
      const keyId = await external(s);
      const p = await s.getParametersForImport(keyId, "RSAES_OAEP_SHA_1", "RSA_2048");
      await s.importKeyMaterial(keyId, wrap(p.publicKey, material, "RSAES_OAEP_SHA_1"), p.importToken, expire);
      ids.push(keyId);
    }
    expect(await s.expireDue()).toEqual([]);
    clock.advance(10);
    expect(await s.expireDue()).toEqual([ids[0]]);
    const { rows } = await db.query<{ key_id: string; material: Uint8Array | null; material_fingerprint: Uint8Array }>("SELECT key_id, material, material_fingerprint FROM kms_keys");
    expect(rows.filter((r) => r.material === null).map((r) => r.key_id)).toEqual([ids[0]]);
    expect(rows.every((r) => r.material_fingerprint !== null)).toBe(true);
  });

  it("forgets import tokens a week after they expired", async () => {
    const s = service();
    const keyId = await external(s);
    await s.getParametersForImport(keyId, "RSAES_OAEP_SHA_1", "RSA_2048");
    clock.advance(DAY + 7 * DAY);
    await s.expireDue();
    expect((await db.query("SELECT 1 FROM kms_import_tokens")).rows).toHaveLength(1);
    clock.advance(1);
    await s.expireDue();
    expect((await db.query("SELECT 1 FROM kms_import_tokens")).rows).toHaveLength(0);
  });
});
