import { MIN_QUORUM, RECOMMENDED_MIN_QUORUM } from "./custodians.js";

/**
 * Quorum records (issue 5 §4): what the seed's advice on custodians (seed 002) says about a security
 * domain's custodian set as it stands — who holds each share and where it is kept — and when the
 * quarterly review is due. Pure: the caller passes the set, the people records and the clock.
 */

/** The seed: review the quorum at least once a quarter. */
export const QUORUM_REVIEW_MONTHS = 3;
/** A custodian certificate this close to expiry is flagged, so that a re-download with new certificates can be planned. */
export const CERTIFICATE_EXPIRING_DAYS = 60;

const DAY_MS = 86_400_000;

/**
 * The closed set of findings, most serious first. Severity "error" is what the seed forbids (one
 * person or one place able to recover the domain alone); "warning" what it discourages.
 */
export const QUORUM_WARNING_CODES = [
  "QUORUM_OF_ONE",
  "QUORUM_UNREACHABLE",
  "QUORUM_BELOW_RECOMMENDED",
  "SAME_PERSON",
  "SAME_LOCATION",
  "CERTIFICATE_EXPIRED",
  "CERTIFICATE_EXPIRING",
  "RECORD_INCOMPLETE",
] as const;
export type QuorumWarningCode = (typeof QUORUM_WARNING_CODES)[number];
export type QuorumSeverity = "error" | "warning";

export interface QuorumWarning {
  code: QuorumWarningCode;
  severity: QuorumSeverity;
  /** English words for API callers; the UI phrases the code and params in the reader's language. */
  message: string;
  /** The custodian certificates concerned, in the set's order (empty for findings about m). */
  thumbprints: string[];
  params: { m?: number; n?: number; person?: string; location?: string; notAfter?: string; days?: number };
}

/** One custodian as the rules see it: the certificate's facts and what the records say about its holder. */
export interface QuorumCustodian {
  thumbprintSha256: string;
  notAfter: Date;
  /** The holder's name; "" when nobody is recorded. */
  person: string;
  /** Where the share's key is kept; "" when not recorded. */
  location: string;
}

export interface QuorumRulesInput {
  /** m: how many custodians recover the domain. */
  required: number;
  custodians: readonly QuorumCustodian[];
  now: Date;
  /** Certificates expiring within this many days are flagged (default {@link CERTIFICATE_EXPIRING_DAYS}). */
  expiringWithinDays?: number;
}

/**
 * How two records of a name or a place are compared: Unicode compatibility forms folded (a full-width
 * "ＯＳＡＫＡ" typed on a Japanese keyboard is "OSAKA"), case ignored, runs of white space one space.
 */
export function normalizeRecordText(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
}

