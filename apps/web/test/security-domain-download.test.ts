import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KeyClient } from "@azure/keyvault-keys";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUILT_IN_ROLE_IDS, newRehearsalChallenge, parseSecurityDomainFile, rehearsalProof, verifyRehearsalProof } from "@keyward/shared";
import { $Kms, expectKmsError, officialKmsClient, readAccessKey } from "./helpers/kms";
import { keyVaultHttp, type KeyVaultHttp } from "./helpers/key-vault-http";
import { decryptShare, defaultCustodians, softwareCustodian, type SoftwareCustodian } from "./helpers/security-domain";
import { startTestTarget, type TestTarget } from "./helpers/target";

/*
 * Activation by download (issue 5 §1) against the running target over HTTP: the gate before it, every
 * refusal of a custodian set (each leaving the record as it was), the file in Azure's format whose
 * shares the custodians' private keys open, and a re-download that changes who holds the domain, not
 * the domain. Then the embedded default's self-activation with development custodians.
 */

let t: TestTarget;
let kv: KeyVaultHttp;
let custodians: SoftwareCustodian[];
const options = { disableChallengeResourceVerification: true };

beforeAll(async () => {
  t = await startTestTarget({ activate: false });
  const admin = await t.principalWithRoles("sd-download-admin", [BUILT_IN_ROLE_IDS.administrator, BUILT_IN_ROLE_IDS.cryptoUser]);
  kv = keyVaultHttp(t.origin, async () => (await admin.getToken("https://managedhsm.azure.net/.default"))?.token ?? "");
  custodians = await defaultCustodians();
}, 120_000);
afterAll(async () => t?.close());

const jwks = (set: readonly SoftwareCustodian[]) => set.map((c) => c.jwk);
const record = async () => (await t.portal.target.db.query("SELECT * FROM security_domain")).rows;

/** Refused with 400 naming the problem; the record is exactly as it was. */
async function refused(body: unknown, message: RegExp): Promise<void> {
  const before = await record();
  const res = await kv("POST", "/securitydomain/download", body);
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(res.error.code).toBe("BadParameter");
  expect(res.error.message).toMatch(message);
  expect(await record()).toEqual(before);
}

