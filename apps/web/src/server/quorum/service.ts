import {
  QuorumDomainStateSchema,
  TargetError,
  quorumReviewSchedule,
  quorumWarnings,
  type CustodianPerson,
  type PrincipalRef,
  type QuorumRecord,
  type RecordReviewRequestParsed,
  type RecordTransferRequestParsed,
} from "@keyward/shared";
import { z } from "zod";
import type { Principal } from "../auth/principal";
import type { Db } from "../store";
import { QuorumStore } from "./store";

/**
 * The custodian set as the target's security-domain service knows it: the certificates of the last
 * download and m. Times are unix seconds. Parsed on the way in, so a mis-wired source fails loudly.
 */
export const CustodianSetViewSchema = z.object({
  fingerprint: z.string().min(1).max(200),
  state: QuorumDomainStateSchema,
  required: z.number().int(),
  /** When the domain was first downloaded; null when not known. */
  activatedAt: z.number().int().nullable(),
  custodians: z.array(z.object({ thumbprintSha256: z.string(), commonName: z.string(), notAfter: z.number().int(), shareNumber: z.number().int() })),
});
export type CustodianSetView = z.infer<typeof CustodianSetViewSchema>;
/** Null before the first download (a provisioned target has no custodians to record). */
export type CustodianSetSource = () => Promise<CustodianSetView | null>;

export interface QuorumServiceOptions {
  db: Db;
  custodianSet: CustodianSetSource;
  /** Unix seconds; the target's clock. */
  now: () => number;
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
const isoOrNull = (seconds: number | null) => (seconds === null ? null : iso(seconds));
const ref = (p: Principal): PrincipalRef => (p.name ? { id: p.id, name: p.name } : { id: p.id });

/** What the portal serves about the quorum: the set joined with its records, findings and review schedule. */
export class QuorumService {
  readonly store: QuorumStore;
  private readonly custodianSet: CustodianSetSource;
  private readonly now: () => number;

  constructor(o: QuorumServiceOptions) {
    this.store = new QuorumStore(o.db);
    this.custodianSet = o.custodianSet;
    this.now = o.now;
  }

  async record(): Promise<QuorumRecord> {
    const now = this.now();
    const set = await this.currentSet();
    if (!set) return { now: iso(now), domain: null, custodians: [], warnings: [], review: null, transfers: [], reviews: [] };
    const [rows, reviews, transfers] = await Promise.all([this.store.custodians(set.fingerprint), this.store.reviews(set.fingerprint), this.store.transfers(set.fingerprint)]);
    const custodians = set.custodians.map((c) => {
      const row = rows.get(c.thumbprintSha256);
      return {
        thumbprintSha256: c.thumbprintSha256,
        commonName: c.commonName,
        shareNumber: c.shareNumber,
        notAfter: iso(c.notAfter),
        person: row?.person ?? "",
        role: row?.role ?? "",
        contact: row?.contact ?? "",
        location: row?.location ?? "",
        updatedAt: isoOrNull(row?.updatedAt ?? null),
        updatedBy: row?.updatedBy ?? null,
        lastRehearsalAt: isoOrNull(row?.lastRehearsalAt ?? null),
      };
    });
    const warnings = quorumWarnings({
      required: set.required,
      custodians: custodians.map((c) => ({ thumbprintSha256: c.thumbprintSha256, notAfter: new Date(c.notAfter), person: c.person, location: c.location })),
      now: new Date(now * 1000),
    });
    const lastReview = reviews[0];
    const schedule = quorumReviewSchedule({
      activatedAt: set.activatedAt === null ? null : new Date(set.activatedAt * 1000),
      lastReviewedAt: lastReview ? new Date(lastReview.at * 1000) : null,
      now: new Date(now * 1000),
    });
    return {
      now: iso(now),
      domain: { fingerprint: set.fingerprint, state: set.state, required: set.required, total: set.custodians.length, activatedAt: isoOrNull(set.activatedAt) },
      custodians,
      warnings,
      review: { ...schedule, nextReviewAt: schedule.nextReviewAt?.toISOString() ?? null, lastReviewedAt: lastReview ? iso(lastReview.at) : null },
      transfers: transfers.map((t) => ({ seq: t.seq, at: iso(t.at), thumbprintSha256: t.thumbprint, from: t.from, to: t.to, reason: t.reason, approvedBy: t.approvedBy, recordedBy: t.recordedBy })),
      reviews: reviews.map((r) => ({ seq: r.seq, at: iso(r.at), by: r.by, note: r.note })),
    };
  }

