import type { CeremonyMode, CeremonyState, KeySpec, RsaSize, TargetSource, TargetState, TokenKey } from "@keyward/shared";
import type { Principal } from "../auth/principal";
import type { Db } from "../store";
import { Leases } from "../store/leases";

export interface KekRecord {
  name: string;
  size?: RsaSize;
  /** Made by this ceremony (else an existing import-only key picked by name). */
  created: boolean;
  /** The versioned id, once known. */
  kid?: string;
}

export interface BridgeSnapshot {
  bridgeId: string;
  url: string;
  thumbprint: string;
  publicJwk: { kty: "OKP"; crv: "Ed25519"; x: string };
}

export interface TargetRecord {
  seq: number;
  name: string;
  label: string;
  spec: KeySpec;
  source: TargetSource;
  state: TargetState;
  error?: string;
  /** Public information from the bridge (public JWK, KCV): what the proof compares with. */
  tokenKey?: TokenKey;
  /** The .byok text; it never leaves the server. */
  byok?: string;
  byokSha256?: string;
  kid?: string;
  proof?: string;
  updatedAt: number;
}

export interface CeremonyRecord {
  id: string;
  createdAt: number;
  updatedAt: number;
  finishedAt?: number;
  principal: Principal;
  bridge: BridgeSnapshot;
  mode: CeremonyMode;
  kek: KekRecord;
  state: CeremonyState;
  error?: string;
  targets: TargetRecord[];
}

export type CommandStep = "generate" | "wrap";

export interface CommandRecord {
  jti: string;
  ceremonyId: string;
  step: CommandStep;
  targets: number[];
  jws: string;
  sha256: string;
  /** Unix milliseconds. */
  expiresAt: number;
  state: "sent" | "answered" | "void";
  createdAt: number;
}

export type TargetPatch = Partial<Omit<TargetRecord, "seq" | "name" | "label" | "spec" | "source" | "updatedAt">>;
export type CeremonyPatch = { state?: CeremonyState; error?: string | null; kek?: KekRecord; finishedAt?: number };

interface CeremonyRow {
  id: string;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
  principal: Principal;
  bridge: BridgeSnapshot;
  mode: CeremonyMode;
  kek: KekRecord;
  state: CeremonyState;
  error: string | null;
}

interface TargetRow {
  seq: number;
  name: string;
  label: string;
  spec: KeySpec;
  source: TargetSource;
  state: TargetState;
  error: string | null;
  token_key: TokenKey | null;
  byok: string | null;
  byok_sha256: string | null;
  kid: string | null;
  proof: string | null;
  updated_at: number;
}

interface CommandRow {
  jti: string;
  ceremony_id: string;
  step: CommandStep;
  targets: number[];
  jws: string;
  sha256: string;
  expires_at: number;
  state: CommandRecord["state"];
  created_at: number;
}

const CEREMONY_COLUMNS = "id, created_at, updated_at, finished_at, principal, bridge, mode, kek, state, error";
const TARGET_COLUMNS = "seq, name, label, spec, source, state, error, token_key, byok, byok_sha256, kid, proof, updated_at";
const COMMAND_COLUMNS = "jti, ceremony_id, step, targets, jws, sha256, expires_at, state, created_at";

const opt = <K extends string, V>(key: K, value: V | null): { [P in K]?: V } => (value === null ? {} : ({ [key]: value } as { [P in K]?: V }));

function targetFromRow(r: TargetRow): TargetRecord {
  return {
    seq: r.seq,
    name: r.name,
    label: r.label,
    spec: r.spec,
    source: r.source,
    state: r.state,
    ...opt("error", r.error),
    ...opt("tokenKey", r.token_key),
    ...opt("byok", r.byok),
    ...opt("byokSha256", r.byok_sha256),
    ...opt("kid", r.kid),
    ...opt("proof", r.proof),
    updatedAt: r.updated_at,
  };
}

