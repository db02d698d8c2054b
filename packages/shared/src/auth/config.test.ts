import { describe, expect, it } from "vitest";
import { parseAuthConfig } from "./config.js";

describe("AuthConfig", () => {
  it("parses the three kinds", () => {
    expect(parseAuthConfig({ kind: "embedded" })).toEqual({ kind: "embedded" });
    expect(parseAuthConfig({ kind: "oidc", issuer: "https://id.example.com", audience: ["api://keyward"] })).toEqual({
      kind: "oidc",
      issuer: "https://id.example.com",
      audience: ["api://keyward"],
    });
    expect(
      parseAuthConfig({ kind: "entra", tenantId: "12345678-1234-1234-1234-123456789012", audience: ["https://managedhsm.azure.net"] }),
    ).toEqual({
      kind: "entra",
      tenantId: "12345678-1234-1234-1234-123456789012",
      audience: ["https://managedhsm.azure.net"],
      authorityHost: "https://login.microsoftonline.com",
    });
  });

  it.each([
    [{ kind: "oidc", issuer: "http://id.example.com", audience: ["a"] }, /https/],
    [{ kind: "oidc", issuer: "https://id.example.com", audience: [] }, /audience/],
    [{ kind: "oidc", issuer: "https://id.example.com", audience: ["a"], algorithms: ["none"] }, /algorithms/],
    [{ kind: "oidc", issuer: "https://id.example.com", audience: ["a"], algorithms: ["HS256"] }, /algorithms/],
    [{ kind: "entra", tenantId: "common", audience: ["a"] }, /tenantId/],
    [{ kind: "embedded", extra: 1 }, /extra|Unrecognized/],
    [{ kind: "saml" }, /kind/],
  ])("refuses %j", (input, message) => {
    expect(() => parseAuthConfig(input)).toThrow(message);
  });

  it("allows plain http for a provider on loopback only", () => {
    expect(parseAuthConfig({ kind: "oidc", issuer: "http://127.0.0.1:9000/realm", audience: ["a"] }).kind).toBe("oidc");
  });
});
