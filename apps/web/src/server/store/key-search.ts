import { EXPIRIES_LIMIT, typesMatching, type EcCurve, type KeyOrigin, type KeySearchQuery, type KeySearchSort, type KeyType, type Tags } from "@keyward/shared";
import type { Db } from "./db";
import { SECONDS_PER_DAY } from "./store-context";

/**
 * The inventory's search over live keys and their latest versions: filters, sort and page in SQL,
 * with an exact count, so a page costs the same at 10,000 keys as at 100. Soft-deleted keys are
 * never listed. Reads only metadata: material is not selected.
 */

export interface KeySearchRow {
  name: string;
  latest_version: string;
  kty: KeyType;
  /** Length of the RSA modulus in base64url characters; null for other types. */
  n_length: number | null;
  crv: EcCurve | null;
  enabled: boolean;
  nbf: number | null;
  exp: number | null;
  created: number;
  updated: number;
  origin: KeyOrigin;
  tags: Tags;
  managed: boolean;
}

// Each sort ends with the name, so pages never overlap when many keys share a time; keys without exp sort last either way.
const ORDER: Record<KeySearchSort, (dir: "ASC" | "DESC") => string> = {
  name: (d) => `k.name_folded ${d}`,
  created: (d) => `v.created ${d}, k.name_folded ${d}`,
  updated: (d) => `v.updated ${d}, k.name_folded ${d}`,
  expires: (d) => `v.exp ${d} NULLS LAST, k.name_folded ${d}`,
};

/** `%` and `_` are LIKE wildcards; the shared parser keeps them out of q, and this keeps them literal anyway. */
const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

function where(q: Omit<KeySearchQuery, "sort" | "dir" | "page" | "pageSize">, now: number): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const clauses = ["k.deleted_date IS NULL"];
  if (q.q) clauses.push(`k.name_folded LIKE ${p(`%${likeLiteral(q.q.toLowerCase())}%`)}`);
  if (q.type) clauses.push(`v.kty = ANY(${p(typesMatching(q.type))}::text[])`);
  if (q.enabled !== undefined) clauses.push(`v.enabled = ${p(q.enabled)}`);
  if (q.expiringWithinDays !== undefined) {
    clauses.push(`v.exp BETWEEN ${p(now)} AND ${p(now + q.expiringWithinDays * SECONDS_PER_DAY)}`);
  }
  if (q.tag) {
    // Both forms are served by the GIN index on tags: `?` for presence, `@>` for name and value.
    clauses.push(q.tag.value === undefined ? `v.tags ? ${p(q.tag.name)}` : `v.tags @> ${p(JSON.stringify({ [q.tag.name]: q.tag.value }))}::jsonb`);
  }
  if (q.origin) clauses.push(`v.origin = ${p(q.origin)}`);
  return { sql: clauses.join(" AND "), params };
}

const FROM = "keys k JOIN key_versions v ON v.key_id = k.id AND v.version = k.latest_version";

export async function searchKeys(db: Db, q: KeySearchQuery, now: number): Promise<{ rows: KeySearchRow[]; total: number }> {
  const filter = where(q, now);
  const dir = q.dir === "desc" ? "DESC" : "ASC";
  const limit = filter.params.length + 1;
  const { rows } = await db.query<KeySearchRow>(
    `SELECT k.name, k.latest_version, v.kty, length(v.public_jwk->>'n') AS n_length, v.public_jwk->>'crv' AS crv,
            v.enabled, v.nbf, v.exp, v.created, v.updated, v.origin, v.tags, k.managed
       FROM ${FROM}
      WHERE ${filter.sql}
      ORDER BY ${ORDER[q.sort](dir)}
      LIMIT $${limit} OFFSET $${limit + 1}`,
    [...filter.params, q.pageSize, (q.page - 1) * q.pageSize],
  );
  // Every live key has exactly one latest version (a deferred foreign key), so without a filter on the
  // version the count needs no join: an index-only scan instead of hashing every key against its version.
  const byNameOnly = q.type === undefined && q.enabled === undefined && q.expiringWithinDays === undefined && !q.tag && !q.origin;
  const count = await db.query<{ total: number }>(`SELECT count(*)::int AS total FROM ${byNameOnly ? "keys k" : FROM} WHERE ${filter.sql}`, filter.params);
  return { rows, total: count.rows[0]?.total ?? 0 };
}

export interface ExpiryRow {
  name: string;
  exp: number;
  enabled: boolean;
}

/** Live keys whose latest version expires before now + days (already expired ones too), soonest first. */
export async function keyExpiries(db: Db, days: number, now: number, limit = EXPIRIES_LIMIT): Promise<{ rows: ExpiryRow[]; total: number }> {
  const until = now + days * SECONDS_PER_DAY;
  const filter = `k.deleted_date IS NULL AND v.exp IS NOT NULL AND v.exp <= $1`;
  const { rows } = await db.query<ExpiryRow>(
    `SELECT k.name, v.exp, v.enabled FROM ${FROM} WHERE ${filter} ORDER BY v.exp, k.name_folded LIMIT $2`,
    [until, limit],
  );
  const count = await db.query<{ total: number }>(`SELECT count(*)::int AS total FROM ${FROM} WHERE ${filter}`, [until]);
  return { rows, total: count.rows[0]?.total ?? 0 };
}
