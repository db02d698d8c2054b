import { HSM_SCOPE, type PrincipalEntry, type PrincipalList } from "@keyward/shared";
import { readIdentities } from "../auth";
import type { PortalRoute } from "./route";

/**
 * GET /principals — names for the access-control matrix. Anyone who may read role assignments may
 * read this: it reveals no more than the assignments do, plus the names of the embedded provider's
 * accounts. Public clients are left out: they never act as themselves, so they can hold no role.
 */
export const principalRoutes: PortalRoute[] = [
  {
    method: "GET",
    path: "/principals",
    access: { operation: "listRoleAssignments", scope: () => HSM_SCOPE },
    async run(ctx) {
      const known = new Map<string, PrincipalEntry>();
      const identities = ctx.auth.kind === "embedded" ? await readIdentities(ctx.dataDir) : undefined;
      for (const u of identities?.users ?? []) known.set(u.oid, { id: u.oid, kind: "user", name: u.displayName, username: u.username });
      for (const c of identities?.clients ?? []) {
        if (c.grantTypes.includes("client_credentials")) known.set(c.oid, { id: c.oid, kind: "app", name: c.displayName, username: c.clientId });
      }
      for (const a of await ctx.target.ctx.rbac.store.list()) {
        if (!known.has(a.principalId)) known.set(a.principalId, { id: a.principalId, kind: "unknown" });
      }
      const body: PrincipalList = { value: [...known.values()] };
      return { body };
    },
  },
];
