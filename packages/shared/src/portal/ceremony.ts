import { z } from "zod";
import { TokenLabelSchema } from "../bridge/commands.js";
import { KeySpecSchema, RsaSizeSchema } from "../keys/spec.js";
import { KeyNameSchema } from "../keyvault/wire.js";
import { BridgeIdSchema, PrincipalRefSchema } from "./bridges.js";

/**
 * BYOK ceremonies as records, served by the portal API under `/portal-api/ceremonies`.
 *
 * Access: every endpoint needs `importKey` at `/keys` (whoever may run a ceremony). The runner then
 * acts AS THE CEREMONY'S CREATOR and re-checks, at each step, `createKey` at `/keys/{kek}` (a created
 * KEK) and `importKey` at `/keys/{target}` per target — a role removed mid-ceremony stops it.
 *
 * - `GET  /portal-api/ceremonies`                  → {@link CeremonyListSchema} (newest first, `?limit=` ≤ 200, default 50)
 * - `POST /portal-api/ceremonies`                  body {@link CreateCeremonyRequestSchema} → 202 {@link CeremonySchema}.
 *   Everything is checked before anything is written: the bridge is registered (and, online, reachable
 *   with its registered identity, and its token can generate each spec / holds each existing label with
 *   that spec), the KEK name is free (create) or names an enabled, unexpired, import-only RSA key
 *   (existing), target names are free in the target and unique, labels unique, the caller may create
 *   the KEK and import each target. Any refusal is a 400 with every problem in words (an unknown bridge
 *   too), 403 for authorization, 503 when an online ceremony's bridge cannot be reached — and no record.
 *   The record is written in one transaction, then the run starts.
 * - `GET  /portal-api/ceremonies/:id`              → {@link CeremonySchema} (poll it: a reload shows the same progress)
 * - `POST /portal-api/ceremonies/:id/resume`       → 202 {@link CeremonySchema}: continue an `interrupted`
 *   ceremony (also done automatically when the portal starts). A command that was sent but not answered is
 *   fetched from the bridge by its jti, never re-sent; a key already imported is not imported again.
 *   409 Conflict when the ceremony is not interrupted.
 * - `GET  /portal-api/ceremonies/:id/command-file` → the signed command (compact JWS, `application/jose`,
 *   attachment `keyward-<id>-<step>-<n>-of-<total>.jws`) the air-gapped custodian runs with
 *   `keyward-bridge exec <file> > result.jws`. It is valid for 5 minutes from signing (the protocol's limit);
 *   downloading again returns the same file while it is valid, a freshly signed one afterwards.
 *   409 when the ceremony is not `awaiting-file`.
 * - `POST /portal-api/ceremonies/:id/result-file`  body {@link ResultFileRequestSchema} → 200 {@link CeremonySchema}.
 *   The result must verify against the registered bridge identity and answer exactly one of the commands
 *   this ceremony issued for its current step; otherwise 400 with words and nothing changes
 *   (`innererror.code`: ResultFileForeign — answers no command of this ceremony; ResultFileInvalid — not
 *   signed by the pinned bridge identity, or tampered; ResultFileUsed — already applied). A genuine
 *   result that carries a bridge refusal (e.g. the file had expired) is applied: 200, the record's
 *   `error` says what happened and which file to download again.
 *
 * Other `innererror.code`s of create: BridgeNotRegistered, BridgeIdentityMismatch, BridgeIncompatible,
 * BridgeOffline (503), BridgeCannotWrap, KekNotFound, KekNotImportOnly, KekNotUsable, KekInvalid,
 * TargetsInvalid.
 *
 * Air-gapped design: one file per key generation (`key.generate` names one label), then ONE file that
 * wraps every target for the KEK (`byok.wrapBatch`, ≤ 256 targets per file). Targets that use an existing
 * token key skip generation, so such a ceremony is a single round trip.
 *
 * The browser never receives a `.byok` body, only its SHA-256 and the states.
 */

export const CEREMONY_MODES = ["online", "air-gapped"] as const;
export const CeremonyModeSchema = z.enum(CEREMONY_MODES);
export type CeremonyMode = z.infer<typeof CeremonyModeSchema>;

/** Most targets in one ceremony; wraps go to the bridge in batches of MAX_BATCH_TARGETS (256). */
export const MAX_CEREMONY_TARGETS = 1024;

/** Create an import-only RSA-HSM KEK in the target, or use an existing import-only one by name. */
export const KekChoiceSchema = z.discriminatedUnion(
  "kind",
  [
    z.object({ kind: z.literal("create"), name: KeyNameSchema, size: RsaSizeSchema }).strict(),
    z.object({ kind: z.literal("existing"), name: KeyNameSchema }).strict(),
  ],
  { error: 'the KEK choice is {"kind":"create","name":…,"size":2048|3072|4096} or {"kind":"existing","name":…}' },
);
export type KekChoice = z.infer<typeof KekChoiceSchema>;

/** "generate": a new key made in the HSM under `label`; "existing": a key already on the token (from `/bridges/:id/keys`). */
export const TARGET_SOURCES = ["generate", "existing"] as const;
export const TargetSourceSchema = z.enum(TARGET_SOURCES);
export type TargetSource = z.infer<typeof TargetSourceSchema>;

export const CeremonyTargetRequestSchema = z
  .object({
    /** The key's name in the target (Key Vault key name). */
    name: KeyNameSchema,
    /** Its label in the HSM; defaults to `name`. */
    label: TokenLabelSchema.optional(),
    /** RSA size / EC curve / AES size. For an existing token key it must match what the token holds. */
    spec: KeySpecSchema,
    source: TargetSourceSchema,
  })
  .strict();
