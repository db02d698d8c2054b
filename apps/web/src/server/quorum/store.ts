import { normalizeRecordText, type CustodianPerson, type PrincipalRef } from "@keyward/shared";
import { z } from "zod";
import type { Db } from "../store";

/** Migration 009. Every time is unix seconds on the target's clock. */

export interface CustodianRow extends CustodianPerson {
  thumbprint: string;
  updatedAt: number | null;
  updatedBy: PrincipalRef | null;
  lastRehearsalAt: number | null;
}

export interface ReviewRow {
  seq: number;
  at: number;
  by: PrincipalRef;
  note: string;
}

export interface TransferRow {
  seq: number;
  thumbprint: string;
  at: number;
  from: CustodianPerson;
  to: CustodianPerson;
  reason: string;
  approvedBy: string;
  recordedBy: PrincipalRef;
}

export interface TransferWrite {
  thumbprint: string;
  /** The holder the caller saw; the transfer is refused when the record names someone else now. */
  expectedFrom: string;
  to: CustodianPerson;
  reason: string;
  approvedBy: string;
  by: PrincipalRef;
  at: number;
}

/** Why a transfer was not written: nobody recorded yet, someone else recorded meanwhile, or to the holder already recorded. */
export type TransferRefusal = { refused: "no-holder" } | { refused: "holder-changed"; current: string } | { refused: "same-holder" };


// int8 columns may come back as strings (pg) or numbers: numbers here, nulls kept.
const seconds = z.union([z.number(), z.string()]).transform(Number);
const PrincipalSchema = z.object({ id: z.string(), name: z.string().optional() });
const HolderSchema = z.object({ person: z.string(), role: z.string(), contact: z.string(), location: z.string() });

const CustodianRowSchema = z.object({
  thumbprint: z.string(),
  person: z.string(),
  role: z.string(),
  contact: z.string(),
  location: z.string(),
  updated_at: seconds.nullable(),
  updated_by: PrincipalSchema.nullable(),
  last_rehearsal_at: seconds.nullable(),
});
const ReviewRowSchema = z.object({ seq: seconds, at: seconds, reviewed_by: PrincipalSchema, note: z.string() });
const TransferRowSchema = z.object({
  seq: seconds,
  thumbprint: z.string(),
  at: seconds,
  from_holder: HolderSchema,
  to_holder: HolderSchema,
  reason: z.string(),
  approved_by: z.string(),
  recorded_by: PrincipalSchema,
});

function custodianOf(row: unknown): CustodianRow {
  const r = CustodianRowSchema.parse(row);
  return { thumbprint: r.thumbprint, person: r.person, role: r.role, contact: r.contact, location: r.location, updatedAt: r.updated_at, updatedBy: r.updated_by, lastRehearsalAt: r.last_rehearsal_at };
}

const principal = (p: PrincipalRef): string => JSON.stringify(p.name ? { id: p.id, name: p.name } : { id: p.id });
const EMPTY: CustodianPerson = { person: "", role: "", contact: "", location: "" };
const CUSTODIAN_COLUMNS = "thumbprint, person, role, contact, location, updated_at, updated_by, last_rehearsal_at";

/**
 * The quorum's records. A custodian's row appears when anything is first recorded about it (person
 * fields, a transfer, a rehearsal); reviews and transfers are only ever appended (the database refuses
 * anything else).
 */
export class QuorumStore {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  /** Every custodian row of the domain, by thumbprint (including certificates it no longer uses). */
  async custodians(fingerprint: string): Promise<Map<string, CustodianRow>> {
    const { rows } = await this.db.query(`SELECT ${CUSTODIAN_COLUMNS} FROM quorum_custodians WHERE domain_fingerprint = $1`, [fingerprint]);
    return new Map(rows.map(custodianOf).map((c) => [c.thumbprint, c]));
  }

