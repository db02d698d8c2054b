import { describe, expect, it } from "vitest";
import { TargetError } from "../keyvault/errors.js";
import { RoleScopeSchema, keyScope, parseScope, scopeCovers } from "./scope.js";

describe("parseScope", () => {
  it.each([
    ["/", "/"],
    ["", "/"],
    ["//", "/"],
    ["/keys", "/keys"],
    ["//keys", "/keys"],
    ["/keys/", "/keys"],
    ["/keys/my-key-1", "/keys/my-key-1"],
    ["//keys//my-key-1/", "/keys/my-key-1"],
  ])("%j → %j", (raw, scope) => {
    expect(parseScope(raw)).toBe(scope);
  });

  it.each(["/secrets", "/keys/a/b", "/keys/bad_name", "/keys/" + "a".repeat(128), "/Keys", "/keys/a%2Fb"])("refuses %j", (raw) => {
    expect(parseScope(raw)).toBeUndefined();
    expect(RoleScopeSchema.safeParse(raw).success).toBe(false);
  });
});

describe("scopeCovers", () => {
  it("/ and /keys are HSM-wide", () => {
    for (const assigned of ["/", "/keys"] as const) {
      for (const requested of ["/", "/keys", "/keys/a"] as const) expect(scopeCovers(assigned, requested)).toBe(true);
    }
  });

  it("a key scope covers that key only — never its siblings nor the HSM", () => {
    expect(scopeCovers("/keys/a", "/keys/a")).toBe(true);
    expect(scopeCovers("/keys/a", "/keys/b")).toBe(false);
    expect(scopeCovers("/keys/a", "/keys/ab")).toBe(false);
    expect(scopeCovers("/keys/a", "/keys")).toBe(false);
    expect(scopeCovers("/keys/a", "/")).toBe(false);
  });

  it("compares key names case-insensitively, as Key Vault names are", () => {
    expect(scopeCovers("/keys/Signing", "/keys/signing")).toBe(true);
    expect(scopeCovers("/keys/signing", "/keys/SIGNING-2")).toBe(false);
  });
});

describe("keyScope", () => {
  it("builds the scope of a valid key name and refuses others with a 400", () => {
    expect(keyScope("k-1")).toBe("/keys/k-1");
    const err = (() => {
      try {
        keyScope("../x");
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(TargetError);
    expect((err as TargetError).status).toBe(400);
  });
});
