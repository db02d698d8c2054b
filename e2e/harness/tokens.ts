import { createHash, randomBytes } from "node:crypto";
import { request } from "@playwright/test";
import type { Credentials } from "./state";

const b64url = (b: Buffer) => b.toString("base64url");

function hidden(html: string, name: string): string {
  const m = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!m?.[1]) throw new Error(`the sign-in form has no ${name} field`);
  return m[1].replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/**
 * An access token for a local user, through the same authorization code flow (PKCE) the browser runs —
 * headless, for test set-up (the admin assigning roles); tests of sign-in itself use the browser.
 */
export async function userToken(origin: string, user: Credentials): Promise<string> {
  const ctx = await request.newContext({ baseURL: origin, ignoreHTTPSErrors: true, maxRedirects: 0 });
  try {
    const config = (await (await ctx.get("/portal-api/config")).json()) as { clientId: string; scopes: string[]; redirectPath: string };
    const verifier = b64url(randomBytes(32));
    const redirectUri = `${origin}${config.redirectPath}`;
    const params = {
      response_type: "code",
      client_id: config.clientId,
      redirect_uri: redirectUri,
      scope: config.scopes.join(" "),
      state: b64url(randomBytes(8)),
      nonce: b64url(randomBytes(8)),
      code_challenge: b64url(createHash("sha256").update(verifier).digest()),
      code_challenge_method: "S256",
    };
    const form = await ctx.get("/oidc/authorize", { params });
    if (form.status() !== 200) throw new Error(`the sign-in form answered ${form.status()}`);
    const signedIn = await ctx.post("/oidc/authorize", {
      form: { ...params, csrf: hidden(await form.text(), "csrf"), username: user.username, password: user.password },
      headers: { origin },
    });
    const location = signedIn.headers()["location"];
    const code = location ? new URL(location).searchParams.get("code") : null;
    if (!code) throw new Error(`sign-in as ${user.username} failed (${signedIn.status()})`);
    const token = await ctx.post("/oidc/token", {
      form: { grant_type: "authorization_code", code, redirect_uri: redirectUri, client_id: config.clientId, code_verifier: verifier },
    });
    const body = (await token.json()) as { access_token?: string; error_description?: string };
    if (!body.access_token) throw new Error(`no token for ${user.username}: ${body.error_description ?? token.status()}`);
    return body.access_token;
  } finally {
    await ctx.dispose();
  }
}

/** An access token for a confidential client (client_credentials). */
export async function clientToken(origin: string, clientId: string, clientSecret: string): Promise<string> {
  const ctx = await request.newContext({ baseURL: origin, ignoreHTTPSErrors: true });
  try {
    const res = await ctx.post("/oidc/token", { form: { grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret, scope: "https://managedhsm.azure.net/.default" } });
    const body = (await res.json()) as { access_token?: string };
    if (!body.access_token) throw new Error(`no token for ${clientId} (${res.status()})`);
    return body.access_token;
  } finally {
    await ctx.dispose();
  }
}
