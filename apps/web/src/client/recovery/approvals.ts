import type { RecoveryView, RehearsalView } from "@keyward/shared";

/**
 * What a signed-in custodian has to do on /recovery, worked out from the lists the server returns: a
 * share command is theirs when the record names their principal id for it. The server decides again on
 * every approval (only the named custodian, once); this only chooses what to show.
 */

export type RecoveryParticipant = RecoveryView["participants"][number];

export type Approval =
  | { kind: "rehearsal"; key: string; at: number; rehearsal: RehearsalView }
  | { kind: "share"; key: string; at: number; recovery: RecoveryView; participant: RecoveryParticipant };

/** `at`: when it was asked for while it waits, when it was settled (rehearsal) or approved (share) after. */
const rehearsalItem = (r: RehearsalView): Approval => ({ kind: "rehearsal", key: `rehearsal-${r.id}`, at: r.completedAt ?? r.createdAt, rehearsal: r });
const shareItem = (r: RecoveryView, p: RecoveryParticipant): Approval => ({ kind: "share", key: `share-${r.id}-${p.thumbprintSha256}`, at: p.approvedAt ?? r.createdAt, recovery: r, participant: p });

const newestFirst = (a: Approval, b: Approval) => b.at - a.at;

/** Commands naming `me` that still take an approval: pending rehearsals, unapproved shares of recoveries still collecting. */
export function awaitingApproval(me: string, rehearsals: readonly RehearsalView[], recoveries: readonly RecoveryView[]): Approval[] {
  const items = [
    ...rehearsals.filter((r) => r.principalId === me && r.state === "pending").map(rehearsalItem),
    ...recoveries.filter((r) => r.state === "collecting").flatMap((r) => r.participants.filter((p) => p.principalId === me && p.approvedAt === null).map((p) => shareItem(r, p))),
  ];
  return items.sort(newestFirst);
}

/** What `me` already approved (rehearsals settled, shares re-encrypted), newest first: where the outcome is read. */
export function approvedBy(me: string, rehearsals: readonly RehearsalView[], recoveries: readonly RecoveryView[], limit = 10): Approval[] {
  const items = [
    ...rehearsals.filter((r) => r.principalId === me && r.state !== "pending").map(rehearsalItem),
    ...recoveries.flatMap((r) => r.participants.filter((p) => p.principalId === me && p.approvedAt !== null).map((p) => shareItem(r, p))),
  ];
  return items.sort(newestFirst).slice(0, limit);
}

/** Shares in against the quorum: "k of m". */
export function recoveryProgress(r: RecoveryView): { approved: number; required: number } {
  return { approved: r.participants.filter((p) => p.approvedAt !== null).length, required: r.required };
}

/** While the recovery bridge combines, the outcome is seconds away; waiting on people is slower. */
export const POLL_BUSY_MS = 1_500;
export const POLL_PEOPLE_MS = 5_000;

/** How often to ask again: only while something is in progress (another custodian may approve meanwhile). */
export function pollInterval(rehearsals: readonly RehearsalView[] | undefined, recoveries: readonly RecoveryView[] | undefined): number | false {
  if (recoveries?.some((r) => r.state === "combining")) return POLL_BUSY_MS;
  if (recoveries?.some((r) => r.state === "collecting") || rehearsals?.some((r) => r.state === "pending")) return POLL_PEOPLE_MS;
  return false;
}

/** The record a write answers with replaces its old self in a list (a new one goes first), so the page moves at once. */
export function withRecord<T extends { id: string }>(list: readonly T[] | undefined, record: T): T[] {
  if (list?.some((r) => r.id === record.id)) return list.map((r) => (r.id === record.id ? record : r));
  return [record, ...(list ?? [])];
}
