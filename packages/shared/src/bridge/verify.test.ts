import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair, type CryptoKey } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { BridgeError } from "./errors.js";
import { COMMAND_TYP, RESULT_TYP } from "./protocol.js";
import { commandHash, signCommand, signResult, type CommandSigner } from "./sign.js";
import { verifyCommand, verifyResult, type TrustedKey } from "./verify.js";

const ISSUER = "https://portal.keyward.test";
const BRIDGE = "bridge-a";
// A frozen clock: every check below is made at this instant.
const NOW = new Date("2026-11-23T12:00:00Z");
const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

async function makeKey(): Promise<{ signer: CommandSigner; trusted: TrustedKey; privateKey: CryptoKey }> {
  const { privateKey, publicKey } = await generateKeyPair("EdDSA", { extractable: true });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { signer: { key: privateKey, kid, issuer: ISSUER }, trusted: { kid, jwk }, privateKey };
}

let portal: Awaited<ReturnType<typeof makeKey>>;
let stranger: Awaited<ReturnType<typeof makeKey>>;

beforeAll(async () => {
  portal = await makeKey();
  stranger = await makeKey();
});

const verify = (jws: string, now = NOW) => verifyCommand(jws, { trusted: [portal.trusted], audience: BRIDGE, issuer: ISSUER, now });

async function expectCode(p: Promise<unknown>, code: string) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BridgeError);
  expect((err as BridgeError).code).toBe(code);
}

