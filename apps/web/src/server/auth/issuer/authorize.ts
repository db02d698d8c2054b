import { randomBytes } from "node:crypto";
import { decoyHash, verifySecret } from "../password-hash";
import { emptyIdentities, findClient, findUser, findUserByOid, readIdentities, type LocalUser, type OAuthClient } from "../identities";
import { redirectAllowed } from "./clients";
import { nowSeconds, type IssuerContext } from "./context";
import { OAuthError, clearCookie, methodNotAllowed, parseCookies, readForm, rejectRepeats, safeEqual, setCookie } from "./http";
import { loginPage, messagePage, type HeaderPairs } from "./page";
import { grantScope, type GrantedScope } from "./scopes";

export const SESSION_COOKIE = "__Host-keyward-oidc-session";
export const CSRF_COOKIE = "__Host-keyward-oidc-csrf";

/** The authorize parameters the sign-in form carries from the GET to its POST. */
const CARRIED = [
  "response_type",
  "client_id",
  "redirect_uri",
  "scope",
  "state",
  "nonce",
  "code_challenge",
  "code_challenge_method",
  "response_mode",
  "prompt",
  "login_hint",
] as const;

/** An S256 challenge is a base64url SHA-256: exactly 43 characters. */
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

interface AuthorizeRequest {
  params: URLSearchParams;
  client: OAuthClient;
  redirectUri: string;
  mode: "query" | "fragment";
  granted: GrantedScope;
}

function redirect(uri: string, mode: "query" | "fragment", values: Record<string, string>, status: number, headers: HeaderPairs = []): Response {
  const url = new URL(uri);
  if (mode === "fragment") url.hash = new URLSearchParams(values).toString();
  else for (const [k, v] of Object.entries(values)) url.searchParams.set(k, v);
  const h = new Headers({ Location: url.toString(), "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" });
  for (const [k, v] of headers) h.append(k, v);
  return new Response(null, { status, headers: h });
}

function withState(r: Pick<AuthorizeRequest, "params">, values: Record<string, string>): Record<string, string> {
  const state = r.params.get("state");
  return state === null ? values : { ...values, state };
}

function errorRedirect(r: Omit<AuthorizeRequest, "granted">, err: OAuthError, status: number): Response {
  return redirect(r.redirectUri, r.mode, withState(r, { error: err.code, error_description: err.message }), status);
}

function codeRedirect(ctx: IssuerContext, r: AuthorizeRequest, user: LocalUser, sessionKey: string, authTime: number, status: number, headers: HeaderPairs = []): Response {
  const now = ctx.now();
  const code = ctx.state.issueCode(
    {
      clientId: r.client.clientId,
      redirectUri: r.redirectUri,
      codeChallenge: r.params.get("code_challenge") ?? "",
      userOid: user.oid,
      sessionId: sessionKey,
      authTime,
      granted: r.granted,
      nonce: r.params.get("nonce") ?? undefined,
      expiresAt: now + ctx.lifetimes.authorizationCodeSeconds * 1000,
    },
    now,
  );
  return redirect(r.redirectUri, r.mode, withState(r, { code }), status, headers);
}

function form(ctx: IssuerContext, r: AuthorizeRequest, status: number, error?: string, username?: string): Response {
  const csrf = randomBytes(24).toString("base64url");
  const hidden = new Map<string, string>();
  for (const key of CARRIED) {
    const v = r.params.get(key);
    if (v !== null) hidden.set(key, v);
  }
  return loginPage(
    {
      action: `${new URL(ctx.issuer).pathname}/authorize`,
      hidden,
      csrf,
      clientName: r.client.displayName,
      ...(error === undefined ? {} : { error }),
      ...(username === undefined ? {} : { username }),
      redirectOrigin: new URL(r.redirectUri).origin,
    },
    status,
    [["Set-Cookie", setCookie(CSRF_COOKIE, csrf, 3600)]],
  );
}