  /** Correct the record of a share's holder (PUT /quorum/custodians/:thumbprint). */
  async updateCustodian(thumbprint: string, person: CustodianPerson, by: Principal): Promise<QuorumRecord> {
    const set = await this.requireSet();
    requireCustodian(set, thumbprint);
    await this.store.putPerson(set.fingerprint, thumbprint, person, ref(by), this.now());
    return this.record();
  }

  /** Record a change of holder (POST /quorum/transfers). */
  async recordTransfer(request: RecordTransferRequestParsed, by: Principal): Promise<QuorumRecord> {
    const set = await this.requireSet();
    const shareNumber = requireCustodian(set, request.thumbprintSha256).shareNumber;
    const refusal = await this.store.transfer(set.fingerprint, {
      thumbprint: request.thumbprintSha256,
      expectedFrom: request.from,
      to: request.to,
      reason: request.reason,
      approvedBy: request.approvedBy,
      by: ref(by),
      at: this.now(),
    });
    switch (refusal?.refused) {
      case undefined:
        return this.record();
      case "no-holder":
        throw new TargetError("BadParameter", `nobody is recorded as the holder of share ${shareNumber} yet: record the holder first; a transfer is a change from one person to another`, "QuorumNoHolder");
      case "holder-changed":
        throw new TargetError("Conflict", `share ${shareNumber} is now recorded as held by "${refusal.current}", not "${request.from}": someone changed the record meanwhile; reload and try again`, "QuorumHolderChanged");
      case "same-holder":
        throw new TargetError("BadParameter", `share ${shareNumber} is already held by "${request.to.person}": a transfer goes to a different person (to correct the holder's details, edit the record)`, "QuorumSameHolder");
    }
  }

  /** Record a quarterly (or event-driven) review of the quorum (POST /quorum/reviews). */
  async recordReview(request: RecordReviewRequestParsed, by: Principal): Promise<QuorumRecord> {
    const set = await this.requireSet();
    await this.store.addReview(set.fingerprint, { at: this.now(), by: ref(by), note: request.note });
    return this.record();
  }

  /** For the rehearsal service: a custodian just proved they can decrypt their share. */
  recordRehearsal(fingerprint: string, thumbprint: string, at: number): Promise<void> {
    return this.store.recordRehearsal(fingerprint, thumbprint, at);
  }

  private async currentSet(): Promise<CustodianSetView | null> {
    const view = await this.custodianSet();
    return view === null ? null : CustodianSetViewSchema.parse(view);
  }

  private async requireSet(): Promise<CustodianSetView> {
    const set = await this.currentSet();
    if (!set || set.custodians.length === 0) {
      throw new TargetError("Conflict", "this target has no security domain with custodians yet: download the security domain first, then record its custodians", "QuorumNoDomain");
    }
    return set;
  }
}

function requireCustodian(set: CustodianSetView, thumbprint: string): CustodianSetView["custodians"][number] {
  const custodian = set.custodians.find((c) => c.thumbprintSha256 === thumbprint);
  if (!custodian) {
    throw new TargetError("BadParameter", `${thumbprint} is not the thumbprint of a custodian certificate of this security domain`, "QuorumUnknownCustodian");
  }
  return custodian;
}
