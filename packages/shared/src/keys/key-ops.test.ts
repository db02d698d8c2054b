import { describe, expect, it } from "vitest";
import {
  ALLOWED_KEY_OPS,
  DEFAULT_KEY_OPS,
  KEK_KEY_OPS,
  KEY_OPS,
  KeyOpsSchema,
  isKekOps,
  isKeyOp,
  keyOpAllowedFor,
  keyOpsProblems,
  keyOpsSchemaFor,
} from "./key-ops.js";
import { KEY_FAMILIES } from "./spec.js";

function issuesOf(result: { success: boolean; error?: { issues: { message: string; params?: unknown }[] } }) {
  expect(result.success).toBe(false);
  return (result.error?.issues ?? []).map((i) => ({ message: i.message, params: i.params }));
}

describe("key_ops vocabulary", () => {
  it("is the eight JWK operations Key Vault accepts", () => {
    expect(KEY_OPS).toEqual(["encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey", "import", "export"]);
    expect(isKeyOp("wrapKey")).toBe(true);
    expect(isKeyOp("wrapkey")).toBe(false);
    expect(isKeyOp("release")).toBe(false);
  });

  it("defaults per family", () => {
    expect(DEFAULT_KEY_OPS.RSA).toEqual(["encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"]);
    expect(DEFAULT_KEY_OPS.EC).toEqual(["sign", "verify"]);
    expect(DEFAULT_KEY_OPS.oct).toEqual(["encrypt", "decrypt", "wrapKey", "unwrapKey"]);
  });

  it.each(KEY_FAMILIES)("the %s defaults pass that family's schema", (family) => {
    expect(keyOpsSchemaFor(family).parse([...DEFAULT_KEY_OPS[family]])).toEqual(DEFAULT_KEY_OPS[family]);
  });

  it.each([
    ["EC", "encrypt", false],
    ["EC", "wrapKey", false],
    ["EC", "sign", true],
    ["oct", "sign", false],
    ["oct", "verify", false],
    ["oct", "wrapKey", true],
    ["RSA", "import", true],
    ["EC", "import", false],
    ["oct", "import", false],
    ["EC", "export", true],
  ] as const)("%s allows %s: %s", (family, op, allowed) => {
    expect(keyOpAllowedFor(family, op)).toBe(allowed);
    expect(ALLOWED_KEY_OPS[family].includes(op as never)).toBe(allowed);
  });
});

describe("isKekOps", () => {
  it.each([
    [["import"], true],
    [[...KEK_KEY_OPS], true],
    [[], false],
    [["import", "import"], false],
    [["import", "sign"], false],
    [["wrapKey", "unwrapKey"], false],
    [["Import"], false],
  ])("%j → %s", (ops, expected) => {
    expect(isKekOps(ops)).toBe(expected);
  });
});

describe("KeyOpsSchema", () => {
  it("accepts a KEK list and an ordinary list", () => {
    expect(KeyOpsSchema.parse(["import"])).toEqual(["import"]);
    expect(KeyOpsSchema.parse(["decrypt", "encrypt"])).toEqual(["decrypt", "encrypt"]);
  });

  it("refuses an unknown operation and names it", () => {
    const [issue] = issuesOf(KeyOpsSchema.safeParse(["sign", "wrapkey"]));
    expect(issue?.message).toBe(
      'key operation "wrapkey" is not known; use encrypt, decrypt, sign, verify, wrapKey, unwrapKey, import, export',
    );
  });

  it("refuses something that is not a list", () => {
    expect(issuesOf(KeyOpsSchema.safeParse("sign"))).toEqual([
      { message: "key_ops must be a list of key operations", params: undefined },
    ]);
  });

  it("refuses an empty list", () => {
    expect(issuesOf(KeyOpsSchema.safeParse([]))).toEqual([
      {
        message: "key_ops is empty; list at least one operation or omit key_ops to use the defaults",
        params: { code: "KEY_OPS_EMPTY" },
      },
    ]);
  });

  it("refuses duplicates, naming the operation", () => {
    expect(issuesOf(KeyOpsSchema.safeParse(["sign", "verify", "sign"]))).toEqual([
      { message: "key_ops lists 'sign' more than once", params: { code: "KEY_OPS_DUPLICATE" } },
    ]);
  });

  it("refuses import alongside anything else, naming what to remove", () => {
    expect(issuesOf(KeyOpsSchema.safeParse(["import", "wrapKey", "unwrapKey"]))).toEqual([
      {
        message: "'import' must be the only key operation of a key-encryption key; remove 'wrapKey', 'unwrapKey'",
        params: { code: "KEY_OPS_IMPORT_EXCLUSIVE" },
      },
    ]);
  });

  it("refuses a repeated import as a duplicate, not as an exclusivity breach", () => {
    expect(keyOpsProblems(["import", "import"]).map((p) => p.code)).toEqual(["KEY_OPS_DUPLICATE"]);
  });
});

describe("keyOpsSchemaFor", () => {
  it.each([
    ["EC", ["sign", "encrypt"], "EC keys cannot 'encrypt'; allowed: 'sign', 'verify', 'export'"],
    ["oct", ["sign", "verify", "wrapKey"], "oct keys cannot 'sign', 'verify'; allowed: 'encrypt', 'decrypt', 'wrapKey', 'unwrapKey', 'export'"],
    ["EC", ["import"], "EC keys cannot 'import'; allowed: 'sign', 'verify', 'export'"],
  ] as const)("%s refuses %j", (family, ops, message) => {
    expect(issuesOf(keyOpsSchemaFor(family).safeParse(ops))).toEqual([{ message, params: { code: "KEY_OPS_FAMILY" } }]);
  });

  it("accepts an RSA KEK", () => {
    expect(keyOpsSchemaFor("RSA").parse(["import"])).toEqual(["import"]);
  });

  it("reports every problem at once", () => {
    expect(keyOpsProblems(["import", "encrypt", "encrypt"], "EC").map((p) => p.code)).toEqual([
      "KEY_OPS_DUPLICATE",
      "KEY_OPS_IMPORT_EXCLUSIVE",
      "KEY_OPS_FAMILY",
    ]);
  });
});
