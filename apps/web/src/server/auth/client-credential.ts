import { z } from "zod";

/** The shape `@azure/keyvault-keys` accepts as a credential (core-auth's TokenCredential). */
export interface AccessTokenCredential {
  getToken(scopes: string | string[]): Promise<{ token: string; expiresOnTimestamp: number }>;
}

const TokenResponse = z.object({ access_token: z.string().min(1), expires_in: z.number().int().positive() });

/** Renew this long before expiry, so a token never lapses mid-request. */
const EARLY_RENEWAL_MS = 60_000;

/**
 * A client_credentials credential for scripts and tests against any OAuth token endpoint (the dev issuer's
 * `${origin}/oidc/token` in particular) — what `@azure/identity` would be, without its Node ≥ 22
 * requirement or its Entra-shaped authority discovery. Tokens are cached per scope until shortly before
 * they expire. The challenge's tenant id is ignored: one endpoint serves one tenant.
 */
export function clientSecretCredential(opts: {
  tokenEndpoint: string;
  clientId: string;
  clientSecret: string;
  fetch?: typeof fetch;
  now?: () => number;
}): AccessTokenCredential {
  const doFetch = opts.fetch ?? fetch;
  const now = opts.now ?? Date.now;
  const cache = new Map<string, { token: string; expiresOnTimestamp: number }>();
  return {
    async getToken(scopes) {
      const scope = (Array.isArray(scopes) ? scopes : [scopes]).join(" ");
      const cached = cache.get(scope);
      if (cached && cached.expiresOnTimestamp - EARLY_RENEWAL_MS > now()) return cached;
      const res = await doFetch(opts.tokenEndpoint, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "client_credentials", client_id: opts.clientId, client_secret: opts.clientSecret, scope }).toString(),
      });
      const body: unknown = await res.json().catch(() => undefined);
      const parsed = TokenResponse.safeParse(body);
      if (!res.ok || !parsed.success) {
        const error = typeof body === "object" && body !== null && "error" in body ? String(body.error) : `HTTP ${res.status}`;
        throw new Error(`token request for ${opts.clientId} failed: ${error}`);
      }
      const token = { token: parsed.data.access_token, expiresOnTimestamp: now() + parsed.data.expires_in * 1000 };
      cache.set(scope, token);
      return token;
    },
  };
}
