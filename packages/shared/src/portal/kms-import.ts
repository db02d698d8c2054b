import { z } from "zod";
import { TokenLabelSchema } from "../bridge/commands.js";
import { KmsWrappingAlgorithmSchema, WrappingAlgorithmSchema } from "../kms/import.js";
import { BridgeIdSchema, PrincipalRefSchema } from "./bridges.js";

/**
 * KMS import jobs: key material generated (or held) in the customer's HSM, wrapped there by the bridge
 * for a KMS import token, and imported into a KMS key — served by the portal API under
 * `/portal-api/kms-imports`.
 *
 * Access: every endpoint needs `importKey` at `/keys` (whoever may run a BYOK ceremony). The job then
 * calls the KMS target in-process as the portal itself: the KMS endpoint's own access control is its
 * AccessKey pair, which the portal holds.
 *
 * - `GET  /portal-api/kms-imports`              → {@link KmsImportListSchema} (newest first)
 * - `GET  /portal-api/kms-imports/options?bridgeId=` → {@link KmsImportOptionsSchema}: the wrapping
 *   algorithms both the bridge's token (its `hsm.describe` preflight) and the target accept.
 * - `GET  /portal-api/kms-imports/reminders?days=` → {@link KmsImportRemindersSchema}: jobs whose
 *   material lapses within `days` (default 30) or has lapsed.
 * - `GET  /portal-api/kms-keys`                 → {@link KmsKeyListSchema}: every key of the KMS target with origin and state.
 * - `POST /portal-api/kms-imports`              body {@link CreateKmsImportRequestSchema} → 202 {@link KmsImportJobSchema}.
 *   Everything is checked before anything is written; a refusal is a 400 with every problem in words
 *   (503 when the bridge cannot be reached) and no record, no KMS key.
 * - `GET  /portal-api/kms-imports/:id`          → {@link KmsImportJobSchema} (key state refreshed from DescribeKey)
 * - `POST /portal-api/kms-imports/:id/resume`   → 202: continue an interrupted job (also done at portal start).
 * - `POST /portal-api/kms-imports/:id/reimport` → 202: the same HSM key wrapped again under fresh
 *   parameters and imported — for a key whose material expired or was deleted (409 otherwise).
 */

/** Where the material goes. Only the portal's own KMS endpoint for now; a cloud KMS is another kind. */
export const KmsImportTargetSchema = z.discriminatedUnion("kind", [z.object({ kind: z.literal("local-kms") }).strict()], {
  error: 'the target is {"kind":"local-kms"} (the portal\'s KMS endpoint)',
});
export type KmsImportTarget = z.infer<typeof KmsImportTargetSchema>;

/** What a KMS key id looks like on the local endpoint. */
export const KmsKeyIdSchema = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, { error: "a KMS key id is a UUID such as 0b0d4f0e-6a1e-4c63-9d2e-6f1f4f2b9a10" });

export const KmsImportKeyChoiceSchema = z.discriminatedUnion(
  "kind",
  [
    z
      .object({
        kind: z.literal("create"),
        description: z.string().max(8192).optional(),
        alias: z
          .string()
          .regex(/^alias\/[A-Za-z0-9_/-]{1,255}$/, { error: "an alias is alias/ then 1–255 letters, digits, '_', '-' and '/'" })
          .optional(),
      })
      .strict(),
    z.object({ kind: z.literal("existing"), keyId: KmsKeyIdSchema }).strict(),
  ],
  { error: 'the KMS key is {"kind":"create",…} (a new key with Origin=EXTERNAL) or {"kind":"existing","keyId":…} (a key waiting in PendingImport)' },
);
export type KmsImportKeyChoice = z.infer<typeof KmsImportKeyChoiceSchema>;

export const HSM_KEY_SOURCES = ["generate", "existing"] as const;
export const HsmKeySourceSchema = z.enum(HSM_KEY_SOURCES);

/** Most days a material expiry may lie ahead (KMS takes any later unix time; a reminder needs a sane bound). */
export const MAX_MATERIAL_DAYS = 3650;

export const CreateKmsImportRequestSchema = z
  .object({
    target: KmsImportTargetSchema.default({ kind: "local-kms" }),
    bridgeId: BridgeIdSchema,
    key: KmsImportKeyChoiceSchema,
    /** The AES-256 key in the HSM: generated now under `label`, or one already on the token. */
    hsmKey: z.object({ source: HsmKeySourceSchema, label: TokenLabelSchema }).strict(),
    algorithm: WrappingAlgorithmSchema,
    /** RSAES_PKCS1_V1_5 is deprecated for key transport: it needs this, set by a person who saw the warning. */
    allowDeprecatedPkcs1: z.boolean().optional(),
    /** The material lapses this many days after each import (KeyMaterialExpireUnix); omitted: never. */
    materialExpiresInDays: z.number().int().min(1).max(MAX_MATERIAL_DAYS).optional(),
  })
  .strict()
  .refine((r) => r.algorithm !== "RSAES_PKCS1_V1_5" || r.allowDeprecatedPkcs1 === true, {
    error: "RSAES_PKCS1_V1_5 is deprecated for key transport (NIST SP 800-131A, after 2023); tick the explicit opt-in to use it anyway, or pick RSAES_OAEP_SHA_1 or RSAES_OAEP_SHA_256",
    path: ["allowDeprecatedPkcs1"],
  });
