import { CustodianPersonSchema, HSM_SCOPE, ThumbprintSha256Schema, RecordReviewRequestSchema, RecordTransferRequestSchema, TargetError, type RoleScope } from "@keyward/shared";
import { quorumServiceOf } from "../quorum";
import { describeIssues, parseJson } from "../target/http";
import type { PortalRoute } from "./route";

/**
 * The quorum is the security domain's: reading its records needs the security domain's read action,
 * writing them its download action — whoever may choose the custodians records who they are
 * (packages/shared/src/portal/quorum.ts documents each endpoint).
 */
const READ = { operation: "getSecurityDomainDownloadStatus", scope: (): RoleScope => HSM_SCOPE } as const;
const WRITE = { operation: "downloadSecurityDomain", scope: (): RoleScope => HSM_SCOPE } as const;

function thumbprintOf(value: string | undefined): string {
  const parsed = ThumbprintSha256Schema.safeParse(value);
  if (!parsed.success) throw new TargetError("BadParameter", `the path names no custodian: ${describeIssues(parsed.error)}`, "QuorumUnknownCustodian");
  return parsed.data;
}

export const quorumRoutes: PortalRoute[] = [
  { method: "GET", path: "/quorum", access: READ, run: async (ctx) => ({ body: await quorumServiceOf(ctx.target).record() }) },
  {
    method: "PUT",
    path: "/quorum/custodians/:thumbprint",
    access: WRITE,
    async run(ctx, req) {
      const thumbprint = thumbprintOf(req.params.thumbprint);
      const body = await quorumServiceOf(ctx.target).updateCustodian(thumbprint, parseJson(req.body, CustodianPersonSchema), req.principal);
      ctx.target.ctx.log.info({ event: "quorum_custodian_recorded", thumbprint, by: req.principal.id }, "quorum custodian record changed");
      return { body };
    },
  },
  {
    method: "POST",
    path: "/quorum/transfers",
    access: WRITE,
    async run(ctx, req) {
      const request = parseJson(req.body, RecordTransferRequestSchema);
      const body = await quorumServiceOf(ctx.target).recordTransfer(request, req.principal);
      ctx.target.ctx.log.info({ event: "quorum_transfer_recorded", thumbprint: request.thumbprintSha256, by: req.principal.id }, "quorum ownership transfer recorded");
      return { status: 201, body };
    },
  },
  {
    method: "POST",
    path: "/quorum/reviews",
    access: WRITE,
    async run(ctx, req) {
      const body = await quorumServiceOf(ctx.target).recordReview(parseJson(req.body, RecordReviewRequestSchema), req.principal);
      ctx.target.ctx.log.info({ event: "quorum_review_recorded", by: req.principal.id }, "quorum review recorded");
      return { status: 201, body };
    },
  },
];
