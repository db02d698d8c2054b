import { HSM_SCOPE, KEYS_SCOPE, RegisterBridgeRequestSchema, type BridgeList, type RoleScope } from "@keyward/shared";
import { parseJson } from "../target/http";
import type { PortalRoute } from "./route";

/** Registering and removing bridges is an administrator's act; reading them, a ceremony runner's. */
const ADMIN = { operation: "createRoleAssignment", scope: (): RoleScope => HSM_SCOPE } as const;
const CUSTODIAN = { operation: "importKey", scope: (): RoleScope => KEYS_SCOPE } as const;

/** Registered bridges (packages/shared/src/portal/bridges.ts documents each endpoint). */
export const bridgeRoutes: PortalRoute[] = [
  {
    method: "GET",
    path: "/bridges",
    access: CUSTODIAN,
    async run(ctx) {
      const { registry, status } = ctx.bridges;
      const bridges = await registry.list();
      const body: BridgeList = { bridges: await Promise.all(bridges.map(async (b) => ({ ...b, status: await status.status(b) }))) };
      return { body };
    },
  },
  {
    method: "POST",
    path: "/bridges",
    access: ADMIN,
    async run(ctx, req) {
      const bridge = await ctx.bridges.registry.register(parseJson(req.body, RegisterBridgeRequestSchema), req.principal);
      ctx.target.ctx.log.info({ event: "bridge_registered", bridgeId: bridge.bridgeId, thumbprint: bridge.thumbprint, by: req.principal.id }, "bridge registered");
      return { status: 201, body: bridge };
    },
  },
  {
    method: "DELETE",
    path: "/bridges/:id",
    access: ADMIN,
    async run(ctx, req) {
      await ctx.bridges.registry.remove(req.params.id ?? "");
      ctx.bridges.status.forget(req.params.id ?? "");
      ctx.target.ctx.log.info({ event: "bridge_removed", bridgeId: req.params.id, by: req.principal.id }, "bridge removed");
      return { status: 204 };
    },
  },
  {
    method: "GET",
    path: "/bridges/:id/status",
    access: CUSTODIAN,
    async run(ctx, req) {
      const bridge = await ctx.bridges.registry.get(req.params.id ?? "");
      return { body: await ctx.bridges.status.status(bridge, { fresh: req.url.searchParams.get("fresh") === "1" }) };
    },
  },
  {
    method: "GET",
    path: "/bridges/:id/keys",
    access: CUSTODIAN,
    async run(ctx, req) {
      const bridge = await ctx.bridges.registry.get(req.params.id ?? "");
      return { body: await ctx.bridges.status.keys(bridge) };
    },
  },
];
