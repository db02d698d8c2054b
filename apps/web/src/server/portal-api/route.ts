import type { OperationName, RoleScope } from "@keyward/shared";
import type { Principal } from "../auth/principal";
import type { PortalApiContext } from "./context";

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface PortalRequest {
  url: URL;
  params: Record<string, string>;
  /** The raw body (empty for GET and DELETE); parse it with `parseJson` and a shared schema. */
  body: Buffer;
  principal: Principal;
}

/** A JSON body, or raw bytes with their content type (downloads: CSV, signed command files). */
export type PortalResponse = { status?: number; body?: unknown } | { status?: number; raw: Buffer | string; contentType: string; filename?: string };

/**
 * One endpoint of the portal API. `access` is checked through the target's one authorizer before `run`:
 * an operation of the shared OPERATIONS table at a scope (so the UI's matrix and the API agree), or
 * "signed-in" for what any authenticated principal may ask (who am I, my own ceremonies).
 */
export interface PortalRoute {
  method: Method;
  /** `/bridges/:id` — matched against the path after `/portal-api`. */
  path: string;
  access: "public" | "signed-in" | { operation: OperationName; scope: (params: Record<string, string>) => RoleScope };
  run(ctx: PortalApiContext, req: PortalRequest): Promise<PortalResponse>;
}
