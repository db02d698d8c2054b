import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { authenticatorFromConfig } from "./from-config";
import { createDevIssuer, type DevIssuer } from "./issuer";
import { ensureEmbeddedIdentities, type EmbeddedIdentities } from "./seed";
import type { Authenticator } from "./bearer";

/** Shared set-up for the auth tests: a data dir, seeded identities, an issuer and a frozen clock. */
export interface Fixture {
  dataDir: string;
  origin: string;
  seed: EmbeddedIdentities & { initial: NonNullable<EmbeddedIdentities["initial"]> };
  issuer: DevIssuer;
  authenticator: Authenticator;
  clock: { now: number };
  call(path: string, init?: RequestInit): Promise<Response>;
  cleanup(): Promise<void>;
}

export const ORIGIN = "https://portal.test:8443";
export const T0 = Date.UTC(2026, 10, 1, 12, 0, 0);
export const LIFETIMES = { accessTokenSeconds: 120, idTokenSeconds: 120, refreshTokenSeconds: 600, authorizationCodeSeconds: 30, sessionSeconds: 900 };

export async function makeFixture(): Promise<Fixture> {
  const dataDir = await mkdtemp(join(tmpdir(), "keyward-auth-"));
  const seed = await ensureEmbeddedIdentities(dataDir);
  if (!seed.initial) throw new Error("expected fresh identities");
  const clock = { now: T0 };
  const now = () => clock.now;
  const issuer = await createDevIssuer({ origin: ORIGIN, dataDir, lifetimes: LIFETIMES, now });
  const authenticator = authenticatorFromConfig({ kind: "embedded" }, { devIssuer: issuer, now });
  return {
    dataDir,
    origin: ORIGIN,
    seed: { ...seed, initial: seed.initial },
    issuer,
    authenticator,
    clock,
    async call(path, init) {
      const res = await issuer.handle(new Request(`${ORIGIN}${path}`, init));
      if (!res) throw new Error(`no issuer route for ${path}`);
      return res;
    },
    cleanup: () => rm(dataDir, { recursive: true, force: true }),
  };
}

export function form(values: Record<string, string>, headers: Record<string, string> = {}): RequestInit {
  return { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers }, body: new URLSearchParams(values).toString() };
}

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

/** Cookie pairs from Set-Cookie headers, as a browser would send them back. */
export function cookiesFrom(res: Response): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of res.headers.getSetCookie()) {
    const [pair = ""] = line.split(";");
    const eq = pair.indexOf("=");
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

export const cookieHeader = (cookies: Record<string, string>) =>
  Object.entries(cookies)
    .filter(([, v]) => v !== "")
    .map(([k, v]) => `${k}=${v}`)
    .join("; ");

export async function clientCredentialsToken(f: Fixture, scope = "https://managedhsm.azure.net/.default"): Promise<string> {
  const res = await f.call("/oidc/token", form({ grant_type: "client_credentials", client_id: "keyward-cli", client_secret: f.seed.initial.cliClientSecret, scope }));
  const body = (await res.json()) as { access_token?: string };
  if (res.status !== 200 || body.access_token === undefined) throw new Error(`client_credentials failed: ${res.status}`);
  return body.access_token;
}

export const PORTAL_REDIRECT = `${ORIGIN}/auth/callback`;

/** Signs the admin in through the real form and returns the authorization response's parameters. */
export async function signIn(
  f: Fixture,
  opts: { challenge: string; scope?: string; nonce?: string; state?: string; responseMode?: "query" | "fragment" },
): Promise<{ code: string; state: string | null; sessionCookie: Record<string, string> }> {
  const params = new URLSearchParams({
    response_type: "code",
    client_id: "keyward-portal",
    redirect_uri: PORTAL_REDIRECT,
    scope: opts.scope ?? "openid profile offline_access https://managedhsm.azure.net/.default",
    state: opts.state ?? "st-1",
    nonce: opts.nonce ?? "n-1",
    code_challenge: opts.challenge,
    code_challenge_method: "S256",
    response_mode: opts.responseMode ?? "query",
  });
  const page = await f.call(`/oidc/authorize?${params}`);
  if (page.status !== 200) throw new Error(`authorize page: ${page.status}`);
  const html = await page.text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";
  const cookies = cookiesFrom(page);
  const post = await f.call(
    "/oidc/authorize",
    form({ ...Object.fromEntries(params), csrf, username: "admin", password: f.seed.initial.adminPassword }, { Cookie: cookieHeader(cookies), Origin: ORIGIN }),
  );
  if (post.status !== 303) throw new Error(`sign-in POST: ${post.status}`);
  const location = new URL(post.headers.get("location") ?? "");
  const values = opts.responseMode === "fragment" ? new URLSearchParams(location.hash.slice(1)) : location.searchParams;
  return { code: values.get("code") ?? "", state: values.get("state"), sessionCookie: cookiesFrom(post) };
}
