import { ParticipantSchema, type CreateRecoveryRequest, type Participant } from "@keyward/shared";

/**
 * What is wrong with a rehearsal or recovery form as it is typed, by the schema the server parses the
 * request with (packages/shared/src/portal/sd-recovery.ts) and the refusals its service makes (a
 * certificate or a person named twice, fewer custodians than the quorum) — as catalog keys.
 */

/** One custodian row: whose share (certificate), their bridge and the key's label in its token, who approves. */
export interface ParticipantDraft {
  thumbprintSha256: string;
  bridgeId: string;
  keyLabel: string;
  principalId: string;
}
export type ParticipantField = keyof ParticipantDraft;

export type Problem =
  | { key: "problem.certificate" | "problem.bridge" | "problem.keyLabel" | "problem.principal" | "problem.recoveryBridge" | "problem.sameCertificate" | "problem.samePrincipal" }
  | { key: "problem.tooFew"; m: number };

export type RowProblems = Partial<Record<ParticipantField, Problem>>;

/** The label the development custodians (and `keyward-bridge custodian-key`'s examples) use. */
export const DEFAULT_KEY_LABEL = "custodian";

export const emptyParticipant = (thumbprintSha256 = ""): ParticipantDraft => ({ thumbprintSha256, bridgeId: "", keyLabel: DEFAULT_KEY_LABEL, principalId: "" });

const shape = ParticipantSchema.shape;

export function participantProblems(d: ParticipantDraft): RowProblems {
  const out: RowProblems = {};
  if (!shape.thumbprintSha256.safeParse(d.thumbprintSha256).success) out.thumbprintSha256 = { key: "problem.certificate" };
  if (!shape.bridgeId.safeParse(d.bridgeId).success) out.bridgeId = { key: "problem.bridge" };
  if (!shape.keyLabel.safeParse(d.keyLabel.trim()).success) out.keyLabel = { key: "problem.keyLabel" };
  if (!shape.principalId.safeParse(d.principalId.trim()).success) out.principalId = { key: "problem.principal" };
  return out;
}

export function toParticipant(d: ParticipantDraft): Participant {
  return { thumbprintSha256: d.thumbprintSha256, bridgeId: d.bridgeId, keyLabel: d.keyLabel.trim(), principalId: d.principalId.trim() };
}

export interface RecoveryDraft {
  recoveryBridgeId: string;
  participants: ParticipantDraft[];
}

export interface RecoveryProblems {
  recoveryBridgeId?: Problem;
  /** Fewer rows than the quorum. */
  count?: Problem;
  rows: RowProblems[];
}

/** Each row's own problems, then the ones between rows: one share per certificate, one share per person. */
export function recoveryProblems(d: RecoveryDraft, required: number): RecoveryProblems {
  const rows = d.participants.map(participantProblems);
  d.participants.forEach((p, i) => {
    const earlier = d.participants.slice(0, i);
    const row = rows[i] ?? {};
    if (!row.thumbprintSha256 && earlier.some((e) => e.thumbprintSha256 === p.thumbprintSha256)) row.thumbprintSha256 = { key: "problem.sameCertificate" };
    if (!row.principalId && earlier.some((e) => e.principalId.trim() === p.principalId.trim())) row.principalId = { key: "problem.samePrincipal" };
  });
  return {
    ...(shape.bridgeId.safeParse(d.recoveryBridgeId).success ? {} : { recoveryBridgeId: { key: "problem.recoveryBridge" } }),
    ...(d.participants.length < required ? { count: { key: "problem.tooFew", m: required } } : {}),
    rows,
  };
}

export const hasRecoveryProblems = (p: RecoveryProblems) => Boolean(p.recoveryBridgeId ?? p.count) || p.rows.some((r) => Object.keys(r).length > 0);

export function toRecoveryRequest(d: RecoveryDraft): CreateRecoveryRequest {
  return { recoveryBridgeId: d.recoveryBridgeId, participants: d.participants.map(toParticipant) };
}
