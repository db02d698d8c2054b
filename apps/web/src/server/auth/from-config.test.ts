import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { TargetError, parseAuthConfig } from "@keyward/shared";
import { SignJWT, exportJWK, generateKeyPair, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authenticatorFromConfig } from "./from-config";

/** A stand-in OIDC provider on loopback: discovery + JWKS, with a switch to serve the wrong issuer. */
let server: Server;
let issuer: string;
let privateKey: CryptoKey;
let publicJwk: JWK;
let discoveryIssuer: () => string;

beforeAll(async () => {
  const pair = await generateKeyPair("ES256");
  privateKey = pair.privateKey;
  publicJwk = { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "ES256" };
  server = createServer((req, res) => {
    res.setHeader("Content-Type", "application/json");
    if (req.url === "/realm/.well-known/openid-configuration") res.end(JSON.stringify({ issuer: discoveryIssuer(), jwks_uri: `${issuer}/jwks` }));
    else if (req.url === "/realm/jwks") res.end(JSON.stringify({ keys: [publicJwk] }));
    else res.writeHead(404).end("{}");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/realm`;
  discoveryIssuer = () => issuer;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const token = (claims: Record<string, unknown> = {}) =>
  new SignJWT({ iss: issuer, aud: "api://keyward", sub: "user-7", groups: ["g1"], ...claims })
    .setProtectedHeader({ alg: "ES256", kid: "k1" })
    .setIssuedAt()
    .setExpirationTime("5m")
    .sign(privateKey);

const withBearer = (t: string) => `Bearer ${t}`;

describe("a generic OIDC provider", () => {
  it("verifies tokens against the JWKS its discovery document names", async () => {
    const auth = authenticatorFromConfig(parseAuthConfig({ kind: "oidc", issuer, audience: ["api://keyward"] }));
    const outcome = await auth.authenticate(withBearer(await token()));
    expect(outcome.ok && outcome.principal).toMatchObject({ id: "user-7", kind: "user", issuer, groups: ["g1"] });
  });

  it("uses a configured jwksUri directly", async () => {
    const auth = authenticatorFromConfig(parseAuthConfig({ kind: "oidc", issuer, audience: ["api://keyward"], jwksUri: `${issuer}/jwks` }));
    expect((await auth.authenticate(withBearer(await token()))).ok).toBe(true);
  });

  it("challenges with the issuer as authorization", async () => {
    const auth = authenticatorFromConfig(parseAuthConfig({ kind: "oidc", issuer, audience: ["api://keyward"] }));
    const outcome = await auth.authenticate(undefined);
    expect(!outcome.ok && outcome.challenge.headers.get("www-authenticate")).toBe(`Bearer authorization="${issuer}", resource="https://managedhsm.azure.net"`);
  });

  it("refuses an algorithm outside the configured allow-list", async () => {
    const auth = authenticatorFromConfig(parseAuthConfig({ kind: "oidc", issuer, audience: ["api://keyward"], algorithms: ["RS256"] }));
    const outcome = await auth.authenticate(withBearer(await token()));
    expect(!outcome.ok && outcome.challenge.status).toBe(401);
  });

  it("refuses a wrong audience", async () => {
    const auth = authenticatorFromConfig(parseAuthConfig({ kind: "oidc", issuer, audience: ["api://keyward"] }));
    const outcome = await auth.authenticate(withBearer(await token({ aud: "api://other" })));
    expect(!outcome.ok && outcome.challenge.status).toBe(401);
  });

  it("is unavailable (503), not unauthorized, when discovery names another issuer", async () => {
    discoveryIssuer = () => "https://impostor.example";
    try {
      const auth = authenticatorFromConfig(parseAuthConfig({ kind: "oidc", issuer, audience: ["api://keyward"] }));
      const err = await auth.authenticate(withBearer(await token())).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TargetError);
      expect((err as TargetError).status).toBe(503);
      expect((err as TargetError).code).toBe("ServiceUnavailable");
    } finally {
      discoveryIssuer = () => issuer;
    }
  });

  it("is unavailable (503) when the provider cannot be reached", async () => {
    const down = "http://127.0.0.1:9/realm";
    const auth = authenticatorFromConfig(parseAuthConfig({ kind: "oidc", issuer: down, audience: ["api://keyward"] }));
    const t = await new SignJWT({ iss: down, aud: "api://keyward", sub: "x" }).setProtectedHeader({ alg: "ES256", kid: "k1" }).setExpirationTime("5m").sign(privateKey);
    const err = await auth.authenticate(withBearer(t)).catch((e: unknown) => e);
    expect((err as TargetError).code).toBe("ServiceUnavailable");
  });
});

describe("Entra ID", () => {
  const tenantId = "12345678-1234-1234-1234-123456789012";
  it("challenges like Managed HSM does, with the tenant in the authorization URL — without touching the network", async () => {
    const auth = authenticatorFromConfig(parseAuthConfig({ kind: "entra", tenantId, audience: ["https://managedhsm.azure.net"] }));
    const outcome = await auth.authenticate(null);
    expect(!outcome.ok && outcome.challenge.headers.get("www-authenticate")).toBe(
      `Bearer authorization="https://login.microsoftonline.com/${tenantId}", resource="https://managedhsm.azure.net"`,
    );
  });

  it("needs the dev issuer for the embedded kind", () => {
    expect(() => authenticatorFromConfig({ kind: "embedded" })).toThrow(/development issuer/);
  });
});
