import { KEY_VAULT_AUDIENCES, type TokenLifetimesInput } from "@keyward/shared";
import type { JSONWebKeySet } from "jose";
import { loadOrCreateSigningKey, jwksOf } from "../signing-key";
import { handleAuthorize } from "./authorize";
import { DEFAULT_LIFETIMES, type IssuerContext } from "./context";
import { handleDiscovery, handleJwks } from "./discovery";
import { handleLogout } from "./logout";
import { IssuerState } from "./state";
import { handleToken } from "./token";

/** The portal's own API, when no other resource id is configured. */
export const DEFAULT_RESOURCE_ID = "api://keyward";
/** Where the issuer lives under the portal's origin. */
export const ISSUER_PATH = "/oidc";

export interface DevIssuerOptions {
  /** The portal's public origin, served over HTTPS (MSAL refuses an http authority). */
  origin: string;
  dataDir: string;
  resourceId?: string;
  lifetimes?: TokenLifetimesInput;
  now?: () => number;
}

export type Handler = (req: Request) => Promise<Response>;

export interface DevIssuer {
  /** `${origin}/oidc`: the `iss` of its tokens, the MSAL authority, the challenge's `authorization`. */
  readonly issuer: string;
  readonly resourceId: string;
  /** Every audience it issues tokens for: Key Vault's two and the portal's own. */
  readonly audiences: readonly string[];
  /** Request handlers keyed by URL path, for the router to mount. */
  readonly handlers: Readonly<Record<string, Handler>>;
  /** Dispatches by path; undefined when the path is not the issuer's. */
  handle(req: Request): Promise<Response | undefined>;
  /** The public signing keys, for verifying its tokens in-process (no network). */
  jwks(): JSONWebKeySet;
}

/**
 * The development OIDC issuer of the embedded default, served by the portal itself. Its signing key is
 * loaded (or created) from the data directory; users and clients are read from identities.json per request.
 */
export async function createDevIssuer(options: DevIssuerOptions): Promise<DevIssuer> {
  const origin = new URL(options.origin).origin;
  const issuer = `${origin}${ISSUER_PATH}`;
  const resourceId = options.resourceId ?? DEFAULT_RESOURCE_ID;
  const audiences = [...KEY_VAULT_AUDIENCES, resourceId];
  const key = await loadOrCreateSigningKey(options.dataDir);
  const ctx: IssuerContext = {
    origin,
    issuer,
    resourceId,
    resources: audiences,
    lifetimes: { ...DEFAULT_LIFETIMES, ...options.lifetimes },
    dataDir: options.dataDir,
    key,
    state: new IssuerState(),
    now: options.now ?? Date.now,
  };
  const handlers: Record<string, Handler> = {
    [`${ISSUER_PATH}/.well-known/openid-configuration`]: (req) => handleDiscovery(ctx, req),
    [`${ISSUER_PATH}/jwks`]: (req) => handleJwks(ctx, req),
    [`${ISSUER_PATH}/authorize`]: (req) => handleAuthorize(ctx, req),
    [`${ISSUER_PATH}/token`]: (req) => handleToken(ctx, req),
    [`${ISSUER_PATH}/logout`]: (req) => handleLogout(ctx, req),
  };
  return {
    issuer,
    resourceId,
    audiences,
    handlers,
    async handle(req) {
      const handler = handlers[new URL(req.url).pathname];
      return handler ? handler(req) : undefined;
    },
    jwks: () => jwksOf(key),
  };
}
