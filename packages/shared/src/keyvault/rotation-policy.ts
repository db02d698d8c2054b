import { z } from "zod";
import { MAX_UNIX_SECONDS } from "../keys/attributes.js";

/**
 * Key rotation policies (facts §2.2 KeyRotationPolicy, §6.3): the input schema with Key Vault's
 * rules, a small ISO 8601 duration parser, calendar arithmetic, and when a version is due for
 * automatic rotation.
 */

// ---------------------------------------------------------------------------------------------
// ISO 8601 durations

export interface IsoDuration {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}
export type DurationErrorCode = "DURATION_SYNTAX" | "DURATION_FRACTION" | "DURATION_TOO_LONG";
export type DurationParse = { ok: true; duration: IsoDuration } | { ok: false; code: DurationErrorCode; message: string };

const DAY = 86_400;
const DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;
const EXAMPLES = "e.g. P90D, P1Y, P2W or PT36H";
const quote = (text: string) => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);

/**
 * Nominal length with a year of 365 days and a month of 30 (12 months make a year), as .NET's
 * xsd:duration → TimeSpan conversion counts them; the service is .NET, but that it compares
 * durations this way is UNCONFIRMED. Used only to check the minimums, never to schedule.
 */
export function nominalSeconds(d: IsoDuration): number {
  const days = (d.years + Math.floor(d.months / 12)) * 365 + (d.months % 12) * 30 + d.weeks * 7 + d.days;
  return days * DAY + d.hours * 3600 + d.minutes * 60 + d.seconds;
}

/**
 * PnYnMnDTnHnMnS or PnW, whole numbers only. Refused: fractions ("P1.5D": write PT36H, and
 * calendar arithmetic stays exact), weeks mixed with other units (ISO 8601-1 allows PnW only
 * alone), lower-case designators, signs, and durations past the year 9999 from the epoch.
 */
export function parseIsoDuration(text: string): DurationParse {
  const fail = (code: DurationErrorCode, message: string): DurationParse => ({ ok: false, code, message });
  if (text === "") return fail("DURATION_SYNTAX", `the duration is empty; give an ISO 8601 duration, ${EXAMPLES}`);
  if (/^[+-]/.test(text)) return fail("DURATION_SYNTAX", `${quote(text)} has a sign; durations here are positive, ${EXAMPLES}`);
  if (/\d[.,]\d/.test(text)) {
    return fail("DURATION_FRACTION", `${quote(text)} has a fraction; use whole numbers of a smaller unit (PT36H rather than P1.5D)`);
  }
  const match = DURATION.exec(text);
  if (!match) {
    if (DURATION.test(text.toUpperCase())) return fail("DURATION_SYNTAX", `designators are upper case: write ${quote(text.toUpperCase())}`);
    if (!text.startsWith("P")) return fail("DURATION_SYNTAX", `${quote(text)} is not an ISO 8601 duration, which starts with "P": ${EXAMPLES}`);
    return fail("DURATION_SYNTAX", `${quote(text)} is not an ISO 8601 duration; components go in the order PnYnMnWnDTnHnMnS, ${EXAMPLES}`);
  }
  if (text.endsWith("T")) return fail("DURATION_SYNTAX", `${quote(text)}: "T" must be followed by hours, minutes or seconds, e.g. PT36H`);
  const [years, months, weeks, days, hours, minutes, seconds] = match.slice(1).map((n) => (n === undefined ? undefined : Number(n)));
  const given = [years, months, weeks, days, hours, minutes, seconds].filter((n) => n !== undefined).length;
  if (given === 0) return fail("DURATION_SYNTAX", `"P" must be followed by at least one component, ${EXAMPLES}`);
  if (weeks !== undefined && given > 1) {
    return fail("DURATION_SYNTAX", `${quote(text)} mixes weeks with other units, which ISO 8601 does not allow; count the weeks as days`);
  }
  const duration: IsoDuration = {
    years: years ?? 0,
    months: months ?? 0,
    weeks: weeks ?? 0,
    days: days ?? 0,
    hours: hours ?? 0,
    minutes: minutes ?? 0,
    seconds: seconds ?? 0,
  };
  // Keeps every later addDuration inside the range a Date can hold.
  if (!(nominalSeconds(duration) <= MAX_UNIX_SECONDS)) return fail("DURATION_TOO_LONG", `${quote(text)} is longer than any key can live (past the year 9999)`);
  return { ok: true, duration };
}

const daysInMonth = (year: number, month: number) => {
  const last = new Date(0);
  last.setUTCFullYear(year, month + 1, 0);
  return last.getUTCDate();
};