function groupsOf(custodians: readonly QuorumCustodian[], field: "person" | "location"): QuorumCustodian[][] {
  const groups = new Map<string, QuorumCustodian[]>();
  for (const c of custodians) {
    const key = normalizeRecordText(c[field]);
    if (!key) continue;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  return [...groups.values()].filter((g) => g.length > 1);
}

function quorumFindings(m: number, n: number): QuorumWarning[] {
  if (m < MIN_QUORUM) {
    return [{ code: "QUORUM_OF_ONE", severity: "error", message: `the quorum is ${m}: a single custodian can recover the domain; the quorum must be at least ${MIN_QUORUM}`, thumbprints: [], params: { m } }];
  }
  const out: QuorumWarning[] = [];
  if (m > n) {
    out.push({ code: "QUORUM_UNREACHABLE", severity: "error", message: `the quorum (${m}) is larger than the number of custodians (${n}): the domain cannot be recovered`, thumbprints: [], params: { m, n } });
  }
  if (m < RECOMMENDED_MIN_QUORUM) {
    out.push({ code: "QUORUM_BELOW_RECOMMENDED", severity: "warning", message: `a quorum of ${m} is allowed, but at least ${RECOMMENDED_MIN_QUORUM} is recommended`, thumbprints: [], params: { m } });
  }
  return out;
}

/** Shares gathered by one person or in one place: discouraged; forbidden when they reach the quorum. */
function concentration(custodians: readonly QuorumCustodian[], m: number, field: "person" | "location"): QuorumWarning[] {
  return groupsOf(custodians, field).map((group) => {
    const value = group[0]?.[field] ?? "";
    const recovers = group.length >= m;
    const what = field === "person" ? `"${value}" holds ${group.length} shares` : `${group.length} shares are kept at "${value}"`;
    const consequence = recovers ? `, as many as the quorum (${m}): enough to recover the domain alone` : "";
    return {
      code: field === "person" ? "SAME_PERSON" : "SAME_LOCATION",
      severity: recovers ? "error" : "warning",
      message: `${what}${consequence}; each share belongs with a different ${field === "person" ? "person" : "place"}`,
      thumbprints: group.map((c) => c.thumbprintSha256),
      params: { ...(field === "person" ? { person: value } : { location: value }), n: group.length, m },
    };
  });
}

function expiry(custodians: readonly QuorumCustodian[], now: Date, withinDays: number): QuorumWarning[] {
  const out: QuorumWarning[] = [];
  for (const c of custodians) {
    const left = c.notAfter.getTime() - now.getTime();
    const notAfter = c.notAfter.toISOString();
    if (left <= 0) {
      out.push({
        code: "CERTIFICATE_EXPIRED",
        severity: "warning",
        message: `a custodian certificate expired on ${notAfter.slice(0, 10)}; its key still decrypts the share, but download the domain again with a new certificate`,
        thumbprints: [c.thumbprintSha256],
        params: { notAfter },
      });
    } else if (left <= withinDays * DAY_MS) {
      const days = Math.ceil(left / DAY_MS);
      out.push({
        code: "CERTIFICATE_EXPIRING",
        severity: "warning",
        message: `a custodian certificate expires in ${days} day${days === 1 ? "" : "s"} (${notAfter.slice(0, 10)}); plan a download with a new certificate`,
        thumbprints: [c.thumbprintSha256],
        params: { notAfter, days },
      });
    }
  }
  return out;
}

/** Every finding about the set, errors first, then in the order of {@link QUORUM_WARNING_CODES}. */
export function quorumWarnings(input: QuorumRulesInput): QuorumWarning[] {
  const { required: m, custodians, now } = input;
  const incomplete = custodians.filter((c) => !normalizeRecordText(c.person) || !normalizeRecordText(c.location));
  const findings = [
    ...quorumFindings(m, custodians.length),
    ...concentration(custodians, m, "person"),
    ...concentration(custodians, m, "location"),
    ...expiry(custodians, now, input.expiringWithinDays ?? CERTIFICATE_EXPIRING_DAYS),
  ];
  if (incomplete.length) {
    findings.push({
      code: "RECORD_INCOMPLETE",
      severity: "warning",
      message: `${incomplete.length} of ${custodians.length} shares ${incomplete.length === 1 ? "has" : "have"} no recorded holder or location`,
      thumbprints: incomplete.map((c) => c.thumbprintSha256),
      params: { n: incomplete.length },
    });
  }
  const rank = (w: QuorumWarning) => (w.severity === "error" ? 0 : 1) * 100 + QUORUM_WARNING_CODES.indexOf(w.code);
  // Array.prototype.sort is stable: findings of one code keep the set's order.
  return findings.sort((a, b) => rank(a) - rank(b));
}

/**
 * `months` calendar months after `date` (UTC), at the same time of day; a day the target month lacks
 * becomes its last day (30 November + 3 months = 28 or 29 February, 31 August + 3 = 30 November).
 */
export function addMonthsUtc(date: Date, months: number): Date {
  const target = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date.getUTCDate(), lastDay));
  target.setUTCHours(date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCMilliseconds());
  return target;
}

export interface QuorumReviewInput {
  /** When the domain was first downloaded (activated); null when the caller does not know. */
  activatedAt: Date | null;
  lastReviewedAt: Date | null;
  now: Date;
}

export interface QuorumReviewSchedule {
  /** What the date counts from; "unknown": never reviewed and the activation date is not known, so a review is due now. */
  basis: "last-review" | "activation" | "unknown";
  nextReviewAt: Date | null;
  due: boolean;
  /** Whole days until the review (0 on the day, negative when overdue); null when the date is unknown. */
  daysLeft: number | null;
}

/** The next quarterly review: {@link QUORUM_REVIEW_MONTHS} after the last review, or after activation when there has been none. */
export function quorumReviewSchedule(input: QuorumReviewInput): QuorumReviewSchedule {
  const from = input.lastReviewedAt ?? input.activatedAt;
  if (!from) return { basis: "unknown", nextReviewAt: null, due: true, daysLeft: null };
  const nextReviewAt = addMonthsUtc(from, QUORUM_REVIEW_MONTHS);
  const left = nextReviewAt.getTime() - input.now.getTime();
  return {
    basis: input.lastReviewedAt ? "last-review" : "activation",
    nextReviewAt,
    due: left <= 0,
    // Part of a day counts as a whole one: due tomorrow is 1, overdue since this morning is -1.
    daysLeft: left >= 0 ? Math.ceil(left / DAY_MS) : Math.floor(left / DAY_MS),
  };
}