function ceremonyFromRow(r: CeremonyRow, targets: TargetRecord[]): CeremonyRecord {
  return {
    id: r.id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    ...opt("finishedAt", r.finished_at),
    principal: r.principal,
    bridge: r.bridge,
    mode: r.mode,
    kek: r.kek,
    state: r.state,
    ...opt("error", r.error),
    targets,
  };
}

const commandFromRow = (r: CommandRow): CommandRecord => ({
  jti: r.jti,
  ceremonyId: r.ceremony_id,
  step: r.step,
  targets: r.targets,
  jws: r.jws,
  sha256: r.sha256,
  expiresAt: r.expires_at,
  state: r.state,
  createdAt: r.created_at,
});

/**
 * Ceremony records. A ceremony with its targets is written in one transaction; afterwards each step
 * is written as it completes, under the lease of the portal process running it (a process that lost
 * the lease — it was presumed dead — cannot overwrite the one that took over).
 */
export class CeremonyStore {
  private readonly db: Db;
  private readonly leases: Leases;

  constructor(db: Db, opts: { leaseMs?: number } = {}) {
    this.db = db;
    this.leases = new Leases("ceremonies", "ceremony", opts.leaseMs);
  }

  get dialect(): Db["dialect"] {
    return this.db.dialect;
  }

  async create(c: CeremonyRecord, owner: string | null): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO ceremonies (${CEREMONY_COLUMNS}, lease_owner, lease_until) VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8::jsonb, $9, $10, $11, $12)`,
        [c.id, c.createdAt, c.updatedAt, c.finishedAt ?? null, JSON.stringify(c.principal), JSON.stringify(c.bridge), c.mode, JSON.stringify(c.kek), c.state, c.error ?? null, owner, owner ? c.createdAt + this.leases.ms : null],
      );
      for (const t of c.targets) {
        await tx.query(`INSERT INTO ceremony_targets (ceremony_id, seq, name, label, spec, source, state, updated_at) VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8)`, [
          c.id,
          t.seq,
          t.name,
          t.label,
          JSON.stringify(t.spec),
          t.source,
          t.state,
          t.updatedAt,
        ]);
      }
    });
  }

  async find(id: string): Promise<CeremonyRecord | undefined> {
    const { rows } = await this.db.query<CeremonyRow>(`SELECT ${CEREMONY_COLUMNS} FROM ceremonies WHERE id = $1`, [id]);
    const row = rows[0];
    if (!row) return undefined;
    const targets = await this.db.query<TargetRow>(`SELECT ${TARGET_COLUMNS} FROM ceremony_targets WHERE ceremony_id = $1 ORDER BY seq`, [id]);
    return ceremonyFromRow(row, targets.rows.map(targetFromRow));
  }

  /** Newest first, with per-state target counts instead of the targets. */
  async list(limit: number): Promise<{ ceremony: CeremonyRecord; counts: Partial<Record<TargetState, number>> }[]> {
    const { rows } = await this.db.query<CeremonyRow & { counts: Partial<Record<TargetState, number>> | null }>(
      `SELECT ${CEREMONY_COLUMNS.split(", ").map((c) => `c.${c}`).join(", ")},
              (SELECT jsonb_object_agg(s.state, s.n) FROM (SELECT state, count(*)::int AS n FROM ceremony_targets t WHERE t.ceremony_id = c.id GROUP BY state) s) AS counts
         FROM ceremonies c ORDER BY c.created_at DESC, c.id DESC LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({ ceremony: ceremonyFromRow(r, []), counts: r.counts ?? {} }));
  }

  /** Write under the lease: `owner` must still hold it, and holds it for another lease period after. */
  async write<T>(id: string, owner: string, fn: (w: CeremonyWriter) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => {
      const now = Date.now();
      await this.leases.hold(tx, id, owner);
      const result = await fn(new CeremonyWriter(tx, id, now));
      await tx.query("UPDATE ceremonies SET updated_at = $2, lease_until = $3 WHERE id = $1", [id, now, now + this.leases.ms]);
      return result;
    });
  }

  /** Take the lease of a ceremony in `states` that nobody holds (or whose holder stopped renewing it). */
  claim(id: string, owner: string, states: readonly CeremonyState[], force = false): Promise<boolean> {
    return this.leases.claim(this.db, id, owner, states, force);
  }

  /** Running ceremonies whose runner is gone: what a starting portal picks up. */
  orphans(owner: string, force: boolean): Promise<string[]> {
    return this.leases.orphans(this.db, owner, force);
  }

  release(id: string, owner: string): Promise<void> {
    return this.leases.release(this.db, id, owner);
  }

  async commands(ceremonyId: string, states: readonly CommandRecord["state"][]): Promise<CommandRecord[]> {
    const { rows } = await this.db.query<CommandRow>(`SELECT ${COMMAND_COLUMNS} FROM ceremony_commands WHERE ceremony_id = $1 AND state = ANY($2::text[]) ORDER BY created_at, jti`, [
      ceremonyId,
      [...states],
    ]);
    return rows.map(commandFromRow);
  }

  async commandBySha256(ceremonyId: string, sha256: string): Promise<CommandRecord | undefined> {
    const { rows } = await this.db.query<CommandRow>(`SELECT ${COMMAND_COLUMNS} FROM ceremony_commands WHERE ceremony_id = $1 AND sha256 = $2`, [ceremonyId, sha256]);
    return rows[0] ? commandFromRow(rows[0]) : undefined;
  }
}

