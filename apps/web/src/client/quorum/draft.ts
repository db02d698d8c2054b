import { QUORUM_FIELD_LIMITS, normalizeRecordText, type CustodianPerson } from "@keyward/shared";

/**
 * What is wrong with a quorum form as it is typed, by the same limits the server holds
 * (packages/shared/src/portal/quorum.ts), as catalog keys so each language says it its own way.
 */
export type Problem = { key: "problem.personEmpty" | "problem.oneLine" | "problem.reasonEmpty" | "problem.approverEmpty" | "problem.noHolder" } | { key: "problem.tooLong"; max: number } | { key: "problem.sameHolder"; person: string };

export type PersonField = keyof CustodianPerson;
export const PERSON_FIELDS: readonly PersonField[] = ["person", "role", "contact", "location"];

// eslint-disable-next-line no-control-regex -- control characters are what a one-line field refuses
const CONTROL = /[\u0000-\u001f\u007f]/;

function textProblem(value: string, max: number, multiline = false): Problem | undefined {
  if (!multiline && CONTROL.test(value)) return { key: "problem.oneLine" };
  if (value.trim().length > max) return { key: "problem.tooLong", max };
  return undefined;
}

export function personProblems(draft: CustodianPerson): Partial<Record<PersonField, Problem>> {
  const out: Partial<Record<PersonField, Problem>> = {};
  for (const field of PERSON_FIELDS) {
    const problem = textProblem(draft[field], QUORUM_FIELD_LIMITS[field]);
    if (problem) out[field] = problem;
  }
  if (!out.person && !draft.person.trim()) out.person = { key: "problem.personEmpty" };
  return out;
}

export interface TransferDraft {
  /** The holder recorded now ("" when nobody is). */
  from: string;
  to: CustodianPerson;
  reason: string;
  approvedBy: string;
}

export type TransferField = "from" | PersonField | "reason" | "approvedBy";

export function transferProblems(draft: TransferDraft): Partial<Record<TransferField, Problem>> {
  const out: Partial<Record<TransferField, Problem>> = { ...personProblems(draft.to) };
  if (!draft.from.trim()) out.from = { key: "problem.noHolder" };
  else if (!out.person && normalizeRecordText(draft.from) === normalizeRecordText(draft.to.person)) out.person = { key: "problem.sameHolder", person: draft.from };
  const reason = textProblem(draft.reason, QUORUM_FIELD_LIMITS.reason, true) ?? (draft.reason.trim() ? undefined : { key: "problem.reasonEmpty" });
  if (reason) out.reason = reason;
  const approvedBy = textProblem(draft.approvedBy, QUORUM_FIELD_LIMITS.approvedBy) ?? (draft.approvedBy.trim() ? undefined : { key: "problem.approverEmpty" });
  if (approvedBy) out.approvedBy = approvedBy;
  return out;
}

export const reviewNoteProblem = (note: string): Problem | undefined => textProblem(note, QUORUM_FIELD_LIMITS.note, true);

/** The first 8 and last 4 characters: enough to tell custodians apart at a glance; the copy button gives the whole. */
export const shortThumbprint = (thumbprint: string) => (thumbprint.length > 14 ? `${thumbprint.slice(0, 8)}…${thumbprint.slice(-4)}` : thumbprint);
