import { z } from "zod";
import { TokenLabelSchema } from "./commands.js";
import { DEFAULT_MAX_FRAME_BYTES } from "./protocol.js";

/** A portal public key the bridge trusts, as an Ed25519 JWK with its `kid`. */
export const TrustedKeySchema = z.object({
  kid: z.string().min(1),
  jwk: z.object({ kty: z.literal("OKP"), crv: z.literal("Ed25519"), x: z.string().min(1) }).loose(),
});

/** The bridge's config file (`bridge.json` in its home directory). The PIN is never in it. */
export const BridgeConfigSchema = z
  .object({
    bridgeId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { error: "bridgeId is 1–64 letters, digits, '.', '_' or '-'" }),
    pkcs11: z.object({
      module: z.string().min(1),
      tokenLabel: TokenLabelSchema,
      /** A development SoftHSM2 token's config file, exported as SOFTHSM2_CONF before loading. */
      softhsm2Conf: z.string().optional(),
    }),
    listen: z
      .object({
        host: z.string().default("127.0.0.1"),
        port: z.number().int().min(0).max(65535).default(7710),
        tls: z.object({ cert: z.string(), key: z.string() }).optional(),
      })
      .prefault({}),
    portal: z.object({ issuer: z.string().min(1), keys: z.array(TrustedKeySchema) }),
    maxFrameBytes: z.number().int().min(1024).max(16 * 1024 * 1024).default(DEFAULT_MAX_FRAME_BYTES),
  })
  .strict();
export type BridgeConfig = z.infer<typeof BridgeConfigSchema>;
