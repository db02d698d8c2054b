import { TargetError, isHsmWide, type RoleAssignment, type RoleScope } from "@keyward/shared";
import { canonicalRoleId, resolvePut } from "./conflicts";
import type { RoleAssignmentStore } from "./store";

/**
 * The query surface this store needs — the shape of the portal's shared `Db` (store/db.ts), of PGlite
 * and of pg's Pool, so any of them plugs in unchanged.
 */
export interface SqlQueryable {
  query<T>(sql: string, params?: readonly unknown[]): Promise<{ rows: T[] }>;
}

/** Suggested migration id for the shared migration list. */
export const ROLE_ASSIGNMENTS_MIGRATION_ID = "role_assignments";

/**
 * The role_assignments table. `scope_folded` is the scope as it compares: `/` for both HSM-wide scopes,
 * key names lower-cased (Key Vault names are case-insensitive); uniqueness of a grant is enforced on it.
 */
export const ROLE_ASSIGNMENTS_SQL = `
CREATE TABLE role_assignments (
  name               text COLLATE "C" PRIMARY KEY
                     CHECK (name ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'),
  scope              text NOT NULL CHECK (scope IN ('/', '/keys') OR scope ~ '^/keys/[0-9A-Za-z-]{1,127}$'),
  scope_folded       text COLLATE "C" NOT NULL
                     CHECK (scope_folded = CASE WHEN scope IN ('/', '/keys') THEN '/' ELSE lower(scope) END),
  principal_id       text NOT NULL CHECK (length(principal_id) BETWEEN 1 AND 256),
  role_definition_id text NOT NULL CHECK (length(role_definition_id) BETWEEN 1 AND 512)
);
CREATE UNIQUE INDEX role_assignments_grant ON role_assignments (principal_id, role_definition_id, scope_folded);
CREATE INDEX role_assignments_scope ON role_assignments (scope_folded);
`;

const COLUMNS = "name, scope, principal_id, role_definition_id";

export const ROLE_ASSIGNMENT_QUERIES = {
  list: `SELECT ${COLUMNS} FROM role_assignments
         WHERE ($1::text IS NULL OR scope_folded = $1) AND ($2::text[] IS NULL OR principal_id = ANY($2::text[]))
         ORDER BY name`,
  get: `SELECT ${COLUMNS} FROM role_assignments WHERE name = $1`,
  getGrant: `SELECT ${COLUMNS} FROM role_assignments WHERE principal_id = $1 AND role_definition_id = $2 AND scope_folded = $3`,
  insert: `INSERT INTO role_assignments (name, scope, scope_folded, principal_id, role_definition_id)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
  delete: `DELETE FROM role_assignments WHERE name = $1 RETURNING ${COLUMNS}`,
} as const;

interface Row {
  name: string;
  scope: string;
  principal_id: string;
  role_definition_id: string;
}

const fromRow = (r: Row): RoleAssignment => ({
  name: r.name,
  scope: r.scope as RoleScope,
  principalId: r.principal_id,
  roleDefinitionId: r.role_definition_id,
});

export function foldScope(scope: RoleScope): string {
  return isHsmWide(scope) ? "/" : scope.toLowerCase();
}

export function createSqlRoleAssignmentStore(db: SqlQueryable): RoleAssignmentStore {
  const get = async (name: string) => {
    const { rows } = await db.query<Row>(ROLE_ASSIGNMENT_QUERIES.get, [name.toLowerCase()]);
    return rows[0] && fromRow(rows[0]);
  };
  return {
    async list(filter = {}) {
      const ids = filter.principalId === undefined ? null : typeof filter.principalId === "string" ? [filter.principalId] : [...filter.principalId];
      const { rows } = await db.query<Row>(ROLE_ASSIGNMENT_QUERIES.list, [filter.scope === undefined ? null : foldScope(filter.scope), ids]);
      return rows.map(fromRow);
    },
    get,
    async put(assignment) {
      const next: RoleAssignment = { ...assignment, name: assignment.name.toLowerCase(), roleDefinitionId: canonicalRoleId(assignment.roleDefinitionId) };
      const params = [next.name, next.scope, foldScope(next.scope), next.principalId, next.roleDefinitionId];
      const { rows } = await db.query<Row>(ROLE_ASSIGNMENT_QUERIES.insert, params);
      if (rows[0]) return fromRow(rows[0]);
      // Nothing inserted: the name or the grant exists. Decide which, as the memory store does.
      const byName = await get(next.name);
      const grant = await db.query<Row>(ROLE_ASSIGNMENT_QUERIES.getGrant, [next.principalId, next.roleDefinitionId, foldScope(next.scope)]);
      const existing = resolvePut(next, byName, grant.rows[0] && fromRow(grant.rows[0]));
      // Both gone again between the insert and the look-ups: a concurrent delete; let the caller retry.
      if (!existing) throw new TargetError("Conflict", "The role assignment changed concurrently; retry the request.");
      return existing;
    },
    async delete(name) {
      const { rows } = await db.query<Row>(ROLE_ASSIGNMENT_QUERIES.delete, [name.toLowerCase()]);
      return rows[0] && fromRow(rows[0]);
    },
  };
}
