import { createHash, createPublicKey, randomBytes, verify as nodeVerify } from "node:crypto";
import { CryptographyClient, KeyClient, type KeyVaultKey } from "@azure/keyvault-keys";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestTarget, type TestTarget } from "./helpers/target";

let t: TestTarget;
let client: KeyClient;
const options = { disableChallengeResourceVerification: true };
const CRYPTO_OFFICER = "515eb02d-2335-4d2d-92f2-b1cbdf9c3778";

beforeAll(async () => {
  t = await startTestTarget();
  client = new KeyClient(t.origin, t.credential, options);
});
afterAll(() => t?.close());

const crypto = (key: KeyVaultKey) => new CryptographyClient(key, t.credential, options);
const sha256 = (data: Uint8Array) => createHash("sha256").update(data).digest();

describe("the official KeyClient against the local target", () => {
  it("creates, gets and lists keys", async () => {
    const rsa = await client.createRsaKey("sdk-rsa", { keySize: 2048, tags: { team: "custody" } });
    expect(rsa.keyType).toBe("RSA");
    expect(rsa.id).toMatch(new RegExp(`^${t.origin}/keys/sdk-rsa/[0-9a-f]{32}$`));
    expect(rsa.properties.tags).toEqual({ team: "custody" });
    expect(rsa.properties.createdOn).toBeInstanceOf(Date);
    const ec = await client.createEcKey("sdk-ec", { curve: "P-384", hsm: true });
    expect(ec.keyType).toBe("EC-HSM");
    expect(ec.key?.crv).toBe("P-384");
    const got = await client.getKey("sdk-rsa");
    expect(got.id).toBe(rsa.id);
    const names: string[] = [];
    for await (const p of client.listPropertiesOfKeys()) names.push(p.name);
    expect(names).toEqual(expect.arrayContaining(["sdk-rsa", "sdk-ec"]));
  });

  it("signs in the target and the signature verifies outside it", async () => {
    const key = await client.createEcKey("sdk-sign", { curve: "P-256" });
    const digest = sha256(Buffer.from("hello"));
    const signed = await crypto(key).sign("ES256", digest);
    const pub = createPublicKey({ key: { kty: "EC", crv: "P-256", x: Buffer.from(key.key!.x!).toString("base64url"), y: Buffer.from(key.key!.y!).toString("base64url") }, format: "jwk" });
    expect(nodeVerify("sha256", Buffer.from("hello"), { key: pub, dsaEncoding: "ieee-p1363" }, signed.result)).toBe(true);
    const verified = await crypto(key).verify("ES256", digest, signed.result);
    expect(verified.result).toBe(true);
  });

  it("wraps and unwraps with an RSA key", async () => {
    const key = await client.createRsaKey("sdk-wrap", { keySize: 3072 });
    const cek = randomBytes(32);
    const wrapped = await crypto(key).wrapKey("RSA-OAEP-256", cek);
    const unwrapped = await crypto(key).unwrapKey("RSA-OAEP-256", wrapped.result);
    expect(Buffer.from(unwrapped.result)).toEqual(cek);
  });

  it("deletes, recovers and purges (recover and purge need Crypto Officer)", async () => {
    const officer = new KeyClient(t.origin, await t.principalWithRoles("sdk-officer", [CRYPTO_OFFICER]), options);
    await client.createRsaKey("sdk-del");
    const poller = await client.beginDeleteKey("sdk-del");
    const deleted = await poller.pollUntilDone();
    expect(deleted.properties.recoveryId).toBe(`${t.origin}/deletedkeys/sdk-del`);
    await expect(client.createRsaKey("sdk-del")).rejects.toMatchObject({ statusCode: 409 });
    await expect(client.beginRecoverDeletedKey("sdk-del")).rejects.toMatchObject({
      statusCode: 403,
      message: expect.stringContaining("does not have Microsoft.KeyVault/managedHsm/keys/deletedKeys/recover/action permission"),
    });
    const recover = await officer.beginRecoverDeletedKey("sdk-del");
    const recovered = await recover.pollUntilDone();
    expect(recovered.name).toBe("sdk-del");
    await (await client.beginDeleteKey("sdk-del")).pollUntilDone();
    await officer.purgeDeletedKey("sdk-del");
    await expect(officer.getDeletedKey("sdk-del")).rejects.toMatchObject({ statusCode: 404 });
  });

  it("updates attributes, tags and key_ops", async () => {
    await client.createRsaKey("sdk-upd");
    const exp = new Date(Math.floor(Date.now() / 1000 + 86400 * 30) * 1000);
    const updated = await client.updateKeyProperties("sdk-upd", { enabled: false, expiresOn: exp, tags: { owner: "ops" }, keyOps: ["sign", "verify"] });
    expect(updated.properties.enabled).toBe(false);
    expect(updated.properties.expiresOn?.getTime()).toBe(exp.getTime());
    expect(updated.properties.tags).toEqual({ owner: "ops" });
    expect(updated.keyOperations).toEqual(["sign", "verify"]);
    await expect(client.updateKeyProperties("sdk-upd", { tags: Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`t${i}`, "v"])) })).rejects.toMatchObject({ statusCode: 400 });
    expect((await client.getKey("sdk-upd")).properties.tags).toEqual({ owner: "ops" });
  });

  it("backs up a key and restores it after a purge, with every version", async () => {
    const officer = new KeyClient(t.origin, await t.principalWithRoles("sdk-officer-2", [CRYPTO_OFFICER]), options);
    const first = await client.createEcKey("sdk-bak", { curve: "P-256" });
    const second = await client.rotateKey("sdk-bak");
    const blob = await client.backupKey("sdk-bak");
    expect(blob?.length).toBeGreaterThan(100);
    await (await client.beginDeleteKey("sdk-bak")).pollUntilDone();
    await officer.purgeDeletedKey("sdk-bak");
    const restored = await client.restoreKeyBackup(blob!);
    expect(restored.id).toBe(second.id);
    const versions: string[] = [];
    for await (const v of client.listPropertiesOfKeyVersions("sdk-bak")) versions.push(v.version ?? "");
    expect(versions.sort()).toEqual([first.properties.version, second.properties.version].sort());
    // The restored key is the same key: a signature from it verifies with the original public key.
    const digest = sha256(Buffer.from("after restore"));
    const sig = await crypto(restored).sign("ES256", digest);
    expect((await crypto(second).verify("ES256", digest, sig.result)).result).toBe(true);
    // A tampered blob is refused and restores nothing.
    const tampered = Buffer.from(blob!);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
    await (await client.beginDeleteKey("sdk-bak")).pollUntilDone();
    await officer.purgeDeletedKey("sdk-bak");
    await expect(client.restoreKeyBackup(tampered)).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.getKey("sdk-bak")).rejects.toMatchObject({ statusCode: 404 });
  });

  it("refuses a backup from an instance with another domain key, and restores nothing", async () => {
    await client.createRsaKey("sdk-foreign");
    const blob = await client.backupKey("sdk-foreign");
    const other = await startTestTarget();
    try {
      const foreign = new KeyClient(other.origin, other.credential, options);
      await expect(foreign.restoreKeyBackup(blob!)).rejects.toMatchObject({ statusCode: 400, message: expect.stringContaining("security domain") });
      await expect(foreign.getKey("sdk-foreign")).rejects.toMatchObject({ statusCode: 404 });
    } finally {
      await other.close();
    }
  });

  it("rotates on demand and keeps a rotation policy", async () => {
    const key = await client.createKey("sdk-rot", "oct-HSM", { keySize: 256 });
    const policy = await client.updateKeyRotationPolicy("sdk-rot", {
      lifetimeActions: [{ action: "Rotate", timeAfterCreate: "P90D" }],
      expiresIn: "P180D",
    });
    expect(policy.lifetimeActions).toEqual([{ action: "Rotate", timeAfterCreate: "P90D" }]);
    expect((await client.getKeyRotationPolicy("sdk-rot")).expiresIn).toBe("P180D");
    await expect(client.updateKeyRotationPolicy("sdk-rot", { lifetimeActions: [{ action: "Rotate", timeAfterCreate: "P1D" }] })).rejects.toMatchObject({ statusCode: 400 });
    const rotated = await client.rotateKey("sdk-rot");
    expect(rotated.properties.version).not.toBe(key.properties.version);
    expect(rotated.properties.expiresOn).toBeInstanceOf(Date);
    const latest = await client.getKey("sdk-rot");
    expect(latest.id).toBe(rotated.id);
  });

  it("returns random bytes", async () => {
    const bytes = await client.getRandomBytes(32);
    expect(bytes).toHaveLength(32);
    await expect(client.getRandomBytes(129)).rejects.toMatchObject({ statusCode: 400 });
  });
});
