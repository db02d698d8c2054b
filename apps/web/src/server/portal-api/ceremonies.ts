import { CreateCeremonyRequestSchema, KEYS_SCOPE, ResultFileRequestSchema, TargetError, type RoleScope } from "@keyward/shared";
import { parseJson } from "../target/http";
import type { PortalRoute } from "./route";

/** Whoever may run a ceremony may see and drive them; each step is re-authorized as the ceremony's creator. */
const CUSTODIAN = { operation: "importKey", scope: (): RoleScope => KEYS_SCOPE } as const;

function limitOf(url: URL): number {
  const raw = url.searchParams.get("limit");
  const limit = raw === null ? 50 : Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new TargetError("BadParameter", "limit must be a whole number from 1 to 200");
  return limit;
}

/** BYOK ceremonies (packages/shared/src/portal/ceremony.ts documents each endpoint). */
export const ceremonyRoutes: PortalRoute[] = [
  {
    method: "GET",
    path: "/ceremonies",
    access: CUSTODIAN,
    run: async (ctx, req) => ({ body: await ctx.ceremonies.list(limitOf(req.url)) }),
  },
  {
    method: "POST",
    path: "/ceremonies",
    access: CUSTODIAN,
    run: async (ctx, req) => ({ status: 202, body: await ctx.ceremonies.create(parseJson(req.body, CreateCeremonyRequestSchema), req.principal) }),
  },
  {
    method: "GET",
    path: "/ceremonies/:id",
    access: CUSTODIAN,
    run: async (ctx, req) => ({ body: await ctx.ceremonies.get(req.params.id ?? "") }),
  },
  {
    method: "POST",
    path: "/ceremonies/:id/resume",
    access: CUSTODIAN,
    run: async (ctx, req) => ({ status: 202, body: await ctx.ceremonies.resume(req.params.id ?? "") }),
  },
  {
    method: "GET",
    path: "/ceremonies/:id/command-file",
    access: CUSTODIAN,
    async run(ctx, req) {
      const file = await ctx.ceremonies.commandFile(req.params.id ?? "");
      return { raw: `${file.jws}\n`, contentType: "application/jose", filename: file.filename };
    },
  },
  {
    method: "POST",
    path: "/ceremonies/:id/result-file",
    access: CUSTODIAN,
    run: async (ctx, req) => ({ body: await ctx.ceremonies.resultFile(req.params.id ?? "", parseJson(req.body, ResultFileRequestSchema).result) }),
  },
];
