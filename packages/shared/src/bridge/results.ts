import { z } from "zod";
import { AesSizeSchema, EcCurveSchema, KeySpecSchema, RsaSizeSchema } from "../keys/spec.js";
import { KmsWrappingAlgorithmSchema } from "../kms/import.js";
import { BridgeErrorSchema } from "./errors.js";
import { SECURITY_DOMAIN_RESULT_SCHEMAS } from "./security-domain.js";

/** Public keys as JWK (the bridge never returns private parts). Curve names follow Key Vault. */
export const PublicJwkSchema = z.discriminatedUnion("kty", [
  z.object({ kty: z.literal("RSA"), n: z.string(), e: z.string() }),
  z.object({ kty: z.literal("EC"), crv: EcCurveSchema, x: z.string(), y: z.string() }),
]);
export type PublicJwk = z.infer<typeof PublicJwkSchema>;

export const BYOK_PATHS = ["one-step", "two-step"] as const;
export const ByokPathSchema = z.enum(BYOK_PATHS);
export type ByokPath = z.infer<typeof ByokPathSchema>;

export const DescribeResultSchema = z.object({
  token: z.object({
    label: z.string(),
    manufacturer: z.string(),
    model: z.string(),
    serial: z.string(),
    firmware: z.string(),
    hardware: z.string(),
  }),
  library: z.object({ description: z.string(), manufacturer: z.string(), version: z.string(), cryptoki: z.string() }),
  mechanisms: z.array(z.object({ id: z.string(), name: z.string().nullable() })),
  byok: z.object({
    /** The path the bridge will take for byok.wrap, or null when the token can do neither. */
    path: ByokPathSchema.nullable(),
    oneStep: z.object({ token: z.boolean(), binding: z.boolean() }),
    twoStep: z.boolean(),
    oaepHashes: z.array(z.enum(["SHA-1", "SHA-256", "SHA-384", "SHA-512"])),
    note: z.string(),
  }),
  generate: z.object({ rsa: z.array(RsaSizeSchema), ec: z.array(EcCurveSchema), aes: z.array(AesSizeSchema) }),
  kms: z.object({
    /** What kms.wrapMaterial can produce on this token, found by trying each in the token. */
    wrappingAlgorithms: z.array(KmsWrappingAlgorithmSchema),
    note: z.string(),
  }),
});
export type DescribeResult = z.infer<typeof DescribeResultSchema>;

export const TokenKeySchema = z.object({
  label: z.string(),
  id: z.string(),
  spec: KeySpecSchema.nullable(),
  extractable: z.boolean(),
  sensitive: z.boolean(),
  publicJwk: PublicJwkSchema.optional(),
  kcv: z.string().optional(),
});
export type TokenKey = z.infer<typeof TokenKeySchema>;

export const GenerateResultSchema = TokenKeySchema;
export const ListResultSchema = z.object({ keys: z.array(TokenKeySchema) });

export const WrapResultSchema = z.object({
  /** The `.byok` file text, ready to upload to the target. */
  byok: z.string(),
  /** Hex SHA-256 of the `.byok` text, for the ceremony record. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  path: ByokPathSchema,
  target: TokenKeySchema,
  kek: z.object({ kid: z.string(), size: RsaSizeSchema }),
});
export type WrapResult = z.infer<typeof WrapResultSchema>;

export const WrapBatchResultSchema = z.object({ items: z.array(WrapResultSchema) });

export const KmsWrapResultSchema = z.object({
  /** Base64 of the wrapped material: ImportKeyMaterial's EncryptedKeyMaterial. */
  encryptedKeyMaterial: z.string(),
  algorithm: KmsWrappingAlgorithmSchema,
  target: TokenKeySchema,
  /** AES keys: the token's key check value, to compare with what the target computes. */
  kcv: z.string().regex(/^[0-9a-f]{6}$/).optional(),
  wrappingKey: z.object({ size: RsaSizeSchema, sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
  /** E.g. the deprecation of PKCS#1 v1.5, for the ceremony record. */
  warnings: z.array(z.string()),
});
export type KmsWrapResult = z.infer<typeof KmsWrapResultSchema>;

/** The body of a result: which command type it answers and what came of it. */
export const ResultBodySchema = z.union([
  z.object({ ok: z.literal(true), type: z.literal("hsm.describe"), result: DescribeResultSchema }),
  z.object({ ok: z.literal(true), type: z.literal("key.generate"), result: GenerateResultSchema }),
  z.object({ ok: z.literal(true), type: z.literal("key.list"), result: ListResultSchema }),
  z.object({ ok: z.literal(true), type: z.literal("byok.wrap"), result: WrapResultSchema }),
  z.object({ ok: z.literal(true), type: z.literal("byok.wrapBatch"), result: WrapBatchResultSchema }),
  z.object({ ok: z.literal(true), type: z.literal("kms.wrapMaterial"), result: KmsWrapResultSchema }),
  ...SECURITY_DOMAIN_RESULT_SCHEMAS,
  z.object({ ok: z.literal(false), type: z.string().nullable(), error: BridgeErrorSchema }),
]);
export type ResultBody = z.infer<typeof ResultBodySchema>;
export type OkResultBody = Extract<ResultBody, { ok: true }>;

/** The claims of a signed result. `cmd_jti` is null when the command could not be verified at all. */
export const ResultClaimsSchema = z.intersection(
  z.object({
    iss: z.string(),
    aud: z.string().optional(),
    iat: z.number().int(),
    jti: z.string(),
    cmd_jti: z.string().nullable(),
    cmd_sha256: z.string(),
  }),
  ResultBodySchema,
);
export type ResultClaims = z.infer<typeof ResultClaimsSchema>;
