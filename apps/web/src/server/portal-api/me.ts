import { BUILT_IN_ROLES, HSM_SCOPE, findRole, type Me } from "@keyward/shared";
import type { PortalRoute } from "./route";
import { signInConfig } from "./sign-in";

/** Sign-in settings (public) and who the caller is, with their roles and data actions at `/`. */
export const identityRoutes: PortalRoute[] = [
  {
    method: "GET",
    path: "/config",
    access: "public",
    run: async (ctx) => ({ body: signInConfig(ctx.auth, ctx.origin) }),
  },
  {
    method: "GET",
    path: "/me",
    access: "signed-in",
    async run(ctx, { principal }) {
      const { rbac, authorizer } = ctx.target.ctx;
      const assignments = await rbac.store.list({ principalId: [principal.id, ...principal.groups] });
      const me: Me = {
        id: principal.id,
        kind: principal.kind,
        ...(principal.name === undefined ? {} : { name: principal.name }),
        roles: assignments.map((a) => ({ roleName: findRole(BUILT_IN_ROLES, a.roleDefinitionId)?.roleName ?? a.roleDefinitionId, scope: a.scope })),
        dataActions: await authorizer.dataActions(principal, HSM_SCOPE),
      };
      return { body: me };
    },
  },
];
