import { NO_STORE } from "./http";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

/**
 * No script at all, styles inline, the form may post only to this origin (and redirect to the client's),
 * and the page may not be framed — a sign-in form is a clickjacking target.
 */
function securityHeaders(formActions: readonly string[]): Record<string, string> {
  return {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Security-Policy": `default-src 'none'; style-src 'unsafe-inline'; form-action 'self' ${formActions.join(" ")}; frame-ancestors 'none'; base-uri 'none'`,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    // Not no-referrer: browsers then send `Origin: null` with the form's POST, and the sign-in's
    // same-origin check could not tell the portal's own form from a forged one.
    "Referrer-Policy": "same-origin",
    ...NO_STORE,
  };
}

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;background:#f4f5f7;color:#1c1f24;display:grid;place-items:center;min-height:100vh;margin:0}
main{background:#fff;border:1px solid #d9dce1;border-radius:8px;padding:28px 32px;width:320px}
h1{font-size:18px;margin:0 0 4px}p{margin:0 0 16px;color:#555}label{display:block;margin:12px 0 4px;font-weight:600}
input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:8px;border:1px solid #b8bcc4;border-radius:4px;font:inherit}
button{margin-top:20px;width:100%;padding:9px;border:0;border-radius:4px;background:#1f4fd1;color:#fff;font:inherit;font-weight:600}
.error{color:#a4161a;background:#fdecec;border:1px solid #f2b8b8;border-radius:4px;padding:8px;margin:0 0 12px}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

export interface LoginForm {
  action: string;
  /** The authorize request's parameters, carried through the POST. */
  hidden: ReadonlyMap<string, string>;
  csrf: string;
  clientName: string;
  username?: string;
  error?: string;
  /** Origin the successful POST redirects to, allowed in form-action. */
  redirectOrigin: string;
}

/** Extra headers as pairs: a response may set more than one cookie. */
export type HeaderPairs = readonly (readonly [string, string])[];

function headersOf(base: Record<string, string>, extra: HeaderPairs): Headers {
  const headers = new Headers(base);
  for (const [k, v] of extra) headers.append(k, v);
  return headers;
}

export function loginPage(form: LoginForm, status: number, extraHeaders: HeaderPairs = []): Response {
  const hidden = [...form.hidden].map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join("");
  const error = form.error ? `<div class="error" role="alert">${escapeHtml(form.error)}</div>` : "";
  const body = `<h1>Sign in to Keyward</h1><p>${escapeHtml(form.clientName)} asks you to sign in.</p>${error}
<form method="post" action="${escapeHtml(form.action)}">${hidden}<input type="hidden" name="csrf" value="${escapeHtml(form.csrf)}">
<label for="username">Username</label><input id="username" name="username" type="text" autocomplete="username" required autofocus value="${escapeHtml(form.username ?? "")}">
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button></form>`;
  return new Response(page("Sign in — Keyward", body), { status, headers: headersOf(securityHeaders([form.redirectOrigin]), extraHeaders) });
}

export function messagePage(title: string, message: string, status: number, extraHeaders: HeaderPairs = []): Response {
  return new Response(page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`), {
    status,
    headers: headersOf(securityHeaders([]), extraHeaders),
  });
}
