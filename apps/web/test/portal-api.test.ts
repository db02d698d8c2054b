import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MeSchema, SignInConfigSchema } from "@keyward/shared";
import { startTestTarget, type TestTarget } from "./helpers/target";

let t: TestTarget;
beforeAll(async () => {
  t = await startTestTarget();
});
afterAll(async () => t.close());

const get = (path: string, token?: string) => fetch(`${t.origin}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

describe("portal API", () => {
  it("serves the sign-in settings without a token: the embedded issuer in OIDC mode", async () => {
    const res = await get("/portal-api/config");
    expect(res.status).toBe(200);
    const cfg = SignInConfigSchema.parse(await res.json());
    expect(cfg).toMatchObject({ enabled: true, provider: "embedded", authority: `${t.origin}/oidc`, clientId: "keyward-portal", protocolMode: "OIDC" });
    expect(cfg.scopes).toContain("https://managedhsm.azure.net/.default");
  });

  it("refuses /me without a token with the Key Vault challenge", async () => {
    const res = await get("/portal-api/me");
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer authorization="/);
  });

  it("tells the caller who they are and what their roles allow", async () => {
    const me = MeSchema.parse(await (await get("/portal-api/me", await t.token())).json());
    expect(me.kind).toBe("app");
    expect(me.roles.map((r) => r.roleName)).toEqual(["Managed HSM Crypto User"]);
    expect(me.dataActions).toContain("Microsoft.KeyVault/managedHsm/keys/sign/action");
    expect(me.dataActions).not.toContain("Microsoft.KeyVault/managedHsm/roleAssignments/write/action");
  });

  it("answers a principal without roles with an empty list, not an error", async () => {
    const cred = await t.principalWithRoles("no-roles-portal", []);
    const token = (await cred.getToken("https://managedhsm.azure.net/.default"))?.token ?? "";
    const me = MeSchema.parse(await (await get("/portal-api/me", token)).json());
    expect(me.roles).toEqual([]);
    expect(me.dataActions).toEqual([]);
  });

  it("names unknown endpoints and wrong methods in words", async () => {
    const token = await t.token();
    const missing = await get("/portal-api/nothing-here", token);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toMatch(/not an endpoint of the portal API/);
    const wrong = await fetch(`${t.origin}/portal-api/me`, { method: "DELETE", headers: { authorization: `Bearer ${token}` } });
    expect(wrong.status).toBe(405);
  });

  it("keeps its answers out of caches", async () => {
    const res = await get("/portal-api/me", await t.token());
    expect(res.headers.get("cache-control")).toBe("no-store");
  });
});
