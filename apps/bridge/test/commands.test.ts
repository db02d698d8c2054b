import { generateKeyPairSync, randomUUID } from "node:crypto";
import pkcs11js from "pkcs11js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ResultClaims } from "@keyward/shared";
import { Token } from "../src/pkcs11/token.js";
import { startTestBridge, type TestBridge } from "./helpers/bridge.js";
import { opensslRsaKey } from "./helpers/openssl.js";

let t: TestBridge;
const KID = "https://local.keyward.test/keys/kek/0123456789abcdef0123456789abcdef";
let kek2048: string;

beforeAll(async () => {
  t = await startTestBridge();
  kek2048 = opensslRsaKey(2048).publicPem;
  const r = await t.run({ type: "key.generate", label: "aes-1", key: { kty: "oct", size: 256 } });
  if (!r.ok) throw new Error(JSON.stringify(r));
});
afterAll(() => t?.bridge.close());

async function tokenLabels(): Promise<string[]> {
  const r = await t.run({ type: "key.list" });
  if (!r.ok || r.type !== "key.list") throw new Error("list failed");
  return r.result.keys.map((k) => `${k.label}:${k.id}`).sort();
}

function expectRefused(r: ResultClaims, code: string, message?: RegExp) {
  expect(r.ok).toBe(false);
  if (r.ok) return;
  expect(r.error.code).toBe(code);
  if (message) expect(r.error.message).toMatch(message);
}

/** A token AES key made directly through PKCS#11, as another tool would, in a session of its own. */
function aesTemplate(label: string, o: { bytes: number; extractable: boolean; sensitive?: boolean; id?: string }): pkcs11js.Template {
  return [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
    { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_AES },
    { type: pkcs11js.CKA_VALUE_LEN, value: o.bytes },
    { type: pkcs11js.CKA_TOKEN, value: true },
    ...(o.sensitive === undefined ? [] : [{ type: pkcs11js.CKA_SENSITIVE, value: o.sensitive }]),
    { type: pkcs11js.CKA_EXTRACTABLE, value: o.extractable },
    { type: pkcs11js.CKA_LABEL, value: label },
    ...(o.id === undefined ? [] : [{ type: pkcs11js.CKA_ID, value: Buffer.from(o.id) }]),
  ];
}

describe("hsm.describe", () => {
  it("reports the token, its mechanisms and the BYOK path SoftHSM2 2.6 allows", async () => {
    const r = await t.run({ type: "hsm.describe" });
    if (!r.ok || r.type !== "hsm.describe") throw new Error(JSON.stringify(r));
    expect(r.result.token.label).toBe(t.token.label);
    expect(r.result.token.model).toMatch(/SoftHSM/);
    expect(r.result.byok.path).toBe("two-step");
    expect(r.result.byok.oneStep).toEqual({ token: false, binding: false });
    expect(r.result.byok.oaepHashes).toEqual(["SHA-1"]);
    expect(r.result.generate).toEqual({ rsa: [2048, 3072, 4096], ec: ["P-256", "P-256K", "P-384", "P-521"], aes: [128, 192, 256] });
    expect(r.result.mechanisms.map((m) => m.name)).toContain("CKM_AES_KEY_WRAP_PAD");
  });
});

describe("key.generate and key.list", () => {
  it("generates a persistent, sensitive, extractable key and reports its public part", async () => {
    const r = await t.run({ type: "key.generate", label: "ec-1", key: { kty: "EC", crv: "P-384" } });
    if (!r.ok || r.type !== "key.generate") throw new Error(JSON.stringify(r));
    expect(r.result).toMatchObject({ label: "ec-1", spec: { kty: "EC", crv: "P-384" }, extractable: true, sensitive: true, publicJwk: { kty: "EC", crv: "P-384" } });
    expect(r.result.id).toMatch(/^[0-9a-f]{32}$/);
    expect(await tokenLabels()).toContain(`ec-1:${r.result.id}`);
  });

  it("reports a KCV for AES keys", async () => {
    const list = await t.run({ type: "key.list" });
    if (!list.ok || list.type !== "key.list") throw new Error("list failed");
    expect(list.result.keys.find((k) => k.label === "aes-1")?.kcv).toMatch(/^[0-9a-f]{6}$/);
  });

  it("refuses a label that is already taken, and changes nothing", async () => {
    const before = await tokenLabels();
    expectRefused(await t.run({ type: "key.generate", label: "aes-1", key: { kty: "oct", size: 128 } }), "LABEL_EXISTS", /aes-1/);
    expect(await tokenLabels()).toEqual(before);
  });

  const unsupported: [string, unknown, RegExp][] = [
    ["RSA-1024", { kty: "RSA", size: 1024 }, /RSA key size 1024 is not supported/],
    ["AES-64", { kty: "oct", size: 64 }, /AES key size 64 is not supported/],
    ["curve P-192", { kty: "EC", crv: "P-192" }, /curve "P-192" is not supported/],
    ["key type DSA", { kty: "DSA", size: 2048 }, /key type "DSA" is not supported/],
  ];
  for (const [name, key, message] of unsupported) {
    it(`refuses ${name} with UNSUPPORTED_KEY, and changes nothing`, async () => {
      const before = await tokenLabels();
      expectRefused(await t.run({ type: "key.generate", label: `bad-${randomUUID().slice(0, 8)}`, key }), "UNSUPPORTED_KEY", message);
      expect(await tokenLabels()).toEqual(before);
    });
  }

  it("refuses a malformed label", async () => {
    expectRefused(await t.run({ type: "key.generate", label: "no spaces allowed", key: { kty: "oct", size: 256 } }), "INVALID_COMMAND", /label/);
  });
});

