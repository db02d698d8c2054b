import { z } from "zod";
import { KeySpecSchema } from "../keys/spec.js";

/** HSM object labels: what custodians read in vendor tools too, so keep them plain. */
export const TokenLabelSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, {
    error: "a key label is 1–64 characters of letters, digits, '.', '_' and '-', starting with a letter or digit",
  });

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

export const BridgeCommandSchema = z.discriminatedUnion("type", [
  DescribeCommandSchema,
  GenerateCommandSchema,
  ListCommandSchema,
  WrapCommandSchema,
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
