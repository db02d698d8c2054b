import { randomUUID } from "node:crypto";
import { request, type APIRequestContext, type APIResponse } from "@playwright/test";
import { BUILT_IN_ROLE_IDS, roleDefinitionId } from "@keyward/shared";

export const API_VERSION = "7.5";
export type BuiltInRole = keyof typeof BUILT_IN_ROLE_IDS;
export type Scope = "/" | "/keys" | `/keys/${string}`;

/** The Key Vault and portal APIs as one principal sees them (its bearer token on every request). */
export class KeywardApi {
  readonly ctx: APIRequestContext;
  readonly origin: string;

  private constructor(ctx: APIRequestContext, origin: string) {
    this.ctx = ctx;
    this.origin = origin;
  }

  static async as(origin: string, token: string): Promise<KeywardApi> {
    return new KeywardApi(await request.newContext({ baseURL: origin, ignoreHTTPSErrors: true, extraHTTPHeaders: { authorization: `Bearer ${token}` } }), origin);
  }

  /** A Key Vault path: api-version is added here, as the official clients do. */
  keyVault(method: "GET" | "PUT" | "POST" | "PATCH" | "DELETE", path: string, data?: unknown): Promise<APIResponse> {
    const sep = path.includes("?") ? "&" : "?";
    return this.ctx.fetch(`${path}${sep}api-version=${API_VERSION}`, { method, ...(data === undefined ? {} : { data }) });
  }

  portal(method: "GET" | "PUT" | "POST" | "PATCH" | "DELETE", path: string, data?: unknown): Promise<APIResponse> {
    return this.ctx.fetch(`/portal-api${path}`, { method, ...(data === undefined ? {} : { data }) });
  }

  /** Assigns a built-in role; returns the assignment's name (GUID). */
  async assignRole(principalId: string, role: BuiltInRole, scope: Scope = "/"): Promise<string> {
    const name = randomUUID();
    const res = await this.keyVault("PUT", `${scope === "/" ? "" : scope}/providers/Microsoft.Authorization/roleAssignments/${name}`, {
      properties: { roleDefinitionId: roleDefinitionId(BUILT_IN_ROLE_IDS[role]), principalId },
    });
    if (!res.ok()) throw new Error(`assigning ${role} at ${scope} failed: ${res.status()} ${await res.text()}`);
    return name;
  }

  dispose(): Promise<void> {
    return this.ctx.dispose();
  }
}
