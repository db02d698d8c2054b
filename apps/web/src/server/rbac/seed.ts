import { BUILT_IN_ROLE_IDS, HSM_SCOPE, roleDefinitionId } from "@keyward/shared";
import { randomUUID } from "node:crypto";
import type { RoleAssignmentStore } from "./store";

/** The embedded default's grants, all at `/`. */
export const EMBEDDED_GRANTS = {
  admin: [BUILT_IN_ROLE_IDS.administrator, BUILT_IN_ROLE_IDS.cryptoOfficer, BUILT_IN_ROLE_IDS.cryptoUser],
  cli: [BUILT_IN_ROLE_IDS.cryptoUser],
} as const;

/**
 * Seeds the embedded default's role assignments: the `admin` user gets Administrator + Crypto Officer +
 * Crypto User, the `keyward-cli` client Crypto User — when the identities were just created, or when the
 * store holds no assignment at all (a fresh database: nobody could grant anything otherwise). Never on an
 * ordinary restart, so an admin's deliberate removal of a grant stays removed. Returns how many it added.
 */
export async function seedEmbeddedAssignments(
  store: RoleAssignmentStore,
  ids: { adminOid: string | undefined; cliOid: string | undefined; identitiesCreated: boolean },
): Promise<number> {
  const empty = (await store.list()).length === 0;
  if (!ids.identitiesCreated && !empty) return 0;
  const grants: [string | undefined, readonly string[]][] = [
    [ids.adminOid, EMBEDDED_GRANTS.admin],
    [ids.cliOid, EMBEDDED_GRANTS.cli],
  ];
  let added = 0;
  for (const [principalId, roles] of grants) {
    if (principalId === undefined) continue;
    const existing = await store.list({ principalId, scope: HSM_SCOPE });
    for (const role of roles) {
      const id = roleDefinitionId(role);
      if (existing.some((a) => a.roleDefinitionId === id)) continue;
      await store.put({ name: randomUUID(), scope: HSM_SCOPE, principalId, roleDefinitionId: id });
      added += 1;
    }
  }
  return added;
}