describe("verifyCommand", () => {
  it("accepts a well-formed command and returns it parsed, with its hash", async () => {
    const jws = await signCommand({ type: "key.list" }, portal.signer, { audience: BRIDGE, now: NOW, jti: "0123456789abcdef-1" });
    const v = await verify(jws);
    expect(v.command).toEqual({ type: "key.list" });
    expect(v.claims).toMatchObject({ iss: ISSUER, aud: BRIDGE, jti: "0123456789abcdef-1", exp: v.claims.iat + 300 });
    expect(v.sha256).toBe(await commandHash(jws));
  });

  it("accepts a command until its exp (plus skew), refuses it after", async () => {
    const jws = await signCommand({ type: "key.list" }, portal.signer, { audience: BRIDGE, now: NOW, lifetimeSeconds: 60 });
    await expect(verify(jws, at(60 + 29))).resolves.toBeDefined();
    await expectCode(verify(jws, at(60 + 31)), "EXPIRED");
  });

  it("refuses a command issued in the future", async () => {
    const jws = await signCommand({ type: "key.list" }, portal.signer, { audience: BRIDGE, now: at(120) });
    await expectCode(verify(jws), "NOT_YET_VALID");
  });

  it("refuses a lifetime over five minutes", async () => {
    const jws = await signCommand({ type: "key.list" }, portal.signer, { audience: BRIDGE, now: NOW, lifetimeSeconds: 301 });
    await expectCode(verify(jws), "LIFETIME_TOO_LONG");
  });

  it("refuses another bridge's command", async () => {
    await expectCode(verify(await signCommand({ type: "key.list" }, portal.signer, { audience: "bridge-b", now: NOW })), "WRONG_AUDIENCE");
  });

  it("refuses another issuer", async () => {
    await expectCode(verify(await signCommand({ type: "key.list" }, { ...portal.signer, issuer: "https://evil" }, { audience: BRIDGE, now: NOW })), "WRONG_ISSUER");
  });

  it("refuses a signer that is not pinned", async () => {
    await expectCode(verify(await signCommand({ type: "key.list" }, stranger.signer, { audience: BRIDGE, now: NOW })), "UNKNOWN_SIGNER");
  });

  it("refuses a signature made by another key under the pinned kid", async () => {
    const forged = await signCommand({ type: "key.list" }, { ...stranger.signer, kid: portal.signer.kid }, { audience: BRIDGE, now: NOW });
    await expectCode(verify(forged), "BAD_SIGNATURE");
  });

  it("refuses a tampered payload", async () => {
    const jws = await signCommand({ type: "key.list" }, portal.signer, { audience: BRIDGE, now: NOW });
    const [h, p, s] = jws.split(".");
    const payload = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(p!.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0))));
    payload.cmd = { type: "hsm.describe" };
    const tampered = `${h}.${btoa(JSON.stringify(payload)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_")}.${s}`;
    await expectCode(verify(tampered), "BAD_SIGNATURE");
  });

  it("refuses alg none and a wrong typ", async () => {
    const header = btoa(JSON.stringify({ alg: "none", typ: COMMAND_TYP, kid: portal.signer.kid })).replace(/=+$/, "");
    const body = btoa(JSON.stringify({ iss: ISSUER, aud: BRIDGE, iat: 1, exp: 2, jti: "x".repeat(16), cmd: { type: "key.list" } })).replace(/=+$/, "");
    await expectCode(verify(`${header}.${body}.`), "BAD_SIGNATURE");
    const wrongTyp = await new SignJWT({ cmd: { type: "key.list" } })
      .setProtectedHeader({ alg: "EdDSA", typ: RESULT_TYP, kid: portal.signer.kid })
      .setIssuer(ISSUER)
      .setAudience(BRIDGE)
      .setIssuedAt(NOW)
      .setExpirationTime(at(60))
      .setJti("0123456789abcdef")
      .sign(portal.privateKey);
    await expectCode(verify(wrongTyp), "MALFORMED_COMMAND");
  });

  it("refuses a command without a jti", async () => {
    const noJti = await new SignJWT({ cmd: { type: "key.list" } })
      .setProtectedHeader({ alg: "EdDSA", typ: COMMAND_TYP, kid: portal.signer.kid })
      .setIssuer(ISSUER)
      .setAudience(BRIDGE)
      .setIssuedAt(NOW)
      .setExpirationTime(at(60))
      .sign(portal.privateKey);
    await expectCode(verify(noJti), "MALFORMED_COMMAND");
  });

  it("refuses garbage", async () => {
    await expectCode(verify("not-a-jws"), "MALFORMED_COMMAND");
    await expectCode(verify("{}"), "MALFORMED_COMMAND");
  });

  it("refuses unknown command types and invalid commands with their own codes", async () => {
    const unknown = await signCommand({ type: "key.export" } as never, portal.signer, { audience: BRIDGE, now: NOW });
    await expectCode(verify(unknown), "UNKNOWN_COMMAND");
    const badKey = await signCommand({ type: "key.generate", label: "x", key: { kty: "RSA", size: 1024 } } as never, portal.signer, { audience: BRIDGE, now: NOW });
    await expectCode(verify(badKey), "UNSUPPORTED_KEY");
    const extra = await signCommand({ type: "key.list", extra: 1 } as never, portal.signer, { audience: BRIDGE, now: NOW });
    await expectCode(verify(extra), "INVALID_COMMAND");
  });
});

describe("verifyResult", () => {
  it("binds a result to the command it answers", async () => {
    const bridge = await makeKey();
    const cmd = await signCommand({ type: "key.list" }, portal.signer, { audience: BRIDGE, now: NOW });
    const other = await signCommand({ type: "key.list" }, portal.signer, { audience: BRIDGE, now: NOW });
    const result = await signResult(
      { ok: true, type: "key.list", result: { keys: [] } },
      { ...bridge.signer, issuer: BRIDGE },
      { cmdJti: "j", cmdSha256: await commandHash(cmd), now: NOW },
    );
    const opts = { trusted: [bridge.trusted], bridgeId: BRIDGE, now: NOW };
    await expect(verifyResult(result, { ...opts, command: cmd })).resolves.toMatchObject({ ok: true, cmd_jti: "j" });
    await expectCode(verifyResult(result, { ...opts, command: other }), "BAD_SIGNATURE");
    await expectCode(verifyResult(result, { ...opts, bridgeId: "bridge-b" }), "WRONG_ISSUER");
    await expectCode(verifyResult(result, { ...opts, trusted: [portal.trusted] }), "UNKNOWN_SIGNER");
  });
});