describe("byok.wrap refusals", () => {
  it("refuses an unknown target label", async () => {
    expectRefused(await t.run({ type: "byok.wrap", target: "nope", kek: { kid: KID, publicKeyPem: kek2048 } }), "UNKNOWN_TARGET", /nope/);
  });

  it("refuses a target that is not extractable, and says why", async () => {
    // A key the HSM policy keeps inside: created directly through PKCS#11, as another tool would.
    const token = Token.open({ module: t.token.module, label: t.token.label, pin: t.token.pin });
    await token.withSession(async (s) => {
      s.p11.C_GenerateKey(s.handle, { mechanism: pkcs11js.CKM_AES_KEY_GEN }, aesTemplate("locked", { bytes: 32, sensitive: true, extractable: false }));
    });
    expectRefused(
      await t.run({ type: "byok.wrap", target: "locked", kek: { kid: KID, publicKeyPem: kek2048 } }),
      "TARGET_NOT_EXTRACTABLE",
      /not extractable.*HSM policy forbids/,
    );
  });

  it("notices a target deleted and re-created under the same label by another tool", async () => {
    const first = await t.run({ type: "key.generate", label: "rotating", key: { kty: "oct", size: 256 } });
    if (!first.ok || first.type !== "key.generate") throw new Error(JSON.stringify(first));
    const wrap = () => t.run({ type: "byok.wrap", target: "rotating", kek: { kid: KID, publicKeyPem: kek2048 } });
    const before = await wrap();
    if (!before.ok || before.type !== "byok.wrap") throw new Error(JSON.stringify(before));
    expect(before.result.target.id).toBe(first.result.id);
    const other = Token.open({ module: t.token.module, label: t.token.label, pin: t.token.pin });
    await other.withSession(async (s) => {
      s.p11.C_FindObjectsInit(s.handle, [{ type: pkcs11js.CKA_LABEL, value: "rotating" }]);
      const [old] = s.p11.C_FindObjects(s.handle, 1);
      s.p11.C_FindObjectsFinal(s.handle);
      s.p11.C_DestroyObject(s.handle, old!);
      s.p11.C_GenerateKey(s.handle, { mechanism: pkcs11js.CKM_AES_KEY_GEN }, aesTemplate("rotating", { bytes: 16, extractable: true, id: "replacement" }));
    });
    const after = await wrap();
    if (!after.ok || after.type !== "byok.wrap") throw new Error(JSON.stringify(after));
    expect(after.result.target).toMatchObject({ id: Buffer.from("replacement").toString("hex"), spec: { kty: "oct", size: 128 } });
  });

  const badKeks: [string, () => string, string, RegExp][] = [
    ["an RSA-1024 KEK", () => opensslRsaKey(1024).publicPem, "INVALID_KEK", /RSA-1024.*2048, 3072 or 4096/],
    ["an EC KEK", () => require_ec(), "INVALID_KEK", /must be an RSA key; this one is ec/],
    ["a PEM that is not a key", () => "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----", "INVALID_KEK", /not a readable PEM/],
    ["a private key instead of a public key", () => "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----", "INVALID_COMMAND", /PUBLIC KEY/],
  ];
  for (const [name, pem, code, message] of badKeks) {
    it(`refuses ${name}`, async () => {
      expectRefused(await t.run({ type: "byok.wrap", target: "aes-1", kek: { kid: KID, publicKeyPem: pem() } }), code, message);
    });
  }

  it("refuses a KEK id that is not an https key URL", async () => {
    expectRefused(await t.run({ type: "byok.wrap", target: "aes-1", kek: { kid: "kek", publicKeyPem: kek2048 } }), "INVALID_COMMAND", /KEK id/);
  });
});

