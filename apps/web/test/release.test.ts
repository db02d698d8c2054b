import { constants, createDecipheriv, createPrivateKey, createPublicKey, generateKeyPairSync, privateDecrypt } from "node:crypto";
import { encodeReleasePolicy, type ReleasePolicy } from "@keyward/shared";
import { SignJWT, base64url, decodeJwt, exportJWK, generateKeyPair, importJWK, jwtVerify, type CryptoKey, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestTarget, type TestTarget } from "./helpers/target";

// The attestation authority is the one part faked here: a real one (Microsoft Azure Attestation) cannot run on this machine.
const AUTHORITY = "https://attest.keyward.test";
let authorityKey: CryptoKey;
let authorityJwk: JWK;
let t: TestTarget;
let auth: Record<string, string>;
const runtime = generateKeyPairSync("rsa", { modulusLength: 2048 });
const runtimeJwk = runtime.publicKey.export({ format: "jwk" });

const policy: ReleasePolicy = { version: "1.0.0", anyOf: [{ authority: AUTHORITY, allOf: [{ claim: "x-ms-attestation-type", equals: "sevsnpvm" }] }] };

async function attestation(claims: Record<string, unknown>, key: CryptoKey = authorityKey, iss = AUTHORITY): Promise<string> {
  return new SignJWT({ "x-ms-runtime": { keys: [{ kid: "TpmEphemeralEncryptionKey", kty: "RSA", key_ops: ["encrypt"], n: runtimeJwk.n, e: runtimeJwk.e }] }, ...claims })
    .setProtectedHeader({ alg: "RS256", kid: authorityJwk.kid ?? "a" })
    .setIssuer(iss)
    .setIssuedAt()
    .setExpirationTime("5m")
    .sign(key);
}

const call = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${t.origin}${path}?api-version=7.6`, { method, headers: auth, ...(body ? { body: JSON.stringify(body) } : {}) });
  return { status: res.status, body: (await res.json()) as { value?: string; error?: { code: string; message: string; innererror?: { code: string } }; key?: { x: string; y: string } } };
};

beforeAll(async () => {
  const pair = await generateKeyPair("RS256", { extractable: true });
  authorityKey = pair.privateKey;
  authorityJwk = { ...(await exportJWK(pair.publicKey)), kid: "authority-1", alg: "RS256" };
  t = await startTestTarget({ attestation: { authorities: [{ issuer: AUTHORITY, jwks: { keys: [authorityJwk as Record<string, unknown>] } }] } });
  auth = { authorization: `Bearer ${await t.token()}`, "content-type": "application/json" };
  const created = await call("POST", "/keys/releasable/create", { kty: "EC-HSM", crv: "P-256", attributes: { exportable: true }, release_policy: encodeReleasePolicy(policy) });
  expect(created.status).toBe(200);
  await call("POST", "/keys/kept/create", { kty: "EC-HSM", crv: "P-256" });
});
afterAll(() => t?.close());

describe("secure key release", () => {
  it("releases an exportable key wrapped for the attested runtime key, in a signed response", async () => {
    const r = await call("POST", "/keys/releasable//release", { target: await attestation({ "x-ms-attestation-type": "sevsnpvm" }), enc: "RSA_AES_KEY_WRAP_256" });
    expect(r.status).toBe(200);
    const signer = t.portal.target.ctx.release.signer.publicJwk;
    const { payload } = await jwtVerify(r.body.value!, await importJWK(signer, "RS256"));
    const released = (payload as { response: { key: { key: { key_hsm: string; x: string; y: string } } } }).response.key.key;
    const blob = JSON.parse(Buffer.from(base64url.decode(released.key_hsm)).toString()) as { header: { kid: string; enc: string }; ciphertext: string };
    expect(blob.header).toEqual({ kid: "TpmEphemeralEncryptionKey", alg: "dir", enc: "RSA_AES_KEY_WRAP_256" });
    // Opened the way an attested VM would: RSA-OAEP-SHA256 for the AES key, then RFC 5649.
    const ciphertext = Buffer.from(base64url.decode(blob.ciphertext));
    const aes = privateDecrypt({ key: runtime.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" }, ciphertext.subarray(0, 256));
    const kwp = createDecipheriv("id-aes256-wrap-pad", aes, Buffer.from("A65959A6", "hex"));
    const pkcs8 = Buffer.concat([kwp.update(ciphertext.subarray(256)), kwp.final()]);
    const pub = createPublicKey(createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" })).export({ format: "jwk" });
    expect({ x: pub.x, y: pub.y }).toEqual({ x: released.x, y: released.y });
  });

  it("refuses an attestation that does not satisfy the policy", async () => {
    const r = await call("POST", "/keys/releasable//release", { target: await attestation({ "x-ms-attestation-type": "tdxvm" }) });
    expect(r.status).toBe(403);
    expect(r.body.error?.innererror?.code).toBe("ReleasePolicyNotSatisfied");
  });

  it("refuses an attestation from an authority the target does not trust, or with a forged signature", async () => {
    const other = (await generateKeyPair("RS256")).privateKey;
    for (const token of [await attestation({ "x-ms-attestation-type": "sevsnpvm" }, other), await attestation({ "x-ms-attestation-type": "sevsnpvm" }, other, "https://evil.example")]) {
      const r = await call("POST", "/keys/releasable//release", { target: token });
      expect(r.status).toBe(403);
      expect(r.body.error?.innererror?.code).toBe("AttestationInvalid");
    }
    expect(decodeJwt(await attestation({})).iss).toBe(AUTHORITY);
  });

  it("refuses to release a key that is not exportable", async () => {
    const r = await call("POST", "/keys/kept//release", { target: await attestation({ "x-ms-attestation-type": "sevsnpvm" }) });
    expect(r.status).toBe(403);
    expect(r.body.error?.innererror?.code).toBe("KeyNotExportable");
  });

  it("refuses to change an immutable release policy", async () => {
    const created = await call("POST", "/keys/frozen/create", { kty: "EC-HSM", crv: "P-256", attributes: { exportable: true }, release_policy: encodeReleasePolicy(policy, { immutable: true }) });
    expect(created.status).toBe(200);
    const looser: ReleasePolicy = { version: "1.0.0", anyOf: [{ authority: AUTHORITY, anyOf: [{ claim: "x-ms-attestation-type", equals: "tdxvm" }] }] };
    const r = await call("PATCH", "/keys/frozen/", { release_policy: encodeReleasePolicy(looser) });
    expect(r.status).toBe(400);
    expect(r.body.error?.innererror?.code).toBe("ReleasePolicyImmutable");
    expect(r.body.error?.message).toMatch(/immutable/);
  });
});
