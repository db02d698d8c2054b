import { describe, expect, it } from "vitest";
import {
  DEFAULT_KEY_ROTATION_POLICY,
  KeyRotationPolicySchema,
  addDuration,
  nextRotation,
  nominalSeconds,
  parseIsoDuration,
  parseKeyRotationPolicy,
  subtractDuration,
  type IsoDuration,
  type KeyRotationPolicy,
  type RotationPolicyIssue,
} from "./rotation-policy.js";
import durations from "./test-vectors/durations.json" with { type: "json" };

const DAY = 86_400;
const unix = (iso: string) => Date.parse(iso) / 1000;
const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace(".000Z", "Z");
const duration = (text: string): IsoDuration => {
  const parsed = parseIsoDuration(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.duration;
};

describe("parseIsoDuration", () => {
  it.each(durations.valid)("parses $text", ({ text, duration: expected }) => {
    expect(parseIsoDuration(text)).toEqual({ ok: true, duration: expected });
  });

  it.each(durations.invalid)("refuses $text", ({ text, code, message }) => {
    expect(parseIsoDuration(text)).toEqual({ ok: false, code, message });
  });

  it("accepts the longest duration that still ends before the year 10000", () => {
    expect(parseIsoDuration("P8000Y").ok).toBe(true);
  });
});

describe("nominalSeconds (.NET xsd:duration counting)", () => {
  it.each([
    ["P1M", 30],
    ["P1Y", 365],
    ["P12M", 365],
    ["P13M", 395],
    ["P2W", 14],
    ["P1Y10D", 375],
  ])("%s is %i days", (text, days) => {
    expect(nominalSeconds(duration(text))).toBe(days * DAY);
  });

  it("counts the time part", () => {
    expect(nominalSeconds(duration("P1DT4H5M6S"))).toBe(DAY + 4 * 3600 + 5 * 60 + 6);
  });
});

describe("addDuration / subtractDuration", () => {
  it.each(durations.arithmetic)("$start ± $duration", ({ start, duration: text, plus, minus }) => {
    expect(iso(addDuration(unix(start), duration(text)))).toBe(plus);
    expect(iso(subtractDuration(unix(start), duration(text)))).toBe(minus);
  });

  it("works before 1970 and for years below 100 (where Date.UTC would add 1900)", () => {
    expect(iso(addDuration(unix("1969-12-31T00:00:00Z"), duration("P1D")))).toBe("1970-01-01T00:00:00Z");
    expect(new Date(addDuration(unix("0050-01-31T00:00:00Z"), duration("P1M")) * 1000).toISOString()).toBe("0050-02-28T00:00:00.000Z");
  });

  it("refuses a date that is not a finite number", () => {
    expect(() => addDuration(Number.NaN, duration("P1D"))).toThrow(TypeError);
  });

  it("refuses a result outside the range a Date can hold", () => {
    expect(() => addDuration(8.64e12, duration("P1D"))).toThrow(RangeError);
  });
});

describe("KeyRotationPolicySchema: accepted policies", () => {
  it("accepts the Key Vault docs example (Rotate P18M, Notify P30D, expiry P2Y)", () => {
    const input = {
      lifetimeActions: [
        { trigger: { timeAfterCreate: "P18M", timeBeforeExpiry: null }, action: { type: "Rotate" } },
        { trigger: { timeBeforeExpiry: "P30D" }, action: { type: "Notify" } },
      ],
      attributes: { expiryTime: "P2Y" },
    };
    expect(parseKeyRotationPolicy(input)).toEqual({
      ok: true,
      policy: {
        lifetimeActions: [
          { trigger: { timeAfterCreate: "P18M" }, action: { type: "Rotate" } },
          { trigger: { timeBeforeExpiry: "P30D" }, action: { type: "Notify" } },
        ],
        attributes: { expiryTime: "P2Y" },
      },
    });
  });

  it("accepts the Managed HSM example: rotate 28 days before expiry, expiry one year", () => {
    const input = { lifetimeActions: [{ trigger: { timeAfterCreate: null, timeBeforeExpiry: "P28D" }, action: { type: "Rotate" } }], attributes: { expiryTime: "P1Y" } };
    expect(parseKeyRotationPolicy(input).ok).toBe(true);
  });

  it("accepts the boundaries: P28D after creation, expiry P56D with rotation P28D before it", () => {
    expect(parseKeyRotationPolicy({ lifetimeActions: [{ trigger: { timeAfterCreate: "P28D" }, action: { type: "Rotate" } }] }).ok).toBe(true);
    expect(parseKeyRotationPolicy({ lifetimeActions: [{ trigger: { timeBeforeExpiry: "P28D" }, action: { type: "Rotate" } }], attributes: { expiryTime: "P56D" } }).ok).toBe(true);
    expect(parseKeyRotationPolicy({ attributes: { expiryTime: "P28D" } }).ok).toBe(true);
    expect(parseKeyRotationPolicy({ attributes: { expiryTime: "P1M" } }).ok).toBe(true);
  });

  it("normalises the action type case-insensitively and treats null and \"\" as not set (the docs' ARM example)", () => {
    const input = {
      lifetimeActions: [
        { trigger: { timeAfterCreate: "P18M", timeBeforeExpiry: "" }, action: { type: "rotate" } },
        { trigger: { timeBeforeExpiry: "P30D", timeAfterCreate: null }, action: { type: "NOTIFY" } },
      ],
      attributes: { expiryTime: "P2Y" },
    };
    expect(KeyRotationPolicySchema.parse(input).lifetimeActions).toEqual([
      { trigger: { timeAfterCreate: "P18M" }, action: { type: "Rotate" } },
      { trigger: { timeBeforeExpiry: "P30D" }, action: { type: "Notify" } },
    ]);
  });

  it("accepts the blank policy and a GET response sent back (read-only fields dropped)", () => {
    expect(parseKeyRotationPolicy({ lifetimeActions: [], attributes: {} })).toEqual({ ok: true, policy: { lifetimeActions: [], attributes: {} } });
    expect(parseKeyRotationPolicy({})).toEqual({ ok: true, policy: { lifetimeActions: [], attributes: {} } });
    const got = { id: "https://v.vault.azure.net/keys/k/rotationpolicy", lifetimeActions: null, attributes: { expiryTime: null, created: 1, updated: 2 } };
    expect(parseKeyRotationPolicy(got)).toEqual({ ok: true, policy: { lifetimeActions: [], attributes: {} } });
  });

  it("accepts a Notify after creation (only Rotate is limited to every 28 days)", () => {
    expect(parseKeyRotationPolicy({ lifetimeActions: [{ trigger: { timeAfterCreate: "P7D" }, action: { type: "Notify" } }] }).ok).toBe(true);
  });

  it("the default policy (Notify 30 days before expiry) is itself valid", () => {
    expect(parseKeyRotationPolicy(DEFAULT_KEY_ROTATION_POLICY)).toEqual({ ok: true, policy: DEFAULT_KEY_ROTATION_POLICY });
    expect(DEFAULT_KEY_ROTATION_POLICY).toEqual({ lifetimeActions: [{ trigger: { timeBeforeExpiry: "P30D" }, action: { type: "Notify" } }], attributes: {} });
    expect(Object.isFrozen(DEFAULT_KEY_ROTATION_POLICY.lifetimeActions[0]?.trigger)).toBe(true);
  });
});

describe("KeyRotationPolicySchema: refusals (path, code, message)", () => {
  const act = (trigger: unknown, type: unknown = "Rotate") => ({ trigger, action: { type } });
  const issue = (path: string, code: RotationPolicyIssue["code"], message: string): RotationPolicyIssue => ({ path, code, message });
  const T0 = "/lifetimeActions/0/trigger";
  const TOO_OFTEN = "after creation is too often; automatic rotation may happen at most every 28 days (timeAfterCreate of at least P28D)";

  it.each<[string, unknown, RotationPolicyIssue[]]>([
    ["an array", [], [issue("", "ROTATION_SHAPE", "a rotation policy must be an object; got an array")]],
    ["null", null, [issue("", "ROTATION_SHAPE", "a rotation policy must be an object; got null")]],
    ["a misspelt lifetimeActions", { lifeTimeActions: [] }, [issue("", "ROTATION_SHAPE", 'unknown field "lifeTimeActions"; a rotation policy has lifetimeActions and attributes')]],
    ["lifetimeActions that is not a list", { lifetimeActions: {} }, [issue("/lifetimeActions", "ROTATION_SHAPE", "lifetimeActions must be a list; got an object")]],
    ["a missing action", { lifetimeActions: [{ trigger: { timeAfterCreate: "P30D" } }] }, [issue("/lifetimeActions/0/action", "ROTATION_SHAPE", "an action is missing")]],
    ["a missing trigger", { lifetimeActions: [{ action: { type: "Rotate" } }] }, [issue(T0, "ROTATION_SHAPE", "a trigger is missing")]],
    [
      "an unknown action type",
      { lifetimeActions: [act({ timeAfterCreate: "P30D" }, "Delete")] },
      [issue("/lifetimeActions/0/action/type", "ROTATION_ACTION_TYPE", 'action type "Delete" is not known; use "Rotate" or "Notify"')],
    ],
    [
      "a numeric action type",
      { lifetimeActions: [act({ timeAfterCreate: "P30D" }, 1)] },
      [issue("/lifetimeActions/0/action/type", "ROTATION_SHAPE", 'action type must be "Rotate" or "Notify"; got a number')],
    ],
    [
      "an unknown action field",
      { lifetimeActions: [{ trigger: { timeAfterCreate: "P30D" }, action: { type: "Rotate", when: 1 } }] },
      [issue("/lifetimeActions/0/action", "ROTATION_SHAPE", 'unknown field "when"; an action has type')],
    ],
    [
      "a trigger with both times",
      { attributes: { expiryTime: "P1Y" }, lifetimeActions: [act({ timeAfterCreate: "P30D", timeBeforeExpiry: "P30D" })] },
      [issue(T0, "ROTATION_TRIGGER", "a trigger has exactly one time: give either timeAfterCreate or timeBeforeExpiry, not both")],
    ],
    ["a trigger with no time", { lifetimeActions: [act({})] }, [issue(T0, "ROTATION_TRIGGER", "a trigger has exactly one time: give timeAfterCreate or timeBeforeExpiry")]],
    [
      "a trigger with only nulls",
      { lifetimeActions: [act({ timeAfterCreate: null, timeBeforeExpiry: null })] },
      [issue(T0, "ROTATION_TRIGGER", "a trigger has exactly one time: give timeAfterCreate or timeBeforeExpiry")],
    ],
    [
      "a misspelt trigger field",
      { lifetimeActions: [act({ timeAfterCreated: "P30D" })] },
      [
        issue(T0, "ROTATION_SHAPE", 'unknown field "timeAfterCreated"; a trigger has timeAfterCreate or timeBeforeExpiry'),
        issue(T0, "ROTATION_TRIGGER", "a trigger has exactly one time: give timeAfterCreate or timeBeforeExpiry"),
      ],
    ],
    [
      "a duration in words",
      { lifetimeActions: [act({ timeAfterCreate: "30 days" })] },
      [issue(`${T0}/timeAfterCreate`, "DURATION_SYNTAX", 'timeAfterCreate: "30 days" is not an ISO 8601 duration, which starts with "P": e.g. P90D, P1Y, P2W or PT36H')],
    ],
    [
      "a numeric duration",
      { lifetimeActions: [act({ timeAfterCreate: 30 })] },
      [issue(`${T0}/timeAfterCreate`, "ROTATION_SHAPE", 'timeAfterCreate must be an ISO 8601 duration string such as "P30D"; got a number')],
    ],
    [
      "a fractional expiryTime",
      { attributes: { expiryTime: "P1.5Y" } },
      [issue("/attributes/expiryTime", "DURATION_FRACTION", 'expiryTime: "P1.5Y" has a fraction; use whole numbers of a smaller unit (PT36H rather than P1.5D)')],
    ],
    ["an unknown attribute", { attributes: { expires: "P1Y" } }, [issue("/attributes", "ROTATION_SHAPE", 'unknown field "expires"; attributes has expiryTime')]],
    [
      "two Rotate actions (one in lower case)",
      { lifetimeActions: [act({ timeAfterCreate: "P30D" }), act({ timeAfterCreate: "P60D" }, "rotate")] },
      [issue("/lifetimeActions/1/action/type", "ROTATION_ACTION_DUPLICATE", "a second Rotate action; a policy has at most one Rotate and one Notify")],
    ],
    [
      "two Notify actions",
      { lifetimeActions: [act({ timeBeforeExpiry: "P30D" }, "Notify"), act({ timeBeforeExpiry: "P10D" }, "Notify")] },
      [issue("/lifetimeActions/1/action/type", "ROTATION_ACTION_DUPLICATE", "a second Notify action; a policy has at most one Rotate and one Notify")],
    ],
    [
      "an expiryTime under 28 days",
      { attributes: { expiryTime: "P27D" } },
      [issue("/attributes/expiryTime", "ROTATION_EXPIRY_TOO_SHORT", "expiryTime P27D is shorter than 28 days; new key versions must live at least P28D")],
    ],
    [
      "an expiryTime one hour short of 28 days",
      { attributes: { expiryTime: "PT671H" } },
      [issue("/attributes/expiryTime", "ROTATION_EXPIRY_TOO_SHORT", "expiryTime PT671H is shorter than 28 days; new key versions must live at least P28D")],
    ],
    ["rotation 27 days after creation", { lifetimeActions: [act({ timeAfterCreate: "P27D" })] }, [issue(`${T0}/timeAfterCreate`, "ROTATION_TOO_FREQUENT", `rotating P27D ${TOO_OFTEN}`)]],
    ["rotation three weeks after creation", { lifetimeActions: [act({ timeAfterCreate: "P3W" })] }, [issue(`${T0}/timeAfterCreate`, "ROTATION_TOO_FREQUENT", `rotating P3W ${TOO_OFTEN}`)]],
    [
      "rotation before expiry without expiryTime",
      { lifetimeActions: [act({ timeBeforeExpiry: "P28D" })] },
      [issue(`${T0}/timeBeforeExpiry`, "ROTATION_NEEDS_EXPIRY", "rotating before expiry needs attributes.expiryTime, so that each new version has an expiry to rotate before")],
    ],
    [
      "rotation before expiry less than 28 days after the previous one",
      { attributes: { expiryTime: "P56D" }, lifetimeActions: [act({ timeBeforeExpiry: "P29D" })] },
      [
        issue(
          `${T0}/timeBeforeExpiry`,
          "ROTATION_TOO_FREQUENT",
          "with expiryTime P56D, rotating P29D before expiry would create versions less than 28 days apart; timeBeforeExpiry can be at most P28D",
        ),
      ],
    ],
    [
      "a notification no earlier than the expiry itself",
      { attributes: { expiryTime: "P30D" }, lifetimeActions: [act({ timeBeforeExpiry: "P1M" }, "Notify")] },
      [
        issue(
          `${T0}/timeBeforeExpiry`,
          "ROTATION_BEFORE_EXPIRY_TOO_LONG",
          "timeBeforeExpiry P1M must be shorter than expiryTime P30D, or the notification would come before the version exists",
        ),
      ],
    ],
    [
      "several rule breaks at once",
      { attributes: { expiryTime: "P7D" }, lifetimeActions: [act({ timeAfterCreate: "P7D" }), act({ timeAfterCreate: "P30D" }, "ROTATE")] },
      [
        issue("/attributes/expiryTime", "ROTATION_EXPIRY_TOO_SHORT", "expiryTime P7D is shorter than 28 days; new key versions must live at least P28D"),
        issue(`${T0}/timeAfterCreate`, "ROTATION_TOO_FREQUENT", `rotating P7D ${TOO_OFTEN}`),
        issue("/lifetimeActions/1/action/type", "ROTATION_ACTION_DUPLICATE", "a second Rotate action; a policy has at most one Rotate and one Notify"),
      ],
    ],
  ])("refuses %s", (_name, input, expected) => {
    expect(parseKeyRotationPolicy(input)).toEqual({ ok: false, issues: expected });
  });

  it("reports every field problem at once across actions", () => {
    const input = { lifetimeActions: [act({ timeAfterCreate: "P" }), act({ timeBeforeExpiry: "1D" }, "Ping")], attributes: { expiryTime: "p1y" } };
    const result = parseKeyRotationPolicy(input);
    expect(result.ok ? [] : result.issues.map((i) => [i.path, i.code])).toEqual([
      ["/lifetimeActions/0/trigger/timeAfterCreate", "DURATION_SYNTAX"],
      ["/lifetimeActions/1/trigger/timeBeforeExpiry", "DURATION_SYNTAX"],
      ["/lifetimeActions/1/action/type", "ROTATION_ACTION_TYPE"],
      ["/attributes/expiryTime", "DURATION_SYNTAX"],
    ]);
  });
});

describe("nextRotation", () => {
  const created = unix("2024-01-31T09:30:00Z");
  const policy = (trigger: { timeAfterCreate: string } | { timeBeforeExpiry: string }, expiryTime = "P2Y"): KeyRotationPolicy =>
    KeyRotationPolicySchema.parse({ lifetimeActions: [{ trigger, action: { type: "Rotate" } }], attributes: { expiryTime } });

  it("is creation + timeAfterCreate, calendar-aware", () => {
    expect(iso(nextRotation(policy({ timeAfterCreate: "P1M" }), { created }) ?? 0)).toBe("2024-02-29T09:30:00Z");
    expect(iso(nextRotation(policy({ timeAfterCreate: "P18M" }), { created }) ?? 0)).toBe("2025-07-31T09:30:00Z");
  });

  it("is exp − timeBeforeExpiry, calendar-aware", () => {
    const exp = unix("2024-03-31T00:00:00Z");
    expect(iso(nextRotation(policy({ timeBeforeExpiry: "P1M" }), { created, exp }) ?? 0)).toBe("2024-02-29T00:00:00Z");
    expect(iso(nextRotation(policy({ timeBeforeExpiry: "P28D" }), { created, exp }) ?? 0)).toBe("2024-03-03T00:00:00Z");
  });

  it("may be in the past (the version is due now)", () => {
    const exp = created + 10 * DAY;
    expect(nextRotation(policy({ timeBeforeExpiry: "P28D" }), { created, exp })).toBe(exp - 28 * DAY);
  });

  it("is null for a version without exp when rotating before expiry", () => {
    expect(nextRotation(policy({ timeBeforeExpiry: "P28D" }), { created })).toBeNull();
  });

  it("is null without a Rotate action: the default policy only notifies", () => {
    expect(nextRotation(DEFAULT_KEY_ROTATION_POLICY, { created, exp: created + 90 * DAY })).toBeNull();
    expect(nextRotation({ lifetimeActions: [], attributes: {} }, { created })).toBeNull();
  });

  it("ignores the Notify action next to a Rotate", () => {
    const both = KeyRotationPolicySchema.parse({
      lifetimeActions: [
        { trigger: { timeBeforeExpiry: "P30D" }, action: { type: "Notify" } },
        { trigger: { timeAfterCreate: "P90D" }, action: { type: "Rotate" } },
      ],
    });
    expect(nextRotation(both, { created, exp: created + 365 * DAY })).toBe(addDuration(created, duration("P90D")));
  });

  it("throws on a hand-built policy whose duration does not parse", () => {
    const bad: KeyRotationPolicy = { lifetimeActions: [{ trigger: { timeAfterCreate: "90 days" }, action: { type: "Rotate" } }], attributes: {} };
    expect(() => nextRotation(bad, { created })).toThrow(TypeError);
  });
});
