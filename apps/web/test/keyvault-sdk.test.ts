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
});
