import { describe, expect, it } from "vitest";
import type { RecoveryView, RehearsalView } from "@keyward/shared";
import { approvedBy, awaitingApproval, pollInterval, POLL_BUSY_MS, POLL_PEOPLE_MS, recoveryProgress, withRecord, type RecoveryParticipant } from "./approvals";

const ME = "me-oid";
const OTHER = "other-oid";
const thumb = (n: number) => `${String(n).repeat(42)}A`;

const rehearsal = (id: string, principalId: string, state: RehearsalView["state"], createdAt: number): RehearsalView => ({
  id,
  state,
  createdAt,
  createdBy: { id: "admin" },
  thumbprintSha256: thumb(1),
  principalId,
  bridgeId: "custodian-1",
  keyLabel: "custodian",
  command: "{}",
  commandSha256: "0".repeat(64),
  completedAt: state === "pending" ? null : createdAt + 1,
  error: state === "failed" ? "the bridge refused" : null,
});

const share = (n: number, principalId: string, approvedAt: number | null): RecoveryParticipant => ({
  thumbprintSha256: thumb(n),
  principalId,
  bridgeId: `custodian-${n}`,
  keyLabel: "custodian",
  command: "{}",
  commandSha256: "0".repeat(64),
  approvedBy: approvedAt === null ? null : { id: principalId },
  approvedAt,
  shareNumber: approvedAt === null ? null : n,
});

const recovery = (id: string, state: RecoveryView["state"], createdAt: number, participants: RecoveryParticipant[]): RecoveryView => ({
  id,
  state,
  createdAt,
  updatedAt: createdAt,
  createdBy: { id: "admin" },
  recoveryBridgeId: "recovery",
  required: 2,
  participants,
  error: null,
  restoreBlobSha256: null,
});

describe("awaitingApproval", () => {
  it("lists my pending rehearsals and my unapproved shares of recoveries still collecting, newest first", () => {
    const rehearsals = [rehearsal("r-old", ME, "pending", 10), rehearsal("r-other", OTHER, "pending", 50), rehearsal("r-done", ME, "passed", 60)];
    const recoveries = [recovery("rec", "collecting", 30, [share(1, OTHER, 31), share(2, ME, null)])];
    expect(awaitingApproval(ME, rehearsals, recoveries).map((a) => a.key)).toEqual([`share-rec-${thumb(2)}`, "rehearsal-r-old"]);
  });

  it("offers nothing once a share is approved, or when the recovery takes no more approvals", () => {
    const recoveries = [
      recovery("approved", "collecting", 1, [share(1, ME, 5), share(2, OTHER, null)]),
      recovery("combining", "combining", 2, [share(1, OTHER, 3), share(2, ME, null)]),
      recovery("failed", "failed", 3, [share(1, ME, null)]),
    ];
    expect(awaitingApproval(ME, [], recoveries)).toEqual([]);
  });
});

describe("approvedBy", () => {
  it("lists what I settled, at the time it was settled or approved, newest first and at most `limit`", () => {
    const rehearsals = [rehearsal("passed", ME, "passed", 10), rehearsal("failed", ME, "failed", 40), rehearsal("pending", ME, "pending", 90), rehearsal("theirs", OTHER, "passed", 95)];
    const recoveries = [recovery("rec", "completed", 20, [share(1, ME, 70), share(2, OTHER, 80)])];
    expect(approvedBy(ME, rehearsals, recoveries).map((a) => [a.key, a.at])).toEqual([
      [`share-rec-${thumb(1)}`, 70],
      ["rehearsal-failed", 41],
      ["rehearsal-passed", 11],
    ]);
    expect(approvedBy(ME, rehearsals, recoveries, 1)).toHaveLength(1);
  });
});

describe("recoveryProgress and pollInterval", () => {
  it("counts approved shares against the quorum", () => {
    expect(recoveryProgress(recovery("r", "collecting", 1, [share(1, ME, 2), share(2, OTHER, null), share(3, "third", null)]))).toEqual({ approved: 1, required: 2 });
  });

  it("polls quickly while combining, slowly while people approve, not at all when everything is settled", () => {
    expect(pollInterval(undefined, [recovery("a", "completed", 1, []), recovery("b", "combining", 1, [])])).toBe(POLL_BUSY_MS);
    expect(pollInterval(undefined, [recovery("a", "collecting", 1, [])])).toBe(POLL_PEOPLE_MS);
    expect(pollInterval([rehearsal("r", OTHER, "pending", 1)], undefined)).toBe(POLL_PEOPLE_MS);
    expect(pollInterval([rehearsal("r", ME, "failed", 1)], [recovery("a", "failed", 1, [])])).toBe(false);
    expect(pollInterval(undefined, undefined)).toBe(false);
  });
});

describe("withRecord", () => {
  it("replaces a record in place, puts a new one first, and starts a list that was not loaded", () => {
    const a = rehearsal("a", ME, "pending", 1);
    const b = rehearsal("b", ME, "pending", 2);
    const settled = { ...a, state: "passed" as const };
    expect(withRecord([a, b], settled)).toEqual([settled, b]);
    expect(withRecord([b], a)).toEqual([a, b]);
    expect(withRecord(undefined, a)).toEqual([a]);
  });
});
