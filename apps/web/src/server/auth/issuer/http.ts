import { timingSafeEqual } from "node:crypto";

/** Responses carrying tokens or sign-in state must never be cached (RFC 6749 §5.1). */
export const NO_STORE = { "Cache-Control": "no-store", Pragma: "no-cache" } as const;

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json; charset=utf-8", ...NO_STORE, ...headers } });
}

/** The OAuth error codes this issuer answers with (RFC 6749 §5.2, OIDC Core §3.1.2.6). */
export type OAuthErrorCode =
  | "invalid_request"
  | "invalid_client"
  | "invalid_grant"
  | "unauthorized_client"
  | "unsupported_grant_type"
  | "unsupported_response_type"
  | "invalid_scope"
  | "login_required"
  | "access_denied"
  | "temporarily_unavailable";

export class OAuthError extends Error {
  readonly code: OAuthErrorCode;
  readonly status: number;
  constructor(code: OAuthErrorCode, description: string, status = 400) {
    super(description);
    this.name = "OAuthError";
    this.code = code;
    this.status = status;
  }
}

export function oauthErrorResponse(err: OAuthError, headers: Record<string, string> = {}): Response {
  return jsonResponse(err.status, { error: err.code, error_description: err.message }, headers);
}

export function methodNotAllowed(allowed: readonly string[]): Response {
  return new Response(null, { status: 405, headers: { Allow: allowed.join(", ") } });
}

/** Form bodies are tiny; a bigger one is refused before it is buffered whole. */
const MAX_FORM_BYTES = 16 * 1024;

/** Reads an application/x-www-form-urlencoded body, or throws invalid_request. */
export async function readForm(req: Request): Promise<URLSearchParams> {
  const type = req.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") {
    throw new OAuthError("invalid_request", "The request body must be application/x-www-form-urlencoded.");
  }
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > MAX_FORM_BYTES) throw new OAuthError("invalid_request", "The request body is too large.");
  const text = await req.text();
  if (text.length > MAX_FORM_BYTES) throw new OAuthError("invalid_request", "The request body is too large.");
  return rejectRepeats(new URLSearchParams(text));
}

/** RFC 6749 §3.1: parameters must not be repeated — a second value could smuggle past a check. */
export function rejectRepeats(params: URLSearchParams): URLSearchParams {
  for (const key of new Set(params.keys())) {
    if (params.getAll(key).length > 1) throw new OAuthError("invalid_request", `The parameter '${key}' is repeated.`);
  }
  return params;
}

export function parseCookies(req: Request): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (req.headers.get("cookie") ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0) out.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return out;
}

/** `__Host-` cookies: Secure, Path=/, no Domain — bound to exactly the portal's origin. */
export function setCookie(name: string, value: string, maxAgeSeconds: number): string {
  return `${name}=${value}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}`;
}

export function clearCookie(name: string): string {
  return `${name}=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0`;
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
