import { describe, expect, it } from "vitest";
import {
  KEY_OPERATIONS,
  KeyAttributesInputSchema,
  KeyAttributesSchema,
  MAX_UNIX_SECONDS,
  OPERATIONS_OUTSIDE_VALIDITY,
  checkValidityWindow,
  operationAllowedAt,
} from "./attributes.js";

// A frozen clock: 2027-01-15T08:00:00Z, with a window of 2027-01-01 .. 2027-02-01.
const NBF = 1_798_761_600; // 2027-01-01T00:00:00Z
const EXP = 1_801_440_000; // 2027-02-01T00:00:00Z
const NOW = 1_800_000_000; // 2027-01-15T08:00:00Z
const WINDOW = { enabled: true, nbf: NBF, exp: EXP };

const GATED = ["encrypt", "sign", "wrapKey", "import"] as const;

describe("operationAllowedAt", () => {
  it("the vocabulary and the outside-window exceptions are as documented", () => {
    expect(KEY_OPERATIONS).toEqual(["encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey", "release", "import"]);
    expect(OPERATIONS_OUTSIDE_VALIDITY).toEqual(["decrypt", "unwrapKey", "verify", "release"]);
  });

  it.each(KEY_OPERATIONS)("allows %s inside the window", (op) => {
    expect(operationAllowedAt(op, WINDOW, NOW)).toEqual({ ok: true });
  });

  it.each(KEY_OPERATIONS)("allows %s when no window is set and enabled is absent", (op) => {
    expect(operationAllowedAt(op, {}, NOW)).toEqual({ ok: true });
  });

  it.each(KEY_OPERATIONS)("refuses %s on a disabled key, even inside the window", (op) => {
    expect(operationAllowedAt(op, { ...WINDOW, enabled: false }, NOW)).toEqual({
      ok: false,
      code: "KEY_DISABLED",
      message: `the key is disabled; ${op} is not allowed`,
    });
  });

  it.each(OPERATIONS_OUTSIDE_VALIDITY)("allows %s before nbf and after exp", (op) => {
    expect(operationAllowedAt(op, WINDOW, NBF - 1)).toEqual({ ok: true });
    expect(operationAllowedAt(op, WINDOW, EXP + 1)).toEqual({ ok: true });
  });

  it.each(GATED)("refuses %s before nbf, saying when it becomes valid", (op) => {
    expect(operationAllowedAt(op, WINDOW, NBF - 1)).toEqual({
      ok: false,
      code: "KEY_NOT_YET_VALID",
      message: `the key is not valid before 2027-01-01T00:00:00Z; until then only decrypt, unwrapKey, verify, release are allowed, not ${op}`,
    });
  });

  it.each(GATED)("refuses %s after exp, saying when it expired", (op) => {
    expect(operationAllowedAt(op, WINDOW, EXP + 1)).toEqual({
      ok: false,
      code: "KEY_EXPIRED",
      message: `the key expired at 2027-02-01T00:00:00Z; since then only decrypt, unwrapKey, verify, release are allowed, not ${op}`,
    });
  });

  it("the window includes both ends", () => {
    expect(operationAllowedAt("sign", WINDOW, NBF)).toEqual({ ok: true });
    expect(operationAllowedAt("sign", WINDOW, EXP)).toEqual({ ok: true });
  });

  it("applies nbf and exp independently", () => {
    expect(operationAllowedAt("encrypt", { nbf: NBF }, EXP + 10_000)).toEqual({ ok: true });
    expect(operationAllowedAt("encrypt", { exp: EXP }, 0)).toEqual({ ok: true });
    expect(operationAllowedAt("encrypt", { exp: EXP }, EXP + 1)).toMatchObject({ ok: false, code: "KEY_EXPIRED" });
  });

  it("throws on a clock that is not a number (a caller bug, not a refusal)", () => {
    expect(() => operationAllowedAt("sign", WINDOW, Number.NaN)).toThrow(TypeError);
  });
});

describe("checkValidityWindow", () => {
  it("accepts nbf < exp, or either alone", () => {
    expect(checkValidityWindow({ nbf: NBF, exp: EXP })).toEqual({ ok: true });
    expect(checkValidityWindow({ nbf: NBF })).toEqual({ ok: true });
    expect(checkValidityWindow({ exp: EXP })).toEqual({ ok: true });
    expect(checkValidityWindow({})).toEqual({ ok: true });
  });

  it.each([
    [EXP, EXP, "nbf (2027-02-01T00:00:00Z) must be before exp (2027-02-01T00:00:00Z)"],
    [EXP, NBF, "nbf (2027-02-01T00:00:00Z) must be before exp (2027-01-01T00:00:00Z)"],
  ])("refuses nbf %i with exp %i", (nbf, exp, message) => {
    expect(checkValidityWindow({ nbf, exp })).toEqual({ ok: false, code: "ATTR_WINDOW", message });
  });
});

