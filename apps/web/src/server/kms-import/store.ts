import type { KmsImportState, KmsImportStep, KmsImportTarget, WrappingAlgorithm } from "@keyward/shared";
import type { Principal } from "../auth/principal";
import type { BridgeSnapshot } from "../ceremony/store";
import type { Db } from "../store";

/** One import job as the server keeps it (migration 006). Times in unix seconds, the target's clock. */
export interface KmsImportRecord {
  id: string;
  createdAt: number;
  updatedAt: number;
  principal: Principal;
  target: KmsImportTarget;
  bridge: BridgeSnapshot;
  keyId: string;
  keyCreated: boolean;
  /** The Description of a key the job creates. */
  keyDescription: string;
  alias: string | null;
  hsmSource: "generate" | "existing";
  hsmLabel: string;
  algorithm: WrappingAlgorithm;
  allowPkcs1: boolean;
  materialDays: number | null;
  state: KmsImportState;
  step: KmsImportStep;
  error: string | null;
  kcv: string | null;
  warnings: string[];
  publicKey: string | null;
  importToken: string | null;
  tokenExpires: number | null;
  encryptedMaterial: string | null;
  importedAt: number | null;
  imports: number;
}

export type KmsImportPatch = Partial<Pick<KmsImportRecord, "state" | "step" | "error" | "kcv" | "warnings" | "publicKey" | "importToken" | "tokenExpires" | "encryptedMaterial" | "importedAt" | "imports">>;

const COLUMNS: Record<keyof KmsImportRecord, string> = {
  id: "id",
  createdAt: "created_at",
  updatedAt: "updated_at",
  principal: "principal",
  target: "target",
  bridge: "bridge",
  keyId: "key_id",
  keyCreated: "key_created",
  keyDescription: "key_description",
  alias: "alias",
  hsmSource: "hsm_source",
  hsmLabel: "hsm_label",
  algorithm: "algorithm",
  allowPkcs1: "allow_pkcs1",
  materialDays: "material_days",
  state: "state",
  step: "step",
  error: "error",
  kcv: "kcv",
  warnings: "warnings",
  publicKey: "public_key",
  importToken: "import_token",
  tokenExpires: "token_expires",
  encryptedMaterial: "encrypted_material",
  importedAt: "imported_at",
  imports: "imports",
};
const FIELDS = Object.keys(COLUMNS) as (keyof KmsImportRecord)[];
const JSON_FIELDS = new Set<keyof KmsImportRecord>(["principal", "target", "bridge", "warnings"]);
const SELECT = FIELDS.map((f) => `${COLUMNS[f]} AS "${f}"`).join(", ");

const param = (field: keyof KmsImportRecord, value: unknown) => (JSON_FIELDS.has(field) ? JSON.stringify(value) : value);
const cast = (field: keyof KmsImportRecord) => (JSON_FIELDS.has(field) ? "::jsonb" : "");

/** bigint columns come back as strings from some drivers: numbers are numbers here. */
function fromRow(r: KmsImportRecord): KmsImportRecord {
  const n = (v: number | null) => (v === null ? null : Number(v));
  return { ...r, createdAt: Number(r.createdAt), updatedAt: Number(r.updatedAt), tokenExpires: n(r.tokenExpires), importedAt: n(r.importedAt), imports: Number(r.imports) };
}

/** The job's run is held by another portal process (or none): stop touching it. */
export class JobLeaseLost extends Error {
  constructor(id: string) {
    super(`KMS import job ${id} is being run by another portal process`);
    this.name = "JobLeaseLost";
  }
}

/**
 * Import job records. Created in one statement; afterwards written step by step under the lease of
 * the process running the job, as ceremonies are (ceremony/store.ts).
 */
export class KmsImportStore {
  private readonly db: Db;
  private readonly leaseMs: number;

  constructor(db: Db, opts: { leaseMs?: number } = {}) {
    this.db = db;
    this.leaseMs = opts.leaseMs ?? 30_000;
  }

  get dialect(): Db["dialect"] {
    return this.db.dialect;
  }

  async create(j: KmsImportRecord): Promise<void> {
    const values = FIELDS.map((f) => param(f, j[f]));
    const placeholders = FIELDS.map((f, i) => `$${i + 1}${cast(f)}`);
    await this.db.query(`INSERT INTO kms_import_jobs (${FIELDS.map((f) => COLUMNS[f]).join(", ")}) VALUES (${placeholders.join(", ")})`, values);
  }

  async find(id: string): Promise<KmsImportRecord | undefined> {
    const { rows } = await this.db.query<KmsImportRecord>(`SELECT ${SELECT} FROM kms_import_jobs WHERE id = $1`, [id]);
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  async list(limit: number): Promise<KmsImportRecord[]> {
    const { rows } = await this.db.query<KmsImportRecord>(`SELECT ${SELECT} FROM kms_import_jobs ORDER BY created_at DESC, id DESC LIMIT $1`, [limit]);
    return rows.map(fromRow);
  }

  /** Write a step under the lease; `owner` keeps the lease for another period. */
  async write(id: string, owner: string, patch: KmsImportPatch, now: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ lease_owner: string | null }>("SELECT lease_owner FROM kms_import_jobs WHERE id = $1 FOR UPDATE", [id]);
      if (rows[0]?.lease_owner !== owner) throw new JobLeaseLost(id);
      const params: unknown[] = [id, now, Date.now() + this.leaseMs];
      const sets = ["updated_at = $2", "lease_until = $3"];
      for (const f of Object.keys(patch) as (keyof KmsImportPatch)[]) {
        params.push(param(f, patch[f] ?? null));
        sets.push(`${COLUMNS[f]} = $${params.length}${cast(f)}`);
      }
      await tx.query(`UPDATE kms_import_jobs SET ${sets.join(", ")} WHERE id = $1`, params);
    });
  }

  /** Take the lease of a job in `states` nobody holds; `force` when the database is this process's alone (PGlite). */
  async claim(id: string, owner: string, states: readonly KmsImportState[], force: boolean, patch: KmsImportPatch = {}): Promise<boolean> {
    const now = Date.now();
    const params: unknown[] = [id, owner, now + this.leaseMs, [...states], now, force];
    const sets = ["lease_owner = $2", "lease_until = $3"];
    for (const f of Object.keys(patch) as (keyof KmsImportPatch)[]) {
      params.push(param(f, patch[f] ?? null));
      sets.push(`${COLUMNS[f]} = $${params.length}${cast(f)}`);
    }
    const { rows } = await this.db.query<{ id: string }>(
      `UPDATE kms_import_jobs SET ${sets.join(", ")}
        WHERE id = $1 AND state = ANY($4::text[]) AND (lease_owner IS NULL OR lease_owner = $2 OR lease_until < $5 OR $6::boolean)
        RETURNING id`,
      params,
    );
    return rows.length === 1;
  }

  async orphans(owner: string, force: boolean): Promise<string[]> {
    const { rows } = await this.db.query<{ id: string }>(
      `SELECT id FROM kms_import_jobs WHERE state = 'running' AND (lease_owner IS NULL OR lease_until < $1 OR $2::boolean) AND lease_owner IS DISTINCT FROM $3 ORDER BY created_at`,
      [Date.now(), force, owner],
    );
    return rows.map((r) => r.id);
  }

  async release(id: string, owner: string): Promise<void> {
    await this.db.query("UPDATE kms_import_jobs SET lease_owner = NULL, lease_until = NULL WHERE id = $1 AND lease_owner = $2", [id, owner]);
  }
}