function shift(dateSeconds: number, d: IsoDuration, sign: 1 | -1): number {
  if (!Number.isFinite(dateSeconds)) throw new TypeError("dateSeconds must be a finite number of seconds");
  const date = new Date(dateSeconds * 1000);
  const monthIndex = date.getUTCFullYear() * 12 + date.getUTCMonth() + sign * (d.years * 12 + d.months);
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12;
  // Jan 31 + P1M is the last day of February, as .NET AddMonths and Temporal (overflow "constrain") do.
  const shifted = new Date(date.getTime());
  shifted.setUTCFullYear(year, month, Math.min(date.getUTCDate(), daysInMonth(year, month)));
  // Days are 86,400 s: all arithmetic is in UTC, which has no daylight-saving days.
  const rest = ((d.weeks * 7 + d.days) * DAY + d.hours * 3600 + d.minutes * 60 + d.seconds) * 1000;
  const ms = shifted.getTime() + sign * rest;
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) throw new RangeError("the resulting date is outside the range a Date can hold");
  return ms / 1000;
}

/** `dateSeconds` + `duration`, calendar-aware: years and months first (day clamped to the month's end), then the rest. */
export function addDuration(dateSeconds: number, duration: IsoDuration): number {
  return shift(dateSeconds, duration, 1);
}

/** `dateSeconds` − `duration`, the mirror of addDuration (used for "time before expiry"). */
export function subtractDuration(dateSeconds: number, duration: IsoDuration): number {
  return shift(dateSeconds, duration, -1);
}

// ---------------------------------------------------------------------------------------------
// KeyRotationPolicy

export const ROTATION_ACTION_TYPES = ["Rotate", "Notify"] as const;
export type RotationActionType = (typeof ROTATION_ACTION_TYPES)[number];
export type RotationTrigger = { readonly timeAfterCreate: string } | { readonly timeBeforeExpiry: string };
export interface LifetimeAction {
  readonly trigger: RotationTrigger;
  readonly action: { readonly type: RotationActionType };
}
export interface KeyRotationPolicy {
  readonly lifetimeActions: readonly LifetimeAction[];
  readonly attributes: { readonly expiryTime?: string };
}

/** "By default, all keys have a policy that will notify 30 days before expiry" (JS KeyClient docs). */
export const DEFAULT_KEY_ROTATION_POLICY: KeyRotationPolicy = Object.freeze({
  lifetimeActions: Object.freeze([Object.freeze({ trigger: Object.freeze({ timeBeforeExpiry: "P30D" }), action: Object.freeze({ type: "Notify" as const }) })]),
  attributes: Object.freeze({}),
});

/*
 * Rules and their sources:
 * - expiryTime ≥ P28D: keys.json KeyRotationPolicy attributes ("minimum 28 days"), managed-hsm/key-rotation.md.
 * - Automatic rotation at most every 28 days — managed-hsm/key-rotation.md: "the minimum value for
 *   timeAfterCreate is P28D … if expiryTime is P56D, timeBeforeExpiry can be at most P28D" (facts §6.3).
 *   Key Vault vaults document a looser 7 days (keys/how-to-configure-key-rotation.md); the local
 *   target is Managed-HSM-like, so the stricter rule is the one implemented.
 * - Rotating before expiry needs expiryTime: "It requires 'Expiry Time' set on rotation policy"
 *   (keys/how-to-configure-key-rotation.md) — without it a rotated version has no expiry to rotate before.
 * - At most one Rotate and one Notify (keys.json: "one for rotate, one for notify").
 * - A Notify timeBeforeExpiry shorter than expiryTime, or it would fire before the version exists.
 */
export const MIN_EXPIRY_SECONDS = 28 * DAY;
export const MIN_ROTATION_INTERVAL_SECONDS = 28 * DAY;

export type RotationPolicyIssueCode =
  | "ROTATION_SHAPE"
  | "ROTATION_ACTION_TYPE"
  | "ROTATION_ACTION_DUPLICATE"
  | "ROTATION_TRIGGER"
  | "ROTATION_EXPIRY_TOO_SHORT"
  | "ROTATION_TOO_FREQUENT"
  | "ROTATION_NEEDS_EXPIRY"
  | "ROTATION_BEFORE_EXPIRY_TOO_LONG"
  | DurationErrorCode;

const kindOf = (v: unknown) =>
  v === null ? "null" : v === undefined ? "nothing" : Array.isArray(v) ? "an array" : typeof v === "object" ? "an object" : `a ${typeof v}`;
/** Refinements that cannot fail reach this only for a policy built by hand around the schema. */
const durationOf = (text: string): IsoDuration => {
  const parsed = parseIsoDuration(text);
  if (!parsed.ok) throw new TypeError(`invalid duration ${quote(text)}: ${parsed.message}; validate the policy with KeyRotationPolicySchema`);
  return parsed.duration;
};

