import { z } from "zod";
import { ThumbprintSha256Schema } from "./file.js";
import type { ExchangeKey } from "./restore-blob.js";

/**
 * The security-domain endpoints' bodies (facts §4.1, REST spec 2025-06-01 `securitydomain.json`).
 * Reading is lenient where the tools differ: a certificate's `kid`, `x5t` and `alg` may be absent (the
 * Azure CLI sends no `kid`), and the transfer key may come as an object or as a JSON string.
 */

/** An RSA public key as a certificate's key or a JWK carries it. */
export const RsaJwkSchema = z.object({ kty: z.literal("RSA"), n: z.base64url(), e: z.base64url() });

/** No download has more; the custodian rules then refuse anything beyond ten with a clear message. */
const MAX_CERTIFICATES_READ = 64;

/** `SecurityDomainJsonWebKey`: a custodian certificate as the CLI sends it. Its own fields are checked against x5c[0]. */
export const SecurityDomainJsonWebKeySchema = z.object({
  kid: z.string().optional(),
  kty: z.string().min(1),
  key_ops: z.array(z.string()).optional(),
  n: z.string().optional(),
  e: z.string().optional(),
  x5c: z.array(z.string().min(1).max(64 * 1024)).min(1, { error: "needs the certificate (x5c[0], base64 DER)" }),
  "x5t#S256": z.string().optional(),
  x5t: z.string().optional(),
  alg: z.string().optional(),
  use: z.string().optional(),
});
export type SecurityDomainJsonWebKey = z.infer<typeof SecurityDomainJsonWebKeySchema>;

/** `CertificateInfoObject`: the download request. `required` defaults to 2, as in the spec. */
export const SecurityDomainDownloadRequestSchema = z.object({
  certificates: z.array(SecurityDomainJsonWebKeySchema).max(MAX_CERTIFICATES_READ, { error: `at most ${MAX_CERTIFICATES_READ} certificates are read` }),
  required: z.number().int({ error: "expected a whole number" }).default(2),
});
export type SecurityDomainDownloadRequest = z.input<typeof SecurityDomainDownloadRequestSchema>;

/** The upload request: the restore blob's JSON text in `value`. */
export const SecurityDomainUploadRequestSchema = z.object({ value: z.string().min(1, { error: "needs the restore blob (JSON text)" }) });

/** `SecurityDomainOperationStatus`, as both `…/pending` endpoints answer. */
export interface SecurityDomainOperationStatus {
  status: "Success" | "InProgress" | "Failed";
  status_details: string;
}

/** The exchange key as the target serves it inside `transfer_key`. */
export const TransferKeyJwkSchema = RsaJwkSchema.extend({
  kid: z.string().optional(),
  key_ops: z.array(z.string()).optional(),
  alg: z.string().optional(),
  x5c: z.array(z.string().min(1)).min(1),
  "x5t#S256": ThumbprintSha256Schema,
});
export type TransferKeyJwk = z.infer<typeof TransferKeyJwkSchema>;

export const TransferKeyResponseSchema = z.object({
  key_format: z.literal("jwk"),
  // The spec types it as an object; the CLI and the Python SDK read a JSON string (facts §4.1 DISCREPANCY).
  transfer_key: z.union([
    z.string().transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "transfer_key is not JSON" });
        return z.NEVER;
      }
    }),
    z.record(z.string(), z.unknown()),
  ]).pipe(TransferKeyJwkSchema),
});

/** What `GET /securitydomain/upload` answered, in either form, as the exchange key a restore blob is built for. */
export function exchangeKeyFromTransferKey(body: unknown): ExchangeKey {
  const { transfer_key: jwk } = TransferKeyResponseSchema.parse(body);
  return { publicJwk: { kty: "RSA", n: jwk.n, e: jwk.e }, thumbprintSha256: jwk["x5t#S256"] };
}