export type CeremonyTargetRequest = z.infer<typeof CeremonyTargetRequestSchema>;

/** `POST /portal-api/ceremonies`. */
export const CreateCeremonyRequestSchema = z
  .object({
    bridgeId: BridgeIdSchema,
    mode: CeremonyModeSchema,
    kek: KekChoiceSchema,
    targets: z
      .array(CeremonyTargetRequestSchema)
      .min(1, { error: "a ceremony names at least one target key" })
      .max(MAX_CEREMONY_TARGETS, { error: `a ceremony names at most ${MAX_CEREMONY_TARGETS} target keys` }),
  })
  .strict();
export type CreateCeremonyRequest = z.infer<typeof CreateCeremonyRequestSchema>;

/**
 * Per target: pending → generated → wrapped → imported → proven, or failed (with `error` in words).
 * An existing token key goes straight from pending to wrapped.
 */
export const TARGET_STATES = ["pending", "generated", "wrapped", "imported", "proven", "failed"] as const;
export const TargetStateSchema = z.enum(TARGET_STATES);
export type TargetState = z.infer<typeof TargetStateSchema>;

export const CeremonyTargetSchema = z.object({
  name: KeyNameSchema,
  label: z.string(),
  spec: KeySpecSchema,
  source: TargetSourceSchema,
  state: TargetStateSchema,
  error: z.string().optional(),
  /** Hex SHA-256 of the `.byok` the bridge produced (the body itself stays on the server). */
  byokSha256: z.string().optional(),
  /** The imported key's versioned id. */
  kid: z.string().optional(),
  /** How the imported key was shown to be the HSM's (signature verified / key check value matched). */
  proof: z.string().optional(),
  updatedAt: z.string(),
});
export type CeremonyTarget = z.infer<typeof CeremonyTargetSchema>;

/**
 * - running: the portal is working on it (online), or about to;
 * - awaiting-file: air-gapped, waiting for the custodian's result file (see `airGapped`);
 * - interrupted: stopped by something passing (bridge unreachable, portal restart) — resumable;
 * - completed: every target proven;
 * - failed: finished, with at least one failed target or a ceremony-wide refusal in `error`.
 */
export const CEREMONY_STATES = ["running", "awaiting-file", "interrupted", "completed", "failed"] as const;
export const CeremonyStateSchema = z.enum(CEREMONY_STATES);
export type CeremonyState = z.infer<typeof CeremonyStateSchema>;

export const CeremonyProgressSchema = z.object({
  total: z.number().int(),
  pending: z.number().int(),
  generated: z.number().int(),
  wrapped: z.number().int(),
  imported: z.number().int(),
  proven: z.number().int(),
  failed: z.number().int(),
});
export type CeremonyProgress = z.infer<typeof CeremonyProgressSchema>;

/** Where an air-gapped ceremony stands: which file to download next (1-based), of how many in this step. */
export const AirGappedStepSchema = z.object({
  step: z.enum(["generate", "wrap"]),
  file: z.number().int(),
  files: z.number().int(),
  /** What the next file does, e.g. "generate payments-1 (RSA-3072)". */
  description: z.string(),
  /** When the last downloaded file stops being valid (absent before the first download). */
  expiresAt: z.string().optional(),
});
export type AirGappedStep = z.infer<typeof AirGappedStepSchema>;

const CeremonyCommonSchema = z.object({
  /** `cer_…` */
  id: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().optional(),
  createdBy: PrincipalRefSchema,
  bridge: z.object({ bridgeId: z.string(), url: z.string(), thumbprint: z.string() }),
  mode: CeremonyModeSchema,
  kek: z.object({ name: z.string(), size: RsaSizeSchema.optional(), created: z.boolean(), kid: z.string().optional() }),
  state: CeremonyStateSchema,
  /** A ceremony-wide error or the reason it was interrupted, in words. */
  error: z.string().optional(),
  progress: CeremonyProgressSchema,
  airGapped: AirGappedStepSchema.optional(),
});

/** `GET /portal-api/ceremonies/:id`. */
export const CeremonySchema = CeremonyCommonSchema.extend({ targets: z.array(CeremonyTargetSchema) });
export type Ceremony = z.infer<typeof CeremonySchema>;

export const CeremonySummarySchema = CeremonyCommonSchema;
export type CeremonySummary = z.infer<typeof CeremonySummarySchema>;

/** `GET /portal-api/ceremonies`. */
export const CeremonyListSchema = z.object({ ceremonies: z.array(CeremonySummarySchema) });
export type CeremonyList = z.infer<typeof CeremonyListSchema>;

/** `POST /portal-api/ceremonies/:id/result-file`: the text `keyward-bridge exec` printed (a compact JWS). */
export const ResultFileRequestSchema = z
  .object({
    result: z
      .string()
      .max(16 * 1024 * 1024)
      .transform((s) => s.trim())
      .pipe(z.string().regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, { error: "the result file is not a signed result (a compact JWS as keyward-bridge exec prints it)" })),
  })
  .strict();
export type ResultFileRequest = z.infer<typeof ResultFileRequestSchema>;

export function emptyProgress(total = 0): CeremonyProgress {
  return { total, pending: total, generated: 0, wrapped: 0, imported: 0, proven: 0, failed: 0 };
}
