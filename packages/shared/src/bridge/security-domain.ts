import { z } from "zod";
import { RsaSizeSchema } from "../keys/spec.js";
import { ThumbprintSha256Schema } from "../security-domain/file.js";
import { MAX_SHARES, MIN_REQUIRED_SHARES } from "../security-domain/shamir.js";
import { TokenLabelSchema } from "./labels.js";

/**
 * Bridge commands of the security domain (issue 5). A custodian's bridge holds the custodian's RSA key
 * in its token and only ever decrypts that custodian's share there; the recovery bridge holds an
 * ephemeral key the shares are re-encrypted to, and is the one place m plaintext shares meet.
 */

const COMPACT_JWE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
export const CompactJweSchema = z.string().max(16_384).regex(COMPACT_JWE, { error: "expected a compact JWE" });

const B64URL = /^[A-Za-z0-9_-]+$/;
export const RsaPublicJwkSchema = z
  .object({ kty: z.literal("RSA"), n: z.string().regex(B64URL).max(1024), e: z.string().regex(B64URL).max(16) })
  .strict();


/** Who approved a share command in the portal (their object id and name), recorded in the bridge's log. */
const ApprovedBySchema = z.object({ oid: z.string().min(1).max(128), name: z.string().max(256) }).strict();

/** A custodian key pair in the token (private half never extractable) and a self-signed certificate for it. */
export const CustodianCreateKeyCommandSchema = z
  .object({
    type: z.literal("custodian.createKey"),
    label: TokenLabelSchema,
    /** The certificate subject's common name, e.g. the custodian's name. */
    commonName: z
      .string()
      .min(1)
      .max(64)
      .refine((cn) => ![...cn].some((ch) => ch < " " || '\\/+,;=<>#"'.includes(ch)), { error: 'a common name is 1–64 printable characters without \\ / + , ; = < > # "' }),
    size: RsaSizeSchema,
    validityDays: z.number().int().min(1).max(3650),
  })
  .strict();

/** The certificate of an existing custodian key (to register it again, or check a thumbprint). */
export const CustodianCertificateCommandSchema = z.object({ type: z.literal("custodian.certificate"), label: TokenLabelSchema }).strict();

/** Quorum rehearsal: decrypt the share in the token and answer only the proof for `challenge`. */
export const ShareRehearseCommandSchema = z
  .object({
    type: z.literal("sd.share.rehearse"),
    key: TokenLabelSchema,
    encShare: CompactJweSchema,
    /** base64url, 16 to 64 bytes. */
    challenge: z.string().regex(B64URL).min(22).max(86),
    approvedBy: ApprovedBySchema,
  })
  .strict();

/** Recovery: decrypt the share in the token and re-encrypt it (RSA-OAEP-256 JWE) to the recovery bridge's ephemeral key. */
export const ShareReencryptCommandSchema = z
  .object({
    type: z.literal("sd.share.reencrypt"),
    key: TokenLabelSchema,
    encShare: CompactJweSchema,
    recipient: RsaPublicJwkSchema,
    /** The recovery ceremony, for the bridge's log. */
    recoveryId: z.string().min(1).max(128),
    approvedBy: ApprovedBySchema,
  })
  .strict();

/** On the recovery bridge: the ephemeral key pair (a token object, so a restarted bridge still has it). Idempotent. */
export const RecoveryBeginCommandSchema = z.object({ type: z.literal("sd.recovery.begin"), label: TokenLabelSchema }).strict();

/** On the recovery bridge: open the re-encrypted shares, combine them and build the restore blob for the exchange key. */
export const RecoveryCombineCommandSchema = z
  .object({
    type: z.literal("sd.recovery.combine"),
    label: TokenLabelSchema,
    /** The security-domain file (JSON text) the shares belong to. */
    securityDomain: z.string().max(256 * 1024),
    shares: z.array(CompactJweSchema).min(MIN_REQUIRED_SHARES).max(MAX_SHARES),
    exchangeKey: z.object({ publicJwk: RsaPublicJwkSchema, thumbprintSha256: ThumbprintSha256Schema }).strict(),
  })
  .strict();

/** On the recovery bridge: destroy the ephemeral key. Idempotent. */
export const RecoveryEndCommandSchema = z.object({ type: z.literal("sd.recovery.end"), label: TokenLabelSchema }).strict();

export const SECURITY_DOMAIN_COMMAND_SCHEMAS = [
  CustodianCreateKeyCommandSchema,
  CustodianCertificateCommandSchema,
  ShareRehearseCommandSchema,
  ShareReencryptCommandSchema,
  RecoveryBeginCommandSchema,
  RecoveryCombineCommandSchema,
  RecoveryEndCommandSchema,
] as const;

export const CustodianKeyResultSchema = z.object({
  label: z.string(),
  /** The certificate DER, standard base64 (as in a JWK's `x5c`). */
  certificate: z.string(),
  thumbprintSha256: ThumbprintSha256Schema,
  publicJwk: RsaPublicJwkSchema,
  size: RsaSizeSchema,
  notBefore: z.string(),
  notAfter: z.string(),
});
export type CustodianKeyResult = z.infer<typeof CustodianKeyResultSchema>;

export const ShareRehearseResultSchema = z.object({ proof: z.string().regex(B64URL), shareNumber: z.number().int().min(1) });
export const ShareReencryptResultSchema = z.object({ encShare: CompactJweSchema, shareNumber: z.number().int().min(1) });
export const RecoveryBeginResultSchema = z.object({ label: z.string(), publicJwk: RsaPublicJwkSchema, created: z.boolean() });
export const RecoveryCombineResultSchema = z.object({ restoreBlob: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/) });
export const RecoveryEndResultSchema = z.object({ destroyed: z.boolean() });

export const SECURITY_DOMAIN_RESULT_SCHEMAS = [
  z.object({ ok: z.literal(true), type: z.literal("custodian.createKey"), result: CustodianKeyResultSchema }),
  z.object({ ok: z.literal(true), type: z.literal("custodian.certificate"), result: CustodianKeyResultSchema }),
  z.object({ ok: z.literal(true), type: z.literal("sd.share.rehearse"), result: ShareRehearseResultSchema }),
  z.object({ ok: z.literal(true), type: z.literal("sd.share.reencrypt"), result: ShareReencryptResultSchema }),
  z.object({ ok: z.literal(true), type: z.literal("sd.recovery.begin"), result: RecoveryBeginResultSchema }),
  z.object({ ok: z.literal(true), type: z.literal("sd.recovery.combine"), result: RecoveryCombineResultSchema }),
  z.object({ ok: z.literal(true), type: z.literal("sd.recovery.end"), result: RecoveryEndResultSchema }),
] as const;
