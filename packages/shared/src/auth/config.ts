import { z } from "zod";
import { PortalClientSchema } from "../portal/sign-in.js";

/** Audiences a Key Vault client asks tokens for (the SDK's challenge `resource`). */
export const KEY_VAULT_AUDIENCES = ["https://managedhsm.azure.net", "https://vault.azure.net"] as const;

/** Algorithms accepted from a generic OIDC provider unless configured otherwise: asymmetric only. */
export const DEFAULT_OIDC_ALGORITHMS = ["RS256", "PS256", "ES256"] as const;

/** Asymmetric JWS algorithms a provider may be allowed to use; `none` and HMAC can never be configured. */
export const ALLOWED_JWS_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"] as const;

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** An https URL; plain http only on loopback, where a test provider may run without TLS. */
const SecureUrl = z.url().refine(
  (raw) => {
    const url = new URL(raw);
    return url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK.has(url.hostname));
  },
  { error: "must be an https URL (http only on localhost)" },
);

const Audiences = z.array(z.string().min(1)).min(1, { error: "at least one accepted audience" });

const Lifetimes = z
  .object({
    accessTokenSeconds: z.number().int().min(1).max(86_400),
    idTokenSeconds: z.number().int().min(1).max(86_400),
    refreshTokenSeconds: z.number().int().min(1).max(90 * 86_400),
    authorizationCodeSeconds: z.number().int().min(1).max(600),
    sessionSeconds: z.number().int().min(1).max(30 * 86_400),
  })
  .partial()
  .strict();

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * Who issues the bearer tokens the portal accepts. The embedded default is the portal's own development
 * issuer; production points at Entra ID or any OIDC provider. Environment-independent: env.ts (or a
 * config file) produces the input, this schema decides what is valid.
 */
export const AuthConfigSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("embedded"), lifetimes: Lifetimes.optional() }).strict(),
  z
    .object({
      kind: z.literal("oidc"),
      issuer: SecureUrl,
      audience: Audiences,
      /** Defaults to the `jwks_uri` of the issuer's discovery document. */
      jwksUri: SecureUrl.optional(),
      algorithms: z.array(z.enum(ALLOWED_JWS_ALGORITHMS)).min(1).optional(),
      /** The portal UI's client at this provider; without it the portal serves APIs only. */
      portal: PortalClientSchema.optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal("entra"),
      tenantId: z.string().regex(GUID, { error: "tenantId must be the directory (tenant) GUID" }),
      audience: Audiences,
      /** Sovereign clouds use another login host. */
      authorityHost: SecureUrl.default("https://login.microsoftonline.com"),
      portal: PortalClientSchema.optional(),
    })
    .strict(),
]);
export type AuthConfig = z.infer<typeof AuthConfigSchema>;
export type AuthConfigInput = z.input<typeof AuthConfigSchema>;
export type TokenLifetimesInput = z.infer<typeof Lifetimes>;

/** Parses an auth config, with every problem in one message. */
export function parseAuthConfig(input: unknown): AuthConfig {
  const parsed = AuthConfigSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const reasons = parsed.error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message));
  throw new Error(`invalid auth config: ${reasons.join("; ")}`);
}
