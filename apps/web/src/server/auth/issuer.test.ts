import { stat, readFile } from "node:fs/promises";
import { join } from "node:path";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDevIssuer } from "./issuer";
import { ORIGIN, form, makeFixture, type Fixture } from "./test-fixtures";

let f: Fixture;
beforeAll(async () => {
  f = await makeFixture();
});
afterAll(() => f.cleanup());

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;

describe("discovery and JWKS", () => {
  it("publishes the metadata MSAL's OIDC mode reads, under the issuer", async () => {
    const res = await f.call("/oidc/.well-known/openid-configuration");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Record<string, unknown>;
    expect(doc).toMatchObject({
      issuer: `${ORIGIN}/oidc`,
      authorization_endpoint: `${ORIGIN}/oidc/authorize`,
      token_endpoint: `${ORIGIN}/oidc/token`,
      jwks_uri: `${ORIGIN}/oidc/jwks`,
      end_session_endpoint: `${ORIGIN}/oidc/logout`,
      response_types_supported: ["code"],
      code_challenge_methods_supported: ["S256"],
      id_token_signing_alg_values_supported: ["RS256"],
    });
    expect(f.issuer.issuer).toBe(`${ORIGIN}/oidc`);
  });

  it("serves one RSA-2048 public key and nothing private", async () => {
    const res = await f.call("/oidc/jwks");
    expect(res.status).toBe(200);
    const { keys } = (await res.json()) as { keys: Record<string, string>[] };
    expect(keys).toHaveLength(1);
    const [key] = keys;
    expect(key).toMatchObject({ kty: "RSA", alg: "RS256", use: "sig", e: "AQAB" });
    expect(Buffer.from(key!.n!, "base64url").length).toBe(256);
    for (const priv of ["d", "p", "q", "dp", "dq", "qi"]) expect(key).not.toHaveProperty(priv);
  });

  it("refuses other methods with 405", async () => {
    const res = await f.call("/oidc/jwks", { method: "POST" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD");
  });

  it("answers only its own paths", async () => {
    expect(await f.issuer.handle(new Request(`${ORIGIN}/keys/a`))).toBeUndefined();
  });
});

describe("data directory", () => {
  it("keeps the signing key, identities and first-start credentials in 0600 files under a 0700 dir", async () => {
    const dir = join(f.dataDir, "auth");
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    for (const file of ["oidc-signing-key.json", "identities.json", "initial-credentials.json"]) {
      expect((await stat(join(dir, file))).mode & 0o777).toBe(0o600);
    }
  });

  it("stores passwords and client secrets only as scrypt hashes", async () => {
    const text = await readFile(join(f.dataDir, "auth", "identities.json"), "utf8");
    expect(text).not.toContain(f.seed.initial.adminPassword);
    expect(text).not.toContain(f.seed.initial.cliClientSecret);
    expect(text.match(/"scrypt\$15\$8\$1\$/g)).toHaveLength(2);
  });

  it("reuses the persisted signing key on the next start", async () => {
    const again = await createDevIssuer({ origin: ORIGIN, dataDir: f.dataDir });
    expect(again.jwks()).toEqual(f.issuer.jwks());
  });
});

describe("client_credentials", () => {
  const grant = (secret: string, extra: Record<string, string> = {}) =>
    form({ grant_type: "client_credentials", client_id: "keyward-cli", client_secret: secret, scope: "https://managedhsm.azure.net/.default", ...extra });

  it("issues an app access token for the resource asked for", async () => {
    const res = await f.call("/oidc/token", grant(f.seed.initial.cliClientSecret));
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: 120, scope: "https://managedhsm.azure.net/.default" });
    expect(body).not.toHaveProperty("refresh_token");
    expect(body).not.toHaveProperty("id_token");
    const token = body.access_token as string;
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: "RS256", typ: "at+jwt", kid: f.issuer.jwks().keys[0]?.kid });
    expect(decodeJwt(token)).toMatchObject({
      iss: `${ORIGIN}/oidc`,
      aud: "https://managedhsm.azure.net",
      sub: f.seed.cliOid,
      oid: f.seed.cliOid,
      tid: f.seed.tenantId,
      azp: "keyward-cli",
      idtyp: "app",
      exp: Math.floor(f.clock.now / 1000) + 120,
    });
  });

  it("accepts HTTP Basic client authentication", async () => {
    const res = await f.call(
      "/oidc/token",
      form({ grant_type: "client_credentials", scope: "https://vault.azure.net/.default" }, { Authorization: basic("keyward-cli", f.seed.initial.cliClientSecret) }),
    );
    expect(res.status).toBe(200);
    expect(decodeJwt(((await res.json()) as { access_token: string }).access_token).aud).toBe("https://vault.azure.net");
  });

  it("defaults to the portal's own resource when no resource scope is asked for", async () => {
    const res = await f.call("/oidc/token", form({ grant_type: "client_credentials", client_id: "keyward-cli", client_secret: f.seed.initial.cliClientSecret }));
    expect(decodeJwt(((await res.json()) as { access_token: string }).access_token).aud).toBe("api://keyward");
  });

  const refusals: [string, () => RequestInit, number, string][] = [
    ["a wrong secret (client_secret_post)", () => grant("wrong-secret"), 400, "invalid_client"],
    ["an empty secret", () => grant(""), 400, "invalid_client"],
    ["an unknown client", () => form({ grant_type: "client_credentials", client_id: "nobody", client_secret: "x" }), 400, "invalid_client"],
    ["a wrong secret (client_secret_basic)", () => form({ grant_type: "client_credentials" }, { Authorization: basic("keyward-cli", "wrong") }), 401, "invalid_client"],
    ["two authentication methods", () => form({ grant_type: "client_credentials", client_secret: "x" }, { Authorization: basic("keyward-cli", "y") }), 400, "invalid_request"],
    ["a public client", () => form({ grant_type: "client_credentials", client_id: "keyward-portal" }), 400, "unauthorized_client"],
    ["a scope for an unknown resource", () => grant(f.seed.initial.cliClientSecret, { scope: "https://evil.example/.default" }), 400, "invalid_scope"],
    [
      "scopes for two resources",
      () => grant(f.seed.initial.cliClientSecret, { scope: "https://vault.azure.net/.default https://managedhsm.azure.net/.default" }),
      400,
      "invalid_scope",
    ],
    ["an unsupported grant", () => grant(f.seed.initial.cliClientSecret, { grant_type: "password" }), 400, "unsupported_grant_type"],
    ["no grant_type", () => form({ client_id: "keyward-cli" }), 400, "invalid_request"],
    ["a repeated parameter", () => ({ ...grant(f.seed.initial.cliClientSecret), body: "grant_type=client_credentials&client_id=keyward-cli&client_id=x" }), 400, "invalid_request"],
    ["a JSON body", () => ({ method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" }), 400, "invalid_request"],
  ];
  it.each(refusals)("refuses %s", async (_, init, status, error) => {
    const res = await f.call("/oidc/token", init());
    expect(res.status).toBe(status);
    const body = (await res.json()) as { error: string; error_description: string };
    expect(body.error).toBe(error);
    expect(body.error_description).toBeTruthy();
    if (status === 401) expect(res.headers.get("www-authenticate")).toBe('Basic realm="keyward"');
  });

  it("refuses GET on the token endpoint", async () => {
    expect((await f.call("/oidc/token")).status).toBe(405);
  });
});
