import { constants, createDecipheriv, createPublicKey, publicEncrypt, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kmsCiphertextAad, kmsCiphertextHeader, kmsTime, parseByok, parseKmsCiphertext, type WrappingAlgorithm } from "@keyward/shared";
import { BridgeClient } from "../src/server/bridge/client";
import { loadOrCreateCommandKey } from "../src/server/bridge/command-key";
import { scratch, type Scratch } from "../src/server/crypto/test/openssl";
import type { KmsAccessKey } from "../src/server/kms/access-key";
import { startTestBridge, type TestBridge } from "./helpers/bridge";
import { $Kms, expectKmsError, kmsSnapshot, officialKmsClient, readAccessKey, signedUrl } from "./helpers/kms";
import { startTestTarget, type TestTarget } from "./helpers/target";

/*
 * Importing HSM key material into the local KMS endpoint with the official Alibaba Cloud KMS client,
 * end to end: SoftHSM2 token → bridge (kms.wrapMaterial) → ImportKeyMaterial. The material itself is
 * known to the test only through a second, independent path — the bridge wraps the same token key for
 * an RSA key only the test holds, and the OpenSSL CLI unwraps it — so that a ciphertext from the
 * endpoint's Encrypt, opened with plain AES-GCM, proves the endpoint holds the HSM's key.
 */

const DAY = 86_400;
let clock = Math.floor(Date.now() / 1000);
const now = () => clock;

let t: TestTarget;
let bridge: TestBridge;
let hsm: BridgeClient;
let kms: ReturnType<typeof officialKmsClient>;
let access: KmsAccessKey;
let sh: Scratch;
/** The AES-256 key generated in SoftHSM2, as the test learned it through OpenSSL. */
let material: Buffer;
let tokenKcv: string;
let keyId: string;

const describeKey = async (id: string) => (await kms.describeKey(new $Kms.DescribeKeyRequest({ keyId: id }))).keyMetadata;
const params = (id: string, wrappingAlgorithm: WrappingAlgorithm = "RSAES_OAEP_SHA_1") =>
  kms.getParametersForImport(new $Kms.GetParametersForImportRequest({ keyId: id, wrappingAlgorithm, wrappingKeySpec: "RSA_2048" }));
const importMaterial = (id: string, encryptedKeyMaterial: string, importToken: string, keyMaterialExpireUnix?: number) =>
  kms.importKeyMaterial(new $Kms.ImportKeyMaterialRequest({ keyId: id, encryptedKeyMaterial, importToken, ...(keyMaterialExpireUnix === undefined ? {} : { keyMaterialExpireUnix }) }));
const createExternalKey = async () => (await kms.createKey(new $Kms.CreateKeyRequest({ origin: "EXTERNAL", keySpec: "Aliyun_AES_256" }))).keyMetadata.keyId;

/** Encrypt material for a GetParametersForImport public key the way a customer's script does (Node, not the HSM). */
function wrapLocally(publicKeyBase64: string, plaintext: Buffer, algorithm: "sha1" | "sha256" = "sha256"): string {
  const key = createPublicKey({ key: Buffer.from(publicKeyBase64, "base64"), format: "der", type: "spki" });
  return publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: algorithm }, plaintext).toString("base64");
}

/** Open an Encrypt blob with the known material and nothing of the endpoint's but the documented format. */
function openBlob(blobBase64: string, key: Buffer, context: Record<string, string> = {}): string {
  const bytes = Buffer.from(blobBase64, "base64");
  const blob = parseKmsCiphertext(bytes)!;
  const decipher = createDecipheriv("aes-256-gcm", key, blob.iv);
  decipher.setAAD(kmsCiphertextAad(kmsCiphertextHeader(blob.keyId, blob.keyVersionId), context));
  decipher.setAuthTag(blob.tag);
  return Buffer.concat([decipher.update(blob.ciphertext), decipher.final()]).toString("utf8");
}

/** A refused call leaves every KMS row as it was. */
async function refusedUnchanged(call: () => Promise<unknown>, code: string, status = 400): Promise<string> {
  const before = await kmsSnapshot(t.portal.target.db);
  const message = await expectKmsError(call(), code, status);
  expect(await kmsSnapshot(t.portal.target.db)).toEqual(before);
  return message;
}

