import type { KmsImportState, KmsImportStep, KmsImportTarget, WrappingAlgorithm } from "@keyward/shared";
import type { Principal } from "../auth/principal";
import type { BridgeSnapshot } from "../ceremony/store";
import type { Db } from "../store";
import { Leases } from "../store/leases";

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

/**
 * Import job records. Created in one statement; afterwards written step by step under the lease of
 * the process running the job, as ceremonies are (ceremony/store.ts).
 */
export class KmsImportStore {
  private readonly db: Db;
  private readonly leases: Leases;

  constructor(db: Db, opts: { leaseMs?: number } = {}) {
    this.db = db;
    this.leases = new Leases("kms_import_jobs", "KMS import job", opts.leaseMs);
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
      await this.leases.hold(tx, id, owner);
      const params: unknown[] = [id, now, Date.now() + this.leases.ms];
      const sets = ["updated_at = $2", "lease_until = $3"];
      for (const f of Object.keys(patch) as (keyof KmsImportPatch)[]) {
        params.push(param(f, patch[f] ?? null));
        sets.push(`${COLUMNS[f]} = $${params.length}${cast(f)}`);
      }
      await tx.query(`UPDATE kms_import_jobs SET ${sets.join(", ")} WHERE id = $1`, params);
    });
  }

  /** Take the lease of a job in `states` nobody holds; `force` when the database is this process's alone (PGlite). */
  claim(id: string, owner: string, states: readonly KmsImportState[], force: boolean, patch: KmsImportPatch = {}): Promise<boolean> {
    const also = (Object.keys(patch) as (keyof KmsImportPatch)[]).map((f) => ({ column: COLUMNS[f], value: param(f, patch[f] ?? null), cast: cast(f) }));
    return this.leases.claim(this.db, id, owner, states, force, also);
  }

  orphans(owner: string, force: boolean): Promise<string[]> {
    return this.leases.orphans(this.db, owner, force);
  }

  release(id: string, owner: string): Promise<void> {
    return this.leases.release(this.db, id, owner);
  }
}
