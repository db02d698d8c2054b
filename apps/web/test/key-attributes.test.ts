import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestTarget, type TestTarget } from "./helpers/target";

let t: TestTarget;
let auth: Record<string, string>;
const digest = createHash("sha256").update("x").digest("base64url");

beforeAll(async () => {
  t = await startTestTarget();
  auth = { authorization: `Bearer ${await t.token()}`, "content-type": "application/json" };
});
afterAll(() => t?.close());

const call = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${t.origin}${path}?api-version=7.6`, { method, headers: auth, ...(body ? { body: JSON.stringify(body) } : {}) });
  return { status: res.status, body: (await res.json().catch(() => null)) as { error?: { code: string; message: string; innererror?: { code: string } }; value?: unknown } };
};

describe("attributes gate operations on the server side", () => {
  it("a key disabled through PATCH refuses to sign at once, and signs again when re-enabled", async () => {
    await call("POST", "/keys/gate/create", { kty: "EC", crv: "P-256" });
    expect((await call("POST", "/keys/gate//sign", { alg: "ES256", value: digest })).status).toBe(200);
    expect((await call("PATCH", "/keys/gate/", { attributes: { enabled: false } })).status).toBe(200);
    const refused = await call("POST", "/keys/gate//sign", { alg: "ES256", value: digest });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: "Forbidden", innererror: { code: "KeyDisabled" } });
    await call("PATCH", "/keys/gate/", { attributes: { enabled: true } });
    expect((await call("POST", "/keys/gate//sign", { alg: "ES256", value: digest })).status).toBe(200);
  });

  it("outside nbf/exp only decrypt, unwrapKey and verify still work", async () => {
    const created = await call("POST", "/keys/expired-rsa/create", { kty: "RSA", key_size: 2048, attributes: { nbf: 1_000_000_000, exp: 1_000_000_100 } });
    expect(created.status).toBe(200);
    const enc = await call("POST", "/keys/expired-rsa//encrypt", { alg: "RSA-OAEP-256", value: "AAAA" });
    expect(enc.status).toBe(403);
    expect(enc.body.error?.innererror?.code).toBe("KeyNotValid");
    expect((await call("POST", "/keys/expired-rsa//sign", { alg: "RS256", value: digest })).status).toBe(403);
    const verify = await call("POST", "/keys/expired-rsa//verify", { alg: "RS256", digest, value: Buffer.alloc(256).toString("base64url") });
    expect(verify.status).toBe(200);
    expect(verify.body.value).toBe(false);
  });

  it("refuses an operation the key_ops do not permit", async () => {
    await call("POST", "/keys/sign-only/create", { kty: "RSA", key_size: 2048, key_ops: ["sign", "verify"] });
    const r = await call("POST", "/keys/sign-only//encrypt", { alg: "RSA-OAEP", value: "AAAA" });
    expect(r.status).toBe(403);
    expect(r.body.error?.innererror?.code).toBe("KeyOperationNotPermitted");
  });

  it("refuses bad create requests with 400s that say what is wrong, and creates nothing", async () => {
    const cases: [unknown, RegExp][] = [
      [{ kty: "RSA", key_size: 1024 }, /RSA key size 1024 is not supported/],
      [{ kty: "oct-HSM", key_size: 64 }, /AES key size 64 is not supported/],
      [{ kty: "EC", crv: "P-192" }, /crv "P-192" is not one of/],
      [{ kty: "RSA", key_ops: ["import", "sign"] }, /import/],
      [{ kty: "EC", key_ops: ["encrypt"] }, /encrypt/],
      [{ kty: "RSA", tags: Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`t${i}`, "v"])) }, /15/],
      [{ kty: "RSA", attributes: { nbf: 2_000_000_000, exp: 1_900_000_000 } }, /nbf .* must be before exp/],
      [{ kty: "RSA", attributes: { exportable: true } }, /release policy/],
    ];
    for (const [body, message] of cases) {
      const r = await call("POST", "/keys/refused/create", body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error?.code).toBe("BadParameter");
      expect(r.body.error?.message).toMatch(message);
    }
    expect((await call("GET", "/keys/refused")).status).toBe(404);
  });
});
