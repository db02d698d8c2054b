import { describe, expect, it } from "vitest";
import { addMonthsUtc, normalizeRecordText, quorumReviewSchedule, quorumWarnings, type QuorumCustodian } from "./quorum.js";

const NOW = new Date("2026-03-01T12:00:00Z");
const thumbprint = (seed: number) => `${String.fromCharCode(65 + seed).repeat(42)}A`;
const PLACES = ["safe 1, Tokyo office", "safe 2, Osaka office", "bank box, Taipei", "safe 3, Nagoya office"];

/** Custodians with distinct people and places and certificates far from expiry: no finding. */
function custodians(n: number, changes: Record<number, Partial<QuorumCustodian>> = {}): QuorumCustodian[] {
  return Array.from({ length: n }, (_, i) => ({
    thumbprintSha256: thumbprint(i),
    notAfter: new Date("2028-01-01T00:00:00Z"),
    person: `Custodian ${i + 1}`,
    location: PLACES[i] ?? `place ${i}`,
    ...changes[i],
  }));
}
const codes = (required: number, set: QuorumCustodian[]) => quorumWarnings({ required, custodians: set, now: NOW }).map((w) => `${w.severity}:${w.code}`);

describe("quorumWarnings", () => {
  it("finds nothing in a set the seed would approve of (m ≥ 3, one share per person and place)", () => {
    expect(quorumWarnings({ required: 3, custodians: custodians(4), now: NOW })).toEqual([]);
  });

  it("calls m = 1 (and below) an error: one custodian could recover the domain", () => {
    expect(quorumWarnings({ required: 1, custodians: custodians(3), now: NOW })).toEqual([
      { code: "QUORUM_OF_ONE", severity: "error", message: "the quorum is 1: a single custodian can recover the domain; the quorum must be at least 2", thumbprints: [], params: { m: 1 } },
    ]);
    expect(codes(0, custodians(3))).toEqual(["error:QUORUM_OF_ONE"]);
  });

  it("discourages m = 2 with a warning", () => {
    expect(quorumWarnings({ required: 2, custodians: custodians(3), now: NOW })).toEqual([
      { code: "QUORUM_BELOW_RECOMMENDED", severity: "warning", message: "a quorum of 2 is allowed, but at least 3 is recommended", thumbprints: [], params: { m: 2 } },
    ]);
  });

  it("calls a quorum above the number of custodians an error", () => {
    expect(codes(4, custodians(3))).toEqual(["error:QUORUM_UNREACHABLE"]);
  });

  it("warns when one person holds two shares, comparing names without case or extra spaces", () => {
    const set = custodians(4, { 2: { person: "  custodian   1 " } });
    expect(quorumWarnings({ required: 3, custodians: set, now: NOW })).toEqual([
      {
        code: "SAME_PERSON",
        severity: "warning",
        message: '"Custodian 1" holds 2 shares; each share belongs with a different person',
        thumbprints: [thumbprint(0), thumbprint(2)],
        params: { person: "Custodian 1", n: 2, m: 3 },
      },
    ]);
  });

  it("calls it an error when one person holds as many shares as the quorum", () => {
    const set = custodians(4, { 1: { person: "Custodian 1" }, 2: { person: "CUSTODIAN 1" } });
    const [finding] = quorumWarnings({ required: 3, custodians: set, now: NOW });
    expect(finding).toMatchObject({ code: "SAME_PERSON", severity: "error", thumbprints: [thumbprint(0), thumbprint(1), thumbprint(2)] });
    expect(finding?.message).toBe('"Custodian 1" holds 3 shares, as many as the quorum (3): enough to recover the domain alone; each share belongs with a different person');
  });

  it("warns when two shares are kept in the same place, folding case, white space and full-width forms", () => {
    const set = custodians(4, { 3: { location: "ＳＡＦＥ 2,\tOsaka  Office" } });
    expect(quorumWarnings({ required: 3, custodians: set, now: NOW })).toEqual([
      {
        code: "SAME_LOCATION",
        severity: "warning",
        message: '2 shares are kept at "safe 2, Osaka office"; each share belongs with a different place',
        thumbprints: [thumbprint(1), thumbprint(3)],
        params: { location: "safe 2, Osaka office", n: 2, m: 3 },
      },
    ]);
  });

  it("reports each group of a shared place once, and one of quorum size as an error first", () => {
    const set = custodians(6, { 1: { location: "vault" }, 2: { location: "Vault" }, 3: { location: "VAULT" }, 4: { location: "desk" }, 5: { location: "Desk" } });
    expect(codes(3, set)).toEqual(["error:SAME_LOCATION", "warning:SAME_LOCATION"]);
  });

  it("does not pair custodians whose name or place is not recorded; lists them as incomplete records instead", () => {
    const set = custodians(4, { 0: { person: "", location: "" }, 1: { person: " " }, 3: { location: "" } });
    expect(quorumWarnings({ required: 3, custodians: set, now: NOW })).toEqual([
      {
        code: "RECORD_INCOMPLETE",
        severity: "warning",
        message: "3 of 4 shares have no recorded holder or location",
        thumbprints: [thumbprint(0), thumbprint(1), thumbprint(3)],
        params: { n: 3 },
      },
    ]);
    expect(quorumWarnings({ required: 3, custodians: custodians(3, { 2: { location: "" } }), now: NOW })[0]?.message).toBe("1 of 3 shares has no recorded holder or location");
  });

  it("warns about an expired certificate (at the instant of notAfter too)", () => {
    const set = custodians(3, { 1: { notAfter: NOW } });
    expect(quorumWarnings({ required: 3, custodians: set, now: NOW })).toEqual([
      {
        code: "CERTIFICATE_EXPIRED",
        severity: "warning",
        message: "a custodian certificate expired on 2026-03-01; its key still decrypts the share, but download the domain again with a new certificate",
        thumbprints: [thumbprint(1)],
        params: { notAfter: "2026-03-01T12:00:00.000Z" },
      },
    ]);
  });

  it("warns about a certificate expiring within 60 days, counting part of a day as a day", () => {
    const soon = new Date(NOW.getTime() + 59.5 * 86_400_000);
    const [finding] = quorumWarnings({ required: 3, custodians: custodians(3, { 2: { notAfter: soon } }), now: NOW });
    expect(finding).toMatchObject({ code: "CERTIFICATE_EXPIRING", severity: "warning", thumbprints: [thumbprint(2)], params: { days: 60 } });
    expect(finding?.message).toBe("a custodian certificate expires in 60 days (2026-04-30); plan a download with a new certificate");
    const oneDay = new Date(NOW.getTime() + 3_600_000);
    expect(quorumWarnings({ required: 3, custodians: custodians(3, { 0: { notAfter: oneDay } }), now: NOW })[0]?.message).toMatch(/expires in 1 day \(/);
    const later = new Date(NOW.getTime() + 61 * 86_400_000);
    expect(quorumWarnings({ required: 3, custodians: custodians(3, { 2: { notAfter: later } }), now: NOW })).toEqual([]);
    expect(quorumWarnings({ required: 3, custodians: custodians(3, { 2: { notAfter: later } }), now: NOW, expiringWithinDays: 90 })).toHaveLength(1);
  });

  it("orders errors before warnings, then by code", () => {
    const set = custodians(3, { 0: { notAfter: NOW, location: "" }, 1: { person: "Custodian 3" } });
    // Two shares with one person and m = 2: that person alone reaches the quorum.
    expect(codes(2, set)).toEqual(["error:SAME_PERSON", "warning:QUORUM_BELOW_RECOMMENDED", "warning:CERTIFICATE_EXPIRED", "warning:RECORD_INCOMPLETE"]);
  });
});

describe("normalizeRecordText", () => {
  it("folds case, white space runs and compatibility forms, and keeps punctuation", () => {
    expect(normalizeRecordText("  Safe\u00a02,\n Osaka   OFFICE ")).toBe("safe 2, osaka office");
    expect(normalizeRecordText("大阪　オフィス")).toBe("大阪 オフィス");
    expect(normalizeRecordText("safe 2 , Osaka")).not.toBe(normalizeRecordText("safe 2, Osaka"));
  });
});

describe("addMonthsUtc", () => {
  it.each([
    ["2026-01-15T09:30:00.000Z", 3, "2026-04-15T09:30:00.000Z"],
    ["2025-11-30T00:00:00.000Z", 3, "2026-02-28T00:00:00.000Z"],
    ["2023-11-30T23:59:59.999Z", 3, "2024-02-29T23:59:59.999Z"],
    ["2026-08-31T12:00:00.000Z", 3, "2026-11-30T12:00:00.000Z"],
    ["2026-01-31T00:00:00.000Z", 3, "2026-04-30T00:00:00.000Z"],
    ["2026-12-31T00:00:00.000Z", 3, "2027-03-31T00:00:00.000Z"],
    ["2026-10-15T00:00:00.000Z", 3, "2027-01-15T00:00:00.000Z"],
    ["2026-05-31T00:00:00.000Z", 1, "2026-06-30T00:00:00.000Z"],
  ])("%s + %i months = %s", (from, months, expected) => {
    expect(addMonthsUtc(new Date(from), months).toISOString()).toBe(expected);
  });
});

describe("quorumReviewSchedule", () => {
  const at = (iso: string) => new Date(iso);

  it("counts three months from the last review", () => {
    expect(quorumReviewSchedule({ activatedAt: at("2025-01-10T00:00:00Z"), lastReviewedAt: at("2026-01-20T08:00:00Z"), now: NOW })).toEqual({
      basis: "last-review",
      nextReviewAt: at("2026-04-20T08:00:00Z"),
      due: false,
      daysLeft: 50,
    });
  });

  it("counts from activation while the quorum has never been reviewed, month ends clamped", () => {
    expect(quorumReviewSchedule({ activatedAt: at("2025-11-30T12:00:00Z"), lastReviewedAt: null, now: NOW })).toEqual({
      basis: "activation",
      nextReviewAt: at("2026-02-28T12:00:00Z"),
      due: true,
      daysLeft: -1,
    });
  });

  it("is due at the instant of the date, and a part-day overdue counts as a day", () => {
    const due = (now: string) => quorumReviewSchedule({ activatedAt: at("2025-12-01T12:00:00Z"), lastReviewedAt: null, now: at(now) });
    expect(due("2026-03-01T11:59:59Z")).toMatchObject({ due: false, daysLeft: 1 });
    expect(due("2026-03-01T12:00:00Z")).toMatchObject({ due: true, daysLeft: 0 });
    expect(due("2026-03-01T12:00:01Z")).toMatchObject({ due: true, daysLeft: -1 });
    expect(due("2026-03-11T12:00:00Z")).toMatchObject({ due: true, daysLeft: -10 });
  });

  it("is due now when there has been no review and the activation date is unknown", () => {
    expect(quorumReviewSchedule({ activatedAt: null, lastReviewedAt: null, now: NOW })).toEqual({ basis: "unknown", nextReviewAt: null, due: true, daysLeft: null });
  });
});
