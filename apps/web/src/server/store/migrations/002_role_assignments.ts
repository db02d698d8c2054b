import { ROLE_ASSIGNMENTS_SQL } from "../../rbac/sql-store";

/** Managed HSM local RBAC: role assignments (the table is defined next to its queries). */
export const sql = ROLE_ASSIGNMENTS_SQL;
