import { createCipheriv, createPublicKey, generateKeyPairSync, publicEncrypt, randomBytes, constants, type KeyObject } from "node:crypto";
import { serializeByok } from "@keyward/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestTarget, type TestTarget } from "./helpers/target";

let t: TestTarget;
let token: string;
const api = "api-version=7.6";

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(`${t.origin}${path}${path.includes("?") ? "&" : "?"}${api}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as { error?: { code: string; message: string; innererror?: { code: string } } } & Record<string, unknown> };
}

/** A KEK in the target; returns its versioned kid and public key. */
async function createKek(name: string, attributes: Record<string, unknown> = {}) {
  const r = await call("POST", `/keys/${name}/create`, { kty: "RSA-HSM", key_size: 2048, key_ops: ["import"], attributes });
  expect(r.status).toBe(200);
  const key = r.body.key as { kid: string; n: string; e: string };
  return { kid: key.kid, publicKey: createPublicKey({ key: { kty: "RSA", n: key.n, e: key.e }, format: "jwk" }) };
}

/** A transfer blob made the way a vendor tool makes it, independently of the code under test. */
function wrapFor(kek: KeyObject, plaintext: Buffer): Buffer {
  const aes = randomBytes(32);
  const wrappedKey = publicEncrypt({ key: kek, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha1" }, aes);
  const kwp = createCipheriv("id-aes256-wrap-pad", aes, Buffer.from("A65959A6", "hex"));
  return Buffer.concat([wrappedKey, kwp.update(plaintext), kwp.final()]);
}

const pkcs8 = (k: KeyObject) => k.export({ type: "pkcs8", format: "der" });
const byokFile = (kid: string, ciphertext: Buffer, overrides: Record<string, unknown> = {}) =>
  JSON.stringify({ ...JSON.parse(serializeByok({ kid, ciphertext: new Uint8Array(ciphertext), generator: "test" })), ...overrides });
const importBody = (file: string, kty = "RSA-HSM", extra: Record<string, unknown> = {}) => ({ key: { kty, key_hsm: Buffer.from(file).toString("base64url"), ...extra } });

let kek: Awaited<ReturnType<typeof createKek>>;
let otherKek: Awaited<ReturnType<typeof createKek>>;
const rsaTarget = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;

beforeAll(async () => {
  t = await startTestTarget();
  token = await t.token();
  kek = await createKek("kek-main");
  otherKek = await createKek("kek-other");
  expect((await call("POST", "/keys/plain-rsa/create", { kty: "RSA", key_size: 2048 })).status).toBe(200);
});
afterAll(() => t?.close());

async function keyNames(): Promise<string[]> {
  const r = await call("GET", "/keys?maxresults=25");
  return (r.body.value as { kid: string }[]).map((k) => k.kid.split("/").pop()!).sort();
}

describe("importing a .byok", () => {
  it("accepts a well-formed blob for an import-only KEK, with SoftHSM-style zero padding", async () => {
    const padded = Buffer.concat([pkcs8(rsaTarget), Buffer.alloc(6)]);
    const r = await call("PUT", "/keys/imported-ok", importBody(byokFile(kek.kid, wrapFor(kek.publicKey, padded))));
    expect(r.status).toBe(200);
    expect(r.body.key).toMatchObject({ kty: "RSA-HSM", n: rsaTarget.export({ format: "jwk" }).n });
  });

  const refusals: [string, () => Promise<{ body: unknown; name: string }>, string, RegExp][] = [
    ["a KEK that is not in this target", async () => ({ name: "r1", body: importBody(byokFile(`${t.origin}/keys/nope/0123456789abcdef0123456789abcdef`, wrapFor(kek.publicKey, pkcs8(rsaTarget)))) }), "ByokKekNotFound", /not a key of this target/],
    [
      "a key that is not import-only",
      async () => {
        const plain = await call("GET", "/keys/plain-rsa");
        const k = plain.body.key as { kid: string; n: string; e: string };
        const pub = createPublicKey({ key: { kty: "RSA", n: k.n, e: k.e }, format: "jwk" });
        return { name: "r2", body: importBody(byokFile(k.kid, wrapFor(pub, pkcs8(rsaTarget)))) };
      },
      "ByokKekNotImportOnly",
      /not a KEK/,
    ],
    [
      "a disabled KEK",
      async () => {
        const k = await createKek("kek-disabled", { enabled: false });
        return { name: "r3", body: importBody(byokFile(k.kid, wrapFor(k.publicKey, pkcs8(rsaTarget)))) };
      },
      "ByokKekDisabled",
      /disabled/,
    ],
    [
      "a KEK past its exp",
      async () => {
        const k = await createKek("kek-expired", { nbf: 1_000_000_000, exp: 1_000_000_100 });
        return { name: "r4", body: importBody(byokFile(k.kid, wrapFor(k.publicKey, pkcs8(rsaTarget)))) };
      },
      "ByokKekNotValid",
      /expired/i,
    ],
    ["a blob wrapped for another KEK", async () => ({ name: "r5", body: importBody(byokFile(kek.kid, wrapFor(otherKek.publicKey, pkcs8(rsaTarget)))) }), "ByokWrongKek", /not wrapped for this KEK/],
    [
      "a corrupted ciphertext",
      async () => {
        const c = wrapFor(kek.publicKey, pkcs8(rsaTarget));
        c.writeUInt8(c.readUInt8(c.length - 5) ^ 0x01, c.length - 5);
        return { name: "r6", body: importBody(byokFile(kek.kid, c)) };
      },
      "ByokTargetCorrupted",
      /integrity/,
    ],
    ["a truncated file", async () => ({ name: "r7", body: importBody(byokFile(kek.kid, wrapFor(kek.publicKey, pkcs8(rsaTarget))).slice(0, 200)) }), "ByokMalformed", /.byok file/],
    ["a truncated ciphertext", async () => ({ name: "r8", body: importBody(byokFile(kek.kid, wrapFor(kek.publicKey, pkcs8(rsaTarget)).subarray(0, 200))) }), "ByokTruncated", /ciphertext is 200 bytes/],
    ["a wrong schema_version", async () => ({ name: "r9", body: importBody(byokFile(kek.kid, wrapFor(kek.publicKey, pkcs8(rsaTarget)), { schema_version: "2.0.0" })) }), "ByokSchemaVersion", /schema_version/],
    [
      "a wrong alg",
      async () => ({ name: "r10", body: importBody(byokFile(kek.kid, wrapFor(kek.publicKey, pkcs8(rsaTarget)), { header: { kid: kek.kid, alg: "RSA-OAEP", enc: "CKM_RSA_AES_KEY_WRAP" } })) }),
      "ByokAlg",
      /alg/,
    ],
    ["a wrong enc", async () => ({ name: "r11", body: importBody(byokFile(kek.kid, wrapFor(kek.publicKey, pkcs8(rsaTarget)), { header: { kid: kek.kid, alg: "dir", enc: "A256GCM" } })) }), "ByokEnc", /enc/],
    ["an RSA-1024 target", async () => ({ name: "r12", body: importBody(byokFile(kek.kid, wrapFor(kek.publicKey, pkcs8(generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey)))) }), "", /1024/],
    [
      "a target on an unsupported curve",
      async () => ({ name: "r13", body: importBody(byokFile(kek.kid, wrapFor(kek.publicKey, pkcs8(generateKeyPairSync("ec", { namedCurve: "prime192v1" }).privateKey))), "EC-HSM") }),
      "",
      /curve|not supported/i,
    ],
    ["an AES key of 64 bits", async () => ({ name: "r14", body: importBody(byokFile(kek.kid, wrapFor(kek.publicKey, randomBytes(8))), "oct-HSM") }), "", /AES key is 8/],
    ["a declared type that does not match the material", async () => ({ name: "r15", body: importBody(byokFile(kek.kid, wrapFor(kek.publicKey, pkcs8(rsaTarget))), "EC-HSM") }), "", /EC|RSA/],
    ["more than 7 bytes of zero padding", async () => ({ name: "r16", body: importBody(byokFile(kek.kid, wrapFor(kek.publicKey, Buffer.concat([pkcs8(rsaTarget), Buffer.alloc(8)])))) }), "ByokPkcs8Padding", /padding|zero/i],
  ];

  for (const [what, make, inner, message] of refusals) {
    it(`refuses ${what} with a 400, and the store is unchanged`, async () => {
      const before = await keyNames();
      const { name, body } = await make();
      const after1 = await keyNames();
      const r = await call("PUT", `/keys/${name}`, body);
      expect(r.status).toBe(400);
      expect(r.body.error?.code).toBe("BadParameter");
      if (inner) expect(r.body.error?.innererror?.code).toBe(inner);
      expect(r.body.error?.message).toMatch(message);
      expect(await keyNames()).toEqual(after1);
      expect((await call("GET", `/keys/${name}`)).status).toBe(404);
      expect(after1.filter((n) => !before.includes(n)).every((n) => n.startsWith("kek-"))).toBe(true);
    });
  }
});
