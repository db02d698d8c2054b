import { z } from "zod";

/**
 * Attestation authorities the local target trusts for Secure Key Release: a token's `iss` must be one
 * of them and its signature must verify with that authority's keys (inline JWKS, or fetched from
 * `jwksUri`). A release policy's `authority` is then matched against the same `iss`.
 */
export const AttestationAuthoritySchema = z.union([
  z.object({ issuer: z.url({ protocol: /^https$/ }), jwks: z.object({ keys: z.array(z.record(z.string(), z.unknown())).min(1) }) }).strict(),
  z.object({ issuer: z.url({ protocol: /^https$/ }), jwksUri: z.url({ protocol: /^https$/ }) }).strict(),
]);
export const AttestationConfigSchema = z.object({ authorities: z.array(AttestationAuthoritySchema) }).strict();
export type AttestationConfig = z.infer<typeof AttestationConfigSchema>;