const messagesOf = (result: { success: boolean; error?: { issues: { message: string; path: PropertyKey[] }[] } }) => {
  expect(result.success).toBe(false);
  return (result.error?.issues ?? []).map((i) => ({ message: i.message, path: i.path }));
};

describe("KeyAttributesSchema", () => {
  it("parses attributes as the service returns them, dropping fields it does not model", () => {
    const modelled = {
      enabled: true,
      nbf: NBF,
      exp: EXP,
      created: 1_493_942_451,
      updated: 1_493_942_451,
      recoverableDays: 90,
      recoveryLevel: "Recoverable+Purgeable",
      exportable: false,
      hsmPlatform: "2",
    };
    expect(KeyAttributesSchema.parse({ ...modelled, attestation: { version: "1.0" } })).toEqual(modelled);
    expect(KeyAttributesSchema.parse({})).toEqual({});
    expect(KeyAttributesSchema.parse({ recoverableDays: 0 })).toEqual({ recoverableDays: 0 });
  });

  it.each([
    [{ nbf: 1.5 }, "nbf", "nbf must be a unix time in whole seconds; got 1.5"],
    [{ exp: "2027-01-01" }, "exp", 'exp must be a unix time in whole seconds; got "2027-01-01"'],
    [{ created: -1 }, "created", "created must not be before 1970-01-01"],
    [{ nbf: NBF * 1000 }, "nbf", "nbf is after the year 9999; it looks like milliseconds, give seconds"],
    [{ updated: MAX_UNIX_SECONDS + 1 }, "updated", "updated is after the year 9999; it looks like milliseconds, give seconds"],
    [{ enabled: "yes" }, "enabled", "enabled must be true or false"],
    [{ exportable: 1 }, "exportable", "exportable must be true or false"],
    [{ recoverableDays: 5 }, "recoverableDays", "recoverableDays is 5; it must be 0 or 7 to 90"],
    [{ recoverableDays: 91 }, "recoverableDays", "recoverableDays is 91; it must be 0 or 7 to 90"],
    [{ recoverableDays: 7.5 }, "recoverableDays", "recoverableDays must be a whole number of days"],
    [{ recoveryLevel: "Deleted" }, "recoveryLevel", 'recoveryLevel "Deleted" is not known; use Purgeable, Recoverable+Purgeable, Recoverable, Recoverable+ProtectedSubscription, CustomizedRecoverable+Purgeable, CustomizedRecoverable, CustomizedRecoverable+ProtectedSubscription'],
    [{ hsmPlatform: 2 }, "hsmPlatform", "hsmPlatform must be a string"],
    [{ nbf: EXP, exp: NBF }, "nbf", "nbf (2027-02-01T00:00:00Z) must be before exp (2027-01-01T00:00:00Z)"],
  ])("refuses %j", (input, path, message) => {
    expect(messagesOf(KeyAttributesSchema.safeParse(input))).toEqual([{ message, path: [path] }]);
  });

  it("accepts the upper bound of unix time", () => {
    expect(KeyAttributesSchema.parse({ exp: MAX_UNIX_SECONDS })).toEqual({ exp: MAX_UNIX_SECONDS });
  });
});

describe("KeyAttributesInputSchema", () => {
  it("accepts what a caller may set", () => {
    const input = { enabled: false, nbf: NBF, exp: EXP, exportable: true };
    expect(KeyAttributesInputSchema.parse(input)).toEqual(input);
  });

  it("refuses read-only fields by name", () => {
    expect(messagesOf(KeyAttributesInputSchema.safeParse({ enabled: true, created: NOW }))).toEqual([
      { message: "created is set by the service and cannot be given", path: [] },
    ]);
    expect(messagesOf(KeyAttributesInputSchema.safeParse({ created: NOW, recoveryLevel: "Purgeable" }))).toEqual([
      { message: "created, recoveryLevel are set by the service and cannot be given", path: [] },
    ]);
  });

  it("refuses unknown fields by name", () => {
    expect(messagesOf(KeyAttributesInputSchema.safeParse({ expires: EXP }))).toEqual([
      { message: "unknown attribute expires; use enabled, nbf, exp, exportable", path: [] },
    ]);
  });

  it("applies the window rule", () => {
    expect(messagesOf(KeyAttributesInputSchema.safeParse({ nbf: EXP, exp: EXP }))).toEqual([
      { message: "nbf (2027-02-01T00:00:00Z) must be before exp (2027-02-01T00:00:00Z)", path: ["nbf"] },
    ]);
  });
});