/** Object errors in words: what was expected, and which fields are allowed. */
const objectError = (what: string, fields: string) => (issue: z.core.$ZodRawIssue) => {
  if (issue.code === "unrecognized_keys") return `unknown field ${issue.keys.map((k) => quote(k)).join(", ")}; ${what} has ${fields}`;
  if (issue.code === "invalid_type") return issue.input === undefined ? `${what} is missing` : `${what} must be an object; got ${kindOf(issue.input)}`;
  return undefined;
};

const duration = (name: string) =>
  z.string({ error: (i) => `${name} must be an ISO 8601 duration string such as "P30D"; got ${kindOf(i.input)}` }).superRefine((text, ctx) => {
    const parsed = parseIsoDuration(text);
    // continue: false keeps the cross-field rules from running on a duration that does not parse.
    if (!parsed.ok) ctx.addIssue({ code: "custom", message: `${name}: ${parsed.message}`, params: { code: parsed.code }, continue: false });
  });
/** null and "" mean "not set": the service returns nulls (PY issue #19840) and the docs' ARM example sends "". */
const optionalDuration = (name: string) => z.preprocess((v) => (v === null || v === "" ? undefined : v), duration(name).optional());

const TriggerSchema = z
  .strictObject(
    { timeAfterCreate: optionalDuration("timeAfterCreate"), timeBeforeExpiry: optionalDuration("timeBeforeExpiry") },
    { error: objectError("a trigger", "timeAfterCreate or timeBeforeExpiry") },
  )
  .superRefine((t, ctx) => {
    if ((t.timeAfterCreate === undefined) === (t.timeBeforeExpiry === undefined)) {
      const message = t.timeAfterCreate === undefined ? "give timeAfterCreate or timeBeforeExpiry" : "give either timeAfterCreate or timeBeforeExpiry, not both";
      ctx.addIssue({ code: "custom", message: `a trigger has exactly one time: ${message}`, params: { code: "ROTATION_TRIGGER" }, continue: false });
    }
  })
  .transform((t): RotationTrigger => (t.timeAfterCreate !== undefined ? { timeAfterCreate: t.timeAfterCreate } : { timeBeforeExpiry: t.timeBeforeExpiry ?? "" }));

const ActionSchema = z.strictObject(
  {
    // The service answers "Rotate"/"Notify" but compares case-insensitively (PY issue #19840).
    type: z.string({ error: (i) => `action type must be "Rotate" or "Notify"; got ${kindOf(i.input)}` }).transform((text, ctx) => {
      const type = ROTATION_ACTION_TYPES.find((t) => t.toLowerCase() === text.toLowerCase());
      if (type) return type;
      ctx.addIssue({ code: "custom", message: `action type ${quote(text)} is not known; use "Rotate" or "Notify"`, params: { code: "ROTATION_ACTION_TYPE" } });
      return z.NEVER;
    }),
  },
  { error: objectError("an action", "type") },
);

const LifetimeActionSchema = z.strictObject({ trigger: TriggerSchema, action: ActionSchema }, { error: objectError("a lifetime action", "trigger and action") });

type Issue = { path: (string | number)[]; code: RotationPolicyIssueCode; message: string };

function rotationRules(actions: readonly LifetimeAction[], expiryTime: string | undefined): Issue[] {
  const issues: Issue[] = [];
  const expiry = expiryTime === undefined ? undefined : nominalSeconds(durationOf(expiryTime));
  if (expiry !== undefined && expiry < MIN_EXPIRY_SECONDS) {
    const message = `expiryTime ${expiryTime} is shorter than 28 days; new key versions must live at least P28D`;
    issues.push({ path: ["attributes", "expiryTime"], code: "ROTATION_EXPIRY_TOO_SHORT", message });
  }
  const seen = new Set<RotationActionType>();
  actions.forEach(({ trigger, action }, i) => {
    if (seen.has(action.type)) {
      const message = `a second ${action.type} action; a policy has at most one Rotate and one Notify`;
      issues.push({ path: ["lifetimeActions", i, "action", "type"], code: "ROTATION_ACTION_DUPLICATE", message });
    }
    seen.add(action.type);
    if ("timeAfterCreate" in trigger) {
      if (action.type === "Rotate" && nominalSeconds(durationOf(trigger.timeAfterCreate)) < MIN_ROTATION_INTERVAL_SECONDS) {
        issues.push({
          path: ["lifetimeActions", i, "trigger", "timeAfterCreate"],
          code: "ROTATION_TOO_FREQUENT",
          message:
            `rotating ${trigger.timeAfterCreate} after creation is too often; ` +
            "automatic rotation may happen at most every 28 days (timeAfterCreate of at least P28D)",
        });
      }
      return;
    }
    const path = ["lifetimeActions", i, "trigger", "timeBeforeExpiry"];
    const before = nominalSeconds(durationOf(trigger.timeBeforeExpiry));
    if (action.type === "Rotate" && expiry === undefined) {
      const message = "rotating before expiry needs attributes.expiryTime, so that each new version has an expiry to rotate before";
      issues.push({ path, code: "ROTATION_NEEDS_EXPIRY", message });
    } else if (action.type === "Rotate" && expiry !== undefined && expiry - before < MIN_ROTATION_INTERVAL_SECONDS) {
      const most = Math.max(0, Math.floor((expiry - MIN_ROTATION_INTERVAL_SECONDS) / DAY));
      issues.push({
        path,
        code: "ROTATION_TOO_FREQUENT",
        message:
          `with expiryTime ${expiryTime ?? ""}, rotating ${trigger.timeBeforeExpiry} before expiry would create versions less than ` +
          `28 days apart; timeBeforeExpiry can be at most P${most}D`,
      });
    } else if (action.type === "Notify" && expiry !== undefined && before >= expiry) {
      issues.push({
        path,
        code: "ROTATION_BEFORE_EXPIRY_TOO_LONG",
        message:
          `timeBeforeExpiry ${trigger.timeBeforeExpiry} must be shorter than expiryTime ${expiryTime ?? ""}, ` +
          "or the notification would come before the version exists",
      });
    }
  });
  return issues;
}