async function signIn(ctx: IssuerContext, req: Request, r: AuthorizeRequest, users: (name: string) => LocalUser | undefined): Promise<Response> {
  const origin = req.headers.get("origin");
  if (origin !== null && origin !== ctx.origin) return messagePage("Sign-in refused", "The sign-in form was posted from another site.", 403);
  const cookies = parseCookies(req);
  const csrfCookie = cookies.get(CSRF_COOKIE);
  const csrfField = r.params.get("csrf");
  if (csrfCookie === undefined || csrfField === null || !safeEqual(csrfCookie, csrfField)) {
    return form(ctx, r, 400, "This sign-in form has expired. Please sign in again.");
  }
  const username = (r.params.get("username") ?? "").trim().toLowerCase();
  const password = r.params.get("password") ?? "";
  const now = ctx.now();
  if (ctx.state.isLockedOut(username, now)) return form(ctx, r, 429, "Too many failed sign-ins. Wait a minute, then try again.", username);
  const user = users(username);
  // Verify against a decoy when the user is unknown, so the response time does not reveal which names exist.
  const ok = await verifySecret(password, user?.passwordHash ?? (await decoyHash()));
  if (!user || !ok || user.disabled) {
    ctx.state.recordFailure(username, now);
    return form(ctx, r, 401, "Wrong username or password.", username);
  }
  ctx.state.recordSuccess(username);
  const authTime = nowSeconds(ctx);
  const sessionId = ctx.state.startSession({ userOid: user.oid, authTime, expiresAt: now + ctx.lifetimes.sessionSeconds * 1000 }, now);
  return codeRedirect(ctx, r, user, ctx.state.sessionKey(sessionId), authTime, 303, [
    ["Set-Cookie", setCookie(SESSION_COOKIE, sessionId, ctx.lifetimes.sessionSeconds)],
    ["Set-Cookie", clearCookie(CSRF_COOKIE)],
  ]);
}

/**
 * GET/POST /oidc/authorize — the authorization code flow with PKCE (S256 required) for local users.
 * A request naming an unknown client or an unregistered redirect URI gets an error page and is never
 * redirected (RFC 6749 §4.1.2.1); every later error goes back to the client as `error=`.
 */
export async function handleAuthorize(ctx: IssuerContext, req: Request): Promise<Response> {
  if (req.method !== "GET" && req.method !== "POST") return methodNotAllowed(["GET", "POST"]);
  let params: URLSearchParams;
  try {
    params = req.method === "GET" ? rejectRepeats(new URL(req.url).searchParams) : await readForm(req);
  } catch (err) {
    if (err instanceof OAuthError) return messagePage("Sign-in request refused", err.message, 400);
    throw err;
  }
  const identities = (await readIdentities(ctx.dataDir)) ?? emptyIdentities();
  const clientId = params.get("client_id");
  const client = clientId === null ? undefined : findClient(identities, clientId);
  if (!client || !client.grantTypes.includes("authorization_code")) {
    return messagePage("Sign-in request refused", "The application is not registered with this sign-in service.", 400);
  }
  const redirectUri = params.get("redirect_uri");
  if (redirectUri === null || !redirectAllowed(ctx, client, redirectUri)) {
    return messagePage("Sign-in request refused", "The application's redirect address is not registered.", 400);
  }
  const responseMode = params.get("response_mode") ?? "query";
  const base = { params, client, redirectUri, mode: responseMode === "fragment" ? "fragment" : "query" } as const;
  const status = req.method === "POST" ? 303 : 302;
  if (responseMode !== "query" && responseMode !== "fragment") {
    return errorRedirect(base, new OAuthError("invalid_request", "response_mode must be query or fragment."), status);
  }
  if (params.get("response_type") !== "code") {
    return errorRedirect(base, new OAuthError("unsupported_response_type", "Only response_type=code is supported."), status);
  }
  if (params.get("code_challenge_method") !== "S256" || !S256_CHALLENGE.test(params.get("code_challenge") ?? "")) {
    return errorRedirect(base, new OAuthError("invalid_request", "PKCE is required: send code_challenge with code_challenge_method=S256."), status);
  }
  let granted: GrantedScope;
  try {
    granted = grantScope(params.get("scope"), ctx.resources, ctx.resourceId);
  } catch (err) {
    if (err instanceof OAuthError) return errorRedirect(base, err, status);
    throw err;
  }
  const r: AuthorizeRequest = { ...base, granted };

  if (req.method === "POST") return signIn(ctx, req, r, (name) => findUser(identities, name));

  const prompt = params.get("prompt");
  const sessionId = parseCookies(req).get(SESSION_COOKIE);
  const session = ctx.state.session(sessionId, ctx.now());
  const user = session ? findUserByOid(identities, session.userOid) : undefined;
  if (sessionId !== undefined && session && user && !user.disabled && prompt !== "login" && prompt !== "select_account") {
    return codeRedirect(ctx, r, user, ctx.state.sessionKey(sessionId), session.authTime, 302);
  }
  if (prompt === "none") return errorRedirect(base, new OAuthError("login_required", "The user is not signed in."), 302);
  return form(ctx, r, 200, undefined, params.get("login_hint") ?? undefined);
}
