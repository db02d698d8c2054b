import { ApproveRehearsalRequestSchema, ApproveShareRequestSchema, CreateRecoveryRequestSchema, CreateRehearsalRequestSchema, HSM_SCOPE, type RoleScope } from "@keyward/shared";
import { parseJson } from "../target/http";
import type { PortalRoute } from "./route";

/** Starting and completing a recovery is restoring the security domain: `uploadSecurityDomain` at /. */
const RESTORER = { operation: "uploadSecurityDomain", scope: (): RoleScope => HSM_SCOPE } as const;
/** Asking custodians to rehearse is the download administrator's: `downloadSecurityDomain` at /. */
const REHEARSER = { operation: "downloadSecurityDomain", scope: (): RoleScope => HSM_SCOPE } as const;

/**
 * Security-domain recoveries and rehearsals (packages/shared/src/portal/sd-recovery.ts). Reading and
 * approving only need a sign-in: a custodian is anyone named for a share, and the service checks that
 * the approver is the one named.
 */
export const sdRecoveryRoutes: PortalRoute[] = [
  { method: "GET", path: "/security-domain/recoveries", access: "signed-in", run: async (ctx) => ({ body: await ctx.recoveries.list() }) },
  {
    method: "POST",
    path: "/security-domain/recoveries",
    access: RESTORER,
    run: async (ctx, req) => ({ status: 201, body: await ctx.recoveries.create(parseJson(req.body, CreateRecoveryRequestSchema), req.principal) }),
  },
  { method: "GET", path: "/security-domain/recoveries/:id", access: "signed-in", run: async (ctx, req) => ({ body: await ctx.recoveries.get(req.params.id ?? "") }) },
  {
    method: "POST",
    path: "/security-domain/recoveries/:id/approvals",
    access: "signed-in",
    run: async (ctx, req) => {
      const { thumbprintSha256, commandSha256 } = parseJson(req.body, ApproveShareRequestSchema);
      return { body: await ctx.recoveries.approve(req.params.id ?? "", thumbprintSha256, commandSha256, req.principal) };
    },
  },
  { method: "POST", path: "/security-domain/recoveries/:id/complete", access: RESTORER, run: async (ctx, req) => ({ body: await ctx.recoveries.complete(req.params.id ?? "") }) },
  { method: "GET", path: "/security-domain/rehearsals", access: "signed-in", run: async (ctx) => ({ body: await ctx.recoveries.listRehearsals() }) },
  {
    method: "POST",
    path: "/security-domain/rehearsals",
    access: REHEARSER,
    run: async (ctx, req) => ({ status: 201, body: await ctx.recoveries.createRehearsal(parseJson(req.body, CreateRehearsalRequestSchema), req.principal) }),
  },
  {
    method: "POST",
    path: "/security-domain/rehearsals/:id/approve",
    access: "signed-in",
    run: async (ctx, req) => ({ body: await ctx.recoveries.approveRehearsal(req.params.id ?? "", parseJson(req.body, ApproveRehearsalRequestSchema).commandSha256, req.principal) }),
  },
];
