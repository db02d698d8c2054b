import { OAuthError } from "./http";

/** Scopes that ask for identity or a refresh token rather than for access to a resource. */
const OIDC_SCOPES = new Set(["openid", "profile", "email", "offline_access"]);

export interface GrantedScope {
  /** The API the access token is for: its `aud`. */
  resource: string;
  openid: boolean;
  offlineAccess: boolean;
  /** The scope string echoed back in the token response (what MSAL compares against its request). */
  scope: string;
}

/** `https://managedhsm.azure.net/.default` → `https://managedhsm.azure.net`; also tolerates `…//.default`. */
function resourceOf(token: string): string | undefined {
  const slash = token.lastIndexOf("/");
  if (slash <= 0) return undefined;
  const resource = token.slice(0, slash).replace(/\/+$/, "");
  return resource.length > 0 ? resource : undefined;
}

/**
 * Resolves a requested scope (space-separated) to the one resource the access token is for. As in Entra,
 * one token serves one resource: scopes naming two are refused. With no resource scope the token is for
 * `defaultResource` (the portal's own API).
 */
export function grantScope(requested: string | null, allowedResources: readonly string[], defaultResource: string): GrantedScope {
  const tokens = (requested ?? "").split(" ").filter((t) => t.length > 0);
  const resources = new Set<string>();
  for (const token of tokens) {
    if (OIDC_SCOPES.has(token)) continue;
    const resource = resourceOf(token);
    if (resource === undefined || !allowedResources.includes(resource)) {
      throw new OAuthError("invalid_scope", `The scope '${token}' names no resource this issuer serves.`);
    }
    resources.add(resource);
  }
  if (resources.size > 1) throw new OAuthError("invalid_scope", "Scopes for more than one resource were requested; request one resource per token.");
  const resource = [...resources][0] ?? defaultResource;
  return {
    resource,
    openid: tokens.includes("openid"),
    offlineAccess: tokens.includes("offline_access"),
    scope: tokens.length > 0 ? tokens.join(" ") : `${resource}/.default`,
  };
}