/** The writes of one transaction on one ceremony. */
export class CeremonyWriter {
  private readonly tx: Db;
  readonly id: string;
  readonly now: number;

  constructor(tx: Db, id: string, now: number) {
    this.tx = tx;
    this.id = id;
    this.now = now;
  }

  async ceremony(p: CeremonyPatch): Promise<void> {
    const sets: string[] = [];
    const params: unknown[] = [this.id];
    const set = (column: string, value: unknown, cast = "") => {
      params.push(value);
      sets.push(`${column} = $${params.length}${cast}`);
    };
    if (p.state !== undefined) set("state", p.state);
    if (p.error !== undefined) set("error", p.error);
    if (p.kek !== undefined) set("kek", JSON.stringify(p.kek), "::jsonb");
    if (p.finishedAt !== undefined) set("finished_at", p.finishedAt);
    if (sets.length) await this.tx.query(`UPDATE ceremonies SET ${sets.join(", ")} WHERE id = $1`, params);
  }

  async target(seq: number, p: TargetPatch): Promise<void> {
    const params: unknown[] = [this.id, seq, this.now];
    const sets = ["updated_at = $3"];
    const set = (column: string, value: unknown, cast = "") => {
      params.push(value);
      sets.push(`${column} = $${params.length}${cast}`);
    };
    if (p.state !== undefined) set("state", p.state);
    if ("error" in p) set("error", p.error ?? null);
    if (p.tokenKey !== undefined) set("token_key", JSON.stringify(p.tokenKey), "::jsonb");
    if (p.byok !== undefined) set("byok", p.byok);
    if (p.byokSha256 !== undefined) set("byok_sha256", p.byokSha256);
    if (p.kid !== undefined) set("kid", p.kid);
    if (p.proof !== undefined) set("proof", p.proof);
    await this.tx.query(`UPDATE ceremony_targets SET ${sets.join(", ")} WHERE ceremony_id = $1 AND seq = $2`, params);
  }

  async addCommand(c: Omit<CommandRecord, "ceremonyId" | "createdAt" | "state">): Promise<void> {
    await this.tx.query(`INSERT INTO ceremony_commands (${COMMAND_COLUMNS}) VALUES ($1, $2, $3, $4::integer[], $5, $6, $7, 'sent', $8)`, [
      c.jti,
      this.id,
      c.step,
      c.targets,
      c.jws,
      c.sha256,
      c.expiresAt,
      this.now,
    ]);
  }

  async command(jti: string, state: CommandRecord["state"]): Promise<void> {
    await this.tx.query("UPDATE ceremony_commands SET state = $3 WHERE ceremony_id = $1 AND jti = $2", [this.id, jti, state]);
  }
}
