import { compactVerify } from "jose";
import { emptyIdentities, findClient, readIdentities } from "../identities";
import { ISSUER_ALG } from "../signing-key";
import { SESSION_COOKIE } from "./authorize";
import { redirectAllowed } from "./clients";
import type { IssuerContext } from "./context";
import { OAuthError, clearCookie, methodNotAllowed, parseCookies, readForm, rejectRepeats } from "./http";
import { messagePage } from "./page";

/** The client an id_token_hint was issued to — only if we issued it (expiry does not matter here). */
async function hintedClient(ctx: IssuerContext, hint: string | null): Promise<string | undefined> {
  if (hint === null) return undefined;
  try {
    // The signature only: an expired ID token is still a fine hint of who is signing out.
    const { payload } = await compactVerify(hint, ctx.key.publicJwk, { algorithms: [ISSUER_ALG] });
    const claims = JSON.parse(new TextDecoder().decode(payload)) as { iss?: unknown; aud?: unknown };
    return claims.iss === ctx.issuer && typeof claims.aud === "string" ? claims.aud : undefined;
  } catch {
    return undefined;
  }
}

/**
 * GET/POST /oidc/logout — RP-initiated logout: ends the sign-in session and the refresh tokens issued
 * under it, then returns to `post_logout_redirect_uri` if it is one the client may be redirected to;
 * otherwise shows a signed-out page. Access tokens already issued live out their (short) lifetime.
 */
export async function handleLogout(ctx: IssuerContext, req: Request): Promise<Response> {
  if (req.method !== "GET" && req.method !== "POST") return methodNotAllowed(["GET", "POST"]);
  let params: URLSearchParams;
  try {
    params = req.method === "GET" ? rejectRepeats(new URL(req.url).searchParams) : await readForm(req);
  } catch (err) {
    if (err instanceof OAuthError) return messagePage("Sign-out request refused", err.message, 400);
    throw err;
  }
  ctx.state.endSession(parseCookies(req).get(SESSION_COOKIE));
  const cleared: [string, string] = ["Set-Cookie", clearCookie(SESSION_COOKIE)];

  const target = params.get("post_logout_redirect_uri");
  const clientId = params.get("client_id") ?? (await hintedClient(ctx, params.get("id_token_hint")));
  const identities = (await readIdentities(ctx.dataDir)) ?? emptyIdentities();
  const client = clientId === undefined ? undefined : findClient(identities, clientId);
  if (target !== null && client && redirectAllowed(ctx, client, target)) {
    const url = new URL(target);
    const state = params.get("state");
    if (state !== null) url.searchParams.set("state", state);
    const headers = new Headers({ Location: url.toString(), "Cache-Control": "no-store" });
    headers.append(...cleared);
    return new Response(null, { status: 302, headers });
  }
  return messagePage("Signed out", "You are signed out of Keyward. You can close this window.", 200, [cleared]);
}
