import { existsSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUILT_IN_ROLE_IDS, createSecurityDomain, serializeSecurityDomainFile, type ExchangeKey } from "@keyward/shared";
import { exchangeKeyFromTransferKey } from "@keyward/shared";
import { $Kms, expectKmsError, officialKmsClient, readAccessKey } from "./helpers/kms";
import { keyVaultHttp, type KeyVaultHttp } from "./helpers/key-vault-http";
import { defaultCustodians, restoreBlobFor, type SoftwareCustodian } from "./helpers/security-domain";
import { startTestTarget, type TestTarget } from "./helpers/target";

/*
 * A wiped target (its domain key file gone, database and data kept) restored over HTTP as the Azure CLI
 * does it: the exchange key from GET /securitydomain/upload, a restore blob made from two of the three
 * custodians' shares, POST /securitydomain/upload — and every key works again, equal to before, in the
 * same process. Blobs of another domain, tampered or made for an older exchange key are refused, and the
 * target goes on awaiting its restore.
 */

let t: TestTarget;
let kv: KeyVaultHttp;
let custodians: SoftwareCustodian[];
let file: string;
let credential: Awaited<ReturnType<TestTarget["principalWithRoles"]>>;
const digest = Buffer.alloc(32, 9).toString("base64url");
const before: { signature?: string; ciphertext?: string; n?: string; kmsBlob?: string; fingerprint?: string } = {};

let admins = 0;
/** A fresh administrator on the (re)started target: tokens come from its issuer at its new origin. */
const connect = async () => {
  admins += 1;
  credential = await t.principalWithRoles(`sd-restore-admin-${admins}`, [BUILT_IN_ROLE_IDS.administrator, BUILT_IN_ROLE_IDS.cryptoUser]);
  kv = keyVaultHttp(t.origin, async () => (await credential.getToken("https://managedhsm.azure.net/.default"))?.token ?? "");
};
const kms = () => officialKmsClient(t.origin, readAccessKey(t.dataDir));
const keyFile = () => join(t.dataDir, "domain-key.json");

async function exchangeKey(): Promise<ExchangeKey> {
  const res = await kv("GET", "/securitydomain/upload");
  expect(res.status).toBe(200);
  expect(res.body.key_format).toBe("jwk");
  expect(typeof res.body.transfer_key).toBe("string");
  return exchangeKeyFromTransferKey(res.body);
}

/** Refused with 400 in these words; the target still awaits its restore and has written no key file. */
async function refusedUpload(value: string, message: RegExp): Promise<void> {
  const res = await kv("POST", "/securitydomain/upload", { value });
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(res.error.message).toMatch(message);
  expect(await t.portal.target.securityDomain.state()).toBe("awaiting-restore");
  expect(existsSync(keyFile())).toBe(false);
  expect((await kv("GET", "/keys/signer")).error.inner).toBe("SecurityDomainRestoreRequired");
  expect((await kv("GET", "/securitydomain/upload/pending")).body).toEqual({ status: "Failed", status_details: res.error.message });
}

beforeAll(async () => {
  t = await startTestTarget({ activate: false });
  await connect();
  custodians = await defaultCustodians();
  const download = await kv("POST", "/securitydomain/download", { certificates: custodians.map((c) => c.jwk), required: 2 });
  expect(download.status).toBe(202);
  file = download.body.value as string;
  before.fingerprint = (await t.portal.target.securityDomain.status()).fingerprint;

  const rsa = await kv("POST", "/keys/signer/create", { kty: "RSA", key_size: 2048, key_ops: ["sign", "verify"] });
  before.n = (rsa.body.key as { n: string }).n;
  before.signature = (await kv("POST", "/keys/signer//sign", { alg: "RS256", value: digest })).body.value as string;
  await kv("POST", "/keys/sealer/create", { kty: "oct-HSM", key_size: 256, key_ops: ["encrypt", "decrypt"] });
  before.ciphertext = JSON.stringify((await kv("POST", "/keys/sealer//encrypt", { alg: "A256GCM", value: Buffer.from("before the wipe").toString("base64url") })).body);
  const kmsKeyId = (await kms().createKey(new $Kms.CreateKeyRequest({}))).keyMetadata.keyId;
  before.kmsBlob = (await kms().encrypt(new $Kms.EncryptRequest({ keyId: kmsKeyId, plaintext: "kms before the wipe" }))).ciphertextBlob;
}, 120_000);
afterAll(async () => t?.close());

