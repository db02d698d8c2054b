import { z } from "zod";

/**
 * What the browser needs to sign in, served unauthenticated at `/portal-api/config`. The same MSAL code
 * runs against Entra ID (protocol mode AAD) and any OIDC provider, the embedded issuer included (OIDC).
 */
export const SignInConfigSchema = z.object({
  /** False when the provider is configured for bearer tokens only, without a browser client. */
  enabled: z.boolean(),
  provider: z.enum(["embedded", "oidc", "entra"]),
  authority: z.string(),
  clientId: z.string(),
  protocolMode: z.enum(["AAD", "OIDC"]),
  /** Host names MSAL may trust as authorities without Entra's instance discovery. */
  knownAuthorities: z.array(z.string()),
  /** Scopes for the access token the portal calls its APIs with (one resource, as Entra requires). */
  scopes: z.array(z.string()),
  /** Page the identity provider redirects back to (MSAL's redirect bridge). */
  redirectPath: z.string(),
});
export type SignInConfig = z.infer<typeof SignInConfigSchema>;

/** The portal's browser client: how an OIDC or Entra deployment tells the UI who it is. */
export const PortalClientSchema = z
  .object({
    clientId: z.string().min(1),
    /** Defaults to `<first audience>/.default`. */
    scopes: z.array(z.string().min(1)).min(1).optional(),
  })
  .strict();
export type PortalClient = z.infer<typeof PortalClientSchema>;

export const SIGN_IN_REDIRECT_PATH = "/auth/redirect";