beforeAll(async () => {
  t = await startTestTarget({ now });
  const commandKey = await loadOrCreateCommandKey(t.dataDir, "keyward-portal");
  bridge = await startTestBridge(commandKey.publicJwk, "keyward-portal");
  hsm = await BridgeClient.connect(bridge.endpoint, commandKey.signer);
  access = readAccessKey(t.dataDir);
  kms = officialKmsClient(t.origin, access);

  const generated = await hsm.run({ type: "key.generate", label: "kms-aes", key: { kty: "oct", size: 256 } });
  tokenKcv = generated.kcv ?? "";
  // The independent path to the material: byok.wrap for a KEK whose private key only the test holds.
  sh = scratch();
  sh.openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "kek.pem");
  const kekPem = sh.openssl("pkey", "-in", "kek.pem", "-pubout").toString();
  const wrapped = await hsm.run({ type: "byok.wrap", target: "kms-aes", kek: { kid: "https://localhost/keys/test-kek/0123456789abcdef0123456789abcdef", publicKeyPem: kekPem } });
  const envelope = parseByok(wrapped.byok);
  if (!envelope.ok) throw new Error(envelope.message);
  const ciphertext = Buffer.from(envelope.value.ciphertext);
  sh.write("transfer.wrapped", ciphertext.subarray(0, 256));
  sh.write("target.wrapped", ciphertext.subarray(256));
  const transfer = sh.openssl("pkeyutl", "-decrypt", "-inkey", "kek.pem", "-in", "transfer.wrapped", "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha1", "-pkeyopt", "rsa_mgf1_md:sha1");
  material = sh.openssl("enc", "-d", "-id-aes256-wrap-pad", "-K", transfer.toString("hex"), "-iv", "A65959A6", "-in", "target.wrapped");
});
afterAll(async () => {
  hsm?.close();
  await bridge?.stop();
  await t?.close();
  sh?.remove();
});

