import { z } from "zod";

/**
 * How the local target seals its domain key: a key file in the data directory (development), or an
 * AES-256 key that never leaves a PKCS#11 token (production). The PIN comes from a file, never inline.
 */
export const DomainKeySealingSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("key-file") }).strict(),
  z
    .object({
      kind: z.literal("pkcs11"),
      module: z.string().min(1),
      tokenLabel: z.string().min(1).max(32),
      pinFile: z.string().min(1),
      wrappingKeyLabel: z.string().min(1).max(64).default("keyward-domain-key-wrap"),
    })
    .strict(),
]);
export type DomainKeySealing = z.infer<typeof DomainKeySealingSchema>;
