import { z } from "zod";
import { TokenLabelSchema } from "../bridge/labels.js";
import { ThumbprintSha256Schema } from "../security-domain/file.js";
import { BridgeIdSchema, PrincipalRefSchema } from "./bridges.js";

/**
 * Security-domain recovery and quorum rehearsal as portal records (issue 5 §2, §3), under
 * `/portal-api/security-domain`. The portal only ever holds encrypted shares: each custodian's bridge
 * decrypts its own share in its token and re-encrypts it to the recovery bridge's ephemeral key; the
 * recovery bridge combines them and builds the restore blob for the target's exchange key.
 *
 * - `POST /recoveries` {@link CreateRecoveryRequestSchema} (Administrator: `uploadSecurityDomain` at /)
 *   → 201 {@link RecoveryViewSchema}: the recovery bridge's ephemeral key is made at once.
 * - `GET  /recoveries`, `GET /recoveries/:id` (signed in: custodians find what awaits their approval).
 * - `POST /recoveries/:id/approvals` {@link ApproveShareRequestSchema}: only the participant named for
 *   that certificate, once; `commandSha256` must be the hash of the exact command shown to them. The
 *   portal then signs the command for their bridge. When m shares are in, the recovery completes.
 * - `POST /recoveries/:id/complete` (Administrator): combine and restore now (or again, after an interruption).
 * - `POST /rehearsals` {@link CreateRehearsalRequestSchema} (Administrator: `downloadSecurityDomain`) → 201
 *   {@link RehearsalViewSchema}; `GET /rehearsals`; `POST /rehearsals/:id/approve` {commandSha256} by the
 *   named custodian → the bridge's proof is checked against the rehearsal key recorded at download.
 */

export const ParticipantSchema = z
  .object({
    thumbprintSha256: ThumbprintSha256Schema,
    /** The portal principal (object id) who approves this share's command. */
    principalId: z.string().min(1).max(128),
    /** The custodian's registered bridge and the label of their key in its token. */
    bridgeId: BridgeIdSchema,
    keyLabel: TokenLabelSchema,
  })
  .strict();
export type Participant = z.infer<typeof ParticipantSchema>;

export const CreateRecoveryRequestSchema = z
  .object({
    recoveryBridgeId: BridgeIdSchema,
    participants: z.array(ParticipantSchema).min(2).max(10),
    /** The security-domain file to recover from; the latest one downloaded from this target when absent. */
    securityDomain: z.string().max(1024 * 1024).optional(),
  })
  .strict();
export type CreateRecoveryRequest = z.infer<typeof CreateRecoveryRequestSchema>;

export const ApproveShareRequestSchema = z.object({ thumbprintSha256: ThumbprintSha256Schema, commandSha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict();
export const ApproveRehearsalRequestSchema = z.object({ commandSha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict();

export const RECOVERY_STATES = ["collecting", "combining", "completed", "failed"] as const;
export const RecoveryStateSchema = z.enum(RECOVERY_STATES);

export const RecoveryParticipantViewSchema = ParticipantSchema.extend({
  /** The command this participant approves, exactly as it will be signed (JSON text), and its SHA-256 (hex). */
  command: z.string(),
  commandSha256: z.string(),
  approvedBy: PrincipalRefSchema.nullable(),
  approvedAt: z.number().nullable(),
  shareNumber: z.number().nullable(),
});

export const RecoveryViewSchema = z.object({
  id: z.string(),
  state: RecoveryStateSchema,
  createdAt: z.number(),
  updatedAt: z.number(),
  createdBy: PrincipalRefSchema,
  recoveryBridgeId: z.string(),
  required: z.number(),
  participants: z.array(RecoveryParticipantViewSchema),
  error: z.string().nullable(),
  /** SHA-256 (hex) of the restore blob the recovery bridge built. */
  restoreBlobSha256: z.string().nullable(),
});
export type RecoveryView = z.infer<typeof RecoveryViewSchema>;

export const CreateRehearsalRequestSchema = ParticipantSchema;
export type CreateRehearsalRequest = z.infer<typeof CreateRehearsalRequestSchema>;

export const RehearsalViewSchema = ParticipantSchema.extend({
  id: z.string(),
  state: z.enum(["pending", "passed", "failed"]),
  createdAt: z.number(),
  createdBy: PrincipalRefSchema,
  command: z.string(),
  commandSha256: z.string(),
  completedAt: z.number().nullable(),
  error: z.string().nullable(),
});
export type RehearsalView = z.infer<typeof RehearsalViewSchema>;
