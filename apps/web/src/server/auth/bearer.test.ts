import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { SignJWT, UnsecuredJWT, exportJWK, generateKeyPair, importJWK, type JWK, type JWTPayload } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MESSAGES } from "./bearer";
import { ORIGIN, clientCredentialsToken, makeFixture, type Fixture } from "./test-fixtures";

let f: Fixture;
let issuerJwk: JWK;
beforeAll(async () => {
  f = await makeFixture();
  issuerJwk = JSON.parse(await readFile(join(f.dataDir, "auth", "oidc-signing-key.json"), "utf8")) as JWK;
});
afterAll(() => f.cleanup());

const ISSUER = `${ORIGIN}/oidc`;
const nowS = () => Math.floor(f.clock.now / 1000);

/** A token shaped like the issuer's, signed with the issuer's own key, with chosen deviations. */
async function forge(claims: JWTPayload, header: Record<string, unknown> = {}, key?: JWK): Promise<string> {
  const jwk = key ?? issuerJwk;
  const kid = f.issuer.jwks().keys[0]?.kid;
  return new SignJWT({ iss: ISSUER, aud: "https://managedhsm.azure.net", sub: "p1", oid: "p1", iat: nowS(), nbf: nowS(), exp: nowS() + 60, ...claims })
    .setProtectedHeader({ alg: "RS256", typ: "at+jwt", kid, ...header })
    .sign(await importJWK(jwk, "RS256"));
}

/** The Authorization header a client sends with this token, or none. */
const request = (token?: string) => (token === undefined ? undefined : `Bearer ${token}`);

async function expectChallenge(authorization: string | undefined, message: string, invalidToken: boolean) {
  const outcome = await f.authenticator.authenticate(authorization);
  expect(outcome.ok).toBe(false);
  if (outcome.ok) return;
  const res = outcome.challenge;
  expect(res.status).toBe(401);
  const errorAttr = invalidToken ? ', error="invalid_token"' : "";
  expect(res.headers.get("www-authenticate")).toBe(`Bearer authorization="${ISSUER}", resource="https://managedhsm.azure.net"${errorAttr}`);
  expect(await res.json()).toEqual({ error: { code: "Unauthorized", message } });
}

/**
 * The JS SDK's challenge handling (facts §2.5 steps 3–4), re-implemented: split into `key="value"`
 * pairs on `,? +`, keep the known keys, tenantId = the authorization URL's path (an invalid URL throws),
 * scope = resource + "/.default".
 */