describe("byok.wrapBatch refusals", () => {
  const batch = (targets: unknown) => t.run({ type: "byok.wrapBatch", targets, kek: { kid: KID, publicKeyPem: kek2048 } });

  it("refuses a batch with an unknown target, naming it and returning no key", async () => {
    const r = await batch(["aes-1", "missing-one"]);
    expectRefused(r, "UNKNOWN_TARGET", /target "missing-one".*no key of the batch was returned/);
    expect("result" in r).toBe(false);
  });

  it("refuses a batch naming a label two token keys carry, however many other targets it names", async () => {
    // Twins made by another tool: a batch looks its labels up in one pass, which must not pick one.
    const token = Token.open({ module: t.token.module, label: t.token.label, pin: t.token.pin });
    await token.withSession(async (s) => {
      for (const id of ["twin-a", "twin-b"]) s.p11.C_GenerateKey(s.handle, { mechanism: pkcs11js.CKM_AES_KEY_GEN }, aesTemplate("twin", { bytes: 32, extractable: true, id }));
    });
    for (let i = 0; i < 3; i++) await t.run({ type: "key.generate", label: `batch-${i}`, key: { kty: "oct", size: 128 } });
    const r = await batch(["batch-0", "batch-1", "twin", "batch-2"]);
    expectRefused(r, "INVALID_COMMAND", /target "twin": 2 keys are labelled "twin".*labels must be unique.*no key of the batch was returned/);
    // The other labels were found in the same pass and still wrap.
    const ok = await batch(["batch-2", "batch-0", "batch-1"]);
    if (!ok.ok || ok.type !== "byok.wrapBatch") throw new Error(JSON.stringify(ok));
    expect(ok.result.items.map((i) => i.target.label)).toEqual(["batch-2", "batch-0", "batch-1"]);
  });

  it("refuses an empty batch, a repeated target and more than 256 targets", async () => {
    expectRefused(await batch([]), "INVALID_COMMAND", /at least one target/);
    expectRefused(await batch(["aes-1", "aes-1"]), "INVALID_COMMAND", /each target once/);
    expectRefused(await batch(Array.from({ length: 257 }, (_, i) => `k${i}`)), "INVALID_COMMAND", /at most 256/);
  });
});

describe("signed commands and results", () => {
  it("signs every result, naming the command's jti and hash", async () => {
    const jti = randomUUID();
    const jws = await t.sign({ type: "key.list" }, { jti });
    const r = await t.bridge.execute(jws);
    const claims = await t.verify(r.jws, jws);
    expect(claims.cmd_jti).toBe(jti);
    expect(claims.iss).toBe("bridge-test");
    // The same result does not verify as the answer to another command.
    await expect(t.verify(r.jws, await t.sign({ type: "key.list" }))).rejects.toMatchObject({ code: "BAD_SIGNATURE" });
  });

  it("refuses a replayed jti, also after the bridge restarts", async () => {
    const jws = await t.sign({ type: "key.generate", label: "once", key: { kty: "oct", size: 128 } });
    expect((await t.verify((await t.bridge.execute(jws)).jws)).ok).toBe(true);
    const before = await tokenLabels();
    expectRefused(await t.verify((await t.bridge.execute(jws)).jws), "REPLAYED");
    await t.reopen();
    expectRefused(await t.verify((await t.bridge.execute(jws)).jws), "REPLAYED");
    expect(await tokenLabels()).toEqual(before);
  });

  it("refuses an unknown command type with the jti named", async () => {
    const jti = randomUUID();
    const r = await t.verify((await t.bridge.execute(await t.sign({ type: "key.export", label: "aes-1" }, { jti }))).jws);
    expectRefused(r, "UNKNOWN_COMMAND", /key\.export/);
    expect(r.cmd_jti).toBe(jti);
  });

  it("refuses a command for another bridge", async () => {
    expectRefused(await t.verify((await t.bridge.execute(await t.sign({ type: "key.list" }, { audience: "bridge-other" }))).jws), "WRONG_AUDIENCE");
  });

  it("refuses an expired command and one not valid yet (frozen clocks)", async () => {
    const past = new Date(Date.now() - 10 * 60_000);
    expectRefused(await t.verify((await t.bridge.execute(await t.sign({ type: "key.list" }, { now: past }))).jws), "EXPIRED");
    const future = new Date(Date.now() + 10 * 60_000);
    expectRefused(await t.verify((await t.bridge.execute(await t.sign({ type: "key.list" }, { now: future }))).jws), "NOT_YET_VALID");
  });

  it("refuses a command that is not a JWS at all", async () => {
    const r = await t.verify((await t.bridge.execute("{not a jws")).jws);
    expectRefused(r, "MALFORMED_COMMAND");
    expect(r.cmd_jti).toBeNull();
  });
});

function require_ec(): string {
  return generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ type: "spki", format: "pem" }).toString();
}
