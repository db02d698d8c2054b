import { createHash, generateKeyPairSync, randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createSecurityDomain,
  DOMAIN_SECRET_TAG,
  encryptToRsaJwe,
  openRestoreBlob,
  parseRestoreBlob,
  serializeSecurityDomainFile,
  shareFor,
  unwrapWithPrivateKey,
  verifyRehearsalProof,
  type CustodianKeyResult,
  type NewSecurityDomain,
  type ResultClaims,
  type RsaPublicJwk,
} from "@keyward/shared";
import { startTestBridge, type TestBridge } from "./helpers/bridge.js";

/**
 * The security domain across bridges, each on its own SoftHSM2 token: three custodians, each holding
 * one share's key, and a recovery bridge where re-encrypted shares meet. Only the test (playing the
 * target) ever sees the domain secret.
 */

const APPROVED_BY = { oid: "00000000-0000-0000-0000-0000000000a1", name: "Alice Example" };
const logLines: string[] = [];
const custodians: { bridge: TestBridge; cert: CustodianKeyResult }[] = [];
let recovery: TestBridge;
let recoveryKey: RsaPublicJwk;
const secret = randomBytes(32);
let domain: NewSecurityDomain;
let fileText: string;
/** Another domain (m = 3) to the same certificates: its shares must not mix with the first's. */
let other: NewSecurityDomain;

const b64u = (b: Uint8Array) => Buffer.from(b).toString("base64url");

function expectRefused(r: ResultClaims, code: string, message?: RegExp) {
  expect(r.ok).toBe(false);
  if (r.ok) return;
  expect(r.error.code).toBe(code);
  if (message) expect(r.error.message).toMatch(message);
}

type OkResult<T> = Extract<ResultClaims, { ok: true; type: T }>["result"];

function ok<T extends ResultClaims["type"]>(r: ResultClaims, type: T): OkResult<T> {
  if (!r.ok || r.type !== type) throw new Error(JSON.stringify(r));
  return r.result as OkResult<T>;
}