describe("restore", () => {
  let oldExchangeKey: ExchangeKey;

  it("an active target takes a blob of its own domain as a no-op, and the exchange key used is then retired", async () => {
    oldExchangeKey = await exchangeKey();
    const res = await kv("POST", "/securitydomain/upload", { value: await restoreBlobFor(file, [custodians[0]!, custodians[1]!], oldExchangeKey) });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: "Success" });
    expect(res.headers.get("azure-asyncoperation")).toBe(`${t.origin}/securitydomain/upload/pending`);
    expect((await exchangeKey()).thumbprintSha256).not.toBe(oldExchangeKey.thumbprintSha256);
  });

  it("after a wipe (key file gone, restarted on the same data and database) key operations are refused and no key is made", async () => {
    await t.close();
    rmSync(join(t.dataDir, "domain-key.json"));
    t = await startTestTarget({ dataDir: t.dataDir });
    await connect();
    expect(await t.portal.target.securityDomain.state()).toBe("awaiting-restore");
    expect(existsSync(keyFile())).toBe(false);
    const read = await kv("GET", "/keys/signer");
    expect(read.status).toBe(403);
    expect(read.error).toMatchObject({ code: "Forbidden", inner: "SecurityDomainRestoreRequired", message: expect.stringContaining(before.fingerprint!) });
    await expectKmsError(kms().decrypt(new $Kms.DecryptRequest({ ciphertextBlob: before.kmsBlob })), "Rejected.UnsupportedOperation", 400);
    const download = await kv("POST", "/securitydomain/download", { certificates: custodians.map((c) => c.jwk), required: 2 });
    expect(download.error.inner).toBe("SecurityDomainRestoreRequired");
    // Access control and the security-domain endpoints still answer.
    expect((await kv("GET", "/providers/Microsoft.Authorization/roleAssignments")).status).toBe(200);
    expect((await kv("GET", "/securitydomain/download/pending")).body).toMatchObject({ status: "Success" });
  });

  it("refuses a blob of another security domain", async () => {
    const other = await createSecurityDomain({
      secret: new Uint8Array(32).fill(3),
      recipients: custodians.map((c) => ({ publicJwk: { kty: "RSA", n: c.jwk.n ?? "", e: c.jwk.e ?? "" }, thumbprintSha256: c.thumbprintSha256 })),
      required: 2,
    });
    const blob = await restoreBlobFor(serializeSecurityDomainFile(other.file), [custodians[0]!, custodians[2]!], await exchangeKey());
    await refusedUpload(blob, new RegExp(`is of security domain [0-9a-f]{32}, but this target's keys are encrypted under security domain ${before.fingerprint}`));
  });

  it("refuses a tampered blob", async () => {
    const blob = JSON.parse(await restoreBlobFor(file, [custodians[0]!, custodians[2]!], await exchangeKey())) as { EncData: { data: { compact_jwe: string }[] } };
    const item = blob.EncData.data[0]!;
    const parts = item.compact_jwe.split(".");
    const ciphertext = Buffer.from(parts[3]!, "base64url");
    ciphertext[0] = (ciphertext[0] ?? 0) ^ 1;
    parts[3] = ciphertext.toString("base64url");
    item.compact_jwe = parts.join(".");
    await refusedUpload(JSON.stringify(blob), /item "keyward_domain_key" does not open: the blob was altered/);
  });

  it("refuses a blob made for an older exchange key, and what is no restore blob at all", async () => {
    await refusedUpload(await restoreBlobFor(file, [custodians[1]!, custodians[2]!], oldExchangeKey), /made for another exchange key/);
    await refusedUpload("{\"EncData\":{}}", /The security domain was not restored: the restore blob is not one/);
  });

  it("restores from two custodians' shares: every key is back and equal, in the same process, and the key file is whole (0600)", async () => {
    const res = await kv("POST", "/securitydomain/upload", { value: await restoreBlobFor(file, [custodians[0]!, custodians[2]!], await exchangeKey()) });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body).toMatchObject({ status: "Success", status_details: expect.stringContaining(before.fingerprint!) });
    expect(await t.portal.target.securityDomain.state()).toBe("active");
    expect(statSync(keyFile()).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(keyFile(), "utf8"))).toMatchObject({ fingerprint: before.fingerprint, sealer: "key-file" });
    expect((await kv("GET", "/securitydomain/upload/pending")).body).toMatchObject({ status: "Success" });

    expect(((await kv("GET", "/keys/signer")).body.key as { n: string }).n).toBe(before.n);
    expect((await kv("POST", "/keys/signer//verify", { alg: "RS256", digest, value: before.signature })).body.value).toBe(true);
    const again = (await kv("POST", "/keys/signer//sign", { alg: "RS256", value: digest })).body.value;
    expect(again).toBe(before.signature);
    const sealed = JSON.parse(before.ciphertext!) as Record<string, unknown>;
    const opened = await kv("POST", "/keys/sealer//decrypt", { alg: "A256GCM", value: sealed.value, iv: sealed.iv, tag: sealed.tag });
    expect(Buffer.from(opened.body.value as string, "base64url").toString()).toBe("before the wipe");
    const kmsOpened = await kms().decrypt(new $Kms.DecryptRequest({ ciphertextBlob: before.kmsBlob }));
    expect(kmsOpened.plaintext).toBe("kms before the wipe");
  });

  it("the second download's file (another custodian set) restores the same domain too", async () => {
    const others = custodians.slice().reverse();
    const second = await kv("POST", "/securitydomain/download", { certificates: others.map((c) => c.jwk), required: 3 });
    expect(second.status).toBe(202);
    await t.close();
    rmSync(join(t.dataDir, "domain-key.json"));
    t = await startTestTarget({ dataDir: t.dataDir });
    await connect();
    const res = await kv("POST", "/securitydomain/upload", { value: await restoreBlobFor(second.body.value as string, others, await exchangeKey()) });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect((await kv("POST", "/keys/signer//verify", { alg: "RS256", digest, value: before.signature })).body.value).toBe(true);
  });
});
