import { z } from "zod";

/**
 * Operations that use a key and are therefore gated by `enabled`, `nbf` and `exp`. Management
 * calls (get, update, delete, backup…) are not gated: an administrator must still be able to
 * read a disabled key and re-enable it. `import` here means using a KEK to unwrap a `.byok`.
 * Not the same list as `key_ops`: release has no key_op, and key_ops restricts, it does not gate by time.
 */
export const KEY_OPERATIONS = ["encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey", "release", "import"] as const;
export type KeyOperation = (typeof KEY_OPERATIONS)[number];

/** Still allowed before nbf (to test a key) and after exp (to recover data protected while it was valid). */
export const OPERATIONS_OUTSIDE_VALIDITY = ["decrypt", "unwrapKey", "verify", "release"] as const satisfies readonly KeyOperation[];

export const RECOVERY_LEVELS = [
  "Purgeable",
  "Recoverable+Purgeable",
  "Recoverable",
  "Recoverable+ProtectedSubscription",
  "CustomizedRecoverable+Purgeable",
  "CustomizedRecoverable",
  "CustomizedRecoverable+ProtectedSubscription",
] as const;
export type RecoveryLevel = (typeof RECOVERY_LEVELS)[number];

/** 9999-12-31T23:59:59Z; anything later is almost certainly milliseconds passed as seconds. */
export const MAX_UNIX_SECONDS = 253_402_300_799;

const unixTime = (name: string) =>
  z
    .int({ error: (i) => `${name} must be a unix time in whole seconds; got ${JSON.stringify(i.input)}` })
    .min(0, { error: `${name} must not be before 1970-01-01` })
    .max(MAX_UNIX_SECONDS, { error: `${name} is after the year 9999; it looks like milliseconds, give seconds` });

// Messages show dates people can read; values a Date cannot hold fall back to the raw number.
const isoOf = (seconds: number) => {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? `unix time ${seconds}` : date.toISOString().replace(".000Z", "Z");
};

export type ValidityWindowCheck = { ok: true } | { ok: false; code: "ATTR_WINDOW"; message: string };

/** A key whose nbf is not before its exp could never be used for anything but decrypt/verify. */
export function checkValidityWindow(attrs: { nbf?: number | undefined; exp?: number | undefined }): ValidityWindowCheck {
  const { nbf, exp } = attrs;
  if (nbf === undefined || exp === undefined || nbf < exp) return { ok: true };
  return { ok: false, code: "ATTR_WINDOW", message: `nbf (${isoOf(nbf)}) must be before exp (${isoOf(exp)})` };
}

const windowRefinement = (attrs: { nbf?: number | undefined; exp?: number | undefined }, ctx: z.RefinementCtx) => {
  const check = checkValidityWindow(attrs);
  if (!check.ok) ctx.addIssue({ code: "custom", message: check.message, path: ["nbf"], params: { code: check.code } });
};

/** Attributes as Key Vault returns them; unknown fields (attestation, future additions) are dropped. */
export const KeyAttributesSchema = z
  .object({
    enabled: z.boolean({ error: "enabled must be true or false" }).optional(),
    nbf: unixTime("nbf").optional(),
    exp: unixTime("exp").optional(),
    created: unixTime("created").optional(),
    updated: unixTime("updated").optional(),
    recoverableDays: z
      .int({ error: "recoverableDays must be a whole number of days" })
      .refine((d) => d === 0 || (d >= 7 && d <= 90), { error: (i) => `recoverableDays is ${String(i.input)}; it must be 0 or 7 to 90` })
      .optional(),
    recoveryLevel: z
      .enum(RECOVERY_LEVELS, { error: (i) => `recoveryLevel ${JSON.stringify(i.input)} is not known; use ${RECOVERY_LEVELS.join(", ")}` })
      .optional(),
    exportable: z.boolean({ error: "exportable must be true or false" }).optional(),
    hsmPlatform: z.string({ error: "hsmPlatform must be a string" }).optional(),
  })
  .superRefine(windowRefinement);
export type KeyAttributes = z.infer<typeof KeyAttributesSchema>;

const READ_ONLY = ["created", "updated", "recoverableDays", "recoveryLevel", "hsmPlatform"];

/** What a caller may set on create/import/update; read-only fields are refused, not silently dropped. */
export const KeyAttributesInputSchema = z
  .strictObject(
    {
      enabled: z.boolean({ error: "enabled must be true or false" }).optional(),
      nbf: unixTime("nbf").optional(),
      exp: unixTime("exp").optional(),
      exportable: z.boolean({ error: "exportable must be true or false" }).optional(),
    },
    {
      error: (i) => {
        if (i.code !== "unrecognized_keys") return undefined;
        const readOnly = i.keys.filter((k) => READ_ONLY.includes(k));
        return readOnly.length > 0
          ? `${readOnly.join(", ")} ${readOnly.length === 1 ? "is" : "are"} set by the service and cannot be given`
          : `unknown attribute ${i.keys.join(", ")}; use enabled, nbf, exp, exportable`;
      },
    },
  )
  .superRefine(windowRefinement);
export type KeyAttributesInput = z.infer<typeof KeyAttributesInputSchema>;

export type OperationRefusalCode = "KEY_DISABLED" | "KEY_NOT_YET_VALID" | "KEY_EXPIRED";
export type OperationCheck = { ok: true } | { ok: false; code: OperationRefusalCode; message: string };

/**
 * Whether the service would allow `op` at `nowSeconds`. The window is inclusive at both ends
 * (usable from nbf through exp). No clock-skew leeway: Keyward shows the strict answer.
 */
export function operationAllowedAt(
  op: KeyOperation,
  attrs: { enabled?: boolean | undefined; nbf?: number | undefined; exp?: number | undefined },
  nowSeconds: number,
): OperationCheck {
  if (!Number.isFinite(nowSeconds)) throw new TypeError("nowSeconds must be a finite number of seconds");
  if (attrs.enabled === false) return { ok: false, code: "KEY_DISABLED", message: `the key is disabled; ${op} is not allowed` };
  if ((OPERATIONS_OUTSIDE_VALIDITY as readonly KeyOperation[]).includes(op)) return { ok: true };
  const allowed = OPERATIONS_OUTSIDE_VALIDITY.join(", ");
  if (attrs.nbf !== undefined && nowSeconds < attrs.nbf) {
    return {
      ok: false,
      code: "KEY_NOT_YET_VALID",
      message: `the key is not valid before ${isoOf(attrs.nbf)}; until then only ${allowed} are allowed, not ${op}`,
    };
  }
  if (attrs.exp !== undefined && nowSeconds > attrs.exp) {
    return {
      ok: false,
      code: "KEY_EXPIRED",
      message: `the key expired at ${isoOf(attrs.exp)}; since then only ${allowed} are allowed, not ${op}`,
    };
  }
  return { ok: true };
}
