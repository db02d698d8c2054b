import type { Participant, PrincipalRef } from "@keyward/shared";
import { TargetError } from "@keyward/shared";
import type { Db } from "../store";

export type RecoveryState = "collecting" | "combining" | "completed" | "failed";

export interface RecoveryShare extends Participant {
  position: number;
  approvedBy: PrincipalRef | null;
  approvedAt: number | null;
  /** The share re-encrypted to the recovery bridge's ephemeral key (never a plaintext share). */
  encShare: string | null;
  shareNumber: number | null;
}

export interface RecoveryRecord {
  id: string;
  createdAt: number;
  updatedAt: number;
  createdBy: PrincipalRef;
  state: RecoveryState;
  recoveryBridge: string;
  ephemeralLabel: string;
  ephemeralKey: { kty: "RSA"; n: string; e: string };
  securityDomain: string;
  required: number;
  error: string | null;
  restoreSha256: string | null;
  shares: RecoveryShare[];
}

export interface RehearsalRecord extends Participant {
  id: string;
  createdAt: number;
  createdBy: PrincipalRef;
  encShare: string;
  challenge: string;
  state: "pending" | "passed" | "failed";
  completedAt: number | null;
  error: string | null;
}

const RECOVERY = `id, created_at AS "createdAt", updated_at AS "updatedAt", created_by AS "createdBy", state, recovery_bridge AS "recoveryBridge",
  ephemeral_label AS "ephemeralLabel", ephemeral_key AS "ephemeralKey", security_domain AS "securityDomain", required, error, restore_sha256 AS "restoreSha256"`;
const SHARE = `thumbprint AS "thumbprintSha256", principal_id AS "principalId", bridge_id AS "bridgeId", key_label AS "keyLabel", position,
  approved_by AS "approvedBy", approved_at AS "approvedAt", enc_share AS "encShare", share_number AS "shareNumber"`;
const REHEARSAL = `id, created_at AS "createdAt", created_by AS "createdBy", thumbprint AS "thumbprintSha256", principal_id AS "principalId", bridge_id AS "bridgeId",
  key_label AS "keyLabel", enc_share AS "encShare", challenge, state, completed_at AS "completedAt", error`;

const num = (v: number | string | null) => (v === null ? null : Number(v));