/**
 * The body of PUT /keys/{name}/rotationpolicy. Read-only fields a GET returns (id, created,
 * updated) are accepted so that a GET → PUT round trip works, and dropped; any other unknown field
 * is refused, since a misspelt "lifetimeActions" would otherwise silently reset the policy.
 */
export const KeyRotationPolicySchema = z
  .strictObject(
    {
      id: z.unknown().optional(),
      lifetimeActions: z.array(LifetimeActionSchema, { error: (i) => `lifetimeActions must be a list; got ${kindOf(i.input)}` }).nullish(),
      attributes: z
        .strictObject(
          { expiryTime: optionalDuration("expiryTime"), created: z.unknown().optional(), updated: z.unknown().optional() },
          { error: objectError("attributes", "expiryTime") },
        )
        .nullish(),
    },
    { error: objectError("a rotation policy", "lifetimeActions and attributes") },
  )
  .superRefine((p, ctx) => {
    for (const { path, code, message } of rotationRules(p.lifetimeActions ?? [], p.attributes?.expiryTime)) {
      ctx.addIssue({ code: "custom", path, message, params: { code } });
    }
  })
  .transform(
    (p): KeyRotationPolicy => ({
      lifetimeActions: p.lifetimeActions ?? [],
      attributes: p.attributes?.expiryTime === undefined ? {} : { expiryTime: p.attributes.expiryTime },
    }),
  );

export interface RotationPolicyIssue {
  /** A JSON pointer into the request body, for a form to place the message. */
  path: string;
  code: RotationPolicyIssueCode;
  message: string;
}
export type RotationPolicyParse = { ok: true; policy: KeyRotationPolicy } | { ok: false; issues: RotationPolicyIssue[] };

const pointer = (path: readonly PropertyKey[]) => path.map((k) => `/${String(k).replaceAll("~", "~0").replaceAll("/", "~1")}`).join("");
/** Custom issues carry their code in params; zod's own (wrong type, unknown field) are shape problems. */
const issueCode = (params: unknown): RotationPolicyIssueCode =>
  typeof params === "object" && params !== null && "code" in params && typeof params.code === "string"
    ? (params.code as RotationPolicyIssueCode)
    : "ROTATION_SHAPE";

/** KeyRotationPolicySchema with its issues as {path, code, message}, like parseReleasePolicy. */
export function parseKeyRotationPolicy(input: unknown): RotationPolicyParse {
  const result = KeyRotationPolicySchema.safeParse(input);
  if (result.success) return { ok: true, policy: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((i) => ({ path: pointer(i.path), code: issueCode("params" in i ? i.params : undefined), message: i.message })),
  };
}

/**
 * When a key version (unix seconds `created`, optional `exp`) is due for automatic rotation, or
 * null if the policy never rotates it (no Rotate action, or rotate-before-expiry on a version
 * without exp). The time may be in the past: the version is then due now.
 */
export function nextRotation(policy: KeyRotationPolicy, version: { created: number; exp?: number | undefined }): number | null {
  const rotate = policy.lifetimeActions.find((a) => a.action.type === "Rotate");
  if (!rotate) return null;
  if ("timeAfterCreate" in rotate.trigger) return addDuration(version.created, durationOf(rotate.trigger.timeAfterCreate));
  return version.exp === undefined ? null : subtractDuration(version.exp, durationOf(rotate.trigger.timeBeforeExpiry));
}