describe("key material from SoftHSM2 into the KMS endpoint, with the official Alibaba Cloud client", () => {
  it("creates an external key, imports the bridge-wrapped material and encrypts with the HSM's key", async () => {
    expect(material).toHaveLength(32);
    expect(sh.openssl("enc", "-aes-256-ecb", "-K", material.toString("hex"), "-nopad", "-in", sh.write("zero.bin", Buffer.alloc(16))).subarray(0, 3).toString("hex")).toBe(tokenKcv);

    const created = await kms.createKey(new $Kms.CreateKeyRequest({ origin: "EXTERNAL", keySpec: "Aliyun_AES_256", description: "from SoftHSM2" }));
    keyId = created.keyMetadata.keyId;
    expect(created.requestId).toMatch(/^[0-9A-F-]{36}$/);
    expect(await describeKey(keyId)).toMatchObject({
      keyId,
      origin: "EXTERNAL",
      keyState: "PendingImport",
      keySpec: "Aliyun_AES_256",
      keyUsage: "ENCRYPT/DECRYPT",
      description: "from SoftHSM2",
      materialExpireTime: "",
      arn: `acs:kms:keyward-local:${access.accountId}:key/${keyId}`,
      creationDate: kmsTime(clock),
    });

    const p = await params(keyId);
    expect(p).toMatchObject({ keyId, tokenExpireTime: kmsTime(clock + DAY) });
    expect(createPublicKey({ key: Buffer.from(p.publicKey, "base64"), format: "der", type: "spki" }).asymmetricKeyDetails?.modulusLength).toBe(2048);

    const wrapped = await hsm.run({ type: "kms.wrapMaterial", target: "kms-aes", wrappingPublicKey: p.publicKey, algorithm: "RSAES_OAEP_SHA_1" });
    expect(wrapped.kcv).toBe(tokenKcv);
    await importMaterial(keyId, wrapped.encryptedKeyMaterial, p.importToken);
    expect(await describeKey(keyId)).toMatchObject({ keyState: "Enabled", materialExpireTime: "" });

    const encrypted = await kms.encrypt(new $Kms.EncryptRequest({ keyId, plaintext: "sealed by the HSM's key" }));
    expect(openBlob(encrypted.ciphertextBlob, material)).toBe("sealed by the HSM's key");
    const decrypted = await kms.decrypt(new $Kms.DecryptRequest({ ciphertextBlob: encrypted.ciphertextBlob }));
    expect(decrypted).toMatchObject({ plaintext: "sealed by the HSM's key", keyId });

    const withContext = await kms.encrypt(new $Kms.EncryptRequest({ keyId, plaintext: "bound", encryptionContext: { purpose: "test" } }));
    expect(openBlob(withContext.ciphertextBlob, material, { purpose: "test" })).toBe("bound");
    await expectKmsError(kms.decrypt(new $Kms.DecryptRequest({ ciphertextBlob: withContext.ciphertextBlob, encryptionContext: { purpose: "other" } })), "InvalidParameter", 400);
  });

  it("deletes the material (PendingImport) and takes the same material again with a fresh token and either algorithm", async () => {
    const before = await kms.encrypt(new $Kms.EncryptRequest({ keyId, plaintext: "kept" }));
    await kms.deleteKeyMaterial(new $Kms.DeleteKeyMaterialRequest({ keyId }));
    expect(await describeKey(keyId)).toMatchObject({ keyState: "PendingImport", materialExpireTime: "" });
    await refusedUnchanged(() => kms.encrypt(new $Kms.EncryptRequest({ keyId, plaintext: "x" })), "Rejected.PendingImport", 409);
    await refusedUnchanged(() => kms.decrypt(new $Kms.DecryptRequest({ ciphertextBlob: before.ciphertextBlob })), "Rejected.PendingImport", 409);

    // SoftHSM2 has no RSA-OAEP with SHA-256: the customer's own script wraps the same material.
    const p = await params(keyId, "RSAES_OAEP_SHA_256");
    await importMaterial(keyId, wrapLocally(p.publicKey, material, "sha256"), p.importToken);
    expect(await describeKey(keyId)).toMatchObject({ keyState: "Enabled" });
    expect((await kms.decrypt(new $Kms.DecryptRequest({ ciphertextBlob: before.ciphertextBlob }))).plaintext).toBe("kept");
  });

  it("refuses different material for a key that has had material, enabled or not, and changes nothing", async () => {
    const p = await params(keyId);
    const other = wrapLocally(p.publicKey, randomBytes(32), "sha1");
    expect(await refusedUnchanged(() => importMaterial(keyId, other, p.importToken), "InvalidKeyMaterial")).toMatch(/only that same material/);
    await kms.deleteKeyMaterial(new $Kms.DeleteKeyMaterialRequest({ keyId }));
    await refusedUnchanged(() => importMaterial(keyId, other, p.importToken), "InvalidKeyMaterial");
    expect(await describeKey(keyId)).toMatchObject({ keyState: "PendingImport" });
    await importMaterial(keyId, wrapLocally(p.publicKey, material, "sha1"), p.importToken);
    expect(await describeKey(keyId)).toMatchObject({ keyState: "Enabled" });
  });

  it("refuses tokens that are expired, of another key, of another pair or unknown, and material of another algorithm or length", async () => {
    const fresh = await createExternalKey();
    const mine = await params(fresh, "RSAES_OAEP_SHA_256");
    const second = await params(fresh, "RSAES_OAEP_SHA_256");
    expect(second.publicKey).not.toBe(mine.publicKey);
    expect(second.importToken).not.toBe(mine.importToken);
    const foreign = await params(keyId);
    const good = wrapLocally(mine.publicKey, material, "sha256");

    expect(await refusedUnchanged(() => importMaterial(fresh, wrapLocally(foreign.publicKey, material, "sha1"), foreign.importToken), "InvalidImportToken")).toMatch(/another key/);
    await refusedUnchanged(() => importMaterial(fresh, good, second.importToken), "InvalidKeyMaterial");
    await refusedUnchanged(() => importMaterial(fresh, wrapLocally(mine.publicKey, material, "sha1"), mine.importToken), "InvalidKeyMaterial");
    await refusedUnchanged(() => importMaterial(fresh, wrapLocally(mine.publicKey, material.subarray(0, 16), "sha256"), mine.importToken), "InvalidKeyMaterial");
    await refusedUnchanged(() => importMaterial(fresh, good, randomBytes(32).toString("base64")), "InvalidImportToken");
    await refusedUnchanged(() => importMaterial(fresh, good, mine.importToken, clock - 1), "InvalidParameter");
    expect(await describeKey(fresh)).toMatchObject({ keyState: "PendingImport" });

    clock += DAY;
    await refusedUnchanged(() => importMaterial(fresh, good, mine.importToken), "ExpiredImportToken");
    expect(await describeKey(fresh)).toMatchObject({ keyState: "PendingImport" });
    // A token is good until its last second: one issued now still works.
    const renewed = await params(fresh, "RSAES_OAEP_SHA_256");
    clock += DAY - 1;
    await importMaterial(fresh, wrapLocally(renewed.publicKey, material, "sha256"), renewed.importToken);
    expect(await describeKey(fresh)).toMatchObject({ keyState: "Enabled" });
  });

  it("refuses deprecated PKCS#1 v1.5 parameters unless configured, import into generated keys, and unknown keys", async () => {
    expect(await refusedUnchanged(() => params(keyId, "RSAES_PKCS1_V1_5"), "Rejected.UnsupportedOperation")).toMatch(/deprecated.*KEYWARD_KMS_ALLOW_PKCS1/);
    const generated = (await kms.createKey(new $Kms.CreateKeyRequest({}))).keyMetadata;
    expect(generated).toMatchObject({ origin: "Aliyun_KMS", keyState: "Enabled" });
    await refusedUnchanged(() => params(generated.keyId), "Unsupported.Origin");
    const p = await params(keyId);
    await refusedUnchanged(() => importMaterial(generated.keyId, wrapLocally(p.publicKey, material, "sha1"), p.importToken), "Unsupported.Origin");
    await refusedUnchanged(() => kms.deleteKeyMaterial(new $Kms.DeleteKeyMaterialRequest({ keyId: generated.keyId })), "Unsupported.Origin");
    await refusedUnchanged(() => describeKey("0b0d4f0e-6a1e-4c63-9d2e-6f1f4f2b9a10"), "Forbidden.KeyNotFound", 404);
    await refusedUnchanged(() => params("0b0d4f0e-6a1e-4c63-9d2e-6f1f4f2b9a10"), "Forbidden.KeyNotFound", 404);
  });

  it("deletes material when its expiry comes, and a restart honours an expiry that passed while it was down", async () => {
    const p = await params(keyId);
    const wrapped = wrapLocally(p.publicKey, material, "sha1");
    await importMaterial(keyId, wrapped, p.importToken, clock + 100);
    expect(await describeKey(keyId)).toMatchObject({ keyState: "Enabled", materialExpireTime: kmsTime(clock + 100) });
    clock += 100;
    expect(await describeKey(keyId)).toMatchObject({ keyState: "PendingImport", materialExpireTime: "" });
    await refusedUnchanged(() => kms.encrypt(new $Kms.EncryptRequest({ keyId, plaintext: "x" })), "Rejected.PendingImport", 409);

    // Again, then stop the process and start it after the expiry.
    await importMaterial(keyId, wrapped, p.importToken, clock + 100);
    const reimport = await params(keyId);
    await t.close();
    clock += 200;
    t = await startTestTarget({ now, dataDir: t.dataDir });
    const { rows } = await t.portal.target.db.query<{ material: Uint8Array | null }>("SELECT material FROM kms_keys WHERE key_id = $1", [keyId]);
    expect(rows).toEqual([{ material: null }]);
    kms = officialKmsClient(t.origin, readAccessKey(t.dataDir));
    expect(await describeKey(keyId)).toMatchObject({ keyState: "PendingImport" });
    // The pair handed out before the restart is still good: its private key was kept, sealed.
    await importMaterial(keyId, wrapLocally(reimport.publicKey, material, "sha1"), reimport.importToken);
    expect(await describeKey(keyId)).toMatchObject({ keyState: "Enabled", materialExpireTime: "" });
  });
});

