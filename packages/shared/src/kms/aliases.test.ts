import { describe, expect, it } from "vitest";
import { checkAliasName, parseKeyReference } from "./aliases.js";
import { kmsRefusal } from "./test-vectors/refusal.js";

const ID = "0b0d4f0e-6a1e-4c63-9d2e-6f1f4f2b9a10";

function code(fn: () => unknown): string {
  const r = kmsRefusal(fn);
  return r === "accepted" ? r : r.code;
}

describe("KMS aliases and key references", () => {
  it("accepts alias/ with letters, digits, _ - and /", () => {
    expect(checkAliasName("alias/payments/prod_key-1")).toBe("alias/payments/prod_key-1");
    expect(checkAliasName(`alias/${"a".repeat(255)}`)).toHaveLength(261);
  });

  it.each([["payments"], ["alias/"], ["alias/a b"], ["alias/a.b"], ["alias/é"], [`alias/${"a".repeat(256)}`]])("refuses %j", (name) => {
    expect(code(() => checkAliasName(name))).toBe("InvalidParameter");
  });

  it("reads ids, aliases and ARNs of either", () => {
    expect(parseKeyReference(ID)).toEqual({ kind: "id", keyId: ID });
    expect(parseKeyReference(`acs:kms:cn-hangzhou:123:key/${ID}`)).toEqual({ kind: "id", keyId: ID });
    expect(parseKeyReference("alias/x")).toEqual({ kind: "alias", alias: "alias/x" });
    expect(parseKeyReference("acs:kms:cn-hangzhou:123:alias/x")).toEqual({ kind: "alias", alias: "alias/x" });
  });

  it("answers anything else as a key that is not found, as the cloud does", () => {
    expect(code(() => parseKeyReference("nope"))).toBe("Forbidden.KeyNotFound");
    expect(code(() => parseKeyReference(ID.toUpperCase()))).toBe("Forbidden.KeyNotFound");
  });
});