/** Recovery and rehearsal records; an approval is one transaction that locks its recovery. */
export class RecoveryStore {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  async create(r: Omit<RecoveryRecord, "shares">, participants: readonly Participant[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO sd_recoveries (id, created_at, updated_at, created_by, state, recovery_bridge, ephemeral_label, ephemeral_key, security_domain, required, error, restore_sha256)
         VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8::jsonb, $9, $10, $11, $12)`,
        [r.id, r.createdAt, r.updatedAt, JSON.stringify(r.createdBy), r.state, r.recoveryBridge, r.ephemeralLabel, JSON.stringify(r.ephemeralKey), r.securityDomain, r.required, r.error, r.restoreSha256],
      );
      for (const [position, p] of participants.entries()) {
        await tx.query(`INSERT INTO sd_recovery_shares (recovery_id, thumbprint, principal_id, bridge_id, key_label, position) VALUES ($1, $2, $3, $4, $5, $6)`, [
          r.id,
          p.thumbprintSha256,
          p.principalId,
          p.bridgeId,
          p.keyLabel,
          position,
        ]);
      }
    });
  }

  async find(id: string, db: Db = this.db): Promise<RecoveryRecord | undefined> {
    const { rows } = await db.query<RecoveryRecord>(`SELECT ${RECOVERY} FROM sd_recoveries WHERE id = $1`, [id]);
    const row = rows[0];
    if (!row) return undefined;
    const shares = await db.query<RecoveryShare>(`SELECT ${SHARE} FROM sd_recovery_shares WHERE recovery_id = $1 ORDER BY position`, [id]);
    return {
      ...row,
      createdAt: Number(row.createdAt),
      updatedAt: Number(row.updatedAt),
      shares: shares.rows.map((s) => ({ ...s, approvedAt: num(s.approvedAt), shareNumber: num(s.shareNumber) })),
    };
  }

  async get(id: string): Promise<RecoveryRecord> {
    const found = await this.find(id);
    if (!found) throw new TargetError("NotFound", `no security-domain recovery with the id ${JSON.stringify(id)}`);
    return found;
  }

  async list(limit = 50): Promise<RecoveryRecord[]> {
    const { rows } = await this.db.query<{ id: string }>("SELECT id FROM sd_recoveries ORDER BY created_at DESC, id DESC LIMIT $1", [limit]);
    return Promise.all(rows.map((r) => this.get(r.id)));
  }

  /**
   * Record one approval and its re-encrypted share, only while the recovery collects and the share is
   * unapproved; false otherwise (someone approved it, or the recovery moved on, in the meantime).
   */
  async approve(id: string, a: { thumbprint: string; by: PrincipalRef; encShare: string; shareNumber: number }, now: number): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ state: string }>("SELECT state FROM sd_recoveries WHERE id = $1 FOR UPDATE", [id]);
      if (rows[0]?.state !== "collecting") return false;
      const done = await tx.query<{ thumbprint: string }>(
        `UPDATE sd_recovery_shares SET approved_by = $3::jsonb, approved_at = $4, enc_share = $5, share_number = $6
          WHERE recovery_id = $1 AND thumbprint = $2 AND approved_at IS NULL RETURNING thumbprint`,
        [id, a.thumbprint, JSON.stringify(a.by), now, a.encShare, a.shareNumber],
      );
      if (done.rows.length !== 1) return false;
      await tx.query("UPDATE sd_recoveries SET updated_at = $2 WHERE id = $1", [id, now]);
      return true;
    });
  }

  /** Move `from` → `to` if the recovery is still in `from`; false when another request moved it first. */
  async transition(id: string, from: readonly RecoveryState[], to: RecoveryState, now: number, patch: { error?: string | null; restoreSha256?: string | null } = {}): Promise<boolean> {
    const { rows } = await this.db.query<{ id: string }>(
      `UPDATE sd_recoveries SET state = $3, updated_at = $4, error = COALESCE($5, error), restore_sha256 = COALESCE($6, restore_sha256)
        WHERE id = $1 AND state = ANY($2::text[]) RETURNING id`,
      [id, [...from], to, now, patch.error ?? null, patch.restoreSha256 ?? null],
    );
    return rows.length === 1;
  }

  async createRehearsal(r: RehearsalRecord): Promise<void> {
    await this.db.query(
      `INSERT INTO sd_rehearsals (id, created_at, created_by, thumbprint, principal_id, bridge_id, key_label, enc_share, challenge, state, completed_at, error)
       VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [r.id, r.createdAt, JSON.stringify(r.createdBy), r.thumbprintSha256, r.principalId, r.bridgeId, r.keyLabel, r.encShare, r.challenge, r.state, r.completedAt, r.error],
    );
  }

  async findRehearsal(id: string): Promise<RehearsalRecord> {
    const { rows } = await this.db.query<RehearsalRecord>(`SELECT ${REHEARSAL} FROM sd_rehearsals WHERE id = $1`, [id]);
    const row = rows[0];
    if (!row) throw new TargetError("NotFound", `no rehearsal with the id ${JSON.stringify(id)}`);
    return { ...row, createdAt: Number(row.createdAt), completedAt: num(row.completedAt) };
  }

  async listRehearsals(limit = 50): Promise<RehearsalRecord[]> {
    const { rows } = await this.db.query<RehearsalRecord>(`SELECT ${REHEARSAL} FROM sd_rehearsals ORDER BY created_at DESC, id DESC LIMIT $1`, [limit]);
    return rows.map((row) => ({ ...row, createdAt: Number(row.createdAt), completedAt: num(row.completedAt) }));
  }

  /** Settle a pending rehearsal once; false if it was already settled. */
  async settleRehearsal(id: string, state: "passed" | "failed", error: string | null, now: number): Promise<boolean> {
    const { rows } = await this.db.query<{ id: string }>(
      "UPDATE sd_rehearsals SET state = $2, error = $3, completed_at = $4 WHERE id = $1 AND state = 'pending' RETURNING id",
      [id, state, error, now],
    );
    return rows.length === 1;
  }
}
