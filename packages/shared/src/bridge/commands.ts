import { z } from "zod";
import { KeySpecSchema } from "../keys/spec.js";
import { KmsWrappingAlgorithmSchema } from "../kms/import.js";
import { TokenLabelSchema } from "./labels.js";
import { SECURITY_DOMAIN_COMMAND_SCHEMAS } from "./security-domain.js";

export { TokenLabelSchema } from "./labels.js";

/** The KEK a `.byok` is made for: its full versioned key id and its public key as SPKI PEM. */
export const KekSchema = z
  .object({
    kid: z.url({ protocol: /^https$/, error: "the KEK id must be the https URL of a versioned key" }).max(2048),
    publicKeyPem: z
      .string()
      .max(8192)
      .regex(/^\s*-----BEGIN PUBLIC KEY-----[\s\S]+-----END PUBLIC KEY-----\s*$/, {
        error: "the KEK public key must be a PEM 'PUBLIC KEY' (SubjectPublicKeyInfo)",
      }),
  })
  .strict();
export type Kek = z.infer<typeof KekSchema>;

export const DescribeCommandSchema = z.object({ type: z.literal("hsm.describe") }).strict();

export const GenerateCommandSchema = z
  .object({ type: z.literal("key.generate"), label: TokenLabelSchema, key: KeySpecSchema })
  .strict();

export const ListCommandSchema = z.object({ type: z.literal("key.list") }).strict();

export const WrapCommandSchema = z
  .object({ type: z.literal("byok.wrap"), target: TokenLabelSchema, kek: KekSchema })
  .strict();

/** Most targets one batch may wrap: a bulk ceremony's worth, and a bounded result frame. */
export const MAX_BATCH_TARGETS = 256;

/**
 * Several targets for one KEK in one signed command: all wrapped, or none returned. Bulk ceremonies use
 * it, and it spares the bridge a signature check per key.
 */
export const WrapBatchCommandSchema = z
  .object({
    type: z.literal("byok.wrapBatch"),
    targets: z
      .array(TokenLabelSchema)
      .min(1, { error: "a batch names at least one target" })
      .max(MAX_BATCH_TARGETS, { error: `a batch names at most ${MAX_BATCH_TARGETS} targets` })
      .refine((labels) => new Set(labels).size === labels.length, { error: "a batch names each target once" }),
    kek: KekSchema,
  })
  .strict();

/**
 * Wrap a token key's material for a KMS import (the wrapping public key of GetParametersForImport,
 * base64 DER SubjectPublicKeyInfo), inside the token. PKCS#1 v1.5 is deprecated for key transport
 * and needs `allowDeprecatedPkcs1: true` in the signed command itself.
 */
export const KmsWrapMaterialCommandSchema = z
  .object({
    type: z.literal("kms.wrapMaterial"),
    target: TokenLabelSchema,
    wrappingPublicKey: z
      .string()
      .max(4096)
      .regex(/^[A-Za-z0-9+/]+={0,2}$/, { error: "the wrapping public key must be base64 DER (SubjectPublicKeyInfo), as GetParametersForImport returns it" }),
    algorithm: KmsWrappingAlgorithmSchema,
    allowDeprecatedPkcs1: z.boolean().optional(),
  })
  .strict()
  .refine((c) => c.algorithm !== "RSAES_PKCS1_V1_5" || c.allowDeprecatedPkcs1 === true, {
    error: "RSAES_PKCS1_V1_5 is deprecated for key transport (NIST SP 800-131A, after 2023); set allowDeprecatedPkcs1 to use it anyway, or use RSAES_OAEP_SHA_1/RSAES_OAEP_SHA_256",
    path: ["allowDeprecatedPkcs1"],
  });

export const BridgeCommandSchema = z.discriminatedUnion("type", [
  DescribeCommandSchema,
  GenerateCommandSchema,
  ListCommandSchema,
  WrapCommandSchema,
  WrapBatchCommandSchema,
  KmsWrapMaterialCommandSchema,
  ...SECURITY_DOMAIN_COMMAND_SCHEMAS,
]);
export type BridgeCommand = z.infer<typeof BridgeCommandSchema>;
export type BridgeCommandType = BridgeCommand["type"];
export const BRIDGE_COMMAND_TYPES = BridgeCommandSchema.options.map((o) => o.shape.type.value);

/** The claims of a signed command (JWT). `cmd` carries the command itself. */
export const CommandClaimsSchema = z.object({
  iss: z.string().min(1),
  aud: z.string().min(1),
  iat: z.number().int(),
  exp: z.number().int(),
  jti: z.string().min(16).max(128),
  cmd: z.unknown(),
});
export type CommandClaims = z.infer<typeof CommandClaimsSchema>;
