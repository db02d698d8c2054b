import { z } from "zod";
import { TargetError } from "../keyvault/errors.js";

/**
 * Managed HSM local RBAC scopes (facts §5.1): `/` and `/keys` are HSM-wide; `/keys/{name}` is one key,
 * all its versions. Nothing narrower exists (no per-version scope).
 */
export type RoleScope = "/" | "/keys" | `/keys/${string}`;

export const HSM_SCOPE = "/" satisfies RoleScope;
export const KEYS_SCOPE = "/keys" satisfies RoleScope;

/** Key Vault object names: 1–127 of 0-9 a-z A-Z '-' (facts §2.1). */
const KEY_NAME = /^[0-9A-Za-z-]{1,127}$/;

/** The scope of one key (all its versions). A name the service would refuse is a 400, not a scope. */
export function keyScope(keyName: string): RoleScope {
  if (!KEY_NAME.test(keyName)) throw new TargetError("BadParameter", "Key names are 1-127 characters of 0-9, a-z, A-Z and '-'.");
  return `/keys/${keyName}`;
}

/**
 * Parses a scope as clients write it. The SDK builds `/{scope}/providers/…` from a scope that already
 * starts with "/", so paths arrive as `///providers/…` or `//keys/providers/…`: runs of slashes collapse
 * and a trailing slash is dropped before matching. Returns undefined for anything that is not a scope.
 */
export function parseScope(raw: string): RoleScope | undefined {
  const collapsed = `/${raw.split("/").filter((s) => s.length > 0).join("/")}`;
  if (collapsed === "/" || collapsed === "/keys") return collapsed;
  const match = /^\/keys\/([^/]+)$/.exec(collapsed);
  const name = match?.[1];
  return name !== undefined && KEY_NAME.test(name) ? `/keys/${name}` : undefined;
}

export const RoleScopeSchema = z.string().transform((raw, ctx): RoleScope => {
  const scope = parseScope(raw);
  if (scope === undefined) {
    ctx.addIssue({ code: "custom", message: "scope must be '/', '/keys' or '/keys/{key-name}'" });
    return z.NEVER;
  }
  return scope;
});

export function isHsmWide(scope: RoleScope): boolean {
  return scope === "/" || scope === "/keys";
}

/**
 * Whether two scopes name the same thing. Key Vault key names are case-insensitive (the key store folds
 * them), so `/keys/Signing` and `/keys/signing` are one key and one scope.
 */
export function sameScope(a: RoleScope, b: RoleScope): boolean {
  return a.toLowerCase() === b.toLowerCase() || (isHsmWide(a) && isHsmWide(b));
}

/** Whether an assignment made at `assigned` applies to a request at `requested`. */
export function scopeCovers(assigned: RoleScope, requested: RoleScope): boolean {
  return isHsmWide(assigned) || sameScope(assigned, requested);
}
