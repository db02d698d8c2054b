import { createHash } from "node:crypto";
import { emptyIdentities, findUserByOid, readIdentities, type Identities, type OAuthClient } from "../identities";
import { authenticateClient } from "./clients";
import { nowSeconds, type IssuerContext } from "./context";
import { OAuthError, jsonResponse, methodNotAllowed, oauthErrorResponse, readForm } from "./http";
import { grantScope, type GrantedScope } from "./scopes";
import { mintAccessToken, mintIdToken, type TokenSubject } from "./tokens";

/** RFC 7636 §4.1: 43–128 unreserved characters. */
const CODE_VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

function requireGrant(client: OAuthClient, grant: OAuthClient["grantTypes"][number]): void {
  if (!client.grantTypes.includes(grant)) throw new OAuthError("unauthorized_client", `This client may not use ${grant}.`);
}

function common(ctx: IssuerContext, tenantId: string, lifetimeSeconds: number) {
  return { key: ctx.key, issuer: ctx.issuer, tenantId, nowSeconds: nowSeconds(ctx), lifetimeSeconds };
}

async function clientCredentials(ctx: IssuerContext, form: URLSearchParams, client: OAuthClient, ids: Identities): Promise<Response> {
  requireGrant(client, "client_credentials");
  const granted = grantScope(form.get("scope"), ctx.resources, ctx.resourceId);
  const subject: TokenSubject = { oid: client.oid, kind: "app", name: client.displayName };
  const accessToken = await mintAccessToken({
    ...common(ctx, ids.tenantId, ctx.lifetimes.accessTokenSeconds),
    subject,
    audience: granted.resource,
    clientId: client.clientId,
  });
  return jsonResponse(200, { token_type: "Bearer", access_token: accessToken, expires_in: ctx.lifetimes.accessTokenSeconds, scope: granted.scope });
}

interface UserGrant {
  userOid: string;
  sessionId: string;
  authTime: number;
  granted: GrantedScope;
  nonce: string | undefined;
  familyId?: string;
}

/** Access token, ID token (when openid was asked for) and a rotated refresh token (when offline_access was). */
async function userTokens(ctx: IssuerContext, client: OAuthClient, ids: Identities, grant: UserGrant): Promise<Response> {
  const user = findUserByOid(ids, grant.userOid);
  if (!user || user.disabled) throw new OAuthError("invalid_grant", "The user no longer exists or is disabled.");
  const subject: TokenSubject = { oid: user.oid, kind: "user", name: user.displayName, username: user.username };
  const accessToken = await mintAccessToken({
    ...common(ctx, ids.tenantId, ctx.lifetimes.accessTokenSeconds),
    subject,
    audience: grant.granted.resource,
    clientId: client.clientId,
  });
  const body: Record<string, string | number> = {
    token_type: "Bearer",
    access_token: accessToken,
    expires_in: ctx.lifetimes.accessTokenSeconds,
    scope: grant.granted.scope,
  };
  if (grant.granted.openid) {
    body.id_token = await mintIdToken({
      ...common(ctx, ids.tenantId, ctx.lifetimes.idTokenSeconds),
      subject,
      clientId: client.clientId,
      nonce: grant.nonce,
      authTime: grant.authTime,
    });
  }
  if (grant.granted.offlineAccess && client.grantTypes.includes("refresh_token")) {
    const now = ctx.now();
    body.refresh_token = ctx.state.issueRefreshToken(
      {
        ...(grant.familyId === undefined ? {} : { familyId: grant.familyId }),
        clientId: client.clientId,
        userOid: user.oid,
        sessionId: grant.sessionId,
        authTime: grant.authTime,
        granted: grant.granted,
        expiresAt: now + ctx.lifetimes.refreshTokenSeconds * 1000,
      },
      now,
    );
    body.refresh_token_expires_in = ctx.lifetimes.refreshTokenSeconds;
  }
  return jsonResponse(200, body);
}

async function authorizationCode(ctx: IssuerContext, form: URLSearchParams, client: OAuthClient, ids: Identities): Promise<Response> {
  requireGrant(client, "authorization_code");
  const code = form.get("code");
  const verifier = form.get("code_verifier");
  if (code === null) throw new OAuthError("invalid_request", "code is required.");
  if (verifier === null || !CODE_VERIFIER.test(verifier)) throw new OAuthError("invalid_request", "A valid code_verifier is required (PKCE).");
  // Redeemed (and so destroyed) before any check: a code is never usable twice, even after a failed try.
  const grant = ctx.state.redeemCode(code, ctx.now());
  const refuse = () => new OAuthError("invalid_grant", "The authorization code is invalid, expired or already used.");
  if (!grant || grant.clientId !== client.clientId || grant.redirectUri !== form.get("redirect_uri")) throw refuse();
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  if (challenge !== grant.codeChallenge) throw new OAuthError("invalid_grant", "The code_verifier does not match the code_challenge.");
  return userTokens(ctx, client, ids, grant);
}

async function refreshToken(ctx: IssuerContext, form: URLSearchParams, client: OAuthClient, ids: Identities): Promise<Response> {
  requireGrant(client, "refresh_token");
  const token = form.get("refresh_token");
  if (token === null) throw new OAuthError("invalid_request", "refresh_token is required.");
  const grant = ctx.state.spendRefreshToken(token, ctx.now());
  if (!grant || grant.clientId !== client.clientId) throw new OAuthError("invalid_grant", "The refresh token is invalid, expired or revoked.");
  // One refresh token serves any resource this issuer knows (as in Entra): MSAL asks per resource.
  const requested = form.get("scope");
  const granted = requested === null ? grant.granted : grantScope(requested, ctx.resources, ctx.resourceId);
  return userTokens(ctx, client, ids, { ...grant, granted: { ...granted, offlineAccess: true }, nonce: undefined });
}

/** POST /oidc/token — client_credentials, authorization_code (+PKCE) and refresh_token grants. */
export async function handleToken(ctx: IssuerContext, req: Request): Promise<Response> {
  if (req.method !== "POST") return methodNotAllowed(["POST"]);
  try {
    const form = await readForm(req);
    const ids = (await readIdentities(ctx.dataDir)) ?? emptyIdentities();
    const grantType = form.get("grant_type");
    if (grantType === null) throw new OAuthError("invalid_request", "grant_type is required.");
    const client = await authenticateClient(req, form, ids);
    switch (grantType) {
      case "client_credentials":
        return await clientCredentials(ctx, form, client, ids);
      case "authorization_code":
        return await authorizationCode(ctx, form, client, ids);
      case "refresh_token":
        return await refreshToken(ctx, form, client, ids);
      default:
        throw new OAuthError("unsupported_grant_type", `grant_type ${grantType} is not supported.`);
    }
  } catch (err) {
    if (!(err instanceof OAuthError)) throw err;
    return oauthErrorResponse(err, err.status === 401 ? { "WWW-Authenticate": 'Basic realm="keyward"' } : {});
  }
}