export type CreateKmsImportRequest = z.input<typeof CreateKmsImportRequestSchema>;
export type CreateKmsImportRequestParsed = z.infer<typeof CreateKmsImportRequestSchema>;

/** running → completed | failed; interrupted when the bridge went away (resumable). */
export const KMS_IMPORT_STATES = ["running", "interrupted", "completed", "failed"] as const;
export const KmsImportStateSchema = z.enum(KMS_IMPORT_STATES);
export type KmsImportState = z.infer<typeof KmsImportStateSchema>;

/** The steps, in order; each is written when it completes, so a restarted portal goes on from the last. */
export const KMS_IMPORT_STEPS = ["planned", "hsm-key-ready", "parameters-fetched", "wrapped", "imported"] as const;
export const KmsImportStepSchema = z.enum(KMS_IMPORT_STEPS);
export type KmsImportStep = z.infer<typeof KmsImportStepSchema>;

/** A KMS key's state as DescribeKey reports it (`Unknown` when the key is gone from the target). */
export const KmsKeyStateViewSchema = z.enum(["Enabled", "Disabled", "PendingDeletion", "PendingImport", "Unknown"]);

export const KmsImportJobSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  createdBy: PrincipalRefSchema,
  target: KmsImportTargetSchema,
  bridgeId: z.string(),
  keyId: z.string(),
  alias: z.string().optional(),
  /** Refreshed from DescribeKey on every read. */
  keyState: KmsKeyStateViewSchema,
  origin: z.string().optional(),
  hsmKey: z.object({ source: HsmKeySourceSchema, label: z.string() }),
  algorithm: WrappingAlgorithmSchema,
  /** Set when the deprecated PKCS#1 v1.5 was chosen: shown wherever the job is. */
  warnings: z.array(z.string()),
  state: KmsImportStateSchema,
  step: KmsImportStepSchema,
  error: z.string().optional(),
  /** The current import token's expiry (24 h after GetParametersForImport). */
  tokenExpiresAt: z.string().optional(),
  /** The fingerprint of the material without the material: the HSM key's check value (AES-ECB of zeros, 3 bytes hex). */
  kcv: z.string().optional(),
  materialExpiresInDays: z.number().int().optional(),
  /** When the imported material lapses (DescribeKey's MaterialExpireTime), and whole days left. */
  materialExpiresAt: z.string().optional(),
  materialDaysLeft: z.number().int().optional(),
  importedAt: z.string().optional(),
  imports: z.number().int(),
  /** Material expired or deleted, and the job knows its HSM key: one click imports the same material again. */
  canReimport: z.boolean(),
});
export type KmsImportJob = z.infer<typeof KmsImportJobSchema>;

export const KmsImportListSchema = z.object({ jobs: z.array(KmsImportJobSchema) });
export type KmsImportList = z.infer<typeof KmsImportListSchema>;

export const KmsImportOptionsSchema = z.object({
  bridgeId: z.string(),
  algorithms: z.array(z.object({ algorithm: WrappingAlgorithmSchema, deprecated: z.boolean() })),
  /** What the token can do at all, for the record (it may include forms the target does not take). */
  tokenAlgorithms: z.array(KmsWrappingAlgorithmSchema),
  note: z.string(),
  canGenerateAes256: z.boolean(),
  /** AES-256 keys on the token that may leave it wrapped. */
  hsmKeys: z.array(z.object({ label: z.string(), kcv: z.string().optional() })),
});
export type KmsImportOptions = z.infer<typeof KmsImportOptionsSchema>;

export const KmsImportReminderSchema = z.object({ id: z.string(), keyId: z.string(), alias: z.string().optional(), materialExpiresAt: z.string(), daysLeft: z.number().int() });
export const KmsImportRemindersSchema = z.object({ withinDays: z.number().int(), reminders: z.array(KmsImportReminderSchema) });
export type KmsImportReminders = z.infer<typeof KmsImportRemindersSchema>;

export const KmsKeyListSchema = z.object({
  keys: z.array(z.object({ keyId: z.string(), origin: z.string(), keyState: KmsKeyStateViewSchema, materialExpiresAt: z.string().optional(), description: z.string() })),
});
export type KmsKeyList = z.infer<typeof KmsKeyListSchema>;

/** Days a reminder looks ahead unless asked otherwise. */
export const DEFAULT_REMINDER_DAYS = 30;