  /** Correct the record of a share's current holder. */
  async putPerson(fingerprint: string, thumbprint: string, person: CustodianPerson, by: PrincipalRef, at: number): Promise<void> {
    await this.db.query(
      `INSERT INTO quorum_custodians (domain_fingerprint, thumbprint, person, role, contact, location, updated_at, updated_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)
       ON CONFLICT (domain_fingerprint, thumbprint) DO UPDATE
         SET person = EXCLUDED.person, role = EXCLUDED.role, contact = EXCLUDED.contact, location = EXCLUDED.location,
             updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
      [fingerprint, thumbprint, person.person, person.role, person.contact, person.location, at, principal(by)],
    );
  }

  /**
   * Append a transfer and make its `to` the holder, in one transaction. The row is locked first, so of
   * two transfers of one share from the same holder only one is written; a refusal writes nothing.
   */
  async transfer(fingerprint: string, t: TransferWrite): Promise<TransferRefusal | null> {
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query(`SELECT ${CUSTODIAN_COLUMNS} FROM quorum_custodians WHERE domain_fingerprint = $1 AND thumbprint = $2 FOR UPDATE`, [
        fingerprint,
        t.thumbprint,
      ]);
      const current = rows[0] === undefined ? EMPTY : custodianOf(rows[0]);
      const refusal = transferRefusal(current.person, t);
      if (refusal) return refusal;
      const from: CustodianPerson = { person: current.person, role: current.role, contact: current.contact, location: current.location };
      await tx.query(
        `INSERT INTO quorum_transfers (domain_fingerprint, thumbprint, at, from_holder, to_holder, reason, approved_by, recorded_by)
         VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7, $8::jsonb)`,
        [fingerprint, t.thumbprint, t.at, JSON.stringify(from), JSON.stringify(t.to), t.reason, t.approvedBy, principal(t.by)],
      );
      await tx.query(
        `UPDATE quorum_custodians SET person = $3, role = $4, contact = $5, location = $6, updated_at = $7, updated_by = $8::jsonb
         WHERE domain_fingerprint = $1 AND thumbprint = $2`,
        [fingerprint, t.thumbprint, t.to.person, t.to.role, t.to.contact, t.to.location, t.at, principal(t.by)],
      );
      return null;
    });
  }

  async addReview(fingerprint: string, review: { at: number; by: PrincipalRef; note: string }): Promise<void> {
    await this.db.query("INSERT INTO quorum_reviews (domain_fingerprint, at, reviewed_by, note) VALUES ($1, $2, $3::jsonb, $4)", [
      fingerprint,
      review.at,
      principal(review.by),
      review.note,
    ]);
  }

  /** Newest first. */
  async reviews(fingerprint: string, limit = 200): Promise<ReviewRow[]> {
    const { rows } = await this.db.query("SELECT seq, at, reviewed_by, note FROM quorum_reviews WHERE domain_fingerprint = $1 ORDER BY seq DESC LIMIT $2", [fingerprint, limit]);
    return rows.map((row) => {
      const r = ReviewRowSchema.parse(row);
      return { seq: r.seq, at: r.at, by: r.reviewed_by, note: r.note };
    });
  }

  /** Newest first. */
  async transfers(fingerprint: string, limit = 200): Promise<TransferRow[]> {
    const { rows } = await this.db.query(
      "SELECT seq, thumbprint, at, from_holder, to_holder, reason, approved_by, recorded_by FROM quorum_transfers WHERE domain_fingerprint = $1 ORDER BY seq DESC LIMIT $2",
      [fingerprint, limit],
    );
    return rows.map((row) => {
      const r = TransferRowSchema.parse(row);
      return { seq: r.seq, thumbprint: r.thumbprint, at: r.at, from: r.from_holder, to: r.to_holder, reason: r.reason, approvedBy: r.approved_by, recordedBy: r.recorded_by };
    });
  }

  /**
   * A custodian proved in a rehearsal that they can still decrypt their share (called by the rehearsal
   * service). The time only moves forward, so a late report of an older rehearsal changes nothing.
   */
  async recordRehearsal(fingerprint: string, thumbprint: string, at: number): Promise<void> {
    await this.db.query(
      `INSERT INTO quorum_custodians (domain_fingerprint, thumbprint, last_rehearsal_at) VALUES ($1, $2, $3)
       ON CONFLICT (domain_fingerprint, thumbprint) DO UPDATE
         SET last_rehearsal_at = GREATEST(quorum_custodians.last_rehearsal_at, EXCLUDED.last_rehearsal_at)`,
      [fingerprint, thumbprint, at],
    );
  }
}

function transferRefusal(current: string, t: TransferWrite): TransferRefusal | null {
  if (!normalizeRecordText(current)) return { refused: "no-holder" };
  if (normalizeRecordText(current) !== normalizeRecordText(t.expectedFrom)) return { refused: "holder-changed", current };
  if (normalizeRecordText(current) === normalizeRecordText(t.to.person)) return { refused: "same-holder" };
  return null;
}
