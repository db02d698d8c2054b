import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientSecretCredential } from "./client-credential";
import { ORIGIN, makeFixture, type Fixture } from "./test-fixtures";

let f: Fixture;
let calls = 0;
const viaIssuer: typeof fetch = async (input, init) => {
  calls += 1;
  const res = await f.issuer.handle(new Request(input, init));
  return res ?? new Response(null, { status: 404 });
};

beforeAll(async () => {
  f = await makeFixture();
});
afterAll(() => f.cleanup());

describe("clientSecretCredential", () => {
  it("gets a token the authenticator accepts, and caches it per scope until near expiry", async () => {
    const cred = clientSecretCredential({
      tokenEndpoint: `${ORIGIN}/oidc/token`,
      clientId: "keyward-cli",
      clientSecret: f.seed.initial.cliClientSecret,
      fetch: viaIssuer,
      now: () => f.clock.now,
    });
    const a = await cred.getToken(["https://managedhsm.azure.net/.default"]);
    const outcome = await f.authenticator.authenticate(`Bearer ${a.token}`);
    expect(outcome.ok).toBe(true);
    const before = calls;
    expect((await cred.getToken("https://managedhsm.azure.net/.default")).token).toBe(a.token);
    expect(calls).toBe(before);
    f.clock.now += 61_000; // 120 s lifetime − 60 s early renewal
    try {
      await cred.getToken("https://managedhsm.azure.net/.default");
      expect(calls).toBe(before + 1);
    } finally {
      f.clock.now -= 61_000;
    }
  });

  it("reports a refused secret by its OAuth error, never by the secret", async () => {
    const cred = clientSecretCredential({ tokenEndpoint: `${ORIGIN}/oidc/token`, clientId: "keyward-cli", clientSecret: "wrong-secret-value", fetch: viaIssuer });
    const err = await cred.getToken("https://managedhsm.azure.net/.default").catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe("token request for keyward-cli failed: invalid_client");
  });
});
