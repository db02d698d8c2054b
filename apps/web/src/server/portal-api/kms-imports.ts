import { CreateKmsImportRequestSchema, DEFAULT_REMINDER_DAYS, KEYS_SCOPE, MAX_MATERIAL_DAYS, TargetError, type RoleScope } from "@keyward/shared";
import { parseJson } from "../target/http";
import type { PortalRoute } from "./route";

/** Whoever may run a BYOK ceremony may run KMS imports: `importKey` at /keys (packages/shared/src/portal/kms-import.ts). */
const CUSTODIAN = { operation: "importKey", scope: (): RoleScope => KEYS_SCOPE } as const;

function daysOf(url: URL): number {
  const raw = url.searchParams.get("days");
  const days = raw === null ? DEFAULT_REMINDER_DAYS : Number(raw);
  if (!Number.isInteger(days) || days < 0 || days > MAX_MATERIAL_DAYS) throw new TargetError("BadParameter", `days must be a whole number from 0 to ${MAX_MATERIAL_DAYS}`);
  return days;
}

function bridgeIdOf(url: URL): string {
  const id = url.searchParams.get("bridgeId");
  if (!id) throw new TargetError("BadParameter", "name the bridge: ?bridgeId=…");
  return id;
}

/** KMS import jobs and the KMS target's keys. */
export const kmsImportRoutes: PortalRoute[] = [
  { method: "GET", path: "/kms-keys", access: CUSTODIAN, run: async (ctx) => ({ body: await ctx.kmsImports.keys() }) },
  { method: "GET", path: "/kms-imports", access: CUSTODIAN, run: async (ctx) => ({ body: await ctx.kmsImports.list() }) },
  {
    method: "POST",
    path: "/kms-imports",
    access: CUSTODIAN,
    run: async (ctx, req) => ({ status: 202, body: await ctx.kmsImports.create(parseJson(req.body, CreateKmsImportRequestSchema), req.principal) }),
  },
  { method: "GET", path: "/kms-imports/options", access: CUSTODIAN, run: async (ctx, req) => ({ body: await ctx.kmsImports.options(bridgeIdOf(req.url)) }) },
  { method: "GET", path: "/kms-imports/reminders", access: CUSTODIAN, run: async (ctx, req) => ({ body: await ctx.kmsImports.reminders(daysOf(req.url)) }) },
  { method: "GET", path: "/kms-imports/:id", access: CUSTODIAN, run: async (ctx, req) => ({ body: await ctx.kmsImports.get(req.params.id ?? "") }) },
  { method: "POST", path: "/kms-imports/:id/resume", access: CUSTODIAN, run: async (ctx, req) => ({ status: 202, body: await ctx.kmsImports.resume(req.params.id ?? "") }) },
  { method: "POST", path: "/kms-imports/:id/reimport", access: CUSTODIAN, run: async (ctx, req) => ({ status: 202, body: await ctx.kmsImports.reimport(req.params.id ?? "") }) },
];