describe("aliases, tags and listing", () => {
  it("creates aliases with the documented charset and finds keys by them", async () => {
    await kms.createAlias(new $Kms.CreateAliasRequest({ keyId, aliasName: "alias/payments/hsm_key-1" }));
    expect((await describeKey("alias/payments/hsm_key-1")).keyId).toBe(keyId);
    await refusedUnchanged(() => kms.createAlias(new $Kms.CreateAliasRequest({ keyId, aliasName: "alias/payments/hsm_key-1" })), "AliasAlreadyExists");
    await refusedUnchanged(() => kms.createAlias(new $Kms.CreateAliasRequest({ keyId, aliasName: "payments" })), "InvalidParameter");
    await refusedUnchanged(() => kms.createAlias(new $Kms.CreateAliasRequest({ keyId, aliasName: "alias/pay ments" })), "InvalidParameter");
    await refusedUnchanged(() => describeKey("alias/nobody"), "Forbidden.AliasNotFound", 404);
  });

  it("tags keys within the documented limits", async () => {
    const tags = (pairs: [string, string][]) => JSON.stringify(pairs.map(([TagKey, TagValue]) => ({ TagKey, TagValue })));
    const tag = (json: string) => kms.tagResource(new $Kms.TagResourceRequest({ keyId, tags: json }));
    await tag(tags([["team", "payments"], ["cost center", "CC-1/2"]]));
    const listed = await kms.listResourceTags(new $Kms.ListResourceTagsRequest({ keyId }));
    expect(listed.tags.tag.map((x) => [x.tagKey, x.tagValue])).toEqual([["team", "payments"], ["cost center", "CC-1/2"]]);
    await refusedUnchanged(() => tag(tags([["aliyun-owner", "x"]])), "InvalidParameter");
    await refusedUnchanged(() => tag(tags([["acs:rm:rgId", "x"]])), "InvalidParameter");
    await refusedUnchanged(() => tag(tags([["k", "v".repeat(129)]])), "InvalidParameter");
    await refusedUnchanged(() => tag(tags([["k#", "v"]])), "InvalidParameter");
    await refusedUnchanged(() => tag(tags(Array.from({ length: 21 }, (_, i) => [`k${i}`, "v"] as [string, string]))), "InvalidParameter");
    await refusedUnchanged(() => tag(tags(Array.from({ length: 19 }, (_, i) => [`k${i}`, "v"] as [string, string]))), "Rejected.LimitExceeded");
    await kms.untagResource(new $Kms.UntagResourceRequest({ keyId, tagKeys: '["team"]' }));
    expect((await kms.listResourceTags(new $Kms.ListResourceTagsRequest({ keyId }))).tags.tag.map((x) => x.tagKey)).toEqual(["cost center"]);
  });

  it("lists keys page by page", async () => {
    const first = await kms.listKeys(new $Kms.ListKeysRequest({ pageNumber: 1, pageSize: 2 }));
    expect(first).toMatchObject({ pageNumber: 1, pageSize: 2, totalCount: 3 });
    const second = await kms.listKeys(new $Kms.ListKeysRequest({ pageNumber: 2, pageSize: 2 }));
    const ids = [...first.keys.key, ...second.keys.key].map((k) => k.keyId);
    expect(ids).toContain(keyId);
    expect(new Set(ids).size).toBe(3);
    expect(first.keys.key[0]?.keyArn).toMatch(/^acs:kms:keyward-local:\d{16}:key\//);
  });
});

describe("request signatures", () => {
  const get = async (url: string) => {
    const res = await fetch(url);
    return { status: res.status, body: (await res.json()) as { Code?: string; RequestId: string; HostId?: string } };
  };

  it("refuses a wrong secret, an unknown AccessKeyId, a replayed nonce, a stale timestamp and an unknown action", async () => {
    expect((await get(signedUrl(t.origin, { ...access, accessKeySecret: "wrong" }, "GET", { Action: "ListKeys" }))).body.Code).toBe("SignatureDoesNotMatch");
    expect(await get(signedUrl(t.origin, { ...access, accessKeyId: "KWAKUNKNOWN0000000000" }, "GET", { Action: "ListKeys" }))).toMatchObject({
      status: 404,
      body: { Code: "InvalidAccessKeyId.NotFound" },
    });
    const once = signedUrl(t.origin, access, "GET", { Action: "ListKeys" });
    expect((await get(once)).status).toBe(200);
    expect(await get(once)).toMatchObject({ status: 400, body: { Code: "SignatureNonceUsed" } });
    expect(await get(signedUrl(t.origin, access, "GET", { Action: "ListKeys" }, new Date(Date.now() - 16 * 60_000)))).toMatchObject({
      status: 400,
      body: { Code: "InvalidTimeStamp.Expired" },
    });
    expect(await get(signedUrl(t.origin, access, "GET", { Action: "ExportKey" }))).toMatchObject({ status: 404, body: { Code: "InvalidAction.NotFound" } });
    // Signed as POST, sent as GET: the method is part of what is signed.
    expect((await get(signedUrl(t.origin, access, "POST", { Action: "ListKeys" }))).body.Code).toBe("SignatureDoesNotMatch");
    expect((await get(`${t.origin}/?Action=ListKeys`)).body).toMatchObject({ Code: "MissingParameter", HostId: new URL(t.origin).host });
  });
});
