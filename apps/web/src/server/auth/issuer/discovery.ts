import { ISSUER_ALG, jwksOf } from "../signing-key";
import type { IssuerContext } from "./context";
import { methodNotAllowed } from "./http";

/** The OpenID Provider metadata MSAL (OIDC protocol mode) and any OIDC client read first. */
export function discoveryDocument(ctx: IssuerContext): Record<string, unknown> {
  return {
    issuer: ctx.issuer,
    authorization_endpoint: `${ctx.issuer}/authorize`,
    token_endpoint: `${ctx.issuer}/token`,
    jwks_uri: `${ctx.issuer}/jwks`,
    end_session_endpoint: `${ctx.issuer}/logout`,
    response_types_supported: ["code"],
    response_modes_supported: ["query", "fragment"],
    grant_types_supported: ["authorization_code", "refresh_token", "client_credentials"],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: [ISSUER_ALG],
    token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
    code_challenge_methods_supported: ["S256"],
    scopes_supported: ["openid", "profile", "email", "offline_access", ...ctx.resources.map((r) => `${r}/.default`)],
    claims_supported: ["sub", "oid", "tid", "name", "preferred_username", "nonce", "auth_time", "iss", "aud", "exp", "iat", "nbf"],
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
  };
}

// Public metadata: cacheable for a while, readable from any origin (a browser on another origin may discover us).
const PUBLIC = { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*" };

export async function handleDiscovery(ctx: IssuerContext, req: Request): Promise<Response> {
  if (req.method !== "GET" && req.method !== "HEAD") return methodNotAllowed(["GET", "HEAD"]);
  return new Response(JSON.stringify(discoveryDocument(ctx)), { status: 200, headers: PUBLIC });
}

export async function handleJwks(ctx: IssuerContext, req: Request): Promise<Response> {
  if (req.method !== "GET" && req.method !== "HEAD") return methodNotAllowed(["GET", "HEAD"]);
  return new Response(JSON.stringify(jwksOf(ctx.key)), { status: 200, headers: PUBLIC });
}