function sdkParse(header: string): { tenantId?: string; scope?: string; authorization?: string } {
  const known = ["authorization", "authorization_url", "resource", "scope", "tenantId", "claims", "error"];
  const parsed: Record<string, string> = {};
  for (const p of header.split(/,? +/)) {
    if (!/\w="/.test(p)) continue;
    const [key = "", value = ""] = p.split("=");
    if (known.includes(key)) parsed[key] = value.slice(1, -1);
  }
  let tenantId: string | undefined;
  if (parsed.authorization !== undefined) {
    try {
      tenantId = new URL(parsed.authorization).pathname.substring(1) || undefined;
    } catch {
      throw new Error(`The challenge authorization URI '${parsed.authorization}' is invalid.`);
    }
  }
  const scope = parsed.resource !== undefined ? `${parsed.resource}/.default` : parsed.scope;
  return { ...(parsed.authorization === undefined ? {} : { authorization: parsed.authorization }), ...(tenantId === undefined ? {} : { tenantId }), ...(scope === undefined ? {} : { scope }) };
}

describe("the 401 challenge", () => {
  it("answers a body-less first request without Authorization with 401, not 400", async () => {
    await expectChallenge(undefined, MESSAGES.missing, false);
    await expectChallenge(request(), MESSAGES.missing, false);
  });

  it("treats another scheme as no bearer token", async () => {
    await expectChallenge("Basic YTpi", MESSAGES.missing, false);
  });

  it("is parsed by the SDK's parser into a tenant and the Managed HSM scope", async () => {
    const outcome = await f.authenticator.authenticate(request());
    if (outcome.ok) throw new Error("expected a challenge");
    const parsed = sdkParse(outcome.challenge.headers.get("www-authenticate") ?? "");
    expect(parsed).toEqual({ authorization: ISSUER, tenantId: "oidc", scope: "https://managedhsm.azure.net/.default" });
    // The SDK then asks for exactly that scope; the issuer grants it.
    const token = await clientCredentialsToken(f, parsed.scope);
    expect((await f.authenticator.authenticate(request(token))).ok).toBe(true);
  });

  it("parses the same way with the invalid_token attribute present", async () => {
    const outcome = await f.authenticator.authenticate(request("abc.def.ghi"));
    if (outcome.ok) throw new Error("expected a challenge");
    expect(sdkParse(outcome.challenge.headers.get("www-authenticate") ?? "")).toEqual({
      authorization: ISSUER,
      tenantId: "oidc",
      scope: "https://managedhsm.azure.net/.default",
    });
  });
});

describe("authenticate", () => {
  it("accepts the issuer's client_credentials token as the app principal", async () => {
    const outcome = await f.authenticator.authenticate(request(await clientCredentialsToken(f)));
    expect(outcome.ok && outcome.principal).toEqual({
      id: f.seed.cliOid,
      kind: "app",
      issuer: ISSUER,
      subject: f.seed.cliOid,
      tenantId: f.seed.tenantId,
      clientId: "keyward-cli",
      name: "Keyward CLI",
      groups: [],
    });
  });

  it.each(["https://managedhsm.azure.net", "https://vault.azure.net", "api://keyward"])("accepts audience %s", async (aud) => {
    expect((await f.authenticator.authenticate(request(await forge({ aud })))).ok).toBe(true);
  });

  it("takes the principal id from oid, else sub", async () => {
    const withOid = await f.authenticator.authenticate(request(await forge({ sub: "s", oid: "o" })));
    const subOnly = await f.authenticator.authenticate(request(await forge({ sub: "s", oid: undefined })));
    expect(withOid.ok && withOid.principal.id).toBe("o");
    expect(subOnly.ok && subOnly.principal.id).toBe("s");
  });

  it("refuses an expired token (past exp + 30 s skew) with 'expired'", async () => {
    const token = await clientCredentialsToken(f);
    f.clock.now += 120_000 + 29_000;
    expect((await f.authenticator.authenticate(request(token))).ok).toBe(true);
    f.clock.now += 2_000;
    try {
      await expectChallenge(request(token), MESSAGES.expired, true);
    } finally {
      f.clock.now -= 151_000;
    }
  });

  it("does not keep accepting a remembered token after it expires", async () => {
    const token = await clientCredentialsToken(f);
    expect((await f.authenticator.authenticate(request(token))).ok).toBe(true);
    f.clock.now += 120_000 + 31_000;
    try {
      await expectChallenge(request(token), MESSAGES.expired, true);
    } finally {
      f.clock.now -= 151_000;
    }
  });

  it("refuses a token not yet valid (nbf beyond the skew)", async () => {
    await expectChallenge(request(await forge({ nbf: nowS() + 120, iat: nowS() + 120, exp: nowS() + 300 })), MESSAGES.invalid, true);
  });

  it("refuses a token signed by another key under the same kid", async () => {
    const { privateKey } = await generateKeyPair("RS256", { extractable: true });
    await expectChallenge(request(await forge({}, {}, await exportJWK(privateKey))), MESSAGES.invalid, true);
  });

  it("refuses a token from another issuer", async () => {
    await expectChallenge(request(await forge({ iss: "https://other.example/oidc" })), MESSAGES.invalid, true);
  });

  it("refuses a token from another Keyward instance (its own key and issuer)", async () => {
    const other = await makeFixture();
    try {
      await expectChallenge(request(await clientCredentialsToken(other)), MESSAGES.invalid, true);
    } finally {
      await other.cleanup();
    }
  });

  it.each(["https://storage.azure.com", "keyward-portal", "https://managedhsm.azure.net.evil.example"])("refuses audience %s", async (aud) => {
    await expectChallenge(request(await forge({ aud })), MESSAGES.invalid, true);
  });

  it("refuses alg: none", async () => {
    const token = new UnsecuredJWT({ iss: ISSUER, aud: "https://managedhsm.azure.net", sub: "p1", exp: nowS() + 60 }).encode();
    await expectChallenge(request(token), MESSAGES.invalid, true);
  });

  it("refuses HS256 keyed with the public key (algorithm confusion)", async () => {
    const publicJwk = f.issuer.jwks().keys[0]!;
    const secret = new TextEncoder().encode(JSON.stringify(publicJwk));
    const token = await new SignJWT({ iss: ISSUER, aud: "https://managedhsm.azure.net", sub: "p1", exp: nowS() + 60 })
      .setProtectedHeader({ alg: "HS256", typ: "at+jwt", kid: publicJwk.kid })
      .sign(secret);
    await expectChallenge(request(token), MESSAGES.invalid, true);
  });

  it("refuses an ID token presented as an access token (typ is not at+jwt)", async () => {
    await expectChallenge(request(await forge({}, { typ: "JWT" })), MESSAGES.invalid, true);
  });

  it("refuses a token without exp", async () => {
    await expectChallenge(request(await forge({ exp: undefined })), MESSAGES.invalid, true);
  });

  it.each([
    ["garbage", "not-a-jwt"],
    ["a tampered payload", "TAMPER"],
    ["an oversized token", "a".repeat(17_000)],
  ])("refuses %s", async (_, raw) => {
    let token = raw;
    if (raw === "TAMPER") {
      const [h, , s] = (await forge({})).split(".");
      token = `${h}.${Buffer.from(JSON.stringify({ iss: ISSUER, aud: "https://managedhsm.azure.net", sub: "root", exp: nowS() + 60 })).toString("base64url")}.${s}`;
    }
    await expectChallenge(request(token), MESSAGES.invalid, true);
  });
});