/** A software exchange key, as the target holds it. */
async function exchangeKey() {
  const pair = await crypto.subtle.generateKey({ name: "RSA-OAEP", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, true, ["encrypt", "decrypt"]);
  const jwk = await crypto.subtle.exportKey("jwk", pair.publicKey);
  const publicJwk = { kty: "RSA" as const, n: jwk.n ?? "", e: jwk.e ?? "" };
  return { publicJwk, thumbprintSha256: createHash("sha256").update(publicJwk.n).digest("base64url"), unwrap: unwrapWithPrivateKey(pair.privateKey) };
}

const custodian = (i: number) => custodians[i] as (typeof custodians)[number];
const encShare = (d: NewSecurityDomain, i: number) => shareFor(d.file, custodian(i).cert.thumbprintSha256);

async function reencrypt(i: number, d: NewSecurityDomain, recipient = recoveryKey) {
  const r = await custodian(i).bridge.run({ type: "sd.share.reencrypt", key: "custodian", encShare: encShare(d, i), recipient, recoveryId: "rec_test", approvedBy: APPROVED_BY });
  return ok(r, "sd.share.reencrypt");
}

beforeAll(async () => {
  const log = pino({ level: "info" }, new Writable({ write: (chunk: Buffer, _enc, done) => done(void logLines.push(chunk.toString())) }));
  for (let i = 1; i <= 3; i++) {
    const bridge = await startTestBridge({ bridgeId: `custodian-${i}`, log });
    const r = await bridge.run({ type: "custodian.createKey", label: "custodian", commonName: `Custodian ${i}`, size: 2048, validityDays: 365 });
    custodians.push({ bridge, cert: ok(r, "custodian.createKey") });
  }
  recovery = await startTestBridge({ bridgeId: "recovery" });
  const recipients = custodians.map(({ cert }) => ({ publicJwk: cert.publicJwk, thumbprintSha256: cert.thumbprintSha256 }));
  domain = await createSecurityDomain({ secret, recipients, required: 2 });
  other = await createSecurityDomain({ secret: randomBytes(32), recipients, required: 3 });
  fileText = serializeSecurityDomainFile(domain.file);
});
afterAll(() => {
  for (const c of custodians) c.bridge.bridge.close();
  recovery?.bridge.close();
});

describe("sd.share.rehearse", () => {
  it("each custodian's proof verifies with the recorded rehearsal key, and only for its challenge", async () => {
    for (let i = 0; i < 3; i++) {
      const challenge = randomBytes(32);
      const r = await custodian(i).bridge.run({ type: "sd.share.rehearse", key: "custodian", encShare: encShare(domain, i), challenge: b64u(challenge), approvedBy: APPROVED_BY });
      const { proof, shareNumber } = ok(r, "sd.share.rehearse");
      const recorded = domain.shares[i];
      expect(shareNumber).toBe(recorded?.shareNumber);
      expect(await verifyRehearsalProof(recorded!.rehearsalKey, challenge, Buffer.from(proof, "base64url"))).toBe(true);
      expect(await verifyRehearsalProof(recorded!.rehearsalKey, randomBytes(32), Buffer.from(proof, "base64url"))).toBe(false);
      // Another custodian's rehearsal key does not accept it either.
      expect(await verifyRehearsalProof(domain.shares[(i + 1) % 3]!.rehearsalKey, challenge, Buffer.from(proof, "base64url"))).toBe(false);
    }
  });

  it("refuses a share encrypted to another custodian's certificate with SHARE_INVALID", async () => {
    const r = await custodian(0).bridge.run({ type: "sd.share.rehearse", key: "custodian", encShare: encShare(domain, 1), challenge: b64u(randomBytes(32)), approvedBy: APPROVED_BY });
    expectRefused(r, "SHARE_INVALID", /^the share does not open with custodian key "custodian": it was encrypted to another certificate, or altered$/);
  });

  it("refuses an altered share — its RSA block or its ciphertext — with one and the same refusal", async () => {
    const parts = encShare(domain, 0).split(".");
    const flip = (s: string, at: number) => s.slice(0, at) + (s[at] === "A" ? "B" : "A") + s.slice(at + 1);
    const alteredKey = [parts[0], flip(parts[1]!, 10), ...parts.slice(2)].join(".");
    const alteredText = [...parts.slice(0, 3), flip(parts[3]!, 5), parts[4]].join(".");
    const messages = [];
    for (const jwe of [alteredKey, alteredText]) {
      const r = await custodian(0).bridge.run({ type: "sd.share.rehearse", key: "custodian", encShare: jwe, challenge: b64u(randomBytes(32)), approvedBy: APPROVED_BY });
      expectRefused(r, "SHARE_INVALID");
      messages.push(!r.ok && r.error.message);
    }
    expect(messages[0]).toBe(messages[1]);
  });

  it("refuses a JWE of another form, and a JWE that opens but holds no share", async () => {
    const [, ...rest] = encShare(domain, 0).split(".");
    const header = b64u(Buffer.from(JSON.stringify({ alg: "RSA-OAEP", enc: "A256GCM" })));
    const wrongForm = await custodian(0).bridge.run({ type: "sd.share.rehearse", key: "custodian", encShare: [header, ...rest].join("."), challenge: b64u(randomBytes(32)), approvedBy: APPROVED_BY });
    expectRefused(wrongForm, "SHARE_INVALID", /not a security-domain share: expected a RSA-OAEP-256 \/ A256CBC-HS512 JWE; got "RSA-OAEP" \/ "A256GCM"/);
    const notAShare = await encryptToRsaJwe(custodian(0).cert.publicJwk, Buffer.from("not a share at all"));
    const r = await custodian(0).bridge.run({ type: "sd.share.rehearse", key: "custodian", encShare: notAShare, challenge: b64u(randomBytes(32)), approvedBy: APPROVED_BY });
    expectRefused(r, "SHARE_INVALID", /opened with custodian key "custodian" but is not a well-formed share/);
  });

  it("refuses a key that is not a custodian key with UNKNOWN_TARGET", async () => {
    const r = await custodian(0).bridge.run({ type: "sd.share.rehearse", key: "nobody", encShare: encShare(domain, 0), challenge: b64u(randomBytes(32)), approvedBy: APPROVED_BY });
    expectRefused(r, "UNKNOWN_TARGET", /no custodian key labelled "nobody"/);
  });
});

describe("recovery across bridges", () => {
  it("sd.recovery.begin makes an RSA-3072 key once, and answers it again (also after a restart)", async () => {
    const first = ok(await recovery.run({ type: "sd.recovery.begin", label: "recovery-1" }), "sd.recovery.begin");
    expect(first.created).toBe(true);
    expect(Buffer.from(first.publicJwk.n, "base64url").length * 8).toBe(3072);
    recoveryKey = first.publicJwk;
    const again = ok(await recovery.run({ type: "sd.recovery.begin", label: "recovery-1" }), "sd.recovery.begin");
    expect(again).toEqual({ ...first, created: false });
    await recovery.reopen();
    const afterRestart = ok(await recovery.run({ type: "sd.recovery.begin", label: "recovery-1" }), "sd.recovery.begin");
    expect(afterRestart).toEqual({ ...first, created: false });
    const listed = ok(await recovery.run({ type: "key.list" }), "key.list").keys.find((k) => k.label === "recovery-1");
    expect(listed).toMatchObject({ extractable: false, sensitive: true, spec: { kty: "RSA", size: 3072 } });
  });

  it("m custodians re-encrypt to the recovery key; the recovery bridge combines them into a restore blob only the target opens", async () => {
    const shares = [await reencrypt(0, domain), await reencrypt(2, domain)];
    expect(shares.map((s) => s.shareNumber)).toEqual([domain.shares[0]?.shareNumber, domain.shares[2]?.shareNumber]);
    const target = await exchangeKey();
    const r = ok(
      await recovery.run({ type: "sd.recovery.combine", label: "recovery-1", securityDomain: fileText, shares: shares.map((s) => s.encShare), exchangeKey: { publicJwk: target.publicJwk, thumbprintSha256: target.thumbprintSha256 } }),
      "sd.recovery.combine",
    );
    expect(r.sha256).toBe(createHash("sha256").update(r.restoreBlob).digest("hex"));
    const opened = await openRestoreBlob(parseRestoreBlob(r.restoreBlob), target.thumbprintSha256, target.unwrap);
    expect(Buffer.from(opened.get(DOMAIN_SECRET_TAG) ?? []).equals(secret)).toBe(true);
    // Neither the secret nor anything derived in the clear is in the blob.
    expect(r.restoreBlob).not.toContain(secret.toString("base64url"));
  });

  it("logs who approved the re-encryption and for which recovery, and no share", () => {
    const line = logLines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.event === "share_reencrypted");
    expect(line).toMatchObject({ key: "custodian", recoveryId: "rec_test", approvedBy: APPROVED_BY });
    const all = logLines.join("\n");
    for (let i = 0; i < 3; i++) expect(all).not.toContain(encShare(domain, i).split(".")[1]);
  });

  it("all three shares combine too", async () => {
    const shares = [await reencrypt(1, domain), await reencrypt(0, domain), await reencrypt(2, domain)];
    const target = await exchangeKey();
    const r = await recovery.run({ type: "sd.recovery.combine", label: "recovery-1", securityDomain: fileText, shares: shares.map((s) => s.encShare), exchangeKey: { publicJwk: target.publicJwk, thumbprintSha256: target.thumbprintSha256 } });
    const opened = await openRestoreBlob(parseRestoreBlob(ok(r, "sd.recovery.combine").restoreBlob), target.thumbprintSha256, target.unwrap);
    expect(Buffer.from(opened.get(DOMAIN_SECRET_TAG) ?? []).equals(secret)).toBe(true);
  });

  describe("refusals", () => {
    let target: Awaited<ReturnType<typeof exchangeKey>>;
    let exchange: { publicJwk: RsaPublicJwk; thumbprintSha256: string };
    beforeAll(async () => {
      target = await exchangeKey();
      exchange = { publicJwk: target.publicJwk, thumbprintSha256: target.thumbprintSha256 };
    });
    const combine = (shares: string[], securityDomain = fileText, label = "recovery-1") => recovery.run({ type: "sd.recovery.combine", label, securityDomain, shares, exchangeKey: exchange });

    it("a share of another domain: WRONG_DOMAIN", async () => {
      const mixed = [(await reencrypt(0, domain)).encShare, (await reencrypt(1, other)).encShare];
      expectRefused(await combine(mixed), "WRONG_DOMAIN", /another domain|different splits/);
    });

    it("fewer shares than the domain requires: INVALID_COMMAND", async () => {
      const two = [(await reencrypt(0, other)).encShare, (await reencrypt(1, other)).encShare];
      expectRefused(await combine(two, serializeSecurityDomainFile(other.file)), "INVALID_COMMAND", /needs 3 shares; 2 given/);
    });

    it("the same share twice: INVALID_COMMAND", async () => {
      const one = (await reencrypt(0, domain)).encShare;
      expectRefused(await combine([one, one]), "INVALID_COMMAND", /both share number/);
    });

    it("a malformed security-domain file: INVALID_COMMAND", async () => {
      const shares = [(await reencrypt(0, domain)).encShare, (await reencrypt(1, domain)).encShare];
      expectRefused(await combine(shares, "{}"), "INVALID_COMMAND", /^the security-domain file: /);
      expectRefused(await combine(shares, "not json"), "INVALID_COMMAND", /not JSON/);
    });

    it("a share not re-encrypted to the recovery key: SHARE_INVALID naming it", async () => {
      const shares = [(await reencrypt(0, domain)).encShare, encShare(domain, 1)];
      expectRefused(await combine(shares), "SHARE_INVALID", /^share 2 does not open with the recovery key "recovery-1"/);
    });

    it("a weak exchange key or recipient: INVALID_COMMAND", async () => {
      const jwk = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ format: "jwk" });
      const publicJwk = { kty: "RSA" as const, n: jwk.n ?? "", e: jwk.e ?? "" };
      const r = await recovery.run({ type: "sd.recovery.combine", label: "recovery-1", securityDomain: fileText, shares: [encShare(domain, 0), encShare(domain, 1)], exchangeKey: { ...exchange, publicJwk } });
      expectRefused(r, "INVALID_COMMAND", /the exchange key is RSA-1024/);
      const re = await custodian(0).bridge.run({ type: "sd.share.reencrypt", key: "custodian", encShare: encShare(domain, 0), recipient: publicJwk, recoveryId: "rec_test", approvedBy: APPROVED_BY });
      expectRefused(re, "INVALID_COMMAND", /the recipient .* is RSA-1024/);
    });

    it("a recovery label that was never begun: UNKNOWN_TARGET", async () => {
      expectRefused(await combine([encShare(domain, 0), encShare(domain, 1)], fileText, "recovery-none"), "UNKNOWN_TARGET", /no recovery key labelled "recovery-none"/);
    });

    it("begin and end never take over or destroy a key that is not a recovery key", async () => {
      ok(await recovery.run({ type: "key.generate", label: "byok-1", key: { kty: "RSA", size: 2048 } }), "key.generate");
      expectRefused(await recovery.run({ type: "sd.recovery.begin", label: "byok-1" }), "LABEL_EXISTS", /not a recovery key/);
      expectRefused(await recovery.run({ type: "sd.recovery.end", label: "byok-1" }), "UNKNOWN_TARGET", /not a recovery key; it was left alone/);
      const keys = ok(await recovery.run({ type: "key.list" }), "key.list").keys;
      expect(keys.filter((k) => k.label === "byok-1")).toHaveLength(1);
    });
  });

  it("sd.recovery.end destroys the pair; a second end is fine; the key is gone", async () => {
    expect(ok(await recovery.run({ type: "sd.recovery.end", label: "recovery-1" }), "sd.recovery.end")).toEqual({ destroyed: true });
    expect(ok(await recovery.run({ type: "sd.recovery.end", label: "recovery-1" }), "sd.recovery.end")).toEqual({ destroyed: false });
    const keys = ok(await recovery.run({ type: "key.list" }), "key.list").keys;
    expect(keys.map((k) => k.label)).not.toContain("recovery-1");
    const target = await exchangeKey();
    const r = await recovery.run({ type: "sd.recovery.combine", label: "recovery-1", securityDomain: fileText, shares: [encShare(domain, 0), encShare(domain, 1)], exchangeKey: { publicJwk: target.publicJwk, thumbprintSha256: target.thumbprintSha256 } });
    expectRefused(r, "UNKNOWN_TARGET");
  });
});