describe("before the security domain is downloaded (provisioned)", () => {
  it("refuses every key operation with 403 telling the admin to download it — the official client and the KMS endpoint too", async () => {
    const created = await kv("POST", "/keys/early/create", { kty: "EC", crv: "P-256" });
    expect(created.status).toBe(403);
    expect(created.error).toMatchObject({ code: "Forbidden", inner: "SecurityDomainNotActivated", message: expect.stringMatching(/not activated.*downloads it \(POST \/securitydomain\/download/) });
    expect((await kv("GET", "/keys")).status).toBe(403);
    await expect(new KeyClient(t.origin, t.credential, options).createEcKey("early")).rejects.toMatchObject({ statusCode: 403, code: "Forbidden" });
    const kms = officialKmsClient(t.origin, readAccessKey(t.dataDir));
    const message = await expectKmsError(kms.createKey(new $Kms.CreateKeyRequest({})), "Rejected.UnsupportedOperation", 400);
    expect(message).toMatch(/not activated/);
    expect(await t.portal.target.securityDomain.state()).toBe("provisioned");
  });

  it("keeps access control, sign-in and the security-domain endpoints working", async () => {
    expect((await kv("GET", "/providers/Microsoft.Authorization/roleAssignments")).status).toBe(200);
    expect((await kv("GET", "/securitydomain/download/pending")).body).toEqual({ status: "Failed", status_details: "no security domain has been downloaded: this target is not activated" });
    expect((await kv("GET", "/securitydomain/upload/pending")).body).toMatchObject({ status: "Failed" });
  });

  it("lets only a holder of securitydomain/download/action download", async () => {
    const user = await t.principalWithRoles("sd-crypto-user", [BUILT_IN_ROLE_IDS.cryptoUser]);
    const asUser = keyVaultHttp(t.origin, async () => (await user.getToken("https://managedhsm.azure.net/.default"))?.token ?? "");
    const before = await record();
    const res = await asUser("POST", "/securitydomain/download", { certificates: jwks(custodians), required: 2 });
    expect(res.status).toBe(403);
    expect(res.error.message).toMatch(/securitydomain\/download\/action/);
    expect(await record()).toEqual(before);
  });
});

describe("custodian sets refused (nothing changes)", () => {
  it("fewer than 3 certificates", () => refused({ certificates: jwks(custodians.slice(0, 2)), required: 2 }, /2 certificates given; at least 3 are needed/));
  it("more than 10 certificates", async () => {
    const eleven = await Promise.all(Array.from({ length: 8 }, (_, i) => softwareCustodian(`Extra ${i + 1}`)));
    await refused({ certificates: jwks([...custodians, ...eleven]), required: 2 }, /11 certificates given; at most 10 are allowed/);
  });
  it("a quorum below 2", () => refused({ certificates: jwks(custodians), required: 1 }, /the quorum is 1; it must be at least 2/));
  it("a quorum above n", () => refused({ certificates: jwks(custodians), required: 4 }, /the quorum \(4\) is larger than the number of certificates \(3\)/));
  it("the same certificate twice", () =>
    refused({ certificates: jwks([custodians[0]!, custodians[1]!, custodians[0]!]), required: 2 }, /certificate 3 \(Test custodian 1\) is the same certificate as certificate 1/));
  it("a key that is not RSA", async () => {
    const ec = await softwareCustodian("EC custodian", { kind: "EC" });
    await refused({ certificates: jwks([custodians[0]!, custodians[1]!, ec]), required: 2 }, /certificate 3 \(EC custodian\) has a EC key; security-domain shares are encrypted with RSA-OAEP/);
  });
  it("an RSA-1024 key", async () => {
    const short = await softwareCustodian("Short custodian", { bits: 1024 });
    await refused({ certificates: jwks([short, custodians[1]!, custodians[2]!]), required: 2 }, /certificate 1 \(Short custodian\) has a 1024-bit RSA key; at least 2048 bits are required/);
  });
  it("every problem at once, a certificate whose fields disagree with it among them", async () => {
    const lying = { ...custodians[1]!.jwk, "x5t#S256": custodians[0]!.thumbprintSha256 };
    await refused(
      { certificates: [custodians[0]!.jwk, lying], required: 3 },
      /certificate 2 \(Test custodian 2\): x5t#S256 is not the SHA-256 thumbprint of x5c\[0\]; 2 certificates given; at least 3 are needed; the quorum \(3\) is larger/,
    );
  });
  it("a body that is not a download request", () => refused({ certificates: [{ kty: "RSA" }] }, /certificates\.0\.x5c/));

  it("a second download while one is in progress (409); once its holder's lease lapses, downloads go ahead", async () => {
    await t.portal.target.db.query("UPDATE security_domain SET lease_owner = $1, lease_until = $2", [`other-process:${randomUUID()}`, Date.now() + 60_000]);
    expect((await kv("GET", "/securitydomain/download/pending")).body).toMatchObject({ status: "InProgress" });
    const before = await record();
    const res = await kv("POST", "/securitydomain/download", { certificates: jwks(custodians), required: 2 });
    expect(res.status).toBe(409);
    expect(res.error).toMatchObject({ code: "Conflict", inner: "SecurityDomainDownloadInProgress", message: expect.stringMatching(/Another security-domain download is in progress/) });
    expect(await record()).toEqual(before);
    // The other process died: its lease lapses and the next download is not blocked by it.
    await t.portal.target.db.query("UPDATE security_domain SET lease_until = $1", [Date.now() - 1]);
    expect((await kv("GET", "/securitydomain/download/pending")).body).toMatchObject({ status: "Failed" });
  });
});

describe("download", () => {
  let firstFile: string;
  let signature: string;
  const digest = Buffer.alloc(32, 7).toString("base64url");

  it("activates the target: 202 with the file in Azure's format, shares the custodians open, status and headers as the CLI polls them", async () => {
    const res = await kv("POST", "/securitydomain/download", { certificates: jwks(custodians), required: 2 });
    expect(res.status).toBe(202);
    expect(res.headers.get("azure-asyncoperation")).toBe(`${t.origin}/securitydomain/download/pending`);
    expect(res.headers.get("retry-after")).toBe("0");
    firstFile = res.body.value as string;
    const file = parseSecurityDomainFile(firstFile);
    expect(file.SharedKeys).toMatchObject({ key_algorithm: "shamir_share", required: 2 });
    expect(file.SharedKeys.enc_shares.map((s) => s.x5t_256)).toEqual(custodians.map((c) => c.thumbprintSha256));
    expect(res.body.warnings).toEqual([{ code: "QUORUM_BELOW_RECOMMENDED", message: "a quorum of 2 is allowed, but at least 3 is recommended" }]);
    for (const c of custodians) expect((await decryptShare(firstFile, c)).length).toBe(64);
    expect((await kv("GET", "/securitydomain/download/pending")).body).toMatchObject({ status: "Success", status_details: expect.stringMatching(/quorum 2 of 3/) });

    const status = await t.portal.target.securityDomain.status();
    expect(status).toMatchObject({ state: "active", required: 2, downloadInProgress: false });
    expect(status.custodians.map((c) => c.subject)).toEqual(["Test custodian 1", "Test custodian 2", "Test custodian 3"]);
    expect(JSON.stringify(status)).not.toMatch(/rehearsalKey/);
    expect(await t.portal.target.securityDomain.latestFile()).toBe(firstFile);

    const created = await kv("POST", "/keys/after/create", { kty: "RSA", key_size: 2048, key_ops: ["sign", "verify"] });
    expect(created.status).toBe(200);
    signature = (await kv("POST", "/keys/after//sign", { alg: "RS256", value: digest })).body.value as string;
  });

  it("records a rehearsal key per custodian that checks proofs made from that custodian's share only", async () => {
    const challenge = newRehearsalChallenge();
    const proof = await rehearsalProof(await decryptShare(firstFile, custodians[1]!), challenge);
    const key = await t.portal.target.securityDomain.rehearsalKey(custodians[1]!.thumbprintSha256);
    expect(await verifyRehearsalProof(key!, challenge, proof)).toBe(true);
    const other = await t.portal.target.securityDomain.rehearsalKey(custodians[0]!.thumbprintSha256);
    expect(await verifyRehearsalProof(other!, challenge, proof)).toBe(false);
    expect(await t.portal.target.securityDomain.rehearsalKey("A".repeat(43))).toBeNull();
  });

  it("again with another certificate set (an expired one is accepted with a warning): new holders, the same domain", async () => {
    const expired = await softwareCustodian("Expired custodian", { notAfter: new Date(Date.now() - 86_400_000) });
    const others = [expired, ...(await Promise.all(["New custodian A", "New custodian B", "New custodian C"].map((n) => softwareCustodian(n))))];
    const activatedAt = (await t.portal.target.securityDomain.status()).activatedAt;
    const res = await kv("POST", "/securitydomain/download", { certificates: jwks(others), required: 3 });
    expect(res.status).toBe(202);
    expect(res.body.warnings).toEqual([
      { code: "CERTIFICATE_EXPIRED", message: expect.stringMatching(/^certificate 1 \(Expired custodian\) expired on \d{4}-\d\d-\d\d/), certificate: 0 },
    ]);
    const second = res.body.value as string;
    expect(parseSecurityDomainFile(second).SharedKeys.enc_shares.map((s) => s.x5t_256)).toEqual(others.map((c) => c.thumbprintSha256));
    const status = await t.portal.target.securityDomain.status();
    expect(status).toMatchObject({ required: 3, activatedAt });
    expect(status.custodians.map((c) => c.subject)).toEqual(others.map((c) => c.name));
    // The old holders' rehearsal keys are gone with them.
    expect(await t.portal.target.securityDomain.rehearsalKey(custodians[0]!.thumbprintSha256)).toBeNull();
    // The domain is unchanged: keys made before still work (that both files restore this very domain is the restore test's).
    expect((await kv("POST", "/keys/after//verify", { alg: "RS256", digest, value: signature })).body.value).toBe(true);
    expect(parseSecurityDomainFile(second).EncData.data.map((d) => d.tag)).toEqual(parseSecurityDomainFile(firstFile).EncData.data.map((d) => d.tag));
  });
});

describe("the embedded default's development custodians (KEYWARD_SD_DEV_CUSTODIANS)", () => {
  it("activate a provisioned target with m = 2, write its file 0600 and say loudly it is not for production; a restart leaves it be", async () => {
    const dir = mkdtempSync(join(tmpdir(), "keyward-dev-custodians-"));
    for (const [i, c] of custodians.entries()) {
      mkdirSync(join(dir, `custodian-${i + 1}`));
      writeFileSync(join(dir, `custodian-${i + 1}`, "custodian.pem"), c.pem);
    }
    mkdirSync(join(dir, "not-a-custodian"));
    const dev = await startTestTarget({ devCustodians: dir, activate: false });
    try {
      expect(await dev.portal.target.securityDomain.state()).toBe("active");
      expect(dev.portal.target.devActivation?.notice).toMatch(/DEVELOPMENT custodians.*local SoftHSM2 tokens.*NOT FOR PRODUCTION/);
      const path = join(dev.dataDir, "security-domain.json");
      expect(statSync(path).mode & 0o777).toBe(0o600);
      const file = parseSecurityDomainFile(readFileSync(path, "utf8"));
      expect(file.SharedKeys.required).toBe(2);
      expect(file.SharedKeys.enc_shares.map((s) => s.x5t_256)).toEqual(custodians.map((c) => c.thumbprintSha256));
      const downloadedAt = (await dev.portal.target.securityDomain.status()).downloadedAt;
      await dev.close();
      const again = await startTestTarget({ devCustodians: dir, dataDir: dev.dataDir, activate: false });
      expect(again.portal.target.devActivation?.notice).toBeUndefined();
      expect((await again.portal.target.securityDomain.status()).downloadedAt).toBe(downloadedAt);
      await again.close();
    } finally {
      await dev.close().catch(() => undefined);
    }
  });
});
