import { describe, expect, it } from "vitest";
import { parseAuthConfig } from "@keyward/shared";
import { signInConfig } from "./sign-in";

const ORIGIN = "https://portal.example:8443";
const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";

describe("sign-in settings for the browser", () => {
  it("embedded: the portal's own issuer in MSAL's OIDC mode, trusted by host, with renewal", () => {
    const c = signInConfig(parseAuthConfig({ kind: "embedded" }), ORIGIN);
    expect(c).toEqual({
      enabled: true,
      provider: "embedded",
      authority: `${ORIGIN}/oidc`,
      clientId: "keyward-portal",
      protocolMode: "OIDC",
      knownAuthorities: ["portal.example:8443"],
      scopes: ["openid", "profile", "offline_access", "https://managedhsm.azure.net/.default"],
      redirectPath: "/auth/redirect",
    });
  });

  it("entra: the tenant's authority in AAD mode, one resource scope from the first audience", () => {
    const c = signInConfig(parseAuthConfig({ kind: "entra", tenantId: TENANT, audience: ["https://managedhsm.azure.net"], portal: { clientId: "ui-app" } }), ORIGIN);
    expect(c).toMatchObject({ enabled: true, authority: `https://login.microsoftonline.com/${TENANT}`, protocolMode: "AAD", clientId: "ui-app", knownAuthorities: [] });
    expect(c.scopes).toEqual(["https://managedhsm.azure.net/.default"]);
  });

  it("oidc: any provider through the same code path in OIDC mode, with configured scopes", () => {
    const c = signInConfig(parseAuthConfig({ kind: "oidc", issuer: "https://idp.example/realms/hsm", audience: ["api://keyward"], portal: { clientId: "kw", scopes: ["api://keyward/.default"] } }), ORIGIN);
    expect(c).toMatchObject({ enabled: true, authority: "https://idp.example/realms/hsm", protocolMode: "OIDC", knownAuthorities: ["idp.example"] });
    expect(c.scopes).toEqual(["openid", "profile", "offline_access", "api://keyward/.default"]);
  });

  it("a provider without a browser client configured: sign-in disabled, the UI says APIs only", () => {
    expect(signInConfig(parseAuthConfig({ kind: "oidc", issuer: "https://idp.example", audience: ["api://keyward"] }), ORIGIN).enabled).toBe(false);
    expect(signInConfig(parseAuthConfig({ kind: "entra", tenantId: TENANT, audience: ["x"] }), ORIGIN).enabled).toBe(false);
  });

  it("refuses an unknown key in the portal client settings", () => {
    expect(() => parseAuthConfig({ kind: "oidc", issuer: "https://idp.example", audience: ["a"], portal: { clientId: "kw", secret: "no" } })).toThrow(/invalid auth config/);
  });
});
